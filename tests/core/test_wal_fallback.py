"""A database on a drive where WAL cannot work (issue 15, problem 7).

WAL keeps its index in memory shared through the ``-shm`` file; SMB home drives and some
FUSE or cloud folders cannot map it, and SQLite fails with "disk I/O error" (or, for a file
already in WAL mode, "unable to open database file"). Wijkkit then uses the rollback journal
and carries on; any other failure while opening is a ``KitError`` with a message, not a
traceback. Two ways to get there on Linux: SQLite's own ``unix-none`` VFS, which has no shared
memory at all (real SQLite behaviour, as on such a drive), and a connection that raises
"disk I/O error" on the WAL pragma, as SMB does.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlcipher3 import dbapi2

from wijkkit import cipher, store
from wijkkit.cli import main
from wijkkit.errors import KitError
from wijkkit.kit import Kit

needs_unix_vfs = pytest.mark.skipif(os.name == "nt", reason="SQLite's unix-none VFS exists on Unix only")


class NoSharedMemory:
    """``cipher``'s view of sqlcipher3, with every file opened through the VFS that has no shared memory."""

    def __getattr__(self, name):
        return getattr(dbapi2, name)

    @staticmethod
    def connect(path, **kwargs):
        if str(path) == ":memory:":
            return dbapi2.connect(str(path), **kwargs)
        return dbapi2.connect(f"{Path(path).as_uri()}?vfs=unix-none", uri=True, **kwargs)


class Failing:
    """A connection whose statements matching ``fails`` raise SQLite's "disk I/O error"."""

    def __init__(self, conn, fails) -> None:
        self._conn, self._fails = conn, fails

    def execute(self, sql, *args):
        if self._fails(" ".join(sql.split()).lower()):
            raise dbapi2.OperationalError("disk I/O error")
        return self._conn.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self._conn, name)


def failing_connections(monkeypatch, fails) -> None:
    real = cipher.connect
    monkeypatch.setattr(cipher, "connect", lambda *args, **kwargs: Failing(real(*args, **kwargs), fails))


def journal(path: Path) -> str:
    with Kit.open(path) as kit:
        return kit.conn.execute("PRAGMA journal_mode").fetchone()[0]


@pytest.fixture
def wal_file(tmp_path) -> Path:
    """A database made on an ordinary drive, so in WAL mode, with one neighbourhood."""
    path = tmp_path / "wijkkit.sqlite"
    with Kit.open(path) as kit:
        kit.neighbourhoods.add("Ellerveen", "Veldhorst", "kern")
        assert kit.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    return path


@needs_unix_vfs
def test_a_wal_file_moved_to_a_drive_without_shared_memory_opens(wal_file, monkeypatch):
    monkeypatch.setattr(cipher, "dbapi2", NoSharedMemory())
    with Kit.open(wal_file) as kit:
        assert [n.name for n in kit.neighbourhoods.list()] == ["Ellerveen"]
        assert kit.conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        kit.neighbourhoods.add("Molenhoek", "Veldhorst", "kern")  # writes work, with a -journal file
    with Kit.open(wal_file) as kit:
        assert len(kit.neighbourhoods.list()) == 2
    assert not Path(f"{wal_file}-wal").exists()


@needs_unix_vfs
def test_a_new_database_on_a_drive_without_shared_memory(tmp_path, monkeypatch):
    monkeypatch.setattr(cipher, "dbapi2", NoSharedMemory())
    path = tmp_path / "nieuw.sqlite"
    with Kit.open(path) as kit:
        kit.neighbourhoods.add("Ellerveen", "Veldhorst", "kern")
    assert journal(path) == "delete"


def test_a_disk_io_error_on_the_wal_pragma_falls_back_to_the_rollback_journal(wal_file, monkeypatch):
    failing_connections(monkeypatch, lambda sql: sql == "pragma journal_mode = wal")
    with Kit.open(wal_file) as kit:
        assert kit.conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        kit.neighbourhoods.add("Molenhoek", "Veldhorst", "kern")
        assert len(kit.neighbourhoods.list()) == 2
    assert journal(wal_file) == "delete"
    monkeypatch.undo()  # back on an ordinary drive: WAL again
    assert journal(wal_file) == "wal"


def test_a_new_file_where_wal_fails_is_made_with_the_rollback_journal(tmp_path, monkeypatch):
    failing_connections(monkeypatch, lambda sql: sql == "pragma journal_mode = wal")
    path = tmp_path / "netwerk.sqlite"
    with Kit.open(path) as kit:
        kit.neighbourhoods.add("Ellerveen", "Veldhorst", "kern")
    assert journal(path) == "delete"


def test_any_other_failure_while_opening_is_a_kit_error(wal_file, monkeypatch, capsys):
    failing_connections(monkeypatch, lambda sql: True)
    with pytest.raises(store.UnusableDatabaseError) as caught:
        Kit.open(wal_file)
    assert isinstance(caught.value, KitError)
    assert caught.value.english() == (
        f"The database {wal_file} cannot be opened (disk I/O error). When it is on a network drive or in a "
        "cloud folder, copy it to a folder on this computer and open it there."
    )
    assert main(["export", "--db", str(wal_file), "--json", str(wal_file.parent / "out.json")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: The database {wal_file} cannot be opened (disk I/O error).")
    assert "Traceback" not in err


def test_an_os_error_while_opening_is_a_kit_error(wal_file, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(wal_file))

    monkeypatch.setattr(cipher, "connect", refuse)
    with pytest.raises(store.UnusableDatabaseError, match=r"cannot be opened \(Permission denied\)"):
        Kit.open(wal_file)
