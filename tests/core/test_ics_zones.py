"""The .ics time zone read by independent parsers: every one puts a meeting at the same UTC hour.

Issue 16: icalendar's generated VTIMEZONE (one long RDATE list) was read right by libical and
dateutil but an hour off in summer by vobject (Radicale) and ical.js (web calendars). Each
parser here builds the zone from the file's own VTIMEZONE, never from a zone database of its
own: icalendar (``to_tz(lookup_tzid=False)``), vobject (``gettzinfo()``) and ical.js under node
(``ICAL.Timezone``, tests/icaljs_times.cjs; ``make icaljs`` installs it into build/icaljs).
Debian ships libical only as a library (no command line tool), so it is not among them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import vobject
from icalendar import Calendar

from tests.portable import TOOLS_REQUIRED
from wijkkit import ics
from wijkkit.models import Session

ROOT = Path(__file__).resolve().parents[2]
ICALJS_MODULES = ROOT / "build" / "icaljs" / "node_modules"

# (local start, local end, UTC start, UTC end): 19:30 CET is 18:30Z, 19:30 CEST is 17:30Z;
# winter, summer, the day summer time starts and the day it ends, then across each switch.
MEETINGS = [
    ("2026-01-14T19:30", "2026-01-14T22:00", "2026-01-14T18:30Z", "2026-01-14T21:00Z"),
    ("2026-06-10T19:30", "2026-06-10T22:00", "2026-06-10T17:30Z", "2026-06-10T20:00Z"),
    ("2026-03-29T10:00", "2026-03-29T12:00", "2026-03-29T08:00Z", "2026-03-29T10:00Z"),
    ("2026-10-25T10:00", "2026-10-25T12:00", "2026-10-25T09:00Z", "2026-10-25T11:00Z"),
    # 02:00 CET becomes 03:00 CEST; 03:00 CEST becomes 02:00 CET; then past 2037
    ("2026-03-29T01:30", "2026-03-29T03:30", "2026-03-29T00:30Z", "2026-03-29T01:30Z"),
    ("2026-10-25T01:30", "2026-10-25T03:30", "2026-10-24T23:30Z", "2026-10-25T02:30Z"),
    ("2038-07-01T19:30", "2038-07-01T22:00", "2038-07-01T17:30Z", "2038-07-01T20:00Z"),
    ("2038-12-01T19:30", "2038-12-01T22:00", "2038-12-01T18:30Z", "2038-12-01T21:00Z"),
]
IDS = [m[0] for m in MEETINGS]


def calendar_file(starts_at: str, ends_at: str) -> bytes:
    session = Session(id="01a00000-0000-7000-8000-000000000016", title="Avond",
                      starts_at=starts_at, ends_at=ends_at)  # fmt: skip
    return ics.meeting_calendar(session, [], now=datetime(2026, 12, 1, tzinfo=UTC))


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text)


def by_icalendar(data: bytes) -> tuple[datetime, datetime]:
    calendar = Calendar.from_ical(data)
    [vtimezone] = calendar.walk("VTIMEZONE")
    zone = vtimezone.to_tz(lookup_tzid=False)  # built from the file, not icalendar's zoneinfo
    [event] = calendar.walk("VEVENT")
    assert event["DTSTART"].params["TZID"] == vtimezone["TZID"] == "Europe/Amsterdam"
    return tuple(  # type: ignore[return-value]
        event.decoded(name).replace(tzinfo=zone).astimezone(UTC) for name in ("DTSTART", "DTEND")
    )


def by_vobject(data: bytes) -> tuple[datetime, datetime]:
    calendar = vobject.readOne(data.decode("utf-8"))
    zone = calendar.vtimezone.gettzinfo()  # dateutil's reading of the file's VTIMEZONE
    event = calendar.vevent
    return tuple(  # type: ignore[return-value]
        moment.value.replace(tzinfo=zone).astimezone(UTC) for moment in (event.dtstart, event.dtend)
    )


@pytest.fixture(scope="session")
def node() -> str:
    """node with ical.js (``make icaljs``); on CI a missing one fails, elsewhere it skips."""
    found = shutil.which("node")
    ready = found is not None and (ICALJS_MODULES / "ical.js" / "package.json").is_file()
    if not ready:
        reason = f"node and ical.js are needed (`make icaljs`: npm install into {ICALJS_MODULES})"
        if TOOLS_REQUIRED:
            pytest.fail(reason)
        pytest.skip(reason)
    return found  # type: ignore[return-value]


def by_icaljs(node: str, data: bytes) -> tuple[datetime, datetime]:
    result = subprocess.run(
        [node, str(ROOT / "tests" / "icaljs_times.cjs")],
        input=data.decode("utf-8"), capture_output=True, text=True, encoding="utf-8",
        env={**os.environ, "NODE_PATH": str(ICALJS_MODULES)}, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    [line] = result.stdout.splitlines()
    _uid, start, end = line.split()
    return utc(start), utc(end)


@pytest.mark.parametrize(("starts_at", "ends_at", "start", "end"), MEETINGS, ids=IDS)
def test_icalendar_reads_the_hour_from_the_file(starts_at, ends_at, start, end):
    assert by_icalendar(calendar_file(starts_at, ends_at)) == (utc(start), utc(end))


@pytest.mark.parametrize(("starts_at", "ends_at", "start", "end"), MEETINGS, ids=IDS)
def test_vobject_reads_the_same_hour(starts_at, ends_at, start, end):
    data = calendar_file(starts_at, ends_at)
    assert by_vobject(data) == (utc(start), utc(end))
    # and vobject's own reading of DTSTART (its registry of the file's zones) agrees
    assert vobject.readOne(data.decode("utf-8")).vevent.dtstart.value == utc(start)


@pytest.mark.parametrize(("starts_at", "ends_at", "start", "end"), MEETINGS, ids=IDS)
def test_icaljs_reads_the_same_hour(node, starts_at, ends_at, start, end):
    assert by_icaljs(node, calendar_file(starts_at, ends_at)) == (utc(start), utc(end))


def test_the_zone_is_written_as_the_big_calendar_programs_write_it():
    data = calendar_file("2026-06-10T19:30", "2026-06-10T22:00")
    [vtimezone] = Calendar.from_ical(data).walk("VTIMEZONE")
    assert str(vtimezone["TZID"]) == str(vtimezone["X-LIC-LOCATION"]) == "Europe/Amsterdam"
    assert "COMMENT" not in vtimezone
    rules = {rule.name: rule for rule in vtimezone.subcomponents}
    assert sorted(rules) == ["DAYLIGHT", "STANDARD"]
    assert len(vtimezone.subcomponents) == 2
    expected = {
        "STANDARD": (datetime(1970, 10, 25, 3, 0), 10, 2, 1, "CET"),
        "DAYLIGHT": (datetime(1970, 3, 29, 2, 0), 3, 1, 2, "CEST"),
    }
    for name, (first, month, before, after, tzname) in expected.items():
        rule = rules[name]
        assert rule.decoded("DTSTART") == first
        assert "RDATE" not in rule
        recur = rule["RRULE"]
        assert (recur["FREQ"], recur["BYMONTH"], recur["BYDAY"]) == (["YEARLY"], [month], ["-1SU"])
        assert "UNTIL" not in recur and "COUNT" not in recur  # no end year
        assert rule.decoded("TZOFFSETFROM") == timedelta(hours=before)
        assert rule.decoded("TZOFFSETTO") == timedelta(hours=after)
        assert str(rule["TZNAME"]) == tzname


def test_the_written_rule_matches_the_zone_database_for_years_to_come():
    # the file's zone against Python's tzdata around every switch (01:00 UTC) from 1997 to 2049
    zone = Calendar.from_ical(calendar_file("2026-06-10T19:30", "2026-06-10T22:00"))
    written = zone.walk("VTIMEZONE")[0].to_tz(lookup_tzid=False)
    for year in range(1997, 2050):
        for month in (1, 3, 7, 10, 12):  # all have 31 days
            days = [datetime(year, month, day, 1, tzinfo=UTC) for day in range(25, 32)]
            last_sunday = max(day for day in days if day.weekday() == 6)
            hour, minute = timedelta(hours=1), timedelta(minutes=1)
            for moment in (last_sunday - minute, last_sunday, last_sunday + hour):
                expected = moment.astimezone(ics.ZONE).utcoffset()
                assert moment.astimezone(written).utcoffset() == expected, moment
