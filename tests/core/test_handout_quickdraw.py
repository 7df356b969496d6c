"""Plain paragraphs drawn straight into the page (``handouts.quickdraw``) must be drawn as reportlab draws them.

Random paragraphs (Latin with and without diacritics, Greek, Cyrillic, Hebrew, CJK and
emoji through the fallback fonts, long words, characters PDF escapes, markup, bullets,
house styles and fresh ones) are drawn twice on fresh canvases: once by ``Para.drawOn`` (the quick path
where it applies) and once by reportlab's ``Flowable.drawOn``. The operators, the canvas
state after each paragraph and the saved PDF must be the same, byte for byte.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reportlab import rl_config
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from wijkkit.handouts import quickdraw
from wijkkit.handouts.quickcanvas import QuickCanvas
from wijkkit.handouts.style import (
    BOLD,
    BOLD_ITALIC,
    FONT,
    ITALIC,
    Para,
    register_fonts,
    right_to_left,
    styles,
    text,
)

LETTERS = {
    "latin": "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,;:-'!?()\\/%",
    "diacritics": "éèëêáàäâóòöôúùüûíìïçñßøåæœŁłŚśŻżŞşİıĞğŐőễịảươđ",
    "greek": "αβγδεζηθικλμνξοπρστυφχψωΑΒΓΔΩάέήί",
    "cyrillic": "абвгдежзийклмнопрстуфхцчшщъыьэюяАБВГДЖЗЯЁё",
    "hebrew": "אבגדהוזחטיכלמנסעפצקרשת",
    "cjk": "中文字漢字日本語한국어",
    "emoji": "😀🎉👍🏽🌍",
    "odd": '\xa0\t&<>"',
}
HOUSE = (
    "body",
    "title",
    "subtitle",
    "h1",
    "h2",
    "small",
    "muted",
    "cell",
    "cellbold",
    "big",
    "centre",
)


@pytest.fixture(autouse=True)
def _invariant(monkeypatch):
    register_fonts()
    monkeypatch.setattr(rl_config, "invariant", 1)


def words(alphabets: list[str]) -> st.SearchStrategy[str]:
    word = st.text(
        st.sampled_from("".join(LETTERS[name] for name in alphabets)), min_size=1, max_size=30
    )
    return st.lists(word, min_size=0, max_size=12).map(" ".join).filter(str.strip)


@st.composite
def paragraph_styles(draw: st.DrawFn) -> ParagraphStyle:
    if draw(st.booleans()):
        return styles()[draw(st.sampled_from(HOUSE))]
    size = draw(st.sampled_from([6, 7.5, 8.5, 9, 10.5, 12, 14.25, 22, 30]))
    colour = draw(st.one_of(
        st.sampled_from([HexColor("#1d2b27"), HexColor("#1f6f5c"), Color(0, 0, 0), Color(1, 1, 1)]),
        st.tuples(*[st.floats(0, 1)] * 3).map(lambda rgb: Color(*rgb)),
    ))  # fmt: skip
    return ParagraphStyle(
        "fresh", fontName=draw(st.sampled_from([FONT, BOLD, ITALIC, BOLD_ITALIC])), fontSize=size,
        leading=draw(st.sampled_from([size, size * 1.2, size + 4.5, 19.333333])), textColor=colour,
        alignment=draw(st.sampled_from([TA_LEFT, TA_LEFT, TA_CENTER, TA_RIGHT, TA_JUSTIFY])),
        leftIndent=draw(st.sampled_from([0, 0, 6, 12.5])), rightIndent=draw(st.sampled_from([0, 0, 3])),
        firstLineIndent=draw(st.sampled_from([0, 0, 0, 10, -4.25])),
        bulletFontName=draw(st.sampled_from([FONT, BOLD])), bulletFontSize=draw(st.sampled_from([size, 9])),
        bulletIndent=draw(st.sampled_from([0, 1, 4.5])), bulletOffsetY=draw(st.sampled_from([0, 0, -1.5])),
        bulletAnchor=draw(st.sampled_from(["start", "start", "start", "numeric"])),
        **({"bulletColor": HexColor("#55605c")} if draw(st.booleans()) else {}),
    )  # fmt: skip


TAGS = [("<b>", "</b>"), ("<i>", "</i>"), ('<font color="#c0392b">', "</font>"), ('<font size="14">', "</font>"),
        ('<font name="Helvetica">', "</font>"), ("<u>", "</u>"), ("<strike>", "</strike>"), ("<super>", "</super>"),
        ('<a href="https://example.org">', "</a>"), ('<span backColor="#eeeeee">', "</span>"), ("", "<br/>")]  # fmt: skip


@st.composite
def marked(draw: st.DrawFn, value: str) -> str:
    """``value`` with some of its words in markup: bold, italic, colours, sizes, line breaks (and some reportlab's)."""
    out = []
    for word in value.split(" "):
        word = text(word)
        if draw(st.integers(0, 3)) == 0:
            opening, closing = draw(st.sampled_from(TAGS[:5] * 3 + TAGS[5:]))
            word = f"{opening}{word}{closing}"
        out.append(word)
    return " ".join(out)


@st.composite
def paragraphs(draw: st.DrawFn) -> tuple[Paragraph, float, float, float]:
    """A wrapped paragraph with where to draw it: x, y and the space left beside it (``_sW``)."""
    alphabets = draw(
        st.lists(st.sampled_from(sorted(LETTERS)), min_size=1, max_size=3, unique=True)
    )
    value, style = draw(words(alphabets)), draw(paragraph_styles())
    # text() puts CJK and emoji in a fallback font (markup: reportlab's path); escape() keeps one run
    bullet = draw(st.sampled_from([None, None, "1.", "12.", "•", "(a)", "–"]))
    bullet = None if style.name != "fresh" else bullet  # the house styles' bullets are in Helvetica
    way = draw(st.sampled_from(["text", "escape", "markup"]))
    value = (
        text(value) if way == "text" else escape(value) if way == "escape" else draw(marked(value))
    )
    made = Para(value, style, bulletText=bullet)
    made.hAlign = draw(st.sampled_from(["LEFT", "CENTER", "RIGHT"]))
    made.wrap(draw(st.floats(30, 400)), 1000)
    return (
        made,
        draw(st.floats(0, 500)),
        draw(st.floats(0, 800)),
        draw(st.sampled_from([0, 0, 12.75, 40])),
    )


def canvas_state(canvas: Canvas) -> dict:
    state = {
        name: getattr(canvas, name) for name in Canvas.STATE_ATTRIBUTES if name != "_extgstate"
    }
    state.update(extgstate=(canvas._extgstate._d, dict(canvas._extgstate._c)), stack=len(canvas.state_stack),
                 fonts=dict(canvas._doc.fontMapping), version=canvas._doc._pdfVersion)  # fmt: skip
    for name in (FONT, BOLD, ITALIC, BOLD_ITALIC):
        subsets = pdfmetrics.getFont(name).state.get(canvas._doc)
        if subsets is not None:
            state[name] = (
                subsets.nextCode,
                [list(s) for s in subsets.subsets],
                subsets.internalName,
            )
    return state


def drawn(items: list, quick: bool, kind: type[Canvas] = Canvas) -> tuple[list, list, bytes]:
    """The operators and canvas state after each paragraph, and the saved PDF."""
    buffer = io.BytesIO()
    canvas = kind(buffer, pageCompression=0, initialFontName=FONT)
    codes, states = [], []
    for made, x, y, space in items:
        if quick:
            made.drawOn(canvas, x, y, space)
        else:
            Paragraph.drawOn(made, canvas, x, y, space)
        codes.append(list(canvas._code))
        states.append(canvas_state(canvas))
    canvas.showPage()
    canvas.save()
    return codes, states, buffer.getvalue()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(paragraphs(), min_size=1, max_size=5))
def test_quick_paragraphs_are_drawn_as_reportlab_draws_them(items):
    assert drawn(items, quick=False) == drawn(items, quick=True)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(paragraphs(), min_size=1, max_size=5))
def test_quick_paragraphs_on_a_quick_canvas_are_drawn_as_reportlab_draws_them(items):
    """On a QuickCanvas quickdraw takes each text's runs and subset names from the canvas (glyphs.Runs)."""
    twice = items + items  # the second time every text's runs are remembered
    assert drawn(twice, quick=False) == drawn(twice, quick=True, kind=QuickCanvas)


@pytest.mark.parametrize("alignment", [TA_LEFT, TA_CENTER, TA_RIGHT])
@pytest.mark.parametrize("width", [60, 150, 500])
def test_common_paragraphs_take_the_quick_path(alignment, width):
    """One run or a few, one line or several, with a bullet or not: drawn by quickdraw, as reportlab does."""
    style = ParagraphStyle("plain", styles()["body"], alignment=alignment, firstLineIndent=5, leftIndent=12,
                           bulletFontName=BOLD)  # fmt: skip
    samples = ["Koffieochtend op zaterdag", "Şükrü Yılmaz (\\ buurt)", "Łucja Wójcik en Nguyễn Thị Minh Khai",
               "Αθηνά Παπαδοπούλου и Наталья", "een heel lange zin die over een paar regels loopt " * 3]  # fmt: skip
    marked = ["<b>Wanneer:</b> zaterdag 12 december", "<i>Şükrü</i> en <b>Łucja</b> (\\) " * 4,
              'Waar: <font color="#1f6f5c">het buurthuis</font><br/>Kerkstraat 1']  # fmt: skip
    items = []
    for n, sample in enumerate(samples + marked):
        made = Para(
            escape(sample) if n < len(samples) else sample,
            style,
            bulletText=f"{n}." if n % 2 else None,
        )
        made.wrap(width, 1000)
        assert made.blPara.kind == (n >= len(samples))
        assert quickdraw.draw(made, Canvas(io.BytesIO()), 10, 10, 0, right_to_left)
        items.append((made, 50, 700, 0))
    assert drawn(items, quick=False) == drawn(items, quick=True)


def test_other_paragraphs_are_left_to_reportlab():
    canvas = Canvas(io.BytesIO())
    cases = [
        Para('<b>bold</b> and <font name="Helvetica">Helvetica</font>', styles()["body"]),
        Para("<b>bold</b> and <super>raised</super>", styles()["body"]),
        Para("<bullet>•</bullet>a bullet of markup", styles()["body"]),
        Para(
            "a numeric bullet",
            ParagraphStyle("n", styles()["body"], bulletAnchor="numeric"),
            bulletText="1.",
        ),
        Para("justified", ParagraphStyle("j", styles()["body"], alignment=TA_JUSTIFY)),
        Para(
            "on a background", ParagraphStyle("b", styles()["body"], backColor=HexColor("#eeeeee"))
        ),
        Para("<u>underlined</u>", styles()["body"]),
        Para("שלום עולם", styles()["body"]),  # right to left: Para.drawPara orders it
        Para("Helvetica", ParagraphStyle("h", fontName="Helvetica")),
        Para(
            "half seen", ParagraphStyle("a", styles()["body"], textColor=Color(0, 0, 0, alpha=0.5))
        ),
    ]
    for made in cases:
        made.wrap(300, 1000)
        assert not quickdraw.draw(made, canvas, 0, 0, 0, right_to_left), made.text
    assert canvas._code == []


def test_escaping_is_reportlabs():
    every = bytes(range(256))
    assert quickdraw.escaped(every) == escapePDF(every)
    for code in range(256):
        assert quickdraw.escaped(bytes((code,))) == escapePDF(bytes((code,)))


@given(
    st.floats(-1e6, 1e6)
    | st.integers(-10_000, 10_000)
    | st.sampled_from([0.0, -0.0, 1e-7, -1e-7, 1e-6, 0.5])
)
def test_numbers_are_reportlabs(value):
    assert quickdraw._number(value) == fp_str(value)
    assert quickdraw._number(value) == fp_str(value)  # remembered
