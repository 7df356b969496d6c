"""Whole-database JSON export and import, for backups and scripting.

The format is ``{"format": "wijkkit", "version": N, "tables": {name: [rows]}}``.
Import merges rows by id as local edits (so they are stamped and will sync) in
one transaction: a file with any problem imports nothing at all, and the message
names the table, the row and the field. Every id must be a row id, once per table,
and every value pass its column's rule (wijkkit.validate), as in a bundle; every
row meets the Kit's rules about whole rows (wijkkit.rules: e.g. contact details
only with consent to be contacted), and a consent that changes gets a record unless
the file brings it (its consent records are written before its people). Rows whose
id was deleted here stay deleted; erased persons never come back through a file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wijkkit import schema, store, validate
from wijkkit.atomic import write_atomically
from wijkkit.errors import ImportFormatError, Message, ValidationError
from wijkkit.i18n import N_
from wijkkit.ids import is_row_id
from wijkkit.kit import Kit

FORMAT = "wijkkit"


@dataclass(frozen=True)
class ImportResult:
    inserted: int
    updated: int
    unchanged: int
    skipped_deleted: int


def export_data(kit: Kit) -> dict[str, Any]:
    tables = {}
    for table in kit.tables:
        tables[table] = kit.query(f"SELECT * FROM [{table}] ORDER BY id")
    return {"format": FORMAT, "version": schema.schema_version(), "tables": tables}


def export_file(kit: Kit, out: str | Path) -> None:
    """Write the JSON to a temporary name first, so a failed export leaves no half file."""
    write_atomically(out, json.dumps(export_data(kit), ensure_ascii=False, indent=1).encode("utf-8"))


def _fail(path: str, reason: str, **params: object) -> ImportFormatError:
    return ImportFormatError(path=path, reason=Message(reason, **params))


def _validate(kit: Kit, data: Any, path: str) -> dict[str, list[dict[str, Any]]]:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise _fail(path, N_("it is not a Wijkkit export."))
    version = data.get("version")
    if not isinstance(version, int) or version > schema.schema_version():
        raise _fail(path, N_("it comes from a newer version of Wijkkit."))
    tables = data.get("tables")
    if not isinstance(tables, dict):
        raise _fail(path, N_("the tables are missing."))
    for name, rows in tables.items():
        if name not in kit.tables:
            raise _fail(path, N_("unknown table {name}."), name=name)
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise _fail(path, N_("the rows of {name} are not a list of objects."), name=name)
        columns, seen = set(kit.columns(name)), set()
        for number, row in enumerate(rows, start=1):
            if not isinstance(row.get("id"), str) or not row["id"]:
                raise _fail(path, N_("row {number} of {name} has no id."), number=number, name=name)
            if not is_row_id(row["id"]):
                raise _fail(path, N_("the id of row {number} in {table} is not valid: {problem}"), number=number,
                            table=name, problem=validate.NOT_ROW_ID)  # fmt: skip
            if row["id"] in seen:
                raise _fail(path, N_("row {number} of {table} repeats the id {row} of an earlier row."),
                            number=number, table=name, row=row["id"])  # fmt: skip
            seen.add(row["id"])
            unknown = set(row) - columns
            if unknown:
                raise _fail(path, N_("unknown column {column} in {table} row {row}."), column=sorted(unknown)[0],
                            table=name, row=row["id"])  # fmt: skip
            for field, value in row.items():
                reason = validate.problem(name, field, value)
                if reason is not None:
                    raise _fail(path, validate.INVALID_VALUE, field=field, table=name, row=row["id"], problem=reason)
    return tables


def import_data(kit: Kit, data: Any, path: str = "<data>") -> ImportResult:
    tables = _validate(kit, data, path)
    counts = {"inserted": 0, "updated": 0, "unchanged": 0, "skipped_deleted": 0}
    try:
        _merge(kit, tables, counts, path)
    except store.IntegrityError as exc:
        raise _fail(path, N_("a row refers to something that is neither in the file nor in the database.")) from exc
    return ImportResult(**counts)


def _merge(kit: Kit, tables: dict[str, list[dict[str, Any]]], counts: dict[str, int], path: str) -> None:
    """Consent records first (the foreign keys are checked at the commit): a consent that the file
    changes and documents with its own record gets no second one from the Kit."""
    order = sorted(tables, key=lambda name: name != "consent_record")
    with kit.transaction():
        kit.conn.execute("PRAGMA defer_foreign_keys = ON")
        for name in order:
            for row in tables[name]:
                try:
                    _merge_row(kit, name, row, counts)
                except ValidationError as exc:  # a rule about the whole row (wijkkit.rules)
                    raise _fail(path, N_("{table} row {row}, field {field}: {problem}"), table=name, row=row["id"],
                                field=exc.field or "?", problem=Message(exc.template, **exc.params)) from exc  # fmt: skip


def _merge_row(kit: Kit, name: str, row: dict[str, Any], counts: dict[str, int]) -> None:
    values = {k: v for k, v in row.items() if k != "id"}
    if kit.is_deleted(name, row["id"]):
        counts["skipped_deleted"] += 1
    elif kit.row(name, row["id"]) is None:
        kit.insert(name, values, row_id=row["id"])
        counts["inserted"] += 1
    elif kit.update(name, row["id"], values):
        counts["updated"] += 1
    else:
        counts["unchanged"] += 1


def import_file(kit: Kit, path: str | Path) -> ImportResult:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise _fail(str(path), N_("the file does not exist.")) from exc
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:  # RecursionError: nested too deep
        raise _fail(str(path), N_("it is not valid JSON.")) from exc
    return import_data(kit, data, str(path))
