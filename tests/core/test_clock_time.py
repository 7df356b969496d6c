"""Time as the clock counts it: UTC microseconds, and the SteadyClock that never jumps.

Split from test_clock.py, which tests the fold over the event log.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.core.test_clock import STEPS
from wijkkit.clock import SECOND, Event, SteadyClock, fold, from_micros, to_micros

MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
aware = st.datetimes(
    min_value=datetime(1971, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)


@given(aware)
def test_micros_round_trip(moment):
    assert from_micros(to_micros(moment)) == moment
    assert from_micros(to_micros(moment)).tzinfo == UTC


@given(aware, st.integers(-14 * 60, 14 * 60))
def test_micros_do_not_depend_on_the_time_zone_of_the_moment(moment, offset):
    elsewhere = moment.astimezone(timezone(timedelta(minutes=offset)))
    assert to_micros(elsewhere) == to_micros(moment)


@given(aware, aware)
def test_micros_differ_by_exactly_the_time_between(a, b):
    assert to_micros(b) - to_micros(a) == (b - a) // timedelta(microseconds=1)


def test_a_moment_without_a_time_zone_is_refused():
    with pytest.raises(ValueError, match="time zone"):
        to_micros(datetime(2027, 1, 12, 19, 30))


# -- the steady clock ------------------------------------------------------------------------------


class Clocks:
    """A system clock that can be moved by hand and a monotonic clock that only goes forward."""

    def __init__(self) -> None:
        self.wall_time = datetime(2027, 1, 12, 18, 30, 0, 123_456, tzinfo=UTC)
        self.mono = 987_654_321_000

    def wall(self) -> datetime:
        return self.wall_time

    def monotonic_ns(self) -> int:
        return self.mono

    def both_advance(self, ns: int) -> None:
        self.mono += ns
        self.wall_time += timedelta(microseconds=ns // 1000)


@pytest.mark.parametrize(
    "jump", [timedelta(hours=1), timedelta(minutes=-10), timedelta(seconds=-1), timedelta(days=3)]
)
def test_steady_clock_keeps_its_pace_when_the_system_clock_jumps(jump):
    clocks = Clocks()
    steady = SteadyClock(wall=clocks.wall, monotonic_ns=clocks.monotonic_ns)
    anchor = clocks.wall_time
    assert steady.now() == anchor and steady.drift_seconds() == 0
    clocks.both_advance(90 * 10**9)
    assert steady.now() == anchor + timedelta(seconds=90)
    clocks.wall_time += jump  # someone (or NTP) sets the computer's clock
    assert steady.now() == anchor + timedelta(seconds=90)
    assert steady.drift_seconds() == jump.total_seconds()
    clocks.both_advance(30 * 10**9 + 1500)
    assert steady.now() == anchor + timedelta(seconds=120, microseconds=1)
    assert steady.micros() == to_micros(anchor) + 120 * SECOND + 1
    assert steady.drift_seconds() == pytest.approx(jump.total_seconds(), abs=1e-6)


def test_a_meeting_timed_by_the_steady_clock_is_not_disturbed_by_a_clock_change():
    clocks = Clocks()
    steady = SteadyClock(wall=clocks.wall, monotonic_ns=clocks.monotonic_ns)
    events = [Event("start", steady.micros())]
    clocks.both_advance(10 * 60 * 10**9)
    clocks.wall_time -= timedelta(hours=1)  # winter time, applied badly
    clocks.both_advance(4 * 60 * 10**9)
    state = fold(STEPS, events, steady.micros())
    assert state.remaining == MINUTE
    assert steady.drift_seconds() == -3600


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 10**13), st.integers(-(10**10), 10**10)),
        max_size=50,
    )
)
def test_steady_clock_is_the_anchor_plus_monotonic_progress(moves):
    clocks = Clocks()
    steady = SteadyClock(wall=clocks.wall, monotonic_ns=clocks.monotonic_ns)
    anchor, mono0 = to_micros(clocks.wall_time), clocks.mono
    previous = steady.now()
    for progress_ns, wall_jump in moves:
        clocks.both_advance(progress_ns)
        clocks.wall_time += timedelta(microseconds=wall_jump)
        now = steady.now()
        assert now >= previous
        assert steady.micros() == anchor + (clocks.mono - mono0) // 1000
        assert to_micros(now) == steady.micros()
        assert steady.drift_seconds() == (to_micros(clocks.wall_time) - steady.micros()) / SECOND
        previous = now


def test_steady_clock_defaults_to_the_real_clocks():
    steady = SteadyClock()
    first = steady.now()
    assert first.tzinfo is not None
    assert abs(first - datetime.now(UTC)) < timedelta(seconds=5)
    assert steady.now() >= first
    assert abs(steady.drift_seconds()) < 5
