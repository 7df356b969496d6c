"""Field-level merge: what to send, and how a received bundle is applied.

Every field carries a version (hybrid-logical-clock stamp, replica). When a change
arrives, the higher (stamp, replica) wins, so every replica ends with the same
value whatever the order of delivery. Each change also carries the version it
replaced on its writer (its *base*): if the receiver's current version is not that
base, the two writes were concurrent and the losing value is kept in
``_sync_conflict`` for a person to review, who settles it (``resolve``; how is
recorded). Deletes are final; an AVG erasure also removes every conflict copy and
always wins. A bundle applies in one transaction, and a bundle applied twice
changes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from wijkkit import hlc
from wijkkit.sync.bundle import Payload

if TYPE_CHECKING:
    from wijkkit.kit import Kit

# Persons without consent to share travel without these fields.
PRIVATE_PERSON_FIELDS = ("name", "email", "phone", "notes")
# A received stamp moves this database's clock at most this far past its own wall clock: a laptop
# (or a fake hub) with a date far ahead cannot drag every clock along. Local writes still go past
# a field's newer version (Kit._stamp), so what was seen is always superseded.
MAX_AHEAD_MS = 5 * 60 * 1000
MAX_RESTORE = 100_000  # rows one return bundle may ask a laptop to restore


@dataclass(frozen=True)
class Result:
    applied: int
    conflicts: int
    ignored: int
    deleted: int
    already: bool = False


def known_vector(kit: Kit) -> dict[str, int]:
    """What this database has seen of every replica: the highest stamp per replica."""
    known = dict(kit.conn.execute("SELECT replica, hlc FROM _sync_seen"))
    known[kit.replica_id] = max(known.get(kit.replica_id, 0), own_high(kit))
    return known


def own_high(kit: Kit) -> int:
    """The highest stamp this database wrote: its clock, or a field version it pushed past it."""
    found = kit.conn.execute("SELECT max(hlc) FROM _field_version WHERE replica = ?", [kit.replica_id]).fetchone()
    return max(kit.hlc.last, found[0] or 0)


# -- collecting what to send -----------------------------------------------------------------


def collect(kit: Kit, since: dict[str, int], peer: str | None = None) -> tuple[list[tuple], list[tuple]]:
    """Field changes and tombstones newer than ``since`` (per replica), with current values.

    For a ``peer`` (at the hub) only rows in ``temp._scope``, and every version of those in
    ``temp._full`` (returns.py fills both)."""
    with kit.transaction():
        return _collect(kit, since, peer)


def _release_consented(kit: Kit) -> None:
    """Fields held back until consent: once given, they get a new version and travel like any edit."""
    rows = kit.conn.execute(
        "SELECT w.tbl, w.row_id, w.field FROM _sync_withheld w JOIN person p ON p.id = w.row_id "
        "WHERE w.tbl = 'person' AND p.consent_share"
    ).fetchall()
    for tbl, row_id, field in rows:
        kit._stamp(tbl, row_id, [field])
    kit.conn.executemany("DELETE FROM _sync_withheld WHERE tbl = ? AND row_id = ? AND field = ?", rows)


def _collect(kit: Kit, since: dict[str, int], peer: str | None) -> tuple[list[tuple], list[tuple]]:
    _release_consented(kit)
    conn = kit.conn
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS _since (replica TEXT PRIMARY KEY, hlc INTEGER)")
    conn.execute("DELETE FROM temp._since")
    conn.executemany("INSERT INTO temp._since VALUES (?, ?)", list(since.items()))
    select = ("SELECT fv.tbl, fv.row_id, fv.field, fv.hlc, fv.replica, fv.base_hlc, fv.base_replica "
              "FROM _field_version fv LEFT JOIN temp._since s ON s.replica = fv.replica ")
    if peer is None:
        versions = conn.execute(select + "WHERE fv.hlc > coalesce(s.hlc, 0)").fetchall()
    else:
        versions = conn.execute(  # from the laptop's rows to their versions, not the other way round
            "SELECT fv.tbl, fv.row_id, fv.field, fv.hlc, fv.replica, fv.base_hlc, fv.base_replica "
            "FROM temp._scope sc CROSS JOIN _field_version fv ON fv.tbl = sc.tbl AND fv.row_id = sc.row_id "
            "LEFT JOIN temp._since s ON s.replica = fv.replica "
            "LEFT JOIN temp._full f ON f.tbl = fv.tbl AND f.row_id = fv.row_id "
            "WHERE fv.hlc > coalesce(s.hlc, 0) OR f.row_id IS NOT NULL"
        ).fetchall()
    tombstones = conn.execute(
        "SELECT t.tbl, t.row_id, t.hlc, t.replica, t.erased FROM _tombstone t "
        "LEFT JOIN temp._since s ON s.replica = t.replica WHERE t.hlc > coalesce(s.hlc, 0)"
    ).fetchall()
    wanted: dict[str, set[str]] = defaultdict(set)
    for tbl, row_id, *_rest in versions:
        wanted[tbl].add(row_id)
    from wijkkit.validate import problem

    rows = {tbl: _rows(kit, tbl, ids) for tbl, ids in wanted.items() if tbl in kit.tables}
    sharing = {pid for pid, row in rows.get("person", {}).items() if row.get("consent_share")}
    changes, now_withheld = [], []
    for tbl, row_id, field, stamp, replica, base_hlc, base_replica in versions:
        row = rows.get(tbl, {}).get(row_id)
        if row is None or field not in row:
            continue
        if tbl == "person" and field in PRIVATE_PERSON_FIELDS and row_id not in sharing:
            now_withheld.append((tbl, row_id, field))
            continue
        if problem(tbl, field, row[field]) is not None:
            continue  # a value from before the rules (validate.py) would make the receiver refuse everything
        changes.append((tbl, row_id, field, row[field], stamp, replica, base_hlc, base_replica))
    conn.executemany("INSERT OR IGNORE INTO _sync_withheld VALUES (?, ?, ?)", now_withheld)
    return changes, tombstones


def _rows(kit: Kit, tbl: str, ids: set[str]) -> dict[str, dict]:
    conn = kit.conn
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS _ids (id TEXT PRIMARY KEY)")
    conn.execute("DELETE FROM temp._ids")
    conn.executemany("INSERT INTO temp._ids VALUES (?)", [(i,) for i in ids])
    cursor = conn.execute(f"SELECT t.* FROM [{tbl}] t JOIN temp._ids i ON i.id = t.id")
    names = [c[0] for c in cursor.description]
    return {row[0]: dict(zip(names, row, strict=True)) for row in cursor}


# -- applying what arrived ---------------------------------------------------------------------


def apply(kit: Kit, payload: Payload, label: str, sha256: str, then: Callable[[], None] | None = None,
          before: Callable[[], None] | None = None) -> Result:  # fmt: skip
    """Merge one bundle in one transaction; foreign keys are checked lazily (sync is eventual).

    ``before`` runs first and ``then`` last in that same transaction (the receiver's own record
    of the bundle): a bundle counts as applied only together with them, so a crash never leaves
    one without the other."""
    conn = kit.conn
    if conn.execute("SELECT 1 FROM _sync_applied WHERE bundle_id = ? OR sha256 = ?",
                    [payload.bundle_id, sha256]).fetchone():  # fmt: skip
        return Result(0, 0, 0, 0, already=True)
    if conn.in_transaction:
        raise RuntimeError("merge.apply runs its own transaction (foreign keys cannot be switched inside one)")
    conn.execute("PRAGMA foreign_keys = OFF")  # a step may arrive before its meeting, or outlive it
    try:
        with kit.transaction():
            if before is not None:
                before()
            deleted = _apply_tombstones(kit, payload.tombstones)
            applied, conflicts, ignored = _apply_changes(kit, payload.changes, label)
            highest: dict[str, int] = {}  # what this database has now seen of each replica
            for stamp, replica in [(c[4], c[5]) for c in payload.changes] + [(t[2], t[3]) for t in payload.tombstones]:
                highest[replica] = max(highest.get(replica, 0), stamp)
            conn.executemany("INSERT INTO _sync_seen VALUES (?, ?) ON CONFLICT (replica) DO UPDATE SET "
                             "hlc = max(hlc, excluded.hlc)", list(highest.items()))  # fmt: skip
            ahead = hlc.pack(kit.hlc.clock() + MAX_AHEAD_MS, 0)
            for stamp in highest.values():
                kit.hlc.observe(min(stamp, ahead))
            conn.execute("INSERT INTO _sync_applied VALUES (?, ?, ?, ?, ?)",
                         [payload.bundle_id, sha256, payload.sender, datetime.now().isoformat(timespec="seconds"),
                          applied])  # fmt: skip
            if then is not None:
                then()
    finally:
        conn.execute("PRAGMA foreign_keys = ON")
    return Result(applied, conflicts, ignored, deleted)


def _apply_tombstones(kit: Kit, tombstones: list[tuple]) -> int:
    conn, count = kit.conn, 0
    for tbl, row_id, stamp, replica, erased in tombstones:
        existing = conn.execute("SELECT hlc, erased FROM _tombstone WHERE tbl = ? AND row_id = ?",
                                [tbl, row_id]).fetchone()  # fmt: skip
        if existing and existing[1] >= erased and existing[0] >= stamp:
            continue
        if existing and erased > existing[1] and existing[0] >= stamp:
            # an erasure of a row that was already deleted here: restamp it, so it travels on
            # to everyone who only has the plain delete
            stamp, replica = kit.hlc.now(), kit.replica_id
        if tbl == "person":
            from wijkkit import privacy

            privacy.on_person_deleted(kit, row_id, bool(erased))
        conn.execute(f"DELETE FROM [{tbl}] WHERE id = ?", [row_id])
        conn.execute("DELETE FROM _field_version WHERE tbl = ? AND row_id = ?", [tbl, row_id])
        conn.execute("INSERT INTO _tombstone VALUES (?, ?, ?, ?, ?) ON CONFLICT (tbl, row_id) DO UPDATE SET "
                     "hlc = max(hlc, excluded.hlc), replica = CASE WHEN excluded.hlc >= hlc THEN excluded.replica "
                     "ELSE replica END, erased = max(erased, excluded.erased)",
                     [tbl, row_id, stamp, replica, erased])  # fmt: skip
        if erased:  # nothing of an erased row may survive, not even as a conflict copy
            conn.execute("DELETE FROM _sync_conflict WHERE tbl = ? AND row_id = ?", [tbl, row_id])
        kit._touched(tbl, row_id)
        count += 1
    return count


def _apply_changes(kit: Kit, changes: list[tuple], label: str) -> tuple[int, int, int]:
    conn = kit.conn
    best: dict[tuple, tuple] = {}
    for change in changes:  # a field twice in one bundle: the higher version counts
        key = change[:3]
        if key not in best or (change[4], change[5]) > (best[key][4], best[key][5]):
            best[key] = change
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS _in (tbl TEXT, row_id TEXT, field TEXT, n INTEGER)")
    conn.execute("DELETE FROM temp._in")
    incoming = list(best.values())
    conn.executemany("INSERT INTO temp._in VALUES (?, ?, ?, ?)", [(c[0], c[1], c[2], n) for n, c in enumerate(incoming)])
    current = conn.execute(
        "SELECT i.n, fv.hlc, fv.replica, fv.base_hlc, fv.base_replica, t.erased FROM temp._in i "
        "LEFT JOIN _field_version fv ON fv.tbl = i.tbl AND fv.row_id = i.row_id AND fv.field = i.field "
        "LEFT JOIN _tombstone t ON t.tbl = i.tbl AND t.row_id = i.row_id"
    ).fetchall()
    wins, losers_here, losers_incoming, ignored = [], [], [], 0
    for n, cur_hlc, cur_replica, cur_base_hlc, cur_base_replica, erased in current:
        tbl, row_id, field, value, stamp, replica, base_hlc, base_replica = incoming[n]
        if erased is not None:
            if not erased:  # an edit of a deleted row: kept for review, not brought back
                losers_incoming.append((incoming[n], None, None, None, "deleted"))
            ignored += 1
            continue
        if cur_hlc is None:
            wins.append(incoming[n])
        elif (stamp, replica) == (cur_hlc, cur_replica):
            ignored += 1
        elif (stamp, replica) > (cur_hlc, cur_replica):
            wins.append(incoming[n])
            if (base_hlc, base_replica) != (cur_hlc, cur_replica):
                losers_here.append((incoming[n], cur_hlc, cur_replica))
        else:
            ignored += 1
            if (cur_base_hlc, cur_base_replica) != (stamp, replica):
                losers_incoming.append((incoming[n], None, cur_hlc, cur_replica, "concurrent"))
    _record_conflicts(kit, losers_here, losers_incoming, label)
    _write(kit, wins)
    return len(wins), len(losers_here) + len(losers_incoming), ignored


def _record_conflicts(kit: Kit, losers_here: list, losers_incoming: list, label: str) -> None:
    """Keep every losing value: ours replaced by a concurrent write, or theirs that lost."""
    found, rows = datetime.now().isoformat(timespec="seconds"), []
    for change, cur_hlc, cur_replica in losers_here:
        tbl, row_id, field, value, stamp, replica = change[:6]
        local = kit.conn.execute(f"SELECT [{field}] FROM [{tbl}] WHERE id = ?", [row_id]).fetchone()
        rows.append((tbl, row_id, field, local[0] if local else None, cur_hlc, cur_replica, value, stamp, replica,
                     "concurrent", label, found))  # fmt: skip
    for change, _none, cur_hlc, cur_replica, reason in losers_incoming:
        tbl, row_id, field, value, stamp, replica = change[:6]
        kept = kit.conn.execute(f"SELECT [{field}] FROM [{tbl}] WHERE id = ?", [row_id]).fetchone()
        rows.append((tbl, row_id, field, value, stamp, replica, kept[0] if kept else None, cur_hlc, cur_replica,
                     reason, label, found))  # fmt: skip
    known = {tuple(r) for r in kit.conn.execute("SELECT tbl, row_id, field, hlc, replica FROM _sync_conflict")} \
        if rows else set()  # fmt: skip
    fresh, seen = [], set()
    for row in rows:  # a losing value is kept once, however often its bundle comes round
        key = (row[0], row[1], row[2], row[4], row[5])
        if key not in known and key not in seen:
            seen.add(key)
            fresh.append(row)
    kit.conn.executemany(
        "INSERT INTO _sync_conflict (tbl, row_id, field, value, hlc, replica, kept_value, kept_hlc, kept_replica, "
        "reason, bundle, found_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", fresh)


def _write(kit: Kit, wins: list[tuple]) -> None:
    """Put the winning values in place: one upsert per row with all its winning fields, rows with
    the same fields grouped into one executemany (a new row arrives with all of them at once)."""
    conn = kit.conn
    rows: dict[tuple[str, str], dict[str, object]] = defaultdict(dict)
    for tbl, row_id, field, value, *_rest in wins:
        rows[(tbl, row_id)][field] = value
    shapes: dict[tuple[str, tuple[str, ...]], list] = defaultdict(list)
    for (tbl, row_id), values in rows.items():
        fields = tuple(sorted(values))
        shapes[(tbl, fields)].append((row_id, *(values[f] for f in fields)))
        kit._touched(tbl, row_id)
    for (tbl, fields), values in shapes.items():
        columns = ", ".join(f"[{f}]" for f in fields)
        updates = ", ".join(f"[{f}] = excluded.[{f}]" for f in fields)
        conn.executemany(f"INSERT INTO [{tbl}] (id, {columns}) VALUES ({', '.join('?' * (len(fields) + 1))}) "
                         f"ON CONFLICT (id) DO UPDATE SET {updates}", values)  # fmt: skip
    conn.executemany(
        "INSERT INTO _field_version VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tbl, row_id, field) DO UPDATE SET "
        "hlc = excluded.hlc, replica = excluded.replica, base_hlc = excluded.base_hlc, "
        "base_replica = excluded.base_replica",
        [(c[0], c[1], c[2], c[4], c[5], c[6], c[7]) for c in wins],
    )


def open_conflicts(kit: Kit) -> list[dict]:
    return kit.query("SELECT * FROM _sync_conflict WHERE resolved_at IS NULL ORDER BY id")


def settled_conflicts(kit: Kit) -> list[dict]:
    """Conflicts already settled, the latest first, with how (``resolution``: see RESOLUTIONS)."""
    return kit.query("SELECT * FROM _sync_conflict WHERE resolved_at IS NOT NULL ORDER BY resolved_at DESC, id DESC")


# How a conflict was settled, by the choice made: the current value stayed, the other value
# replaced it, or the coordinator settled it some other way (e.g. edited the item to combine both).
RESOLUTIONS = {"mine": "kept", "theirs": "took_other", "resolved": "by_hand"}


def resolve(kit: Kit, conflict_id: int, keep: str) -> str | None:
    """Settle a conflict and record how; returns the resolution recorded (None: no such conflict).

    'mine' leaves the current value as it is ('kept'). 'theirs' writes the other value as a new
    edit, which travels to every laptop ('took_other'); when the item was deleted meanwhile,
    nothing can be taken back and the deletion stays ('kept'). 'resolved' writes nothing: the
    coordinator settled it by hand, e.g. by editing the item to combine both values ('by_hand').
    """
    if keep not in RESOLUTIONS:
        raise ValueError(f"keep must be one of {sorted(RESOLUTIONS)}, not {keep!r}")
    row = kit.query("SELECT * FROM _sync_conflict WHERE id = ?", [conflict_id])
    if not row:
        return None
    conflict, resolution = row[0], RESOLUTIONS[keep]
    with kit.transaction():
        if keep == "theirs":
            if kit.row(conflict["tbl"], conflict["row_id"]) is None:
                resolution = RESOLUTIONS["mine"]
            else:
                kit.update(conflict["tbl"], conflict["row_id"], {conflict["field"]: conflict["value"]})
        kit.conn.execute("UPDATE _sync_conflict SET resolved_at = ?, resolution = ? WHERE id = ?",
                         [datetime.now().isoformat(timespec="seconds"), resolution, conflict_id])  # fmt: skip
    return resolution
