"""A table of contents drawn last, so a story with one is laid out once instead of twice.

The session pack opens with its contents: which document starts on which page. reportlab's
``multiBuild`` learns the pages by building the whole story, then building it again with
the numbers in (page.py made that first pass a layout-only sketch, decision 0010). Yet the
contents take the same room whatever the numbers are: each entry is a Paragraph of its
title, and the dots and the number are drawn at its end (reportlab's ``onDraw``), taking
no room of their own. The pack knows its titles before building (``expected``), so the
contents are laid out with them and page 0, the story is built and drawn once, each
``Chapter`` reports its page on the way, and only the contents themselves wait: they are
drawn when the canvas writes the pages out (``NumberedCanvas.later``), with the real
numbers, at the place and on the page where they were laid out. The contents are the
last thing on their page, so even the page's drawing commands come in the same order.

Should anything differ from what was expected (a title reported that was not expected,
the contents split over two pages), the build falls back to ``multiBuild``
(``page.Template.contents_build``): slower, never wrong.

The table is made as reportlab's ``TableOfContents.wrap`` makes it, but of ``style.Para``
paragraphs (each breaks its lines once for a width; reportlab's break them again when the
table draws them) in a ``QuickTable``. The page numbers take no room: they are drawn at the
end of each entry by a callback named in the entry (``<onDraw ... label="page,level,key"/>``).
So once the pass has found the expected titles, the entries laid out with page 0 are given
their real numbers in that label (``_numbered``) instead of being parsed and broken again.
"""

from __future__ import annotations

from ast import literal_eval
from collections.abc import Sequence
from typing import Any

from reportlab.platypus.flowables import Spacer
from reportlab.platypus.paragraph import Paragraph
from reportlab.platypus.tableofcontents import TableOfContents, drawPageNumbers

from wijkkit.handouts.quicktable import QuickTable
from wijkkit.handouts.style import Para, right_to_left

CALLBACK = "drawTOCEntryEnd"  # the name reportlab's contents give the callback that draws the dots and number


class LateContents(TableOfContents):
    """A TableOfContents that knows its entries' titles in advance and draws itself last (see the module)."""

    def __init__(self, expected: Sequence[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.expected = [(level, title) for level, title in expected]
        self.late = False  # set for the one pass that draws it last (page.Template.contents_build)
        self._placed: tuple[float, ...] | None = None  # avail w, h; x, y, sW; height laid out
        self._split = False
        self._made_on: Any = None
        self._made_for: tuple | None = None

    def start_late(self) -> None:
        """Before the single pass: lay out with the expected titles at page 0, collect the real pages."""
        self.late, self._placed, self._split = True, None, False
        self._lastEntries = [(level, title, 0, None) for level, title in self.expected]
        self._entries = []

    def stop_late(self) -> None:
        """Back to a plain TableOfContents for ``multiBuild`` (the fallback)."""
        self.late = False
        self._lastEntries, self._entries = [], []

    def satisfied_late(self, canvas: Any) -> bool:
        """Whether the pass found what was expected, placed the contents whole on one page, and the
        real page numbers take the room laid out for them."""
        found = [(level, title) for level, title, _page, _key in self._entries]
        keys = [key for _level, _title, _page, key in self._entries]
        if self._placed is None or self._split or found != self.expected or any(keys):
            return False
        width, height, _x, _y, _shift, laid_out = self._placed
        if self._numbered(canvas, width):
            return True
        self._lastEntries = list(self._entries)
        return abs(self.wrapOn(canvas, width, height)[1] - laid_out) <= 1e-6

    def _numbered(self, canvas: Any, width: float) -> bool:
        """The table laid out with the expected titles at page 0, given the real page numbers; False (and
        nothing changed) unless each entry's callback is found just as laid out.

        The label is all that differs between the entries made with page 0 and with the real page: it is
        read by the callback when the entry is drawn, and takes no room. It sits in one object that every
        fragment of the entry's paragraph shares (reportlab's parser makes one per ``<onDraw>``).
        """
        laid_out = [(level, title, 0, None) for level, title in self.expected]
        made = self._made_for
        if self._table is None or self._made_on is not canvas or made is None \
                or made[0] != (width, tuple(laid_out)):  # fmt: skip
            return False
        paragraphs = [cell[0] for row in self._table._cellvalues for cell in row if len(cell) == 1
                      and isinstance(cell[0], Paragraph)]  # fmt: skip
        if len(paragraphs) != len(laid_out):
            return False
        labels = []
        for paragraph, (level, _title, _page, _key) in zip(paragraphs, laid_out, strict=True):
            found = {id(f.cbDefn): f.cbDefn for f in _fragments(paragraph) if hasattr(f, "cbDefn")}
            if len(found) != 1:
                return False
            (label,) = found.values()
            if getattr(label, "kind", None) != "onDraw" or getattr(label, "name", None) != CALLBACK \
                    or getattr(label, "label", None) != f"0,{level},None":  # fmt: skip
                return False
            labels.append(label)
        for label, (level, _title, page, _key) in zip(labels, self._entries, strict=True):
            label.label = "%d,%d,None" % (page, level)  # noqa: UP031 - as TableOfContents.wrap writes it
        self._lastEntries = list(self._entries)
        self._made_for = ((width, tuple(self._lastEntries)), made[1])
        return True

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab's names
        """reportlab's, but a table made for the same entries, width and canvas is kept (it parses every
        entry anew, and the pack's contents are measured four times).

        The room's height only lets reportlab's Table stop measuring rows once they are taller than
        it (``Table._calc_height``): a table that fitted in the height it was made for, and fits in
        this one, is the table this height would make. The callback that draws the dots and numbers
        does not use the height.
        """
        self._avail = (availWidth, availHeight)
        key, made = (availWidth, tuple(self._lastEntries)), self._made_for
        if (self._table is not None and self._made_on is self.canv and made is not None and made[0] == key
                and made[1] >= self.height and availHeight >= self.height):  # fmt: skip
            return self.width, self.height
        size = self._made_table(availWidth, availHeight)
        self._made_on, self._made_for = self.canv, (key, availHeight)  # the canvas has the callback
        return size

    def _made_table(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab's names
        """``TableOfContents.wrap`` as reportlab 5.1 has it, with ``Para`` cells in a ``QuickTable``."""
        entries = self._lastEntries or [(0, "Placeholder for table of contents", 0, None)]

        def draw_entry_end(canvas: Any, kind: str, label: str) -> None:
            """The dots and page number after an entry (reportlab's ``drawTOCEntryEnd``)."""
            page, level, key = label.split(",")
            page, level, key = int(page), int(level), literal_eval(key)
            style = self.getLevelStyle(level)
            dot = " . " if self.dotsMinLevel >= 0 and level >= self.dotsMinLevel else ""
            if self.formatter:
                page = self.formatter(page)
            drawPageNumbers(canvas, style, [(page, key)], availWidth, availHeight, dot)

        self.canv.setNamedCB(CALLBACK, draw_entry_end)
        rows: list[list[Any]] = []
        for level, title, page, key in entries:
            style = self.getLevelStyle(level)
            if key:
                title = f'<a href="#{key}">{title}</a>'
                key_value = repr(key).replace(",", "\\x2c").replace('"', "\\x2c")
            else:
                key_value = None
            if style.spaceBefore:
                rows.append([Spacer(1, style.spaceBefore)])
            label = "%d,%d,%s" % (page, level, key_value)  # noqa: UP031 - %d as reportlab's
            entry = f'{title}<onDraw name="{CALLBACK}" label="{label}"/>'
            maker = Paragraph if right_to_left(title) else Para  # Para would reorder RTL lines
            rows.append([maker(entry, style)])
        self._table = QuickTable(rows, colWidths=(availWidth,), style=self.tableStyle)
        self.width, self.height = self._table.wrapOn(self.canv, availWidth, availHeight)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list:  # noqa: N803 - reportlab's names
        self._split = True  # its parts would be drawn now, with page 0: the fallback redoes it
        return super().split(availWidth, availHeight)

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803 - reportlab's names
        if not self.late or not hasattr(canvas, "later"):
            return super().drawOn(canvas, x, y, _sW)
        self._placed = (*self._avail, x, y, _sW, self.height)
        canvas.later(self._draw_late)
        return None

    def _draw_late(self, canvas: Any) -> None:
        """Called by the canvas on this page's own state, before its footer: laid out again with the real numbers."""
        width, height, x, y, shift, laid_out = self._placed
        self._lastEntries = list(self._entries)
        _w, now = self.wrapOn(canvas, width, height)
        if abs(now - laid_out) > 1e-6:  # cannot be with the titles checked; never print overlapping
            raise RuntimeError(f"the contents took {now} points instead of {laid_out}")
        self._table.drawOn(canvas, x, y, shift)


def _fragments(paragraph: Para) -> list:
    """The fragments of a paragraph and of the lines it was broken into."""
    found = list(paragraph.frags)
    lines = getattr(paragraph.__dict__.get("blPara"), "lines", None) or []
    for line in lines:
        found += getattr(line, "words", None) or []
    return found
