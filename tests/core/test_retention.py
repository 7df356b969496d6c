"""Retention that acts: the hub's period reaches the laptops (checked there), what is past it is
listed, and removing it reaches every replica through erasures and tombstones."""

from __future__ import annotations

import logging
from datetime import date, datetime

import pytest

from wijkkit import privacy, retention
from wijkkit.cli import main
from wijkkit.errors import KitError, ValidationError
from wijkkit.sync import exchange

TODAY = date(2026, 12, 2)


def old_meeting(kit, neighbourhood: str | None = None, day: str = "2023-03-14") -> str:
    extra = {"neighbourhood_id": neighbourhood} if neighbourhood else {}
    return kit.sessions.add("Oude avond", f"{day}T19:30", f"{day}T22:00", status="held", **extra)


def rows_of(kit, session: str, created_at: str | None) -> dict[str, str]:
    return {
        table: kit.insert(
            table, {"session_id": session, "text": f"{table} uit 2023", "created_at": created_at}
        )
        for table in retention.AGED_TABLES
    }


# -- the period ------------------------------------------------------------------------------


def test_without_a_hub_a_database_keeps_its_own_period(kit):
    assert retention.retention_months(kit) == retention.DEFAULT_RETENTION_MONTHS == 24
    retention.set_retention_months(kit, 12)
    assert retention.retention_months(kit) == privacy.retention_months(kit) == 12
    assert retention.set_by_municipality(kit) is None
    with pytest.raises(KitError):
        retention.set_for_laptops(kit, 36)  # only a hub sets it for the laptops


@pytest.mark.parametrize("value", [36, 1, 120])
def test_valid_periods(value):
    assert retention.valid_months(value) == value


@pytest.mark.parametrize("value", [0, 121, -5, True, "36", 36.0, None, [36]])
def test_anything_else_is_not_a_period(value):
    assert retention.valid_months(value) is None


def test_the_hubs_period_travels_to_the_laptops_and_wins_there(village):
    hub, a = village.hub, village.a
    retention.set_retention_months(a, 12)
    assert retention.for_laptops(hub) is None
    retention.set_retention_months(hub, 36)  # at the hub this is the period for every laptop
    assert retention.for_laptops(hub)["months"] == 36
    written = exchange.send_updates(hub, village.outbox).written
    assert (
        len(written) == 2
    )  # only the period changed, and still every laptop gets a new return bundle
    village.take_returns(a)
    assert retention.retention_months(a) == 36 and retention.set_by_municipality(a) == 36
    retention.set_retention_months(a, 6)  # its own setting is kept, but the municipality's applies
    assert retention.retention_months(a) == 36
    retention.set_for_laptops(hub, 48)
    village.sync()
    assert retention.retention_months(a) == retention.retention_months(village.b) == 48
    assert retention.set_by_municipality(hub) is None  # the hub itself sets it


@pytest.mark.parametrize(
    "value",
    [{"months": 0, "set_at": 5}, {"months": 500, "set_at": 5}, {"months": "36", "set_at": 5}, {"months": True, "set_at": 5},
     {"months": 36}, {"months": 36, "set_at": -1}, {"months": 36, "set_at": "now"}, 36, "36", [36, 5]],
)  # fmt: skip
def test_a_laptop_ignores_a_period_that_makes_no_sense_and_logs_it(kit, value, caplog):
    with caplog.at_level(logging.WARNING, logger="wijkkit.retention"):
        assert retention.receive(kit, value) is False
    assert "ignored a retention period" in caplog.text
    assert retention.retention_months(kit) == 24


def test_an_older_return_bundle_does_not_undo_a_newer_period(kit):
    assert retention.receive(kit, {"months": 36, "set_at": 200})
    assert not retention.receive(kit, {"months": 12, "set_at": 100})
    assert retention.retention_months(kit) == 36
    assert retention.receive(kit, {"months": 12, "set_at": 300})
    assert retention.retention_months(kit) == 12


def test_a_senseless_period_in_the_hubs_return_bundle_is_ignored_and_the_rest_applied(
    village, monkeypatch
):
    hub, a = village.hub, village.a
    retention.set_retention_months(a, 18)
    monkeypatch.setattr(retention, "for_laptops", lambda kit: {"months": 500, "set_at": 1})
    hub.update("neighbourhood", village.wijk, {"kind": "kern"})
    exchange.send_updates(hub, village.outbox)
    village.take_returns(a)
    assert a.row("neighbourhood", village.wijk)["kind"] == "kern"
    assert retention.retention_months(a) == 18 and retention.set_by_municipality(a) is None


def test_the_command_line_sets_the_hubs_period(village, capsys):
    path = str(village.root / "hub.sqlite")
    village.hub.close()
    assert main(["hub", "retention", "--db", path, "36"]) == 0
    assert "36 months" in capsys.readouterr().out
    assert main(["hub", "retention", "--db", path, "--json"]) == 0
    assert capsys.readouterr().out.strip() == '{"months": 36, "sent_to_laptops": true}'
    assert main(["hub", "retention", "--db", path, "0"]) == 2
    assert "1 to 120 months" in capsys.readouterr().err
    assert main(["hub", "retention", "--db", str(village.root / "a.sqlite"), "36"]) == 2
    assert "Only the municipality's hub" in capsys.readouterr().err


# -- what is past it -------------------------------------------------------------------------


def test_old_people_and_rows_are_due_and_recent_ones_are_not(kit):
    old = old_meeting(kit)
    person = kit.people.add("Gerrit Vos")
    kit.attendance.mark(old, person)
    stale = rows_of(kit, old, "2023-03-14T20:10:00")
    typed_late = rows_of(kit, old, "2026-10-01T10:00:00")  # typed in long after the meeting: kept
    undated = rows_of(
        kit, kit.insert("session", {"title": "zonder datum"}), None
    )  # no date at all: never listed
    due = retention.due(kit, TODAY)
    assert due.months == 24
    assert [p[0] for p in due.people] == [person]
    assert {t: [r[0] for r in rows] for t, rows in due.rows.items()} == {
        t: [i] for t, i in stale.items()
    }
    assert not {i for rows in due.rows.values() for i, _t, _d in rows} & {
        *typed_late.values(),
        *undated.values(),
    }
    assert due.count == 4


def test_a_meetings_date_counts_when_a_row_has_none_of_its_own(kit):
    rows = rows_of(kit, old_meeting(kit), None)
    assert {t: [r[0] for r in found] for t, found in retention.due(kit, TODAY).rows.items()} == {
        t: [i] for t, i in rows.items()
    }


def test_an_offer_and_need_of_an_agreement_still_at_work_are_kept(kit):
    old = old_meeting(kit)
    rows = rows_of(kit, old, None)
    agreement = kit.insert("agreement", {"session_id": old, "title": "Vervoer", "status": "in_progress",
                                         "offer_id": rows["offer"], "need_id": rows["need"]})  # fmt: skip
    assert set(retention.due(kit, TODAY).rows) == {"capture"}
    kit.update("agreement", agreement, {"status": "done"})
    assert set(retention.due(kit, TODAY).rows) == {"offer", "need", "capture"}


def test_removing_reaches_the_hub_and_the_other_laptop(village):
    a, b, hub = village.a, village.b, village.hub
    old = old_meeting(a, village.wijk)
    person = a.people.add("Gerrit Vos")
    a.attendance.mark(old, person)
    rows = rows_of(a, old, "2023-03-14T20:10:00")
    village.sync()
    assert all(
        k.row("person", person) is not None and k.row("need", rows["need"]) for k in (hub, b)
    )
    assert [
        p[0] for p in retention.due(b, TODAY).people
    ] == []  # b did not register Gerrit: the hub will
    assert [p[0] for p in retention.due(hub, TODAY).people] == [person]
    due = retention.due(a, TODAY)
    assert retention.remove(a, due) == due.count == 4
    assert retention.due(a, TODAY).count == 0
    village.sync()
    for kit in (a, b, hub):
        assert kit.row("person", person) is None
        assert kit.query("SELECT erased FROM _tombstone WHERE row_id = ?", [person]) == [
            {"erased": 1}
        ]
        assert all(
            kit.row(table, row_id) is None and kit.is_deleted(table, row_id)
            for table, row_id in rows.items()
        )
    assert not hub.query("SELECT * FROM _sync_refusal")


# -- when to ask -----------------------------------------------------------------------------


def test_asked_at_most_once_a_day_and_never_during_a_meeting(kit):
    now = datetime(2026, 12, 2, 19, 45)
    assert retention.should_ask(kit, now)
    retention.mark_asked(kit, now.date())
    assert not retention.should_ask(kit, now.replace(hour=21))
    assert retention.should_ask(kit, datetime(2026, 12, 3, 9, 0))
    tonight = kit.sessions.add("Buurtavond", "2026-12-03T19:30", "2026-12-03T22:00")
    kit.update("session", tonight, {"status": "running"})
    assert not retention.should_ask(kit, datetime(2026, 12, 3, 20, 0))
    assert retention.should_ask(
        kit, datetime(2026, 12, 4, 9, 0)
    )  # left 'running' overnight: not a meeting now


def test_bad_periods_are_refused_with_the_field(kit):
    with pytest.raises(ValidationError) as caught:
        retention.set_retention_months(kit, 0)
    assert caught.value.field == "retention"
