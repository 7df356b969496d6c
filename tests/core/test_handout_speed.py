"""What makes the handouts quicker (issue 19) must give what reportlab gives.

The house font remembers string widths (``shaping.HouseFont``), plain paragraphs skip
reportlab's parser (``frags.plain_frags``), page streams are compressed without ASCII85
(``page.deflated_only``), and the progress report's short plain cells skip the clean-up.
Each is compared here with reportlab's own result; the pack's single pass is compared with
two passes in test_handout_layout.py.
"""

from __future__ import annotations

import random
from datetime import date

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph

from tests.core.pdf_text import page_texts, reader
from wijkkit.handouts import cards, pdf_bytes, progress
from wijkkit.handouts.style import (
    BOLD,
    FONT,
    ITALIC,
    Para,
    clean,
    register_fonts,
    styles,
    visual_line,
)

DEMO_TODAY = date(2026, 11, 29)
SAMPLES = ["", " ", "\n", "Henk de Vries", "  two  spaces  ", "a\nb", "line\n\n\nthree", "Şükrü Yılmaz",
           "Łucja Wójcik", "Nguyễn Thị Minh Khai", "שלום", "مرحبا", "no\u00a0break", "tab\there", "1.5 > 1 \" ' ;"]  # fmt: skip


def random_texts(count: int, alphabet: str, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 50))) for _ in range(count)]


@pytest.mark.parametrize("font", [FONT, BOLD, ITALIC])
def test_remembered_widths_are_reportlabs_widths(font):
    register_fonts()
    face = pdfmetrics.getFont(font)
    texts = SAMPLES + random_texts(400, "abc XYZ é ş 中 \xa0 ;.-'", 1) + random_texts(400, "".join(map(chr, range(32, 127))), 2)
    for value in texts:
        for size in (7.3, 8, 9, 10.5, 30):
            expected = TTFont.stringWidth(face, value, size)
            assert face.stringWidth(value, size) == expected, (value, size)
            assert face.stringWidth(value, size) == expected, (value, size)  # remembered
            assert pdfmetrics.stringWidth(value, font, size) == expected


def test_widths_can_be_reportlabs_own(monkeypatch):
    register_fonts()
    face = pdfmetrics.getFont(FONT)
    calls = []
    monkeypatch.setattr(TTFont, "stringWidth", lambda self, text, size, encoding="utf8": calls.append(text) or 1.0)
    monkeypatch.setattr(type(face), "remember_widths", False)
    assert face.stringWidth("Henk", 9) == 1.0 and calls == ["Henk"]


def paragraph_styles() -> dict[str, ParagraphStyle]:
    found = dict(styles())
    found["fitted"] = ParagraphStyle("fithead", styles()["cellbold"], fontSize=7.5, leading=9)
    for size in cards.SIZES:
        found |= {f"card-{name}-{size}": style for name, style in cards._styles(size).items()}
    return found


@pytest.mark.parametrize("bullet", [None, "3."])
def test_plain_paragraphs_are_what_reportlab_parses(bullet):
    texts = SAMPLES + random_texts(300, "abc XYZ\n\t  é ş ğ 中 \xa0 > \" ' ; 1.5 - ", 3)
    for name, style in paragraph_styles().items():
        for value in texts:
            ours = Para(value, style, bulletText=bullet) if bullet else Para(value, style)
            theirs = Paragraph(value, style, bulletText=bullet)
            assert [f.__dict__ for f in ours.frags] == [f.__dict__ for f in theirs.frags], (name, value)
            assert (ours.text, ours.style, ours.bulletText) == (theirs.text, theirs.style, theirs.bulletText)
            for width in (40, 150, 400):
                assert ours.wrap(width, 1000) == theirs.wrap(width, 1000), (name, value, width)
                assert ours.blPara.lines == theirs.blPara.lines


def test_plain_fragments_do_not_share_their_lists():
    first, second = Para("Henk", styles()["body"]), Para("Anna", styles()["body"])
    assert first.frags[0].link is not second.frags[0].link
    assert first.frags[0].us_lines is not second.frags[0].us_lines


def test_markup_still_goes_through_the_parser():
    made = Para("<b>Henk</b> &amp; Anna", styles()["body"])
    assert [f.text for f in made.frags] == [f.text for f in Paragraph("<b>Henk</b> &amp; Anna", styles()["body"]).frags]
    assert made.frags[0].fontName == BOLD


def test_page_streams_are_deflated_without_ascii85(demo_kit):
    held = next(s.id for s in demo_kit.sessions.list() if s.status == "held")
    data = pdf_bytes("agreements", demo_kit, held, DEMO_TODAY)
    pdf = reader(data)  # strict: the file is well formed
    for page in pdf.pages:
        contents = page["/Contents"].get_object()
        assert contents["/Filter"] in ("/FlateDecode", ["/FlateDecode"])
        assert b"BT" in contents.get_data()
    assert any("Afspraken" in text or "Agreements" in text for text in page_texts(data))


@pytest.mark.parametrize("value", ["Koffieochtend 12", "Welzijn Veldhorst", "x" * 200, "a b " * 40, "Şükrü",
                                   "line\nbreak", "", "bell\x07", 12, None])  # fmt: skip
def test_a_short_plain_cell_is_what_the_long_way_gives(value):
    width = 30 * 2.83465 - 12
    made = progress.wrapped(value, width, FONT)
    if isinstance(value, str) and value.isascii() and value.isprintable() and \
            pdfmetrics.stringWidth(value, FONT, progress.SMALL) <= width:  # fmt: skip
        assert made == visual_line(clean(value)) == value
    else:  # broken into lines, or cleaned, as before
        assert isinstance(made, str) and all(pdfmetrics.stringWidth(line, FONT, progress.SMALL) <= width + 1e-6
                                             for line in made.split("\n") if " " in line)  # fmt: skip


def test_no_character_before_the_hebrew_block_is_right_to_left():
    """``style.right_to_left`` and ``style.shaped`` look no further for text below FIRST_RIGHT_TO_LEFT."""
    import unicodedata

    from wijkkit.handouts.style import FIRST_RIGHT_TO_LEFT, right_to_left, shaped

    assert not [hex(code) for code in range(ord(FIRST_RIGHT_TO_LEFT))
                if unicodedata.bidirectional(chr(code)) in ("R", "AL")]  # fmt: skip
    assert right_to_left("Şükrü \u05e9") and not right_to_left("Şükrü Yılmaz")
    assert shaped("Nguyễn") == "Nguyễn" and shaped("مرحبا") != "مرحبا"
