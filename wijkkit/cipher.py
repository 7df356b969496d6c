"""SQLCipher connections, and turning a plain database from an earlier Wijkkit into an encrypted one.

``connect`` opens a file with its key applied first (SQLCipher reads nothing before the key is
set) and SQLCipher's own error log silenced: a wrong key becomes our message, not stderr noise.

``encrypt_in_place`` runs once per plain file. Nothing may be lost if it stops half-way, and the
plain original must not survive it:

1. checkpoint the plain file's WAL into it (so the file alone holds everything) and close it;
2. ``sqlcipher_export`` into ``<name>.encrypting`` in the same folder (mode 0600), copy
   ``user_version`` (the export leaves it out), fsync;
3. verify the copy with its key: ``quick_check`` is ok and every table has as many rows;
4. remove the plain -wal/-shm (empty after the checkpoint), replace the original with the copy
   (an atomic rename on the same file system) and fsync the folder.

Until step 4 the plain file is untouched and opens as before; a leftover ``.encrypting`` from a
run that was killed is removed by the next one. After step 4 the plain bytes are gone from the
folder (the file system may keep freed blocks until they are reused: hence the advice to
encrypt the disk).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from sqlcipher3 import dbapi2

from wijkkit import paths
from wijkkit.keystore import DatabaseKey

ENCRYPTING = ".encrypting"


def connect(path: Path | str, key: DatabaseKey | None, **kwargs) -> dbapi2.Connection:
    """A connection to ``path`` with ``key`` applied (None: a plain SQLite file or ``:memory:``)."""
    conn = dbapi2.connect(str(path), **kwargs)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        if key is not None:
            conn.execute(f"PRAGMA key = {key.pragma_value()}")
    except BaseException:
        conn.close()
        raise
    return conn


def readable(conn: dbapi2.Connection) -> bool:
    """Does the key fit? SQLCipher only finds out when the first page is read."""
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except dbapi2.DatabaseError as exc:
        if "not a database" in str(exc).lower():
            return False
        raise
    return True


def _row_counts(conn: dbapi2.Connection, schema: str = "main") -> dict[str, int]:
    tables = [
        r[0] for r in conn.execute(f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table'")
    ]
    return {t: conn.execute(f'SELECT count(*) FROM {schema}."{t}"').fetchone()[0] for t in tables}


def _fsync(path: Path) -> None:
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


def _fsync_folder(folder: Path) -> None:
    if os.name == "nt":  # Windows cannot open a folder for fsync; its rename is durable
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _export(plain: Path, copy: Path, key: DatabaseKey) -> dict[str, int]:
    """Steps 1-2: the plain file's content, encrypted, in ``copy``; returns the row counts."""
    with contextlib.closing(connect(plain, None, isolation_level=None)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        counts = _row_counts(conn)
        paths.touch_private(copy)
        conn.execute(f"ATTACH DATABASE ? AS encrypted KEY {key.pragma_value()}", [str(copy)])
        conn.execute("SELECT sqlcipher_export('encrypted')")
        conn.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        conn.execute("DETACH DATABASE encrypted")
        # closes the WAL: nothing of it stays beside the file
        conn.execute("PRAGMA journal_mode = DELETE")
    _fsync(copy)
    return counts


def _verify(copy: Path, key: DatabaseKey, counts: dict[str, int]) -> None:
    """Step 3: the copy opens with its key, is sound and holds every row."""
    with contextlib.closing(connect(copy, key)) as conn:
        if not readable(conn) or conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise dbapi2.DatabaseError("the encrypted copy does not check out")
        if _row_counts(conn) != counts:
            raise dbapi2.DatabaseError("the encrypted copy lost rows")


def encrypt_in_place(path: Path, key: DatabaseKey) -> None:
    """Replace the plain database ``path`` by an encrypted one with ``key``; all or nothing."""
    copy = path.with_name(path.name + ENCRYPTING)
    copy.unlink(missing_ok=True)  # an unverified copy left by an earlier run that was stopped
    try:
        counts = _export(path, copy, key)
        _verify(copy, key, counts)
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.replace(copy, path)
    except BaseException:
        copy.unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)
