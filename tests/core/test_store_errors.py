"""Opening bad files: each is refused with its own error and left byte-for-byte as it was.

Tests run as root in CI containers, where permission bits do not stop a write and
``os.access(W_OK)`` is always true. A truly read-only file is therefore made with
``chattr +i`` (immutable, which stops root too) when running as root, and with
``chmod 0o444`` otherwise (on Windows the read-only attribute, which stops a write into a file
but not into a folder). The translation of SQLite's own read-only error is
tested on its own as well, so that path is covered on every machine.
"""

from __future__ import annotations

import contextlib
import json
import random
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.portable import is_root
from wijkkit import i18n, jsonio, schema, store
from wijkkit.errors import (
    DatabaseError,
    DatabaseLockedError,
    ImportFormatError,
    KitError,
    Message,
    MissingKeyError,
    NewerSchemaError,
    NotADatabaseError,
    ReadOnlyDatabaseError,
    StorageFullError,
)
from wijkkit.kit import Kit


def files_in(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


@pytest.fixture
def wijkkit_file(tmp_path) -> Path:
    """A small, closed Wijkkit database with one neighbourhood in it."""
    path = tmp_path / "wijkkit.sqlite"
    with Kit.open(path) as kit:
        kit.neighbourhoods.add("Ellerveen", "Veldhorst", "kern")
    assert files_in(tmp_path) == {"wijkkit.sqlite"}, "closing left -wal/-shm files behind"
    return path


def refused_unchanged(path: Path, error: type[DatabaseError]) -> DatabaseError:
    """Open ``path``, expect ``error``, and check that nothing in its folder changed."""
    folder = path.parent
    before_files = files_in(folder)
    before_bytes = path.read_bytes() if path.is_file() else None
    with pytest.raises(error) as caught:
        Kit.open(path)
    assert files_in(folder) == before_files, "opening left files behind"
    if before_bytes is not None:
        assert path.read_bytes() == before_bytes, "the refused file was changed"
    assert str(path) in caught.value.english()
    return caught.value


# -- not a database ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"Dit is een boodschappenlijst.\nmelk\nbrood\n", id="text"),
        pytest.param(random.Random(7).randbytes(8100), id="random-bytes"),
        pytest.param(json.dumps({"format": "wijkkit", "version": 1, "tables": {}}).encode(), id="json-export"),
        pytest.param(b"SQLite format 3", id="header-without-nul"),
        pytest.param(b"SQLite format 3\x00" + random.Random(8).randbytes(4096), id="header-then-garbage"),
    ],
)
def test_a_file_that_is_not_sqlite_is_refused_unchanged(tmp_path, content):
    path = tmp_path / "wijkkit.sqlite"
    path.write_bytes(content)
    refused_unchanged(path, NotADatabaseError)


def test_random_pages_look_encrypted_and_are_refused_unchanged_for_want_of_a_key(tmp_path):
    """Whole pages of random bytes cannot be told from an SQLCipher file whose key is elsewhere."""
    path = tmp_path / "wijkkit.sqlite"
    path.write_bytes(random.Random(7).randbytes(8192))
    error = refused_unchanged(path, MissingKeyError)
    assert "not a Wijkkit database" in error.english()


def test_a_directory_is_refused(tmp_path):
    folder = tmp_path / "wijkkit.sqlite"
    folder.mkdir()
    (folder / "inside.txt").write_text("x", encoding="utf-8")
    refused_unchanged(folder, NotADatabaseError)
    assert files_in(folder) == {"inside.txt"}


@pytest.mark.parametrize(
    "ddl",
    [
        pytest.param("CREATE TABLE notes (text TEXT)", id="unrelated-tables"),
        pytest.param("CREATE TABLE person (pk INTEGER PRIMARY KEY, naam TEXT)", id="clashing-table"),
    ],
)
def test_another_programs_sqlite_database_is_refused_unchanged(tmp_path, ddl):
    """An SQLite file with tables but without Wijkkit's migrations is someone else's data.

    Opening it must neither turn it into a Wijkkit database (adding tables and switching
    it to WAL) nor fail with a raw sqlite3 error after having changed it.
    """
    path = tmp_path / "places.sqlite"
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute(ddl)
        conn.commit()
    refused_unchanged(path, NotADatabaseError)


# -- read-only ---------------------------------------------------------------------------


@contextlib.contextmanager
def read_only(path: Path):
    """Make ``path`` (a file or a folder) truly unwritable for this process, then restore it."""
    if not is_root():
        mode = path.stat().st_mode
        path.chmod(mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
        try:
            yield
        finally:
            path.chmod(mode)
        return
    chattr = shutil.which("chattr") if sys.platform == "linux" else None
    if chattr is None:
        pytest.fail("running as root without chattr (Linux, e2fsprogs): cannot make a file read-only for root")
    made = subprocess.run([chattr, "+i", str(path)], capture_output=True, encoding="utf-8", errors="replace")
    if made.returncode != 0:
        pytest.fail(f"chattr +i failed ({made.stderr.strip()}); root needs CAP_LINUX_IMMUTABLE and ext4/xfs/btrfs")
    try:
        yield
    finally:
        subprocess.run([chattr, "-i", str(path)], check=True, capture_output=True)


def test_a_read_only_file_is_refused_unchanged(wijkkit_file):
    with read_only(wijkkit_file):
        with pytest.raises(OSError):  # proves the file really is read-only, also for root
            wijkkit_file.open("ab").close()
        error = refused_unchanged(wijkkit_file, ReadOnlyDatabaseError)
    assert "cannot be written to" in error.english()


@pytest.mark.only_on("posix", reason="Windows has no read-only folders: its read-only attribute on a folder "
                     "does not stop files being made in it")  # fmt: skip
def test_a_database_in_a_read_only_folder_is_refused(wijkkit_file):
    folder = wijkkit_file.parent
    with read_only(folder):
        refused_unchanged(wijkkit_file, ReadOnlyDatabaseError)
        refused_unchanged(folder / "new.sqlite", ReadOnlyDatabaseError)
        assert not (folder / "new.sqlite").exists()


def test_a_new_database_whose_folder_cannot_be_made_is_read_only(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(ReadOnlyDatabaseError):
        Kit.open(blocker / "sub" / "wijkkit.sqlite")
    assert blocker.read_text(encoding="utf-8") == "x"


@pytest.mark.parametrize(
    ("raised", "expected"),
    [
        (store.OperationalError("attempt to write a readonly database"), ReadOnlyDatabaseError),
        (store.OperationalError("database or disk is full"), StorageFullError),
        (store.OperationalError("database is locked"), DatabaseLockedError),
        (store.OperationalError("database table is busy"), DatabaseLockedError),
        (store.SQLiteDatabaseError("file is not a database"), NotADatabaseError),
    ],
)
def test_sqlite_errors_are_translated_into_messages(raised, expected):
    with pytest.raises(expected) as caught, store.sqlite_errors("/data/wijkkit.sqlite"):
        raise raised
    assert caught.value.__cause__ is raised
    if "{path}" in expected.template:
        assert "/data/wijkkit.sqlite" in caught.value.english()


@pytest.mark.parametrize(
    "raised",
    [store.OperationalError("no such table: x"), store.IntegrityError("UNIQUE constraint failed")],
)
def test_other_sqlite_errors_pass_through_untouched(raised):
    with pytest.raises(type(raised)) as caught, store.sqlite_errors("x.sqlite"):
        raise raised
    assert caught.value is raised


def test_a_readonly_error_during_a_write_reaches_the_caller_translated(kit):
    """The Kit's transaction translates the error SQLite raises when a file turned read-only."""
    row_id = kit.insert("neighbourhood", {"name": "A"})

    kit.conn.execute("PRAGMA query_only = ON")  # SQLite now refuses writes as for a read-only file
    with pytest.raises(ReadOnlyDatabaseError):
        kit.update("neighbourhood", row_id, {"name": "B"})
    kit.conn.execute("PRAGMA query_only = OFF")
    assert kit.row("neighbourhood", row_id)["name"] == "A"
    assert not kit.conn.in_transaction


# -- newer schema ------------------------------------------------------------------------


def _set_user_version(path: Path, version: int) -> None:
    with contextlib.closing(store.raw_connection(path)) as conn:  # through the file's key
        conn.execute(f"PRAGMA user_version = {version}")
        conn.commit()


def _add_future_migration(path: Path, name: str) -> None:
    with contextlib.closing(store.raw_connection(path)) as conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, ?, ?)",
            [schema.MIGRATION_SET, name, "2031-01-01 00:00:00"],
        )
        conn.commit()


def test_a_database_with_a_higher_user_version_is_refused_unchanged(wijkkit_file):
    _set_user_version(wijkkit_file, 99)
    error = refused_unchanged(wijkkit_file, NewerSchemaError)
    known = schema.schema_version()
    assert error.params["found"] == 99 and error.params["known"] == known
    assert f"schema 99, this version knows up to {known}" in error.english()
    assert "the file was not changed" in error.english()


def test_a_database_with_an_unknown_migration_is_refused_unchanged(wijkkit_file):
    _add_future_migration(wijkkit_file, "m9999_from_the_future")
    known = schema.schema_version()
    error = refused_unchanged(wijkkit_file, NewerSchemaError)
    assert error.params["found"] == known + 1
    assert f"schema {known + 1}, this version knows up to {known}" in error.english()


def test_a_migration_set_of_another_program_in_the_same_file_is_not_a_newer_schema(wijkkit_file):
    with contextlib.closing(store.raw_connection(wijkkit_file)) as conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('plugin', 'm0001_x', 'x')"
        )
        conn.commit()
    with Kit.open(wijkkit_file) as kit:
        assert [n.name for n in kit.neighbourhoods.list()] == ["Ellerveen"]


# -- full disk ---------------------------------------------------------------------------


def export_state(kit: Kit) -> dict:
    state = jsonio.export_data(kit)
    state["_field_version"] = kit.query("SELECT * FROM _field_version ORDER BY tbl, row_id, field")
    state["_meta"] = kit.query("SELECT * FROM _meta ORDER BY key")
    return state


def test_a_full_disk_raises_storage_full_and_keeps_what_was_there(wijkkit_file):
    with Kit.open(wijkkit_file) as kit:
        heard = []
        kit.on_change(heard.append)
        before = export_state(kit)
        pages = kit.db.execute("PRAGMA page_count").fetchone()[0]
        kit.db.execute(f"PRAGMA max_page_count = {pages + 2}")
        with pytest.raises(StorageFullError) as caught, kit.transaction():
            for i in range(20):
                kit.neighbourhoods.add(f"Buurt {i}", notes="x" * 50_000)
        assert isinstance(caught.value.__cause__, store.OperationalError)
        assert export_state(kit) == before
        assert heard == []
        # a single large write on its own fails the same way
        with pytest.raises(StorageFullError):
            kit.insert("neighbourhood", {"name": "Groot", "notes": "y" * 50_000})
        assert export_state(kit) == before
        # once there is room again the Kit works normally
        kit.db.execute("PRAGMA max_page_count = 1073741823")
        kit.neighbourhoods.add("Daarna")
    with Kit.open(wijkkit_file) as kit:
        assert sorted(n.name for n in kit.neighbourhoods.list()) == ["Daarna", "Ellerveen"]


# -- messages ----------------------------------------------------------------------------


class FakeDutch:
    """A tiny stand-in catalogue, so the mechanism is tested whatever the real .po holds."""

    CATALOGUE = {
        ImportFormatError.template: "Het bestand {path} kan niet worden ingelezen: {reason}",
        "it is not valid JSON.": "het is geen geldige JSON.",
        NewerSchemaError.template: "Nieuwer: {path} ({found} > {known}).",
    }

    def gettext(self, message: str) -> str:
        return self.CATALOGUE.get(message, message)


def test_english_and_localized_messages_with_a_catalogue(monkeypatch):
    monkeypatch.setattr(i18n, "_translations", FakeDutch())
    error = ImportFormatError(path="x.json", reason=Message("it is not valid JSON."))
    assert error.english() == "The file x.json cannot be imported: it is not valid JSON."
    assert str(error) == error.english()
    assert error.localized() == "Het bestand x.json kan niet worden ingelezen: het is geen geldige JSON."
    newer = NewerSchemaError(path="a", found=3, known=1)
    assert newer.localized() == "Nieuwer: a (3 > 1)."
    assert "schema 3, this version knows up to 1" in newer.english()


@pytest.mark.parametrize(
    "error",
    [
        NotADatabaseError(path="/tmp/x.sqlite"),
        ReadOnlyDatabaseError(path="/tmp/x.sqlite"),
        NewerSchemaError(path="/tmp/x.sqlite", found=2, known=1),
        StorageFullError(),
        DatabaseLockedError(path="/tmp/x.sqlite"),
        ImportFormatError(path="x.json", reason=Message("unknown table {name}.", name="foo")),
        KitError(),
    ],
    ids=lambda e: type(e).__name__,
)
def test_localized_is_the_dutch_catalogue_applied_to_the_same_template(error):
    i18n.set_language("nl")
    params = {k: v.localized() if isinstance(v, Message) else v for k, v in error.params.items()}
    assert error.localized() == i18n.gettext(error.template).format(**params)
    english_params = {k: str(v) for k, v in error.params.items()}
    assert error.english() == error.template.format(**english_params)
    assert "{" not in error.english(), "a parameter was left unfilled"
    i18n.set_language("en")
    assert error.localized() == error.english()
