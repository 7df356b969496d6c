"""Agreements: checked input (a long title is shortened but never lost), a dated history of
every status change, and the follow-up views: overdue, due this month, and what the next
meeting of the same neighbourhood should review."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wijkkit.agreements import MAX_TEXT, MAX_TITLE
from wijkkit.errors import NotFoundError, ValidationError
from wijkkit.kit import Kit
from wijkkit.models import AGREEMENT_STATUSES, OPEN_AGREEMENT_STATUSES

TODAY = date(2026, 11, 29)


@pytest.fixture
def meeting(kit):
    return kit.sessions.add("Avond", "2026-11-10T19:30", "2026-11-10T22:00")


def rows(kit: Kit, table: str) -> int:
    return kit.conn.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]


def snapshot(kit: Kit) -> tuple[object, ...]:
    return (
        kit.query("SELECT * FROM agreement ORDER BY id"),
        kit.query("SELECT * FROM agreement_update ORDER BY id"),
        rows(kit, "_field_version"),
    )


# -- adding and validation ------------------------------------------------------------


def test_add_stores_every_detail(kit, meeting):
    henk = kit.people.add("Henk Oosterhuis")
    agreement_id = kit.agreements.add(
        "  Koffieochtend elke eerste dinsdag ", meeting, description="In De Schakel", owner_person_id=henk,
        partners="Welzijn Veldhorst", due_on=date(2026, 12, 8), review_on="2026-12-27", status="in_progress",
    )  # fmt: skip
    got = kit.agreements.get(agreement_id)
    assert (got.title, got.description, got.owner_name, got.owner_label, got.partners) == (
        "Koffieochtend elke eerste dinsdag", "In De Schakel", "Henk Oosterhuis", "Henk Oosterhuis", "Welzijn Veldhorst",
    )  # fmt: skip
    assert (got.due_on, got.review_on, got.status, got.session_id) == (
        "2026-12-08",
        "2026-12-27",
        "in_progress",
        meeting,
    )
    assert datetime.fromisoformat(kit.row("agreement", agreement_id)["created_at"])
    assert [a.id for a in kit.agreements.for_session(meeting)] == [agreement_id]


def test_without_a_meeting_or_status_it_is_open(kit):
    got = kit.agreements.get(kit.agreements.add("Iets regelen", owner_party="Gemeente"))
    assert (got.status, got.session_id, got.owner_label) == ("open", None, "Gemeente")


@pytest.mark.parametrize(
    ("title", "details", "field"),
    [
        ("", {}, "title"),
        ("   ", {}, "title"),
        (None, {}, "title"),
        ("Koffie", {"description": "x" * (MAX_TEXT + 1)}, "description"),
        ("Koffie", {"status": "klaar"}, "status"),
        ("Koffie", {"status": "Open"}, "status"),
        ("Koffie", {"status": None}, "status"),
        ("Koffie", {"due_on": "2026-02-30"}, "due_on"),
        ("Koffie", {"due_on": "volgende week"}, "due_on"),
        ("Koffie", {"due_on": "31-12-2026"}, "due_on"),
        ("Koffie", {"review_on": "2026-13-01"}, "review_on"),
        ("Koffie", {"due_on": "2026-11-09"}, "due_on"),  # the day before the meeting
        ("Koffie", {"due_on": date(2025, 1, 1)}, "due_on"),
    ],
)
def test_bad_agreement_input_is_refused_and_nothing_saved(kit, meeting, title, details, field):
    kit.agreements.add("Er is er al een", meeting)
    before = snapshot(kit)
    with pytest.raises(ValidationError) as caught:
        kit.agreements.add(title, meeting, **details)
    assert caught.value.field == field
    assert snapshot(kit) == before


def test_due_on_the_day_of_the_meeting_itself_is_fine(kit, meeting):
    assert (
        kit.agreements.get(kit.agreements.add("Meteen", meeting, due_on="2026-11-10")).due_on
        == "2026-11-10"
    )


def test_a_due_date_in_the_past_is_fine_without_a_meeting(kit):
    assert (
        kit.agreements.get(kit.agreements.add("Ingevoerd achteraf", due_on="2020-01-01")).due_on
        == "2020-01-01"
    )


def test_a_datetime_due_date_is_stored_as_its_day(kit, meeting):
    got = kit.agreements.get(
        kit.agreements.add("Koffie", meeting, due_on=datetime(2026, 12, 1, 10, 0))
    )
    assert got.due_on == "2026-12-01"


def test_a_long_title_is_shortened_and_kept_whole_in_the_description(kit, meeting):
    title = "Een afspraak " + "heel lang " * 40
    assert len(title.strip()) > MAX_TITLE
    got = kit.agreements.get(kit.agreements.add(title, meeting, description="Met Henk"))
    assert len(got.title) == MAX_TITLE
    assert got.title.endswith("…")
    assert title.strip().startswith(got.title[:-1])
    assert got.description == title.strip() + "\nMet Henk"


def test_a_title_of_exactly_the_maximum_is_kept_as_it_is(kit):
    got = kit.agreements.get(kit.agreements.add("x" * MAX_TITLE))
    assert (got.title, got.description) == ("x" * MAX_TITLE, "")


def test_shortening_a_long_title_on_edit_keeps_the_existing_description(kit, meeting):
    agreement_id = kit.agreements.add(
        "Kort", meeting, description="Belangrijke details: sleutel bij Henk"
    )
    title = "Langer " * 60
    kit.agreements.edit(agreement_id, title=title)
    got = kit.agreements.get(agreement_id)
    assert len(got.title) == MAX_TITLE
    assert title.strip() in got.description
    assert "Belangrijke details: sleutel bij Henk" in got.description  # nothing lost


# -- editing ----------------------------------------------------------------------------


def test_edit_checks_like_add_and_keeps_the_meeting_rule(kit, meeting):
    agreement_id = kit.agreements.add("Koffie", meeting, due_on="2026-12-01")
    assert kit.agreements.edit(agreement_id, due_on="2026-12-15", partners="Welzijn") == [
        "due_on",
        "partners",
    ]
    before = snapshot(kit)
    for changes, field in [({"title": " "}, "title"), ({"due_on": "2026-11-01"}, "due_on"),
                           ({"status": "weg"}, "status"), ({"review_on": "gisteren"}, "review_on")]:  # fmt: skip
        with pytest.raises(ValidationError) as caught:
            kit.agreements.edit(agreement_id, **changes)
        assert caught.value.field == field
    assert snapshot(kit) == before
    assert kit.agreements.edit(agreement_id, due_on="") == ["due_on"]
    assert kit.agreements.get(agreement_id).due_on is None


def test_edit_of_an_unknown_agreement_is_not_found(kit):
    with pytest.raises(NotFoundError):
        kit.agreements.edit("no-such-id", title="x")


# -- status history ---------------------------------------------------------------------


def test_update_status_keeps_a_history_in_order_with_notes_and_meetings(kit, meeting):
    later = kit.sessions.add("Vervolg", "2026-12-27T19:30", "2026-12-27T22:00")
    agreement_id = kit.agreements.add("Koffieochtend", meeting)
    steps = [
        ("in_progress", " Eerste ochtend gepland ", meeting, datetime(2026, 11, 12, 9, 0)),
        ("stalled", "Zaal niet vrij", None, datetime(2026, 11, 20, 14, 30)),
        ("stalled", "Nog steeds geen zaal", None, datetime(2026, 12, 1, 10, 0)),
        ("done", "Loopt: 14 mensen", later, datetime(2026, 12, 27, 20, 15)),
    ]
    ids = [kit.agreements.update_status(agreement_id, *step) for step in steps]
    history = kit.agreements.history(agreement_id)
    assert [(h["status"], h["note"], h["session_id"], h["at"]) for h in history] == [
        (status, note.strip(), session, at.isoformat(timespec="seconds"))
        for status, note, session, at in steps
    ]
    assert [h["id"] for h in history] == ids
    assert [h["session_title"] for h in history] == ["Avond", None, None, "Vervolg"]
    assert kit.agreements.get(agreement_id).status == "done"  # the last one written


def test_update_status_without_a_moment_uses_now(kit):
    agreement_id = kit.agreements.add("Koffie")
    before = datetime.now().replace(microsecond=0)
    kit.agreements.update_status(agreement_id, "in_progress")
    (entry,) = kit.agreements.history(agreement_id)
    assert before <= datetime.fromisoformat(entry["at"]) <= datetime.now()
    assert entry["note"] == ""


@pytest.mark.parametrize("status", ["klaar", "", None, "DONE"])
def test_update_status_refuses_unknown_statuses_and_writes_nothing(kit, status):
    agreement_id = kit.agreements.add("Koffie")
    before = snapshot(kit)
    with pytest.raises(ValidationError) as caught:
        kit.agreements.update_status(agreement_id, status, "notitie")
    assert caught.value.field == "status"
    assert snapshot(kit) == before


def test_update_status_of_an_unknown_agreement_is_not_found_and_writes_nothing(kit):
    before = snapshot(kit)
    with pytest.raises(NotFoundError):
        kit.agreements.update_status("no-such-id", "done")
    assert snapshot(kit) == before


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(sorted(AGREEMENT_STATUSES)), st.text(max_size=20)), min_size=1,
                max_size=12))  # fmt: skip
def test_status_is_the_last_update_and_history_has_every_update(updates):
    with Kit.memory() as kit:
        agreement_id = kit.agreements.add("Koffie")
        for status, note in updates:
            kit.agreements.update_status(agreement_id, status, note)
        history = kit.agreements.history(agreement_id)
        assert kit.agreements.get(agreement_id).status == updates[-1][0]
        assert len(history) == len(updates)
        assert [h["status"] for h in history] == [s for s, _ in updates]
        assert [h["note"] for h in history] == [unicodedata.normalize("NFC", n.strip()) for _, n in updates]


# -- follow-up views ---------------------------------------------------------------------


def test_overdue_and_due_this_month_at_a_fixed_day(kit):
    made = {
        title: kit.agreements.add(title, due_on=due, status=status)
        for title, due, status in [
            ("gisteren", "2026-11-28", "open"),
            ("vorige maand", "2026-10-15", "stalled"),
            ("te laat maar klaar", "2026-11-01", "done"),
            ("te laat, laten vallen", "2026-11-02", "dropped"),
            ("vandaag", "2026-11-29", "in_progress"),
            ("morgen", "2026-11-30", "open"),
            ("volgende maand", "2026-12-01", "open"),
            ("deze maand klaar", "2026-11-30", "done"),
            ("zonder datum", None, "open"),
        ]
    }
    assert {a.title for a in kit.agreements.overdue(TODAY)} == {"gisteren", "vorige maand"}
    assert {a.title for a in kit.agreements.due_this_month(TODAY)} == {"vandaag", "morgen"}
    assert {a.title for a in kit.agreements.open()} == {
        "gisteren", "vorige maand", "vandaag", "morgen", "volgende maand", "zonder datum",
    }  # fmt: skip
    kit.agreements.update_status(made["gisteren"], "done")
    assert {a.title for a in kit.agreements.overdue(TODAY)} == {"vorige maand"}
    assert {a.title for a in kit.agreements.overdue(date(2026, 12, 2))} == {
        "vorige maand", "vandaag", "morgen", "volgende maand",
    }  # fmt: skip
    assert {a.title for a in kit.agreements.due_this_month(date(2026, 12, 1))} == {"volgende maand"}


def test_list_sorts_by_due_date_with_undated_last(kit):
    for title, due in [("c", None), ("b", "2026-12-01"), ("a", "2026-12-01"), ("d", "2026-11-01")]:
        kit.agreements.add(title, due_on=due)
    assert [a.title for a in kit.agreements.list()] == ["d", "a", "b", "c"]


def test_to_review_of_the_planned_demo_meeting_is_the_held_meetings_open_agreements(demo_kit):
    held, planned = demo_kit.sessions.list()
    expected = {
        a.id
        for a in demo_kit.agreements.for_session(held.id)
        if a.status in OPEN_AGREEMENT_STATUSES
    }
    assert len(expected) == 5
    review = demo_kit.agreements.to_review(planned.id)
    assert {a.id for a in review} == expected
    assert len(review) == len(expected)
    assert {a.status for a in review} == {"open", "in_progress", "stalled"}
    assert demo_kit.agreements.to_review(held.id) == []


def test_to_review_follows_the_neighbourhood_and_the_followed_meeting(kit):
    noord = kit.neighbourhoods.add("Noord")
    zuid = kit.neighbourhoods.add("Zuid")
    day = date(2026, 9, 1)

    def meeting(title, days, hood=None, **more):
        start = datetime.combine(day + timedelta(days=days), datetime.min.time()).replace(hour=19)
        return kit.sessions.add(title, start.isoformat(), (start + timedelta(hours=2)).isoformat(),
                                neighbourhood_id=hood, **more)  # fmt: skip

    first = meeting("Noord 1", 0, noord)
    second = meeting("Noord 2", 30, noord)
    third = meeting("Noord 3", 60, noord)
    south = meeting("Zuid 1", 10, zuid)
    loose = meeting("Losse avond", 5)
    follow_loose = meeting("Vervolg losse avond", 40, follows_session_id=loose)
    a1 = kit.agreements.add("Noord 1 open", first)
    kit.agreements.add("Noord 1 klaar", first, status="done")
    a2 = kit.agreements.add("Noord 2 vast", second, status="stalled")
    kit.agreements.add("Noord 3 zelf", third)
    kit.agreements.add("Zuid", south)
    a_loose = kit.agreements.add("Los", loose, status="in_progress")
    assert {a.id for a in kit.agreements.to_review(third)} == {a1, a2}
    assert {a.id for a in kit.agreements.to_review(second)} == {a1}
    assert kit.agreements.to_review(first) == []
    assert {a.id for a in kit.agreements.to_review(follow_loose)} == {a_loose}
    with pytest.raises(NotFoundError):
        kit.agreements.to_review("no-such-meeting")
