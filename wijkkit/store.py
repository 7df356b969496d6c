"""Opening a database file safely.

Before anything is written to a file we check that it is SQLite, that we may
write to it and that it does not come from a newer Wijkkit. Only then is WAL
switched on, a backup made when an upgrade is due, and the migrations applied.
SQLite's own errors are turned into ``DatabaseError``s with a clear message.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database

from wijkkit import schema
from wijkkit.errors import (
    DatabaseLockedError,
    ForeignDatabaseError,
    NewerSchemaError,
    NotADatabaseError,
    ReadOnlyDatabaseError,
    StorageFullError,
)

SQLITE_HEADER = b"SQLite format 3\x00"


@contextlib.contextmanager
def sqlite_errors(path: str | Path) -> Iterator[None]:
    """Turns SQLite's storage errors into messages a person can act on."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        text = str(exc).lower()
        if "disk is full" in text or "database or disk is full" in text:
            raise StorageFullError() from exc
        if "readonly" in text or "read-only" in text:
            raise ReadOnlyDatabaseError(path=str(path)) from exc
        if "locked" in text or "busy" in text:
            raise DatabaseLockedError(path=str(path)) from exc
        raise
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc).lower():
            raise NotADatabaseError(path=str(path)) from exc
        raise


def _check_file(path: Path) -> None:
    if path.exists():
        if path.is_dir():
            raise NotADatabaseError(path=str(path))
        if path.stat().st_size > 0:
            with path.open("rb") as handle:
                if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                    raise NotADatabaseError(path=str(path))
        if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
            raise ReadOnlyDatabaseError(path=str(path))
    else:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ReadOnlyDatabaseError(path=str(path)) from exc
        if not os.access(path.parent, os.W_OK):
            raise ReadOnlyDatabaseError(path=str(path))


def found_schema(db: Database) -> tuple[int, list[str]]:
    """The schema version recorded in a file, and the migration names applied to it."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    names: list[str] = []
    if db["_sqlite_migrations"].exists():
        names = [
            row[0]
            for row in db.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = ?",
                [schema.migrations.name],
            )
        ]
    return version, names


def _refuse_foreign(db: Database, path: Path) -> None:
    """A non-empty SQLite file without Wijkkit's migrations belongs to another program."""
    _, names = found_schema(db)
    if not names and db.table_names():
        raise ForeignDatabaseError(path=str(path))


def _refuse_newer(db: Database, path: Path) -> None:
    version, names = found_schema(db)
    unknown = set(names) - set(schema.known_migration_names())
    if version > schema.schema_version() or unknown:
        raise NewerSchemaError(
            path=str(path),
            found=max(version, len(names)),
            known=schema.schema_version(),
        )


def _backup_before_upgrade(db: Database, path: Path) -> Path | None:
    version, names = found_schema(db)
    if not names or not schema.migrations.pending(db):
        return None
    target = path.with_name(f"{path.name}.before-schema-{len(names)}.bak")
    with contextlib.closing(sqlite3.connect(target)) as copy:
        db.conn.backup(copy)
    return target


def open_database(path: str | Path) -> Database:
    """Open (or create) a Wijkkit database, upgraded to this version's schema.

    :raises DatabaseError: the file is not SQLite, not writable, newer, or the disk is full.
        The file is left exactly as it was.
    """
    path = Path(path)
    _check_file(path)
    conn = sqlite3.connect(path, timeout=5.0)
    try:
        with sqlite_errors(path):
            db = Database(conn)
            _refuse_foreign(db, path)
            _refuse_newer(db, path)
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = FULL")
            db.execute("PRAGMA foreign_keys = ON")
            _backup_before_upgrade(db, path)
            schema.migrations.apply(db)
            db.execute(f"PRAGMA user_version = {schema.schema_version()}")
    except BaseException:
        conn.close()
        raise
    return db


def open_memory() -> Database:
    """A fresh in-memory database with the full schema, for tests and scratch work."""
    db = Database(memory=True)
    db.execute("PRAGMA foreign_keys = ON")
    schema.migrations.apply(db)
    db.execute(f"PRAGMA user_version = {schema.schema_version()}")
    return db
