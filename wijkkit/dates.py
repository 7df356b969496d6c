"""Dates and times as people read them, in the current language.

Meetings are stored as local ISO strings ("2026-12-01T19:30"); handouts and the
app show them as "dinsdag 1 december 2026, 19:30". The names come from gettext
so the core can format them without Qt or the system locale. Dates and times
typed into a form ("3-12", "3/12/2026", "2200") are read here too, so every form
accepts the same spellings and refuses the rest with the same message.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

from wijkkit.errors import ValidationError
from wijkkit.i18n import N_, gettext

WEEKDAYS = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"), N_("Sunday"))
MONTHS = (
    N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"),
    N_("July"), N_("August"), N_("September"), N_("October"), N_("November"), N_("December"),
)  # fmt: skip


def parse(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def long_date(day: date) -> str:
    """e.g. 'dinsdag 1 december 2026' (Dutch) or 'Tuesday 1 December 2026' (English)."""
    return gettext("{weekday} {day} {month} {year}").format(
        weekday=gettext(WEEKDAYS[day.weekday()]),
        day=day.day,
        month=gettext(MONTHS[day.month - 1]),
        year=day.year,
    )


def short_date(value: str | None) -> str:
    """e.g. '1-12-2026'; empty for no date."""
    moment = parse(value)
    return f"{moment.day}-{moment.month}-{moment.year}" if moment else ""


def meeting_time(starts_at: str | None, ends_at: str | None) -> str:
    """e.g. 'dinsdag 1 december 2026, 19:30–22:00'."""
    start, end = parse(starts_at), parse(ends_at)
    if start is None:
        return ""
    text = f"{long_date(start.date())}, {start:%H:%M}"
    if end is not None:
        text += f"–{end:%H:%M}"
    return text


# -- dates and times as people type them -------------------------------------------------

_DATE_SEPARATORS = re.compile(r"[-/.\s]+")
DATE_EXAMPLE = "3-12-2026"


def typed_date(text: str, today: date) -> date | None:
    """A date typed in a Dutch form: day first ("3-12-2026", "03-12-26", "3/12", "3.12.2026"),
    or ISO ("2026-12-03"); without a year, this year. None for an empty field; a
    ``ValidationError`` (with the field's own name set by the caller) for anything else."""
    text = text.strip()
    if not text:
        return None
    parts = [p for p in _DATE_SEPARATORS.split(text) if p]
    if len(parts) == 1 and parts[0].isdigit() and len(parts[0]) in (4, 6, 8):  # 0312, 031226, 03122026
        digits = parts[0]
        parts = [digits[:2], digits[2:4]] + ([digits[4:]] if len(digits) > 4 else [])
    if not all(p.isdigit() for p in parts) or len(parts) not in (2, 3):
        raise _date_error(text)
    numbers = [int(p) for p in parts]
    if len(parts) == 3 and len(parts[0]) == 4:  # ISO: year first
        year, month, day = numbers
    else:
        day, month = numbers[:2]
        year = numbers[2] if len(parts) == 3 else today.year
        if len(parts) == 3 and len(parts[2]) <= 2:
            year += 2000
    try:
        return date(year, month, day)
    except ValueError:
        raise _date_error(text) from None


def _date_error(text: str) -> ValidationError:
    return ValidationError(N_("“{text}” is not a date. Type it as day-month-year, e.g. {example}."),
                           text=text, example=DATE_EXAMPLE)  # fmt: skip


def typed_time(text: str) -> time:
    """A time of day as people type it: "20:00", "20.00", "2000", "930", "20" or "9"."""
    cleaned = text.strip().replace(".", ":").replace(" ", "")
    if ":" in cleaned:
        hours, _sep, minutes = cleaned.partition(":")
    elif len(cleaned) in (3, 4):
        hours, minutes = cleaned[:-2], cleaned[-2:]
    else:
        hours, minutes = cleaned, "0"
    if not (hours.isdigit() and minutes.isdigit() and len(hours) <= 2 and len(minutes) <= 2):
        raise _time_error(text)
    try:
        return time(int(hours), int(minutes))
    except ValueError:
        raise _time_error(text) from None


def _time_error(text: str) -> ValidationError:
    return ValidationError(N_("“{text}” is not a time. Type it as hours:minutes, e.g. 19:30."), text=text.strip())
