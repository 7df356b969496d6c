"""What the next bundle carries, with the privacy rules applied, read without writing anything.

``merge.collect`` sends what ``gather`` finds and then writes its bookkeeping (fields held back,
texts sent redacted); ``preview`` shows the same without that bookkeeping. The rules:

- a person without consent to share ("Delen") travels without the fields in
  ``merge.PRIVATE_PERSON_FIELDS``: they are remembered in ``_sync_withheld`` and sent once the
  person shares;
- every free-text field (privacy.FREE_TEXT) travels with the names, e-mail addresses and phone
  numbers of such people replaced (wijkkit.redact): from a laptop, and in the hub's return bundles
  (the hub knows by name only the people registered at the hub; a laptop's non-sharing people have
  no name there). The sent text differs from the stored one but carries the stored version, so the
  receivers converge on the redacted text, and when it comes back with that same version the
  sender keeps its own (merge ignores a version it already has). A replica's own redacted fields
  are remembered in ``_meta`` (``sent_redacted:<table>:<id>:<field>`` = a hash of the text sent;
  one key per field, also when the hub sends it to several laptops: the text is redacted the same
  way for each); when that text would now be sent differently (the person began to share, was
  renamed or erased), the field gets a new version and travels again (``restamp``).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from wijkkit.privacy import FREE_TEXT
from wijkkit.redact import Redactor, sent_replacement

if TYPE_CHECKING:
    from wijkkit.kit import Kit

REDACTED = "sent_redacted:"


@dataclass
class Outgoing:
    changes: list[tuple] = field(
        default_factory=list
    )  # (tbl, row_id, field, value, hlc, replica, base_hlc, base_replica)
    tombstones: list[tuple] = field(default_factory=list)
    withheld: list[tuple[str, str, str]] = field(default_factory=list)  # person fields held back
    redacted: dict[tuple[str, str, str], str] = field(
        default_factory=dict
    )  # (tbl, row_id, field) -> stored text
    skipped: int = 0  # values from before the rules (validate.py) the receiver would refuse


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def laptop_redactor(kit: Kit) -> Redactor:
    """The names this database holds of people without "Delen", replaced as text leaves it (also
    the hub's: the people registered there)."""
    return Redactor.for_kit(kit, sent_replacement())


def as_sent(redactor: Redactor, tbl: str, name: str, value: str) -> str:
    """``value`` as it leaves the laptop: redacted, and never longer than the column allows."""
    from wijkkit.validate import problem

    sent = redactor.text(value)
    if sent != value and len(sent) > len(value) and problem(tbl, name, sent) is not None:
        sent = sent[: len(value)]  # a replacement longer than the name must not make it too long
    return sent


def gather(
    kit: Kit, since: dict[str, int], peer: str | None, redactor: Redactor | None = None
) -> Outgoing:
    """Field changes and tombstones newer than ``since`` (per replica), with the values as sent.

    For a ``peer`` (at the hub) only rows in ``temp._scope``, and every version of those in
    ``temp._full`` (returns.py fills both). ``redactor``: made here when not given."""
    from wijkkit.sync.merge import PRIVATE_PERSON_FIELDS
    from wijkkit.validate import problem

    conn = kit.conn
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS _since (replica TEXT PRIMARY KEY, hlc INTEGER)")
    conn.execute("DELETE FROM temp._since")
    conn.executemany("INSERT INTO temp._since VALUES (?, ?)", list(since.items()))
    if peer is None:
        versions = conn.execute(
            "SELECT fv.tbl, fv.row_id, fv.field, fv.hlc, fv.replica, fv.base_hlc, fv.base_replica "
            "FROM _field_version fv LEFT JOIN temp._since s ON s.replica = fv.replica "
            "WHERE fv.hlc > coalesce(s.hlc, 0)").fetchall()  # fmt: skip
    else:
        versions = conn.execute(  # from the laptop's rows to their versions, not the other way round
            "SELECT fv.tbl, fv.row_id, fv.field, fv.hlc, fv.replica, fv.base_hlc, fv.base_replica "
            "FROM temp._scope sc CROSS JOIN _field_version fv ON fv.tbl = sc.tbl AND fv.row_id = sc.row_id "
            "LEFT JOIN temp._since s ON s.replica = fv.replica "
            "LEFT JOIN temp._full f ON f.tbl = fv.tbl AND f.row_id = fv.row_id "
            "WHERE fv.hlc > coalesce(s.hlc, 0) OR f.row_id IS NOT NULL"
        ).fetchall()
    redactor = redactor if redactor is not None else laptop_redactor(kit)
    out = Outgoing()
    out.tombstones = conn.execute(
        "SELECT t.tbl, t.row_id, t.hlc, t.replica, t.erased FROM _tombstone t "
        "LEFT JOIN temp._since s ON s.replica = t.replica WHERE t.hlc > coalesce(s.hlc, 0)"
    ).fetchall()
    wanted: dict[str, set[str]] = defaultdict(set)
    for tbl, row_id, *_rest in versions:
        wanted[tbl].add(row_id)
    rows = {tbl: _rows(kit, tbl, ids) for tbl, ids in wanted.items() if tbl in kit.tables}
    sharing = {pid for pid, row in rows.get("person", {}).items() if row.get("consent_share")}
    texts = FREE_TEXT if redactor else {}
    for tbl, row_id, name, stamp, replica, base_hlc, base_replica in versions:
        row = rows.get(tbl, {}).get(row_id)
        if row is None or name not in row:
            continue
        if tbl == "person" and name in PRIVATE_PERSON_FIELDS and row_id not in sharing:
            out.withheld.append((tbl, row_id, name))
            continue
        value = row[name]
        if (
            name in texts.get(tbl, ())
            and isinstance(value, str)
            and value
            and redactor.touches(value)
        ):  # type: ignore[union-attr]
            sent = as_sent(redactor, tbl, name, value)  # type: ignore[arg-type]
            if sent != value:
                out.redacted[(tbl, row_id, name)] = value
                value = sent
        if problem(tbl, name, value) is not None:
            out.skipped += 1
            continue  # a value from before the rules (validate.py) would make the receiver refuse everything
        out.changes.append((tbl, row_id, name, value, stamp, replica, base_hlc, base_replica))
    return out


def _rows(kit: Kit, tbl: str, ids: set[str]) -> dict[str, dict]:
    conn = kit.conn
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS _ids (id TEXT PRIMARY KEY)")
    conn.execute("DELETE FROM temp._ids")
    conn.executemany("INSERT INTO temp._ids VALUES (?)", [(i,) for i in ids])
    cursor = conn.execute(f"SELECT t.* FROM [{tbl}] t JOIN temp._ids i ON i.id = t.id")
    names = [c[0] for c in cursor.description]
    return {row[0]: dict(zip(names, row, strict=True)) for row in cursor}


def stale_redactions(kit: Kit, redactor: Redactor) -> tuple[list[tuple[str, str, str]], list[str]]:
    """This laptop's fields sent redacted whose text would now be sent differently (to send again),
    and the remembered keys of rows that are gone (to forget)."""
    resend, gone = [], []
    for key, sent in kit.conn.execute(
        "SELECT key, value FROM _meta WHERE key LIKE ?", [REDACTED + "%"]
    ).fetchall():
        tbl, row_id, name = key[len(REDACTED) :].split(":", 2)
        if name not in FREE_TEXT.get(tbl, ()):
            gone.append(key)
            continue
        found = kit.conn.execute(f"SELECT [{name}] FROM [{tbl}] WHERE id = ?", [row_id]).fetchone()
        if found is None or not isinstance(found[0], str):
            gone.append(key)
        elif digest(as_sent(redactor, tbl, name, found[0])) != sent:
            resend.append((tbl, row_id, name))
    return resend, gone


def restamp(kit: Kit, redactor: Redactor, resend: list[tuple[str, str, str]]) -> None:
    """Fields sent redacted before that would now be sent otherwise: a new version, and the hash of
    the text now sent (or none, sent whole). Written here, not only when sent (``remember``): at the
    hub a field may lie outside the laptop whose bundle is made now, and must not be stamped again
    for each laptop."""
    for tbl, row_id, name in resend:
        kit._stamp(tbl, row_id, [name])
        found = kit.conn.execute(f"SELECT [{name}] FROM [{tbl}] WHERE id = ?", [row_id]).fetchone()
        stored = found[0] if found is not None else None
        sent = as_sent(redactor, tbl, name, stored) if isinstance(stored, str) else stored
        key = f"{REDACTED}{tbl}:{row_id}:{name}"
        if isinstance(sent, str) and sent != stored:
            kit.conn.execute("INSERT INTO _meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET "
                             "value = excluded.value", [key, digest(sent)])  # fmt: skip
        else:
            kit.conn.execute("DELETE FROM _meta WHERE key = ?", [key])


def remember(kit: Kit, out: Outgoing) -> None:
    """Keep, for this laptop's own fields, a hash of each redacted text sent; forget the ones sent whole."""
    known = {
        key
        for (key,) in kit.conn.execute("SELECT key FROM _meta WHERE key LIKE ?", [REDACTED + "%"])
    }
    own, sent, forget = kit.replica_id, [], []
    for tbl, row_id, name, value, _stamp, replica, *_base in out.changes:
        key = f"{REDACTED}{tbl}:{row_id}:{name}"
        if (tbl, row_id, name) in out.redacted and replica == own:
            sent.append((key, digest(value)))
        elif key in known:
            forget.append((key,))
    kit.conn.executemany("INSERT INTO _meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET "
                         "value = excluded.value", sent)  # fmt: skip
    kit.conn.executemany("DELETE FROM _meta WHERE key = ?", forget)
