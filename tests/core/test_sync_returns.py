"""The hub's return bundles: written without a merge, and not rewritten when nothing changed for a laptop.

A return bundle is named after its contents, so the same name means the same contents.
When that file is still in the laptop's outbox folder, intact and signed by this hub,
writing it again would only make Syncthing or Nextcloud copy it once more. A change at
the hub (or a merged bundle of another laptop) makes a new return bundle for every laptop
that has not seen it; a return bundle that was removed or damaged is written again.
"""

from __future__ import annotations

import os

import pytest

from tests.core.sync_village import Village
from wijkkit.sync import exchange


@pytest.fixture
def village(tmp_path):
    """A hub and laptops a and b, trusted and merged once (test_sync_merge's Village)."""
    root = tmp_path / "village"
    root.mkdir()
    made = Village(root)
    yield made
    made.close()


def files(village: Village, kit) -> list:
    return sorted((village.outbox / kit.replica_id).glob("*.wijksync"))


def stamps(paths: list) -> dict:
    return {path: (path.stat().st_mtime_ns, path.read_bytes()) for path in paths}


def test_nothing_changed_so_no_laptop_gets_its_return_bundle_written_again(village):
    a, b = village.a, village.b
    first = exchange.send_updates(village.hub, village.outbox)
    assert len(first.written) == 2 and first.unchanged == []
    before = stamps(files(village, a) + files(village, b))
    os.utime(first.written[0], ns=(1, 1))  # a rewritten file would get a new time

    again = exchange.send_updates(village.hub, village.outbox)
    assert again.written == [] and sorted(again.unchanged) == sorted(first.written)
    assert exchange.write_returns(village.hub, village.outbox) == []
    merged = exchange.merge_inbox(village.hub, village.inbox, village.outbox)  # an empty inbox: nothing new either
    assert merged.written == [] and sorted(merged.unchanged) == sorted(first.written)
    assert first.written[0].stat().st_mtime_ns == 1
    assert {p: data for p, (_t, data) in before.items()} == {p: p.read_bytes() for p in before}


def test_an_edit_at_the_hub_reaches_the_laptops_without_a_merge(village):
    a, b, hub = village.a, village.b, village.hub
    wijk = village.wijk  # served by both laptops
    village.sync()
    exchange.send_updates(hub, village.outbox)
    hub.update("neighbourhood", wijk, {"kind": "kern"})  # e.g. an agreement's status, changed at the hub

    report = exchange.send_updates(hub, village.outbox)
    assert sorted(p.parent.name for p in report.written) == sorted([a.replica_id, b.replica_id])
    assert report.unchanged == []
    for kit in (a, b):
        village.take_returns(kit)
        assert kit.row("neighbourhood", wijk)["kind"] == "kern"
    again = exchange.send_updates(hub, village.outbox)  # taken and removed from the folder: written once more
    assert sorted(again.written) == sorted(report.written)


def test_a_merged_bundle_makes_a_new_return_bundle_for_every_laptop(village):
    """The news for the other laptops, and for the sender the acknowledgement of what arrived."""
    a, b, hub = village.a, village.b, village.hub
    exchange.send_updates(hub, village.outbox)
    b.sessions.add("Van b", "2026-12-15T19:30", "2026-12-15T22:00", neighbourhood_id=village.wijk)
    village.export(b)
    report = village.merge()
    assert sorted(p.parent.name for p in report.written) == sorted([a.replica_id, b.replica_id])
    assert report.unchanged == []
    village.take_returns(a)
    assert [s.title for s in a.sessions.list()] == ["Van b"]


def test_a_return_bundle_that_was_removed_or_damaged_is_written_again(village):
    a, b = village.a, village.b
    written = {p.parent.name: p for p in exchange.send_updates(village.hub, village.outbox).written}
    written[a.replica_id].unlink()  # the laptop took it, and the shared folder passed on the removal
    damaged = bytearray(written[b.replica_id].read_bytes())
    damaged[-5] ^= 0xFF
    written[b.replica_id].write_bytes(bytes(damaged))

    report = exchange.send_updates(village.hub, village.outbox)
    assert sorted(report.written) == sorted(written.values()) and report.unchanged == []
    for kit in (a, b):
        assert not village.take_returns(kit).refused


def test_a_file_with_the_right_name_from_someone_else_is_replaced(village):
    """Only the hub's own signature counts: a file merely named like the return bundle is no answer."""
    a = village.a
    [target] = [p for p in exchange.send_updates(village.hub, village.outbox).written if p.parent.name == a.replica_id]
    stranger = exchange.export(a, village.root / "elsewhere")  # a real bundle, signed by the laptop
    target.write_bytes(stranger.read_bytes())
    report = exchange.send_updates(village.hub, village.outbox)
    assert target in report.written
    assert not village.take_returns(a).refused


def test_an_older_return_bundle_is_removed_when_a_newer_one_replaces_it(village):
    """The newest return bundle holds everything the laptop has not acknowledged, so older ones
    only pile up; a file that is not the hub's own stays where it is."""
    a, hub = village.a, village.hub
    [old] = [p for p in exchange.send_updates(hub, village.outbox).written if p.parent.name == a.replica_id]
    stranger = village.outbox / a.replica_id / "someone-000001.wijksync"
    stranger.write_bytes(exchange.export(village.b, village.root / "elsewhere").read_bytes())
    meeting = hub.sessions.add("Esweg", "2026-12-15T19:30", "2026-12-15T22:00", neighbourhood_id=village.wijk)
    report = exchange.send_updates(hub, village.outbox)
    [new] = [p for p in report.written if p.parent.name == a.replica_id]
    assert old in report.superseded and not old.exists()
    assert files(village, a) == sorted([new, stranger])
    stranger.unlink()
    village.take_returns(a)
    assert a.row("session", meeting)["title"] == "Esweg"
    assert exchange.send_updates(hub, village.outbox).superseded == []
