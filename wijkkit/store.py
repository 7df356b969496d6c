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


def found_schema(conn: sqlite3.Connection) -> tuple[int, list[str]]:
    """The schema version recorded in a file, and the migration names applied to it."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    has_table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlite_migrations'"
    ).fetchone()
    names: list[str] = []
    if has_table:
        names = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid",
                [schema.MIGRATION_SET],
            )
        ]
    return version, names


def _refuse_foreign(conn: sqlite3.Connection, path: Path) -> None:
    """A non-empty SQLite file without Wijkkit's migrations belongs to another program."""
    _, names = found_schema(conn)
    tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
    if not names and tables:
        raise ForeignDatabaseError(path=str(path))


def _refuse_newer(conn: sqlite3.Connection, path: Path) -> None:
    version, names = found_schema(conn)
    unknown = set(names) - set(schema.known_migration_names())
    if version > schema.schema_version() or unknown:
        raise NewerSchemaError(
            path=str(path),
            found=max(version, len(names)),
            known=schema.schema_version(),
        )


def _migrate(conn: sqlite3.Connection, path: Path | None) -> None:
    """Apply pending migrations with sqlite-utils, after backing up an existing file.

    sqlite-utils is imported only here, when something is pending: a database that
    is up to date opens without it, which keeps the app's start fast.
    """
    _, names = found_schema(conn)
    if names == schema.known_migration_names():
        return
    if names and path is not None:
        target = path.with_name(f"{path.name}.before-schema-{len(names)}.bak")
        with contextlib.closing(sqlite3.connect(target)) as copy:
            conn.backup(copy)
    schema.migrations().apply(schema.database(conn))
    conn.execute(f"PRAGMA user_version = {schema.schema_version()}")


def open_database(path: str | Path) -> sqlite3.Connection:
    """Open (or create) a Wijkkit database, upgraded to this version's schema.

    :raises DatabaseError: the file is not SQLite, not writable, newer, or the disk is full.
        The file is left exactly as it was.
    """
    path = Path(path)
    _check_file(path)
    conn = sqlite3.connect(path, timeout=5.0, isolation_level=None)  # transactions are explicit, see Kit
    try:
        with sqlite_errors(path):
            _refuse_foreign(conn, path)
            _refuse_newer(conn, path)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            _migrate(conn, path)
    except BaseException:
        conn.close()
        raise
    return conn


def open_memory() -> sqlite3.Connection:
    """A fresh in-memory database with the full schema, for tests and scratch work."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    _migrate(conn, None)
    return conn
