"""Plain paragraphs drawn straight into the page: the operators reportlab writes, without its machinery.

Most paragraphs of a handout are one run of text in one font and colour (a name, a
date, a cell of a table), one or two lines, left aligned or centred; a few have a bold
label, a coloured word or a line break, some a number as their bullet. For each,
reportlab's ``Flowable.drawOn`` and ``Paragraph.drawPara`` save and restore the canvas
state twice (a copy of 23 attributes each time), make a text object, set colours and
fonts through it and format every number anew: most of the time of a session pack's
paragraphs. ``draw`` writes the same operators into ``canvas._code`` and leaves the
canvas as reportlab leaves it, for those plain cases only. Anything else (a bullet of
markup or not at its start, a background, a border, underlines, strikes, links, rises,
images, justified text, right-to-left lines, shaping, automatic leading, a font that is
not a TrueType font, another colour model or a transparency to set) is left to reportlab.

The glyphs still go through the font's ``splitString`` (``glyphs.split``: reportlab's own
for a character not yet in a subset) and ``getSubsetInternalName`` in reportlab's order, so
subsets and their names come out the same; on a ``QuickCanvas`` each text's runs and each
subset's name are the canvas's, remembered (``glyphs.Runs``). Numbers are written with
reportlab's ``fp_str`` and text escaped as ``escapePDF`` does (a table made from it).
tests/core/test_handout_quickdraw.py draws random paragraphs both ways (on reportlab's canvas
and on a QuickCanvas) and compares the operators, the canvas and the saved PDF.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import paragraph

from wijkkit.handouts import glyphs
from wijkkit.handouts.glyphs import escaped

ALIGNED = (TA_LEFT, TA_CENTER, TA_RIGHT)
_NUMBERS: dict[float, str] = {}  # fp_str of each number met: positions repeat (columns, rows)
NUMBERS_MEMO = 10_000
Line = tuple[float, str, float | None]  # free space, text, word spacing of an overflowing line


def draw(para: Any, canvas: Canvas, x: float, y: float, s_w: float, reordered: Callable[[str], bool]) -> bool:  # fmt: skip
    """Draws ``para`` as ``para.drawOn(canvas, x, y, s_w)`` does; False, having written nothing, if not plain.

    ``reordered(text)`` says whether a line is put in display order before it is drawn
    (right-to-left text, ``Para.drawPara``): such paragraphs are left to reportlab.
    """
    bl_para = para.__dict__.get("blPara")
    if bl_para is None or not bl_para.lines or not _plain_style(para, canvas):
        return False
    one_run = bl_para.kind == 0
    plain = _plain_lines if one_run else _plain_frag_lines
    lines = plain(bl_para, canvas, reordered)
    if lines is None:
        return False
    style, first = para.style, bl_para if one_run else bl_para.lines[0]
    above = (
        first.fontSize
        if paragraph.paraFontSizeHeightOffset
        else getattr(first, "ascent", first.fontSize)
    )
    top = para.height - above
    offset = style.firstLineIndent + 0  # plus reportlab's offset of the line: 0 without images
    code = canvas._code
    code += ("q", f"1 0 0 1 {_number(para._hAlignAdjust(x, s_w))} {_number(y)} cm", "q")
    if para.bulletText:
        offset = _draw_bullet(para.bulletText, style, canvas, top, offset)
    text = ["BT", f"1 0 0 1 {_number(style.leftIndent)} {_number(top)} Tm"]
    if one_run:
        colour = bl_para.textColor
        if colour.alpha is not None:
            canvas._doc.ensureMinPdfVersion("transparency")  # as setFillAlpha does
        code.append(_rgb(colour))
        _write_lines(text, lines, style.alignment, offset, pdfmetrics.getFont(bl_para.fontName), canvas,
                     f"{_number(bl_para.fontSize)} Tf {_number(style.leading)} TL")  # fmt: skip
    else:
        _write_frag_lines(text, lines, style, offset, canvas)
    text.append("ET")
    code += (" ".join(text), "Q", "Q")
    return True


def _plain_style(para: Any, canvas: Canvas) -> bool:
    style = para.style
    return not (style.alignment not in ALIGNED or para.debug or style.backColor
                or (style.borderColor and style.borderWidth) or style.wordWrap not in (None, "LTR")
                or style.shaping or style.leading is None or style.endDots or "_offsets" in para.__dict__
                or getattr(para, "_showBoundary", None)
                or getattr(para, "autoLeading", getattr(style, "autoLeading", "")) in ("max", "min")
                or (para.bulletText and not _plain_bullet(para.bulletText, style, canvas)))  # fmt: skip


def _plain_lines(
    bl_para: Any, canvas: Canvas, reordered: Callable[[str], bool]
) -> list[Line] | None:
    """Each line's free space, text and word spacing of one run of text, or None if not plain."""
    if (getattr(bl_para, "us_lines", None) or getattr(bl_para, "link", None)
            or not _plain_colour(canvas, bl_para.textColor) or not _plain_font(bl_para.fontName)):  # fmt: skip
        return None
    lines = []
    for free, words in bl_para.lines:
        text = " ".join(words)
        if reordered(text):
            return None
        spaces = len(words) + text.count("\xa0") - 1 if free <= -1e-8 else 0
        lines.append((free, text, free / float(spaces) if spaces > 0 else None))
    return lines


def _plain_frag_lines(
    bl_para: Any, canvas: Canvas, reordered: Callable[[str], bool]
) -> list | None:
    """The lines of several runs (fonts, colours), or None if any is not plain.

    Plain runs are text in a TrueType font with a plain colour: no image, index entry,
    underline, strike, link, background or rise; and no line overflows with spaces to
    narrow (reportlab breaks such lines at long words).
    """
    for line in bl_para.lines:
        if not line.words or getattr(line, "preformatted", False):
            return None
        for frag in line.words:
            if (hasattr(frag, "cbDefn") or type(getattr(frag, "text", None)) is not str or frag.rise
                    or frag.us_lines or frag.link or getattr(frag, "backColor", None)
                    or not _plain_font(frag.fontName) or not _plain_colour(canvas, frag.textColor)):  # fmt: skip
                return None
        spaces = line.wordCount + sum(frag.text.count("\xa0") for frag in line.words) - 1
        if line.extraSpace <= -1e-8 and spaces > 0:
            return None
        if reordered("".join(frag.text for frag in line.words)):
            return None
    return bl_para.lines


def _plain_colour(canvas: Canvas, colour: object) -> bool:
    """Setting ``colour`` on a bottom-up ``canvas`` writes just its ``rg`` (no colour check, no alpha)."""
    if (
        type(colour) is not Color
        or not canvas.bottomup
        or getattr(canvas, "_enforceColorSpace", None)
    ):
        return False
    alpha = colour.alpha
    return alpha is None or (isinstance(alpha, (float, int)) and 0 <= alpha <= 1
                             and alpha == canvas._extgstate.getValue("ca"))  # fmt: skip


def _plain_font(name: str) -> bool:
    return isinstance(pdfmetrics.getFont(name), TTFont)


def _plain_bullet(bullet: object, style: Any, canvas: Canvas) -> bool:
    """A bullet of plain text at the start of the first line (``paragraph._drawBullet``)."""
    return (isinstance(bullet, str) and style.bulletAnchor == "start" and _plain_font(style.bulletFontName)
            and _plain_colour(canvas, getattr(style, "bulletColor", style.textColor)))  # fmt: skip


def _draw_bullet(bullet: str, style: Any, canvas: Canvas, top: float, offset: float) -> float:
    """The bullet's own text object, as ``paragraph._drawBullet`` writes it; the first line's new offset."""
    colour, size = getattr(style, "bulletColor", style.textColor), style.bulletFontSize
    start = style.bulletIndent - 0  # minus the bullet's width, 0 for a bullet at the start
    text = [
        "BT",
        f"1 0 0 1 {_number(start)} {_number(top + getattr(style, 'bulletOffsetY', 0))} Tm",
        _rgb(colour),
    ]
    if colour.alpha is not None:
        canvas._doc.ensureMinPdfVersion("transparency")
    font = pdfmetrics.getFont(style.bulletFontName)
    _chunks(text, bullet, font, canvas, -1, f"{_number(size)} Tf {_number(size * 1.2)} TL")
    text.append("ET")
    canvas._code.append(" ".join(text))
    end = start + canvas.stringWidth(bullet, style.bulletFontName, size) + size * 0.6
    return max(offset, end - style.leftIndent)


def _write_lines(text: list[str], lines: list[Line], alignment: int, offset: float, font: TTFont,
                 canvas: Canvas, setting: str) -> None:  # fmt: skip
    """The lines as reportlab's ``_leftDrawParaLine`` (centre, right) write them into a text object."""
    subset = -1
    for free, line, spacing in lines:
        if spacing is None:
            shift = (
                offset
                if alignment == TA_LEFT
                else offset + (0.5 * free if alignment == TA_CENTER else free)
            )
            _move(text, shift)
        else:  # an overflowing line: its spaces narrowed, as reportlab does
            shift = offset
            if alignment == TA_LEFT:
                _move(text, shift)
            text.append(f"{_number(spacing)} Tw")
            if alignment != TA_LEFT:
                _move(text, shift)
        out: list[str] = []
        subset = _chunks(out, line, font, canvas, subset, setting)
        text.append(" ".join(out) + " T*")
        if spacing is not None:
            text.append("0 Tw")
        _move(text, -shift)
        offset = 0


def _write_frag_lines(
    text: list[str], lines: list, style: Any, offset: float, canvas: Canvas
) -> None:
    """The lines as reportlab's ``_leftDrawParaLineX`` (centre, right) and ``_putFragLine`` write them."""
    alignment, leading = style.alignment, style.leading
    font_name, size, colour, subset, font, setting = None, None, None, -1, None, ""
    for number, line in enumerate(lines):
        free = line.extraSpace
        shift = (
            offset
            if alignment == TA_LEFT
            else offset + (0.5 * free if alignment == TA_CENTER else free)
        )
        _move(text, shift)
        if number == 0:  # the text object's leading, set on the first line
            text.append(f"{_number(leading)} TL")
        last = line.words[-1]
        for frag in line.words:
            if (font_name, size) != (frag.fontName, frag.fontSize):
                font_name, size, subset = frag.fontName, frag.fontSize, -1
                font, setting = (
                    pdfmetrics.getFont(font_name),
                    f"{_number(size)} Tf {_number(leading)} TL",
                )
            if colour != frag.textColor:
                colour = frag.textColor
                text.append(_rgb(colour))
                if colour.alpha is not None:
                    canvas._doc.ensureMinPdfVersion("transparency")
            out: list[str] = []
            subset = _chunks(out, frag.text, font, canvas, subset, setting)
            text.append(" ".join(out) + " T*" if frag is last else " ".join(out))
        _move(text, -shift)
        offset = 0


def _chunks(
    out: list[str], line: str, font: TTFont, canvas: Canvas, subset: int, setting: str
) -> int:
    """``PDFTextObject._formatText``: each run of glyphs of one subset, after the subset's font."""
    runs = getattr(canvas, "glyph_runs", None)
    if runs is not None:  # a QuickCanvas: each text's runs and each subset's name remembered
        for part, chunk in runs(font, line):
            if part != subset:
                out.append(f"{canvas.subset_name(font, part)} {setting}")
                subset = part
            out.append(f"({chunk}) Tj")
        return subset
    doc = canvas._doc
    escape = escaped if type(canvas)._escape is Canvas._escape else canvas._escape
    for part, chunk in glyphs.split(font, line, doc):
        if part != subset:
            out.append(f"{font.getSubsetInternalName(part, doc)} {setting}")
            subset = part
        out.append(f"({escape(chunk)}) Tj")
    return subset


def _move(text: list[str], dx: float) -> None:
    """``setXPos(tx, dx)``: reportlab's ``moveCursor``, which merges a move with the one before it."""
    if not (dx > 1e-6 or dx < -1e-6):
        return
    dy = 0
    if text[-1].endswith(" Td"):
        last = text[-1].split()
        if len(last) == 3:
            del text[-1]
        else:
            text[-1] = "".join(last[:-4])
        dx += float(last[-3])
        dy -= float(last[-2])
    text.append(f"{_number(dx)} {_number(-dy)} Td")


def _rgb(colour: Color) -> str:
    return f"{_number(colour.red)} {_number(colour.green)} {_number(colour.blue)} rg"


def _number(value: float) -> str:
    """``fp_str(value)``, remembered: reportlab's formatting is pure Python and its figures repeat."""
    text = _NUMBERS.get(value)
    if text is None:
        if len(_NUMBERS) >= NUMBERS_MEMO:
            _NUMBERS.clear()
        text = _NUMBERS[value] = fp_str(value)
    return text
