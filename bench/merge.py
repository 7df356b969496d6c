"""Budget: merging 200,000 field changes at the hub takes at most 2.5x plain SQLite upserts of the same rows.

    .venv/bin/python bench/merge.py [--rows 20000] [--runs 3] [--budget 2.5] [--into empty|municipality]
                                    [--profile]

(a) the merge: one Payload of 20,000 agreements x 10 fields = 200,000 field changes,
    stamped by one laptop, built directly in memory (no bundle file, no encryption:
    this times the merge, not the envelope), judged (``authority.judge``: what this laptop
    may write) and applied with ``merge.apply`` and the judgement's bookkeeping to a fresh
    hub database file in a temp dir: with ``--into empty`` (the default) a copy of an empty,
    migrated Wijkkit database; with ``--into municipality`` a copy of a municipality's hub after
    three years (bench/_municipality.py: 100 neighbourhoods, 600 meetings, 20,000 agreements,
    30,000 people, all with their field versions; built once into a cache, a few minutes), at
    which the laptop is trusted and assigned one neighbourhood, and the new agreements belong
    to one of its meetings (``session_id`` is sent instead of the empty ``step_id``): every
    change is judged in scope and applied, as from a real laptop.
(b) the floor: the same database file, opened with a bare SQLCipher connection
    (sqlcipher3, the file's key applied: the hub is encrypted at rest, so is the floor) and
    the same pragmas (WAL, synchronous=FULL), in one transaction:
      - executemany ``INSERT INTO agreement (id, <10 fields>) ... ON CONFLICT (id) DO
        UPDATE SET <10 fields>``: the 20,000 rows with all their values, one statement
        per row;
      - executemany ``INSERT INTO _field_version (tbl, row_id, field, hlc, replica) ...
        ON CONFLICT (tbl, row_id, field) DO UPDATE``: the 200,000 version rows.

Why this floor is "the same rows": a merge must leave exactly these rows on disk,
the values of the agreements and one version per field, or the next merge cannot
decide who wins. So the floor writes both, into the same tables with the same
indexes and the same durability, with the cheapest bulk statements SQLite offers,
and nothing else: no comparison with existing versions, no conflict detection, no
``_sync_seen``/``_sync_applied`` bookkeeping. Writing only the 20,000 agreement rows
would hide the price of the version table that any field-level merge must pay;
both parts are printed separately as well.

The two run alternately (after one unmeasured warm-up of each), each on a fresh
copy of the target database; the medians, their ratio and the verdict are printed.
Exits 1 when the ratio is over the budget. ``--profile`` adds a cProfile of one
merge, sorted by own time.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # _municipality.py

FIELDS = ("title", "description", "owner_party", "partners", "due_on", "review_on", "status", "table_no",
          "created_at", "step_id")  # fmt: skip
REPLICA = "b0b0b0b0b0b0b0b1"  # a replica id as the id pattern allows
STATUSES = ("open", "in_progress", "done", "stalled", "dropped")


def make_empty(folder: Path) -> Path:
    """An empty, migrated Wijkkit database with hub keys, closed: every run starts from a copy."""
    from wijkkit.kit import Kit
    from wijkkit.sync import keys

    path = folder / "empty.sqlite"
    with Kit.open(path) as kit:
        keys.ensure_keys(kit)
    return path


def make_municipality(folder: Path) -> tuple[Path, str]:
    """The three-year hub database, with the bench's laptop trusted and assigned one neighbourhood,
    closed; and the id of a meeting of that neighbourhood, for the new agreements."""
    import _municipality

    from wijkkit.kit import Kit
    from wijkkit.sync import keys, scope

    path = _municipality.copy_to(folder / "municipality.sqlite", folder / "keys")
    with Kit.open(folder / "laptop.sqlite") as laptop:
        keys.ensure_keys(laptop)
        sign_key, recipient = keys.public_sign_key(laptop), keys.age_recipient(laptop)
    with Kit.open(path) as hub:
        keys.trust(hub, REPLICA, keys.note_claim(hub, REPLICA, sign_key, recipient), "bench laptop")
        wijk, meeting = hub.conn.execute(
            "SELECT n.id, s.id FROM neighbourhood n JOIN session s ON s.neighbourhood_id = n.id "
            "ORDER BY n.name, s.starts_at LIMIT 1").fetchone()  # fmt: skip
        scope.assign(hub, REPLICA, [wijk])
    return path, meeting


def field_values(rows: int, meeting: str | None = None) -> list[tuple[str, tuple]]:
    """(id, 10 values) per agreement: text of a realistic length, dates, a number."""
    from wijkkit.ids import new_id

    found = []
    for n in range(rows):
        found.append((new_id(), (
            f"Afspraak {n}: koffieochtend in De Schakel elke eerste dinsdag", "Met Welzijn Veldhorst " * 3,
            "Gemeente Veldhorst", "Dorpsbelang Ellerveen", f"2027-{1 + n % 12:02d}-{1 + n % 28:02d}",
            f"2027-{1 + (n + 3) % 12:02d}-{1 + n % 28:02d}", STATUSES[n % 5], n % 8,
            "2026-11-29T21:15:00", meeting)))  # fmt: skip
    return found


def build_payload(rows: list[tuple[str, tuple]], fields: tuple[str, ...] = FIELDS):
    from wijkkit import hlc, schema
    from wijkkit.sync.bundle import Payload

    start = hlc.pack(hlc.wall_ms() - 3_600_000, 0)
    changes = []
    for n, (row_id, values) in enumerate(rows):
        stamp = start + n * 16
        changes += [("agreement", row_id, field, value, stamp + k, REPLICA, None, None)
                    for k, (field, value) in enumerate(zip(fields, values, strict=True))]  # fmt: skip
    manifest = {"format": 1, "sender": REPLICA, "bundle_id": f"{REPLICA}-000001",
                "schema_version": schema.schema_version(), "known": {REPLICA: changes[-1][4]}}  # fmt: skip
    return Payload(manifest, changes, [])


def time_merge(base: Path, workdir: Path, payload, profile: bool = False) -> float:
    """The hub's own path for a trusted laptop's bundle: judging what it may write (authority.py),
    the merge, and the bookkeeping of the judgement, in the merge's transaction."""
    from wijkkit.kit import Kit
    from wijkkit.sync import authority, merge

    target = workdir / "hub.sqlite"
    shutil.copy(base, target)
    with Kit.open(target) as hub:
        before = hub.conn.execute("SELECT count(*) FROM agreement").fetchone()[0]
        profiler = cProfile.Profile() if profile else None
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        verdict = authority.judge(hub, REPLICA, payload)
        result = merge.apply(hub, verdict.payload(payload.manifest), "bench.wijksync", "bench-sha",
                             then=lambda: authority.settle(hub, REPLICA, verdict, "bench.wijksync", []))
        if profiler:
            profiler.disable()
        elapsed = time.perf_counter() - started
        assert result.applied == len(payload.changes), result
        assert hub.conn.execute("SELECT count(*) FROM agreement").fetchone()[0] == before + len(payload.changes) // len(FIELDS)
    if profiler:
        print("\nprofile of one merge (own time):")
        pstats.Stats(profiler).sort_stats("tottime").print_stats(15)
    _clean(target)
    return elapsed


def time_floor(base: Path, workdir: Path, rows: list[tuple[str, tuple]], versions: list[tuple],
               fields: tuple[str, ...] = FIELDS) -> tuple[float, float]:  # fmt: skip
    """Seconds for the agreement upserts and for the version upserts, in one transaction."""
    target = workdir / "floor.sqlite"
    shutil.copy(base, target)
    from wijkkit import store

    conn = store.raw_connection(target)  # the key, no checks; autocommit as before
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        columns = ", ".join(fields)
        upsert = (f"INSERT INTO agreement (id, {columns}) VALUES ({', '.join('?' * (len(fields) + 1))}) "
                  f"ON CONFLICT (id) DO UPDATE SET {', '.join(f'{f} = excluded.{f}' for f in fields)}")  # fmt: skip
        flat = [(row_id, *values) for row_id, values in rows]
        started = time.perf_counter()
        conn.execute("BEGIN")
        conn.executemany(upsert, flat)
        middle = time.perf_counter()
        conn.executemany(
            "INSERT INTO _field_version (tbl, row_id, field, hlc, replica) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (tbl, row_id, field) DO UPDATE SET hlc = excluded.hlc, replica = excluded.replica",
            versions,
        )
        conn.execute("COMMIT")
        ended = time.perf_counter()
    finally:
        conn.close()
    _clean(target)
    return middle - started, ended - middle


def _clean(path: Path) -> None:
    for extra in ("", "-wal", "-shm"):
        Path(f"{path}{extra}").unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000, help="agreements; each brings 10 field changes")
    parser.add_argument("--runs", type=int, default=3, help="measured runs of each (default 3)")
    parser.add_argument("--budget", type=float, default=2.5, help="largest allowed ratio merge/floor")
    parser.add_argument("--into", choices=("empty", "municipality"), default="empty",
                        help="the hub merged into: an empty database, or a municipality's after three years")  # fmt: skip
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of one merge")
    args = parser.parse_args(argv)

    merged, floor, floor_rows, floor_versions = [], [], [], []
    with tempfile.TemporaryDirectory(prefix="wijkkit-merge-bench-") as temp:
        workdir = Path(temp)
        # the databases' keys stay in the temp folder, never the user's own keys or keystore
        os.environ.update(WIJKKIT_CONFIG_DIR=str(workdir / "keys"), WIJKKIT_KEYSTORE="file")
        if args.into == "municipality":
            base, meeting = make_municipality(workdir)
            fields = (*FIELDS[:-1], "session_id")  # the agreements belong to a meeting of the laptop's
        else:
            base, meeting, fields = make_empty(workdir), None, FIELDS
        rows = field_values(args.rows, meeting)
        payload = build_payload(rows, fields)
        versions = [(c[0], c[1], c[2], c[4], c[5]) for c in payload.changes]
        time_merge(base, workdir, payload)  # warm-up: imports, OS file cache
        time_floor(base, workdir, rows, versions, fields)
        for number in range(1, args.runs + 1):
            merged.append(time_merge(base, workdir, payload))
            agreement_part, version_part = time_floor(base, workdir, rows, versions, fields)
            floor_rows.append(agreement_part)
            floor_versions.append(version_part)
            floor.append(agreement_part + version_part)
            print(f"run {number}: merge {merged[-1] * 1000:7.0f} ms   floor {floor[-1] * 1000:7.0f} ms "
                  f"(agreements {agreement_part * 1000:.0f} + versions {version_part * 1000:.0f})")  # fmt: skip
        if args.profile:
            time_merge(base, workdir, payload, profile=True)

    merge_median, floor_median = statistics.median(merged), statistics.median(floor)
    ratio = merge_median / floor_median
    verdict = "within" if ratio <= args.budget else "OVER"
    print(f"merging {len(payload.changes):,} field changes ({args.rows:,} agreements x {len(FIELDS)} fields) "
          f"into {'an empty hub' if args.into == 'empty' else 'a municipality hub after three years'}, "
          f"{args.runs} runs each")  # fmt: skip
    print(f"median hub merge (judge + apply):   {merge_median * 1000:7.0f} ms "
          f"({len(payload.changes) / merge_median:,.0f} changes/s)")  # fmt: skip
    print(f"median floor (plain upserts):       {floor_median * 1000:7.0f} ms")
    print(f"  of which agreements / versions:   {statistics.median(floor_rows) * 1000:7.0f} ms / "
          f"{statistics.median(floor_versions) * 1000:.0f} ms")  # fmt: skip
    print(f"ratio merge/floor: {ratio:.2f}x, {verdict} the budget of {args.budget:.1f}x")
    return 0 if ratio <= args.budget else 1


if __name__ == "__main__":
    sys.exit(main())
