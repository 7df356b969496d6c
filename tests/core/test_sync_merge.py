"""Sync merge on small hand-made scenarios: a hub and two or three laptops, each a file database.

What is checked: a first export carries everything and the hub's return bundle acknowledges
it; sequential edits are no conflict, concurrent edits end with the same winner everywhere
and keep the loser at the hub; applying a bundle twice changes nothing; a conflict resolved
with 'theirs' becomes a new edit. Deletes, erasure and consent: test_sync_erasure.py.
"""

from __future__ import annotations

import json

import pytest

from tests.core.sync_village import (
    conflicts,
    dump,
    everywhere,
    laptop_bundle,
    read_bundle,
    synced,
    value,
    version,
)
from wijkkit import hlc, schema
from wijkkit.hlc import wall_ms
from wijkkit.kit import Kit
from wijkkit.sync import exchange, keys, merge
from wijkkit.sync.bundle import Payload

# -- what travels ---------------------------------------------------------------------------


def test_a_first_export_carries_every_field_and_every_tombstone(village):
    a = village.a
    wijk = a.insert("neighbourhood", {"name": "Ellerveen", "municipality": "Veldhorst", "kind": "kern"})
    person = a.people.add("Anneke Bosma", email="anneke@example.nl", consent_contact=1, consent_share=1, neighbourhood_id=wijk)
    meeting = a.sessions.add("Eerste avond", "2026-12-15T19:30", "2026-12-15T22:00", neighbourhood_id=wijk)
    a.agreements.add("Koffieochtend", meeting, owner_person_id=person)
    gone = a.insert("neighbourhood", {"name": "Weg"})
    a.delete("neighbourhood", gone)

    payload = laptop_bundle(village, a)

    # every field a wrote; the village's neighbourhood came from the hub, which acknowledged it
    stored = {tuple(r) for r in a.conn.execute("SELECT tbl, row_id, field, hlc, replica FROM _field_version "
                                               "WHERE replica = ?", [a.replica_id])}  # fmt: skip
    sent = {(c[0], c[1], c[2], c[4], c[5]) for c in payload.changes}
    assert sent == stored
    for tbl, row_id, field, sent_value, *_ in payload.changes:
        assert a.row(tbl, row_id)[field] == sent_value
    assert [(t[0], t[1], t[4]) for t in payload.tombstones] == [("neighbourhood", gone, 0)]
    assert payload.sender == a.replica_id
    assert payload.manifest["schema_version"] == schema.schema_version()


def test_after_importing_the_return_the_next_export_carries_only_what_changed(village):
    a = village.a
    wijk = a.insert("neighbourhood", {"name": "Ellerveen", "municipality": "Veldhorst"})
    for n in range(5):  # with their consent records: a consent without one is refused at the hub
        a.people.add(f"Buur {n}", consent_share=1, neighbourhood_id=wijk)
    written = a.conn.execute("SELECT count(*) FROM _field_version WHERE replica = ?", [a.replica_id]).fetchone()[0]
    assert written > 2 + 5 * 3  # the neighbourhood, and per person at least its name, consent and neighbourhood
    village.export(a)
    assert village.merge().refusals == []

    # not acknowledged yet: a second export carries everything again
    assert len(laptop_bundle(village, a).changes) == written
    village.merge()
    village.take_returns(a)
    assert laptop_bundle(village, a).changes == []  # nothing new, nothing sent
    village.merge()
    village.take_returns(a)

    a.update("neighbourhood", wijk, {"kind": "kern"})
    payload = laptop_bundle(village, a)
    assert [(c[0], c[1], c[2], c[3]) for c in payload.changes] == [("neighbourhood", wijk, "kind", "kern")]
    assert payload.tombstones == []


def test_the_return_bundle_carries_the_other_laptops_work_and_not_the_laptops_own(village):
    """Both laptops serve the village's neighbourhood: each gets the other's meeting in it, not its own
    back. A neighbourhood a laptop creates is its own: the other laptop does not get it (not assigned)."""
    a, b = village.a, village.b
    own = a.sessions.add("Avond in het oosten", "2026-12-14T19:30", "2026-12-14T22:00", neighbourhood_id=village.wijk)
    meeting = b.sessions.add("Avond in het westen", "2026-12-15T19:30", "2026-12-15T22:00",
                             neighbourhood_id=village.wijk)  # fmt: skip
    alone = a.insert("neighbourhood", {"name": "Alleen van a"})
    village.export(a)
    village.export(b)
    village.merge()
    to_a = read_bundle(a, next((village.outbox / a.replica_id).glob("*.wijksync")), keys.public_sign_key(village.hub))
    rows = {(c[0], c[1]) for c in to_a.changes}
    assert ("session", meeting) in rows
    assert ("session", own) not in rows and ("neighbourhood", alone) not in rows
    to_b = read_bundle(b, next((village.outbox / b.replica_id).glob("*.wijksync")), keys.public_sign_key(village.hub))
    assert ("session", own) in {(c[0], c[1]) for c in to_b.changes}
    assert "neighbourhood" not in {c[0] for c in to_b.changes if c[1] != village.wijk}
    village.take_returns(a)
    village.take_returns(b)
    assert a.sessions.get(meeting).title == "Avond in het westen"
    assert b.sessions.get(own).title == "Avond in het oosten"
    assert b.row("neighbourhood", alone) is None and village.hub.row("neighbourhood", alone)["name"] == "Alleen van a"


def test_an_edit_made_after_an_export_is_saved(village, tmp_path):
    """The desktop app keeps its database open: what is typed after an export must reach the disk."""
    a = village.a
    a.insert("neighbourhood", {"name": "Voor de export"})
    village.export(a)
    wijk = a.insert("neighbourhood", {"name": "Na de export"})
    assert not a.conn.in_transaction, "the export left a transaction open: later writes are not committed"
    with Kit.open(a.path) as again:  # what another process (or the app after a restart) sees
        assert again.row("neighbourhood", wijk) is not None


def test_a_return_imported_after_an_export_in_the_same_session_may_point_at_a_row_deleted_here(village):
    """Sync is eventual: an agreement of b may name a person a deleted; a's import must not fail on that."""
    a, b = village.a, village.b
    # no consent records (they would keep the row), so a may delete the person plainly
    person = a.insert("person", {"name": "Henk", "neighbourhood_id": village.wijk})
    meeting = a.sessions.add("Eerste avond", "2026-12-15T19:30", "2026-12-15T22:00", neighbourhood_id=village.wijk)
    village.sync()
    a.delete("person", person)
    b.insert("agreement", {"title": "Koffie", "session_id": meeting, "owner_person_id": person})
    village.export(a)
    village.merge()
    village.export(b)
    village.merge()
    report = village.take_returns(a)  # the same open Kit that exported
    assert len(report.applied) >= 1
    assert a.row("person", person) is None
    assert [r["owner_person_id"] for r in a.query("SELECT owner_person_id FROM agreement")] == [person]


# -- sequential and concurrent edits -----------------------------------------------------------


def test_sequential_edits_a_then_b_are_no_conflict(village):
    a, b = village.a, village.b
    wijk = village.wijk  # served by both laptops
    village.sync()
    a.update("neighbourhood", wijk, {"name": "Ellerveen-Oost"})
    village.sync()
    assert b.row("neighbourhood", wijk)["name"] == "Ellerveen-Oost"  # b saw a's value first
    b.update("neighbourhood", wijk, {"name": "Ellerveen-Noord"})
    village.sync()
    for kit in everywhere(village):
        assert value(kit, "neighbourhood", wijk, "name") == "Ellerveen-Noord"
        assert conflicts(kit) == []


def test_a_stale_bundle_arriving_after_a_newer_sequential_edit_is_no_conflict(village):
    a, b = village.a, village.b
    wijk = village.wijk  # served by both laptops
    village.sync()
    a.update("neighbourhood", wijk, {"name": "Ellerveen-Oost"})
    village.export(a)
    village.merge()
    late = village.export(a).rename(village.root / "late.wijksync")  # a exports again before importing
    village.take_returns(b)
    b.update("neighbourhood", wijk, {"name": "Ellerveen-Noord"})  # b saw a's value
    village.sync(b, rounds=1)
    late.rename(village.inbox / late.name)  # a's second bundle arrives late
    village.merge()
    assert value(village.hub, "neighbourhood", wijk, "name") == "Ellerveen-Noord"
    assert conflicts(village.hub) == []


def test_a_field_edited_twice_between_syncs_after_seeing_the_other_value_is_no_conflict(village):
    """b saw a's value, then typed twice in the same field before syncing: sequential, not concurrent."""
    a, b = village.a, village.b
    wijk = village.wijk  # served by both laptops
    a.update("neighbourhood", wijk, {"name": "Ellerveen-A"})
    village.sync()
    assert b.row("neighbourhood", wijk)["name"] == "Ellerveen-A"
    b.update("neighbourhood", wijk, {"name": "Ellerveen-N"})
    b.update("neighbourhood", wijk, {"name": "Ellerveen-Noord"})
    village.sync()
    for kit in everywhere(village):
        assert value(kit, "neighbourhood", wijk, "name") == "Ellerveen-Noord"
    assert conflicts(village.hub) == []  # no value was lost: b replaced a's value knowingly


@pytest.mark.parametrize("first", ["a", "b"])
def test_concurrent_edits_of_one_field_end_with_the_same_winner_everywhere(make_village, first):
    village = make_village(b=5_000)  # b writes 5 s "later"
    a, b = village.a, village.b
    wijk = village.wijk  # served by both laptops
    village.sync()
    a.update("neighbourhood", wijk, {"name": "Ellerveen-Oost"})
    b.update("neighbourhood", wijk, {"name": "Ellerveen-West"})
    loser_version, winner_version = version(a, "neighbourhood", wijk, "name"), version(b, "neighbourhood", wijk, "name")
    assert winner_version > loser_version
    order = [a, b] if first == "a" else [b, a]
    for kit in order:
        village.export(kit)
        village.merge()
    village.sync()
    for kit in everywhere(village):
        assert value(kit, "neighbourhood", wijk, "name") == "Ellerveen-West"
        assert version(kit, "neighbourhood", wijk, "name") == winner_version
    lost = [c for c in conflicts(village.hub) if (c["hlc"], c["replica"]) == loser_version]
    assert lost, "the losing value is not kept at the hub"
    conflict = lost[0]
    assert (conflict["tbl"], conflict["row_id"], conflict["field"], conflict["reason"]) == (
        "neighbourhood", wijk, "name", "concurrent")  # fmt: skip
    assert conflict["value"] == "Ellerveen-Oost"
    assert (conflict["kept_value"], conflict["kept_hlc"], conflict["kept_replica"]) == (
        "Ellerveen-West", *winner_version)  # fmt: skip
    assert conflict["resolved_at"] is None
    assert conflict["id"] in [c["id"] for c in merge.open_conflicts(village.hub)]


def test_a_lost_value_is_kept_for_review_once_even_when_its_laptop_sends_it_again(make_village):
    """a exports twice before it imports the hub's answer: one lost value, one conflict to review."""
    village = make_village(b=5_000)
    a, b = village.a, village.b
    wijk = village.wijk  # served by both laptops
    village.sync()
    a.update("neighbourhood", wijk, {"name": "Ellerveen-Oost"})
    b.update("neighbourhood", wijk, {"name": "Ellerveen-West"})
    village.export(b)
    village.merge()
    village.export(a)
    village.merge()
    village.export(a)  # again, before a imported the hub's answer: not acknowledged yet
    village.merge()
    village.sync()
    assert [(c["value"], c["kept_value"]) for c in merge.open_conflicts(village.hub)] == [
        ("Ellerveen-Oost", "Ellerveen-West")]  # fmt: skip
    assert len(merge.open_conflicts(a)) == 1


def test_concurrent_edits_in_the_same_millisecond_are_decided_by_the_replica_id(make_village):
    same = wall_ms()
    village = make_village()
    a, b = village.a, village.b
    wijk = village.wijk  # served by both laptops
    village.sync()
    # both laptops' clocks now stand still at the same moment, later than every stamp so far
    moment = max(hlc.stamp_ms(a.hlc.last), hlc.stamp_ms(b.hlc.last), same) + 1_000
    village.clocks["a"].frozen = village.clocks["b"].frozen = moment
    a.update("neighbourhood", wijk, {"name": "Oost"})
    b.update("neighbourhood", wijk, {"name": "West"})
    assert version(a, "neighbourhood", wijk, "name")[0] == version(b, "neighbourhood", wijk, "name")[0]
    winner = "Oost" if a.replica_id > b.replica_id else "West"
    village.sync()
    for kit in everywhere(village):
        assert value(kit, "neighbourhood", wijk, "name") == winner
    assert [c["kept_value"] for c in conflicts(village.hub)] == [winner]


def test_hand_made_payloads_merge_to_the_same_state_in_either_order():
    """merge.apply directly: the higher (hlc, replica) wins, whatever arrives first."""
    stamp = hlc.pack(wall_ms(), 0)
    row = "01900000-0000-7000-8000-000000000001"

    def payload(replica: str, name: str, n: int) -> Payload:
        manifest = {"sender": replica, "bundle_id": f"{replica}-{n}", "schema_version": 5, "known": {}}
        return Payload(manifest, [("neighbourhood", row, "name", name, stamp, replica, None, None),
                                  ("neighbourhood", row, "kind", "kern", stamp - 5, replica, None, None)])  # fmt: skip

    first, second = payload("aaaa", "Van A", 1), payload("bbbb", "Van B", 2)
    states = []
    for order in ((first, second), (second, first)):
        with Kit.memory() as hub:
            for n, item in enumerate(order):
                result = merge.apply(hub, item, f"file{n}", f"sha{n}")
                assert not result.already
            states.append((synced(hub), sorted(hub.conn.execute(
                "SELECT tbl, row_id, field, hlc, replica FROM _field_version")), len(conflicts(hub))))  # fmt: skip
    assert states[0] == states[1]
    assert states[0][0]["neighbourhood"][0][1] == "Van B"
    assert states[0][2] == 2  # name and kind: both written by both without seeing the other


# -- idempotence --------------------------------------------------------------------------------


def test_the_same_bundle_applied_twice_changes_nothing(village):
    a, hub = village.a, village.hub
    wijk = a.insert("neighbourhood", {"name": "Ellerveen"})
    person = a.people.add("Henk", consent_share=1, neighbourhood_id=wijk)
    gone = a.insert("neighbourhood", {"name": "Weg"})
    a.delete("neighbourhood", gone)
    a.update("person", person, {"role": "vrijwilliger"})
    path = village.export(a)
    copy = village.root / "copy.wijksync"
    copy.write_bytes(path.read_bytes())
    first = village.merge()
    assert [n for n, _r in first.applied] == [path.name]
    before = dump(hub)

    copy.rename(village.inbox / "again.wijksync")  # the same file under another name (Syncthing conflict copy)
    report = exchange.merge_inbox(hub, village.inbox)
    assert report.already == ["again.wijksync"] and report.applied == []
    payload = read_bundle(hub, village.inbox / "again.wijksync", keys.public_sign_key(a))
    assert merge.apply(hub, payload, "again", "another-sha").already  # the bundle id alone is enough
    assert dump(hub) == before

    # even when the bookkeeping is bypassed, the same changes leave the data as they were
    fresh = Payload({**payload.manifest, "bundle_id": "forced"}, payload.changes, payload.tombstones)
    tables = (synced(hub), hub.conn.execute("SELECT * FROM _field_version ORDER BY 1, 2, 3").fetchall(),
              hub.conn.execute("SELECT * FROM _tombstone ORDER BY 1, 2").fetchall())  # fmt: skip
    result = merge.apply(hub, fresh, "forced", "forced-sha")
    assert (result.applied, result.conflicts, result.deleted) == (0, 0, 0)
    assert tables == (synced(hub), hub.conn.execute("SELECT * FROM _field_version ORDER BY 1, 2, 3").fetchall(),
                      hub.conn.execute("SELECT * FROM _tombstone ORDER BY 1, 2").fetchall())  # fmt: skip


def test_a_return_bundle_imported_twice_changes_nothing(village):
    a, b = village.a, village.b
    meeting = a.sessions.add("Eerste avond", "2026-12-15T19:30", "2026-12-15T22:00", neighbourhood_id=village.wijk)
    village.export(a)
    village.merge()
    [path] = (village.outbox / b.replica_id).glob("*.wijksync")
    keep = village.root / "keep.wijksync"
    keep.write_bytes(path.read_bytes())
    village.take_returns(b)
    assert b.row("session", meeting) is not None  # the return carried a's work
    before = dump(b)
    report = exchange.import_files(b, [keep])
    assert report.already == ["keep.wijksync"] and report.applied == []
    assert dump(b) == before


# -- resolving -----------------------------------------------------------------------------------


def test_resolve_theirs_writes_the_other_value_as_a_new_edit_and_closes_the_conflict(make_village):
    village = make_village(b=5_000)
    a, b, hub = village.a, village.b, village.hub
    wijk = village.wijk  # served by both laptops
    village.sync()
    a.update("neighbourhood", wijk, {"name": "Ellerveen-Oost"})
    b.update("neighbourhood", wijk, {"name": "Ellerveen-West"})
    village.sync()
    winner = version(hub, "neighbourhood", wijk, "name")
    [conflict] = merge.open_conflicts(hub)
    assert conflict["value"] == "Ellerveen-Oost"

    merge.resolve(hub, conflict["id"], "theirs")
    assert value(hub, "neighbourhood", wijk, "name") == "Ellerveen-Oost"
    new = version(hub, "neighbourhood", wijk, "name")
    assert new[1] == hub.replica_id and new > winner
    assert merge.open_conflicts(hub) == []
    assert conflicts(hub)[0]["resolved_at"] is not None and conflicts(hub)[0]["resolution"] == "took_other"
    village.sync()
    for kit in everywhere(village):
        assert value(kit, "neighbourhood", wijk, "name") == "Ellerveen-Oost"
    assert merge.open_conflicts(hub) == []  # the resolution is a sequential edit, no new conflict


def test_resolve_mine_keeps_the_value_and_closes_the_conflict(make_village):
    village = make_village(b=5_000)
    a, b, hub = village.a, village.b, village.hub
    wijk = village.wijk  # served by both laptops
    village.sync()
    a.update("neighbourhood", wijk, {"kind": "kern"})
    b.update("neighbourhood", wijk, {"kind": "buurt"})
    village.sync()
    before = version(hub, "neighbourhood", wijk, "kind")
    [conflict] = merge.open_conflicts(hub)
    assert merge.resolve(hub, conflict["id"], "mine") == "kept"
    assert value(hub, "neighbourhood", wijk, "kind") == "buurt"
    assert version(hub, "neighbourhood", wijk, "kind") == before
    assert merge.open_conflicts(hub) == []
    assert [(c["id"], c["resolution"]) for c in merge.settled_conflicts(hub)] == [(conflict["id"], "kept")]


def test_handled_by_hand_writes_nothing_and_says_so_apart_from_kept(make_village):
    """'Handled': the coordinator settled it another way, e.g. combined both values in an edit of their own."""
    village = make_village(b=5_000)
    a, b, hub = village.a, village.b, village.hub
    wijk = village.wijk  # served by both laptops
    village.sync()
    a.update("neighbourhood", wijk, {"notes": "Wijkagent op dinsdag"})
    b.update("neighbourhood", wijk, {"notes": "Wijkagent op woensdag"})
    village.sync()
    [conflict] = merge.open_conflicts(hub)
    hub.update("neighbourhood", wijk, {"notes": "Wijkagent op dinsdag en woensdag"})
    edited = version(hub, "neighbourhood", wijk, "notes")
    assert merge.resolve(hub, conflict["id"], "resolved") == "by_hand"
    assert version(hub, "neighbourhood", wijk, "notes") == edited  # the coordinator's own edit stands
    [settled] = merge.settled_conflicts(hub)
    assert (settled["resolution"], settled["value"], settled["kept_value"]) == (
        "by_hand", "Wijkagent op dinsdag", "Wijkagent op woensdag")  # both values stay on record  # fmt: skip
    assert merge.resolve(hub, conflict["id"] + 99, "mine") is None
    with pytest.raises(ValueError, match="keep must be one of"):
        merge.resolve(hub, conflict["id"], "both")


def test_taking_the_other_value_of_a_deleted_row_brings_nothing_back_and_is_recorded_as_kept(village):
    a, b, hub = village.a, village.b, village.hub
    wijk = village.wijk  # served by both laptops
    village.sync()
    a.delete("neighbourhood", wijk)
    b.update("neighbourhood", wijk, {"notes": "Nieuwe wijkagent"})
    village.export(a)
    village.merge()
    village.export(b)
    village.merge()
    [conflict] = merge.open_conflicts(hub)
    assert conflict["reason"] == "deleted"
    assert merge.resolve(hub, conflict["id"], "theirs") == "kept"
    assert hub.row("neighbourhood", wijk) is None and hub.is_deleted("neighbourhood", wijk)


def test_new_work_reaches_a_laptop_even_when_the_hubs_clock_has_not_moved(make_village):
    """c's clock runs 20 hours ahead, so the hub's clock stands above every stamp of a and b for a while."""
    village = make_village(("a", "b", "c"), c=20 * 3_600_000)
    a, b, c = village.a, village.b, village.c
    c.sessions.add("Van c", "2026-12-14T19:30", "2026-12-14T22:00", neighbourhood_id=village.wijk)
    village.sync()
    meeting = b.sessions.add("Van b", "2026-12-15T19:30", "2026-12-15T22:00", neighbourhood_id=village.wijk)
    village.export(b)
    village.merge()
    village.take_returns(a)
    assert a.row("session", meeting) is not None, "a's answer was taken for one it had already imported"
    b.update("session", meeting, {"title": "Van b, later"})
    village.sync(b, rounds=1)
    village.take_returns(a)
    assert a.row("session", meeting)["title"] == "Van b, later"


def test_the_known_vector_and_the_acknowledgement_move_forward(village):
    a, hub = village.a, village.hub
    a.insert("neighbourhood", {"name": "Ellerveen"})
    village.export(a)
    village.merge()
    seen = merge.known_vector(hub)
    assert seen[a.replica_id] == a.hlc.last
    village.take_returns(a)
    acked = json.loads(a._meta("hub_acked"))
    assert acked[a.replica_id] == seen[a.replica_id]  # the hub's answer acknowledges exactly what it holds
    assert keys.peer(hub, a.replica_id).known[a.replica_id] >= seen[a.replica_id]
