"""Agenda arithmetic: back-to-back start times, whether an agenda fits its time slot, and
``agenda.propose``, the shorter steps offered when an evening runs late."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wijkkit import agenda

EVENING = datetime(2026, 12, 1, 19, 30)


def test_schedule_places_items_back_to_back():
    slots = agenda.schedule(EVENING, [15, 15, 25, 10])
    assert [(s.index, f"{s.starts:%H:%M}", f"{s.ends:%H:%M}", s.minutes) for s in slots] == [
        (0, "19:30", "19:45", 15),
        (1, "19:45", "20:00", 15),
        (2, "20:00", "20:25", 25),
        (3, "20:25", "20:35", 10),
    ]


def test_schedule_of_an_empty_agenda_is_empty():
    assert agenda.schedule(EVENING, []) == []


def test_schedule_crosses_midnight_into_the_next_day():
    slots = agenda.schedule(datetime(2026, 12, 31, 23, 30), [20, 20])
    assert slots[1].starts == datetime(2026, 12, 31, 23, 50)
    assert slots[1].ends == datetime(2027, 1, 1, 0, 10)


@pytest.mark.parametrize(
    ("minutes", "planned", "over_by", "spare", "fits"),
    [
        ([15, 15, 25, 10, 20, 20, 20, 15], 140, 0, 10, True),  # the 7-step evening
        ([60, 90], 150, 0, 0, True),  # exactly full
        ([60, 91], 151, 1, 0, False),
        ([100, 65], 165, 15, 0, False),
        ([], 0, 0, 150, True),
    ],
)
def test_fit_against_an_evening_of_two_and_a_half_hours(minutes, planned, over_by, spare, fits):
    result = agenda.fit(EVENING, EVENING.replace(hour=22, minute=0), minutes)
    assert result.available_minutes == 150
    assert result.planned_minutes == planned
    assert (result.over_by, result.spare, result.fits) == (over_by, spare, fits)


def test_fit_counts_whole_minutes_of_the_slot():
    result = agenda.fit(EVENING, EVENING + timedelta(minutes=90, seconds=59), [90])
    assert result.available_minutes == 90
    assert result.fits and result.spare == 0


minute_lists = st.lists(st.integers(min_value=1, max_value=600), max_size=40)
starts = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1))


@given(starts, minute_lists)
def test_slots_are_contiguous_and_end_at_start_plus_the_sum(start, minutes):
    slots = agenda.schedule(start, minutes)
    assert len(slots) == len(minutes)
    assert [s.index for s in slots] == list(range(len(minutes)))
    assert [s.minutes for s in slots] == minutes
    if slots:
        assert slots[0].starts == start
        assert slots[-1].ends == start + timedelta(minutes=sum(minutes))
    for earlier, later in zip(slots, slots[1:], strict=False):
        assert earlier.ends == later.starts
    for slot in slots:
        assert slot.ends - slot.starts == timedelta(minutes=slot.minutes)


@given(starts, minute_lists, st.integers(min_value=0, max_value=24 * 60))
def test_over_by_minus_spare_is_planned_minus_available(start, minutes, available):
    result = agenda.fit(start, start + timedelta(minutes=available), minutes)
    assert result.available_minutes == available
    assert result.planned_minutes == sum(minutes)
    assert result.over_by - result.spare == sum(minutes) - available
    assert result.over_by >= 0 and result.spare >= 0
    assert min(result.over_by, result.spare) == 0
    assert result.fits == (sum(minutes) <= available)


# -- agenda.propose on its own -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "minimums", "available", "expected"),
    [
        ([15, 25, 10, 20, 20, 20, 15], [5, 5, 5, 5, 5, 5, 10], 125, [15, 25, 10, 20, 20, 20, 15]),
        ([15, 25, 10, 20, 20, 20, 15], [5, 5, 5, 5, 5, 5, 10], 200, [15, 25, 10, 20, 20, 20, 15]),
        ([15, 25, 10, 20, 20, 20, 15], [5, 5, 5, 5, 5, 5, 10], 0, [5, 5, 5, 5, 5, 5, 10]),
        ([20, 20], [5, 5], 30, [15, 15]),
        ([10, 30], [5, 5], 30, [9, 21]),  # 5 and 25 spare give up 1 and 9 of 10
        ([5, 5, 10], [5, 5, 10], 10, [5, 5, 10]),
        ([3, 40], [5, 10], 20, [3, 17]),
        ([], [], 0, []),
    ],
)
def test_propose_examples(minutes, minimums, available, expected):
    assert agenda.propose(minutes, minimums, available) == expected


@st.composite
def agendas(draw):
    minutes = draw(st.lists(st.integers(1, 120), max_size=12))
    minimums = [draw(st.integers(1, 15)) for _ in minutes]
    available = draw(st.integers(0, sum(minutes) + 30))
    return minutes, minimums, available


@settings(max_examples=400, deadline=None)
@given(agendas())
def test_propose_fits_when_it_can_and_never_goes_below_a_minimum_or_above_the_old_minutes(case):
    minutes, minimums, available = case
    new = agenda.propose(minutes, minimums, available)
    assert len(new) == len(minutes)
    lows = [min(m, low) for m, low in zip(minutes, minimums, strict=True)]
    for n, m, low in zip(new, minutes, lows, strict=True):
        assert low <= n <= m
    if sum(minutes) <= available:
        assert new == minutes
    elif sum(lows) <= available:
        assert sum(new) == available
    else:
        assert new == lows
    # every step gives up time in proportion to what it has above its minimum (to the minute)
    spare = [m - low for m, low in zip(minutes, lows, strict=True)]
    cut = sum(minutes) - sum(new)
    if sum(spare):
        for n, m, s in zip(new, minutes, spare, strict=True):
            assert abs((m - n) - cut * s / sum(spare)) <= 1
