"""``--smoke-test`` writes an .ics through the core and fails when its time zone is not described.

The release workflow runs the smoke test on the built Windows and macOS bundles; Windows has no
time-zone database of its own, so an .ics whose Europe/Amsterdam VTIMEZONE is there proves the
tzdata package made it into the bundle. Here the missing description is simulated.
"""

from __future__ import annotations

from icalendar import Timezone


def test_the_smoke_test_exports_an_ics_with_its_time_zone(qtbot, capsys):
    from ui.smoke import smoke_test

    assert smoke_test("nl") == 0
    assert "an .ics with its time zone written" in capsys.readouterr().out


def test_the_smoke_test_fails_when_the_ics_lacks_its_time_zone(qtbot, capsys, monkeypatch):
    from wijkkit import ics

    from ui.smoke import smoke_test

    monkeypatch.setattr(ics, "zone_description", Timezone)  # a VTIMEZONE that names no zone
    assert smoke_test("nl") == 1
    err = capsys.readouterr().err
    assert "does not describe its time zone Europe/Amsterdam" in err and "smoke test FAILED" in err
