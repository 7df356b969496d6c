"""The meeting clock as a fold over its event log.

Every press of a control (start, pause, resume, next, back, +1/-1 minute, end) is
one ``timer_event`` row with a UTC time. ``fold`` replays those rows over the
agenda and gives the state at any moment: which step runs, how much time it has
left (negative is overtime), whether the clock is paused, and when each step
actually started and ended. Nothing else is stored, so a crash loses nothing and
a restart resumes where the meeting was, counting the time the laptop was down.

Times are whole microseconds since the epoch, so the arithmetic is exact: a
three-hour meeting replayed from its events is accurate to the microsecond.
This module is pure: no database, no clock of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

KINDS = ("start", "pause", "resume", "adjust", "next", "back", "end")
SECOND = 1_000_000


def to_micros(moment: datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError("clock times must carry a time zone")
    delta = moment - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * SECOND + delta.microseconds


def from_micros(micros: int) -> datetime:
    return datetime.fromtimestamp(micros // SECOND, UTC).replace(microsecond=micros % SECOND)


@dataclass(frozen=True)
class Event:
    kind: str
    at: int  # microseconds since the epoch, UTC
    step_id: str | None = None
    seconds: int = 0


@dataclass(frozen=True)
class PlannedStep:
    id: str
    seconds: int


@dataclass
class StepTime:
    """What happened to one step: its allowance, time used, and when it ran."""

    planned: int  # microseconds
    adjusted: int = 0
    used: int = 0
    started: int | None = None
    ended: int | None = None

    @property
    def remaining(self) -> int:
        return self.planned + self.adjusted - self.used


@dataclass
class ClockState:
    steps: list[StepTime]
    step_ids: list[str]
    current: int = 0
    started: bool = False
    running: bool = False
    ended: bool = False
    started_at: int | None = None
    ended_at: int | None = None
    last_at: int | None = None
    ignored: list[Event] = field(default_factory=list)

    @property
    def current_step(self) -> StepTime | None:
        return self.steps[self.current] if self.steps else None

    @property
    def current_step_id(self) -> str | None:
        return self.step_ids[self.current] if self.step_ids else None

    @property
    def paused(self) -> bool:
        return self.started and not self.running and not self.ended

    @property
    def remaining(self) -> int:
        """Microseconds left in the current step; negative is overtime."""
        step = self.current_step
        return step.remaining if step else 0

    def seconds_left(self) -> float:
        return self.remaining / SECOND

    def projected_end(self) -> int | None:
        """When the meeting ends if every later step takes its planned time."""
        if not self.started or self.last_at is None:
            return None
        if self.ended:
            return self.ended_at
        later = sum(s.planned + s.adjusted for s in self.steps[self.current + 1 :])
        return self.last_at + max(self.remaining, 0) + later


def _advance(state: ClockState, until: int) -> None:
    """Let time run from the last event until ``until``."""
    if state.running and state.last_at is not None and until > state.last_at and state.steps:
        state.steps[state.current].used += until - state.last_at
    if state.last_at is None or until > state.last_at:
        state.last_at = until


def _move(state: ClockState, target: int, at: int) -> None:
    state.steps[state.current].ended = at
    state.current = target
    step = state.steps[target]
    if step.started is None:
        step.started = at
    step.ended = None


def _target(state: ClockState, event: Event, default: int) -> int:
    """The step an event moves to: the one it names, if the agenda still has it."""
    if event.step_id in state.step_ids:
        return state.step_ids.index(event.step_id)
    return default


def _apply(state: ClockState, event: Event) -> bool:
    """Apply one event; False when it makes no sense now (it is then ignored)."""
    kind, at, last = event.kind, event.at, len(state.steps) - 1
    if state.ended or not state.steps:
        return False
    if kind == "start":
        if state.started:
            return False
        state.started = state.running = True
        state.started_at = at
        state.steps[0].started = at
        return True
    if not state.started:
        return False
    if kind == "pause" and state.running:
        state.running = False
    elif kind == "resume" and not state.running:
        state.running = True
    elif kind == "adjust":
        state.steps[state.current].adjusted += event.seconds * SECOND
    elif kind == "next" and state.current < last:
        _move(state, _target(state, event, state.current + 1), at)
        state.running = True
    elif kind == "back" and state.current > 0:
        _move(state, _target(state, event, state.current - 1), at)
        state.running = True
    elif kind == "end":
        state.steps[state.current].ended = at
        state.running, state.ended, state.ended_at = False, True, at
    else:
        return False
    return True


def fold(steps: Sequence[PlannedStep], events: Sequence[Event], now: int | None = None) -> ClockState:
    """The clock at ``now`` (default: the last event), from the agenda and the event log."""
    state = ClockState([StepTime(planned=s.seconds * SECOND) for s in steps], [s.id for s in steps])
    for event in sorted(events, key=lambda e: e.at):
        _advance(state, event.at)
        if not _apply(state, event):
            state.ignored.append(event)
    if now is not None:
        _advance(state, now)
    return state


def accepts(state: ClockState, kind: str) -> bool:
    """Whether a control makes sense in this state (so the UI can grey it out)."""
    if state.ended or not state.steps:
        return False
    if kind == "start":
        return not state.started
    if not state.started:
        return False
    return {
        "pause": state.running,
        "resume": not state.running,
        "adjust": True,
        "next": state.current < len(state.steps) - 1,
        "back": state.current > 0,
        "end": True,
    }[kind]


class SteadyClock:
    """Wall-clock time that never jumps while the program runs.

    At start it reads the system clock once; after that it adds the monotonic
    clock's progress. So the countdown keeps its pace when someone (or NTP)
    changes the computer's clock mid-meeting. ``drift`` says how far the system
    clock has since moved away, so the UI can mention it. Both clocks are
    injectable for tests.
    """

    def __init__(self, wall=None, monotonic_ns=None) -> None:
        import time

        self._wall = wall or (lambda: datetime.now(UTC))
        self._mono = monotonic_ns or time.monotonic_ns
        self._anchor_wall = to_micros(self._wall())
        self._anchor_mono = self._mono()

    def micros(self) -> int:
        return self._anchor_wall + (self._mono() - self._anchor_mono) // 1000

    def now(self) -> datetime:
        return from_micros(self.micros())

    def drift_seconds(self) -> float:
        """System clock minus this clock: how far the computer's clock has been moved."""
        return (to_micros(self._wall()) - self.micros()) / SECOND


SOON = 120 * SECOND  # amber from two minutes left


def countdown_text(remaining: int) -> str:
    """'12:05' while time is left, '+01:23' in overtime (whole seconds, never '-0:00')."""
    if remaining > 0:
        seconds = -(-remaining // SECOND)  # round up: 0.2 s left still shows 0:01
        return f"{seconds // 60:02d}:{seconds % 60:02d}"
    seconds = -remaining // SECOND
    return f"+{seconds // 60:02d}:{seconds % 60:02d}"


def level(remaining: int) -> str:
    """'normal', 'soon' (two minutes or less left) or 'over' (time is up)."""
    if remaining <= 0:
        return "over"
    return "soon" if remaining <= SOON else "normal"
