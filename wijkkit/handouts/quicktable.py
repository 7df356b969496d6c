"""Tables measured and drawn as reportlab does, without its generic work per cell (issue 19).

A handout's tables are measured again and again: the frame asks for a table's size, a
table that does not fit is measured again to split it, each part is measured anew (its
rows and all), ``KeepTogether`` measures its content before the frame does, and the
session pack's table of contents is measured twice. Each time reportlab's
``Table._calc_height`` walks every cell with the machinery of spans, auto widths,
nested lists and indenters, sets and restores the canvas font around each cell, and a
``LongTable`` adds up all rows measured so far after each row (quadratic in the rows,
and it never stops early when there are no spans). The progress report's list of
overdue agreements (600 rows over 20 pages) spent a fifth of its time there.

``QuickTable`` (and ``QuickLongTable``) keep reportlab's results to the last bit: the
same row heights, positions, splits and drawn operators, from the same sums in the same
order. They only take a shorter road for the common table: no spans, every column width
given, cells of text or of flowables. A cell of ``style.Para`` paragraphs (which do not
look at the canvas font while they break lines) is measured without setting that font.
Anything else is left to reportlab: a table with spans or automatic widths, and a cell
too wide for its column (reportlab's error or warning). Measured again for the same widths,
a table of text and ``Para`` cells gives the heights it found before (until a style command
is added or it is split). A cell of text or of one flowable is drawn with the same calls
``Table._drawCell`` makes. tests/core/test_handout_quicktables.py compares
them with reportlab's ``Table`` and ``LongTable`` for random cells, widths and page heights.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus.flowables import Flowable
from reportlab.platypus.tables import LongTable, Table, _calc_pc, _ExpandedCellTuple

from wijkkit.handouts.style import Para

_UNMEASURED = 72000  # the height reportlab offers a cell when it measures its row


class QuickTable(Table):
    """A reportlab ``Table`` that measures its rows and draws its cells with less work (see the module)."""

    def _calc_height(self, availHeight: float, availWidth: float, H: Any = None, W: Any = None) -> None:  # noqa: N803  # fmt: skip
        given = self._argH
        if not W:
            W = _calc_pc(self._argW, availWidth)
        if self._spanCmds or None not in given or None in W:
            return super()._calc_height(availHeight, availWidth, H, W)
        heights = self._row_heights(given, W)
        if heights is None:  # a cell too wide for its column: reportlab raises or warns
            return super()._calc_height(availHeight, availWidth, H, W)
        self._rowHeights = heights
        # the row positions as reportlab sums them, from the bottom row up, compensating rounding
        self._rowpositions = positions = []
        height = c = 0
        for i in range(len(heights) - 1, -1, -1):
            positions.append(height)
            y = heights[i] - c
            t = height + y
            c = (t - height) - y
            height = t
        positions.append(height)
        self._height = height
        positions.reverse()
        self._hmax = len(heights)
        return None

    def _row_heights(self, given: list, widths: list) -> list | None:
        """Each row's height as ``Table._calc_height`` finds it without spans; None for a cell too wide.

        A table is measured several times for the same widths (the frame, ``KeepTogether``, a split);
        when every cell is text or one ``Para`` (whose lines for a width do not change), the heights of
        the last measuring are kept for those widths, until a style command is added or the table split.
        """
        measured, key = self.__dict__.get("_measured"), tuple(widths)
        if measured is not None and measured[0] == key and measured[1] is given:
            return measured[2][:]
        heights, steady = given[:], True
        minimum = self._minRowHeights
        canv = getattr(self, "canv", None)
        values, styles = self._cellvalues, self._cellStyles
        for i, known in enumerate(given):
            if known is not None:
                continue
            row, h = values[i], 0
            for j, (v, s, w) in enumerate(zip(row, styles[i], widths)):  # noqa: B905 - as reportlab
                if isinstance(v, (tuple, list, Flowable)):
                    if type(v) is not _ExpandedCellTuple:
                        v = row[j] = self._cellListProcess(v, w, None)
                    if not v:
                        t = 0
                        dW = 0
                    elif len(v) == 1 and isinstance(v[0], Para):  # needs no canvas font
                        p = v[0]
                        vw, vh = p.wrapOn(canv, w - s.leftPadding - s.rightPadding,
                                          _UNMEASURED - s.topPadding - s.bottomPadding)  # fmt: skip
                        sb, sa = p.getSpaceBefore(), p.getSpaceAfter()
                        t = 0
                        t += vh + sa + sb
                        t = t - sb - sa
                        dW = max(0, vw)
                    else:
                        steady = False
                        if canv:
                            saved = canv._fontname, canv._fontsize, canv._leading
                            font = s.fontname, s.fontsize, s.leading or 1.2 * s.fontsize
                            canv._fontname, canv._fontsize, canv._leading = font
                        dW, t = self._listCellGeom(v, w, s)
                        if canv:
                            canv._fontname, canv._fontsize, canv._leading = saved
                    if dW + s.leftPadding + s.rightPadding > w:
                        return None
                else:
                    lines = (v is not None and str(v) or "").split("\n")
                    t = (s.leading or 1.2 * s.fontsize) * len(lines)
                t += s.bottomPadding + s.topPadding
                if t > h:
                    h = t
            heights[i] = max(minimum[i], h) if minimum else h
        if steady:
            self._measured = (key, given, heights[:])
        return heights

    def _addCommand(self, cmd: tuple) -> None:  # noqa: N802 - reportlab's name
        self.__dict__.pop("_measured", None)  # a cell's font or padding may change
        super()._addCommand(cmd)

    def split(self, availWidth: float, availHeight: float) -> list:  # noqa: N803 - reportlab's names
        try:
            return super().split(availWidth, availHeight)
        finally:  # a row split in two changes the paddings of its cells (reportlab's _splitRows)
            self.__dict__.pop("_measured", None)

    def _drawCell(self, cellval: Any, cellstyle: Any, pos: tuple, size: tuple) -> None:  # noqa: N802 - reportlab's name
        """``Table._drawCell`` for a cell of text or of at most one flowable, without a link; reportlab's otherwise."""
        kind = type(cellval)
        if kind is _ExpandedCellTuple:
            if len(cellval) > 1:
                return super()._drawCell(cellval, cellstyle, pos, size)
        elif kind is not str:
            return super()._drawCell(cellval, cellstyle, pos, size)
        s = cellstyle
        just, valign = s.alignment, s.valign
        if s.href or s.destination or just not in _ALIGNED[kind is str] or valign not in _VALIGNED:
            return super()._drawCell(cellval, cellstyle, pos, size)
        colpos, rowpos = pos
        colwidth, rowheight = size
        canv = self.canv
        if cellval and kind is not str and colwidth - s.leftPadding - s.rightPadding < 0:
            return super()._drawCell(cellval, cellstyle, pos, size)  # reportlab's error or warning
        if kind is str and (s.direction or s.shaping):
            return super()._drawCell(cellval, cellstyle, pos, size)
        cur = self._curcellstyle
        if cur is not s:
            if cur is None or s.color != cur.color:
                canv.setFillColor(s.color)
            if cur is None or s.leading != cur.leading or s.fontname != cur.fontname \
                    or s.fontsize != cur.fontsize:  # fmt: skip
                canv.setFont(s.fontname, s.fontsize, s.leading)
            self._curcellstyle = s
        if kind is str:
            self._draw_text(cellval, s, just, valign, colpos, rowpos, colwidth, rowheight)
        elif cellval:
            self._draw_flowable(cellval[0], s, just, valign, colpos, rowpos, colwidth, rowheight)
        return None

    def _draw_flowable(self, v: Flowable, s: Any, just: str, valign: str, colpos: float, rowpos: float,
                       colwidth: float, rowheight: float) -> None:  # fmt: skip
        """The one flowable of a cell, placed as ``Table._drawCell`` places a list of them."""
        vw, vh = v.wrapOn(self.canv, colwidth - s.leftPadding - s.rightPadding,
                          rowheight - s.topPadding - s.bottomPadding)  # fmt: skip
        sb, sa = v.getSpaceBefore(), v.getSpaceAfter()
        t = 0
        t += vh + sa + sb
        h = t - sb - sa
        if valign == "TOP":
            y = rowpos + rowheight - s.topPadding
        elif valign == "BOTTOM":
            y = rowpos + s.bottomPadding + h
        else:
            y = rowpos + (rowheight + s.bottomPadding - s.topPadding + h) / 2.0
        y += v.getSpaceBefore()
        if just == "LEFT":
            x = colpos + s.leftPadding
        elif just == "RIGHT":
            x = colpos + colwidth - s.rightPadding - vw
        else:
            x = colpos + (colwidth + s.leftPadding - s.rightPadding - vw) / 2.0
        y -= v.getSpaceBefore()
        y -= vh
        v.drawOn(self.canv, x, y)

    def _draw_text(self, text: str, s: Any, just: str, valign: str, colpos: float, rowpos: float,
                   colwidth: float, rowheight: float) -> None:  # fmt: skip
        """A cell of plain text, line by line, as ``Table._drawCell`` draws it."""
        canv = self.canv
        if just == "LEFT":
            draw, x = canv.drawString, colpos + s.leftPadding
        elif just == "RIGHT":
            draw, x = canv.drawRightString, colpos + colwidth - s.rightPadding
        elif just == "DECIMAL":
            draw, x = canv.drawAlignedString, colpos + colwidth - s.rightPadding
        else:
            draw = canv.drawCentredString
            x = colpos + (colwidth + s.leftPadding - s.rightPadding) * 0.5
        lines = text.split("\n")
        leading, fontsize = s.leading, s.fontsize
        if valign == "BOTTOM":
            y = rowpos + s.bottomPadding + len(lines) * leading - fontsize
        elif valign == "TOP":
            y = rowpos + rowheight - s.topPadding - fontsize
        else:
            middle = (s.bottomPadding + rowheight - s.topPadding + len(lines) * leading) / 2.0
            y = rowpos + middle - fontsize
        for line in lines:
            draw(x, y, line)
            y -= leading


_ALIGNED = {False: ("LEFT", "RIGHT", "CENTRE", "CENTER"), True: ("LEFT", "RIGHT", "CENTRE", "CENTER", "DECIMAL")}  # fmt: skip
_VALIGNED = ("TOP", "BOTTOM", "MIDDLE")


class QuickLongTable(QuickTable):
    """reportlab's ``LongTable`` (``_longTableOptimize``), measured as ``QuickTable`` measures.

    Without spans reportlab's long table measures every row too (its early stop waits for a
    span to end), so the heights are the same; it only keeps the splits' measured heights.
    """

    _longTableOptimize = LongTable._longTableOptimize
