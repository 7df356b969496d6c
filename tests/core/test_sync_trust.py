"""Trust in detail: the hub key file, changing hubs, acknowledgements, clocks, copies, the queue,
revocation, consents and erasures by another laptop, and hubs made before fingerprints."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.core.sync_hub import export, seal_raw
from wijkkit import hlc, schema
from wijkkit.errors import ImportFormatError, KitError
from wijkkit.kit import Kit
from wijkkit.sync import authority, exchange, identity, keys, merge, scope
from wijkkit.sync.bundle import Payload, serialize


def test_a_fingerprint_is_six_groups_read_the_same_however_typed(kit):
    mine = keys.own_fingerprint(kit)
    assert len(mine.split("-")) == 6 and all(len(g) == 4 for g in mine.split("-"))
    assert identity.normalise(mine.lower().replace("-", "  ")) == mine
    assert identity.normalise(mine[:-1]) == "" and identity.normalise(mine.replace(mine[0], "0")) == ""
    with Kit.memory() as other:
        assert keys.own_fingerprint(other) != mine


def key_file(hub_path, tmp_path, name="hub.key"):
    with Kit.open(hub_path) as hub:
        return keys.export_hub_key(hub, tmp_path / name, "Gemeente Veldhorst")


@pytest.mark.parametrize("swap", ["sign_key", "age_recipient", "name", "replica"])
def test_a_hub_key_file_with_one_key_swapped_is_refused(tmp_path, swap):
    path = key_file(tmp_path / "hub.sqlite", tmp_path)
    with Kit.open(tmp_path / "other.sqlite") as other:
        forged = json.loads(keys.export_hub_key(other, tmp_path / "other.key", "Nep").read_text("utf-8"))
    data = json.loads(path.read_text("utf-8"))
    data[swap] = forged[swap]
    path.write_text(json.dumps(data), encoding="utf-8")
    with Kit.open(tmp_path / "laptop.sqlite") as laptop:
        with pytest.raises(ImportFormatError, match="signature"):
            keys.join(laptop, path)
        assert keys.hub_of(laptop) is None


def test_a_hub_key_file_without_a_signature_is_refused_with_what_to_do(tmp_path):
    path = key_file(tmp_path / "hub.sqlite", tmp_path)
    data = json.loads(path.read_text("utf-8"))
    del data["signature"]
    data["version"] = 1
    path.write_text(json.dumps(data), encoding="utf-8")
    with Kit.open(tmp_path / "laptop.sqlite") as laptop, pytest.raises(ImportFormatError, match="hub init"):
        keys.join(laptop, path)


def test_joining_another_hub_needs_replace_and_then_forgets_what_the_old_hub_had(hub, tmp_path):
    laptop = hub.laptop
    laptop.insert("neighbourhood", {"name": "Ellerveen"})
    exchange.export(laptop, tmp_path / "out")
    hub.merge({p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()}, outbox=True)
    exchange.import_files(laptop, sorted((hub.root / f"outbox{hub.runs}" / laptop.replica_id).glob("*.wijksync")))
    assert json.loads(laptop._meta("hub_acked"))
    same = keys.join(laptop, hub.key_file)  # the same hub again: nothing changes
    assert same.fingerprint == keys.hub_of(laptop).fingerprint and json.loads(laptop._meta("hub_acked"))
    other = key_file(tmp_path / "other-hub.sqlite", tmp_path, "other.key")
    with pytest.raises(KitError, match="already sends to hub Gemeente Veldhorst"):
        keys.join(laptop, other)
    assert keys.hub_of(laptop).replica != keys.read_hub_key(other).replica
    keys.join(laptop, other, replace=True)
    assert keys.hub_of(laptop).fingerprint == keys.read_hub_key(other).fingerprint
    assert json.loads(laptop._meta("hub_acked")) == {}
    assert exchange.unsent(laptop) > 0  # everything goes to the new hub


def hub_answer(hub, laptop: Kit, known: dict, changes=(), bundle_id: str | None = None) -> bytes:
    """A return bundle as the hub would sign it, with whatever acknowledgement it claims."""
    with Kit.open(hub.path) as opened:
        manifest = {"format": 1, "sender": opened.replica_id, "bundle_id": bundle_id or f"{opened.replica_id}-fake",
                    "schema_version": schema.schema_version(), "known": known}  # fmt: skip
        return seal_raw(serialize(Payload(manifest, list(changes), [])), opened.replica_id, manifest["bundle_id"],
                        opened, to=laptop)  # fmt: skip


def test_an_acknowledgement_beyond_what_the_laptop_sent_stops_nothing(hub, tmp_path):
    laptop = hub.laptop
    wijk = laptop.insert("neighbourhood", {"name": "Ellerveen"})
    path = tmp_path / "answer.wijksync"
    path.write_bytes(hub_answer(hub, laptop, {laptop.replica_id: (1 << 63) - 1}))
    assert not exchange.import_files(laptop, [path]).refused
    assert json.loads(laptop._meta("hub_acked"))[laptop.replica_id] <= laptop.sent_watermark
    laptop.update("neighbourhood", wijk, {"name": "Ellerveen-Oost"})
    _name, data = export(laptop, tmp_path / "next")
    hub.merge({_name: data})
    with Kit.open(hub.path) as opened:
        assert opened.row("neighbourhood", wijk)["name"] == "Ellerveen-Oost"


def test_a_stamp_hours_ahead_moves_the_clock_only_minutes_and_a_later_edit_still_wins(hub, tmp_path):
    laptop = hub.laptop
    wijk = laptop.insert("neighbourhood", {"name": "Ellerveen"})
    ahead = hlc.pack(hlc.wall_ms() + 6 * 3600 * 1000, 0)
    change = ("neighbourhood", wijk, "name", "Van de hub", ahead, None, None, None)
    with Kit.open(hub.path) as opened:
        change = (*change[:5], opened.replica_id, None, None)
    path = tmp_path / "answer.wijksync"
    path.write_bytes(hub_answer(hub, laptop, {}, [change]))
    assert not exchange.import_files(laptop, [path]).refused
    assert laptop.row("neighbourhood", wijk)["name"] == "Van de hub"
    assert hlc.stamp_ms(laptop.hlc.last) <= hlc.wall_ms() + merge.MAX_AHEAD_MS
    laptop.update("neighbourhood", wijk, {"name": "Daarna op de laptop"})
    version = laptop.conn.execute("SELECT hlc FROM _field_version WHERE row_id = ? AND field = 'name'", [wijk]).fetchone()
    assert version[0] > ahead  # past the version it replaced, so it wins everywhere


def test_a_bundle_id_seen_before_with_other_contents_is_a_copied_database(hub, tmp_path):
    laptop = hub.laptop
    copy_path = tmp_path / "copy.sqlite"
    laptop.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(laptop.path, copy_path)
    laptop.insert("neighbourhood", {"name": "Ellerveen"})
    first = export(laptop, tmp_path / "a")
    with Kit.open(copy_path) as copy:
        copy.insert("neighbourhood", {"name": "Nep"})
        second = export(copy, tmp_path / "b")
    assert first[0] == second[0]
    assert hub.merge({first[0]: first[1]}).applied
    report = hub.merge({"kopie.wijksync": second[1]})
    [error] = report.refused
    assert "copied to another computer" in error.english()
    with Kit.open(hub.path) as opened:
        assert keys.peer(opened, laptop.replica_id).copied_at
        assert [r["name"] for r in opened.query("SELECT name FROM neighbourhood")] == ["Ellerveen"]


def test_the_waiting_queue_is_capped(hub, tmp_path, monkeypatch):
    monkeypatch.setattr(keys, "MAX_WAITING", 2)
    files = {}
    for n in range(3):
        with Kit.open(tmp_path / f"stranger{n}.sqlite") as stranger:
            keys.join(stranger, hub.key_file)
            name, data = export(stranger, tmp_path / f"s{n}")
            files[name] = data
    report = hub.merge(files)
    assert len(report.waiting) == 2
    [error] = report.refused
    assert "already waiting for approval" in error.english()
    with Kit.open(hub.path) as opened:
        assert len(keys.pending(opened)) == 2


def registered_elsewhere(hub, tmp_path) -> tuple[Kit, Kit, str, str]:
    """Two trusted laptops serving one neighbourhood; the person was registered by the first."""
    first, second = hub.laptop, hub.join("tweede")
    wijk = first.neighbourhoods.add("Ellerveen")
    person = first.people.add("Anneke Bosma", neighbourhood_id=wijk, consent_share=1)
    hub.merge(dict([export(first, tmp_path / "first")]))
    with Kit.open(hub.path) as opened:
        scope.assign(opened, second.replica_id, [wijk])
    report = hub.merge({}, outbox=True)
    assert report.written
    exchange.import_files(second, sorted((hub.root / f"outbox{hub.runs}" / second.replica_id).glob("*.wijksync")))
    assert second.row("person", person)["name"] == "Anneke Bosma"
    return first, second, wijk, person


def test_only_the_registering_laptop_changes_consents_and_the_other_gets_the_hubs_value_back(hub, tmp_path):
    _first, second, _wijk, person = registered_elsewhere(hub, tmp_path)
    second.people.edit(person, consent_photos=1, phone="0612345678", consent_contact=1)
    report = hub.merge(dict([export(second, tmp_path / "second")]), outbox=True)
    person_refusals = {(r[3], r[-1]) for r in report.refusals if r[1] == "person"} - {("consent_at", "not_registrar")}
    assert person_refusals == {  # (consent_at too, when the edit fell in another second than the registration)
        ("consent_photos", "not_registrar"), ("consent_contact", "not_registrar"), ("phone", "no_contact_consent")}
    assert {r[-1] for r in report.refusals if r[1] == "consent_record"} == {"not_registrar"}  # the records, too
    with Kit.open(hub.path) as opened:
        assert (opened.row("person", person)["consent_photos"], opened.row("person", person)["phone"]) == (0, "")
        logged = {r["field"] for r in authority.refusals(opened) if r["tbl"] == "person"} - {"consent_at"}  # as above
        assert logged == {"consent_photos", "consent_contact", "phone"}
    exchange.import_files(second, sorted((hub.root / f"outbox{hub.runs}" / second.replica_id).glob("*.wijksync")))
    assert second.row("person", person)["consent_photos"] == 0  # the hub's value came back
    assert second.row("person", person)["phone"] == ""


def test_a_consent_flag_without_its_record_is_refused_even_from_the_registrar(hub, tmp_path, monkeypatch):
    from wijkkit import rules

    first, _second, _wijk, person = registered_elsewhere(hub, tmp_path)
    monkeypatch.setattr(rules, "after_write", lambda *_args: None)  # as an older Wijkkit wrote it: no record
    first.update("person", person, {"consent_photos": 1})
    report = hub.merge(dict([export(first, tmp_path / "again")]))
    assert [(r[3], r[-1]) for r in report.refusals] == [("consent_photos", "no_consent_record")]


def test_an_erasure_by_another_laptop_waits_for_the_coordinator_and_a_delete_is_undone(hub, tmp_path):
    from wijkkit import privacy

    _first, second, _wijk, person = registered_elsewhere(hub, tmp_path)
    privacy.erase_person(second, person)
    report = hub.merge(dict([export(second, tmp_path / "erase")]), outbox=True)
    assert [r[-1] for r in report.refusals if r[1] == "person"] == ["erasure_request"]
    with Kit.open(hub.path) as opened:
        assert opened.row("person", person) is not None
        [request] = [r for r in authority.refusals(opened) if r["reason"] == "erasure_request"]
        assert authority.carry_out_erasure(opened, request["id"])
        assert opened.row("person", person) is None
        assert not [r for r in authority.refusals(opened) if r["reason"] == "erasure_request"]
    hub.merge({}, outbox=True)
    exchange.import_files(second, sorted((hub.root / f"outbox{hub.runs}" / second.replica_id).glob("*.wijksync")))
    assert second.row("person", person) is None


def test_a_refused_delete_is_restored_on_the_laptop(hub, tmp_path):
    first, second, wijk, _person = registered_elsewhere(hub, tmp_path)
    with Kit.open(hub.path) as opened:
        scope.unassign(opened, second.replica_id, [wijk])
    second.conn.execute("PRAGMA foreign_keys = OFF")
    second.delete("neighbourhood", wijk)
    report = hub.merge(dict([export(second, tmp_path / "gone")]), outbox=True)
    assert [(r[1], r[-1]) for r in report.refusals] == [("neighbourhood", "out_of_scope")]
    with Kit.open(hub.path) as opened:
        scope.assign(opened, second.replica_id, [wijk])
    hub.merge({}, outbox=True)
    exchange.import_files(second, sorted((hub.root / f"outbox{hub.runs}" / second.replica_id).glob("*.wijksync")))
    assert second.row("neighbourhood", wijk)["name"] == "Ellerveen"
    assert not second.is_deleted("neighbourhood", wijk)


def test_a_hub_from_before_fingerprints_keeps_its_trusted_laptops_and_queue(tmp_path, monkeypatch):
    steps = schema._steps
    monkeypatch.setattr(schema, "_steps", steps[:6])
    path = tmp_path / "hub.sqlite"
    with Kit.open(path) as old, Kit.memory() as laptop, Kit.memory() as waiting:
        rows = [(k.replica_id, keys.public_sign_key(k), keys.age_recipient(k), trusted)
                for k, trusted in ((laptop, 1), (waiting, 0))]  # fmt: skip
        with old.transaction():
            old.conn.executemany("INSERT INTO _sync_peer (replica, sign_key, age_recipient, trusted, first_seen) "
                                 "VALUES (?, ?, ?, ?, '2026-11-01T10:00:00')", rows)  # fmt: skip
            wijk = old.insert("neighbourhood", {"name": "Ellerveen"})
            old.conn.execute("UPDATE _field_version SET replica = ?", [laptop.replica_id])
        fingerprints = keys.own_fingerprint(laptop), keys.own_fingerprint(waiting)
    monkeypatch.setattr(schema, "_steps", steps)
    with Kit.open(path) as hub:
        [trusted] = keys.peers(hub)
        assert (trusted.replica, trusted.fingerprint, trusted.trusted) == (rows[0][0], fingerprints[0], 1)
        assert [(c.replica, c.fingerprint) for c in keys.pending(hub)] == [(rows[1][0], fingerprints[1])]
        assert [n["id"] for n in scope.neighbourhoods(hub, rows[0][0])] == [wijk]


def test_consent_records_of_a_person_are_the_registrars_alone(hub, tmp_path):
    _first, second, _wijk, person = registered_elsewhere(hub, tmp_path)
    [record] = second.query("SELECT id FROM consent_record WHERE person_id = ? AND kind = 'share'", [person])
    second.update("consent_record", record["id"], {"wording": "Iets anders"})
    second.insert("consent_record", {"person_id": person, "kind": "photos", "given": 1, "wording": "Foto's"})
    report = hub.merge(dict([export(second, tmp_path / "records")]))
    assert {(r[1], r[-1]) for r in report.refusals} == {("consent_record", "not_registrar")}
    assert len(report.refusals) == 5  # the wording, and the new record's four fields
    with Kit.open(hub.path) as opened:
        assert opened.query("SELECT count(*) AS n FROM consent_record WHERE person_id = ?", [person])[0]["n"] == 3
        assert opened.row("consent_record", record["id"])["wording"] != "Iets anders"


def test_an_erasure_request_for_a_person_deleted_meanwhile_still_erases(hub, tmp_path):
    from wijkkit import privacy

    first, second, _wijk, person = registered_elsewhere(hub, tmp_path)
    privacy.erase_person(second, person)
    hub.merge(dict([export(second, tmp_path / "erase")]))
    for record in first.query("SELECT id FROM consent_record WHERE person_id = ?", [person]):
        first.delete("consent_record", record["id"])
    first.delete("person", person)  # the registrar removes a duplicate, plainly
    hub.merge(dict([export(first, tmp_path / "plain")]))
    with Kit.open(hub.path) as opened:
        assert opened.conn.execute("SELECT erased FROM _tombstone WHERE row_id = ?", [person]).fetchone() == (0,)
        [request] = [r for r in authority.refusals(opened) if r["reason"] == "erasure_request"]
        assert authority.carry_out_erasure(opened, request["id"])
        assert opened.conn.execute("SELECT erased FROM _tombstone WHERE row_id = ?", [person]).fetchone() == (1,)
        assert exchange.unsent(opened) >= 0
    hub.merge({}, outbox=True)
    exchange.import_files(first, sorted((hub.root / f"outbox{hub.runs}" / first.replica_id).glob("*.wijksync")))
    assert first.conn.execute("SELECT erased FROM _tombstone WHERE row_id = ?", [person]).fetchone() == (1,)


def test_a_value_from_before_the_rules_stays_home_and_does_not_block_the_rest(hub, tmp_path):
    laptop = hub.laptop
    wijk = laptop.neighbourhoods.add("Ellerveen")
    meeting = laptop.sessions.add("Avond", "2027-01-12T19:30", "2027-01-12T22:00", neighbourhood_id=wijk)
    note = laptop.insert("capture", {"session_id": meeting, "kind": "note", "text": "Koffie", "table_no": 1})
    laptop.conn.execute("UPDATE capture SET table_no = 0 WHERE id = ?", [note])  # as an older Wijkkit could
    report = hub.merge(dict([export(laptop, tmp_path / "old")]))
    assert report.applied and not report.refused
    with Kit.open(hub.path) as opened:
        assert (opened.row("capture", note)["text"], opened.row("capture", note)["table_no"]) == ("Koffie", None)


@pytest.mark.parametrize("sender", ["../../etc", "a\\b\\c", "..", "0123456789abcdef\x00", "0123456789ABCDEF", ""],
                         ids=["dotdot-slash", "backslash", "dotdot", "nul", "uppercase", "empty"])  # fmt: skip
def test_a_sender_id_that_could_name_a_path_is_refused_before_it_touches_one(hub, tmp_path, sender):
    before = hub.digest()
    data = seal_raw(b"not even a payload", sender, f"{sender}-000001", hub.laptop)
    report = hub.merge({"hostile.wijksync": data}, outbox=True)
    [error] = report.refused
    assert "its sender's id is not valid." in error.english() or "its header is damaged." in error.english()
    outbox = hub.root / f"outbox{hub.runs}"
    assert sorted(p.name for p in outbox.iterdir()) == [hub.laptop.replica_id]
    assert not (tmp_path / "etc").exists()
    with Kit.open(hub.path) as opened:
        assert keys.pending(opened) == []
    assert hub.digest() == before
