"""Quick capture's limits and shortcuts, and starting a meeting far from its planned time
(issue 14, problems 8, 13 and 15).

A captured line is refused whole past 2000 characters (as an offer or need may hold), with
its length in the message; an offer, need or obstacle typed as "vervoer: ..." or "#vervoer ..."
gets that category, so it can match; a meeting started on another day, or hours from its
planned time, is re-planned from now on request, keeping its length and agenda.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from wijkkit import i18n, templates
from wijkkit.errors import ValidationError
from wijkkit.live import MAX_TEXT, far_from_planned, split_category

EVENING = datetime(2027, 1, 12, 19, 40).astimezone()


@pytest.fixture
def meeting(kit):
    return kit.sessions.plan("Avond", "2027-01-12T19:30", "2027-01-12T22:00", templates.builtin(),
                             now=datetime(2026, 12, 1))  # fmt: skip


def test_a_captured_line_longer_than_the_limit_is_refused_whole_with_its_length(kit, meeting):
    i18n.set_language("en")
    assert MAX_TEXT == 2000
    assert kit.live.capture(meeting, "note", "x" * 2000, EVENING).text == "x" * 2000
    with pytest.raises(ValidationError) as refused:
        kit.live.capture(meeting, "offer", "y" * 2001, EVENING)
    assert refused.value.localized() == ("This text has 2001 characters; at most 2000 fit. "
                                         "Shorten it or split it over more lines.")  # fmt: skip
    item = kit.live.captures(meeting)[0]
    with pytest.raises(ValidationError):
        kit.live.edit_capture(item, "z" * 2001)
    assert [i.text for i in kit.live.captures(meeting)] == ["x" * 2000]


@pytest.mark.parametrize(
    ("kind", "typed", "category", "text"),
    [
        ("offer", "vervoer: lift naar de markt", "vervoer", "lift naar de markt"),
        ("need", "#vervoer lift naar de markt", "vervoer", "lift naar de markt"),
        ("need", "Digitale hulp: iemand die met de tablet helpt", "digitale_hulp", "iemand die met de tablet helpt"),
        ("offer", "#digitale_hulp tablet uitleggen", "digitale_hulp", "tablet uitleggen"),
        ("offer", "groceries: boodschappen op dinsdag", "boodschappen", "boodschappen op dinsdag"),
        ("obstacle", "informatie: niemand weet van de buurtbus", "informatie", "niemand weet van de buurtbus"),
        ("offer", "Let op: alleen op zaterdag", None, "Let op: alleen op zaterdag"),
        ("offer", "#onbekend iets", None, "#onbekend iets"),
        ("note", "vervoer: een notitie heeft geen categorie", None, "vervoer: een notitie heeft geen categorie"),
    ],
)
def test_a_category_typed_in_front_is_recognised(kind, typed, category, text):
    i18n.set_language("nl")
    assert split_category(kind, typed) == (category, text)


def test_a_captured_offer_and_need_with_a_category_match(kit, meeting):
    offer = kit.live.capture(meeting, "offer", "vervoer: rijdt dinsdags naar de markt", EVENING)
    need = kit.live.capture(meeting, "need", "#vervoer zoekt een lift", EVENING)
    obstacle = kit.live.capture(meeting, "obstacle", "Geen bus", EVENING, category="vervoer")
    assert kit.exchange.item("offer", offer.id).category == "vervoer" and offer.text == "rijdt dinsdags naar de markt"
    assert kit.exchange.item("obstacle", obstacle.id).category == "vervoer"
    assert [(m.offer.id, m.need.id) for m in kit.exchange.matches()] == [(offer.id, need.id)]
    with pytest.raises(ValidationError):
        kit.live.capture(meeting, "need", "iets", EVENING, category="gezondheid")


@pytest.mark.parametrize(
    ("now", "far"),
    [
        (datetime(2027, 1, 12, 19, 25), False),
        (datetime(2027, 1, 12, 21, 29), False),
        (datetime(2027, 1, 12, 17, 20), True),
        (datetime(2027, 1, 12, 21, 40), True),
        (datetime(2027, 1, 5, 19, 30), True),  # a week early, at the same hour
        (datetime(2027, 1, 13, 0, 10), True),  # just after midnight: another day
    ],
)
def test_far_from_planned_is_another_day_or_over_two_hours_away(now, far):
    assert far_from_planned("2027-01-12T19:30", now.astimezone()) is far


def test_starting_far_from_planned_moves_the_times_to_now_keeping_length_and_agenda(kit, meeting):
    minutes = [s.minutes for s in kit.sessions.steps(meeting)]
    now = datetime(2027, 1, 5, 14, 7, 31).astimezone()
    state = kit.live.start_replanned(meeting, now)
    session = kit.sessions.get(meeting)
    assert (session.starts_at, session.ends_at, session.status) == ("2027-01-05T14:07", "2027-01-05T16:37", "running")
    assert state.started and state.running
    assert [s.minutes for s in kit.sessions.steps(meeting)] == minutes
    assert not far_from_planned(session.starts_at, now + timedelta(minutes=5))
    assert kit.live.proposal(meeting, now + timedelta(minutes=5)) is None  # on time, not 10216 minutes early
