"""Withdrawal and erasure on every replica: what a database does with a person it did not register.

An erasure travels as an *erased* tombstone; a withdrawal of "Delen" as the consent flag going
to 0 with its consent record. Both are carried out where the person was registered (their
*home*: the laptop that brought them to the hub, or the hub for people registered there). Every
other replica, when it applies them (``before_apply``/``after_apply``, in the merge's transaction):

* replaces the person in its own free text first: erased values by "[verwijderd]", the name of
  a person who withdrew by "(naam niet gedeeld)". Text this replica wrote, also a draft not yet
  sent, is changed as an edit that travels (so a copy of it that reaches the hub later is
  superseded); text another replica wrote is changed here only, because its writer does the same
  (when it knows the name: see below);
* after a withdrawal, empties the person's private fields (merge.PRIVATE_PERSON_FIELDS) *and
  forgets their versions*, without a new version: the replica is left as if the name had never
  been shared, so nothing travels back, and a later "Delen" (which stamps the fields anew at
  home, see ``hold_back``) wins everywhere. A copy of a private field sent before the withdrawal
  and arriving after it is not written at all (``admitted``), so a bundle applied twice is still
  applied once.

The home keeps the person's data: ``hold_back`` marks the private fields withheld there, so that
a later "Delen" sends them again (merge._release_consented). A writer can only replace a name it
had: a name typed on laptop B of someone laptop A registered without "Delen" reaches the hub as
typed. So the home corrects text other replicas wrote as an edit that travels, stamped by the
home: as it arrives, when it names a person without "Delen" (``merge.correct_arrived``: the hub
and B get the correction when A next syncs, and A's erasure later finds the text A's own, so its
replacement travels too), and on a withdrawal, for text written while the person still shared
(``correct_others``). A name that reaches the home only after it erased the person is not found:
the home no longer knows it. Why this converges: every value left on a non-home replica after a
withdrawal is either gone, or a text whose writer or the person's home will replace it with a
newer version, and a corrected text is not corrected again; the highest version wins everywhere
(merge.py), whatever the order.

``note_sent`` remembers on which days a laptop's bundles carried a person's data (``_meta``
``sent:<person id>``), for the inzage (``inzage``).
"""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any

from wijkkit import privacy
from wijkkit.sync import scope

if TYPE_CHECKING:
    from wijkkit.kit import Kit
    from wijkkit.sync.bundle import Payload

Erased = list[
    tuple[list[str], dict[str, Any] | None]
]  # per erased person: values, and the row if still here
PERSON_LINK = {"consent_record": "person_id", "attendance": "person_id", "offer": "person_id", "need": "person_id",
               "agreement": "owner_person_id"}  # fmt: skip


def _private() -> tuple[str, ...]:
    from wijkkit.sync.merge import PRIVATE_PERSON_FIELDS

    return PRIVATE_PERSON_FIELDS


def before_apply(kit: Kit, payload: Payload) -> Erased:
    """The identifying values of every person this bundle erases, read before their row goes."""
    found: Erased = []
    for tbl, row_id, _stamp, _replica, erased in payload.tombstones:
        if tbl != "person" or not erased:
            continue
        row = kit.row("person", row_id)
        if row is not None:
            found.append((privacy.identifying_values(row), row))
        elif stored := kit._meta(f"deleted_person:{row_id}"):  # deleted plainly here before
            found.append((json.loads(stored), None))
    return found


def admitted(kit: Kit, changes: list[tuple]) -> list[tuple]:
    """The changes to apply, less private fields of a person registered elsewhere who does not share
    (as this bundle leaves them): a copy of a name sent before a withdrawal and arriving after it is
    not written again, so applying a bundle twice stays the same as once."""
    people = {c[1] for c in changes if c[0] == "person" and c[2] in _private()}
    if not people:
        return changes
    shares: dict[str, tuple] = {}
    for change in changes:
        if change[0] == "person" and change[2] == "consent_share" and change[1] in people:
            if change[1] not in shares or change[4:6] > shares[change[1]][4:6]:
                shares[change[1]] = change
    closed = set()
    for person_id in people:
        row = kit.row("person", person_id)
        if row is None or is_home(kit, person_id):
            continue  # a new person comes with the consent the hub accepted (see after_apply)
        sharing = row.get("consent_share")
        if (incoming := shares.get(person_id)) is not None:
            current = kit.conn.execute("SELECT hlc, replica FROM _field_version WHERE tbl = 'person' AND row_id = ? "
                                       "AND field = 'consent_share'", [person_id]).fetchone()  # fmt: skip
            if current is None or incoming[4:6] > tuple(current):
                sharing = incoming[3]
        if not sharing:
            closed.add(person_id)
    return [c for c in changes if not (c[0] == "person" and c[1] in closed and c[2] in _private())]


def after_apply(kit: Kit, payload: Payload, erased: Erased) -> None:
    """After the bundle's tombstones and changes: scrub erased people from the free text here, and
    carry out withdrawals of people registered elsewhere."""
    for values, row in erased:
        if values:
            privacy.scrub_free_text(kit, values, row, privacy.erased_replacement())
    withdrawn = {
        c[1] for c in payload.changes if c[0] == "person" and c[2] == "consent_share" and not c[3]
    }
    for person_id in dict.fromkeys(c[1] for c in payload.changes if c[0] == "person"):
        withdraw_here(kit, person_id, carried=person_id in withdrawn)


def withdraw_here(kit: Kit, person_id: str, carried: bool = False) -> bool:
    """A person who does not share, registered elsewhere: replace them in the free text here and
    empty their private fields. ``carried``: the bundle brought the withdrawal itself, so values
    this replica typed go too; otherwise only values that came from elsewhere (a late copy)."""
    row = kit.row("person", person_id)
    if row is None or row.get("consent_share") or is_home(kit, person_id):
        return False
    fields = [f for f in _private() if f in row and row[f] not in (None, "")]
    if not carried:
        ours = {f for (f,) in kit.conn.execute("SELECT field FROM _field_version WHERE tbl = 'person' AND row_id = ? "
                                               "AND replica = ?", [person_id, kit.replica_id])}  # fmt: skip
        fields = [f for f in fields if f not in ours]
    if not fields:
        return False
    values = privacy.identifying_values({f: row[f] for f in fields})
    from wijkkit.redact import sent_replacement

    replacement = sent_replacement()
    if values:
        privacy.scrub_free_text(
            kit,
            values,
            {"id": person_id, **{f: row[f] for f in fields}},
            replacement,
            skip=("person", person_id),
        )
        privacy.scrub_conflicts(kit, values, replacement)
    marks = ", ".join("?" * len(fields))
    conn = kit.conn
    conn.execute(
        f"UPDATE person SET {', '.join(f'[{f}] = NULL' for f in fields)} WHERE id = ?", [person_id]
    )
    for table in ("_field_version", "_sync_withheld"):
        conn.execute(f"DELETE FROM {table} WHERE tbl = 'person' AND row_id = ? AND field IN ({marks})",
                     [person_id, *fields])  # fmt: skip
    conn.execute(f"DELETE FROM _sync_conflict WHERE tbl = 'person' AND row_id = ? AND field IN ({marks})",
                 [person_id, *fields])  # fmt: skip
    conn.execute(f"UPDATE _sync_refusal SET value = NULL WHERE tbl = 'person' AND row_id = ? AND field IN ({marks})",
                 [person_id, *fields])  # fmt: skip
    kit._touched("person", person_id)
    return True


def is_home(kit: Kit, person_id: str) -> bool:
    """Whether this database registered the person: at the hub, one no laptop brought
    (``_sync_origin``); elsewhere, one whose oldest field version is this replica's (a new
    person is stamped whole by whoever registers them)."""
    origin = scope.origin(kit, "person", person_id)
    if origin is not None:
        return origin == kit.replica_id
    first = kit.conn.execute("SELECT replica FROM _field_version WHERE tbl = 'person' AND row_id = ? "
                             "ORDER BY hlc, replica LIMIT 1", [person_id]).fetchone()  # fmt: skip
    return first is None or first[0] == kit.replica_id


def hold_back(kit: Kit, person_id: str) -> None:
    """At home, "Delen" withdrawn: the private fields count as withheld, so that a later "Delen"
    stamps and sends them again, past the versions the other replicas forgot; and text another
    replica wrote that names the person is corrected as an edit that travels (``correct_others``)."""
    marks = ", ".join("?" * len(_private()))
    kit.conn.execute(
        f"INSERT OR IGNORE INTO _sync_withheld SELECT tbl, row_id, field FROM _field_version "
        f"WHERE tbl = 'person' AND row_id = ? AND field IN ({marks})",
        [person_id, *_private()],
    )
    correct_others(kit, person_id)


def correct_others(kit: Kit, person_id: str) -> int:
    """At the person's home: free text another replica wrote that names the person (name, e-mail,
    phone; the name also loosely, as redact.py finds it) gets "(naam niet gedeeld)" as this
    replica's own edit, which travels: the writer may never have known the name (it was not shared
    when it was typed there), so it could not replace it itself. This replica's own text stays as
    it is (it is replaced on the way out, sync/outgoing.py). Returns how many rows changed."""
    from wijkkit.errors import KitError
    from wijkkit.redact import sent_replacement

    row = kit.row("person", person_id)
    values = privacy.identifying_values(row) if row is not None else []
    if not values:
        return 0
    scrub, touched = None, 0
    for table, columns in privacy.FREE_TEXT.items():
        others = {(r, f) for r, f in kit.conn.execute("SELECT row_id, field FROM _field_version WHERE tbl = ? "
                                                      "AND replica != ?", [table, kit.replica_id])}  # fmt: skip
        if not others:
            continue
        # built only when another replica wrote text here: it reads every name in the database
        scrub = scrub or privacy.scrubber(kit, values, row, sent_replacement())
        for found in kit.query(f"SELECT id, {', '.join(f'[{c}]' for c in columns)} FROM [{table}]"):
            if (table, found["id"]) == ("person", person_id):
                continue
            changes = {c: scrub(found[c]) for c in columns if (found["id"], c) in others and isinstance(found[c], str)
                       and found[c]}  # fmt: skip
            changes = {c: text for c, text in changes.items() if text != found[c]}
            if not changes:
                continue
            try:
                kit.update(table, found["id"], changes)
            except (ValueError, KitError):
                continue  # too long after the replacement: it is sent redacted all the same
            touched += 1
    return touched


def note_sent(kit: Kit, payload: Payload) -> None:
    """Remember today as a day this laptop sent data of each person the bundle carried."""
    people = {c[1] for c in payload.changes if c[0] == "person"}
    for table, link in PERSON_LINK.items():
        rows = [c[1] for c in payload.changes if c[0] == table]
        for start in range(0, len(rows), 500):
            chunk = rows[start : start + 500]
            people |= {p for (p,) in kit.conn.execute(f"SELECT [{link}] FROM [{table}] WHERE id IN "
                                                      f"({', '.join('?' * len(chunk))})", chunk) if p}  # fmt: skip
    today = date.today().isoformat()
    with kit.transaction():
        for person_id in people:
            days = json.loads(kit._meta(f"sent:{person_id}") or "[]")
            if today not in days:
                kit._set_meta(f"sent:{person_id}", json.dumps([*days, today]))


def inzage(kit: Kit, person: dict[str, Any]) -> dict[str, Any]:
    """For the inzage: the consent history, conflict copies about the person, the fields not shared
    and the days their data went to the hub."""
    person_id, values = person["id"], [v.casefold() for v in privacy.identifying_values(person)]
    history = kit.query("SELECT kind, given, wording, at, session_id FROM consent_record WHERE person_id = ? "
                        "ORDER BY at, id", [person_id])  # fmt: skip
    linked = {(t, r) for t, link in PERSON_LINK.items()
              for (r,) in kit.conn.execute(f"SELECT id FROM [{t}] WHERE [{link}] = ?", [person_id])}  # fmt: skip
    conflicts = [c for c in kit.query("SELECT tbl, row_id, field, value, kept_value, reason, found_at, resolved_at, "
                                      "resolution FROM _sync_conflict ORDER BY id")
                 if (c["tbl"], c["row_id"]) in linked or (c["tbl"], c["row_id"]) == ("person", person_id)
                 or any(v in str(c[k] or "").casefold() for k in ("value", "kept_value") for v in values)]  # fmt: skip
    withheld = {f for (f,) in kit.conn.execute("SELECT field FROM _sync_withheld WHERE tbl = 'person' AND row_id = ?",
                                               [person_id])}  # fmt: skip
    if not person.get("consent_share"):
        withheld |= {f for f in _private() if person.get(f) not in (None, "")}
    return {
        "consent_history": history,
        "conflicts": conflicts,
        "not_shared": sorted(withheld),
        "sent_to_hub": json.loads(kit._meta(f"sent:{person_id}") or "[]"),
    }
