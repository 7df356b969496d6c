"""Choosing together with dots (issue 18, part 3): from captured dreams and ideas to dots, to a ranking
whose ties share a place, to draft agreements (never twice); bad counts refused with nothing changed; and
a name of someone without "Delen" inside a dream kept out of the ranking printed in the feedback report,
its HTML and the session pack (the projector's ranking is checked in tests/ui/test_lead_dots.py)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest

from tests.core.pdf_text import squash, text_of
from wijkkit import templates
from wijkkit.dots import ranked
from wijkkit.errors import NotFoundError, ValidationError
from wijkkit.handouts import make, pdf_bytes
from wijkkit.i18n import _

TODAY = date(2027, 1, 12)
START = datetime(2027, 1, 12, 19, 45).astimezone()
SECRET = "Henk Oosterhuis"  # registered without consent to share
CHOSEN = "Chosen together"  # the heading of the ranking ("Samen gekozen")


@pytest.fixture
def evening(kit):
    """A meeting with two dreams and two ideas in one step, a note and an offer besides."""
    session = kit.sessions.plan("Samen zorgen", "2027-01-12T19:30", "2027-01-12T22:00", templates.builtin(),
                                now=datetime(2026, 11, 29))  # fmt: skip
    step = kit.sessions.steps(session)[2].id
    ids = {}
    for n, (kind, text) in enumerate((("dream", "Een koffieochtend voor iedereen"), ("note", "Zaal was vol"),
                                      ("idea", "Een klussenlijst bij de bakker"), ("dream", "Een buurtbus op zaterdag"),
                                      ("offer", "Ik kan rijden"), ("idea", "Samen eten in De Schakel"))):  # fmt: skip
        ids[text] = kit.live.capture(session, kind, text, START + timedelta(minutes=n), step, 2).id
    return kit, session, step, ids


def texts(candidates) -> list[str]:
    return [c.text for c in candidates]


def test_the_candidates_are_the_dreams_and_ideas_in_the_order_captured(evening):
    kit, session, step, _ids = evening
    found = kit.dots.candidates(session)
    assert texts(found) == ["Een koffieochtend voor iedereen", "Een klussenlijst bij de bakker",
                            "Een buurtbus op zaterdag", "Samen eten in De Schakel"]  # fmt: skip
    assert {c.kind for c in found} == {"dream", "idea"}
    assert all(c.dots is None and c.rank is None and not c.chosen for c in found)
    assert kit.dots.ranking(session) == []  # nothing counted: no ranking
    assert texts(kit.dots.candidates(session, step)) == texts(found)
    assert kit.dots.candidates(session, kit.sessions.steps(session)[0].id) == []  # another step has none


def test_dots_rank_the_candidates_and_ties_share_a_place(evening):
    kit, session, _step, ids = evening
    for text, dots in (("Een koffieochtend voor iedereen", 3), ("Een klussenlijst bij de bakker", 7),
                       ("Een buurtbus op zaterdag", 3)):  # fmt: skip
        kit.dots.set_dots(ids[text], dots)
    kit.dots.set_dots(ids["Samen eten in De Schakel"], "1")  # hands counted, typed as digits
    ranking = kit.dots.ranking(session)
    assert [(c.rank, c.dots, c.text) for c in ranking] == [
        (1, 7, "Een klussenlijst bij de bakker"),
        (2, 3, "Een koffieochtend voor iedereen"),  # a tie keeps the order captured
        (2, 3, "Een buurtbus op zaterdag"),
        (4, 1, "Samen eten in De Schakel"),
    ]
    kit.dots.set_dots(ids["Samen eten in De Schakel"], 9)  # counted again: the order changes
    assert texts(kit.dots.ranking(session))[0] == "Samen eten in De Schakel"
    kit.dots.set_dots(ids["Samen eten in De Schakel"], None)  # not counted after all
    assert [c.text for c in kit.dots.candidates(session)][-1] == "Samen eten in De Schakel"
    assert len(kit.dots.ranking(session)) == 3


def test_counting_one_at_a_time(evening):
    kit, _session, _step, ids = evening
    idea = ids["Een klussenlijst bij de bakker"]
    assert kit.dots.count_one(idea, -1) is None  # one less of an uncounted one: still not counted
    assert [kit.dots.count_one(idea, step) for step in (1, 1, -1, -1, -1)] == [1, 2, 1, 0, 0]
    kit.dots.set_dots(idea, 999)
    assert kit.dots.count_one(idea) == 999


def test_zero_dots_counted_is_in_the_ranking(evening):
    kit, session, _step, ids = evening
    kit.dots.set_dots(ids["Een buurtbus op zaterdag"], 0)
    assert [(c.rank, c.dots) for c in kit.dots.ranking(session)] == [(1, 0)]


@pytest.mark.parametrize("bad", [-1, 1000, 2.5, True, "drie", "3.5", "-2", [3]])
def test_a_bad_dot_count_is_refused_and_nothing_changes(evening, bad):
    kit, session, _step, ids = evening
    kit.dots.set_dots(ids["Een buurtbus op zaterdag"], 4)
    before = (kit.query("SELECT * FROM capture ORDER BY id"),
              kit.query("SELECT * FROM _field_version ORDER BY row_id, field"))  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        kit.dots.set_dots(ids["Een buurtbus op zaterdag"], bad)
    assert refused.value.english() == "The number of dots is a whole number from 0 to 999."
    assert (kit.query("SELECT * FROM capture ORDER BY id"),
            kit.query("SELECT * FROM _field_version ORDER BY row_id, field")) == before  # fmt: skip


def test_only_dreams_and_ideas_get_dots(evening):
    kit, _session, _step, ids = evening
    with pytest.raises(ValidationError):
        kit.dots.set_dots(ids["Zaal was vol"], 2)  # a note
    with pytest.raises(NotFoundError):
        kit.dots.set_dots("0190a1b2-0000-7000-8000-000000000000", 2)


def test_the_chosen_become_draft_agreements_once(evening):
    kit, session, step, ids = evening
    for text, dots in (("Een klussenlijst bij de bakker", 7), ("Een buurtbus op zaterdag", 3)):
        kit.dots.set_dots(ids[text], dots)
    chosen = [ids["Een klussenlijst bij de bakker"], ids["Een buurtbus op zaterdag"]]
    made = kit.dots.choose(session, chosen, TODAY)
    assert len(made) == 2
    agreements = {a.id: a for a in kit.agreements.for_session(session)}
    for agreement_id, capture_id in zip(made, chosen, strict=True):
        draft = agreements[agreement_id]
        assert draft.title == kit.row("capture", capture_id)["text"]
        assert (draft.session_id, draft.status, draft.owner_person_id, draft.owner_party) == (session, "open", None, "")
        assert kit.row("agreement", agreement_id)["step_id"] == step
        assert kit.row("capture", capture_id)["agreement_id"] == agreement_id
    ranking = kit.dots.ranking(session)
    assert [(c.text, c.chosen) for c in ranking] == [("Een klussenlijst bij de bakker", True),
                                                     ("Een buurtbus op zaterdag", True)]  # fmt: skip
    assert ranking[0].agreement_id == made[0]
    # chosen again, with one more: only the new one becomes an agreement
    again = kit.dots.choose(session, [*chosen, ids["Samen eten in De Schakel"]], TODAY)
    assert len(again) == 1 and len(kit.agreements.for_session(session)) == 3
    assert kit.dots.choose(session, chosen, TODAY) == []


def test_a_draft_agreement_deleted_can_be_chosen_again(evening):
    kit, session, _step, ids = evening
    capture = ids["Een buurtbus op zaterdag"]
    [first] = kit.dots.choose(session, [capture], TODAY)
    kit.delete("agreement", first)
    assert not kit.dots.candidates(session)[2].chosen
    [second] = kit.dots.choose(session, [capture], TODAY)
    assert second != first and kit.dots.candidates(session)[2].agreement_id == second


def test_a_long_dream_keeps_its_whole_text_in_the_agreement(evening):
    kit, session, step, _ids = evening
    long = "Een buurthuis " + "met ruimte voor iedereen " * 20
    capture = kit.live.capture(session, "dream", long, START + timedelta(minutes=9), step).id
    [made] = kit.dots.choose(session, [capture], TODAY)
    agreement = kit.agreements.get(made)
    assert agreement.title.endswith("…") and agreement.description.startswith(long.strip())


def test_choosing_what_is_not_of_this_meeting_is_refused(evening):
    kit, session, _step, ids = evening
    other = kit.sessions.add("Andere avond", "2027-02-01T19:30", "2027-02-01T21:30")
    with pytest.raises(ValidationError):
        kit.dots.choose(other, [ids["Een buurtbus op zaterdag"]], TODAY)
    with pytest.raises(ValidationError):
        kit.dots.choose(session, [ids["Zaal was vol"]], TODAY)  # a note
    with pytest.raises(NotFoundError):
        kit.dots.choose(session, [ids["Ik kan rijden"]], TODAY)  # an offer has its own table: not a capture
    assert kit.agreements.for_session(session) == [] and kit.agreements.for_session(other) == []


def test_ties_in_the_ranking_function():
    rows = [{"id": str(n), "kind": "idea", "text": str(n), "step_id": None, "dots": d, "made": None,
             "created_at": None} for n, d in enumerate((5, None, 9, 5, 5, 2))]  # fmt: skip
    assert [(c.rank, c.dots) for c in ranked(rows)] == [(1, 9), (2, 5), (2, 5), (2, 5), (5, 2), (None, None)]


def test_the_ranking_per_step_when_dots_were_counted_twice(evening):
    kit, session, step, ids = evening
    later = kit.sessions.steps(session)[4]
    idea = kit.live.capture(session, "idea", "Een repair café", START + timedelta(minutes=30), later.id).id
    kit.dots.set_dots(ids["Een buurtbus op zaterdag"], 2)
    assert [title for title, _ranking in kit.dots.by_step(session)] == [""]
    kit.dots.set_dots(idea, 5)
    groups = kit.dots.by_step(session)
    assert [title for title, _ranking in groups] == [kit.sessions.steps(session)[2].title, later.title]
    assert [[(c.rank, c.text) for c in ranking] for _title, ranking in groups] == [
        [(1, "Een buurtbus op zaterdag")], [(1, "Een repair café")]]


# -- in the handouts ---------------------------------------------------------------------------


def _with_secret(kit, session, step):
    kit.people.add(SECRET, consent_share=0)
    dream = kit.live.capture(session, "dream", f"Dat {SECRET} weer naar de markt kan", START, step).id
    kit.dots.set_dots(dream, 12)
    return dream


def test_a_meeting_without_dots_prints_no_ranking(evening):
    kit, session, _step, _ids = evening
    made = make("feedback", kit, session, TODAY)
    assert _(CHOSEN) not in text_of(made.data) and _(CHOSEN) not in made.html


def test_the_ranking_is_in_the_feedback_report_its_html_and_the_pack_without_names(evening):
    kit, session, step, ids = evening
    _with_secret(kit, session, step)
    kit.dots.set_dots(ids["Een buurtbus op zaterdag"], 4)
    kit.dots.set_dots(ids["Een klussenlijst bij de bakker"], 4)
    kit.dots.choose(session, [ids["Een buurtbus op zaterdag"]], TODAY)
    made = make("feedback", kit, session, TODAY)
    pack = text_of(pdf_bytes("pack", kit, session, TODAY))
    for where, body in (("PDF", text_of(made.data)), ("HTML", made.html), ("pack", pack)):
        assert _(CHOSEN) in body, where
        assert not re.search(r"Henk|Oosterhuis", body), f"the {where} names someone who did not agree"
        flat = squash(body[body.index(_(CHOSEN)):])  # the ranking onwards ("What was said" comes before it)
        assert squash("Dat (naam niet gedeeld) weer naar de markt kan") in flat, where
        # the order of the ranking: 12 dots first, then the tie of 4 in the order captured
        first, second, third = (flat.index(squash(t)) for t in ("naar de markt kan", "Een klussenlijst bij de bakker",
                                                                "Een buurtbus op zaterdag"))  # fmt: skip
        assert first < second < third, where
    html = made.html[made.html.index(f"<h2>{_(CHOSEN)}"):]
    html = html[:html.index("</table>")]
    assert '<td class="number">1</td><th scope="row">Dat (naam niet gedeeld) weer naar de markt kan</th>' \
           '<td class="number">12</td><td></td>' in html  # fmt: skip
    assert '<td class="number">2</td><th scope="row">Een buurtbus op zaterdag</th><td class="number">4</td>' \
           '<td>ja</td>' in html  # fmt: skip
    assert html.count('<td class="number">2</td><th') == 2  # the tie shares its place
