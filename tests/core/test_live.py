"""Leading a meeting live through ``kit.live``: clock presses as committed events, refusals
with a reason, the clock after a restart, re-planning a late evening (``agenda.propose``),
and quick capture into the right tables."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wijkkit import agenda, templates
from wijkkit.clock import SECOND, to_micros
from wijkkit.errors import NotFoundError, ValidationError
from wijkkit.kit import Kit
from wijkkit.live import CAPTURE_KINDS, MAX_TEXT

MINUTE = 60 * SECOND
PLANNED_ON = datetime(2026, 11, 29)
START = datetime(2027, 1, 12, 19, 30).astimezone().astimezone(UTC)  # the meeting's local 19:30
AGENDA = [15, 15, 25, 10, 20, 20, 20, 15]  # 140 minutes in a 150-minute slot


def after(minutes: float = 0, seconds: float = 0) -> datetime:
    return START + timedelta(minutes=minutes, seconds=seconds)


def plan(kit: Kit) -> str:
    return kit.sessions.plan(
        "Samen zorgen", "2027-01-12T19:30", "2027-01-12T22:00", templates.builtin(), now=PLANNED_ON
    )


@pytest.fixture
def meeting(kit):
    return plan(kit)


def events_count(kit: Kit, session_id: str | None = None) -> int:
    if session_id is None:
        return kit.query("SELECT count(*) AS n FROM timer_event")[0]["n"]
    rows = kit.query("SELECT count(*) AS n FROM timer_event WHERE session_id = ?", [session_id])
    return rows[0]["n"]


def everything(kit: Kit) -> dict[str, list]:
    state = {t: kit.query(f"SELECT * FROM [{t}] ORDER BY id") for t in kit.tables}
    state["_field_version"] = kit.query("SELECT * FROM _field_version ORDER BY tbl, row_id, field")
    state["_tombstone"] = kit.query("SELECT * FROM _tombstone ORDER BY tbl, row_id")
    return state


def status(kit: Kit, session_id: str) -> str:
    return kit.sessions.get(session_id).status


def minute_stamps(kit: Kit, session_id: str) -> dict[str, int]:
    rows = kit.query(
        "SELECT f.row_id, f.hlc FROM _field_version f JOIN step s ON s.id = f.row_id "
        "WHERE f.tbl = 'step' AND f.field = 'minutes' AND s.session_id = ?",
        [session_id],
    )
    return {r["row_id"]: r["hlc"] for r in rows}


# -- clock presses --------------------------------------------------------------------------


def test_the_meeting_used_here_has_the_builtin_agenda(kit, meeting):
    assert [s.minutes for s in kit.sessions.steps(meeting)] == AGENDA
    assert status(kit, meeting) == "planned"


def test_every_accepted_press_writes_exactly_one_event_row(kit, meeting):
    presses = [("start", 0, 0), ("adjust", 1, 60), ("pause", 2, 0), ("resume", 3, 0), ("next", 4, 0),
               ("adjust", 5, -60), ("back", 6, 0), ("next", 7, 0), ("next", 8, 0), ("end", 9, 0)]  # fmt: skip
    steps = kit.sessions.steps(meeting)
    for number, (kind, minute, seconds) in enumerate(presses, start=1):
        returned = kit.live.press(meeting, kind, after(minute), seconds)
        assert events_count(kit, meeting) == number
        assert returned == kit.live.state(meeting, after(minute))
        assert returned.ignored == []
    rows = kit.query("SELECT kind, at, step_id, seconds FROM timer_event ORDER BY at")
    assert [r["kind"] for r in rows] == [p[0] for p in presses]
    assert [r["seconds"] for r in rows] == [p[2] for p in presses]
    assert [datetime.fromisoformat(r["at"]) for r in rows] == [after(p[1]) for p in presses]
    assert [r["step_id"] for r in rows] == [steps[i].id for i in (0, 0, 0, 0, 1, 1, 0, 1, 2, 2)]
    state = kit.live.state(meeting, after(30))
    assert state.ended and state.current == 2 and state.ignored == []


def test_each_press_stamps_its_fields_for_sync(kit, meeting):
    kit.live.press(meeting, "start", START)
    (row,) = kit.query("SELECT id FROM timer_event")
    fields = {
        r["field"]
        for r in kit.query("SELECT field FROM _field_version WHERE row_id = ?", [row["id"]])
    }
    assert fields == {"session_id", "step_id", "kind", "at", "seconds"}


def press_all(kit: Kit, session_id: str, kinds: list[str]) -> None:
    for minute, kind in enumerate(kinds):
        kit.live.press(session_id, kind, after(minute))


@pytest.mark.parametrize(
    ("before", "kind", "message"),
    [
        (
            ["start", *["next"] * 7],
            "next",
            "This is the last step. End the meeting to stop the clock.",
        ),
        (["start", "end"], "end", "This meeting has already ended."),
        (["start", "end"], "start", "This meeting has already ended."),
        (["start", "next", "end"], "back", "This meeting has already ended."),
        (["start"], "start", "The meeting has already started."),
        (["start"], "back", "This is the first step."),
        (["start"], "resume", "That is not possible now."),
        (["start", "pause"], "pause", "That is not possible now."),
        *[
            ([], kind, "Start the meeting first.")
            for kind in ("pause", "resume", "adjust", "next", "back", "end")
        ],
    ],
)
def test_a_press_that_makes_no_sense_is_refused_with_its_reason_and_writes_nothing(
    kit, meeting, before, kind, message
):
    press_all(kit, meeting, before)
    snapshot = everything(kit)
    with pytest.raises(ValidationError) as refused:
        kit.live.press(meeting, kind, after(len(before) + 1), 60 if kind == "adjust" else 0)
    assert refused.value.template == message
    assert refused.value.field == "clock"
    assert everything(kit) == snapshot


def test_a_meeting_without_steps_cannot_be_started(kit):
    bare = kit.sessions.add("Kaal", "2027-01-12T19:30", "2027-01-12T22:00")
    with pytest.raises(ValidationError) as refused:
        kit.live.press(bare, "start", START)
    assert refused.value.template == "This meeting has no agenda yet. Add steps under Plan first."
    assert events_count(kit) == 0
    assert status(kit, bare) == "planned"


def test_an_unknown_action_is_a_programming_error(kit, meeting):
    with pytest.raises(ValueError, match="unknown clock action"):
        kit.live.press(meeting, "rewind", START)
    assert events_count(kit) == 0


def test_the_meeting_goes_from_planned_to_running_to_held(kit, meeting):
    assert status(kit, meeting) == "planned"
    kit.live.press(meeting, "start", START)
    assert status(kit, meeting) == "running"
    for minute, kind in enumerate(("pause", "resume", "next", "adjust"), start=1):
        kit.live.press(meeting, kind, after(minute), 60)
        assert status(kit, meeting) == "running"
    kit.live.press(meeting, "end", after(10))
    assert status(kit, meeting) == "held"
    with pytest.raises(ValidationError):
        kit.live.press(meeting, "start", after(11))
    assert status(kit, meeting) == "held"


def test_presses_of_one_meeting_do_not_touch_another(kit, meeting):
    other = plan(kit)
    kit.live.press(meeting, "start", START)
    kit.live.press(meeting, "next", after(5))
    assert kit.live.events(other) == []
    assert not kit.live.state(other, after(6)).started
    assert status(kit, other) == "planned"
    kit.live.press(other, "start", after(6))
    assert kit.live.state(meeting, after(7)).current == 1
    assert kit.live.state(other, after(7)).remaining == 14 * MINUTE


def test_a_press_timed_before_the_last_event_still_does_what_was_asked(kit, meeting):
    """Another laptop's clock a few seconds ahead (through sync), or the computer's clock set
    back between two runs of the app: a press then carries a moment before the last event.
    It must still take effect, or be refused, never be stored and then silently lost."""
    kit.live.press(meeting, "start", START)
    kit.live.press(meeting, "next", after(10))
    paused = kit.live.press(meeting, "pause", after(9, 58))  # this computer's clock is 3 s behind
    assert paused.paused, "the facilitator pressed pause, yet the clock runs on"
    assert kit.live.state(meeting, after(12)).paused
    rows = events_count(kit, meeting)
    try:
        back = kit.live.press(meeting, "back", after(9, 59))
    except ValidationError:
        assert events_count(kit, meeting) == rows
    else:
        assert back.current == 0 and back.ignored == []


# -- after a restart -----------------------------------------------------------------------------


def test_after_a_restart_the_clock_counts_the_time_the_app_was_closed(tmp_path):
    path = tmp_path / "wijkkit.sqlite"
    with Kit.open(path) as kit:
        meeting = plan(kit)
        kit.live.press(meeting, "start", START)
        kit.live.press(meeting, "next", after(5))
        before = kit.live.state(meeting, after(7))
    assert before.remaining == 13 * MINUTE
    # the laptop is closed at 19:37 and the app opened again ten minutes later
    with Kit.open(path) as kit:
        later = kit.live.state(meeting, after(17))
        assert later.started and later.running and later.current == 1
        assert later.remaining == before.remaining - 10 * MINUTE == 3 * MINUTE
        assert status(kit, meeting) == "running"
        kit.live.press(meeting, "next", after(18))  # and the meeting goes on
        assert kit.live.state(meeting, after(19)).current == 2


def test_a_paused_meeting_stays_paused_across_a_restart(tmp_path):
    path = tmp_path / "wijkkit.sqlite"
    with Kit.open(path) as kit:
        meeting = plan(kit)
        kit.live.press(meeting, "start", START)
        kit.live.press(meeting, "pause", after(4))
    with Kit.open(path) as kit:
        state = kit.live.state(meeting, after(60))
        assert state.paused and state.remaining == 11 * MINUTE
        kit.live.press(meeting, "resume", after(61))
        assert kit.live.state(meeting, after(62)).remaining == 10 * MINUTE


def test_an_ended_meeting_stays_ended_across_a_restart(tmp_path):
    path = tmp_path / "wijkkit.sqlite"
    with Kit.open(path) as kit:
        meeting = plan(kit)
        kit.live.press(meeting, "start", START)
        kit.live.press(meeting, "end", after(100))
    with Kit.open(path) as kit:
        state = kit.live.state(meeting, after(500))
        assert state.ended and state.remaining == -85 * MINUTE
        assert status(kit, meeting) == "held"


def test_microseconds_survive_the_database(kit, meeting):
    moments = [START + timedelta(microseconds=1), after(3, 0.5), after(7, 59.999999)]
    for kind, moment in zip(("start", "pause", "resume"), moments, strict=True):
        kit.live.press(meeting, kind, moment)
    assert [e.at for e in kit.live.events(meeting)] == [to_micros(m) for m in moments]
    state = kit.live.state(meeting, after(10))
    # used: 3:00.5 less a microsecond, then 2:00 and a microsecond
    assert state.remaining == 15 * MINUTE - 300_500_000


# -- re-planning a late evening --------------------------------------------------------------------


def planned_end() -> datetime:
    return datetime(2027, 1, 12, 22, 0).astimezone().astimezone(UTC)


def test_no_proposal_before_the_start_on_time_or_after_the_end(kit, meeting):
    assert kit.live.proposal(meeting, START) is None
    kit.live.press(meeting, "start", START)
    assert kit.live.proposal(meeting, START) is None
    assert kit.live.proposal(meeting, after(14)) is None
    # ten minutes to spare: staying 10 minutes longer in the first step is still on time
    assert kit.live.proposal(meeting, after(25)) is None
    kit.live.press(meeting, "end", after(200))
    assert kit.live.proposal(meeting, after(201)) is None


def test_a_microsecond_late_is_late(kit, meeting):
    kit.live.press(meeting, "start", START)
    proposal = kit.live.proposal(meeting, after(25) + timedelta(microseconds=1))
    assert proposal is not None
    assert sum(proposal.old) - sum(proposal.new) == 1
    assert proposal.still_over == 0


def check_proposal(kit: Kit, meeting: str, proposal, now: datetime) -> None:
    state = kit.live.state(meeting, now)
    steps = kit.sessions.steps(meeting)[state.current + 1 :]
    assert list(proposal.step_ids) == [s.id for s in steps]
    assert list(proposal.old) == [s.minutes for s in steps]
    harvest = max(i for i, s in enumerate(steps) if s.kind == "step")
    assert steps[harvest].title.startswith("Oogsten")
    lows = [min(s.minutes, 10 if i == harvest else 5) for i, s in enumerate(steps)]
    for new, old, low in zip(proposal.new, proposal.old, lows, strict=True):
        assert low <= new <= old
    # the time left after the current step, in whole minutes (negative once past the end)
    available = (
        planned_end() - now - timedelta(microseconds=max(state.remaining, 0))
    ) // timedelta(minutes=1)
    if sum(lows) <= available:
        assert sum(proposal.new) == available, "cut just enough to end on time"
        assert proposal.still_over == 0
    else:
        assert list(proposal.new) == lows
        assert proposal.still_over == sum(lows) - available


@pytest.mark.parametrize("late", [1, 2, 7, 15, 40, 70, 85, 86, 100, 300])
def test_a_late_evening_gets_shorter_later_steps_but_never_below_the_minimums(kit, meeting, late):
    kit.live.press(meeting, "start", START)
    now = after(25 + late)  # still in the first step
    proposal = kit.live.proposal(meeting, now)
    assert proposal is not None
    check_proposal(kit, meeting, proposal, now)
    assert proposal.new[-1] >= agenda.MIN_HARVEST_MINUTES


def test_the_current_steps_time_left_is_kept_when_replanning(kit, meeting):
    kit.live.press(meeting, "start", after(15))  # a quarter of an hour late to start
    now = after(15)
    proposal = kit.live.proposal(meeting, now)
    assert proposal is not None
    check_proposal(kit, meeting, proposal, now)
    # 22:00 - 19:45 - the full first step = 120 minutes for 125 planned
    assert sum(proposal.new) == 120 and proposal.still_over == 0


def test_replanning_from_a_later_step(kit, meeting):
    kit.live.press(meeting, "start", START)
    for minute in (20, 40, 70):
        kit.live.press(meeting, "next", after(minute))
    now = after(95)  # 5 minutes over in each step so far: 20 minutes late
    proposal = kit.live.proposal(meeting, now)
    assert proposal is not None
    assert len(proposal.step_ids) == 4
    check_proposal(kit, meeting, proposal, now)


def test_no_proposal_in_the_last_step(kit, meeting):
    kit.live.press(meeting, "start", START)
    for minute in range(1, 8):
        kit.live.press(meeting, "next", after(minute))
    assert kit.live.proposal(meeting, after(400)) is None


def test_a_step_already_shorter_than_the_minimum_stays_as_it_is(kit, meeting):
    steps = kit.sessions.steps(meeting)
    kit.sessions.edit_step(steps[2].id, minutes=3)
    kit.live.press(meeting, "start", START)
    now = after(200)
    proposal = kit.live.proposal(meeting, now)
    assert proposal is not None
    assert proposal.new[1] == 3
    check_proposal(kit, meeting, proposal, now)


@pytest.mark.parametrize("late", [1, 3, 15, 300])
def test_accepting_a_proposal_writes_only_the_steps_that_change(kit, meeting, late):
    kit.live.press(meeting, "start", START)
    now = after(25 + late)
    proposal = kit.live.proposal(meeting, now)
    before = minute_stamps(kit, meeting)
    changes: list = []
    unsubscribe = kit.on_change(changes.append)
    kit.live.accept(proposal)
    unsubscribe()
    after_stamps = minute_stamps(kit, meeting)
    changed = {
        i for i, (old, new) in enumerate(zip(proposal.old, proposal.new, strict=True)) if old != new
    }
    assert changed
    for index, step_id in enumerate(proposal.step_ids):
        assert kit.sessions.step(step_id).minutes == proposal.new[index]
        assert (after_stamps[step_id] != before[step_id]) == (index in changed)
    first = kit.sessions.steps(meeting)[0]
    assert after_stamps[first.id] == before[first.id] and first.minutes == 15
    assert len(changes) == 1, "one proposal is one transaction"
    assert changes[0] == {"step": {proposal.step_ids[i] for i in changed}}
    if proposal.still_over == 0:
        assert kit.live.proposal(meeting, now) is None
        assert kit.live.state(meeting, now).projected_end() <= to_micros(planned_end())


# -- quick capture ---------------------------------------------------------------------------------------

WHERE = {
    "note": ("capture", "text"),
    "quote": ("capture", "text"),
    "dream": ("capture", "text"),
    "idea": ("capture", "text"),
    "obstacle": ("obstacle", "text"),
    "offer": ("offer", "text"),
    "need": ("need", "text"),
    "agreement": ("agreement", "title"),
}


def test_the_capture_kinds_are_the_ones_expected():
    assert set(CAPTURE_KINDS) == set(WHERE)


@pytest.mark.parametrize("kind", list(WHERE))
def test_each_kind_lands_in_its_own_table_tagged_with_step_table_and_time(kit, meeting, kind):
    table, column = WHERE[kind]
    step = kit.sessions.steps(meeting)[4]
    before = {t: len(kit.query(f"SELECT id FROM [{t}]")) for t in set(t for t, _ in WHERE.values())}
    item = kit.live.capture(
        meeting, kind, "  Een buurtmoestuin bij de school  ", after(3, 0.7), step.id, 7
    )
    row = kit.row(table, item.id)
    assert row is not None
    assert row[column] == "Een buurtmoestuin bij de school"
    assert (row["session_id"], row["step_id"], row["table_no"]) == (meeting, step.id, 7)
    assert row["created_at"] == "2027-01-12T19:33:00"  # the meeting's local time, to the second
    if table == "capture":
        assert row["kind"] == kind
    assert (item.table, item.kind, item.text, item.step_id, item.table_no, item.created_at) == (
        table, kind, "Een buurtmoestuin bij de school", step.id, 7, "2027-01-12T19:33:00"
    )  # fmt: skip
    assert item == kit.live.captured(table, item.id)
    grown = {t: len(kit.query(f"SELECT id FROM [{t}]")) - n for t, n in before.items()}
    assert grown == {t: int(t == table) for t in before}, "exactly one row, in exactly one table"
    stamped = {
        r["field"]
        for r in kit.query("SELECT field FROM _field_version WHERE row_id = ?", [item.id])
    }
    assert {column, "session_id", "step_id", "table_no", "created_at"} <= stamped


def test_an_agreement_captured_live_is_a_real_agreement(kit, meeting):
    item = kit.live.capture(meeting, "agreement", "Jan belt de woningcorporatie", START)
    agreement = kit.agreements.get(item.id)
    assert agreement.title == "Jan belt de woningcorporatie"
    assert agreement.status == "open"
    assert [a.id for a in kit.agreements.for_session(meeting)] == [item.id]


def test_capture_without_step_or_table(kit, meeting):
    item = kit.live.capture(meeting, "note", "Koffie was op", START)
    assert (item.step_id, item.table_no) == (None, None)


@pytest.mark.parametrize("table_no", [1, 2, 500, 999])
def test_table_numbers_from_1_to_999_are_fine(kit, meeting, table_no):
    assert (
        kit.live.capture(meeting, "idea", "Bankje", START, table_no=table_no).table_no == table_no
    )


def test_exactly_2000_characters_is_fine(kit, meeting):
    text = "x" * MAX_TEXT
    assert MAX_TEXT == 2000
    assert kit.live.capture(meeting, "quote", text, START).text == text


@pytest.mark.parametrize(
    ("kind", "text", "table_no", "field"),
    [
        ("note", "", None, "text"),
        ("note", "   \n\t ", None, "text"),
        ("note", None, None, "text"),
        ("obstacle", "x" * 2001, None, "text"),
        ("agreement", "y" * 6000, 3, "text"),
        ("wish", "Een speeltuin", None, "kind"),
        ("Note", "Een speeltuin", None, "kind"),
        ("idea", "Een speeltuin", 0, "table_no"),
        ("offer", "Een speeltuin", 1000, "table_no"),
        ("need", "Een speeltuin", -4, "table_no"),
    ],
)
def test_capture_refuses_bad_input_and_writes_nothing(kit, meeting, kind, text, table_no, field):
    snapshot = everything(kit)
    with pytest.raises(ValidationError) as refused:
        kit.live.capture(meeting, kind, text, START, table_no=table_no)
    assert refused.value.field == field
    assert everything(kit) == snapshot


def test_a_table_number_that_is_not_a_whole_number_is_refused_and_nothing_saved(kit, meeting):
    """Not only 0 and 1000: 2.5 must not be stored as 2.5, nor 'drie' crash with a ValueError."""
    snapshot = everything(kit)
    for table_no in (2.5, "drie"):
        with pytest.raises(ValidationError) as refused:
            kit.live.capture(meeting, "idea", "Een speeltuin", START, table_no=table_no)
        assert refused.value.field == "table_no"
    assert everything(kit) == snapshot


def test_captures_lists_every_kind_in_the_order_it_was_entered(kit, meeting):
    rnd = random.Random(20270112)
    kinds = list(WHERE) * 3
    rnd.shuffle(kinds)
    entered = []
    for number, kind in enumerate(kinds):
        moment = after(number // 5)  # five entries at each moment
        entered.append(
            kit.live.capture(meeting, kind, f"punt {number}", moment, table_no=number % 9 + 1)
        )
    listed = kit.live.captures(meeting)
    assert listed == entered
    assert [c.kind for c in listed] == kinds
    assert kit.live.captures(plan(kit)) == []


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.sampled_from(list(WHERE)), min_size=1, max_size=16),
    st.lists(st.integers(0, 3), min_size=16, max_size=16),
)
def test_captures_keep_entry_order_whatever_the_kinds(kinds, pauses):
    with Kit.memory() as kit:
        meeting = plan(kit)
        moment, entered = START, []
        for kind, pause in zip(kinds, pauses, strict=False):
            moment += timedelta(seconds=pause)
            entered.append(kit.live.capture(meeting, kind, kind, moment).id)
        assert [c.id for c in kit.live.captures(meeting)] == entered


@pytest.mark.parametrize("kind", list(WHERE))
def test_edit_capture_changes_the_text_in_its_table(kit, meeting, kind):
    item = kit.live.capture(meeting, kind, "Eerst zo", START, table_no=2)
    kit.live.edit_capture(item, "  Toch anders  ")
    edited = kit.live.captured(item.table, item.id)
    assert edited.text == "Toch anders"
    assert (edited.kind, edited.table_no, edited.created_at) == (item.kind, 2, item.created_at)
    with pytest.raises(ValidationError):
        kit.live.edit_capture(item, "   ")
    assert kit.live.captured(item.table, item.id).text == "Toch anders"
    assert [c.text for c in kit.live.captures(meeting)] == ["Toch anders"]


def test_edit_capture_keeps_the_length_limit_of_capture(kit, meeting):
    """What capture() refuses (over 5000 characters) an edit must refuse too."""
    items = [
        kit.live.capture(meeting, kind, "Kort", START) for kind in ("note", "obstacle", "agreement")
    ]
    for item in items:
        with pytest.raises(ValidationError) as refused:
            kit.live.edit_capture(item, "z" * (MAX_TEXT + 1))
        assert refused.value.field == "text"
        assert kit.live.captured(item.table, item.id).text == "Kort"


@pytest.mark.parametrize("kind", list(WHERE))
def test_remove_capture_deletes_from_its_table_with_a_tombstone(kit, meeting, kind):
    keep = kit.live.capture(meeting, "note", "Blijft", START)
    item = kit.live.capture(meeting, kind, "Weg ermee", after(1))
    kit.live.remove_capture(item)
    assert kit.row(item.table, item.id) is None
    assert kit.is_deleted(item.table, item.id)
    assert kit.live.captures(meeting) == [keep]
    with pytest.raises(NotFoundError):
        kit.live.captured(item.table, item.id)
