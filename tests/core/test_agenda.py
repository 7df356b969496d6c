"""Agenda arithmetic: back-to-back start times and whether an agenda fits its time slot."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given
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
