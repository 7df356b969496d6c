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
            highest: dict[str, int] = {}  # what this database has now seen of each replica
            for stamp, replica in [(c[4], c[5]) for c in payload.changes] + [
                (t[2], t[3]) for t in payload.tombstones
            ]:
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
    if (
        erased
    ):  # a person erased here: once per bundle, outside its transaction, no trace in the file
        from wijkkit import privacy

        privacy.compact(kit)
    return Result(applied, conflicts, ignored, deleted)


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

    redactor = outgoing.laptop_redactor(kit)  # first: a hub usually knows no withheld name, then this is all
    if not redactor:
        return 0
    texts = {c[:3]: c for c in changes if c[2] in FREE_TEXT.get(c[0], ()) and c[5] != kit.replica_id
             and isinstance(c[3], str) and c[3]}  # fmt: skip
    corrected = 0
    for (tbl, row_id, name), change in texts.items():
        if not redactor.touches(change[3]):
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
    conn = kit.conn
    best: dict[tuple, tuple] = {}
    for change in changes:  # a field twice in one bundle: the higher version counts
        key = change[:3]
        if key not in best or (change[4], change[5]) > (best[key][4], best[key][5]):
            best[key] = change
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS _in (tbl TEXT, row_id TEXT, field TEXT, n INTEGER)"
    )
    conn.execute("DELETE FROM temp._in")
    incoming = list(best.values())
    conn.executemany(
        "INSERT INTO temp._in VALUES (?, ?, ?, ?)",
        [(c[0], c[1], c[2], n) for n, c in enumerate(incoming)],
    )
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
        "reason, bundle, found_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        fresh,
    )


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
