"""Follow-up tasks after a meeting: the usual three with dates relative to the meeting
(never twice), the facilitator's own tasks, and what is still to do."""

from __future__ import annotations

from datetime import date

import pytest

from wijkkit.errors import ValidationError
from wijkkit.followups import USUAL
from wijkkit.i18n import gettext
from wijkkit.kit import Kit

HELD_ON = date(2026, 11, 8)


@pytest.fixture
def meeting(kit):
    return kit.sessions.add("Avond", "2026-11-08T19:30", "2026-11-08T22:00", status="held")


def rows(kit: Kit, table: str) -> int:
    return kit.conn.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]


def test_add_usual_makes_the_three_usual_tasks_dated_from_the_meeting(kit, meeting):
    made = kit.followups.add_usual(meeting, HELD_ON)
    assert len(made) == 3
    tasks = {t.kind: t for t in kit.followups.for_session(meeting)}
    assert {t.id for t in tasks.values()} == set(made)
    assert {k: (t.title, t.due_on) for k, t in tasks.items()} == {
        "feedback": (gettext(USUAL[0][1]), "2026-11-22"),
        "report": (gettext(USUAL[1][1]), "2026-11-15"),
        "next_meeting": (gettext(USUAL[2][1]), "2026-11-29"),
    }
    assert all(t.done_on is None and t.session_id == meeting for t in tasks.values())
    assert [t.kind for t in kit.followups.for_session(meeting)] == [
        "report",
        "feedback",
        "next_meeting",
    ]


def test_add_usual_twice_adds_nothing_the_second_time(kit, meeting):
    kit.followups.add_usual(meeting, HELD_ON)
    before = kit.query("SELECT * FROM follow_up ORDER BY id")
    versions = rows(kit, "_field_version")
    assert kit.followups.add_usual(meeting, HELD_ON) == []
    assert kit.followups.add_usual(meeting, date(2026, 12, 1)) == []
    assert kit.query("SELECT * FROM follow_up ORDER BY id") == before
    assert rows(kit, "_field_version") == versions


def test_add_usual_fills_in_only_what_is_missing(kit, meeting):
    made = kit.followups.add_usual(meeting, HELD_ON)
    report = next(t for t in kit.followups.for_session(meeting) if t.kind == "report")
    kit.delete("follow_up", report.id)
    (again,) = kit.followups.add_usual(meeting, HELD_ON)
    assert again not in made
    assert sorted(t.kind for t in kit.followups.for_session(meeting)) == [
        "feedback",
        "next_meeting",
        "report",
    ]


def test_add_usual_is_per_meeting(kit, meeting):
    other = kit.sessions.add("Andere avond", "2026-11-20T19:30", "2026-11-20T22:00")
    kit.followups.add_usual(meeting, HELD_ON)
    assert len(kit.followups.add_usual(other, date(2026, 11, 20))) == 3
    assert rows(kit, "follow_up") == 6
    assert {t.due_on for t in kit.followups.for_session(other)} == {
        "2026-11-27",
        "2026-12-04",
        "2026-12-11",
    }


def test_own_task_and_set_done(kit, meeting):
    task = kit.followups.add(
        meeting, "  Foto's naar Henk sturen ", date(2026, 11, 12), owner="Ingrid"
    )
    got = kit.followups.for_session(meeting)[0]
    assert (got.id, got.title, got.kind, got.due_on, got.owner, got.done_on) == (
        task, "Foto's naar Henk sturen", "task", "2026-11-12", "Ingrid", None,
    )  # fmt: skip
    kit.followups.set_done(task, date(2026, 11, 11))
    assert kit.followups.for_session(meeting)[0].done_on == "2026-11-11"
    kit.followups.set_done(task, None)
    assert kit.followups.for_session(meeting)[0].done_on is None


def test_open_excludes_done_tasks_and_lists_undated_last(kit, meeting):
    usual = kit.followups.add_usual(meeting, HELD_ON)
    undated = kit.followups.add(None, "Ooit eens doen")
    early = kit.followups.add(meeting, "Zaal betalen", date(2026, 11, 10))
    kit.followups.set_done(usual[0], date(2026, 11, 17))  # feedback
    titles = [t.title for t in kit.followups.open()]
    assert titles == ["Zaal betalen", gettext(USUAL[1][1]), gettext(USUAL[2][1]), "Ooit eens doen"]
    assert usual[0] not in {t.id for t in kit.followups.open()}
    kit.followups.set_done(early, date(2026, 11, 10))
    kit.followups.set_done(undated, date(2026, 11, 30))
    assert [t.kind for t in kit.followups.open()] == ["report", "next_meeting"]


@pytest.mark.parametrize("title", ["", "   ", None, "\n"])
def test_a_task_without_a_title_is_refused_and_nothing_saved(kit, meeting, title):
    kit.followups.add(meeting, "Bestaat al")
    before = kit.query("SELECT * FROM follow_up ORDER BY id")
    versions = rows(kit, "_field_version")
    with pytest.raises(ValidationError) as caught:
        kit.followups.add(meeting, title)
    assert caught.value.field == "title"
    assert kit.query("SELECT * FROM follow_up ORDER BY id") == before
    assert rows(kit, "_field_version") == versions


def test_the_demo_has_the_usual_tasks_with_the_first_done(demo_kit):
    held, _planned = demo_kit.sessions.list()
    tasks = {t.kind: t for t in demo_kit.followups.for_session(held.id)}
    assert set(tasks) == {"feedback", "report", "next_meeting"}
    assert tasks["feedback"].done_on == "2026-11-17"
    assert {t.id for t in demo_kit.followups.open()} == {
        tasks["report"].id,
        tasks["next_meeting"].id,
    }
    assert demo_kit.followups.add_usual(held.id, date(2026, 11, 8)) == []
