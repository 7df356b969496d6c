"""Deleting a meeting planned by mistake, rescheduling after invitations went out, follow-ups,
and reading dates and times as people type them (issue 14, problems 5, 14 and 17)."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from wijkkit import dates
from wijkkit.errors import ValidationError
from wijkkit.kit import Kit

NOW = datetime(2026, 11, 29, 12, 0)
TODAY = date(2026, 11, 29)


@pytest.fixture
def kit(tmp_path):
    with Kit.open(tmp_path / "w.sqlite") as opened:
        yield opened


def _meeting(kit, day="2026-12-15", **details):
    return kit.sessions.plan("Samen zorgen", f"{day}T19:30", f"{day}T22:00", now=NOW, **details)


def test_a_meeting_with_nothing_recorded_is_deleted_with_its_planning_and_tombstones(kit):
    session_id = _meeting(kit)
    kit.sessions.add_step(session_id, "Welkom", 10)
    kit.preparation.set_invitation(session_id, "letter", planned_on="2026-12-01")
    later = _meeting(kit, "2027-01-12", follows_session_id=session_id)
    kit.sessions.delete(session_id)
    assert [s.id for s in kit.sessions.list()] == [later]
    assert kit.sessions.get(later).follows_session_id is None
    for table in ("step", "invitation", "checklist_item"):
        assert not kit.query(f"SELECT 1 FROM {table} WHERE session_id = ?", [session_id])  # noqa: S608
    gone = {(r["tbl"], r["row_id"]) for r in kit.query("SELECT tbl, row_id FROM _tombstone")}
    assert ("session", session_id) in gone
    assert {t for t, _ in gone} >= {"session", "step", "invitation", "checklist_item"}


def test_a_meeting_with_attendance_can_only_be_cancelled(kit):
    session_id = _meeting(kit)
    person = kit.people.add("Anna de Vries")
    kit.attendance.mark(session_id, person)
    assert kit.sessions.recorded(session_id) == ["attendance"]
    with pytest.raises(ValidationError, match="cancelled"):
        kit.sessions.delete(session_id)
    assert kit.sessions.get(session_id)


def test_rescheduling_is_noticed_and_sent_invitations_are_known(kit):
    session_id = _meeting(kit)
    assert not kit.sessions.moves_time(session_id, {"starts_at": "2026-12-15T19:30", "title": "x"})
    assert kit.sessions.moves_time(session_id, {"starts_at": "2026-12-16T19:30", "ends_at": "2026-12-16T22:00"})
    kit.preparation.set_invitation(session_id, "letter", planned_on="2026-12-01")
    assert kit.preparation.sent(session_id) == []
    kit.preparation.set_invitation(session_id, "letter", done_on="2026-12-02")
    assert [i.channel for i in kit.preparation.sent(session_id)] == ["letter"]


def test_a_follow_up_takes_place_facilitator_and_time_of_day(kit):
    session_id = kit.sessions.plan("Eerste", "2026-12-15T19:00", "2026-12-15T21:30", now=NOW,
                                   location_name="De Schakel", location_address="Dorpsstraat 1",
                                   facilitator="Sanne")  # fmt: skip
    assert kit.sessions.follow_up_details(session_id) == {
        "location_name": "De Schakel", "location_address": "Dorpsstraat 1", "facilitator": "Sanne",
        "start": "19:00", "end": "21:30"}  # fmt: skip


@pytest.mark.parametrize(("typed", "expected"), [
    ("3-12-2026", date(2026, 12, 3)),
    ("03-12-2026", date(2026, 12, 3)),
    ("3/12/2026", date(2026, 12, 3)),
    ("3.12.2026", date(2026, 12, 3)),
    ("2026-12-03", date(2026, 12, 3)),
    ("3-12", date(2026, 12, 3)),
    ("3-12-27", date(2027, 12, 3)),
    (" 31 1 2027 ", date(2027, 1, 31)),
    ("03122026", date(2026, 12, 3)),
    ("", None),
])  # fmt: skip
def test_typed_dates(typed, expected):
    assert dates.typed_date(typed, TODAY) == expected


@pytest.mark.parametrize("typed", ["31-2-2026", "morgen", "3-12-2026-1", "13-13", "3--"])
def test_typed_dates_that_are_not_dates(typed):
    with pytest.raises(ValidationError, match="not a date"):
        dates.typed_date(typed, TODAY)


@pytest.mark.parametrize(("typed", "expected"), [
    ("20:00", time(20, 0)), ("2200", time(22, 0)), ("22.00", time(22, 0)), ("20", time(20, 0)),
    ("9", time(9, 0)), ("930", time(9, 30)), ("9:5", time(9, 5)), (" 19:45 ", time(19, 45)),
])  # fmt: skip
def test_typed_times(typed, expected):
    assert dates.typed_time(typed) == expected


@pytest.mark.parametrize("typed", ["", "25:00", "19:60", "abc", "12345", "7 uur"])
def test_typed_times_that_are_not_times(typed):
    with pytest.raises(ValidationError, match="not a time"):
        dates.typed_time(typed)
