"""A meeting as an .ics calendar file, for the facilitator's and partners' agendas.

Times are stored as local wall-clock times; the file states them in the
Europe/Amsterdam zone so every calendar shows the right hour, also across the
switch to and from summer time. The description carries the agenda.

The zone is described the way Outlook, Google and Apple write it: one STANDARD and
one DAYLIGHT rule, each a yearly RRULE without an end. icalendar's own
``add_missing_timezones()`` writes every switch from 1978 to 2037 as one long RDATE
list instead, which vobject (Radicale) and ical.js (web calendars) read only the
first date of, putting summer meetings an hour early; it also stops in 2037 and puts
COMMENT where libical refuses it (issue 16).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from wijkkit import agenda, dates
from wijkkit.atomic import write_atomically
from wijkkit.i18n import _
from wijkkit.models import Session, Step

ZONE = ZoneInfo("Europe/Amsterdam")


def zone_description() -> Timezone:
    """VTIMEZONE for ``ZONE``: the EU rule since 1996, summer time from the last Sunday of
    March 02:00 to the last Sunday of October 03:00 local time (01:00 UTC both)."""
    zone = Timezone()
    zone.add("tzid", ZONE.key)
    zone.add("x-lic-location", ZONE.key)
    rules = (
        (TimezoneStandard, datetime(1970, 10, 25, 3, 0), 10, 2, 1, "CET"),
        (TimezoneDaylight, datetime(1970, 3, 29, 2, 0), 3, 1, 2, "CEST"),
    )
    for kind, first, month, before, after, name in rules:
        rule = kind()
        rule.add("dtstart", first)
        rule.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
        rule.add("tzoffsetfrom", timedelta(hours=before))
        rule.add("tzoffsetto", timedelta(hours=after))
        rule.add("tzname", name)
        zone.add_component(rule)
    return zone


def meeting_calendar(session: Session, steps: list[Step], now: datetime | None = None) -> bytes:
    start, end = dates.parse(session.starts_at), dates.parse(session.ends_at)
    if start is None or end is None:
        raise ValueError("a meeting without start or end cannot go in a calendar")
    calendar = Calendar()
    calendar.add("prodid", "-//Wijkkit//wijkdialoog//NL")
    calendar.add("version", "2.0")
    calendar.add_component(zone_description())  # RFC 5545: a TZID must be described in the file
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
    return calendar.to_ical()


def write_meeting(session: Session, steps: list[Step], path: Path) -> Path:
    """The meeting as an .ics file: whole or not at all (``wijkkit.atomic``)."""
    return write_atomically(path, meeting_calendar(session, steps))
