"""Row ids: UUIDv7 strings that carry their creation time and increase within a process."""

from __future__ import annotations

import time
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wijkkit import ids


@pytest.fixture(autouse=True)
def _fresh_sequence(monkeypatch):
    """Each test starts from a clean sequence; the module's state is restored afterwards."""
    monkeypatch.setattr(ids, "_last_ms", 0)
    monkeypatch.setattr(ids, "_seq", 0)


def embedded_ms(value: str) -> int:
    return uuid.UUID(value).int >> 80


def assert_valid_v7(value: str) -> None:
    parsed = uuid.UUID(value)
    assert parsed.version == 7
    assert parsed.variant == uuid.RFC_4122
    assert str(parsed) == value, "not in canonical lower-case 8-4-4-4-12 form"


def test_new_id_is_a_canonical_uuid7_with_the_current_time():
    before = int(time.time() * 1000)
    value = ids.new_id()
    after = int(time.time() * 1000)
    assert_valid_v7(value)
    assert before <= embedded_ms(value) <= after


def test_the_given_millisecond_is_embedded():
    value = ids.new_id(now_ms=1_796_000_000_123)
    assert_valid_v7(value)
    assert embedded_ms(value) == 1_796_000_000_123


def test_ten_thousand_ids_in_the_same_millisecond_are_unique_valid_and_increasing():
    ms = 1_796_000_000_000
    made = [ids.new_id(now_ms=ms) for _ in range(10_000)]
    assert len(set(made)) == 10_000
    for value in made:
        assert_valid_v7(value)
    assert made == sorted(made), "ids do not sort as text in creation order"
    as_ints = [uuid.UUID(v).int for v in made]
    assert all(a < b for a, b in zip(as_ints, as_ints[1:], strict=False))
    # 12 bits of sequence per millisecond: 10,000 ids borrow at most two later milliseconds
    assert embedded_ms(made[0]) == ms
    assert embedded_ms(made[-1]) == ms + 10_000 // 4096


def test_a_clock_going_backwards_still_gives_increasing_ids():
    first = ids.new_id(now_ms=2_000_000)
    second = ids.new_id(now_ms=1_000_000)
    third = ids.new_id(now_ms=2_000_000)
    assert first < second < third
    assert embedded_ms(second) == 2_000_000


@settings(max_examples=100, deadline=None)
@given(times=st.lists(st.integers(min_value=0, max_value=(1 << 48) - 10_000), min_size=2, max_size=50))
def test_any_sequence_of_times_gives_strictly_increasing_valid_ids(times):
    ids._last_ms, ids._seq = 0, 0
    made = [ids.new_id(now_ms=ms) for ms in times]
    for value in made:
        assert_valid_v7(value)
    assert all(a < b for a, b in zip(made, made[1:], strict=False))
