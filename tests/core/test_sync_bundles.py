"""Bad bundle files at the hub: every one is refused with a reason, and the hub is not touched.

Each case puts files in a fresh inbox, opens the hub database, merges, closes it, and
compares the hub's logical state with the one from before (``Hub.digest``: every table
but the memory of refused files, which the hub keeps so that a refused file is not read
again). The reason must be English (the command line prints it) and name the file.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from tests.core.sync_hub import (
    BAD_HEADER,
    BAD_SIGNATURE,
    CUT_SHORT,
    DAMAGED,
    OTHER_KEY,
    Clock,
    Hub,
    export,
    flip,
    header_span,
    hostile_id,
    manifest,
    parse_in_child,
    payload_db,
    seal_raw,
)
from wijkkit import hlc
from wijkkit.hlc import wall_ms
from wijkkit.kit import Kit
from wijkkit.sync import bundle, exchange, keys, merge, scope
from wijkkit.sync.bundle import MAGIC, PAYLOAD_SCHEMA, BundleError, Payload

DAY_MS = 24 * 3600 * 1000
CHANGE_COLUMNS = ("tbl", "row_id", "field", "value", "hlc", "replica", "base_hlc", "base_replica")



def refused_alone(hub: Hub, files: dict[str, bytes], reason: str, outbox: bool = False) -> BundleError:
    """Merge the files; exactly one refusal naming the file and the reason; the hub unchanged."""
    before = hub.digest()
    report = hub.merge(files, outbox)
    assert report.waiting == [] and report.applied == [] and report.already == []
    [error] = report.refused
    assert isinstance(error, BundleError)
    message = error.english()
    assert message.startswith(f"The bundle {next(iter(files))} was refused: "), message
    assert reason in message, message
    assert str(error) == message
    assert hub.digest() == before, "a refused bundle changed the hub database"
    return error


# -- damaged files ------------------------------------------------------------------------------


@pytest.mark.parametrize("keep", [0, 5, len(MAGIC), len(MAGIC) + 3, len(MAGIC) + 4 + 10], ids=lambda n: f"first-{n}")
def test_a_bundle_cut_short_in_its_header_is_refused(hub, valid, keep):
    name, data = valid
    refused_alone(hub, {name: data[:keep]}, CUT_SHORT)


@pytest.mark.parametrize("lose", [1, 100, "ciphertext", "signature"])
def test_a_bundle_cut_short_later_is_refused(hub, valid, lose):
    name, data = valid
    _, end = header_span(data)
    keep = {"ciphertext": end + 64, "signature": end + 30}.get(lose, len(data) - lose if isinstance(lose, int) else 0)
    refused_alone(hub, {name: data[:keep]}, CUT_SHORT if lose == "signature" else BAD_SIGNATURE)


def test_random_bytes_with_the_bundle_suffix_are_refused(hub):
    rng = random.Random(1)
    refused_alone(hub, {"laptop-000009.wijksync": rng.randbytes(4000)}, CUT_SHORT)
    refused_alone(hub, {"empty.wijksync": b""}, CUT_SHORT)
    refused_alone(hub, {"magic.wijksync": MAGIC + rng.randbytes(400)}, CUT_SHORT)


@pytest.mark.parametrize("where", [-1, -200, "first"])
def test_one_flipped_byte_in_the_ciphertext_is_refused(hub, valid, where):
    name, data = valid
    _, end = header_span(data)
    at = end + 64 if where == "first" else len(data) + where
    refused_alone(hub, {name: flip(data, at)}, BAD_SIGNATURE)


@pytest.mark.parametrize("where", [0, 17, 63])
def test_one_flipped_byte_in_the_signature_is_refused(hub, valid, where):
    name, data = valid
    _, end = header_span(data)
    refused_alone(hub, {name: flip(data, end + where)}, BAD_SIGNATURE)


def test_one_flipped_byte_in_the_magic_or_the_length_is_refused(hub, valid):
    name, data = valid
    refused_alone(hub, {name: flip(data, 0)}, CUT_SHORT)
    refused_alone(hub, {name: flip(data, len(MAGIC) + 3)}, BAD_HEADER)  # header one byte shorter: no JSON
    longer = bytearray(data)
    longer[len(MAGIC) + 2] ^= 0x01  # 256 bytes longer: the signature shifts into the header
    refused_alone(hub, {name: bytes(longer)}, BAD_HEADER)


@pytest.mark.parametrize("part", ["brace", "format", "bundle_id", "sign_key", "age_recipient", "sender"])
def test_one_flipped_byte_in_the_header_is_refused(hub, valid, part):
    name, data = valid
    start, end = header_span(data)
    header = data[start:end]
    if part == "brace":
        at = start
    elif part == "format":
        at = start + header.index(b'"format": 1') + len('"format": ')
    else:
        value = json.loads(header)[part].encode()
        at = start + header.index(b'"' + value + b'"') + 1 + len(value) // 2
    # a changed sign_key no longer matches the signature, checked first against the key the header names
    expected = {"brace": BAD_HEADER, "format": BAD_HEADER}.get(part, BAD_SIGNATURE)
    refused_alone(hub, {name: flip(data, at)}, expected)


# -- wrong senders ------------------------------------------------------------------------------


def test_a_bundle_signed_by_an_unknown_key_claiming_a_trusted_laptop_is_refused(hub, valid, tmp_path):
    laptop = hub.laptop
    with Kit.memory() as mallory:
        keys.join(mallory, hub.key_file)
        changes, tombstones = merge.collect(laptop, {})
        plain = bundle.serialize(Payload(manifest(laptop, f"{laptop.replica_id}-000777"), changes, tombstones))
        name = f"{laptop.replica_id}-000777.wijksync"
        # mallory's own key in the header: refused, and kept as a rival key of the laptop's id (with a
        # warning for the coordinator), but no data of it is merged and the laptop stays trusted as it was
        forged = seal_raw(plain, laptop.replica_id, f"{laptop.replica_id}-000777", mallory)
        before = hub.digest()
        report = hub.merge({name: forged})
        assert (report.applied, report.waiting, report.already) == ([], [], [])
        [error] = report.refused
        assert OTHER_KEY in error.english() and laptop.replica_id in error.english()
        with Kit.open(hub.path) as opened:
            assert [(c.replica, c.fingerprint, c.id_trusted) for c in keys.pending(opened)] == [
                (laptop.replica_id, keys.own_fingerprint(mallory), True)]  # fmt: skip
            assert keys.trusted_peer(opened, laptop.replica_id).fingerprint == keys.own_fingerprint(laptop)
            assert opened.query("SELECT count(*) AS n FROM neighbourhood") == [{"n": 0}]
            assert keys.forget_claim(opened, laptop.replica_id, keys.own_fingerprint(mallory))  # as the coordinator
        assert hub.digest() == before  # once the stranger's key is removed from the list, the hub is as it was
        # the trusted laptop's key in the header, mallory's signature
        forged = seal_raw(plain, laptop.replica_id, f"{laptop.replica_id}-000777", mallory,
                          header_key=keys.public_sign_key(laptop))  # fmt: skip
        refused_alone(hub, {name: forged}, BAD_SIGNATURE)
        # properly sealed by mallory, under mallory's own name: waits for approval, never merged
        own = f"{mallory.replica_id}-000001"
        data = bundle.seal(Payload(manifest(mallory, own), changes, tombstones), keys.signing_key(mallory),
                           keys.public_sign_key(mallory), keys.age_recipient(mallory),
                           keys.hub_of(mallory).age_recipient)  # fmt: skip
        report = hub.merge({f"{own}.wijksync": data})
        assert report.waiting == [(f"{own}.wijksync", mallory.replica_id)] and report.applied == []
        with Kit.open(hub.path) as opened:
            assert opened.query("SELECT count(*) AS n FROM neighbourhood") == [{"n": 0}]


def test_a_bundle_encrypted_to_another_hub_is_refused(hub, tmp_path):
    laptop = hub.laptop
    with Kit.memory() as other_hub:
        keys.ensure_keys(other_hub)
        plain = bundle.serialize(Payload(manifest(laptop, hostile_id(laptop)), *merge.collect(laptop, {})))
        data = seal_raw(plain, laptop.replica_id, hostile_id(laptop), laptop, to=other_hub)
    refused_alone(hub, {"x-1.wijksync": data}, "it cannot be decrypted with this database's key.")


def test_a_bundle_whose_contents_name_another_sender_is_refused(hub):
    laptop = hub.laptop
    someone_else = "0123456789abcdef"  # a valid replica id, not the laptop's
    plain = bundle.serialize(Payload(manifest(laptop, hostile_id(laptop), sender=someone_else),
                                     *merge.collect(laptop, {})))  # fmt: skip
    data = seal_raw(plain, laptop.replica_id, hostile_id(laptop), laptop)
    refused_alone(hub, {"x-2.wijksync": data}, "its contents do not belong to its sender.")


def test_a_trusted_laptop_cannot_claim_another_laptops_bundle_id(hub, tmp_path):
    """Bundle ids are '<sender>-<number>': B may not take A's next id and so make the hub skip
    A's real bundle as 'already merged'."""
    a, b = hub.laptop, hub.join("b")
    a.neighbourhoods.add("Esweg")
    taken = f"{a.replica_id}-{int(a._meta('sync_seq') or 0) + 1:06d}"  # the id A's next bundle gets
    plain = bundle.serialize(Payload(manifest(b, taken), *merge.collect(b, {})))
    # in the header: refused before anything is opened, the id does not start with its sender's
    refused_alone(hub, {"claim.wijksync": seal_raw(plain, b.replica_id, taken, b)}, "its sender's id is not valid.")
    # only in the contents, under a header id of B's own: refused once opened
    refused_alone(hub, {"inside.wijksync": seal_raw(plain, b.replica_id, hostile_id(b), b)},
                  "its contents do not belong to its sender.")  # fmt: skip
    name, data = export(a, tmp_path / "a-out")
    assert name == taken + ".wijksync"
    report = hub.merge({name: data})
    assert [file for file, _result in report.applied] == [name]
    b.close()


# -- newer schema, wrong clocks ---------------------------------------------------------------------


def test_a_bundle_from_a_newer_schema_is_refused(hub, valid):
    laptop = hub.laptop
    changes, tombstones = merge.collect(laptop, {})
    payload = Payload(manifest(laptop, f"{laptop.replica_id}-000099", schema_version=99), changes, tombstones)
    data = bundle.seal(payload, keys.signing_key(laptop), keys.public_sign_key(laptop), keys.age_recipient(laptop),
                       keys.hub_of(laptop).age_recipient)  # fmt: skip
    error = refused_alone(hub, {f"{laptop.replica_id}-000099.wijksync": data},
                          "it comes from a newer version of Wijkkit (schema 99); update Wijkkit here first.")  # fmt: skip
    assert "99" in error.english()


def test_a_bundle_stamped_days_in_the_future_is_refused(hub):
    ahead = hub.join("ahead", Clock(offset=3 * DAY_MS))
    try:
        ahead.insert("neighbourhood", {"name": "Toekomst"})
        name, data = export(ahead, hub.root / "ahead-out")
        refused_alone(hub, {name: data}, "its clock lies more than a day ahead of this computer's: the date of the sender or of this computer is wrong.")
    finally:
        ahead.close()


def test_a_bundle_stamped_hours_ahead_is_merged(hub):
    ahead = hub.join("hours", Clock(offset=20 * 3600 * 1000))
    try:
        wijk = ahead.insert("neighbourhood", {"name": "Bijna morgen"})
        report = hub.merge(dict([export(ahead, hub.root / "hours-out")]))
        assert report.refused == [] and len(report.applied) == 1
        with Kit.open(hub.path) as opened:
            assert opened.row("neighbourhood", wijk)["name"] == "Bijna morgen"
    finally:
        ahead.close()


def test_a_laptop_whose_own_date_is_behind_is_not_told_that_the_hub_is_wrong(hub, monkeypatch):
    laptop = hub.laptop
    with Kit.open(hub.path) as opened:  # the hub has news for the laptop, stamped with the right date
        wijk = opened.insert("neighbourhood", {"name": "Nieuw op de hub"})
        scope.assign(opened, laptop.replica_id, [wijk])  # a laptop gets only the neighbourhoods it serves
    hub.merge({}, outbox=True)
    [answer] = (hub.root / f"outbox{hub.runs}" / laptop.replica_id).glob("*.wijksync")
    real = hlc.wall_ms
    monkeypatch.setattr(hlc, "wall_ms", lambda: real() - 2 * DAY_MS)  # this laptop's date is two days behind
    report = exchange.import_files(laptop, [answer])
    [error] = report.refused
    assert "clock" in error.english() or "date" in error.english()
    assert "sending laptop" not in error.english(), "the file came from the hub; this computer's date is wrong"


# -- files that are not (yet) bundles ------------------------------------------------------------------


def test_half_written_and_temporary_files_are_not_even_read(hub, valid, monkeypatch):
    name, data = valid
    opened: list[str] = []
    real = exchange.open_envelope

    def spy(path):
        opened.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(exchange, "open_envelope", spy)
    before = hub.bytes()
    files = {f".{name}.part": data[: len(data) // 2], f".syncthing.{name}.tmp": data[:100],
             f"~syncthing~{name}.tmp": data, f"{name}.tmp": data, f".{name}": data, f"{name}.part": data[:10],
             "notes.txt": b"hello"}  # fmt: skip
    report = hub.merge(files)
    assert (report.applied, report.refused, report.waiting, report.already) == ([], [], [], [])
    assert opened == []
    assert hub.bytes() == before
    (hub.root / f"inbox{hub.runs}" / "folder.wijksync").mkdir()  # a folder with the suffix is no file either
    with Kit.open(hub.path) as opened_hub:
        report = exchange.merge_inbox(opened_hub, hub.root / f"inbox{hub.runs}")
    assert (report.applied, report.refused, opened) == ([], [], [])


def test_the_same_bundle_twice_is_merged_once(hub, valid):
    name, data = valid
    first = hub.merge({name: data})
    assert [n for n, _r in first.applied] == [name]
    before = hub.bytes()
    second = hub.merge({name: data, "copy (conflict).wijksync": data})
    assert sorted(second.already) == sorted([name, "copy (conflict).wijksync"])
    assert second.applied == [] and second.refused == []
    assert hub.bytes() == before


# -- hostile payloads, properly sealed by the trusted laptop --------------------------------------------


ROW = "01900000-0000-7000-8000-00000000beef"


def hostile_cases(kit: Kit) -> dict[str, tuple[bytes, str]]:
    now = hlc.pack(wall_ms(), 0)
    me = kit.replica_id

    def change(tbl="neighbourhood", row=ROW, field="name", value="x", stamp=now, replica=me, base=None, base_r=None):
        return (tbl, row, field, value, stamp, replica, base, base_r)

    unknown_table = "it names an unknown table"
    unknown_field = "it changes an unknown field"
    return {
        "sql in the table name": (payload_db(kit, changes=[change(tbl="person]; DROP TABLE person; --")]),
                                  unknown_table),
        "bookkeeping table _meta": (payload_db(kit, changes=[change(tbl="_meta", field="value")]), unknown_table),
        "bookkeeping table _sync_peer": (payload_db(kit, changes=[change(tbl="_sync_peer", field="trusted")]),
                                         unknown_table),
        "sqlite_master": (payload_db(kit, changes=[change(tbl="sqlite_master", field="sql")]), unknown_table),
        "sql in the field name": (payload_db(kit, changes=[change(field="name] = 'x'; DROP TABLE person; --")]),
                                  unknown_field),
        "the id field": (payload_db(kit, changes=[change(field="id", value="other")]), unknown_field),
        "a huge text": (payload_db(kit, changes=[change(value="x" * (bundle.MAX_VALUE + 1))]), "too large"),
        "a huge blob": (payload_db(kit, changes=[change(value=b"\0" * (bundle.MAX_VALUE + 1))]), "too large"),
        "a long row id": (payload_db(kit, changes=[change(row="r" * 65)]), DAMAGED),
        "an empty row id": (payload_db(kit, changes=[change(row="")]), DAMAGED),
        "a blob as row id": (payload_db(kit, changes=[change(row=b"\x00row")]), DAMAGED),
        "no replica": (payload_db(kit, changes=[change(replica="")]), DAMAGED),
        "a text stamp": (payload_db(kit, changes=[change(stamp="soon")]), DAMAGED),
        "a negative stamp": (payload_db(kit, changes=[change(stamp=-5)]), DAMAGED),
        "a real stamp": (payload_db(kit, changes=[change(stamp=1.5)]), DAMAGED),
        "a stamp beyond 64 bits": (payload_db(kit, changes=[change(stamp=2.0**70)]), DAMAGED),
        "a text base": (payload_db(kit, changes=[change(base="gisteren")]), DAMAGED),
        "a tombstone of an unknown table": (payload_db(kit, tombstones=[("x]; --", ROW, now, me, 1)]), unknown_table),
        "a tombstone erased twice": (payload_db(kit, tombstones=[("person", ROW, now, me, 2)]), DAMAGED),
        "no change table": (payload_db(kit, script="CREATE TABLE manifest (key TEXT, value TEXT);"), DAMAGED),
        "a change table without columns": (payload_db(kit, script=PAYLOAD_SCHEMA.replace(
            "CREATE TABLE change (tbl TEXT, row_id TEXT, field TEXT, value, hlc INTEGER, replica TEXT,\n"
            "                     base_hlc INTEGER, base_replica TEXT);", "CREATE TABLE change (x);")), DAMAGED),
        "hostile column names": (payload_db(kit, script=(
            'CREATE TABLE manifest (key TEXT, value TEXT); CREATE TABLE tombstone (tbl, row_id, hlc, replica, erased);'
            ' CREATE TABLE change ("]; DROP TABLE person; --", [tbl;], "row_id""", field);')), DAMAGED),
        "manifest not JSON": (payload_db(kit, manifest_rows={}, raw_manifest=[("sender", "{not json")]), DAMAGED),
        "manifest without a schema": (payload_db(kit, manifest_rows=manifest(kit, hostile_id(kit), schema_version="5")), DAMAGED),
        "manifest known not a dict": (payload_db(kit, manifest_rows=manifest(kit, hostile_id(kit), known=[1, 2])), DAMAGED),
        "not SQLite at all": (b"this is no database" * 50, DAMAGED),
        "an empty plaintext": (b"", DAMAGED),
    }


def hostile_case_names() -> list[str]:
    with Kit.memory() as scratch:
        return list(hostile_cases(scratch))


@pytest.mark.parametrize("case", hostile_case_names())
def test_hostile_payloads_sealed_by_a_trusted_laptop_are_refused(hub, case):
    plain, reason = hostile_cases(hub.laptop)[case]
    data = seal_raw(plain, hub.laptop.replica_id, hostile_id(hub.laptop), hub.laptop)
    refused_alone(hub, {"hostile.wijksync": data}, reason)


def test_a_deeply_nested_manifest_is_refused_not_a_crash(hub):
    laptop = hub.laptop
    plain = payload_db(laptop, manifest_rows=manifest(laptop, hostile_id(laptop), known={}),
                       raw_manifest=[("extra", "[" * 100_000)])  # fmt: skip
    refused_alone(hub, {"deep.wijksync": seal_raw(plain, laptop.replica_id, hostile_id(laptop), laptop)}, DAMAGED)


@pytest.mark.parametrize("known", [{"x": [1, 2]}, {"x": 2**70}, {"x": "soon"}], ids=["list", "huge", "text"])
def test_a_manifest_with_a_bad_known_vector_is_refused_and_the_hub_keeps_working(hub, known):
    """The known vector decides what the laptop's return bundle holds; a bad one must not wedge the hub."""
    laptop = hub.laptop
    plain = payload_db(laptop, manifest_rows=manifest(laptop, hostile_id(laptop), known=known))
    data = seal_raw(plain, laptop.replica_id, hostile_id(laptop), laptop)
    try:
        refused_alone(hub, {"known.wijksync": data}, DAMAGED, outbox=True)
    finally:
        report = hub.merge({}, outbox=True)  # the next merge, with nothing new, still answers every laptop
        assert len(report.written) == 1


def test_a_payload_whose_change_table_is_a_view_that_multiplies_is_refused_quickly(hub, tmp_path):
    """A few hundred bytes of SQL can stand for gigabytes of rows: parse() must not fetch them all."""
    laptop = hub.laptop
    now = hlc.pack(wall_ms(), 0)
    script = PAYLOAD_SCHEMA.replace(
        "CREATE TABLE change (tbl TEXT, row_id TEXT, field TEXT, value, hlc INTEGER, replica TEXT,\n"
        "                     base_hlc INTEGER, base_replica TEXT);",
        "CREATE VIEW change AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 100000) "
        f"SELECT 'neighbourhood' AS tbl, printf('r%d', i) AS row_id, 'notes' AS field, randomblob(999999) AS value, "
        f"{now} AS hlc, '{laptop.replica_id}' AS replica, NULL AS base_hlc, NULL AS base_replica FROM n;",
    )
    plain = payload_db(laptop, script=script)
    assert len(plain) < 50_000
    outcome = parse_in_child(plain, tmp_path)
    assert outcome.startswith("refused:"), outcome


def test_a_generated_column_that_multiplies_is_refused_before_a_row_is_read(hub, tmp_path):
    """A few megabytes standing for a hundred gigabytes: every read of the column computes 1 MB."""
    now, me = hlc.pack(wall_ms(), 0), hub.laptop.replica_id
    rows = [("neighbourhood", f"r{n}", "notes", now, me, None, None) for n in range(100_000)]
    plain = payload_db(hub.laptop, script=PAYLOAD_SCHEMA.replace("field TEXT, value,", "field TEXT,"), changes=rows,
                       after="ALTER TABLE change ADD COLUMN value AS (hex(zeroblob(499999))) VIRTUAL;")  # fmt: skip
    assert len(plain) < 10_000_000
    outcome = parse_in_child(plain, tmp_path)
    assert outcome.startswith(f"refused: The bundle view.wijksync was refused: {DAMAGED} [peak "), outcome
    peak = int(outcome.rsplit(" ", 2)[-2])
    assert peak < 300, f"refused only after reading {peak} MB (the memory limit caught it, a hub has none)"


def test_computed_or_virtual_payload_tables_are_refused(hub):
    """Only plain tables are read: a generated column or a virtual table runs code while it is read."""
    now, me = hlc.pack(wall_ms(), 0), hub.laptop.replica_id
    row = ("neighbourhood", ROW, "name", "Ellerveen", now, me, None, None)
    stored = PAYLOAD_SCHEMA.replace("base_replica TEXT);", "base_replica TEXT, extra AS (upper(tbl)) STORED);")
    virtual = PAYLOAD_SCHEMA.replace("CREATE TABLE change (", "CREATE VIRTUAL TABLE change USING fts5(")
    virtual = virtual.replace(" TEXT", "").replace(" INTEGER", "")
    tombstones = PAYLOAD_SCHEMA.replace("erased INTEGER);", "erased INTEGER, x AS (1) VIRTUAL);")
    rtree = re.sub(r"CREATE TABLE change \(.*?\);", "CREATE VIRTUAL TABLE change USING rtree(id, lo, hi, "
                   + ", ".join(f"+{c}" for c in CHANGE_COLUMNS) + ");", PAYLOAD_SCHEMA, flags=re.S)
    for script, values in ((stored, row), (virtual, row), (tombstones, row), (rtree, (1, 0, 0, *row))):
        plain = payload_db(hub.laptop, script=script, changes=[values])
        refused_alone(hub, {"computed.wijksync": seal_raw(plain, me, hostile_id(hub.laptop), hub.laptop)}, DAMAGED)
