"""Opening a database file safely, and encrypted.

Before anything is written to a file we check that it is a database, that its key is here
and fits, that we may write to it and that it does not come from a newer Wijkkit. Only then
is WAL switched on, a backup made when an upgrade is due, and the migrations applied.
SQLite's own errors are turned into ``DatabaseError``s with a clear message.

Every file is an SQLCipher database (see keystore.py for where its key lives); a plain file
from an earlier Wijkkit is encrypted in place on its first open (cipher.py). ``secure_delete``
is always on, so deleted values are overwritten, not just unlinked from the b-tree.

WAL needs memory shared between processes through the ``-shm`` file, which SMB home drives
and some FUSE and cloud folders cannot give ("disk I/O error"). There the file gets the
rollback journal (``journal_mode = DELETE``), which works on every file system, at the cost
of readers waiting for a writer; a file already in WAL mode is switched back while the
connection holds it exclusively, which needs no shared memory. Any other SQLite or OS error
while opening becomes ``UnusableDatabaseError``, so the app shows a message, never a traceback.
Connections are sqlcipher3's, whose exceptions are not sqlite3's: catch ``store.IntegrityError``
and ``store.SQLiteError`` (re-exported below), not the ``sqlite3`` ones.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from sqlcipher3 import dbapi2

from wijkkit import cipher, keystore, paths, schema
from wijkkit.errors import (
    DatabaseError,
    DatabaseLockedError,
    ForeignDatabaseError,
    NewerSchemaError,
    NotADatabaseError,
    ReadOnlyDatabaseError,
    StorageFullError,
    WrongKeyError,
)
from wijkkit.i18n import N_

Connection = dbapi2.Connection
SQLiteError = dbapi2.Error
IntegrityError = dbapi2.IntegrityError
OperationalError = dbapi2.OperationalError
SQLiteDatabaseError = dbapi2.DatabaseError
PAGE = 512  # every SQLite file is a whole number of (at least 512-byte) pages
SHARED_MEMORY_FAILURES = ("disk i/o error", "unable to open database file", "locking protocol")


class UnusableDatabaseError(DatabaseError):
    """SQLite or the file system failed while the file was opened, for a reason with no message of its own."""

    template = N_("The database {path} cannot be opened ({reason}). When it is on a network drive or in a "
                  "cloud folder, copy it to a folder on this computer and open it there.")  # fmt: skip


@contextlib.contextmanager
def unusable_errors(path: str | Path) -> Iterator[None]:
    """What ``sqlite_errors`` leaves of SQLite's errors, and OS errors, as ``UnusableDatabaseError``."""
    try:
        yield
    except (dbapi2.Error, OSError) as exc:
        reason = (exc.strerror if isinstance(exc, OSError) else None) or str(exc) or type(exc).__name__
        raise UnusableDatabaseError(path=str(path), reason=reason) from exc


def _no_shared_memory(exc: dbapi2.OperationalError) -> bool:
    return any(text in str(exc).lower() for text in SHARED_MEMORY_FAILURES)


def _wal(conn: Connection) -> bool:
    """Switch to WAL; False where the file system cannot hold it (an error, or SQLite declining)."""
    try:
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    except dbapi2.OperationalError as exc:
        if _no_shared_memory(exc):
            return False
        raise
    return str(mode).lower() == "wal"


def _rollback_journal(path: Path, key: keystore.DatabaseKey | None) -> Connection:
    """A new connection to ``path`` in rollback-journal mode, for a file system without shared memory.

    Held exclusively at first: SQLite then keeps a WAL file's index in its own memory, so even a
    file left in WAL mode (made on another drive) can be read and switched back to DELETE."""
    conn = cipher.connect(path, key, timeout=5.0, isolation_level=None)
    try:
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        if not cipher.readable(conn):
            raise WrongKeyError(path=str(path))
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("PRAGMA locking_mode = NORMAL")  # the exclusive lock goes with the next read
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except BaseException:
        conn.close()
        raise
    return conn


@contextlib.contextmanager
def sqlite_errors(path: str | Path) -> Iterator[None]:
    """Turns SQLite's storage errors into messages a person can act on."""
    try:
        yield
    except dbapi2.OperationalError as exc:
        text = str(exc).lower()
        if "disk is full" in text or "database or disk is full" in text:
            raise StorageFullError() from exc
        if "readonly" in text or "read-only" in text:
            raise ReadOnlyDatabaseError(path=str(path)) from exc
        if "locked" in text or "busy" in text:
            raise DatabaseLockedError(path=str(path)) from exc
        raise
    except dbapi2.DatabaseError as exc:
        if "not a database" in str(exc).lower():
            raise NotADatabaseError(path=str(path)) from exc
        raise


def _check_file(path: Path) -> None:
    if path.exists():
        if path.is_dir():
            raise NotADatabaseError(path=str(path))
        size = path.stat().st_size
        if size > 0 and keystore.salt_of(path) is not None and (size < PAGE or size % PAGE):
            raise NotADatabaseError(path=str(path))  # neither plain SQLite nor SQLCipher pages
        if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
            raise ReadOnlyDatabaseError(path=str(path))
    else:
        try:
            if not path.parent.exists():
                paths.private_folder(path.parent)
        except OSError as exc:
            raise ReadOnlyDatabaseError(path=str(path)) from exc
        if not os.access(path.parent, os.W_OK):
            raise ReadOnlyDatabaseError(path=str(path))


def found_schema(conn: Connection) -> tuple[int, list[str]]:
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


def _refuse_foreign(conn: Connection, path: Path) -> None:
    """A non-empty SQLite file without Wijkkit's migrations belongs to another program."""
    _, names = found_schema(conn)
    tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
    if not names and tables:
        raise ForeignDatabaseError(path=str(path))


def _refuse_newer(conn: Connection, path: Path) -> None:
    version, names = found_schema(conn)
    unknown = set(names) - set(schema.known_migration_names())
    if version > schema.schema_version() or unknown:
        raise NewerSchemaError(
            path=str(path),
            found=max(version, len(names)),
            known=schema.schema_version(),
        )


def _migrate(conn: Connection, path: Path | None, key: keystore.DatabaseKey | None = None) -> None:
    """Apply pending migrations with sqlite-utils, after backing up an existing file.

    The backup is encrypted with the file's own key and salt (so the same key opens it), and
    removed once the upgraded file has passed ``_upgrade_checked``: an old copy of residents'
    data must not linger. sqlite-utils is imported only here, when something is pending: a
    database that is up to date opens without it, which keeps the app's start fast.
    """
    _, names = found_schema(conn)
    if names == schema.known_migration_names():
        return
    backup = None
    if names and path is not None:
        backup = path.with_name(f"{path.name}.before-schema-{len(names)}.bak")
        _unlink_all(backup)  # one left by an earlier run is replaced, as the backup API did
        paths.touch_private(backup)
        with contextlib.closing(cipher.connect(backup, key)) as copy:
            conn.backup(copy)
    schema.migrations().apply(schema.database(conn))
    conn.execute(f"PRAGMA user_version = {schema.schema_version()}")
    if backup is not None and _upgrade_checked(conn):
        drop_backup(backup)


def _upgrade_checked(conn: Connection) -> bool:
    version, names = found_schema(conn)
    sound = conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    return sound and version == schema.schema_version() and names == schema.known_migration_names()


def drop_backup(backup: Path) -> None:
    """Remove a pre-upgrade backup: the upgraded file has been checked."""
    _unlink_all(backup)


def _unlink_all(database: Path) -> None:
    for name in (database, Path(f"{database}-journal"), Path(f"{database}-wal"), Path(f"{database}-shm")):
        name.unlink(missing_ok=True)


def _key_for(path: Path) -> keystore.DatabaseKey:
    """The key of ``path``: found for an encrypted file, made for a new one, and a plain file from
    an earlier version is checked like any file, then encrypted in place first."""
    salt = keystore.salt_of(path)
    if salt is not None:
        return keystore.find(path, salt)
    if not path.exists() or path.stat().st_size == 0:
        made = keystore.create(path)  # first: without a passphrase, not even an empty file is left
        paths.touch_private(path)
        return made
    with contextlib.closing(cipher.connect(path, None, timeout=5.0)) as plain, sqlite_errors(path):
        _refuse_foreign(plain, path)
        _refuse_newer(plain, path)
    key = keystore.create(path)
    with sqlite_errors(path):
        cipher.encrypt_in_place(path, key)
    import glob

    for old in path.parent.glob(f"{glob.escape(path.name)}.before-schema-*.bak"):
        if keystore.salt_of(old) is None:  # a plain copy an earlier version left: not any more
            _unlink_all(old)
    return key


def raw_connection(path: str | Path) -> Connection:
    """A connection to an existing database with its key applied, no checks, no upgrade (tools, tests).
    A plain file opens as it is."""
    path = Path(path)
    salt = keystore.salt_of(path)
    return cipher.connect(path, keystore.find(path, salt) if salt else None, isolation_level=None)


def open_database(path: str | Path) -> Connection:
    """Open (or create) a Wijkkit database, encrypted and upgraded to this version's schema.

    :raises DatabaseError: the file is not a database, its key is missing or wrong (or its
        passphrase), it is not writable, newer, or the disk is full; ``UnusableDatabaseError`` for
        any other failure of SQLite or the drive. The file is left exactly as it was (a plain file
        that passes the checks is encrypted, with nothing lost; on a drive without shared memory
        a file in WAL mode is switched to the rollback journal).
    """
    path = Path(path)
    with unusable_errors(path):
        _check_file(path)
        key = _key_for(path)
        # transactions are explicit, see Kit
        conn = cipher.connect(path, key, timeout=5.0, isolation_level=None)
    try:
        with unusable_errors(path), sqlite_errors(path):
            journal = "wal"
            try:
                fits = cipher.readable(conn)
            except dbapi2.OperationalError as exc:  # a WAL file where there is no shared memory
                if not _no_shared_memory(exc):
                    raise
                conn.close()
                conn, fits, journal = _rollback_journal(path, key), True, "delete"
            if not fits:
                raise WrongKeyError(path=str(path))
            _refuse_foreign(conn, path)
            _refuse_newer(conn, path)
            if journal == "wal" and not _wal(conn):
                conn.close()
                conn = _rollback_journal(path, key)
            conn.execute("PRAGMA secure_delete = ON")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            _migrate(conn, path, key)
    except BaseException:
        conn.close()
        raise
    for made in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        with contextlib.suppress(OSError):  # a network drive may have no Unix modes to set
            paths.make_private(made)  # files of an earlier version were made with the umask's mode
    return conn


def iterdump(conn: Connection) -> Iterator[str]:
    """The database as SQL text, like ``sqlite3.Connection.iterdump`` (which sqlcipher3's connections
    lack; the standard library's dump works on any DB-API connection)."""
    from sqlite3.dump import _iterdump

    return _iterdump(conn)


def open_memory() -> Connection:
    """A fresh in-memory database with the full schema, for tests and scratch work (not encrypted:
    it never reaches the disk)."""
    conn = cipher.connect(":memory:", None, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA secure_delete = ON")
    _migrate(conn, None)
    return conn
