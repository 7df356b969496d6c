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

# Persons without consent to share ("Delen") travel without these fields; their names are also
# replaced in free text sent from a laptop (sync/outgoing.py). Role and organisation ("Thuiszorg
# Oost") can identify a person as well as a name can; the hub shows such a person's role as not shared.
PRIVATE_PERSON_FIELDS = ("name", "role", "organisation", "email", "phone", "notes")
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
    found = kit.conn.execute(
        "SELECT max(hlc) FROM _field_version WHERE replica = ?", [kit.replica_id]
    ).fetchone()
    return max(kit.hlc.last, found[0] or 0)


# -- collecting what to send -----------------------------------------------------------------


def collect(
    kit: Kit, since: dict[str, int], peer: str | None = None
) -> tuple[list[tuple], list[tuple]]:
    """Field changes and tombstones newer than ``since`` (per replica), with the values as sent.

    For a ``peer`` (at the hub) only rows in ``temp._scope``, and every version of those in
    ``temp._full`` (returns.py fills both). The privacy rules and the read-only part are in
    sync/outgoing.py (preview.py shows the same); this writes the bookkeeping that goes with sending."""
    from wijkkit.sync import outgoing

    with kit.transaction():
        _release_consented(kit)
        redactor = outgoing.laptop_redactor(kit)  # on a laptop and at the hub (its return bundles)
        resend, gone = outgoing.stale_redactions(kit, redactor)
        outgoing.restamp(kit, redactor, resend)  # sent redacted, now sent otherwise: a new version
        kit.conn.executemany("DELETE FROM _meta WHERE key = ?", [(key,) for key in gone])
        found = outgoing.gather(kit, since, peer, redactor)
        kit.conn.executemany(
            "INSERT OR IGNORE INTO _sync_withheld VALUES (?, ?, ?)", found.withheld
        )
        outgoing.remember(kit, found)
        return found.changes, found.tombstones


def releasable(kit: Kit) -> tuple[list[tuple], dict[str, list[str]]]:
    """Fields held back until consent whose person now shares: the ``_sync_withheld`` rows, and per
    person every field sending gives a new version (``_release_consented``; preview.py shows them)."""
    rows = kit.conn.execute(
        "SELECT w.tbl, w.row_id, w.field FROM _sync_withheld w JOIN person p ON p.id = w.row_id "
        "WHERE w.tbl = 'person' AND p.consent_share"
    ).fetchall()
    held: dict[str, set[str]] = defaultdict(set)
    for _tbl, row_id, field in rows:
        held[row_id].add(field)
    fields: dict[str, list[str]] = {}
    for (
        row_id,
        names,
    ) in held.items():  # a field never written (the role 'inwoner' by default) goes too:
        stamped = {f for (f,) in kit.conn.execute(  # a withdrawal emptied it at the hub
            "SELECT field FROM _field_version WHERE tbl = 'person' AND row_id = ?", [row_id])}  # fmt: skip
        row = kit.row("person", row_id) or {}
        unwritten = {
            f for f in PRIVATE_PERSON_FIELDS if f not in stamped and row.get(f) is not None
        }
        fields[row_id] = sorted(names | unwritten)
    return [tuple(r) for r in rows], fields


def _release_consented(kit: Kit) -> None:
    """Fields held back until consent: once given, they get a new version and travel like any edit."""
    rows, fields = releasable(kit)
    for row_id, names in fields.items():
        kit._stamp("person", row_id, names)
    kit.conn.executemany(
        "DELETE FROM _sync_withheld WHERE tbl = ? AND row_id = ? AND field = ?", rows
    )


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
        raise RuntimeError(
            "merge.apply runs its own transaction (foreign keys cannot be switched inside one)"
        )
    conn.execute("PRAGMA foreign_keys = OFF")  # a step may arrive before its meeting, or outlive it
    from wijkkit.sync import forget  # erasures and withdrawals of people registered elsewhere

    erased: forget.Erased = []
    try:
        with kit.transaction():
            if before is not None:
                before()
            erased = forget.before_apply(kit, payload)
            deleted = _apply_tombstones(kit, payload.tombstones)
            applied, conflicts, ignored = _apply_changes(
                kit, forget.admitted(kit, payload.changes), label
            )
            forget.after_apply(kit, payload, erased)
            correct_arrived(kit, payload.changes)
            highest = _highest(payload)  # what this database has now seen of each replica
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
    if (
        erased
    ):  # a person erased here: once per bundle, outside its transaction, no trace in the file
        from wijkkit import privacy

        privacy.compact(kit)
    return Result(applied, conflicts, ignored, deleted)


def _highest(payload: Payload) -> dict[str, int]:
    """The highest stamp per replica among the bundle's changes and tombstones."""
    highest: dict[str, int] = {}
    seen = highest.get
    for change in payload.changes:
        if change[4] > seen(change[5], -1):
            highest[change[5]] = change[4]
    for _tbl, _row, stamp, replica, _erased in payload.tombstones:
        if stamp > seen(replica, -1):
            highest[replica] = stamp
    return highest


def correct_arrived(kit: Kit, changes: list[tuple]) -> int:
    """Free text another replica wrote that arrived (its version is now the one here) and names a
    person without "Delen" whom this database knows by name (its own registered people: the writer
    may never have had the name, so could not replace it): replaced as this replica's own edit,
    which travels, so the hub and the writer get the replaced text at the next sync. A corrected
    text names no one this database knows, so it is not corrected again; one Redactor per bundle.
    Returns how many fields were corrected."""
    from wijkkit.errors import KitError
    from wijkkit.privacy import FREE_TEXT
    from wijkkit.sync import outgoing

    def arrived_text(c: tuple) -> bool:
        return c[2] in FREE_TEXT.get(c[0], ()) and c[5] != kit.replica_id and isinstance(c[3], str) and bool(c[3])

    if not any(map(arrived_text, changes)):  # the redactor reads every person: only for some text
        return 0
    redactor = outgoing.laptop_redactor(kit)
    if not redactor:  # a hub usually knows no withheld name: then this is all
        return 0
    texts = {c[:3]: c for c in changes if arrived_text(c)}
    corrected, touches = 0, {}  # per text: whether it may name someone (the same text often comes again)
    for (tbl, row_id, name), change in texts.items():
        if (touched := touches.get(change[3])) is None:
            touched = touches[change[3]] = redactor.touches(change[3])
        if not touched:
            continue
        current = kit.conn.execute("SELECT hlc, replica FROM _field_version WHERE tbl = ? AND row_id = ? AND field = ?",
                                   [tbl, row_id, name]).fetchone()  # fmt: skip
        if current is None or tuple(current) != tuple(change[4:6]):
            continue  # not written here (an older or the same version): nothing arrived
        stored = kit.conn.execute(f"SELECT [{name}] FROM [{tbl}] WHERE id = ?", [row_id]).fetchone()
        if stored is None or not isinstance(stored[0], str):
            continue
        sent = outgoing.as_sent(redactor, tbl, name, stored[0])
        if sent == stored[0]:
            continue
        try:
            kit.update(tbl, row_id, {name: sent})
        except (ValueError, KitError):
            continue  # cannot be stored as an edit: it is sent redacted all the same
        corrected += 1
    return corrected


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
    """Compare every change with the field's current version here; the winners are written.

    The current versions are read per row (the range of ``_field_version`` of each row in
    ``temp._in_row``, which the CROSS JOIN keeps the outer loop), not per field: a bundle of new
    rows costs one lookup per row and no comparison at all."""
    conn = kit.conn
    rows, incoming = _by_row(changes)
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS _in_row (tbl TEXT, row_id TEXT)")
    conn.execute("DELETE FROM temp._in_row")
    conn.executemany("INSERT INTO temp._in_row VALUES (?, ?)", rows)
    current = {row[:3]: row[3:] for row in conn.execute(
        "SELECT fv.tbl, fv.row_id, fv.field, fv.hlc, fv.replica, fv.base_hlc, fv.base_replica FROM temp._in_row i "
        "CROSS JOIN _field_version fv ON fv.tbl = i.tbl AND fv.row_id = i.row_id")}  # fmt: skip
    deleted = {(t, r): erased for t, r, erased in conn.execute(
        "SELECT t.tbl, t.row_id, t.erased FROM temp._in_row i CROSS JOIN _tombstone t ON t.tbl = i.tbl AND t.row_id = i.row_id")}  # fmt: skip
    if not current and not deleted:  # only new rows: every change wins
        _write(kit, incoming, rows)
        return len(incoming), 0, 0
    # A losing change this database had seen before (a bundle delivered again, or late, or passed
    # on) was judged when it first came: it won then, or was kept as a conflict. Kept again now, it
    # would be an old text as a "conflict": one a correction two edits later replaced (its base
    # names only the last edit), with the names the correction took out (issue 13's review).
    seen = dict(conn.execute("SELECT replica, hlc FROM _sync_seen"))
    wins, losers_here, losers_incoming, ignored = [], [], [], 0
    for change in incoming:
        if deleted and (erased := deleted.get((change[0], change[1]))) is not None:
            if not erased:  # an edit of a deleted row: kept for review, not brought back
                losers_incoming.append((change, None, None, None, "deleted"))
            ignored += 1
            continue
        found = current.get(change[:3])
        if found is None:
            wins.append(change)
            continue
        cur_hlc, cur_replica, cur_base_hlc, cur_base_replica = found
        stamp, replica = change[4], change[5]
        if (stamp, replica) == (cur_hlc, cur_replica):
            ignored += 1
        elif (stamp, replica) > (cur_hlc, cur_replica):
            wins.append(change)
            if (change[6], change[7]) != (cur_hlc, cur_replica):
                losers_here.append((change, cur_hlc, cur_replica))
        else:
            ignored += 1
            if (cur_base_hlc, cur_base_replica) != (stamp, replica) and stamp > seen.get(replica, -1):
                losers_incoming.append((change, None, cur_hlc, cur_replica, "concurrent"))
    _record_conflicts(kit, losers_here, losers_incoming, label)
    _write(kit, wins)
    return len(wins), len(losers_here) + len(losers_incoming), ignored


Rows = dict[tuple[str, str], dict[str, tuple]]  # per (table, row id): per field its change


def _by_row(changes: list[tuple]) -> tuple[Rows, list[tuple]]:
    """The changes per row, one per field: of a field that comes twice in one bundle, the higher
    version. Also the changes one per field in the order the fields first appear (a bundle usually
    has each field once: then that is ``changes`` itself)."""
    rows: Rows = {}
    twice = False
    for change in changes:
        key = change[0], change[1]
        fields = rows.get(key)
        if fields is None:
            rows[key] = {change[2]: change}
        elif (old := fields.get(change[2])) is None:
            fields[change[2]] = change
        else:
            twice = True
            if (change[4], change[5]) > (old[4], old[5]):
                fields[change[2]] = change
    if not twice:
        return rows, changes
    best: dict[tuple, tuple] = {}
    for change in changes:
        key = change[:3]
        if key not in best or (change[4], change[5]) > (best[key][4], best[key][5]):
            best[key] = change
    return rows, list(best.values())


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
        "reason, bundle, found_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        fresh,
    )


def _write(kit: Kit, wins: list[tuple], rows: Rows | None = None) -> None:
    """Put the winning values in place: one upsert per row with all its winning fields, rows with
    the same fields grouped into one executemany (a new row arrives with all of them at once).
    ``rows``: ``wins`` per row, when the caller has them already (``_by_row``).
    Versions without a base are written with NULL in the statement: sqlcipher3 binds a None
    parameter slowly (an adapter lookup per value), as slowly as the rest of the row together."""
    conn = kit.conn
    if rows is None:
        rows = {}
        for change in wins:
            key = change[0], change[1]
            if (fields := rows.get(key)) is None:
                rows[key] = {change[2]: change}
            else:
                fields[change[2]] = change
    shapes: dict[tuple[str, tuple[str, ...]], list] = defaultdict(list)
    ordered: dict[tuple[str, ...], tuple[str, ...]] = {}
    for (tbl, row_id), fields in rows.items():
        names = tuple(fields)
        if (sorted_names := ordered.get(names)) is None:
            sorted_names = ordered[names] = tuple(sorted(names))
        shapes[(tbl, sorted_names)].append((row_id, *[fields[f][3] for f in sorted_names]))
        kit._touched(tbl, row_id)
    for (tbl, names), values in shapes.items():
        columns = ", ".join(f"[{f}]" for f in names)
        updates = ", ".join(f"[{f}] = excluded.[{f}]" for f in names)
        conn.executemany(f"INSERT INTO [{tbl}] (id, {columns}) VALUES ({', '.join('?' * (len(names) + 1))}) "
                         f"ON CONFLICT (id) DO UPDATE SET {updates}", values)  # fmt: skip
    upsert = ("INSERT INTO _field_version VALUES ({}) ON CONFLICT (tbl, row_id, field) DO UPDATE SET "
              "hlc = excluded.hlc, replica = excluded.replica, base_hlc = excluded.base_hlc, "
              "base_replica = excluded.base_replica")  # fmt: skip
    conn.executemany(upsert.format("?, ?, ?, ?, ?, NULL, NULL"),
                     [(c[0], c[1], c[2], c[4], c[5]) for c in wins if c[6] is None and c[7] is None])  # fmt: skip
    conn.executemany(upsert.format("?, ?, ?, ?, ?, ?, ?"), [(c[0], c[1], c[2], c[4], c[5], c[6], c[7]) for c in wins
                                                            if c[6] is not None or c[7] is not None])  # fmt: skip


def open_conflicts(kit: Kit) -> list[dict]:
    return kit.query("SELECT * FROM _sync_conflict WHERE resolved_at IS NULL ORDER BY id")


def settled_conflicts(kit: Kit) -> list[dict]:
    """Conflicts already settled, the latest first, with how (``resolution``: see RESOLUTIONS)."""
    return kit.query(
        "SELECT * FROM _sync_conflict WHERE resolved_at IS NOT NULL ORDER BY resolved_at DESC, id DESC"
    )


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
                kit.update(
                    conflict["tbl"], conflict["row_id"], {conflict["field"]: conflict["value"]}
                )
        kit.conn.execute("UPDATE _sync_conflict SET resolved_at = ?, resolution = ? WHERE id = ?",
                         [datetime.now().isoformat(timespec="seconds"), resolution, conflict_id])  # fmt: skip
    return resolution
