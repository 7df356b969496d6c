"""The meeting clock as a pure fold over its event log, against a plain reference simulation.

A three-hour evening with pauses, adjustments, overtime and a step back is worked out by
hand and must come out to the microsecond; random evenings must agree exactly with an
independent simulation that ticks each step's remaining time down between presses. The
steady clock must keep its pace when the computer's clock jumps.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wijkkit import templates
from wijkkit.clock import (
    KINDS,
    SECOND,
    Event,
    PlannedStep,
    accepts,
    countdown_text,
    fold,
    level,
    to_micros,
)

MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
AGENDA = [15, 15, 25, 10, 20, 20, 20, 15]  # the built-in 8-item evening (checked below)
STEPS = [PlannedStep(f"step-{i}", m * 60) for i, m in enumerate(AGENDA)]
T0 = to_micros(datetime(2027, 1, 12, 18, 30, tzinfo=UTC))


def at(hour: int, minute: int, second: int = 0, micro: int = 0) -> int:
    return to_micros(datetime(2027, 1, 12, hour, minute, second, micro, tzinfo=UTC))


def test_the_agenda_used_here_is_the_builtin_template():
    assert [s.minutes for s in templates.builtin().steps] == AGENDA


# -- the reference: a straightforward countdown simulation ---------------------------------


class Reference:
    """Each step has a countdown; while the meeting runs, the current one ticks down."""

    def __init__(self, minutes: list[int]) -> None:
        self.left = [m * MINUTE for m in minutes]  # remaining microseconds per step
        self.spent = [0] * len(minutes)
        self.extra = [0] * len(minutes)
        self.entered: list[int | None] = [None] * len(minutes)
        self.left_at: list[int | None] = [None] * len(minutes)
        self.step = 0
        self.phase = "waiting"  # waiting -> running <-> paused -> over
        self.clock: int | None = None
        self.began: int | None = None
        self.finished: int | None = None
        self.refused: list[Event] = []

    def tick(self, moment: int) -> None:
        if self.clock is not None and moment <= self.clock:
            return
        if self.phase == "running":
            self.left[self.step] -= moment - self.clock
            self.spent[self.step] += moment - self.clock
        self.clock = moment

    def press(self, event: Event) -> bool:
        self.tick(event.at)
        done = self._press(event)
        if not done:
            self.refused.append(event)
        return done

    def can(self, kind: str) -> bool:
        if self.phase == "over" or not self.left:
            return False
        if self.phase == "waiting":
            return kind == "start"
        return {
            "start": False,
            "pause": self.phase == "running",
            "resume": self.phase == "paused",
            "adjust": True,
            "next": self.step + 1 < len(self.left),
            "back": self.step > 0,
            "end": True,
        }[kind]

    def _press(self, event: Event) -> bool:
        if not self.can(event.kind):
            return False
        moment = event.at
        if event.kind == "start":
            self.phase, self.began, self.entered[0] = "running", moment, moment
        elif event.kind == "pause":
            self.phase = "paused"
        elif event.kind == "resume":
            self.phase = "running"
        elif event.kind == "adjust":
            self.left[self.step] += event.seconds * SECOND
            self.extra[self.step] += event.seconds * SECOND
        elif event.kind in ("next", "back"):
            self.left_at[self.step] = moment
            self.step += 1 if event.kind == "next" else -1
            if self.entered[self.step] is None:
                self.entered[self.step] = moment
            self.left_at[self.step] = None
            self.phase = "running"
        elif event.kind == "end":
            self.left_at[self.step] = moment
            self.phase, self.finished = "over", moment
        return True


def simulate(events: list[Event], now: int | None = None, minutes: list[int] = AGENDA) -> Reference:
    ref = Reference(minutes)
    for event in events:
        ref.press(event)
    if now is not None:
        ref.tick(now)
    return ref


def assert_agrees(state, ref: Reference) -> None:
    assert [s.remaining for s in state.steps] == ref.left
    assert [s.used for s in state.steps] == ref.spent
    assert [s.adjusted for s in state.steps] == ref.extra
    assert [s.started for s in state.steps] == ref.entered
    assert [s.ended for s in state.steps] == ref.left_at
    assert state.current == ref.step
    assert state.remaining == ref.left[ref.step]
    assert (state.started, state.running, state.paused, state.ended) == (
        ref.phase != "waiting",
        ref.phase == "running",
        ref.phase == "paused",
        ref.phase == "over",
    )
    assert state.started_at == ref.began
    assert state.ended_at == ref.finished
    assert state.ignored == ref.refused
    assert state.current_step_id == STEPS[ref.step].id


# -- random evenings ------------------------------------------------------------------------

ACTIONS = ("start", "pause", "resume", "adjust", "adjust", "next", "next", "next", "back", "end")


@st.composite
def evenings(draw, max_presses: int = 60):
    """Presses at distinct, increasing moments within a three-hour evening."""
    kinds = draw(st.lists(st.sampled_from(ACTIONS), max_size=max_presses))
    if draw(st.booleans()):
        kinds = ["start", *kinds]
    moments = sorted(
        draw(st.sets(st.integers(0, 3 * HOUR), min_size=len(kinds), max_size=len(kinds)))
    )
    events = []
    for kind, moment in zip(kinds, moments, strict=True):
        seconds = draw(st.sampled_from((60, -60))) if kind == "adjust" else 0
        events.append(Event(kind, T0 + moment, seconds=seconds))
    last = moments[-1] if moments else 0
    now = T0 + draw(st.integers(last, 3 * HOUR))
    return events, now


@settings(max_examples=300, deadline=None)
@given(evenings())
def test_fold_agrees_exactly_with_the_reference_simulation(evening):
    events, now = evening
    assert_agrees(fold(STEPS, events, now), simulate(events, now))


@settings(max_examples=100, deadline=None)
@given(evenings())
def test_fold_without_now_stops_at_the_last_event(evening):
    events, _ = evening
    state = fold(STEPS, events)
    assert_agrees(state, simulate(events))
    assert state.last_at == (events[-1].at if events else None)


@settings(max_examples=100, deadline=None)
@given(evenings(max_presses=40))
def test_accepts_says_exactly_which_presses_the_fold_will_take(evening):
    events, _ = evening
    for index, event in enumerate(events):
        before = fold(STEPS, events[:index], event.at)
        after = fold(STEPS, events[: index + 1], event.at)
        taken = event not in after.ignored
        assert accepts(before, event.kind) == taken
        assert simulate(events[:index]).can(event.kind) == taken
        for kind in KINDS:
            assert accepts(before, kind) == simulate(events[:index], event.at).can(kind)


@settings(max_examples=150, deadline=None)
@given(evenings(), st.randoms(use_true_random=False))
def test_events_in_any_order_give_the_same_state(evening, rnd):
    events, now = evening
    shuffled = list(events)
    rnd.shuffle(shuffled)
    assert fold(STEPS, shuffled, now) == fold(STEPS, events, now)


@settings(max_examples=150, deadline=None)
@given(evenings(), st.data())
def test_an_impossible_event_is_listed_and_changes_nothing(evening, data):
    events, now = evening
    state = fold(STEPS, events, now)
    impossible = [k for k in KINDS if not accepts(fold(STEPS, events, now), k)]
    kind = data.draw(st.sampled_from(impossible))
    # at a moment after every press, so it cannot change how earlier ones are read
    moment = data.draw(st.integers(events[-1].at + 1 if events else T0, now + 1))
    odd = Event(kind, moment, seconds=60 if kind == "adjust" else 0)
    later = max(now, moment)
    with_odd = fold(STEPS, [*events, odd], later)
    without = fold(STEPS, events, later)
    assert with_odd.ignored == [*without.ignored, odd]
    with_odd.ignored = without.ignored
    assert with_odd == without
    assert state.ignored == without.ignored


@settings(max_examples=150, deadline=None)
@given(evenings())
def test_used_time_plus_paused_time_is_the_time_since_the_start(evening):
    events, now = evening
    state = fold(STEPS, events, now)
    if not state.started:
        assert all(s.used == 0 for s in state.steps)
        return
    paused, since = 0, None
    for event in sorted(events, key=lambda e: e.at):
        if event in state.ignored:
            continue
        if event.kind == "pause":
            since = event.at
        elif event.kind in ("resume", "next", "back") and since is not None:
            paused, since = paused + event.at - since, None
        elif event.kind == "end" and since is not None:
            paused, since = paused + event.at - since, None
    until = state.ended_at if state.ended else now
    if since is not None:
        paused += until - since
    assert sum(s.used for s in state.steps) + paused == until - state.started_at


@settings(max_examples=150, deadline=None)
@given(evenings())
def test_projected_end_is_now_plus_what_is_left_plus_the_later_steps(evening):
    events, now = evening
    state = fold(STEPS, events, now)
    ref = simulate(events, now)
    projected = state.projected_end()
    if ref.phase == "waiting":
        assert projected is None
    elif ref.phase == "over":
        assert projected == ref.finished
    else:
        later = sum(
            m * MINUTE + extra
            for m, extra in zip(AGENDA[ref.step + 1 :], ref.extra[ref.step + 1 :], strict=True)
        )
        assert projected == now + max(ref.left[ref.step], 0) + later
        assert projected >= now


# -- a three-hour evening worked out by hand ----------------------------------------------------

EVENING = [
    Event("start", at(18, 30)),
    Event("next", at(18, 44, 30, 250_000)),  # step 0: 14:30.25 used of 15:00 -> 29.75 s left
    Event("pause", at(18, 50)),
    Event("resume", at(18, 53)),  # three minutes paused
    Event("adjust", at(19, 0), seconds=60),  # step 1: 16:00
    # step 1: 5:29.75 + 10:10.5 = 15:40.25 used -> 19.75 s left
    Event("next", at(19, 3, 10, 500_000)),
    Event("next", at(19, 30, 10, 500_000)),  # step 2: 27:00 used of 25:00 -> 2:00 over
    Event("adjust", at(19, 31), seconds=-60),  # the break: 9:00
    Event("next", at(19, 41, 10, 500_000)),  # break: 11:00 used
    Event("pause", at(19, 50)),  # step 4: 8:49.5 used
    Event("resume", at(20, 5)),  # fifteen minutes paused
    Event("back", at(20, 10)),  # step 4: 13:49.5 used; back to the break
    Event("next", at(20, 11)),  # break: 12:00 used of 9:00 -> 3:00 over
    Event("next", at(20, 17, 10, 500_000)),  # step 4: 20:00 used -> exactly 0 left
    Event("next", at(20, 36)),  # step 5: 18:49.5 used -> 1:10.5 left
    Event("adjust", at(20, 40), seconds=60),
    Event("adjust", at(20, 41), seconds=60),  # step 6: 22:00
    Event("next", at(20, 56, 59, 999_000)),  # step 6: 20:59.999 used -> 1:00.001 left
    Event("end", at(21, 30)),  # harvest: 33:00.001 used of 15:00 -> 18:00.001 over
]
BY_HAND_LEFT = [
    29_750_000,
    19_750_000,
    -120 * SECOND,
    -180 * SECOND,
    0,
    70_500_000,
    60_001_000,
    -1_080_001_000,
]
BY_HAND_USED = [
    870_250_000,
    940_250_000,
    1_620 * SECOND,
    720 * SECOND,
    1_200 * SECOND,
    1_129_500_000,
    1_259_999_000,
    1_980_001_000,
]


def test_a_three_hour_evening_counts_down_exactly_as_worked_out_by_hand():
    state = fold(STEPS, EVENING, at(22, 0))
    assert state.ended and not state.running and not state.paused
    assert (state.started_at, state.ended_at) == (at(18, 30), at(21, 30))
    assert [s.remaining for s in state.steps] == BY_HAND_LEFT
    assert [s.used for s in state.steps] == BY_HAND_USED
    assert [s.adjusted // SECOND for s in state.steps] == [0, 60, 0, -60, 0, 0, 120, 0]
    # three hours minus eighteen minutes of pauses were spent in steps
    assert sum(BY_HAND_USED) == 3 * HOUR - 18 * MINUTE
    assert state.ignored == []
    # the break was entered once, left twice; the last leaving counts
    assert (state.steps[3].started, state.steps[3].ended) == (at(19, 30, 10, 500_000), at(20, 11))
    assert (state.steps[4].started, state.steps[4].ended) == (
        at(19, 41, 10, 500_000),
        at(20, 17, 10, 500_000),
    )
    assert state.projected_end() == at(21, 30)


def test_the_countdown_at_the_end_of_three_hours_is_within_20_ms_in_fact_exact():
    now = at(21, 29, 59, 980_000)
    state = fold(STEPS, EVENING[:-1], now)
    expected = 15 * MINUTE - (now - at(20, 56, 59, 999_000))  # -17:59.981, by hand
    assert expected == -1_079_981_000
    assert abs(state.remaining - expected) <= 20_000
    assert state.remaining == expected
    assert countdown_text(state.remaining) == "+17:59"
    assert level(state.remaining) == "over"
    assert fold(STEPS, EVENING, now + 20_000).remaining == -1_080_001_000


@pytest.mark.parametrize(
    ("until", "current", "remaining", "projected"),
    [
        (at(18, 30), 0, 15 * MINUTE, at(20, 50)),
        (at(18, 44), 0, 60 * SECOND, at(20, 50)),
        (at(18, 51), 1, 15 * MINUTE - 5 * MINUTE - 29_750_000, at(20, 50, 30, 250_000)),  # paused
        (at(20, 41), 6, 17 * MINUTE, at(21, 13)),
        (at(21, 0), 7, 15 * MINUTE - 3 * MINUTE - 1_000, at(21, 11, 59, 999_000)),
    ],
)
def test_the_evening_seen_halfway(until, current, remaining, projected):
    events = [e for e in EVENING if e.at <= until]
    state = fold(STEPS, events, until)
    assert state.current == current
    assert state.remaining == remaining
    assert state.projected_end() == projected


# -- pausing, overtime and what the screen shows ------------------------------------------------


def test_pause_stops_the_countdown_and_resume_picks_it_up_again():
    events = [Event("start", T0), Event("pause", T0 + 4 * MINUTE)]
    for later in (4 * MINUTE, 5 * MINUTE, 3 * HOUR):
        state = fold(STEPS, events, T0 + later)
        assert state.paused and not state.running
        assert state.remaining == 11 * MINUTE
    events.append(Event("resume", T0 + 10 * MINUTE))
    assert fold(STEPS, events, T0 + 12 * MINUTE).remaining == 9 * MINUTE


def test_time_running_out_goes_negative_and_shows_as_overtime():
    events = [Event("start", T0)]
    state = fold(STEPS, events, T0 + 16 * MINUTE + 30 * SECOND)
    assert state.remaining == -90 * SECOND
    assert state.seconds_left() == -90.0
    assert countdown_text(state.remaining) == "+01:30"
    assert level(state.remaining) == "over"


@pytest.mark.parametrize(
    ("remaining", "text"),
    [
        (15 * MINUTE, "15:00"),
        (15 * MINUTE - 1, "15:00"),
        (60 * SECOND, "01:00"),
        (59 * SECOND + 1, "01:00"),
        (SECOND + 1, "00:02"),
        (SECOND, "00:01"),
        (200_000, "00:01"),  # 0.2 s left still shows a second
        (1, "00:01"),
        (0, "+00:00"),
        (-1, "+00:00"),
        (-200_000, "+00:00"),
        (-SECOND, "+00:01"),
        (-61 * SECOND, "+01:01"),
        (-90 * MINUTE, "+90:00"),
        (125 * MINUTE, "125:00"),
    ],
)
def test_countdown_text(remaining, text):
    assert countdown_text(remaining) == text


@given(st.integers(-10 * HOUR, 10 * HOUR))
def test_countdown_text_never_shows_a_minus_and_rounds_time_left_up(remaining):
    text = countdown_text(remaining)
    assert "-" not in text
    match = re.fullmatch(r"(\+?)(\d{2,}):(\d{2})", text)
    assert match, text
    sign, minutes, seconds = match.groups()
    shown = int(minutes) * 60 + int(seconds)
    assert int(seconds) < 60
    if remaining > 0:
        assert sign == ""
        assert (shown - 1) * SECOND < remaining <= shown * SECOND  # whole seconds, rounded up
    else:
        assert sign == "+"
        assert shown * SECOND <= -remaining < (shown + 1) * SECOND  # overtime counts full seconds


@pytest.mark.parametrize(
    ("remaining", "expected"),
    [
        (10 * MINUTE, "normal"),
        (121 * SECOND, "normal"),
        (120 * SECOND + 1, "normal"),
        (120 * SECOND, "soon"),
        (60 * SECOND, "soon"),
        (1, "soon"),
        (0, "over"),
        (-1, "over"),
        (-HOUR, "over"),
    ],
)
def test_level_thresholds(remaining, expected):
    assert level(remaining) == expected


def test_adjust_moves_the_current_step_and_the_projected_end():
    events = [
        Event("start", T0),
        Event("adjust", T0 + MINUTE, seconds=60),
        Event("adjust", T0 + 2 * MINUTE, seconds=60),
    ]
    state = fold(STEPS, events, T0 + 3 * MINUTE)
    assert state.remaining == 14 * MINUTE
    assert state.projected_end() == T0 + 142 * MINUTE
    events.append(Event("adjust", T0 + 4 * MINUTE, seconds=-60))
    state = fold(STEPS, events, T0 + 4 * MINUTE)
    assert state.remaining == 12 * MINUTE
    assert state.projected_end() == T0 + 141 * MINUTE


def test_projected_end_ignores_overtime_of_the_current_step_but_counts_it_once_passed():
    state = fold(STEPS, [Event("start", T0)], T0 + 20 * MINUTE)
    assert state.remaining == -5 * MINUTE
    assert state.projected_end() == T0 + 20 * MINUTE + 125 * MINUTE


def test_next_goes_to_the_step_it_names_when_the_agenda_still_has_it():
    events = [Event("start", T0), Event("next", T0 + MINUTE, step_id="step-5")]
    state = fold(STEPS, events, T0 + 2 * MINUTE)
    assert state.current == 5 and state.remaining == 19 * MINUTE
    gone = [Event("start", T0), Event("next", T0 + MINUTE, step_id="removed-step")]
    assert fold(STEPS, gone, T0 + 2 * MINUTE).current == 1


def test_the_state_before_the_start_and_of_an_empty_agenda():
    waiting = fold(STEPS, [], T0)
    assert not waiting.started and not waiting.paused and waiting.projected_end() is None
    assert waiting.remaining == 15 * MINUTE
    assert [k for k in KINDS if accepts(waiting, k)] == ["start"]
    empty = fold([], [Event("start", T0), Event("next", T0 + 1)], T0 + MINUTE)
    assert not empty.started and empty.remaining == 0 and empty.current_step is None
    assert len(empty.ignored) == 2
    assert not any(accepts(empty, k) for k in KINDS)


def test_nothing_is_accepted_after_the_end():
    state = fold(STEPS, [Event("start", T0), Event("end", T0 + MINUTE)], T0 + 2 * MINUTE)
    assert state.ended and not state.paused
    assert not any(accepts(state, k) for k in KINDS)
    assert state.remaining == 14 * MINUTE, "the clock stops at the end"


# -- microseconds -------------------------------------------------------------------------------------
