"""A meeting as an .ics file: read back with icalendar, right hour in Amsterdam all year, agenda inside."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from wijkkit import ics
from wijkkit.i18n import gettext
from wijkkit.models import Session


def event_of(data: bytes):
    calendar = Calendar.from_ical(data)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return calendar, events[0]


def meeting(starts_at: str, ends_at: str, **details) -> Session:
    return Session(id="01a00000-0000-7000-8000-000000000001", title="Avond", starts_at=starts_at,
                   ends_at=ends_at, **details)  # fmt: skip


def test_the_held_demo_meeting_as_a_calendar_event(demo_kit):
    held, _planned = demo_kit.sessions.list()
    steps = demo_kit.sessions.steps(held.id)
    stamp = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
    calendar, event = event_of(ics.meeting_calendar(held, steps, now=stamp))
    assert str(calendar["VERSION"]) == "2.0"
    assert str(event["UID"]) == f"{held.id}@wijkkit"
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert (start.replace(tzinfo=None), end.replace(tzinfo=None)) == (
        datetime(2026, 11, 8, 19, 30), datetime(2026, 11, 8, 22, 0),
    )  # fmt: skip
    assert start.tzinfo.key == end.tzinfo.key == "Europe/Amsterdam"
    assert start.utcoffset() == timedelta(hours=1)
    assert event.decoded("DTSTAMP") == stamp
    assert str(event["SUMMARY"]) == held.title == "Samen zorgen in Ellerveen"
    assert "Dorpshuis De Schakel" in str(event["LOCATION"])
    assert str(event["LOCATION"]) == "Dorpshuis De Schakel, Brinkweg 4, Ellerveen"
    lines = str(event["DESCRIPTION"]).splitlines()
    assert lines[0] == "Naar elkaar omzien"
    assert lines[1] == gettext("Agenda:")
    assert lines[2:10] == [
        "19:30 Welkom en bedoeling",
        "19:45 Kennismaken",
        "20:00 Ervaringen delen",
        "20:25 Pauze",
        "20:35 Dromen",
        "20:55 Verkennen",
        "21:15 Doen en afspraken",
        "21:35 Oogsten en terugkoppelen",
    ]
    assert lines[10:] == [gettext("Facilitator: {name}").format(name="Ingrid Veenstra")]


def test_the_planned_demo_meeting_lists_its_own_agenda(demo_kit):
    _held, planned = demo_kit.sessions.list()
    steps = demo_kit.sessions.steps(planned.id)
    _calendar, event = event_of(ics.meeting_calendar(planned, steps))
    description = str(event["DESCRIPTION"])
    for step, slot in demo_kit.sessions.schedule(planned.id):
        assert f"{slot.starts:%H:%M} {step.title}" in description
    assert "19:30 Welkom en terugblik" in description
    assert event.decoded("DTSTART").date().isoformat() == "2026-12-27"


@pytest.mark.parametrize(
    ("day", "offset"),
    [
        ("2026-07-01", 2),  # summer time
        ("2026-12-01", 1),  # winter time
        ("2026-03-29", 2),  # the Sunday summer time starts (02:00 -> 03:00)
        ("2026-10-25", 1),  # the Sunday it ends
        ("2026-03-28", 1),
        ("2026-10-24", 2),
    ],
)
def test_the_hour_is_right_in_summer_and_in_winter(day, offset):
    _calendar, event = event_of(ics.meeting_calendar(meeting(f"{day}T19:30", f"{day}T22:00"), []))
    start = event.decoded("DTSTART")
    assert start.utcoffset() == timedelta(hours=offset)
    assert start.astimezone(UTC).hour == 19 - offset
    assert (start.hour, start.minute) == (19, 30)
    assert "TZID=Europe/Amsterdam" in event.to_ical().decode()


def test_the_file_describes_the_time_zone_it_names():
    # RFC 5545 3.2.19: a VTIMEZONE MUST be given for every TZID used in the file
    calendar, _event = event_of(
        ics.meeting_calendar(meeting("2026-07-01T19:30", "2026-07-01T22:00"), [])
    )
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]


def test_a_bare_meeting_has_no_location_or_description():
    _calendar, event = event_of(
        ics.meeting_calendar(meeting("2026-12-01T19:30", "2026-12-01T22:00"), [])
    )
    assert "LOCATION" not in event
    assert "DESCRIPTION" not in event
    assert str(event["SUMMARY"]) == "Avond"


def test_awkward_text_survives_the_round_trip():
    title = "Koffie, thee; en\nmeer – voor Zoë & Şükrü"
    session = meeting(
        "2026-12-01T19:30", "2026-12-01T22:00", location_name="Café 't Hoekje; achterzaal"
    )
    session = Session(**{**session.__dict__, "title": title})
    _calendar, event = event_of(ics.meeting_calendar(session, []))
    assert str(event["SUMMARY"]) == title
    assert str(event["LOCATION"]) == "Café 't Hoekje; achterzaal"


def test_write_meeting_leaves_only_the_finished_file(demo_kit, tmp_path):
    held, _planned = demo_kit.sessions.list()
    folder = tmp_path / "export"
    folder.mkdir()
    path = ics.write_meeting(held, demo_kit.sessions.steps(held.id), folder / "bijeenkomst.ics")
    assert [p.name for p in folder.iterdir()] == ["bijeenkomst.ics"]
    _calendar, event = event_of(path.read_bytes())
    assert str(event["UID"]) == f"{held.id}@wijkkit"


def test_write_meeting_replaces_an_older_export(tmp_path):
    target = tmp_path / "avond.ics"
    target.write_bytes(b"oud")
    ics.write_meeting(meeting("2026-12-01T19:30", "2026-12-01T22:00"), [], target)
    assert target.read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert [p.name for p in tmp_path.iterdir()] == ["avond.ics"]


def test_a_meeting_without_times_makes_no_file(tmp_path):
    with pytest.raises(ValueError):
        ics.write_meeting(meeting("", "2026-12-01T22:00"), [], tmp_path / "x.ics")
    assert list(tmp_path.iterdir()) == []
