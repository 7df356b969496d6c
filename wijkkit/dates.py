"""Dates and times as people read them, in the current language.

Meetings are stored as local ISO strings ("2026-12-01T19:30"); handouts and the
app show them as "dinsdag 1 december 2026, 19:30". The names come from gettext
so the core can format them without Qt or the system locale.
"""

from __future__ import annotations

from datetime import date, datetime

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
