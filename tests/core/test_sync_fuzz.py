"""Fuzzing the hub's inbox: over a thousand bad bundles, each refused with a reason, the hub untouched.

Why this module exists: ``test_sync_bundles`` names each way a bundle can be bad once; here
the same promise is checked over many generated files, so that a case nobody thought of is
found by volume. The kinds (the counts add up in ``test_the_fuzzing_covers_a_thousand_bundles``):

- a real bundle damaged on the way: truncated, bytes flipped anywhere, bytes inserted or cut;
- random SQLite files as the payload, sealed and signed by the trusted laptop, so they get
  past the envelope and reach the payload checks;
- hostile table and column names in a sealed payload: quotes, brackets, semicolons, SQL
  keywords, very long, Unicode, the hub's own bookkeeping tables; as the table or field a
  change names, as a tombstone's table, and as the payload database's own table and column names;
- huge values: multi-MB texts and names, integers beyond 64 bits, deep JSON, many rows.

Files go to the hub in batches, one inbox and one merge per batch. Every file must come back
as a ``BundleError`` naming it with a known reason (any other exception fails the test and
names the file), nothing may be merged or wait, and the hub file must keep its SHA-256, with
no -wal or journal file left behind. The seeds are fixed and printed, so a failure replays.
"""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from tests.core.sync_hub import (
    BAD_HEADER,
    BAD_SIGNATURE,
    CUT_SHORT,
    DAMAGED,
    OTHER_KEY,
    Hub,
    header_span,
    hostile_id,
    manifest,
    payload_db,
    seal_raw,
)
from wijkkit import cipher, hlc, keystore, schema
from wijkkit.hlc import wall_ms
from wijkkit.kit import Kit
from wijkkit.sync import bundle, merge
from wijkkit.sync.bundle import BundleError, Payload

UNKNOWN_TABLE = "it names an unknown table"
UNKNOWN_FIELD = "it changes an unknown field"
TOO_LARGE = "a value in it is too large."
AHEAD = "its clock lies more than a day ahead"
NEWER = "it comes from a newer version of Wijkkit"
NOT_ITS_SENDER = "its contents do not belong to its sender."
INVALID = "the value of "  # ... in <table> row <id> is not valid: <why> (wijkkit.validate)
ENVELOPE = (CUT_SHORT, BAD_SIGNATURE, BAD_HEADER, OTHER_KEY)
ANY_REASON = (*ENVELOPE, DAMAGED, UNKNOWN_TABLE, UNKNOWN_FIELD, TOO_LARGE, AHEAD, NEWER, NOT_ITS_SENDER, INVALID)
BATCH = 100
RAW = {"truncated": 200, "flipped": 350, "spliced": 50}
RANDOM_SQLITE = 200
HUGE = 29  # cases in huge_cases
ROW = "01900000-0000-7000-8000-00000000beef"
MB = 1_000_000


def row_id(n: int) -> str:
    """The n-th of many valid row ids (a change to a row that is not a row id is refused as damaged)."""
    return f"01900000-0000-7000-8000-{n:012d}"



def refused_batch(hub: Hub, files: dict[str, bytes], expected: dict[str, str | tuple[str, ...]]) -> None:
    """Merge the files in one inbox: each refused as expected, and the hub file unchanged."""
    before = hub.digest()
    try:
        report = hub.merge(files)
    except Exception as exc:  # noqa: BLE001 - which file it was is what the failure must say
        for name, data in files.items():
            try:
                hub.merge({name: data})
            except Exception:  # noqa: BLE001
                raise AssertionError(f"{name} was not refused cleanly: {exc!r}") from exc
        raise
    assert (report.applied, report.waiting, report.already) == ([], [], []), "only refusals were expected"
    reasons = {}
    for error in report.refused:
        assert type(error) is BundleError, repr(error)
        name = error.params["path"]
        prefix = f"The bundle {name} was refused: "
        message = error.english()
        assert message.startswith(prefix) and str(error) == message, message
        reasons[name] = message.removeprefix(prefix)
    assert sorted(reasons) == sorted(files) and len(report.refused) == len(files)
    for name, reason in reasons.items():
        assert reason.startswith(expected[name]), f"{name}: {reason}"
    assert hub.digest() == before, "a refused bundle changed the hub database"


def in_batches(hub: Hub, files: dict[str, bytes], expected: dict[str, str | tuple[str, ...]]) -> None:
    names = list(files)
    for start in range(0, len(names), BATCH):
        part = names[start: start + BATCH]
        refused_batch(hub, {n: files[n] for n in part}, {n: expected[n] for n in part})


def sealed(hub: Hub, plain: bytes) -> bytes:
    """Sealed as the trusted laptop would, under the bundle id that ``payload_db`` puts in the manifest."""
    return seal_raw(plain, hub.laptop.replica_id, hostile_id(hub.laptop), hub.laptop)


# -- a real bundle damaged on the way ----------------------------------------------------------


def damaged(rng: random.Random, data: bytes, kind: str) -> bytes:
    """Half of the damage lands in the magic, header and signature, the rest anywhere."""
    _, end = header_span(data)
    spot = (lambda: rng.randrange(0, end + 64)) if rng.random() < 0.5 else (lambda: rng.randrange(0, len(data)))
    if kind == "truncated":
        return data[: spot()]
    if kind == "flipped":
        changed = bytearray(data)
        for _ in range(rng.randint(1, 4)):
            changed[spot()] ^= rng.randrange(1, 256)
        return bytes(changed)
    at = spot()
    if rng.random() < 0.5:
        return data[:at] + rng.randbytes(rng.randint(1, 16)) + data[at:]
    return data[:at] + data[at + rng.randint(1, 16):]


@pytest.mark.parametrize("kind", list(RAW))
def test_damaged_bundles_are_each_refused_and_the_hub_is_unchanged(hub, valid, kind):
    seed = 20261129 + list(RAW).index(kind)
    print(f"seed {seed}")
    rng = random.Random(seed)
    _, data = valid
    files: dict[str, bytes] = {}
    while len(files) < RAW[kind]:
        mutated = damaged(rng, data, kind)
        if mutated != data and mutated not in files.values():
            files[f"{kind}{len(files):03d}.wijksync"] = mutated
    in_batches(hub, files, dict.fromkeys(files, ENVELOPE))


def test_deep_or_huge_json_in_an_unsigned_header_is_refused(hub):
    """The header is read before any signature is checked: anybody with the inbox can send these."""
    import struct

    headers = {"deep-list": b"[" * 5000 + b"]" * 5000, "deep-dict": b'{"a": ' * 2000 + b"1" + b"}" * 2000,
               "deep-inside": b'{"format": 1, "sender": ' + b"[" * 7000 + b"]" * 7000 + b"}",
               "huge-int": b'{"format": ' + b"9" * 9000 + b"}", "inf": b'{"format": 1e999}',
               "nul": b'{"format": 1, "sender": "a\\u0000b"}', "not-utf8": b'{"format": 1, "sender": "\xff"}'}  # fmt: skip
    files = {f"{name}.wijksync": bundle.MAGIC + struct.pack(">I", len(raw)) + raw + bytes(64) + b"age"
             for name, raw in headers.items()}  # fmt: skip
    refused_batch(hub, files, dict.fromkeys(files, BAD_HEADER))


# -- random SQLite files as the payload ---------------------------------------------------------

PAYLOAD_COLUMNS = {"manifest": ["key", "value"],
                   "change": ["tbl", "row_id", "field", "value", "hlc", "replica", "base_hlc", "base_replica"],
                   "tombstone": ["tbl", "row_id", "hlc", "replica", "erased"]}  # fmt: skip
WORDS = ["person", "neighbourhood", "session", "name", "title", "id", "_meta", "sender", "known", "bundle_id",
         "schema_version", "format", "x", "Ωmega", "'; --", ""]  # fmt: skip


def random_value(rng: random.Random, kit: Kit) -> object:
    return rng.choice([
        lambda: None, lambda: rng.randint(-(2**63), 2**63 - 1), lambda: rng.randrange(0, 1 << 60),
        lambda: hlc.pack(wall_ms(), 0), lambda: rng.random() * 10 ** rng.randint(-5, 300),
        lambda: rng.choice(WORDS), lambda: kit.replica_id, lambda: ROW, lambda: rng.randbytes(rng.randint(0, 40)),
        lambda: "".join(chr(rng.randint(32, 0x2FFF)) for _ in range(rng.randint(0, 30))),
        lambda: rng.choice(['{"a": 1}', "[]", "{}", "7", '"x"', "{", "null", f'{{"{kit.replica_id}": 5}}']),
    ])()  # fmt: skip


def random_sqlite(rng: random.Random, kit: Kit) -> bytes:
    """Random tables, columns and rows; sometimes the bundle's own table and column names.

    Never a valid bundle: its manifest never names the laptop as the sender."""
    conn = sqlite3.connect(":memory:")
    conn.execute(f"PRAGMA page_size = {rng.choice([512, 1024, 4096, 65536])}")
    names = rng.sample(list(PAYLOAD_COLUMNS), rng.randint(0, 3)) + [f"t{n}" for n in range(rng.randint(0, 3))]
    names = names or ["t0"]  # a database without tables cannot even be serialized
    for table in names:
        columns = PAYLOAD_COLUMNS.get(table) if rng.random() < 0.7 else None
        columns = columns or list(dict.fromkeys(rng.choice(WORDS[:12]) for _ in range(rng.randint(1, 8))))
        kind = rng.choice(["", "", " WITHOUT ROWID"])
        primary = f", PRIMARY KEY ([{columns[0]}])" if kind else ""
        conn.execute(f"CREATE TABLE [{table}] ({', '.join(f'[{c}]' for c in columns)}{primary}){kind}")
        rows = []
        for n in range(rng.choice([0, 1, 3, 30])):
            row = [random_value(rng, kit) for _ in columns]
            if columns == PAYLOAD_COLUMNS["manifest"]:
                row = [rng.choice(WORDS[6:12]) + ("" if n < 6 else str(n)), row[1]]
            if kind:
                row[0] = n
            rows.append(row)
        conn.executemany(f"INSERT OR IGNORE INTO [{table}] VALUES ({', '.join('?' * len(columns))})", rows)
    missing = [table for table in PAYLOAD_COLUMNS if table not in names]
    if missing and rng.random() < 0.3:
        conn.execute(f"CREATE VIEW [{rng.choice(missing)}] AS SELECT 1 AS [{rng.choice(WORDS[:12])}]")
    conn.commit()
    data = conn.serialize()
    conn.close()
    return data


def test_random_sqlite_payloads_sealed_by_a_trusted_laptop_are_each_refused(hub):
    seed = 4711
    print(f"seed {seed}")
    rng = random.Random(seed)
    files = {f"sqlite{n:03d}.wijksync": sealed(hub, random_sqlite(rng, hub.laptop))
             for n in range(RANDOM_SQLITE)}  # fmt: skip
    in_batches(hub, files, dict.fromkeys(files, ANY_REASON))


# -- hostile names ---------------------------------------------------------------------------------

HOSTILE = [
    "'", '"', "]", "[", "`", "person'", 'person"', "person]", "[person]", '"person"', "`person`",
    "person; DROP TABLE person; --", "person]; DELETE FROM person; --", "x' OR '1'='1", "name = 'x'; --",
    "SELECT", "TABLE", "where", "NULL", "PRAGMA", "sqlite_master", "sqlite_sequence", "sqlite_temp_master",
    "_meta", "_sync_peer", "_sync_applied", "_sync_seen", "_sync_conflict", "_sync_withheld", "_field_version",
    "_tombstone", "_sqlite_migrations", "main.person", "temp._in", "rowid", "oid", "_rowid_", "id",
    "Person", "PERSON", " person", "person ", "", " ", "\t", "x" * 10_000, "person" + "a" * 300,
    "persoon🙂", "名前", "ñame", "\u202eemosrep", "\u200bname", "na\u0308me", "na\x00me", "💣" * 100,
]  # fmt: skip
WHERE = ("change table", "change field", "tombstone table", "payload column", "payload table")


def creatable(name: str, where: str) -> bool:
    """SQLite statements cannot hold a NUL; table names starting with sqlite_ are SQLite's own."""
    return "\x00" not in name and not (where == "payload table" and name.lower().startswith("sqlite_"))


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def hostile_payload(kit: Kit, name: str, where: str, turn: int) -> tuple[bytes, str]:
    now = hlc.pack(wall_ms(), 0)
    change = ("person", ROW, "name", "Anneke", now, kit.replica_id, None, None)
    if where == "change table":
        return payload_db(kit, changes=[(name, *change[1:])]), UNKNOWN_TABLE
    if where == "change field":
        return payload_db(kit, changes=[(*change[:2], name, *change[3:])]), UNKNOWN_FIELD
    if where == "tombstone table":
        return payload_db(kit, tombstones=[(name, ROW, now, kit.replica_id, 0)]), UNKNOWN_TABLE
    tables = {table: list(columns) for table, columns in PAYLOAD_COLUMNS.items()}
    if where == "payload column":  # one of the fifteen columns renamed, in turn
        table, column = [(t, c) for t, cs in tables.items() for c in cs][turn % 15]
        tables[table][tables[table].index(column)] = name
    else:  # the change or tombstone table renamed; it holds no rows then
        tables[name] = tables.pop(("change", "tombstone")[turn % 2])
    script = "".join(f"CREATE TABLE {quoted(t)} ({', '.join(map(quoted, cs))});" for t, cs in tables.items())
    return payload_db(kit, script=script, changes=[change] if "change" in tables else []), DAMAGED


def test_hostile_table_and_column_names_are_each_refused(hub):
    files, expected = {}, {}
    for where in WHERE:
        for turn, name in enumerate(HOSTILE):
            if where.startswith("payload") and not creatable(name, where):
                continue
            file = f"{where.replace(' ', '-')}{turn:02d}.wijksync"
            plain, expected[file] = hostile_payload(hub.laptop, name, where, turn)
            files[file] = sealed(hub, plain)
    assert len(files) >= 250
    in_batches(hub, files, expected)


# -- huge values ------------------------------------------------------------------------------------


def huge_cases(kit: Kit) -> dict[str, tuple[bytes, str]]:
    now, me, big = hlc.pack(wall_ms(), 0), kit.replica_id, "x" * (3 * MB)

    def change(tbl="person", row=ROW, field="name", value="Anneke", stamp=now, replica=me, base=None, base_r=None):
        return (tbl, row, field, value, stamp, replica, base, base_r)

    def with_changes(*changes: tuple) -> bytes:
        return payload_db(kit, changes=list(changes))

    def with_manifest(**items: object) -> bytes:
        return payload_db(kit, manifest_rows=manifest(kit, hostile_id(kit), **items))

    def raw_manifest(key: str, text: str) -> bytes:
        rows = {k: v for k, v in manifest(kit, hostile_id(kit)).items() if k != key}
        return payload_db(kit, manifest_rows=rows, raw_manifest=[(key, text)])

    deep_dict, deep_list = '{"a": ' * 100_000 + "1" + "}" * 100_000, "[" * 100_000 + "]" * 100_000
    many = [change(row=row_id(n), field="notes", value=f"note {n}") for n in range(200_000)]
    return {
        "2 MB of text": (with_changes(change(value="é" * (2 * MB))), TOO_LARGE),
        "5 MB of text": (with_changes(change(value="x" * (5 * MB))), TOO_LARGE),
        "a blob one byte too large": (with_changes(change(value=b"\x00" * (bundle.MAX_VALUE + 1))), TOO_LARGE),
        "a 3 MB table name": (with_changes(change(tbl=big)), UNKNOWN_TABLE),
        "a 3 MB field name": (with_changes(change(field=big)), UNKNOWN_FIELD),
        "a 3 MB row id": (with_changes(change(row=big)), DAMAGED),
        "a 3 MB replica": (with_changes(change(replica=big)), DAMAGED),
        "a 3 MB base replica": (with_changes(change(base=now, base_r=big)), DAMAGED),
        "a 3 MB tombstone row id": (payload_db(kit, tombstones=[("person", big, now, me, 0)]), DAMAGED),
        "a 3 MB tombstone replica": (payload_db(kit, tombstones=[("person", ROW, now, big, 0)]), DAMAGED),
        "a 3 MB replica in the known vector": (with_manifest(known={big: 1}), DAMAGED),
        "a 3 MB sender in the manifest": (with_manifest(sender=big), NOT_ITS_SENDER),
        "a 3 MB bundle id in the manifest": (payload_db(kit, manifest_rows=manifest(kit, big)), NOT_ITS_SENDER),
        "the largest stamp": (with_changes(change(stamp=2**63 - 1)), AHEAD),
        "the smallest stamp": (with_changes(change(stamp=-(2**63))), DAMAGED),
        "a stamp of 1e308": (with_changes(change(stamp=1e308)), DAMAGED),
        "a 400-digit stamp as text": (with_changes(change(stamp="9" * 400)), DAMAGED),
        "a huge base stamp as text": (with_changes(change(base="9" * 400, base_r=me)), DAMAGED),
        "erased 2**62": (payload_db(kit, tombstones=[("person", ROW, now, me, 2**62)]), DAMAGED),
        "a known stamp beyond 64 bits": (with_manifest(known={me: 2**64}), DAMAGED),
        "a known stamp of 5000 digits": (raw_manifest("known", f'{{"{me}": {"9" * 5000}}}'), DAMAGED),
        "schema version 10**30": (with_manifest(schema_version=10**30), NEWER),
        "schema version of 5000 digits": (raw_manifest("schema_version", "9" * 5000), DAMAGED),
        "a known vector 100,000 deep": (raw_manifest("known", deep_dict), DAMAGED),
        "a schema version 100,000 deep": (raw_manifest("schema_version", deep_list), DAMAGED),
        "a 2 MB known list": (with_manifest(known=list(range(300_000))), DAMAGED),
        "200,000 changes, the last one bad": (with_changes(*many, change(tbl="_meta")), UNKNOWN_TABLE),
        "200,000 tombstones, the last one bad": (payload_db(kit, tombstones=[
            ("neighbourhood", row_id(n), now, me, 0) for n in range(200_000)] + [("person", ROW, now, me, 7)]),
            DAMAGED),  # fmt: skip
        "100,000 manifest rows, no schema": (payload_db(kit, manifest_rows=manifest(kit, hostile_id(kit), schema_version=None),
                                                        raw_manifest=[(f"k{n}", "1") for n in range(100_000)]),
                                             DAMAGED),  # fmt: skip
    }


def test_huge_values_are_each_refused(hub):
    cases = huge_cases(hub.laptop)
    assert len(cases) == HUGE
    files = {f"{name}.wijksync": sealed(hub, plain) for name, (plain, _) in cases.items()}
    in_batches(hub, files, {f"{name}.wijksync": reason for name, (_, reason) in cases.items()})


def test_more_rows_than_the_limit_are_refused(hub, monkeypatch):
    monkeypatch.setattr(bundle, "MAX_ROWS", 1000)  # the limit itself, without making five million rows
    now, me = hlc.pack(wall_ms(), 0), hub.laptop.replica_id
    rows = [("neighbourhood", row_id(n), now, me, 0) for n in range(1001)]
    files = {"rows.wijksync": sealed(hub, payload_db(hub.laptop, tombstones=rows))}
    refused_batch(hub, files, {"rows.wijksync": DAMAGED})
    changes = [("neighbourhood", row_id(n), "name", "x", now, me, None, None) for n in range(1000)]
    report = hub.merge({"limit.wijksync": sealed(hub, payload_db(hub.laptop, changes=changes))})
    assert report.refused == [] and len(report.applied) == 1, "exactly the limit is still a bundle"


def test_the_fuzzing_covers_a_thousand_bundles():
    hostile = sum(creatable(name, where) or not where.startswith("payload") for where in WHERE for name in HOSTILE)
    headers, limit = 7, 1
    assert sum(RAW.values()) + headers + RANDOM_SQLITE + hostile + HUGE + limit >= 1000


# -- a real payload mutated, then sealed properly ------------------------------------------------


def test_mutated_payloads_sealed_properly_are_refused_or_merged_never_a_crash(hub, valid):
    """A flip in a value is still a value: such a bundle may be merged, into a throwaway copy of the hub."""
    seed = 7
    print(f"seed {seed}")
    laptop = hub.laptop
    plain = bundle.serialize(Payload(manifest(laptop, "fuzz"), *merge.collect(laptop, {})))
    rng = random.Random(seed)
    synced = {t: laptop.columns(t) for t in laptop.tables}
    outcomes = {"refused": 0, "merged": 0}
    with Kit.open(hub.path) as opened:
        for n in range(200):
            changed = bytearray(plain)
            for _ in range(rng.randint(1, 8)):
                at = rng.randrange(0, len(changed))
                changed[at] = rng.randrange(0, 256)
            try:
                payload = bundle.parse(Path(f"p{n}.wijksync"), bytes(changed), synced, schema.schema_version(),
                                       wall_ms())  # fmt: skip
            except BundleError:
                outcomes["refused"] += 1
                continue
            clone = cipher.connect(":memory:", keystore.find(hub.path, keystore.salt_of(hub.path)))
            opened.conn.backup(clone)
            clone.execute("PRAGMA foreign_keys = ON")
            with Kit(clone) as scratch:
                merge.apply(scratch, payload, f"p{n}", f"sha{n}")
            outcomes["merged"] += 1
    assert outcomes["refused"] + outcomes["merged"] == 200
    assert outcomes["refused"] and outcomes["merged"], outcomes  # both roads were taken
