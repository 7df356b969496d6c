"""What a trusted laptop may write at the hub: its own stamps, its own neighbourhoods, its own people.

Trust says who sent a bundle; authority says which of its changes count. From laptop X
the hub accepts only

* changes stamped by X (a copy of another writer's change that the hub already has
  is dropped quietly; anything else in another's name is refused, or X could drop
  that writer's unsent work);
* changes to rows in X's scope (scope.py), judged on the hub's rows and on the links
  the bundle itself brings (a row cannot be moved into or out of X's scope);
* consents and erasures of a person only if X registered that person, and a consent
  flag only together with the consent record that documents it.

Everything else is refused, kept in ``_sync_refusal`` with its value (nothing is lost,
the coordinator sees it), and the hub stamps its own value again so that X gets it
back; a refused deletion is undone on X through the return bundle (``restore``). A
refused erasure is not undone on X (the resident asked X for it): the coordinator
carries it out at the hub.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter
from typing import TYPE_CHECKING

from wijkkit.i18n import N_
from wijkkit.sync import scope
from wijkkit.sync.bundle import Payload

if TYPE_CHECKING:
    from wijkkit.kit import Kit

CONSENT_FLAGS = ("consent_contact", "consent_share", "consent_photos")
CONSENT_FIELDS = (*CONSENT_FLAGS, "consent_at")
CONTACT_FIELDS = ("email", "phone")
REASONS = {
    "not_its_stamp": N_("it carries another laptop's stamp"),
    "out_of_scope": N_("it lies outside the neighbourhoods this laptop serves"),
    "not_registrar": N_("only the laptop that registered this person, or the hub, may change their consents"),
    "no_consent_record": N_("a consent changed without the consent record that documents it"),
    "no_contact_consent": N_("contact details of a person who did not agree to be contacted"),
    "delete_not_registrar": N_("only the laptop that registered this person, or the hub, may remove them"),
    "erasure_request": N_("an erasure of a person this laptop did not register: carry it out at the hub"),
}

_PERSON_LINKS = frozenset(scope.PERSON_LINKS)
PERSON_LINK_FIELDS = {table: frozenset(f for t, f in scope.PERSON_LINKS if t == table) for table, _f in scope.PERSON_LINKS}
_NONE: frozenset[str] = frozenset()


@dataclass
class Verdict:
    """A bundle judged: what may be applied, and what was refused and must be answered."""

    changes: list[tuple] = field(default_factory=list)
    tombstones: list[tuple] = field(default_factory=list)
    refused: list[tuple] = field(default_factory=list)  # (tbl, row_id, field, value, hlc, stamped_by, reason)
    restamp: dict[tuple[str, str], set[str]] = field(default_factory=dict)  # hub values the laptop gets back
    restore: set[tuple[str, str]] = field(default_factory=set)  # refused deletions, undone on the laptop
    new_rows: set[tuple[str, str]] = field(default_factory=set)  # rows this bundle brings to the hub first
    created: set[str] = field(default_factory=set)  # neighbourhoods it created
    own_refused_max: int = 0  # the sender's highest refused stamp: acknowledged all the same, not resent

    def payload(self, manifest: dict) -> Payload:
        return Payload(manifest, self.changes, self.tombstones)


class _Hub:
    """The hub's side of the rows a bundle touches, read in bulk once, with the bundle's links on top."""

    def __init__(self, kit: Kit, sender: str, payload: Payload) -> None:
        self.kit, self.sender = kit, sender
        self.incoming: dict[tuple[str, str], dict[str, tuple]] = {}
        for change in payload.changes:
            fields = self.incoming.setdefault((change[0], change[1]), {})
            if change[2] not in fields or change[4:6] > fields[change[2]][4:6]:
                fields[change[2]] = change
        # rows with a change in another's name (usually none: a laptop sends its own changes)
        self.foreign: set[tuple[str, str]] = set() if set(map(itemgetter(5), payload.changes)) <= {sender} else {
            (c[0], c[1]) for c in payload.changes if c[5] != sender}  # fmt: skip
        rows = set(self.incoming) | {(t[0], t[1]) for t in payload.tombstones}
        conn = kit.conn
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS _judged (tbl TEXT, row_id TEXT, PRIMARY KEY (tbl, row_id)) WITHOUT ROWID")
        conn.execute("DELETE FROM temp._judged")
        conn.executemany("INSERT INTO temp._judged VALUES (?, ?)", sorted(rows))  # in key order: appended
        # the bundle's rows first (CROSS JOIN keeps that order), each looked up by its key: without
        # statistics SQLite would read all of _field_version (of a municipality: a million versions)
        self.tombstoned = {(t, r): (h, e) for t, r, h, e in conn.execute(
            "SELECT t.tbl, t.row_id, t.hlc, t.erased FROM temp._judged j CROSS JOIN _tombstone t USING (tbl, row_id)")}
        self.origins = {(t, r): o for t, r, o in conn.execute(
            "SELECT o.tbl, o.row_id, o.replica FROM temp._judged j CROSS JOIN _sync_origin o USING (tbl, row_id)")}
        self.versions = {(t, r, f): (h, p) for t, r, f, h, p in conn.execute(
            "SELECT fv.tbl, fv.row_id, fv.field, fv.hlc, fv.replica FROM temp._judged j "
            "CROSS JOIN _field_version fv USING (tbl, row_id)")}  # fmt: skip
        self.links: dict[tuple[str, str], dict[str, object] | None] = {}
        for table in {t for t, _r in rows}:
            wanted = [f for f in (scope.PARENT.get(table, (None,))[0], *[lk for t, lk in scope.PERSON_LINKS if t == table]) if f]
            columns = ", ".join(f"x.[{f}]" for f in wanted)
            for found in conn.execute(f"SELECT x.id{', ' + columns if columns else ''} FROM [{table}] x "
                                      f"JOIN temp._judged j ON j.tbl = ? AND j.row_id = x.id", [table]):  # fmt: skip
                self.links[(table, found[0])] = dict(zip(wanted, found[1:], strict=True))
        for row in rows:  # read in bulk above: what is not there does not exist at the hub
            self.links.setdefault(row, None)
        self.existing = {row for row in rows if self.links[row] is not None}
        scope.fill(kit, sender)
        self.old_scope = {(t, r) for t, r in conn.execute(
            "SELECT s.tbl, s.row_id FROM temp._judged j CROSS JOIN temp._scope s USING (tbl, row_id)")}
        self.served = scope.served_ids(kit, sender)
        self.created = {row for (table, row), fields in self.incoming.items() if table == "neighbourhood"
                        and self.is_new(table, row) and any(c[5] == sender for c in fields.values())}  # fmt: skip
        self.served |= self.created
        self.person_links: dict[str, list[tuple[str, str]]] = {}
        for (table, row), fields in self.incoming.items():
            for link_table, link in scope.PERSON_LINKS:
                if table == link_table and link in fields and fields[link][3] is not None \
                        and self.linkable(fields[link][3]):
                    self.person_links.setdefault(fields[link][3], []).append((table, row))
        self._memo: dict[tuple[str, str], bool] = {}
        self.requested: set[str] = set()  # persons this bundle asks to erase but may not (judge fills it)

    def linkable(self, person: object) -> bool:
        """A person a link may point to: the sender's own, new, or given to it by the hub."""
        if not isinstance(person, str) or scope.origin(self.kit, "person", person) == self.sender:
            return True
        if not self.kit.is_deleted("person", person) and self.is_new("person", person):
            return True
        return self.kit.conn.execute("SELECT 1 FROM _sync_given WHERE replica = ? AND tbl = 'person' AND row_id = ? "
                                     "AND bundle_id IS NOT NULL",
                                     [self.sender, person]).fetchone() is not None

    # -- the rows as they will be -------------------------------------------------------------

    def _row(self, table: str, row_id: str) -> dict[str, object] | None:
        if (table, row_id) not in self.links:
            link = scope.PARENT.get(table, (None,))[0]
            found = self.kit.conn.execute(f"SELECT id{f', [{link}]' if link else ''} FROM [{table}] WHERE id = ?",
                                          [row_id]).fetchone()  # fmt: skip
            self.links[(table, row_id)] = None if found is None else ({link: found[1]} if link else {})
        return self.links[(table, row_id)]

    def is_new(self, table: str, row_id: str) -> bool:
        return (table, row_id) not in self.tombstoned and self._row(table, row_id) is None

    def exists(self, table: str, row_id: str) -> bool:
        if (table, row_id) in self.tombstoned:
            return False
        return self._row(table, row_id) is not None or (table, row_id) in self.incoming

    def link(self, table: str, row_id: str, name: str) -> object:
        change = self.incoming.get((table, row_id), {}).get(name)
        if change is not None and change[5] == self.sender:
            return change[3]
        row = self._row(table, row_id)
        return None if row is None else row.get(name)

    def mine(self, table: str, row_id: str) -> bool:
        """Brought to the hub by the sender (or by this very bundle)."""
        return self.is_new(table, row_id) or self.origins.get((table, row_id), self._origin(table, row_id)) == self.sender

    def _origin(self, table: str, row_id: str) -> str | None:
        found = scope.origin(self.kit, table, row_id)
        self.origins[(table, row_id)] = found  # type: ignore[assignment]
        return found

    def allowed(self, table: str, row_id: str) -> bool:
        """In the sender's scope as the row will be once the bundle is applied (and as it is now)."""
        key = (table, row_id)
        if key not in self._memo:
            self._memo[key] = False  # a cycle of links proves nothing: it is cut here, refused
            self._memo[key] = self._allowed_new(table, row_id) and (key not in self.existing or key in self.old_scope
                                                                       or table == "person" and self.mine(*key))
        return self._memo[key]

    def _allowed_new(self, table: str, row_id: str) -> bool:
        if table == "neighbourhood":
            return row_id in self.served
        link, parent = scope.PARENT[table]
        target = self.link(table, row_id, link)
        if table == "person":
            return (self.mine(table, row_id) or target in self.served and self.exists(parent, target)
                    or ("person", row_id) in self.old_scope
                    or any(self.allowed(*linked) for linked in self.person_links.get(row_id, ())))  # fmt: skip
        if isinstance(target, str) and self.exists(parent, target):
            return self.allowed(parent, target)
        return self.mine(table, row_id)

    def registered(self, table: str, row_id: str) -> bool:
        """Whether the sender registered the person of this row (a person, or one of their consent records)."""
        if table == "person":
            return self.mine(table, row_id)
        person = self.link(table, row_id, "person_id")
        return isinstance(person, str) and self.mine("person", person) if person is not None else self.mine(table, row_id)

    def has_consent_record(self, person: str, kind: str, given: object) -> bool:
        """The bundle records this very answer (a record of an earlier answer sent again does not count)."""
        def value(fields: dict[str, tuple], name: str) -> object:
            return fields[name][3] if name in fields else None

        return any(table == "consent_record" and value(fields, "person_id") == person and value(fields, "kind") == kind
                   and bool(value(fields, "given")) == bool(given) for (table, _r), fields in self.incoming.items())

    def contact_allowed(self, person: str) -> bool:
        """Whether the person agreed to be contacted, as the hub will hold it after this bundle."""
        change = self.incoming.get(("person", person), {}).get("consent_contact")
        if change is not None and change[5] == self.sender and self.mine("person", person):
            return bool(change[3])
        found = self.kit.conn.execute("SELECT consent_contact FROM person WHERE id = ?", [person]).fetchone()
        return bool(found and found[0])


def judge(kit: Kit, sender: str, payload: Payload) -> Verdict:
    """Split a trusted laptop's bundle into what the hub applies and what it refuses."""
    hub, verdict = _Hub(kit, sender, payload), Verdict()
    verdict.created = hub.created
    for (table, row_id), fields in hub.incoming.items():
        _judge_row(hub, verdict, table, row_id, fields)
    hub.requested = {row_id for table, row_id, _stamp, replica, erased in payload.tombstones
                     if table == "person" and erased and replica == sender and ("person", row_id) in hub.existing
                     and not hub.mine("person", row_id)}  # fmt: skip
    for tombstone in payload.tombstones:
        _judge_tombstone(hub, verdict, tombstone)
    return verdict


def _refuse(hub: _Hub, verdict: Verdict, row: tuple[str, str], name: str | None, value: object, stamp: int,
            replica: str, reason: str) -> None:  # fmt: skip
    verdict.refused.append((*row, name, value, stamp, replica, reason))
    if replica == hub.sender:
        verdict.own_refused_max = max(verdict.own_refused_max, stamp)
    if name is not None and row in hub.existing:
        verdict.restamp.setdefault(row, set()).add(name)


def _judge_row(hub: _Hub, verdict: Verdict, table: str, row_id: str, fields: dict[str, tuple]) -> None:
    """The changes of one row: where the row belongs is judged once, then what each field may carry."""
    row = (table, row_id)
    deleted = row in hub.tombstoned  # an edit of a deleted row is kept for review by the merge itself
    in_scope = deleted or hub.allowed(table, row_id)
    personal = table in ("person", "consent_record")
    if in_scope and not personal and row not in hub.foreign and PERSON_LINK_FIELDS.get(table, _NONE).isdisjoint(fields):
        verdict.changes.extend(fields.values())  # the common case: each field as the loop below takes it
        if fields and not deleted and hub.is_new(table, row_id):
            verdict.new_rows.add(row)
        return
    _judge_fields(hub, verdict, table, row_id, fields, deleted, in_scope)


def _judge_fields(hub: _Hub, verdict: Verdict, table: str, row_id: str, fields: dict[str, tuple], deleted: bool,
                  in_scope: bool) -> None:  # fmt: skip
    """What each field of a row may carry, one by one."""
    row, personal, accepted = (table, row_id), table in ("person", "consent_record"), False
    for change in fields.values():
        name, value, stamp, replica = change[2], change[3], change[4], change[5]
        if replica != hub.sender:
            current = hub.versions.get((table, row_id, name))
            if not deleted and (current is None or current < (stamp, replica)):
                _refuse(hub, verdict, row, name, value, stamp, replica, "not_its_stamp")
            continue  # otherwise the hub has this (or newer) already: a copy passed on, not a write
        reason = None if in_scope else "out_of_scope"
        if reason is None and (table, name) in _PERSON_LINKS and not hub.linkable(value):
            reason = "out_of_scope"
        if personal and reason is None and not deleted:
            reason = _personal_reason(hub, table, row_id, name, value)
        if reason:
            _refuse(hub, verdict, row, name, value, stamp, replica, reason)
            continue
        verdict.changes.append(change)
        accepted = True
    if accepted and not deleted and hub.is_new(table, row_id):
        verdict.new_rows.add(row)


def _personal_reason(hub: _Hub, table: str, row_id: str, name: str, value: object) -> str | None:
    """Consents and contact details: the registrar's, documented, and only with consent to be contacted."""
    if (table == "consent_record" or name in CONSENT_FIELDS) and not hub.registered(table, row_id):
        return "not_registrar"
    if table == "person" and name in CONSENT_FLAGS and (value or (table, row_id, name) in hub.versions) \
            and not hub.has_consent_record(row_id, name.removeprefix("consent_"), value):
        return "no_consent_record"
    if table == "person" and name in CONTACT_FIELDS and value and not hub.contact_allowed(row_id):
        return "no_contact_consent"
    return None


def _judge_tombstone(hub: _Hub, verdict: Verdict, tombstone: tuple) -> None:
    table, row_id, stamp, replica, erased = tombstone
    row = (table, row_id)
    if replica != hub.sender:
        had = hub.tombstoned.get(row)
        if had is None or had < (stamp, erased):
            _refuse(hub, verdict, row, None, None, stamp, replica, "not_its_stamp")
        return
    if row in hub.existing:
        reason = None
        if not hub.allowed(table, row_id):
            reason = "out_of_scope"
        elif table == "person" and not hub.mine(table, row_id):
            reason = "erasure_request" if erased else "delete_not_registrar"
        elif table == "consent_record" and not hub.registered(table, row_id):
            if erased and hub.link(table, row_id, "person_id") in hub.requested:
                return  # part of an erasure request: carried out at the hub together with the person
            reason = "not_registrar"
        if reason:
            _refuse(hub, verdict, row, None, None, stamp, replica, reason)
            if not erased:
                verdict.restore.add(row)
            return
    elif row in hub.tombstoned and not (table == "person" and scope.origin(hub.kit, table, row_id) == hub.sender):
        if erased > hub.tombstoned[row][1]:
            _refuse(hub, verdict, row, None, None, stamp, replica, "erasure_request")
        verdict.own_refused_max = max(verdict.own_refused_max, stamp)  # seen: not sent again
        return
    verdict.tombstones.append(tombstone)


# -- after the merge, in its transaction ----------------------------------------------------------


def settle(kit: Kit, sender: str, verdict: Verdict, bundle: str, returns: Iterable[str]) -> None:
    """The hub's bookkeeping of a judged bundle: refusals logged, values stamped again for the laptop,
    rows it brought recorded as its own, and what it has confirmed receiving."""
    conn, now = kit.conn, datetime.now().isoformat(timespec="seconds")
    conn.executemany("INSERT OR IGNORE INTO _sync_origin VALUES (?, ?, ?)", [(*row, sender) for row in sorted(verdict.new_rows)])
    scope.note_created(kit, sender, verdict.created & {r for t, r in verdict.new_rows if t == "neighbourhood"})
    logged = {tuple(r) for r in conn.execute("SELECT tbl, row_id, field, hlc, stamped_by FROM _sync_refusal "
                                             "WHERE replica = ?", [sender])}  # fmt: skip
    conn.executemany(
        "INSERT INTO _sync_refusal (replica, bundle, tbl, row_id, field, value, hlc, stamped_by, reason, at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(sender, bundle, *r, now) for r in verdict.refused if (r[0], r[1], r[2], r[4], r[5]) not in logged])
    if verdict.own_refused_max:
        conn.execute("INSERT INTO _sync_seen VALUES (?, ?) ON CONFLICT (replica) DO UPDATE SET hlc = max(hlc, excluded.hlc)",
                     [sender, verdict.own_refused_max])  # fmt: skip
    for table, row_id, name, _value, stamp, stamped_by, _reason in verdict.refused:
        if name is not None and stamped_by == sender and kit.row(table, row_id) is not None:
            conn.execute("INSERT INTO _sync_overrule VALUES (?, ?, ?, ?, ?, NULL) ON CONFLICT DO UPDATE SET "
                         "hlc = max(hlc, excluded.hlc), bundle_id = NULL", [sender, table, row_id, name, stamp])
    conn.executemany("INSERT INTO _sync_given VALUES (?, ?, ?, NULL, 0, 1) ON CONFLICT DO UPDATE SET "
                     "bundle_id = NULL, confirmed = 0, restore = 1", [(sender, *row) for row in verdict.restore])  # fmt: skip
    returned = [r for r in returns if isinstance(r, str)][:50]
    conn.executemany("UPDATE _sync_given SET confirmed = 1, restore = 0 WHERE replica = ? AND bundle_id = ?",
                     [(sender, r) for r in returned])  # fmt: skip
    conn.executemany("DELETE FROM _sync_overrule WHERE replica = ? AND bundle_id = ?", [(sender, r) for r in returned])
    conn.executemany("INSERT INTO _sync_given VALUES (?, ?, ?, NULL, 1, 0) ON CONFLICT DO UPDATE SET confirmed = 1",
                     [(sender, t, r) for t, r in sorted(set(map(itemgetter(0, 1), verdict.changes)))])  # fmt: skip


def refusals(kit: Kit, replica: str | None = None, open_only: bool = True) -> list[dict]:
    """The log of refused changes, newest first, each with its reason in words (``reason_text``)."""
    where = " AND ".join(filter(None, ["replica = ?" if replica else "", "handled_at IS NULL" if open_only else ""]))
    found = kit.query(f"SELECT * FROM _sync_refusal {'WHERE ' + where if where else ''} ORDER BY id DESC",
                      [replica] if replica else [])  # fmt: skip
    for row in found:
        row["reason_text"] = REASONS.get(row["reason"], row["reason"])
    return found


def mark_handled(kit: Kit, refusal_ids: list[int]) -> None:
    with kit.transaction():
        kit.conn.executemany("UPDATE _sync_refusal SET handled_at = ? WHERE id = ?",
                             [(datetime.now().isoformat(timespec="seconds"), i) for i in refusal_ids])  # fmt: skip


def carry_out_erasure(kit: Kit, refusal_id: int) -> bool:
    """The coordinator carries out an erasure a laptop asked for but may not make (``erasure_request``):
    the person is erased at the hub, which reaches every laptop. False when there is nothing to do."""
    from wijkkit import privacy

    found = kit.query("SELECT * FROM _sync_refusal WHERE id = ? AND reason = 'erasure_request'", [refusal_id])
    if not found:
        return False
    person = found[0]["row_id"]
    with kit.transaction():
        if kit.row("person", person) is not None:
            privacy.erase_person(kit, person)
        elif not kit.conn.execute("SELECT 1 FROM _tombstone WHERE tbl = 'person' AND row_id = ? AND erased = 1",
                                  [person]).fetchone():  # fmt: skip
            kit.delete("person", person, erase=True)  # deleted plainly meanwhile: now erased, and it travels
        mark_handled(kit, [refusal_id])
    privacy.compact(kit)  # after the transaction: no trace of the person in the file
    return True
