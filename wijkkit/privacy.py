"""The AVG in practice: show a person everything we hold (inzage), forget a person
(vergeten), and list who has not been seen for longer than the retention period.

Erasure deletes the person with an *erased* tombstone, which sync carries to every
replica and which always wins there. Everything that points at the person is
detached (attendance and consent records are deleted; offers, needs and
agreements lose the link), and the person's name, e-mail address and phone number
are replaced by "[verwijderd]" wherever they were typed into free text, so that no
value of the person remains outside the tombstone.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wijkkit.atomic import write_atomically
from wijkkit.i18n import N_, gettext

if TYPE_CHECKING:
    from wijkkit.kit import Kit

REMOVED = N_("[removed]")
DEFAULT_RETENTION_MONTHS = 24
# free-text columns where a person may have been named by whoever typed
FREE_TEXT = {
    "capture": ("text",), "obstacle": ("text", "addressed_by"), "offer": ("text",), "need": ("text",),
    "agreement": ("title", "description", "partners", "owner_party"), "agreement_update": ("note",),
    "session": ("title", "theme", "notes", "facilitator", "location_name", "location_address"),
    "step": ("title", "purpose", "prompts"), "follow_up": ("title", "owner"), "neighbourhood": ("notes",),
    "person": ("notes",), "invitation": ("notes",), "checklist_item": ("label",),
}  # fmt: skip
DETACH = (("offer", "person_id"), ("need", "person_id"), ("agreement", "owner_person_id"))
DELETE = (("attendance", "person_id"), ("consent_record", "person_id"))


def export_person(kit: Kit, person_id: str) -> dict[str, Any]:
    """Everything held about one person, for an inzage request."""
    person = kit.row("person", person_id)
    if person is None:
        from wijkkit.models import not_found

        raise not_found("person", person_id)
    related = {table: kit.query(f"SELECT * FROM {table} WHERE {column} = ?", [person_id])
               for table, column in (*DETACH, *DELETE)}  # fmt: skip
    mentions = {table: rows for table, rows in _mentions(kit, _values(person)).items() if rows}
    return {"format": "wijkkit-inzage", "made_at": datetime.now().isoformat(timespec="seconds"),
            "person": person, "related": related, "mentions": mentions}  # fmt: skip


def write_export(kit: Kit, person_id: str, path: Path) -> Path:
    """The inzage as a file: a readable PDF when ``path`` ends in .pdf, else JSON (the data
    itself, for another system). Written whole under a temporary name, then renamed."""
    path = Path(path)
    if path.suffix.lower() == ".pdf":
        from wijkkit.handouts.inzage import pdf_for_person

        data = pdf_for_person(kit, person_id)
    else:
        data = json.dumps(export_person(kit, person_id), ensure_ascii=False, indent=1).encode("utf-8")
    return write_atomically(path, data)


def identifying_values(person: dict[str, Any]) -> list[str]:
    return _values(person)


def scrub_conflicts(kit: Kit, values: list[str]) -> None:
    """Conflict copies are text too: the person's name may sit in one."""
    wanted = [v.casefold() for v in values]
    for row in kit.query("SELECT id, value, kept_value FROM _sync_conflict"):
        changes = {c: _scrub(row[c], values) for c in ("value", "kept_value")
                   if isinstance(row[c], str) and any(w in row[c].casefold() for w in wanted)}  # fmt: skip
        for column, text in changes.items():
            kit.conn.execute(f"UPDATE _sync_conflict SET {column} = ? WHERE id = ?", [text, row["id"]])
    for row in kit.query("SELECT id, value FROM _sync_refusal"):
        if isinstance(row["value"], str) and any(w in row["value"].casefold() for w in wanted):
            kit.conn.execute("UPDATE _sync_refusal SET value = ? WHERE id = ?", [_scrub(row["value"], values), row["id"]])


def on_person_deleted(kit: Kit, person_id: str, erased: bool) -> None:
    """Before a person row goes: on erasure, scrub conflict copies of their name; on a plain
    delete, remember the name (locally) so that a later erasure can still scrub them."""
    row = kit.conn.execute("SELECT name, email, phone FROM person WHERE id = ?", [person_id]).fetchone()
    key = f"deleted_person:{person_id}"
    if row is not None:
        values = _values(dict(zip(("name", "email", "phone"), row, strict=True)))
    else:
        stored = kit._meta(key)
        values = json.loads(stored) if stored else []
    if erased:  # the refusal log holds values too, also ones the person row never got
        refused = [v.strip() for (v,) in kit.conn.execute(
            "SELECT value FROM _sync_refusal WHERE tbl = 'person' AND row_id = ? AND field IN ('name', 'email', 'phone')",
            [person_id]) if isinstance(v, str) and len(v.strip()) >= 3]
        values = sorted(set(values) | set(refused), key=len, reverse=True)
        kit.conn.execute("UPDATE _sync_refusal SET value = NULL WHERE tbl = 'person' AND row_id = ?", [person_id])
        scrub_conflicts(kit, values)
        kit.conn.execute("DELETE FROM _meta WHERE key = ?", [key])
    elif row is not None and values:
        kit._set_meta(key, json.dumps(values, ensure_ascii=False))


def _values(person: dict[str, Any]) -> list[str]:
    """The identifying values to scrub: name, e-mail and phone (longest first)."""
    found = {str(person.get(k) or "").strip() for k in ("name", "email", "phone")}
    return sorted((v for v in found if len(v) >= 3), key=len, reverse=True)


def _mentions(kit: Kit, values: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Rows whose free text names the person, in any case and script.

    Matched in Python: SQLite's lower() only folds A-Z, so 'ŞÜKRÜ' would slip through.
    """
    wanted = [v.casefold() for v in values]
    found: dict[str, list[dict[str, Any]]] = {}
    for table, columns in FREE_TEXT.items():
        if not wanted:
            break
        rows = kit.query(f"SELECT id, {', '.join(f'[{c}]' for c in columns)} FROM {table}")
        found[table] = [row for row in rows
                        if any(w in str(row[c] or "").casefold() for c in columns for w in wanted)]  # fmt: skip
    return found


def _scrub(text: str, values: list[str]) -> str:
    """Replace every occurrence of the values, in any case, by '[verwijderd]'."""
    import re

    replacement = gettext(REMOVED)
    for value in values:
        text = re.sub(re.escape(value), lambda _match: replacement, text, flags=re.IGNORECASE)
    return text


def erase_person(kit: Kit, person_id: str) -> int:
    """Forget a person everywhere; returns how many other rows were changed or removed."""
    person = kit.row("person", person_id)
    if person is None:
        from wijkkit.models import not_found

        raise not_found("person", person_id)
    values, touched = _values(person), 0
    with kit.transaction():
        for table, column in DELETE:
            for row in kit.query(f"SELECT id FROM {table} WHERE {column} = ?", [person_id]):
                kit.delete(table, row["id"], erase=True)
                touched += 1
        for table, column in DETACH:
            for row in kit.query(f"SELECT id FROM {table} WHERE {column} = ?", [person_id]):
                kit.update(table, row["id"], {column: None})
                touched += 1
        for table, rows in _mentions(kit, values).items():
            for row in rows:
                if table == "person" and row["id"] == person_id:
                    continue
                changes = {c: _scrub(row[c], values) for c in FREE_TEXT[table] if row[c]}
                touched += bool(kit.update(table, row["id"], changes))
        scrub_conflicts(kit, values)
        kit.delete("person", person_id, erase=True)
    return touched


def retention_months(kit: Kit) -> int:
    value = kit.conn.execute("SELECT value FROM _meta WHERE key = 'retention_months'").fetchone()
    return int(value[0]) if value else DEFAULT_RETENTION_MONTHS


def set_retention_months(kit: Kit, months: int) -> None:
    from wijkkit.errors import ValidationError

    if not 1 <= int(months) <= 120:
        raise ValidationError(N_("Choose a retention period from 1 to 120 months."), field="retention")
    with kit.transaction():
        kit._set_meta("retention_months", str(int(months)))


def to_anonymise(kit: Kit, today: date) -> list[tuple[str, str, str | None]]:
    """People not seen at a meeting for longer than the retention period: (id, name, last seen)."""
    months = retention_months(kit)
    import calendar

    total = today.year * 12 + (today.month - 1) - months
    year, month = total // 12, total % 12 + 1
    limit = date(year, month, min(today.day, calendar.monthrange(year, month)[1]))
    seen = kit.people.last_seen()
    stale = []
    for person in kit.people.list():
        last = seen.get(person.id) or (person.consent_at or "")
        if not last or last[:10] < limit.isoformat():
            stale.append((person.id, person.name, seen.get(person.id)))
    return stale
