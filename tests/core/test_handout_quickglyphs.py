"""A TrueType font's texts split into subsets without reportlab's loop (``handouts.glyphs``) must split as reportlab does.

Two documents get the same history of texts (ASCII, Latin-1 with its no-break space,
Greek, Cyrillic, Hebrew, CJK, emoji, characters the font lacks, and enough different
characters to pass the 256 codes of the first subset): one split by reportlab's
``splitString``, the other by ``glyphs.split``, ``glyphs.Runs`` and now and then reportlab's
own (as reportlab's text objects do in a real document). After every text the results and
the font's state for each document (its codes, subsets, next code) must be the same.
Paragraphs past the first subset are drawn both ways, and the question cards (their styles
and footers now made once) are pinned against the drawing from before.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reportlab import rl_config
from reportlab.lib.rl_accel import escapePDF
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFDocument
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from wijkkit.assets import resource
from wijkkit.handouts import cards, glyphs
from wijkkit.handouts.cards import Card, CardSheet
from wijkkit.handouts.quickcanvas import QuickCanvas
from wijkkit.handouts.style import BOLD, FILES, FONT, Para, register_fonts, styles

register_fonts()
HOUSE = pdfmetrics.getFont(FONT)
IN_FONT = [chr(code) for code in sorted(HOUSE.face.charToGlyph)]  # about 6,000: many subsets
COMMON = ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:-'!?()\\%&<>\"\t\n"
          "\xa0\xa0éèëêáäóöüçñßøåæœ©«»µ¿×÷ŁłŚśŞşİıĞğŐőễịảươđαβγΩабвЯאבגשלום")  # fmt: skip
MISSING = "中文字漢🎉🙏\ue000\U0010fffd\x01\ufffe"  # none of these is in DejaVu Sans


def _private(name: str, ascii_readable: bool) -> TTFont:
    """A font object of its own (its face may be changed) from the house font's file."""
    return TTFont(name, str(resource("fonts", FILES[FONT])), asciiReadable=ascii_readable)


assert not any(ord(c) in HOUSE.face.charToGlyph for c in MISSING)
UNREADABLE = _private("QuickGlyphsUnreadable", ascii_readable=False)  # codes from 1 up, ASCII too

characters = st.one_of(
    st.sampled_from(COMMON), st.sampled_from(IN_FONT), st.sampled_from(MISSING),
    st.characters(codec="utf-8"),
)  # fmt: skip
texts = st.text(characters, max_size=40)
WAYS = ("split", "runs", "reportlab")


@pytest.fixture
def _invariant(monkeypatch):
    monkeypatch.setattr(rl_config, "invariant", 1)


def state_of(font: TTFont, doc: PDFDocument) -> tuple | None:
    state = font.state.get(doc)
    if state is None:
        return None
    return (dict(state.assignments), [list(s) for s in state.subsets], state.nextCode,
            state.internalName, state.frozen)  # fmt: skip


def compare(history: list[tuple[TTFont, str]], ways: list[str]) -> None:
    slow, quick = PDFDocument(), PDFDocument()
    runs = glyphs.Runs(quick, escapePDF)
    for n, (font, text) in enumerate(history):
        expected = font.splitString(text, slow)
        way = ways[n % len(ways)] if ways else "split"
        if way == "split":
            assert glyphs.split(font, text, quick) == expected, text
        elif way == "runs":
            assert runs(font, text) == [(part, escapePDF(chunk)) for part, chunk in expected], text
            assert runs(font, text) == [(part, escapePDF(chunk)) for part, chunk in expected], text
        else:
            assert font.splitString(text, quick) == expected, text
        for each in FONTS:
            assert state_of(each, quick) == state_of(each, slow)


FONTS = (HOUSE, pdfmetrics.getFont(BOLD), UNREADABLE)


@st.composite
def histories(draw: st.DrawFn) -> list[tuple[TTFont, str]]:
    """Texts in the three fonts, some of them drawn again in the same font or another."""
    pool = draw(st.lists(texts, min_size=1, max_size=12))
    return draw(st.lists(st.tuples(st.sampled_from(FONTS), st.sampled_from(pool)), max_size=30))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories(), st.lists(st.sampled_from(WAYS), max_size=6))
def test_texts_split_as_reportlab_splits_them(history, ways):
    compare(history, ways)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(st.sampled_from(IN_FONT), min_size=20, max_size=60), min_size=5, max_size=15),
       st.lists(texts, max_size=30), st.sampled_from(FONTS))  # fmt: skip
def test_past_the_first_subset(many, history, font):
    """Hundreds of different characters first (several subsets), then texts that mix them."""
    texts = many + history + many
    compare([(font, text) for text in texts], ["split", "runs", "split", "reportlab"])


def test_known_characters_are_split_without_reportlab():
    """Once its characters have codes (in several subsets), a text is split by the table alone;
    a font class with its own ``splitString`` is always left to it."""
    font = _private("QuickGlyphsCounted", ascii_readable=True)
    text = "".join(IN_FONT[:700:3]) + " \xa0 plain"
    slow, quick = PDFDocument(), PDFDocument()
    expected = font.splitString(text, slow)
    assert len({part for part, _ in expected}) >= 2
    assert glyphs.split(font, text, quick) == expected
    calls = []
    font.splitString = lambda *args: calls.append(args) or TTFont.splitString(font, *args)
    for each in (text, text[::-1], text[5:300], "plain\xa0"):
        assert glyphs.split(font, each, quick) == TTFont.splitString(font, each, slow)
    assert glyphs.Runs(quick, escapePDF)(font, text[::2]) == [
        (part, escapePDF(chunk)) for part, chunk in TTFont.splitString(font, text[::2], slow)
    ]
    assert calls == []
    new = IN_FONT[1001]  # not among the characters so far
    assert glyphs.split(font, new, quick) == TTFont.splitString(font, new, slow)
    assert len(calls) == 1  # a new character: reportlab places it

    class Own(TTFont):
        def splitString(self, text, doc, encoding="utf-8"):  # noqa: N802 - reportlab's name
            return [(0, b"own")]

    own = object.__new__(Own)
    own.__dict__.update(HOUSE.__dict__)  # the same face and states
    HOUSE.splitString("plain", quick)
    assert glyphs._table(HOUSE, quick) is not None
    assert glyphs._table(own, quick) is None
    assert glyphs.split(own, "plain", quick) == [(0, b"own")]


def test_a_text_in_two_fonts_has_each_fonts_codes():
    """The same text drawn in two fonts of one document: codes of each (assigned in another order)."""
    bold, runs = pdfmetrics.getFont(BOLD), glyphs.Runs(PDFDocument(), escapePDF)
    slow = PDFDocument()
    for font, text in ((HOUSE, "ñé"), (bold, "éñ"), (UNREADABLE, "éñ ab")):
        runs(font, text)
        font.splitString(text, slow)
    for font in (HOUSE, bold, UNREADABLE, HOUSE):
        for text in ("éñ", "ab é"):
            expected = [(part, escapePDF(chunk)) for part, chunk in font.splitString(text, slow)]
            assert runs(font, text) == expected
            assert glyphs.split(font, text, runs.doc) == font.splitString(text, slow)


def _split_both(way: str, font: TTFont, value: str, runs: glyphs.Runs, slow: PDFDocument) -> tuple:
    """``value`` split quickly (``glyphs.split`` or ``Runs``) in ``runs.doc`` and by reportlab in ``slow``."""
    expected = font.splitString(value, slow)
    if way == "split":
        return glyphs.split(font, value, runs.doc), expected
    return runs(font, value), [(n, escapePDF(chunk)) for n, chunk in expected]


@pytest.mark.parametrize("way", ["split", "runs"])
def test_a_character_the_font_gains_is_placed_by_reportlab(way):
    """shaping.py adds private-use characters to a font's face: one drawn as missing before gets a code then."""
    for ascii_readable in (True, False):
        font = _private(f"QuickGlyphsGains{ascii_readable}{way}", ascii_readable)
        slow, quick = PDFDocument(), PDFDocument()
        runs = glyphs.Runs(quick, escapePDF)
        for doc in (slow, quick):
            font.splitString("ab", doc)
        for value in ("a\ue000b", "\ue000", "x\ue000"):
            got, expected = _split_both(way, font, value, runs, slow)
            assert got == expected
        font.face.charToGlyph[0xE000] = font.face.charToGlyph[ord("x")]
        for value in ("a\ue000b ", "\ue000 ", "\xa0\ue000"):  # texts not drawn before
            got, expected = _split_both(way, font, value, runs, slow)
            assert got == expected
            assert state_of(font, quick) == state_of(font, slow)
        assert glyphs.split(font, "\ue000", quick)[0][1] != b"\x00"


def test_texts_that_are_not_str_go_to_reportlab():
    doc, slow = PDFDocument(), PDFDocument()
    assert glyphs.split(HOUSE, "Şükrü", doc) == HOUSE.splitString("Şükrü", slow)
    assert glyphs.split(HOUSE, "Şükrü".encode(), doc) == HOUSE.splitString("Şükrü".encode(), slow)
    assert glyphs.Runs(doc, escapePDF)(HOUSE, b"ab(") == [(0, escapePDF(b"ab("))]


@pytest.mark.parametrize("value", ["", "a", "(a\\b)", "\xa0", "Ωmega\xa0中", "\r\n\t\x0b"])
def test_a_quick_canvas_writes_the_text_as_reportlab(value):
    """QuickCanvas and quickdraw share the canvas's runs; a subclass's own escaping is kept."""

    class Escaping(QuickCanvas):
        def _escape(self, s):
            return "x" + escapePDF(s)

    for canvas_type in (QuickCanvas, Escaping):
        quick, slow = canvas_type(io.BytesIO()), canvas_type(io.BytesIO())
        slow.quick = False
        for canvas in (quick, slow):
            canvas.setFont(FONT, 9)
            for _ in range(2):
                canvas.drawString(10, 20, value)
                canvas.drawString(10, 30, "Ω" + value)
        assert quick._code == slow._code


@pytest.mark.parametrize("canvas_type", [Canvas, QuickCanvas])
@pytest.mark.usefixtures("_invariant")
def test_paragraphs_past_the_first_subset_are_drawn_as_reportlab_draws_them(canvas_type):
    """Words in 600 different letters (two subsets each) in two fonts, drawn twice: quickdraw as reportlab."""
    letters = [c for c in IN_FONT if 0x100 <= ord(c) < 0x530 and not 0x300 <= ord(c) < 0x370][:600]
    words = [escape("".join(letters[n : n + 7])) for n in range(0, len(letters), 7)]
    parts = [
        Para(" ".join(words[n : n + 9]) + " \\ (x)", styles()["body" if n % 2 else "h2"])
        for n in range(0, len(words), 9)
    ]
    for part in parts:
        part.wrap(300, 10_000)
    pages = []
    for quick in (False, True):
        buffer = io.BytesIO()
        canvas = canvas_type(buffer, pageCompression=0)
        for part in parts + parts:
            if quick:
                part.drawOn(canvas, 40, 400)
            else:
                Paragraph.drawOn(part, canvas, 40, 400)
        pages.append(list(canvas._code))
        canvas.showPage()
        canvas.save()
        pages.append(buffer.getvalue())
    assert pages[0] == pages[2] and pages[1] == pages[3]
    assert any("+1 " in op for op in pages[2])  # past the first subset


class _CardsBefore(CardSheet):
    """The cards as drawn before their styles and footers were kept: all made anew for each card."""

    def _card(self, card, x, y):
        canvas = self.canv
        canvas.setFillColor(cards.ACCENT)
        canvas.rect(x, y + cards.CARD_H - 2.2 * mm, cards.CARD_W, 2.2 * mm, stroke=0, fill=1)
        footer_style = ParagraphStyle(
            "cardfoot", styles()["small"], fontSize=7, leading=8.5, textColor=cards.MUTED
        )
        footer = Para(cards.text(card.footer), footer_style)
        inner = cards.CARD_W - 2 * cards.PAD
        _w, foot_h = footer.wrapOn(canvas, inner, cards.CARD_H)
        footer.drawOn(canvas, x + cards.PAD, y + cards.PAD - 1.5 * mm)
        canvas.setStrokeColor(cards.RULE)
        canvas.setLineWidth(0.4)
        bottom_line = y + cards.PAD + foot_h
        canvas.line(x + cards.PAD, bottom_line, x + cards.CARD_W - cards.PAD, bottom_line)
        top, bottom = y + cards.CARD_H - 2.2 * mm - 3.5 * mm, y + cards.PAD + foot_h + 2 * mm
        body = cards.fitted(card, inner, top - bottom)
        _w, body_h = body.wrapOn(canvas, inner, top - bottom)
        body.drawOn(canvas, x + cards.PAD, top - body_h)


def _card_sheet(kind: type[CardSheet]) -> tuple[list[str], bytes]:
    questions = ["Wat gaat goed in de buurt?", "Wie kent Şükrü, Łucja en 王小明? " * 6, "שלום (\\) עולם",
                 "Een heel lange vraag die over veel regels loopt en kleiner moet " * 9]  # fmt: skip
    made = [Card(f"Item {n} · 19:{n}0", f"Onderwerp {n} é", "Waarom?" * n, questions[: n % 5], footer)
            for n in range(1, 8) for footer in (["Samen zorgen in Ellerveen", "Zoë 😀 & co"][n % 2],)]  # fmt: skip
    buffer = io.BytesIO()
    canvas = QuickCanvas(buffer, pageCompression=0)
    sheet = kind(made)
    sheet.wrapOn(canvas, 500, 800)
    sheet.drawOn(canvas, 20, 20)
    code = list(canvas._code)
    canvas.showPage()
    canvas.save()
    return code, buffer.getvalue()


@pytest.mark.usefixtures("_invariant")
def test_cards_are_drawn_as_before(monkeypatch):
    """Cards with their styles made once per size and one footer paragraph per sheet: the same PDF."""
    now = _card_sheet(CardSheet)
    before_styles = cards._styles_from.__wrapped__  # a fresh set of styles for every card
    monkeypatch.setattr(cards, "_styles", lambda size: before_styles(size, styles()["body"]))
    before = _card_sheet(_CardsBefore)
    assert now == before
    assert sum("re f" in op for op in now[0]) == 7
