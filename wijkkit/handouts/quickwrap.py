"""Line breaking of a paragraph of one plain fragment, as reportlab breaks it, without its detours.

Tables ask each cell for its size, and the session pack's story is mostly short
paragraphs of one font (cells, headings, card questions): about 500 of them are broken
into lines per pack. reportlab's ``Paragraph.breakLines`` handles every case in one
loop (soft hyphens, hyphenation, long words split over lines, right-to-left text,
shaping, dots, words already split), and that generality cost more than the breaking
itself (issue 19). ``wrap`` does what ``Paragraph.wrap`` and ``breakLines`` do for the
simple case, the same sums in the same order, so every line, word list and spare width
is the same float; it returns None for anything else, and ``style.Para`` then asks
reportlab. The house font's remembered widths (``shaping.HouseFont``) are read directly
and scaled as that font scales them. tests/core/test_handout_quickwrap.py compares the
two for random texts, styles and widths, and fails should reportlab change its breaking.

The simple case: one fragment holding text (not the words of a split paragraph) with
no soft hyphen, no image, link box, background or dots; a style without ``wordWrap``,
shaping, hyphenation or ``uriWasteReduce``; no word wider than its line (reportlab
would cut it in pieces).
"""

from __future__ import annotations

from reportlab.lib.abag import ABag
from reportlab.pdfbase.pdfmetrics import getAscentDescent, getFont
from reportlab.platypus.paragraph import (
    _FUZZ,
    Paragraph,
    _handleBulletWidth,
    _shy,
    _wsc,
    _wsc_re_split,
)
from reportlab.platypus.paraparser import ParaFrag

from wijkkit.handouts.shaping import HouseFont

# a ParaFrag is an ABag: its clone is a copy of its attributes, made here without the keyword detour
_PLAIN_BAG = ParaFrag.clone is ABag.clone and ParaFrag.__init__ is ABag.__init__


def wrap(para: Paragraph, avail_width: float) -> tuple[float, float] | None:
    """``para.wrap(avail_width, ...)`` as reportlab does it for the simple case; None (and nothing set) otherwise."""
    style, frags = para.style, para.frags
    if (avail_width < _FUZZ or len(frags) != 1 or style.wordWrap or style.shaping or style.endDots
            or getattr(style, "hyphenationLang", "") or style.uriWasteReduce or style.embeddedHyphenation
            or type(para).breakLines is not Paragraph.breakLines):  # fmt: skip
        return None
    frag = frags[0]
    # a ParaFrag is no list of words (reportlab's _processed_frags) and has text, not the words of a split
    text = frag.__dict__.get("text") if type(frag) is ParaFrag else None
    if type(text) is not str or hasattr(frag, "cbDefn") or hasattr(frag, "backColor"):
        return None
    left = style.leftIndent
    widths = [
        avail_width - (left + style.firstLineIndent) - style.rightIndent,
        avail_width - left - style.rightIndent,
    ]
    text = text.strip(_wsc)  # reportlab's strip and split, for a str
    if _shy in text:
        return None
    words = (_wsc_re_split(text) if "\xa0" in text else text.split()) if text else []
    lines = _lines(para, frag, words, widths)
    if lines is None:
        return None
    lines, width_max = lines
    font_name, font_size = frag.fontName, frag.fontSize
    ascent, descent = _ascent_descent(font_name, font_size)
    changes = {
        "kind": 0,
        "lines": lines,
        "ascent": ascent,
        "descent": descent,
        "fontSize": font_size,
    }
    if _PLAIN_BAG:
        bl_para = ParaFrag.__new__(ParaFrag)
        bl_para.__dict__.update(frag.__dict__)
        bl_para.__dict__.update(changes)
    else:
        bl_para = frag.clone(**changes)
    leading = style.leading
    auto_leading = getattr(para, "autoLeading", getattr(style, "autoLeading", ""))
    if auto_leading == "max":
        leading = max(leading, ascent - descent)
    elif auto_leading == "min":
        leading = ascent - descent
    height = len(lines) * leading
    # the attributes Paragraph.wrap and breakLines set, in their order
    para.width, para._wrapWidths, para._width_max, para.height = avail_width, widths, width_max, 0
    para._splitLongWordCount = para._hyphenations = 0
    para.blPara, para.height = bl_para, height
    return avail_width, height


def _lines(
    para: Paragraph, frag: object, words: list[str], widths: list[float]
) -> tuple[list, float] | None:
    """reportlab's lines of ``words`` (spare width, words) and the widest line; None where it would split a word.

    ``widths`` loses the bullet's width on its first line, as in reportlab.
    """
    style = para.style
    _handleBulletWidth(para.bulletText, style, widths)
    if not words:
        return [], 0
    if "" in words:
        return None
    font_size, encoding = frag.fontSize, para.encoding
    font = getFont(frag.fontName)
    space = font.stringWidth(" ", font_size, encoding)
    shrink = style.spaceShrinkage * space
    split_long = style.splitLongWords
    lines: list = []
    line: list[str] = []
    current, widest, max_width, later = -space, 0, widths[0], widths[1]
    # the house font's remembered sums are read here and scaled as HouseFont.stringWidth scales them
    remembered = font._sums if type(font) is HouseFont and font.remember_widths else None
    get = remembered.get if remembered is not None else _NONE.get
    scale = 0.001 * font_size  # HouseFont: 0.001 * size * total, left to right
    for word in words:
        total = get(word)
        word_width = font.stringWidth(word, font_size, encoding) if total is None else scale * total
        new = current + space + word_width
        if new > max_width + shrink * len(line):
            if split_long and word_width > max_width:
                return None  # reportlab cuts this word over lines
            if line:
                if current > widest:
                    widest = current
                lines.append((max_width - current, line))
                line, current, max_width = [word], word_width, later
                continue
        line.append(word)
        current = new
    if current > widest:
        widest = current
    lines.append((max_width - current, line))
    return lines, widest


def _ascent_descent(font_name: str, font_size: float) -> tuple[float, float]:
    """reportlab's ``getAscentDescent``, remembered per font object and size (it looks the font up and fails over)."""
    font = getFont(font_name)
    known = _ascents.get((font_name, font_size))
    if known is None or known[0] is not font:
        known = _ascents[(font_name, font_size)] = (font, *getAscentDescent(font_name, font_size))
    return known[1], known[2]


_ascents: dict[tuple[str, float], tuple[object, float, float]] = {}
_NONE: dict[str, float] = {}
