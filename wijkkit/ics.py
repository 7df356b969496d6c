"""A meeting as an .ics calendar file, for the facilitator's and partners' agendas.

Times are stored as local wall-clock times; the file states them in the
Europe/Amsterdam zone so every calendar shows the right hour, also across the
switch to and from summer time. The description carries the agenda.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from wijkkit import agenda, dates
from wijkkit.atomic import write_atomically
from wijkkit.i18n import _
from wijkkit.models import Session, Step

ZONE = ZoneInfo("Europe/Amsterdam")


def meeting_calendar(session: Session, steps: list[Step], now: datetime | None = None) -> bytes:
    start, end = dates.parse(session.starts_at), dates.parse(session.ends_at)
    if start is None or end is None:
        raise ValueError("a meeting without start or end cannot go in a calendar")
    calendar = Calendar()
    calendar.add("prodid", "-//Wijkkit//wijkdialoog//NL")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"{session.id}@wijkkit")
    event.add("dtstamp", now or datetime.now(UTC))
    event.add("dtstart", start.replace(tzinfo=ZONE))
    event.add("dtend", end.replace(tzinfo=ZONE))
    event.add("summary", session.title)
    place = ", ".join(p for p in (session.location_name, session.location_address) if p)
    if place:
        event.add("location", place)
    lines = [session.theme] if session.theme else []
    slots = agenda.schedule(start, [s.minutes for s in steps])
    if steps:
        lines.append(_("Agenda:"))
        lines += [f"{slot.starts:%H:%M} {step.title}" for slot, step in zip(slots, steps, strict=True)]
    if session.facilitator:
        lines.append(_("Facilitator: {name}").format(name=session.facilitator))
    if lines:
        event.add("description", "\n".join(lines))
    calendar.add_component(event)
    calendar.add_missing_timezones()  # RFC 5545: a TZID must be described in the file
    return calendar.to_ical()


def write_meeting(session: Session, steps: list[Step], path: Path) -> Path:
    """The meeting as an .ics file: whole or not at all (``wijkkit.atomic``)."""
    return write_atomically(path, meeting_calendar(session, steps))
