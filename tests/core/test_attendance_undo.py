"""Undoing a check-in and changing a table afterwards (issue 14, problem 14).

Undoing sets ``present`` to 0 through the Kit's stamped update instead of deleting the row:
the undo travels to the hub and the other laptops like any edit, and marking the person
again (here or on another laptop) makes the same row present again, without a tombstone
or a conflict copy."""

from __future__ import annotations

import pytest

from tests.core.sync_village import conflicts, version
from wijkkit.errors import NotFoundError, ValidationError
from wijkkit.kit import Kit


@pytest.fixture
def meeting(kit):
    return kit.sessions.add("Avond", "2026-12-15T19:30", "2026-12-15T22:00")


def count(kit: Kit, sql: str) -> int:
    return kit.conn.execute(sql).fetchone()[0]


def test_an_undone_check_in_no_longer_counts_and_marking_again_reuses_the_row(kit, meeting):
    anneke, henk = kit.people.add("Anneke Bosma"), kit.people.add("Henk Oosterhuis")
    kit.attendance.set_anonymous(meeting, 3)
    first = kit.attendance.mark(meeting, anneke, 2)
    kit.attendance.mark(meeting, henk, 1)
    assert kit.attendance.total(meeting) == 5
    before = version(kit, "attendance", first, "present")

    kit.attendance.unmark(first)

    assert [a.name for a in kit.attendance.attendees(meeting)] == ["Henk Oosterhuis"]
    assert kit.attendance.total(meeting) == 4
    assert anneke not in kit.people.last_seen()  # not "seen" at a meeting she did not attend
    undone = kit.attendance.get(first)
    assert (undone.present, undone.table_no) == (False, 2)
    assert version(kit, "attendance", first, "present") > before  # stamped: sync carries the undo
    assert count(kit, "SELECT count(*) FROM _tombstone") == 0  # not a delete: deletes are final in sync

    again = kit.attendance.mark(meeting, anneke, 4)
    assert again == first and count(kit, "SELECT count(*) FROM attendance") == 2
    assert [(a.name, a.table_no) for a in kit.attendance.attendees(meeting)] == [("Anneke Bosma", 4),
                                                                                  ("Henk Oosterhuis", 1)]  # fmt: skip


def test_undoing_twice_writes_nothing_the_second_time(kit, meeting):
    row = kit.attendance.mark(meeting, kit.people.add("Anneke Bosma"))
    kit.attendance.unmark(row)
    stamp = version(kit, "attendance", row, "present")
    kit.attendance.unmark(row)
    assert version(kit, "attendance", row, "present") == stamp


@pytest.mark.parametrize("table_no", [7, None, "12"])
def test_the_table_can_be_changed_after_check_in(kit, meeting, table_no):
    row = kit.attendance.mark(meeting, kit.people.add("Anneke Bosma"), 3)
    before = version(kit, "attendance", row, "table_no")
    kit.attendance.set_table(row, table_no)
    expected = None if table_no is None else int(table_no)
    assert [a.table_no for a in kit.attendance.attendees(meeting)] == [expected]
    assert version(kit, "attendance", row, "table_no") > before


@pytest.mark.parametrize("table_no", [0, 1000, -1, "twee", 2.5])
def test_a_table_outside_1_to_999_is_refused_and_nothing_changes(kit, meeting, table_no):
    row = kit.attendance.mark(meeting, kit.people.add("Anneke Bosma"), 3)
    with pytest.raises(ValidationError) as refused:
        kit.attendance.set_table(row, table_no)
    assert refused.value.field == "table_no"
    assert kit.attendance.get(row).table_no == 3


def test_an_unknown_check_in_is_not_found(kit):
    with pytest.raises(NotFoundError):
        kit.attendance.unmark("no-such-row")
    with pytest.raises(NotFoundError):
        kit.attendance.set_table("no-such-row", 2)


def test_the_undo_and_a_new_table_reach_the_hub_and_the_other_laptop(village):
    a, b, hub = village.a, village.b, village.hub
    meeting = a.sessions.add("Eerste avond", "2026-12-15T19:30", "2026-12-15T22:00", neighbourhood_id=village.wijk)
    anneke = a.people.add("Anneke Bosma", consent_share=1)
    row = a.attendance.mark(meeting, anneke, 2)
    village.sync()
    assert [x.person_id for x in b.attendance.attendees(meeting)] == [anneke]

    a.attendance.unmark(row)
    village.sync()
    assert hub.attendance.attendees(meeting) == [] and b.attendance.attendees(meeting) == []

    b.attendance.mark(meeting, anneke, 5)  # she came after all: the other laptop checks her in again
    village.sync()
    for kit in (a, b, hub):
        assert [(x.attendance_id, x.table_no) for x in kit.attendance.attendees(meeting)] == [(row, 5)]
    a.attendance.set_table(row, 6)
    village.sync()
    assert [x.table_no for x in b.attendance.attendees(meeting)] == [6]
    assert conflicts(hub, row) == [] and conflicts(b, row) == []
