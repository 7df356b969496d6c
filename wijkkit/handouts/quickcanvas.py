"""A canvas that writes exactly the operators reportlab's ``Canvas`` writes, with less work per call.

A progress report draws about 4,000 table cells of plain text per build, and every handout
moves the origin, draws rules and fills rows. For each ``drawString`` reportlab makes a text
object, splits the text into font subsets, escapes it and formats every number anew with its
pure-Python ``fp_str``; the same dates, statuses and names come back hundreds of times.
``QuickCanvas`` (the base of ``page.NumberedCanvas``) does the common case of a few calls
itself: plain text in a TrueType font without options (``drawString``, ``drawRightString``,
``drawCentredString``), ``transform``/``translate``, ``line``, ``rect``, ``setLineWidth``
and RGB colours. Anything else goes to reportlab's own method.

What stays reportlab's: the font's ``splitString`` (through ``glyphs.Runs``, shared with
quickdraw; it assigns the glyphs to subsets, so it runs the first time a new character is drawn
on this canvas, in reportlab's order; afterwards a text's subsets and bytes are known and cannot
change) and ``getSubsetInternalName``; numbers
are reportlab's ``fp_str`` of each number, remembered (``number``). Nothing of reportlab is
patched: other documents in the process draw with reportlab's own canvas.
tests/core/test_handout_quickstory.py draws the same calls on both and compares the operators,
the canvas state and the saved PDF.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.colors import Color
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from wijkkit.handouts import glyphs

NUMBERS_MEMO = 20_000
TEXT_OPTIONS = ("mode", "charSpace", "direction", "wordSpace", "shaping")  # drawString's, in order
_NUMBERS: dict[float, str] = {}


def number(value: float) -> str:
    """``fp_str(value)`` for one int or float, remembered (a pure function of the value: 1 and 1.0 both print
    '1', -0.0 and 0.0 both '0')."""
    if type(value) is not float and type(value) is not int:
        return fp_str(value)
    text = _NUMBERS.get(value)
    if text is None:
        text = fp_str(value)
        if len(_NUMBERS) >= NUMBERS_MEMO:
            _NUMBERS.clear()
        _NUMBERS[value] = text
    return text


class QuickCanvas(canvas.Canvas):
    """reportlab's Canvas with a few methods done more cheaply for their common case (see the module)."""

    quick = True  # off: every method is reportlab's (the tests compare both ways)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # a text's subsets and escaped bytes, as splitString gave them on this canvas (also quickdraw's)
        escape = glyphs.escaped if type(self)._escape is canvas.Canvas._escape else self._escape
        self.glyph_runs = glyphs.Runs(self._doc, escape)
        self._subset_names: dict[tuple[str, int], str] = {}

    def _plain_text(self, text: object, args: tuple, kwargs: dict[str, Any]) -> Any:
        """The TrueType font to draw ``text`` in when reportlab's text object would write only the text:
        a str, no option given (or each at its default), a bottom-up page."""
        if not self.quick or type(text) is not str or not self.bottomup:
            return None
        if args or kwargs:
            given = dict(zip(TEXT_OPTIONS, args, strict=False)) | kwargs
            if len(args) > len(TEXT_OPTIONS) or not given.keys() <= set(TEXT_OPTIONS):
                return None  # reportlab raises
            if given.get("mode") is not None or any(given[k] for k in given if k != "mode"):
                return None
        font = pdfmetrics.getFont(self._fontname)
        return font if font._dynamicFont else None

    def _text(self, font: Any, x: float, y: float, text: str) -> None:
        """``beginText(x, y)``, ``textLine(text)``, ``drawText``: one text object with one line."""
        out, subset, setting = [], -1, None
        for n, escaped in self.glyph_runs(font, text):
            if n != subset:
                if setting is None:
                    setting = f"{number(self._fontsize)} Tf {number(self._leading)} TL"
                out.append(f"{self.subset_name(font, n)} {setting}")
                subset = n
            out.append(f"({escaped}) Tj")
        self._code.append(f"BT 1 0 0 1 {number(x)} {number(y)} Tm {' '.join(out)} T* ET")

    def subset_name(self, font: Any, subset: int) -> str:
        """``font.getSubsetInternalName(subset, doc)``: reportlab's the first time (it may list the font
        in the document then), remembered after (the same name from then on)."""
        name = self._subset_names.get((font.fontName, subset))
        if name is None:
            name = self._subset_names[font.fontName, subset] = font.getSubsetInternalName(
                subset, self._doc
            )
        return name

    def drawString(self, x: float, y: float, text: str, *args: Any, **kwargs: Any) -> None:  # noqa: N802
        font = self._plain_text(text, args, kwargs)
        if font is None:
            return super().drawString(x, y, text, *args, **kwargs)
        return self._text(font, x, y, text)

    def drawRightString(self, x: float, y: float, text: str, *args: Any, **kwargs: Any) -> None:  # noqa: N802
        font = self._plain_text(text, args, kwargs)
        if font is None:
            return super().drawRightString(x, y, text, *args, **kwargs)
        return self._text(font, x - self.stringWidth(text), y, text)

    def drawCentredString(self, x: float, y: float, text: str, *args: Any, **kwargs: Any) -> None:  # noqa: N802
        font = self._plain_text(text, args, kwargs)
        if font is None:
            return super().drawCentredString(x, y, text, *args, **kwargs)
        return self._text(font, x - 0.5 * self.stringWidth(text), y, text)

    def transform(self, a: float, b: float, c: float, d: float, e: float, f: float) -> None:
        code = self._code
        if not self.quick or (code and code[-1][-3:] == " cm"):
            return super().transform(a, b, c, d, e, f)  # merged with the one before it
        if canvas.ENABLE_TRACKING:
            a0, b0, c0, d0, e0, f0 = self._currentMatrix
            self._currentMatrix = (a0 * a + c0 * b, b0 * a + d0 * b, a0 * c + c0 * d, b0 * c + d0 * d,
                                   a0 * e + c0 * f + e0, b0 * e + d0 * f + f0)  # fmt: skip
        code.append(f"{number(a)} {number(b)} {number(c)} {number(d)} {number(e)} {number(f)} cm")
        return None

    def line(self, x1: float, y1: float, x2: float, y2: float) -> None:
        if not self.quick:
            return super().line(x1, y1, x2, y2)
        self._code.append(f"n {number(x1)} {number(y1)} m {number(x2)} {number(y2)} l S")
        return None

    def rect(
        self, x: float, y: float, width: float, height: float, stroke: int = 1, fill: int = 0
    ) -> None:
        if not self.quick:
            return super().rect(x, y, width, height, stroke, fill)
        self._code.append(f"n {number(x)} {number(y)} {number(width)} {number(height)} re "
                          + canvas.PATH_OPS[stroke, fill, self._fillMode])  # fmt: skip
        return None

    def setLineWidth(self, width: float) -> None:  # noqa: N802 - reportlab's name
        if not self.quick:
            return super().setLineWidth(width)
        self._lineWidth = width
        self._code.append(f"{number(width)} w")
        return None

    def _plain_colour(self, colour: Any, alpha: Any) -> bool:
        return (
            self.quick and type(colour) is Color and alpha is None and not self._enforceColorSpace
        )

    def setFillColor(self, aColor: Any, alpha: Any = None) -> None:  # noqa: N802, N803 - reportlab's names
        if not self._plain_colour(aColor, alpha):
            return super().setFillColor(aColor, alpha)
        self._fillColorObj = aColor
        self._code.append(f"{number(aColor.red)} {number(aColor.green)} {number(aColor.blue)} rg")
        if aColor.alpha is not None:
            self.setFillAlpha(aColor.alpha)
        return None

    def setStrokeColor(self, aColor: Any, alpha: Any = None) -> None:  # noqa: N802, N803 - reportlab's names
        if not self._plain_colour(aColor, alpha):
            return super().setStrokeColor(aColor, alpha)
        self._strokeColorObj = aColor
        self._code.append(f"{number(aColor.red)} {number(aColor.green)} {number(aColor.blue)} RG")
        if aColor.alpha is not None:
            self.setStrokeAlpha(aColor.alpha)
        return None
