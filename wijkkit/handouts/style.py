"""The house style of every handout: one font family, a few colours, named text styles.

The font is DejaVu Sans (an open licence, in resources/fonts), embedded in every
PDF so that names such as Şükrü Yılmaz, Łucja Wójcik and Nguyễn Thị Minh Khai print
exactly; reportlab's built-in fonts cannot. All text goes through ``text`` which
normalises to NFC and escapes it for reportlab's mini-markup.
"""

from __future__ import annotations

import copy
import re
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
from reportlab.platypus.paragraph import cleanBlockQuotedText

from wijkkit.assets import resource
from wijkkit.handouts.frags import plain_frags
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


FIRST_RIGHT_TO_LEFT = "\u0590"  # no character before the Hebrew block is right to left (R or AL): tested


def right_to_left(text: str) -> bool:
    """Whether ``text`` holds a Hebrew or Arabic letter (or a joined Arabic letter form)."""
    return not (text.isascii() or max(text) < FIRST_RIGHT_TO_LEFT) and \
        any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)  # fmt: skip


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
    return "\n".join("".join(ch for ch, _ in _display_order(line, get_base_level(line))) for line in lines)


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
    computer that has them (``fallback.markup``).
    """
    value = shaped(clean(value))
    if value.isascii():
        return escape(value).replace("\n", "<br/>")
    from wijkkit.handouts.fallback import markup

    return markup(value).replace("\n", "<br/>")


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

    Text without markup skips reportlab's parser (frags.py).
    """

    def __init__(self, text: str, style: ParagraphStyle, *args: object, **kwargs: object) -> None:
        if isinstance(text, str) and SHAPED_PREFIX in text:  # a run in a font for a complex script: shape it (shaping.py)
            style = shaping_variant(style)
        if isinstance(text, str) and not args and kwargs.keys() <= {"bulletText"} and "<" not in text \
                and "&" not in text:  # fmt: skip
            text = cleanBlockQuotedText(text)
            frags = plain_frags(text, style)
            if frags is not None:
                super().__init__(text, style, frags=frags, **kwargs)
                return
        super().__init__(text, style, *args, **kwargs)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab's names
        kept = self.__dict__.get("_kept")
        # split() drops blPara when the paragraph cannot start on this page: wrap anew then
        if kept is not None and kept[0] == availWidth and "blPara" in self.__dict__:
            return kept[1]
        size = super().wrap(availWidth, availHeight)  # the height does not change the lines
        self._kept = (availWidth, size)
        return size

    def drawPara(self, debug: int = 0) -> None:  # noqa: N802 - reportlab's name
        """Draws each line in display order; the lines stay in reading order for wrap and split."""
        logical = self.blPara
        if not any(right_to_left(_text_of(logical.kind, line)) for line in logical.lines):
            return super().drawPara(debug)
        self.blPara = displayed(logical)
        try:
            return super().drawPara(debug)
        finally:
            self.blPara = logical


def displayed(blPara):  # noqa: ANN001, ANN201, N803 - reportlab's untyped ABag
    """A copy of broken lines (reportlab's ``blPara``) with each line put in display order.

    The lines were broken on the text in reading order, so the first words come on the
    first line; now each line is reordered (Unicode bidi rules, python-bidi). The base
    direction is that of the first strong letter of the paragraph, or of the part after a
    ``<br/>``: a Hebrew name that wraps to a line starting with a Latin word stays right to left.
    """
    from bidi import get_base_level

    lines, out, base = blPara.lines, [], None
    for line in lines:
        if blPara.kind == 0:
            words = list(line[1])
            chars = [(ch, 0) for ch in " ".join(words)]
        elif any(getattr(f, "cbDefn", None) is not None or not hasattr(f, "text") for f in line.words):
            out.append(line)  # an image or an index entry: left as it is
            continue
        else:
            chars = [(ch, n) for n, f in enumerate(line.words) for ch in f.text]
        line_text = "".join(ch for ch, _ in chars)
        if base is None:
            first = "".join(_text_of(blPara.kind, later) for later in lines[len(out):])
            base = get_base_level(first) if right_to_left(first) else 0
        if right_to_left(line_text) or base:
            order = _display_order(line_text, base)
            if blPara.kind == 0:
                line = (line[0], "".join(ch for ch, _ in order).split(" "))
            else:
                line = line.clone(words=_regrouped(line.words, [(ch, chars[i][1]) for ch, i in order]))
        out.append(line)
        if blPara.kind != 0 and getattr(out[-1], "lineBreak", False):
            base = None  # a <br/>: the next part has its own direction
    return blPara.clone(lines=out)


def _text_of(kind: int, line: object) -> str:
    return " ".join(line[1]) if kind == 0 else "".join(getattr(f, "text", "") for f in line.words)  # type: ignore[index,attr-defined]


def _regrouped(frags: list, order: list[tuple[str, int]]) -> list:
    """Runs of characters from the same fragment (font, colour) become one fragment each."""
    out: list = []
    for ch, n in order:
        if out and out[-1][0] == n:
            out[-1][1].append(ch)
        else:
            out.append((n, [ch]))
    regrouped = []
    for n, chars in out:
        frag = copy.copy(frags[n])
        frag.text = "".join(chars)
        regrouped.append(frag)
    return regrouped


def _display_order(line: str, base: int) -> list[tuple[str, int]]:
    """Each character of one line in display order with its index in ``line`` (mirrored if need be).

    The embedding levels come from python-bidi's compiled Unicode bidi algorithm (it
    pairs brackets, UAX #9 N0, as its pure Python one does not): ``get_display`` gives only
    the reordered string without mirroring brackets, so "(عربي)" would print as ")عربي(",
    and a line of several fragments needs to know where each character came from. So
    the levels are read from its debug output and the line is reordered here (UAX #9
    L1, L2 and L4). Should that output change shape, the pure Python algorithm is used.
    """
    levels = _levels(line, base)
    if levels is None:
        return _display_order_python(line, base)
    for n in range(len(line) - 1, -1, -1):  # L1: whitespace at the end of the line takes the base level
        if unicodedata.bidirectional(line[n]) not in ("WS", "BN", "S", "LRI", "RLI", "FSI", "PDI"):
            break
        levels[n] = base
    order = list(range(len(line)))
    highest, lowest_odd = max(levels, default=0), min((lv for lv in levels if lv % 2), default=None)
    for level in range(highest, (lowest_odd or highest + 1) - 1, -1):  # L2
        n = 0
        while n < len(order):
            if levels[order[n]] >= level:
                end = n
                while end < len(order) and levels[order[end]] >= level:
                    end += 1
                order[n:end] = order[n:end][::-1]
                n = end
            else:
                n += 1
    from bidi.mirror import MIRRORED

    return [(MIRRORED.get(line[i], line[i]) if levels[i] % 2 else line[i], i) for i in order]  # L4


_LEVEL = re.compile(r"Level\(\s*(\d+),?\s*\)")


def _levels(line: str, base: int) -> list[int] | None:
    """The resolved embedding level of each character of ``line``, or None if they cannot be read."""
    from bidi.bidi import get_display_inner

    try:
        info = get_display_inner(line, "LR"[base], True)
        levels = [int(level) for level in _LEVEL.findall(info.split("levels:", 1)[1].split("]", 1)[0])]
    except (IndexError, ValueError, TypeError):
        return None
    if len(levels) != len(line.encode("utf-8")):  # one level for each byte of the UTF-8 text
        return None
    by_char, offset = [], 0
    for ch in line:
        by_char.append(levels[offset])
        offset += len(ch.encode("utf-8"))
    return by_char


def _display_order_python(line: str, base: int) -> list[tuple[str, int]]:
    """As ``_display_order`` with python-bidi's pure Python algorithm (no bracket pairs)."""
    from bidi import algorithm as uba

    storage = uba.get_empty_storage()
    storage["base_level"], storage["base_dir"] = base, ("L", "R")[base]
    uba.get_embedding_levels(line, storage)
    for index, ch in enumerate(storage["chars"]):
        ch["index"] = index
    uba.explicit_embed_and_overrides(storage, False)
    uba.resolve_weak_types(storage, False)
    uba.resolve_neutral_types(storage, False)
    uba.resolve_implicit_levels(storage, False)
    uba.reorder_resolved_levels(storage, False)
    uba.apply_mirroring(storage, False)
    return [(ch["ch"], ch["index"]) for ch in storage["chars"]]


def para(value: object, style: str = "body") -> Para:
    return Para(text(value), styles()[style])


def rich(markup: str, style: str = "body") -> Para:
    """A Paragraph from markup built by the caller (who escaped every value with ``text``)."""
    return Para(markup, styles()[style])
