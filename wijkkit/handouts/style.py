"""The house style of every handout: one font family, a few colours, named text styles.

The font is DejaVu Sans (an open licence, in resources/fonts), embedded in every
PDF so that names such as Şükrü Yılmaz, Łucja Wójcik and Nguyễn Thị Minh Khai print
exactly; reportlab's built-in fonts cannot. All text goes through ``text`` which
normalises to NFC and escapes it for reportlab's mini-markup.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph

from wijkkit.assets import resource

FONT, BOLD, ITALIC, BOLD_ITALIC = "WijkSans", "WijkSans-Bold", "WijkSans-Italic", "WijkSans-BoldItalic"
FILES = {FONT: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf", ITALIC: "DejaVuSans-Oblique.ttf",
         BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf"}  # fmt: skip
ACCENT = colors.HexColor("#1f6f5c")
ACCENT_LIGHT = colors.HexColor("#e3efe9")
INK = colors.HexColor("#1d2b27")
MUTED = colors.HexColor("#55605c")
RULE = colors.HexColor("#c9d3cd")
MARGIN = 18 * mm


@cache
def register_fonts() -> None:
    for name, file in FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(resource("fonts", file))))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC)
    from reportlab import rl_config
    from reportlab.graphics import shapes

    rl_config.canvas_basefontname = FONT  # canvases and plain table cells start in our font, not Helvetica
    shapes.STATE_DEFAULTS["fontName"] = FONT  # and so do charts and drawings
    from reportlab.platypus import tables

    tables.CellStyle.fontname = FONT


def clean(value: object) -> str:
    """Text as it will print: NFC, no control characters, right-to-left scripts in visual order."""
    text = "" if value is None else str(value)
    if text.isascii() and text.isprintable():
        return text  # most texts: already NFC, nothing to remove, nothing right to left
    text = unicodedata.normalize("NFC", text)
    if not text.isprintable():  # printable means no character of category C (nor a separator but space)
        text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    if not text.isascii() and any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text):
        text = visual(text)
    return text


def visual(text: str) -> str:
    """Arabic and Hebrew as a PDF shows them: letters joined and laid out right to left.

    reportlab lays text out left to right without shaping, so the letters are
    joined (arabic-reshaper) and put in display order (python-bidi) first.
    """
    import arabic_reshaper
    from bidi import get_display

    return "\n".join(get_display(arabic_reshaper.reshape(line)) for line in text.split("\n"))


def text(value: object) -> str:
    """Escaped for a Paragraph, line breaks kept."""
    return escape(clean(value)).replace("\n", "<br/>")


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


class Para(Paragraph):
    """A Paragraph that breaks its lines once for each width it is given.

    A table asks every cell for its height when it measures its rows, again when a
    row splits over a page and again when it draws; the pack lays its story out
    twice. Each time the width is the same, and nothing changes the text or style
    in between, so the lines of the last wrap are kept for that width.
    """

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab's names
        kept = self.__dict__.get("_kept")
        # split() drops blPara when the paragraph cannot start on this page: wrap anew then
        if kept is not None and kept[0] == availWidth and "blPara" in self.__dict__:
            return kept[1]
        size = super().wrap(availWidth, availHeight)  # the height does not change the lines
        self._kept = (availWidth, size)
        return size


def para(value: object, style: str = "body") -> Para:
    return Para(text(value), styles()[style])


def rich(markup: str, style: str = "body") -> Para:
    """A Paragraph from markup built by the caller (who escaped every value with ``text``)."""
    return Para(markup, styles()[style])
