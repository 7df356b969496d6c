"""wijkkit.redact: what counts as a name of a person without "Delen", and what does not."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wijkkit.redact import Redactor
from wijkkit.text import sort_key

X = "(X)"
PEOPLE = [
    {
        "name": "Henk Oosterhuis",
        "consent_share": 0,
        "email": "henk@oost.nl",
        "phone": "06-12345678",
    },
    {"name": "Jan van der Berg", "consent_share": 0},
    {"name": "Piet Jansen", "consent_share": 0},
    {"name": "Marie Jansen", "consent_share": 1},
    {"name": "Şükrü Öztürk", "consent_share": 0},
    {"name": "Anna Maria Visser", "consent_share": 0},
    {"name": "Roos", "consent_share": 0},
    {"name": "Kees de Jong", "consent_share": 0},
    {"name": "Kees Bakker", "consent_share": 1},
    {"name": "Piet Jansen-Bakker", "consent_share": 0, "phone": "+31 6 2222 3333"},
    {"name": "Anna Bos", "consent_share": 0},
    {"name": "Kees de Wit", "consent_share": 0},
    {"name": "Bas Janssen", "consent_share": 0},
    {"name": "Bas-Jan Mulder", "consent_share": 1},
]


@pytest.fixture(scope="module")
def redactor():
    return Redactor(PEOPLE, X)


@pytest.mark.parametrize(
    ("text", "sent"),
    [
        ("henk oosterhuis helpt", "(X) helpt"),  # the full name in any case
        ("HENK  OOSTERHUIS: vervoer", "(X): vervoer"),
        # the surname alone only capitalised (it was any case: "het bos", "de wit" are ordinary words)
        ("Oosterhuis belt, OOSTERHUIS ook, oosterhuis niet", "(X) belt, (X) ook, oosterhuis niet"),
        ("Henk belt", "(X) belt"),  # a first name, capitalised
        ("henk belt", "henk belt"),  # ... but not lower case
        # the surname with its prefix, only with its main word capitalised (it was any case)
        ("Van der Berg en van der Berg, van der berg", "(X) en (X), van der berg"),
        ("Berg zei: de berg op", "(X) zei: de berg op"),  # its core only capitalised
        ("jong en oud, De Jong", "jong en oud, (X)"),
        (
            "Marie Jansen en Piet Jansen; Jansen",
            "Marie Jansen en (X); (X)",
        ),  # a sharing full name stays
        ("Kees komt", "Kees komt"),  # a sharing Kees: the first name alone singles nobody out
        ("sukru ozturk, ŞÜKRÜ ÖZTÜRK, Öztürk.", "(X), (X), (X)."),  # diacritics either way
        ("Visser, Maria Visser", "(X), (X)"),
        (
            "roos in de tuin; Roos komt",
            "roos in de tuin; (X) komt",
        ),  # a one-word name is a first name
        ("mail HENK@OOST.NL", "mail (X)"),
        ("bel 06 1234 5678 of +31 6 12345678 of 0612345678", "bel (X) of (X) of (X)"),
        ("Oosterhuizen en Henkie", "Oosterhuizen en Henkie"),  # whole words only
        ("", ""),
        # each part of a hyphenated surname, and the first name with each part
        ("mevrouw Bakker belt; Jansen zei", "mevrouw (X) belt; (X) zei"),
        ("Piet Jansen helpt, piet bakker ook, PIET JANSEN-BAKKER", "(X) helpt, (X) ook, (X)"),
        ("Marie Jansen en Kees Bakker", "Marie Jansen en Kees Bakker"),  # sharing full names stay
        # a number stored as +31 is typed nationally too
        ("bel 06 22223333, 0622223333 of 0031 6 2222 3333", "bel (X), (X) of (X)"),
        # a surname alone is an ordinary word in lower case
        ("het bos, Bos zei; ANNA BOS", "het bos, (X) zei; (X)"),
        (
            "de wit geschilderde muur, de Wit belt, kees de wit",
            "de wit geschilderde muur, (X) belt, (X)",
        ),
        # "Bas-Jan" is not the first name "Bas"
        ("Bas komt naar de basisschool, Bas-Jan ook", "(X) komt naar de basisschool, Bas-Jan ook"),
        # possessives of a capitalised first name or surname
        (
            "Henks dochter, Henk's auto, Oosterhuis' huis, Jansens fiets",
            "(X) dochter, (X) auto, (X)' huis, (X) fiets",
        ),
        ("Marie Jansens fiets", "Marie Jansens fiets"),  # ... but a sharing person's stays whole
        ("henks en jansens", "henks en jansens"),
    ],
)
def test_what_counts_as_a_name(redactor, text, sent):
    assert redactor.text(text) == sent


def test_the_spans_of_the_replacements_are_given_in_the_result(redactor):
    text, marks = redactor.redact("Ja, henk oosterhuis en Oosterhuis!")
    assert text == "Ja, (X) en (X)!" and [text[a:b] for a, b in marks] == [X, X]


def test_nobody_to_hide_changes_nothing():
    assert not Redactor([{"name": "Fatma Yılmaz", "consent_share": 1}])
    assert (
        Redactor([{"name": "Fatma Yılmaz", "consent_share": 1}]).text("Fatma Yılmaz")
        == "Fatma Yılmaz"
    )


LETTERS = st.sampled_from(list("abcdeéëioöuüşçłØ"))
WORD = st.text(LETTERS, min_size=3, max_size=9).map(str.capitalize)
FILLER = st.lists(
    st.sampled_from(["de", "bus", "rijdt", "niet", "en", "markt", ":", ",", "\n"]), max_size=6
)


@given(
    first=WORD,
    last=WORD,
    before=FILLER,
    after=FILLER,
    spelling=st.sampled_from([str, str.upper, sort_key]),
)
def test_a_full_name_in_any_spelling_or_a_capitalised_surname_never_survives(
    first, last, before, after, spelling
):
    redactor = Redactor([{"name": f"{first} {last}", "consent_share": 0}], X)
    # the surname alone only capitalised: in lower case it may be an ordinary word ("het bos")
    for typed in (spelling(f"{first} {last}"), last, last.upper()):
        sent = redactor.text(" ".join([*before, typed, *after]))
        assert sort_key(last) not in sort_key(sent).split(), sent


@pytest.mark.parametrize("text, sent", [
    ("Minh Khai zei dat de bus te laat is.", f"{X} zei dat de bus te laat is."),
    ("Volgens Thị Minh Khai klopt dat.", f"Volgens {X} klopt dat."),
    ("Khai komt ook.", f"{X} komt ook."),
    ("Nguyễn Thị Minh Khai belt.", f"{X} belt."),
    ("minh khai", "minh khai"),  # lower case: ordinary words, as for any surname
])  # fmt: skip
def test_the_given_names_at_the_end_of_a_name_are_hidden_together(text, sent):
    """A name written family name first ("Nguyễn Thị Minh Khai"): the given names "Minh Khai"
    together, not only the last of them, or "Minh" would be left standing."""
    assert Redactor([{"name": "Nguyễn Thị Minh Khai", "consent_share": 0}], X).text(text) == sent
