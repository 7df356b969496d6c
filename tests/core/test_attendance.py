"""Attendance: marking someone present is idempotent per person and meeting, tables are
numbered 1..999, and the total counts those who came without registering too."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wijkkit.errors import ValidationError
from wijkkit.kit import Kit


@pytest.fixture
def meeting(kit):
    return kit.sessions.add("Avond", "2026-12-15T19:30", "2026-12-15T22:00")


def rows(kit: Kit, table: str) -> int:
    return kit.conn.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]


def test_marking_twice_updates_the_table_and_does_not_duplicate(kit, meeting):
    anneke = kit.people.add("Anneke Bosma")
    first = kit.attendance.mark(meeting, anneke, 1)
    second = kit.attendance.mark(meeting, anneke, 3)
    assert first == second
    assert rows(kit, "attendance") == 1
    (only,) = kit.attendance.attendees(meeting)
    assert (only.attendance_id, only.person_id, only.name, only.table_no) == (
        first,
        anneke,
        "Anneke Bosma",
        3,
    )
    kit.attendance.mark(meeting, anneke)
    assert [a.table_no for a in kit.attendance.attendees(meeting)] == [None]
    assert rows(kit, "attendance") == 1


def test_marking_the_same_table_again_writes_nothing(kit, meeting):
    anneke = kit.people.add("Anneke Bosma")
    kit.attendance.mark(meeting, anneke, 2)
    versions = rows(kit, "_field_version")
    hlc = kit.conn.execute("SELECT max(hlc) FROM _field_version").fetchone()[0]
    kit.attendance.mark(meeting, anneke, 2)
    assert rows(kit, "_field_version") == versions
    assert kit.conn.execute("SELECT max(hlc) FROM _field_version").fetchone()[0] == hlc


def test_the_same_person_at_two_meetings_is_two_rows(kit, meeting):
    other = kit.sessions.add("Tweede avond", "2027-01-15T19:30", "2027-01-15T22:00")
    henk = kit.people.add("Henk")
    kit.attendance.mark(meeting, henk, 1)
    kit.attendance.mark(other, henk, 2)
    assert rows(kit, "attendance") == 2
    assert [a.table_no for a in kit.attendance.attendees(meeting)] == [1]
    assert [a.table_no for a in kit.attendance.attendees(other)] == [2]


@pytest.mark.parametrize("table_no", [1, 999, "7"])
def test_table_numbers_from_1_to_999_are_accepted(kit, meeting, table_no):
    person = kit.people.add("Jan")
    kit.attendance.mark(meeting, person, table_no)
    assert kit.attendance.attendees(meeting)[0].table_no == int(table_no)


@pytest.mark.parametrize("table_no", [0, -1, 1000, 10**6, "0", 2.5, "drie"])
def test_unknown_table_numbers_are_refused_and_nothing_saved(kit, meeting, table_no):
    person = kit.people.add("Jan")
    kit.attendance.mark(meeting, person, 4)
    before = kit.query("SELECT * FROM attendance")
    versions = rows(kit, "_field_version")
    with pytest.raises(ValidationError) as caught:
        kit.attendance.mark(meeting, person, table_no)
    assert caught.value.field == "table_no"
    assert kit.query("SELECT * FROM attendance") == before
    assert rows(kit, "_field_version") == versions
    other = kit.people.add("Piet")
    with pytest.raises(ValidationError):
        kit.attendance.mark(meeting, other, table_no)
    assert kit.query("SELECT * FROM attendance") == before


def test_anonymous_count_and_total(kit, meeting):
    for name in ("Anneke", "Henk", "Zoë"):
        kit.attendance.mark(meeting, kit.people.add(name))
    assert kit.attendance.total(meeting) == 3
    kit.attendance.set_anonymous(meeting, 6)
    assert kit.attendance.total(meeting) == 9
    kit.attendance.set_anonymous(meeting, 0)
    assert kit.attendance.total(meeting) == 3
    assert kit.sessions.get(meeting) is not None
    assert kit.row("session", meeting)["anonymous_count"] == 0


@pytest.mark.parametrize("count", [-1, "-3", None])
def test_a_negative_anonymous_count_is_refused_and_nothing_saved(kit, meeting, count):
    kit.attendance.set_anonymous(meeting, 4)
    versions = rows(kit, "_field_version")
    with pytest.raises(ValidationError) as caught:
        kit.attendance.set_anonymous(meeting, count)
    assert caught.value.field == "anonymous_count"
    assert kit.row("session", meeting)["anonymous_count"] == 4
    assert rows(kit, "_field_version") == versions


def test_an_empty_meeting_has_total_zero(kit, meeting):
    assert kit.attendance.attendees(meeting) == []
    assert kit.attendance.total(meeting) == 0


def test_attendees_are_sorted_by_name_with_lucja_among_the_ls(kit, meeting):
    for name in (
        "Zoë van 't Hof",
        "Marieke Smit",
        "Łucja Wójcik",
        "Lars",
        "kees",
        "Şükrü Yılmaz",
        "Lotte",
    ):
        kit.attendance.mark(meeting, kit.people.add(name))
    names = [a.name for a in kit.attendance.attendees(meeting)]
    assert names == [
        "kees",
        "Lars",
        "Lotte",
        "Łucja Wójcik",
        "Marieke Smit",
        "Şükrü Yılmaz",
        "Zoë van 't Hof",
    ]


def test_attendees_carry_role_organisation_and_consent_to_share(kit, meeting):
    fatima = kit.people.add(
        "Fatima", role="wijkteam", organisation="Wijkteam Noord", consent_share=1
    )
    henk = kit.people.add("Henk")
    kit.attendance.mark(meeting, fatima, 3)
    kit.attendance.mark(meeting, henk)
    by_name = {a.name: a for a in kit.attendance.attendees(meeting)}
    assert (by_name["Fatima"].role, by_name["Fatima"].organisation, by_name["Fatima"].consent_share) == (
        "wijkteam", "Wijkteam Noord", 1,
    )  # fmt: skip
    assert (by_name["Henk"].role, by_name["Henk"].organisation, by_name["Henk"].consent_share) == (
        "inwoner",
        "",
        0,
    )


def test_unmark_undoes_the_check_in_without_a_tombstone(kit, meeting):
    """Undoing is a stamped edit (present = 0), not a delete: see test_attendance_undo.py."""
    henk = kit.people.add("Henk")
    attendance_id = kit.attendance.mark(meeting, henk, 2)
    kit.attendance.unmark(attendance_id)
    assert kit.attendance.attendees(meeting) == []
    assert not kit.is_deleted("attendance", attendance_id)
    assert kit.attendance.mark(meeting, henk, 2) == attendance_id


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4), st.one_of(st.none(), st.integers(1, 999))), max_size=25),
       st.integers(0, 500))  # fmt: skip
def test_one_row_per_person_and_the_last_table_wins(marks, anonymous):
    with Kit.memory() as kit:
        meeting = kit.sessions.add("Avond", "2026-12-15T19:30", "2026-12-15T22:00")
        people = [kit.people.add(f"Persoon {i}") for i in range(5)]
        last: dict[str, int | None] = {}
        for index, table_no in marks:
            kit.attendance.mark(meeting, people[index], table_no)
            last[people[index]] = table_no
        kit.attendance.set_anonymous(meeting, anonymous)
        assert {a.person_id: a.table_no for a in kit.attendance.attendees(meeting)} == last
        assert rows(kit, "attendance") == len(last)
        assert kit.attendance.total(meeting) == len(last) + anonymous
