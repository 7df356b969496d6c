"""The house style of every handout: one font family, a few colours, named text styles.

The font is DejaVu Sans (an open licence, in resources/fonts), embedded in every
PDF so that names such as Şükrü Yılmaz, Łucja Wójcik and Nguyễn Thị Minh Khai print
exactly; reportlab's built-in fonts cannot. All text goes through ``text`` which
normalises to NFC and escapes it for reportlab's mini-markup.
"""

from __future__ import annotations

import unicodedata
import weakref
from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.platypus import Paragraph

from wijkkit.assets import resource
from wijkkit.handouts.bidi_lines import (
    FIRST_RIGHT_TO_LEFT,
    display_order,
    displayed,
    right_to_left,
    text_of,
)
from wijkkit.handouts.frags import cleaned_text, fragments
from wijkkit.handouts.quickdraw import draw as quick_draw
from wijkkit.handouts.quickwrap import wrap as quick_wrap
from wijkkit.handouts.shaping import SHAPED_PREFIX, HouseFont

FONT, BOLD, ITALIC, BOLD_ITALIC = "WijkSans", "WijkSans-Bold", "WijkSans-Italic", "WijkSans-BoldItalic"
FILES = {FONT: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf", ITALIC: "DejaVuSans-Oblique.ttf",
         BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf"}  # fmt: skip
ACCENT = colors.HexColor("#1f6f5c")
ACCENT_LIGHT = colors.HexColor("#e3efe9")
INK = colors.HexColor("#1d2b27")
MUTED = colors.HexColor("#55605c")
RULE = colors.HexColor("#c9d3cd")
MARGIN = 18 * mm
_texts: dict[str, str] = {}  # text() of texts DejaVu prints: a pack escapes the same names and dates often


@cache
def register_fonts() -> None:
    ttfonts.makeToUnicodeCMap = to_unicode_cmap
    for name, file in FILES.items():
        pdfmetrics.registerFont(HouseFont(name, str(resource("fonts", file))))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC)
    from reportlab import rl_config
    from reportlab.graphics import shapes

    rl_config.canvas_basefontname = FONT  # canvases and plain table cells start in our font, not Helvetica
    shapes.STATE_DEFAULTS["fontName"] = FONT  # and so do charts and drawings
    from reportlab.platypus import tables

    tables.CellStyle.fontname = FONT


def to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """The ToUnicode CMap of a font subset (how a reader turns its glyphs back into text), right beyond U+FFFF.

    reportlab 5.1 writes each character as ``<%04X>``: five hex digits for an emoji or
    the 𠮷 of a Japanese name, which PDF readers take as four (U+1F600 became U+1F60).
    The PDF standard wants UTF-16BE there, a surrogate pair for those characters. This
    replaces ``ttfonts.makeToUnicodeCMap`` (in ``register_fonts``), writing the same CMap otherwise;
    tests/core/test_pdf_fonts.py fails should reportlab rename or stop calling it.
    """
    return "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        f"/CIDSystemInfo\n<< /Registry ({fontname})\n/Ordering ({fontname})\n/Supplement 0\n>> def",
        f"/CMapName /{fontname} def", "/CMapType 2 def",
        f"1 begincodespacerange\n<00> <{len(subset) - 1:02X}>\nendcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{code:02X}> <{chr(value).encode('utf-16-be').hex().upper()}>" for code, value in enumerate(subset)),
        "endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end",
    ])  # fmt: skip


def clean(value: object) -> str:
    """Text as it was typed, fit to print: NFC, no control characters, in logical (reading) order.

    Right-to-left text stays in reading order here, so that a Paragraph breaks its lines
    on it and the PDF's metadata shows it as typed; ``visual_line`` gives the display
    order for text drawn straight onto a canvas, and ``Para`` orders each broken line.
    """
    text = "" if value is None else str(value)
    if text.isascii() and (text.isprintable() or text.translate(_LINE_BREAKS).isprintable()):
        return text  # most texts: already NFC, nothing to remove (line breaks and tabs stay), nothing right to left
    text = unicodedata.normalize("NFC", text)
    if not text.isprintable():  # printable means no character of category C (nor a separator but space)
        text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    return text


_LINE_BREAKS = str.maketrans("", "", "\n\t")


def shaped(text: str) -> str:
    """Arabic letters joined (arabic-reshaper), still in reading order; other text unchanged.

    reportlab draws one glyph per character without shaping, so the joined letter forms
    are chosen first, and before lines are broken: a joined form is not as wide as the letter.
    """
    if text.isascii() or max(text) < FIRST_RIGHT_TO_LEFT or not any(unicodedata.bidirectional(ch) == "AL"
                                                                   for ch in text):  # fmt: skip
        return text
    reshaper, missing = _shaping()
    return "\n".join(reshaper.reshape(line).translate(missing) for line in text.split("\n"))


@cache
def _shaping() -> tuple[object, dict[int, str]]:
    """A reshaper that uses only the ligatures our fonts have, and the letters whose joined forms they lack.

    By default arabic-reshaper joins letters into 479 ligatures, such as U+FDF2 for
    الله; DejaVu has glyphs for the 4 lam-alef ones only and would print a box for the
    rest. arabic-reshaper's ``config_for_true_type_font`` makes that check but needs
    fontTools; reportlab already holds each font's character map. DejaVu also lacks the
    joined forms of a few letters (the Urdu yeh barree and heh goal among them): those
    print as the plain letter, which is how they look standing alone, rather than as a box.
    The regular and bold faces are checked; the italic ones have no Arabic at all.
    """
    import arabic_reshaper
    from arabic_reshaper.letters import LETTERS_ARABIC
    from arabic_reshaper.ligatures import LETTERS_LIGATURES, SENTENCES_LIGATURES, WORDS_LIGATURES

    register_fonts()
    maps = [pdfmetrics.getFont(name).face.charToGlyph for name in (FONT, BOLD)]

    def has(chars: str) -> bool:
        return all(ord(ch) in cmap for ch in chars for cmap in maps)

    configuration = {name: has("".join(forms))
                     for name, (_match, forms) in (*SENTENCES_LIGATURES, *WORDS_LIGATURES, *LETTERS_LIGATURES)}
    missing = {ord(form): letter for letter, forms in LETTERS_ARABIC.items() for form in forms
               if form and not has(form) and has(letter)}  # fmt: skip
    return arabic_reshaper.ArabicReshaper(configuration=configuration), missing


def visual(text: str) -> str:
    """Arabic and Hebrew as a PDF shows them: letters joined and laid out right to left, line by line.

    reportlab lays text out left to right without shaping, so the letters are
    joined (arabic-reshaper) and put in display order (the Unicode bidi rules, as in ``Para``).
    """
    from bidi import get_base_level

    lines = shaped(text).split("\n")
    return "\n".join("".join(ch for ch, _ in display_order(line, get_base_level(line))) for line in lines)


def visual_line(value: object) -> str:
    """``clean`` text in display order, for text drawn straight onto a canvas (a header, a chart label).

    Each line is ordered on its own: only for text that is not broken into lines by
    reportlab. Paragraphs take ``text`` (reading order) and order each line they break.
    """
    value = clean(value)
    return visual(value) if right_to_left(value) else value


def text(value: object) -> str:
    """Escaped for a Paragraph, line breaks kept; in reading order (``Para`` orders each line).

    Characters DejaVu lacks (a name in Chinese or Tamil) are put in a font of this
    computer that has them (``fallback.markup``); other texts are remembered (``_texts``).
    """
    if type(value) is str and value in _texts:
        return _texts[value]
    made = shaped(clean(value))
    from wijkkit.handouts.fallback import markup, printable_in_base

    if not printable_in_base(made):  # made each time: what no font has is noted for each handout
        return markup(made).replace("\n", "<br/>")
    if len(_texts) >= 4096:
        _texts.clear()
    made = escape(made).replace("\n", "<br/>")  # what markup gives for text DejaVu prints
    if type(value) is str:
        _texts[value] = made
    return made


@cache
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=14.5, textColor=INK, spaceAfter=4)
    return {
        "body": base,
        "title": ParagraphStyle("title", base, fontName=BOLD, fontSize=22, leading=27, spaceAfter=6, textColor=ACCENT),
        "subtitle": ParagraphStyle("subtitle", base, fontSize=12, leading=16, textColor=MUTED, spaceAfter=12),
        "h1": ParagraphStyle("h1", base, fontName=BOLD, fontSize=15, leading=19, spaceBefore=10, spaceAfter=6,
                             textColor=ACCENT, keepWithNext=1),
        "h2": ParagraphStyle("h2", base, fontName=BOLD, fontSize=12, leading=16, spaceBefore=8, spaceAfter=4,
                             keepWithNext=1),
        "small": ParagraphStyle("small", base, fontSize=8.5, leading=11),
        "muted": ParagraphStyle("muted", base, fontSize=9.5, leading=13, textColor=MUTED),
        "cell": ParagraphStyle("cell", base, fontSize=9, leading=11.5, spaceAfter=0),
        "cellbold": ParagraphStyle("cellbold", base, fontName=BOLD, fontSize=9, leading=11.5, spaceAfter=0),
        "big": ParagraphStyle("big", base, fontName=BOLD, fontSize=30, leading=36, alignment=TA_CENTER,
                              textColor=ACCENT, spaceAfter=10),
        "centre": ParagraphStyle("centre", base, fontSize=14, leading=19, alignment=TA_CENTER),
    }  # fmt: skip


def shaping_variant(style: ParagraphStyle) -> ParagraphStyle:
    """``style`` with reportlab's shaping on: only for Paragraphs with a complex-script run (it is slower)."""
    if style.shaping:
        return style
    variant = _variants.get(style)
    if variant is None:
        variant = _variants[style] = ParagraphStyle(f"{style.name}-shaped", style, shaping=1)
    return variant


_variants: weakref.WeakKeyDictionary[ParagraphStyle, ParagraphStyle] = weakref.WeakKeyDictionary()


class Para(Paragraph):
    """A Paragraph that breaks its lines once for each width it is given.

    A table asks every cell for its height when it measures its rows, again when a
    row splits over a page and again when it draws; the pack lays its story out
    twice. Each time the width is the same, and nothing changes the text or style
    in between, so the lines of the last wrap are kept for that width.

    Plain or simply marked-up text skips reportlab's parser (frags.py), one plain fragment its line breaking (quickwrap.py).
    """

    def __init__(self, text: str, style: ParagraphStyle, *args: object, **kwargs: object) -> None:
        if isinstance(text, str) and SHAPED_PREFIX in text:  # a run in a font for a complex script: shape it (shaping.py)
            style = shaping_variant(style)
        if isinstance(text, str) and not args and kwargs.keys() <= {"bulletText"}:
            frags = fragments(cleaned := cleaned_text(text), style)
            if frags is not None:
                super().__init__(cleaned, style, frags=frags, **kwargs)
                return
        super().__init__(text, style, *args, **kwargs)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab's names
        kept = self.__dict__.get("_kept")
        # split() drops blPara when the paragraph cannot start on this page: wrap anew then
        if kept is not None and kept[0] == availWidth and type(kept[0]) is type(availWidth) and "blPara" in self.__dict__:
            return kept[1]
        size = quick_wrap(self, availWidth) or super().wrap(availWidth, availHeight)  # the height changes no line
        self._kept = (availWidth, size)
        return size

    def drawOn(self, canvas: object, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803 - reportlab's names
        """A plain paragraph is written straight into the page (quickdraw.py); any other as reportlab draws it."""
        if not quick_draw(self, canvas, x, y, _sW, right_to_left):
            super().drawOn(canvas, x, y, _sW)

    def drawPara(self, debug: int = 0) -> None:  # noqa: N802 - reportlab's name
        """Draws each line in display order; the lines stay in reading order for wrap and split."""
        logical = self.blPara
        if not any(right_to_left(text_of(logical.kind, line)) for line in logical.lines):
            return super().drawPara(debug)
        self.blPara = displayed(logical)
        try:
            return super().drawPara(debug)
        finally:
            self.blPara = logical


def para(value: object, style: str = "body") -> Para:
    return Para(text(value), styles()[style])


def rich(markup: str, style: str = "body") -> Para:
    """A Paragraph from markup built by the caller (who escaped every value with ``text``)."""
    return Para(markup, styles()[style])
