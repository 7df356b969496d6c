"""The quick ways of making and breaking paragraphs (issue 19) give exactly what reportlab gives.

``quickwrap.wrap`` breaks a paragraph of one plain fragment without ``Paragraph.breakLines``;
``frags.fragments`` makes the fragments of plain and simply marked-up text without the parser;
``style.Para`` skips reportlab's clean-up for text that needs none. Each is compared here with
reportlab's own result on random texts (spaces, tabs, line breaks, long words, diacritics,
Hebrew, Arabic, CJK, emoji, no-break and soft hyphens), house styles and fresh ones, many widths:
the same lines, words, spare widths and heights, float for float, and the same fragments.
"""

from __future__ import annotations

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from reportlab.lib.abag import ABag
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from wijkkit.handouts import cards, quickwrap
from wijkkit.handouts.frags import fragments
from wijkkit.handouts.style import BOLD, FONT, INK, ITALIC, MUTED, Para, register_fonts, styles

WORD_CHARS = (
    "abcdefghijklmnopqrstuvwxyzABCXYZ0123456789.,;:'\"-()/?!éëşğıłøñçàỹễ" + "שלוםمرحبا中文字😀Ωж"
)
SEPARATORS = [" ", " ", " ", "  ", "\t", "\n", " \n ", "\xa0", "\u2009", "\u200b", "\u3000"]
HARD = ["\xad", "", ""]  # a soft hyphen now and then (reportlab may break a word there)


def house_styles() -> list[ParagraphStyle]:
    register_fonts()
    found = list(styles().values())
    found.append(ParagraphStyle("fithead", styles()["cellbold"], fontSize=7.5, leading=9))
    for size in (cards.SIZES[0], cards.SIZES[-1]):
        found += list(cards._styles(size).values())
    return found


def fresh_styles() -> st.SearchStrategy[ParagraphStyle]:
    def made(font, size, leading, left, right, first, alignment, long_words, shrink, auto, colour):
        register_fonts()
        return ParagraphStyle("fresh", fontName=font, fontSize=size, leading=leading, leftIndent=left,
                              rightIndent=right, firstLineIndent=first, alignment=alignment,
                              splitLongWords=long_words, spaceShrinkage=shrink, autoLeading=auto, textColor=colour,
                              bulletFontName=font)  # fmt: skip

    sizes = st.floats(4, 40, allow_nan=False).map(lambda x: round(x, 2))
    return st.builds(made, st.sampled_from([FONT, BOLD, ITALIC, "Helvetica", "Times-Roman"]), sizes, sizes,
                     st.sampled_from([0, 6, 12.5]), st.sampled_from([0, 3, 20]), st.sampled_from([0, -6, 9.3]),
                     st.sampled_from([TA_LEFT, TA_CENTER, TA_RIGHT, TA_JUSTIFY]), st.sampled_from([0, 1]),
                     st.sampled_from([0, 0.05, 0.2]), st.sampled_from(["", "off", "max", "min"]),
                     st.sampled_from([INK, MUTED]))  # fmt: skip


a_style = st.one_of(st.sampled_from(house_styles()), fresh_styles())
a_word = st.one_of(
    st.text(WORD_CHARS, min_size=1, max_size=12),
    st.text("mw", min_size=15, max_size=60),  # longer than a narrow line
    st.tuples(
        st.text(WORD_CHARS, min_size=1, max_size=8),
        st.sampled_from(HARD),
        st.text(WORD_CHARS, min_size=1, max_size=8),
    ).map("".join),  # fmt: skip
)


def texts(words: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(st.sampled_from(["", "", " ", "\n"]), st.lists(st.tuples(words, st.sampled_from(SEPARATORS)), max_size=30),
                     st.sampled_from(["", "", " ", "\n "])).map(lambda t: t[0] + "".join(w + s for w, s in t[1])[:-1] + t[2])  # fmt: skip


spaced = st.lists(st.tuples(st.text(WORD_CHARS, min_size=1, max_size=8), st.sampled_from([" ", " ", "  ", "   "])),
                  min_size=1, max_size=10).map(lambda t: "".join(w + s for w, s in t).rstrip(" "))  # fmt: skip
a_text = st.one_of(
    texts(st.text(WORD_CHARS, min_size=1, max_size=12)), texts(a_word), spaced
)  # plain, any, spaces
ODD = ["", " ", "a  b", " a", "a ", "a\u200bb", "\u200ba", "a\u200b", "a\xa0b", "a\tb", "a\n b", "a\x1cb", "\u3000a",
       "a\u2028b", "a \xad b", "<b>a  b</b>", "<b> a</b> ", "a<br/> <br/>b", "<i>a</i><b>b</b>", "&amp;  x"]  # fmt: skip


@pytest.mark.parametrize("value", ODD)
def test_odd_texts_are_made_as_reportlab_makes_them(value):
    for style in house_styles()[:3]:
        ours, theirs = twins(value, style, None)
        assert_same_paragraph(ours, theirs)


a_width = st.one_of(
    st.sampled_from([0.5, 1, 20, 60, 83.2, 150, 250.75, 481.89]), st.floats(0, 600, allow_nan=False)
)
a_bullet = st.sampled_from([None, "3.", "\u2022", "12345678"])


def exact(value: object) -> object:
    """``value`` with every float as its bits and every string with its type: for a comparison that == would blur."""
    if isinstance(value, float):
        return ("float", value.hex())
    if isinstance(value, str):
        return (type(value).__name__, str(value))
    if isinstance(value, list | tuple):
        return (type(value).__name__, [exact(item) for item in value])
    if isinstance(value, dict):
        return {key: exact(item) for key, item in value.items()}
    if isinstance(
        value, ABag
    ):  # a line or fragment of reportlab's (compared by identity otherwise)
        return (type(value).__name__, exact(vars(value)))
    return value


def state(para: Paragraph) -> dict:
    """What wrapping set on ``para`` (its broken lines whole), comparable with ``exact``."""
    found = {
        key: value for key, value in vars(para).items() if key not in ("_kept", "frags", "blPara")
    }
    found["blPara"] = vars(para.blPara) if "blPara" in vars(para) else None
    return exact(found)


def sharing(frags: list) -> list:
    """Which fragments share which list (the parser's fragments share their link and underline lists)."""
    first: dict[int, int] = {}
    return [[first.setdefault(id(value), len(first)) for value in vars(f).values() if isinstance(value, list)]
            for f in frags]  # fmt: skip


def twins(value: str, style: ParagraphStyle, bullet: str | None) -> tuple[Para, Paragraph]:
    ours = Para(value, style, bulletText=bullet) if bullet else Para(value, style)
    theirs = Paragraph(value, style, bulletText=bullet)
    return ours, theirs


def assert_same_paragraph(ours: Para, theirs: Paragraph) -> None:
    assert (ours.text, ours.style, ours.bulletText) == (
        theirs.text,
        theirs.style,
        theirs.bulletText,
    )
    assert [exact(vars(f)) for f in ours.frags] == [exact(vars(f)) for f in theirs.frags]
    assert [type(f) for f in ours.frags] == [type(f) for f in theirs.frags]
    assert sharing(ours.frags) == sharing(theirs.frags)
    assert exact({k: v for k, v in vars(ours).items() if k != "frags"}) == exact(
        {k: v for k, v in vars(theirs).items() if k != "frags"}
    )


@settings(max_examples=300, deadline=None)
@given(a_text, a_style, st.lists(a_width, min_size=1, max_size=3), a_bullet)
def test_quick_wrap_breaks_lines_as_reportlab(value, style, widths, bullet):
    ours, theirs = twins(value, style, bullet)
    assert_same_paragraph(ours, theirs)
    for width in widths:
        size = Paragraph.wrap(theirs, width, 800)
        quick = quickwrap.wrap(ours, width)  # the quick way alone, where it takes the text
        event("quick" if quick is not None else "reportlab")
        if quick is not None:
            assert exact(quick) == exact(size)
            assert state(ours) == state(theirs)
        assert exact(ours.wrap(width, 800)) == exact(size)  # and the way a document goes
        assert state(ours) == state(theirs)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(WORD_CHARS, min_size=1, max_size=6), min_size=1, max_size=25), a_style,
       st.floats(350, 600, allow_nan=False), st.sampled_from([None, "3.", "\u2022"]))  # fmt: skip
def test_quick_wrap_takes_plain_text(words, style, width, bullet):
    """Short words, one space apart, wide lines: the quick way breaks them (no fallback), as reportlab."""
    ours, theirs = twins(" ".join(words), style, bullet)
    assert quickwrap.wrap(ours, width) is not None
    assert exact(Paragraph.wrap(theirs, width, 800)) == exact((ours.width, ours.height))
    assert state(ours) == state(theirs)


def test_quick_wrap_leaves_the_rest_to_reportlab():
    body = styles()["body"]
    assert quickwrap.wrap(Para("Henk de Vries", body), 200) is not None
    assert quickwrap.wrap(Para("x" * 300, body), 100) is None  # cut over lines
    assert quickwrap.wrap(Para("Zorg\xadaanbieder " * 5, body), 100) is None  # soft hyphens
    assert quickwrap.wrap(Para("<b>Henk</b> de Vries", body), 200) is None  # two fragments
    assert quickwrap.wrap(Para("Henk", ParagraphStyle("rtl", body, wordWrap="RTL")), 200) is None
    assert (
        quickwrap.wrap(Para("Henk", ParagraphStyle("hy", body, hyphenationLang="nl")), 200) is None
    )
    assert quickwrap.wrap(Para("Henk", body), 0) is None


SIMPLE_TAGS = ["b", "i", "font size=9 color='#55605c'", 'font color="red"', "font size=14"]
OTHER_TAGS = [
    "u",
    "strike",
    "font name='Helvetica'",
    "a href='https://example.org'",
    "super",
    "greek",
]
ENTITIES = ["&amp;", "&lt;", "&#39;", "&nbsp;"]


def a_markup(tags: list[str], entities: list[str]) -> st.SearchStrategy[str]:
    edge = st.sampled_from(["", "", " ", "\n"])
    run = st.tuples(edge, st.text(WORD_CHARS + "  \n>", min_size=1, max_size=12), edge).map("".join)

    def wrapped(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.tuples(st.sampled_from(tags), inner).map(
            lambda t: f"<{t[0]}>{t[1]}</{t[0].split()[0]}>"
        )

    parts = st.recursive(
        st.one_of(run, st.just("<br/>"), *([st.sampled_from(entities)] if entities else [])),
        lambda inner: st.one_of(
            wrapped(inner), st.lists(inner, min_size=1, max_size=4).map("".join)
        ),
        max_leaves=8,
    )
    return st.lists(parts, max_size=5).map("".join)


@settings(max_examples=250, deadline=None)
@given(st.one_of(a_markup(SIMPLE_TAGS, []), a_markup(SIMPLE_TAGS + OTHER_TAGS, ENTITIES), a_text), a_style, a_bullet,
       st.sampled_from([60, 250]))  # fmt: skip
def test_fragments_are_what_reportlab_parses(value, style, bullet, width):
    try:
        theirs = Paragraph(value, style, bulletText=bullet)
    except Exception as error:  # noqa: BLE001 - markup reportlab cannot take: nor can Para
        with pytest.raises(type(error)):
            Para(value, style, bulletText=bullet)
        return
    ours = Para(value, style, bulletText=bullet)
    event(
        "without the parser"
        if "<" in ours.text and fragments(ours.text, style) is not None
        else "other"
    )
    assert_same_paragraph(ours, theirs)
    assert exact(ours.wrap(width, 800)) == exact(Paragraph.wrap(theirs, width, 800))
    assert state(ours) == state(theirs)


def test_simple_markup_is_made_without_the_parser(monkeypatch):
    from reportlab.platypus import paraparser

    body = styles()["body"]
    for value in (
        "<b>Henk</b>",
        "Henk<br/>de Vries",
        "Plain",
        "Pauze <font size=9 color='#55605c'>(15 min)</font>",
    ):
        Para(value, body)  # the first of each kind is parsed (its skeleton)
    made = []
    monkeypatch.setattr(
        paraparser.ParaParser, "parse", lambda *args: made.append(args) or (None, None, None)
    )
    for value in (
        "<b>Anna</b>",
        "Anna<br/>Jansen",
        "Pauze <font size=9 color='#55605c'>(10 min)</font>",
        "Ans",
    ):
        assert Para(value, body).frags
    assert made == []


@pytest.mark.parametrize(
    "value", ["Henk & <Anna>", "Şükrü\nYılmaz", "دوست", "  a  ", 12, None, "Yamada 𠮷"]
)
def test_remembered_texts_are_made_anew_alike(value, monkeypatch):
    """``style.text`` remembers what DejaVu prints; a text it lacks goes to the fallback fonts every time."""
    from wijkkit.handouts import fallback, style

    style._texts.clear()
    first = style.text(value)
    calls = []
    markup = fallback.markup
    monkeypatch.setattr(fallback, "markup", lambda text: calls.append(text) or markup(text))
    assert style.text(value) == style.text(value) == first
    assert len(calls) == (
        2 if value == "Yamada 𠮷" else 0
    )  # runs chosen and gaps noted for each handout
    style._texts.clear()
    assert style.text(value) == first
