"""The hybrid logical clock: stamps never go backwards, whatever the wall clock does."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from wijkkit.hlc import COUNTER_BITS, COUNTER_MAX, HybridClock, pack, stamp_ms, unpack

MS = st.integers(min_value=0, max_value=(1 << 47) - 1)
COUNTER = st.integers(min_value=0, max_value=COUNTER_MAX)

# Wall times from a narrow window, so that equal and backwards readings are common,
# and remote stamps near the end of a millisecond's counter, so that overflow happens.
WALL = st.integers(min_value=1_000, max_value=1_010)
REMOTE = st.builds(pack, st.integers(min_value=990, max_value=1_020), st.sampled_from([0, 1, COUNTER_MAX - 1, COUNTER_MAX]))
STEP = st.one_of(
    st.tuples(st.just("now"), WALL),
    st.tuples(st.just("observe"), REMOTE),
)


class FakeWall:
    def __init__(self, ms: int) -> None:
        self.ms = ms

    def __call__(self) -> int:
        return self.ms


@settings(max_examples=300, deadline=None)
@given(start=WALL, steps=st.lists(STEP, min_size=1, max_size=60))
def test_now_is_strictly_increasing_and_after_every_observed_stamp(start, steps):
    wall = FakeWall(start)
    clock = HybridClock(clock=wall)
    previous = -1
    highest_seen = -1
    for action, value in steps:
        if action == "observe":
            clock.observe(value)
            highest_seen = max(highest_seen, value)
            continue
        wall.ms = value
        stamp = clock.now()
        assert stamp > previous, "a stamp went backwards or repeated"
        assert stamp > highest_seen, "a stamp did not sort after an observed remote stamp"
        assert stamp_ms(stamp) >= value, "a stamp is behind the wall clock"
        assert clock.last == stamp
        previous = stamp


@settings(max_examples=100, deadline=None)
@given(times=st.lists(MS, min_size=1, max_size=40))
def test_any_wall_clock_sequence_gives_strictly_increasing_stamps(times):
    wall = FakeWall(0)
    clock = HybridClock(clock=wall)
    stamps = []
    for ms in times:
        wall.ms = ms
        stamps.append(clock.now())
    assert all(a < b for a, b in zip(stamps, stamps[1:], strict=False))


def test_a_wall_clock_that_jumps_back_an_hour_keeps_counting_on_the_last_millisecond():
    wall = FakeWall(10_000_000)
    clock = HybridClock(clock=wall)
    first = clock.now()
    wall.ms -= 3_600_000
    assert [clock.now() for _ in range(3)] == [first + 1, first + 2, first + 3]
    wall.ms = 10_000_005  # the wall clock catches up: the counter restarts at 0
    assert clock.now() == pack(10_000_005, 0)


def test_observing_an_older_stamp_changes_nothing():
    clock = HybridClock(last=pack(5_000, 7), clock=FakeWall(1))
    clock.observe(pack(4_000, 9))
    assert clock.last == pack(5_000, 7)
    assert clock.now() == pack(5_000, 8)


def test_after_observing_a_remote_stamp_from_the_future_the_next_stamp_follows_it():
    clock = HybridClock(last=pack(5_000, 0), clock=FakeWall(5_000))
    remote = pack(9_000, 41)
    clock.observe(remote)
    assert clock.now() == pack(9_000, 42)


def test_counter_overflow_rolls_to_the_next_millisecond():
    wall = FakeWall(1_000)
    clock = HybridClock(last=pack(1_000, COUNTER_MAX - 1), clock=wall)
    assert clock.now() == pack(1_000, COUNTER_MAX)
    assert clock.now() == pack(1_001, 0)
    assert clock.now() == pack(1_001, 1)
    wall.ms = 1_001  # now equal to the borrowed millisecond: still counting
    assert clock.now() == pack(1_001, 2)
    wall.ms = 1_002
    assert clock.now() == pack(1_002, 0)


def test_overflow_after_a_remote_stamp_at_the_end_of_its_counter():
    clock = HybridClock(clock=FakeWall(0))
    clock.observe(pack(77, COUNTER_MAX))
    assert unpack(clock.now()) == (78, 0)


@given(ms=MS, counter=COUNTER)
def test_pack_unpack_round_trip(ms, counter):
    stamp = pack(ms, counter)
    assert unpack(stamp) == (ms, counter)
    assert stamp_ms(stamp) == ms
    assert stamp >> COUNTER_BITS == ms


@given(a=st.tuples(MS, COUNTER), b=st.tuples(MS, COUNTER))
def test_packed_stamps_sort_like_their_ms_counter_pairs(a, b):
    assert (pack(*a) < pack(*b)) == (a < b)
    assert (pack(*a) == pack(*b)) == (a == b)


def test_the_default_clock_is_the_real_wall_clock_in_milliseconds():
    import time

    before = int(time.time() * 1000)
    stamp = HybridClock().now()
    after = int(time.time() * 1000)
    assert before <= stamp_ms(stamp) <= after
