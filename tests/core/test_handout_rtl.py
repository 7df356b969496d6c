"""Hebrew and Arabic on handouts: joined only into glyphs the font has, and wrapped in reading order.

arabic-reshaper joins الله into the ligature U+FDF2 by default, which DejaVu has no
glyph for (a box on the sign-in sheet); only the ligatures the font has may be used.
A long right-to-left text is broken into lines in reading order and each line is then
put in display order, so the first words come on the first line; the PDF's title
(metadata, shown by viewers with their own bidi) stays as typed.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from datetime import date

import pytest
from reportlab.pdfbase import pdfmetrics

from tests.core.pdf_text import page_texts, reader
from tests.portable import needs_tool
from wijkkit import i18n
from wijkkit.handouts import pdf_bytes
from wijkkit.handouts.style import (
    BOLD,
    FONT,
    Para,
    clean,
    displayed,
    register_fonts,
    shaped,
    styles,
    text,
    visual_line,
)
from wijkkit.kit import Kit

ALLAH = "عبد الله"
HEBREW = "אגודת הדיירים של שכונת הפרחים הצפונית והמרכזית בעיר אמסטרדם"  # tenants' association ... Amsterdam
TITLE = "ערב שכונה אסוויח"


def arabic(ch: str) -> bool:
    return 0x0600 <= ord(ch) <= 0x06FF or 0xFB50 <= ord(ch) <= 0xFDFF or 0xFE70 <= ord(ch) <= 0xFEFF


@pytest.fixture(scope="module")
def pdfs():
    from reportlab import rl_config

    was, rl_config.invariant = rl_config.invariant, 1
    i18n.set_language("nl")
    try:
        with Kit.memory() as kit:
            meeting = kit.sessions.add(TITLE, "2026-11-10T19:30", "2026-11-10T22:00", status="held")
            person = kit.people.add(ALLAH, consent_share=1, organisation=HEBREW)
            kit.attendance.mark(meeting, person, table_no=1)
            kit.agreements.add(HEBREW, meeting, owner_person_id=person)
            yield {kind: pdf_bytes(kind, kit, meeting, date(2026, 11, 29)) for kind in ("signin", "agreements")}
    finally:
        rl_config.invariant = was


@pytest.mark.parametrize("kind", ["signin", "agreements"])
def test_allah_prints_with_glyphs_the_font_has(pdfs, kind):
    register_fonts()
    cmap = pdfmetrics.getFont(FONT).face.charToGlyph
    drawn = "".join(page_texts(pdfs[kind]))
    assert "\ufdf2" not in drawn
    missing = {f"U+{ord(ch):04X}" for ch in drawn if arabic(ch) and ord(ch) not in cmap}
    assert not missing, f"{kind} draws Arabic characters the font has no glyph for: {sorted(missing)}"
    assert ALLAH in unicodedata.normalize("NFKC", drawn)  # joined forms fold back to the typed letters


def test_the_reshaper_uses_only_ligatures_the_fonts_have():
    register_fonts()
    joined = shaped(ALLAH + " لا " + "بسم الله الرحمن الرحيم")
    assert "\ufefb" in joined  # lam-alef: DejaVu has it, and it is required in Arabic
    for font in (FONT, BOLD):
        cmap = pdfmetrics.getFont(font).face.charToGlyph
        assert all(ord(ch) in cmap for ch in joined if not ch.isspace()), font


@needs_tool(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) is not installed; CI installs it")
@pytest.mark.parametrize("kind", ["signin", "agreements"])
def test_a_wrapped_hebrew_text_reads_in_order_line_after_line(pdfs, kind, tmp_path):
    """poppler's pdftotext reads each line drawn right to left back in reading order (between
    U+202B and U+202C marks): the words of the wrapped text come out as typed, the first ones on
    the first line; a word drawn in the wrong order comes out reversed and is not found."""
    path = tmp_path / f"{kind}.pdf"
    path.write_bytes(pdfs[kind])
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    lines = result.stdout.decode("utf-8").translate({0x202A: " ", 0x202B: " ", 0x202C: " "}).splitlines()
    wanted = HEBREW.split()
    found = [(n, word) for n, line in enumerate(lines) for word in line.split() if word in wanted]
    assert [word for _n, word in found] == wanted, lines
    assert len({n for n, _word in found}) > 1  # it did wrap


def line_words(paragraph: Para, width: float) -> list[list[str]]:
    """Each line as drawn (display order), its words read back in reading order."""
    paragraph.wrap(width, 1000)
    lines = displayed(paragraph.blPara).lines
    if paragraph.blPara.kind == 0:
        return [[word[::-1] for word in reversed(words)] for _extra, words in lines]
    shown = ["".join(f.text for f in line.words) for line in lines]
    return [[word[::-1] for word in reversed(line.split())] for line in shown]


@pytest.mark.parametrize("markup", [text(HEBREW), f"<b>{text(HEBREW.split()[0])}</b> {text(HEBREW.split(' ', 1)[1])}"])
def test_a_paragraph_breaks_in_reading_order_and_shows_each_line_right_to_left(markup):
    lines = line_words(Para(markup, styles()["cell"]), 90)
    assert len(lines) > 2
    assert [word for line in lines for word in line] == HEBREW.split()  # every line in order, each read right to left


def test_the_broken_lines_stay_in_reading_order_for_a_split_over_pages():
    paragraph = Para(text(HEBREW), styles()["cell"])
    paragraph.wrap(90, 1000)
    assert paragraph.blPara.lines[0][1] == HEBREW.split()[: len(paragraph.blPara.lines[0][1])]


def test_a_latin_word_in_a_hebrew_paragraph_keeps_the_line_right_to_left():
    mixed = "אגודת הדיירים Noord 12 של שכונת הפרחים"
    paragraph = Para(text(mixed), styles()["cell"])
    paragraph.wrap(1000, 1000)
    (_extra, words), = displayed(paragraph.blPara).lines
    assert " ".join(words) == "םיחרפה תנוכש לש Noord 12 םיריידה תדוגא"


def test_brackets_in_right_to_left_text_are_mirrored():
    paragraph = Para(text("שלום (עולם)"), styles()["cell"])
    paragraph.wrap(1000, 1000)
    (_extra, words), = displayed(paragraph.blPara).lines
    assert " ".join(words) == "(םלוע) םולש" == visual_line("שלום (עולם)")


def test_text_drawn_straight_on_the_page_is_in_display_order_and_the_title_as_typed(pdfs):
    assert clean(TITLE) == TITLE and clean(clean(TITLE)) == TITLE  # reading order, and the same again
    assert visual_line(f"Presentielijst – {TITLE}") == f"Presentielijst – {TITLE[::-1]}"
    assert visual_line("Henk de Vries") == "Henk de Vries"
    assert reader(pdfs["signin"]).metadata.title == f"Presentielijst – {TITLE}"


def test_brackets_around_latin_in_a_hebrew_line_pair_up(monkeypatch):
    """UAX #9 pairs brackets (N0): "(Esweg)" stays one piece in a Hebrew title; should python-bidi's
    compiled levels be unreadable, its pure Python algorithm still orders the line (without N0)."""
    from wijkkit.handouts import bidi_lines

    title = "ערב שכונה (Esweg) 2026"
    assert visual_line(title) == "2026 (Esweg) הנוכש ברע"
    monkeypatch.setattr(bidi_lines, "_levels", lambda line, base: None)
    assert visual_line(title) == "Esweg) 2026) הנוכש ברע"
    assert visual_line("שלום (עולם)") == "(םלוע) םולש"
