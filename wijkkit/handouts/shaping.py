"""Devanagari, Tamil, Thai and their neighbours printed as a typesetter would: shaped, and searchable as typed.

In these scripts letters are not printed one glyph each: प्रिया needs a conjunct
and a vowel sign placed before the consonant it follows in the text, and Thai tone
marks sit above other marks. reportlab draws one glyph per character; it can place
shaped glyphs (``ttfonts.ShapedStr``) but shapes only with uharfbuzz, which the
bundle has no room for. Qt has HarfBuzz inside already, but the core never imports
Qt, so the app and the launcher hand in a shaper (``wijkkit.handouts.use_shaper``,
ui/shaping.py): text, font file and face in, glyph ids and positions out. Without
one (plain library use) these scripts print unshaped: every letter legible and in
order, the text layer exact.

A shaped word's glyphs no longer say which letters they are, so each shaped run is
wrapped in the PDF's /ActualText (``Logical``): readers copy and search the name as
typed. Two reportlab 5.1 functions are wrapped for this, ``paragraph.shapeFragWord``
(called per word of a Paragraph whose style shapes) and
``PDFTextObject._formatText``; tests/ui/test_handout_shaping.py fails should either change.
Only runs in a font of ``fallback`` with these scripts are shaped: DejaVu's own
text (Arabic included, joined by arabic-reshaper) is drawn as before.
"""

from __future__ import annotations

import threading
import unicodedata
from functools import cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr, TTFont
from reportlab.pdfgen import textobject
from reportlab.platypus import paragraph

# Unicode blocks of scripts whose letters change shape or place with their neighbours (Arabic and
# Hebrew aside: DejaVu has them, arabic-reshaper joins Arabic and style.py orders right-to-left lines)
COMPLEX = ((0x0900, 0x0DFF), (0x0E00, 0x0EFF), (0x0F00, 0x0FFF), (0x1000, 0x109F), (0x1780, 0x17FF),
           (0xA8E0, 0xA8FF), (0x11000, 0x1107F))  # fmt: skip
SHAPED_PREFIX = "WijkShaped"  # the reportlab names of fallback fonts whose runs are shaped
_lock = threading.Lock()  # adding private-use glyph codes to a font changes reportlab's shared face


def complex_script(text: str) -> bool:
    return any(first <= ord(ch) <= last for ch in text for first, last in COMPLEX)


class ShapedFont(TTFont):
    """A fallback font for complex scripts: reportlab draws a ``ShapedStr`` in it glyph by glyph."""

    shapable = True  # reportlab's TTFont says so only when uharfbuzz is installed

    def __init__(self, name: str, path: str, index: int = 0) -> None:
        super().__init__(name, path, subfontIndex=index)
        self.path, self.index = path, index


class HouseFont(TTFont):
    """DejaVu, registered so that a Paragraph with ``shaping`` set accepts it as its style's font.

    Its ``stringWidth`` is reportlab's, remembered per text: a progress report measures
    about 12,000 strings, most of them twice (once to wrap a cell, once when reportlab
    draws it) and many of them the same (dates, statuses, neighbourhoods, header words).
    The sum of the glyph widths at 1 point is kept (``WIDTH_MEMO`` texts per face at most,
    then forgotten at once); it is made as reportlab makes it (ASCII quicker: a list by byte
    instead of the face's dict by code point, the same widths in the same order) and scaled
    as reportlab scales it, so the width is the same float (tests/core/test_handout_speed.py).
    ``remember_widths`` off gives reportlab's own function (bench/handouts.py's floor: reportlab
    shares one font object per face, so plain reportlab in DejaVu Sans is drawn in this one).
    """

    shapable = True
    remember_widths = True
    _sums: dict[str, float] | None = None
    _ascii_widths: list[float] | None = None

    def stringWidth(self, text: str, size: float, encoding: str = "utf8") -> float:  # noqa: N802 - reportlab's name
        if not self.remember_widths:
            return super().stringWidth(text, size, encoding)
        sums = self._sums
        if sums is None:
            face = self.face
            self._ascii_widths = [face.charWidths.get(code, face.defaultWidth) for code in range(128)]
            sums = self._sums = {}
        total = sums.get(text) if isinstance(text, str) else None
        if total is None:
            if not isinstance(text, str):
                return super().stringWidth(text, size, encoding)
            if text.isascii():
                total = sum(map(self._ascii_widths.__getitem__, text.encode("ascii")))
            else:
                get, default = self.face.charWidths.get, self.face.defaultWidth
                total = sum(get(ord(ch), default) for ch in text)
            if len(sums) >= WIDTH_MEMO:
                sums.clear()
            sums[text] = total
        return 0.001 * size * total


WIDTH_MEMO = 20_000


class Logical(ShapedStr):
    """Shaped glyphs that know the text they came from; drawn inside /ActualText (``_format_text``).

    reportlab joins the words of a line with ``+``: the text travels along.
    """

    logical = ""

    @classmethod
    def of(cls, shaped: ShapedStr, logical: str) -> Logical:
        made = cls(str(shaped), shaped.__shapeData__)
        made.logical = logical
        return made

    def __add__(self, other: str) -> Logical:
        return Logical.of(ShapedStr.__add__(self, other), self.logical + getattr(other, "logical", str(other)))

    def __radd__(self, other: str) -> Logical:
        return Logical.of(ShapedStr.__radd__(self, other), getattr(other, "logical", str(other)) + self.logical)


def shape(text: str, font_name: str) -> tuple[ShapedStr, float] | None:
    """``text`` shaped in the registered ShapedFont ``font_name``, with its width at 1 pt; None without a shaper."""
    from wijkkit.handouts import current_shaper

    shaper = current_shaper()
    font = pdfmetrics.getFont(font_name)
    if shaper is None or not isinstance(font, ShapedFont):
        return None
    try:
        glyphs = shaper(text, font.path, font.index)
    except Exception:  # noqa: BLE001 - a shaper that fails leaves the text unshaped, never unprinted
        return None
    if not glyphs:
        return None
    positions, width = glyphs
    chars, data = [], []
    face = font.face
    with _lock:
        for cluster, (glyph, x, y) in enumerate(positions):
            following = positions[cluster + 1][1] if cluster + 1 < len(positions) else width
            advance = following - x
            ch = _char_for(font, glyph, advance)
            chars.append(ch)
            data.append(ShapeData(cluster, advance, 0, 0, y, face.charWidths[ord(ch)]))
    return Logical.of(ShapedStr("".join(chars), shapeData=data), text), width / 1000


def _char_for(font: ShapedFont, glyph: int, advance: float) -> str:
    """A character reportlab subsets to ``glyph``: its own, else a private-use one (as reportlab does with uharfbuzz)."""
    face = font.face
    own = face.glyphToChar.get(glyph)
    if own:
        return chr(own[0])
    code = getattr(font, "_next_private", 0xF0000)  # plane 15, private use: in no name
    while code in face.charToGlyph:
        code += 1
    font._next_private = code + 1
    face.charToGlyph[code] = glyph
    face.glyphToChar.setdefault(glyph, []).append(code)
    face.charWidths[code] = advance
    return chr(code)


def shape_frag_word(word: list, *args: object, **kwargs: object) -> list:
    """A word of a Paragraph (``[width, (frag, text), ...]``) with its runs in a ShapedFont shaped."""
    if not any(getattr(f, "fontName", "").startswith(SHAPED_PREFIX) for f, _text in word[1:]):
        return _original_shape_frag_word(word, *args, **kwargs)
    new = word.__class__([0])
    for frag, text in word[1:]:
        shaped = None
        if (text and not isinstance(text, ShapedStr) and getattr(frag, "fontName", "").startswith(SHAPED_PREFIX)
                and complex_script(text)):
            shaped = shape(text, frag.fontName)
        if shaped is None:
            new[0] += pdfmetrics.stringWidth(text, frag.fontName, frag.fontSize) if hasattr(frag, "fontName") \
                else getattr(frag, "width", 0)  # fmt: skip
            new.append((frag, text))
        else:
            new[0] += shaped[1] * frag.fontSize
            new.append((frag, shaped[0]))
    return new


def _format_text(self, text: str) -> str:  # noqa: ANN001 - reportlab's text object
    code = _original_format_text(self, text)
    if isinstance(text, Logical) and text.logical:
        actual = unicodedata.normalize("NFC", text.logical).encode("utf-16-be").hex().upper()
        return f"/Span <</ActualText <FEFF{actual}>>> BDC {code} EMC"
    return code


_original_shape_frag_word = paragraph.shapeFragWord
_original_format_text = textobject.PDFTextObject._formatText


@cache
def patch_reportlab() -> None:
    """Wraps the two reportlab functions (once): Paragraph words and drawn text, see the module's docstring."""
    paragraph.shapeFragWord = shape_frag_word
    textobject.PDFTextObject._formatText = _format_text
