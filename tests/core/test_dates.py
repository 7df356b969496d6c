"""Dates and times as people read them, in English and (through gettext) in Dutch."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from wijkkit import dates, i18n

ENGLISH_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
ENGLISH_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def test_meeting_time_in_english():
    i18n.set_language("en")
    assert dates.meeting_time("2026-12-01T19:30", "2026-12-01T22:00") == "Tuesday 1 December 2026, 19:30–22:00"


def test_meeting_time_in_dutch_is_the_gettext_composed_form():
    i18n.set_language("nl")
    expected = i18n.gettext("{weekday} {day} {month} {year}").format(
        weekday=i18n.gettext("Tuesday"), day=1, month=i18n.gettext("December"), year=2026
    )
    assert dates.meeting_time("2026-12-01T19:30", "2026-12-01T22:00") == f"{expected}, 19:30–22:00"


class DutchNames:
    """A stand-in catalogue, so the Dutch form is checked whatever state the .po is in."""

    NAMES = {"Tuesday": "dinsdag", "December": "december", "Sunday": "zondag", "March": "maart"}

    def gettext(self, message: str) -> str:
        return self.NAMES.get(message, message)


def test_meeting_time_in_dutch_with_a_catalogue(monkeypatch):
    monkeypatch.setattr(i18n, "_translations", DutchNames())
    assert dates.meeting_time("2026-12-01T19:30", "2026-12-01T22:00") == "dinsdag 1 december 2026, 19:30–22:00"
    assert dates.long_date(date(2027, 3, 7)) == "zondag 7 maart 2027"


def test_every_weekday_and_month_is_named():
    i18n.set_language("en")
    monday = date(2026, 11, 30)
    for offset, name in enumerate(ENGLISH_WEEKDAYS):
        assert dates.long_date(monday + timedelta(days=offset)).startswith(f"{name} ")
    for month, name in enumerate(ENGLISH_MONTHS, start=1):
        assert dates.long_date(date(2026, month, 1)).split(" ", 1)[1] == f"1 {name} 2026"


@pytest.mark.parametrize(
    ("starts", "ends", "expected"),
    [
        ("2026-12-01T09:05", None, "Tuesday 1 December 2026, 09:05"),
        ("2026-12-01T09:05", "", "Tuesday 1 December 2026, 09:05"),
        ("2026-12-01T09:05", "later", "Tuesday 1 December 2026, 09:05"),
        ("2026-12-01", None, "Tuesday 1 December 2026, 00:00"),
        ("2026-12-31T23:30", "2027-01-01T00:30", "Thursday 31 December 2026, 23:30–00:30"),
    ],
)
def test_meeting_time_variants(starts, ends, expected):
    i18n.set_language("en")
    assert dates.meeting_time(starts, ends) == expected


@pytest.mark.parametrize("bad", [None, "", "morgen", "2026-13-01T19:30", "2026-02-30", "19:30", "01-12-2026"])
def test_bad_input_gives_an_empty_string(bad):
    assert dates.meeting_time(bad, "2026-12-01T22:00") == ""
    assert dates.short_date(bad) == ""
    assert dates.parse(bad) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-12-01T19:30", "1-12-2026"),
        ("2026-12-01", "1-12-2026"),
        ("2027-03-07T08:00:00", "7-3-2027"),
        ("2026-10-31T23:59", "31-10-2026"),
    ],
)
def test_short_date(value, expected):
    assert dates.short_date(value) == expected
