"""Schema and migrations: released databases open intact, upgrades back up first.

tests/data/schema-1.sqlite is a plain (unencrypted) demo village written by the release with schema
version 1 (``wijkkit.demo.create(path, today=date(2026, 11, 29))``, then
``PRAGMA wal_checkpoint(TRUNCATE)``). It is a frozen artefact: never regenerate it
with a newer Wijkkit. When migration 2 arrives, these tests prove that a schema-1
file upgrades with its data intact, encrypted, and with an encrypted backup beside it that is removed
once the upgraded file has been checked (``kept_backups`` keeps it for a test to read).
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from wijkkit import schema, store
from wijkkit.kit import Kit

DATA = Path(__file__).resolve().parent.parent / "data"
SCHEMA_1 = DATA / "schema-1.sqlite"

# What the released schema-1 file holds; an upgrade must keep every row.
SCHEMA_1_ROWS = {
    "neighbourhood": 2,
    "session": 2,
    "step": 16,
    "person": 12,
    "attendance": 12,
    "capture": 9,
    "agreement": 6,
}


@pytest.fixture
def schema_1_copy(tmp_path) -> Path:
    target = tmp_path / "wijkkit.sqlite"
    shutil.copy(SCHEMA_1, target)
    return target


@pytest.fixture
def kept_backups(monkeypatch) -> list[Path]:
    """Pre-upgrade backups stay (for the test to read) instead of being removed after the check."""
    kept: list[Path] = []
    monkeypatch.setattr(store, "drop_backup", kept.append)
    return kept


def raw(path: Path, sql: str) -> list[tuple]:
    """Read a database file (or its backup) directly, through its key."""
    with contextlib.closing(store.raw_connection(path)) as conn:
        return conn.execute(sql).fetchall()


def test_the_schema_1_file_is_a_clean_released_artefact():
    assert SCHEMA_1.read_bytes()[:16] == b"SQLite format 3\x00"
    assert not (DATA / "schema-1.sqlite-wal").exists()
    assert not (DATA / "schema-1.sqlite-shm").exists()
    with contextlib.closing(sqlite3.connect(f"file:{SCHEMA_1}?mode=ro&immutable=1", uri=True)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (1,)
        names = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY rowid")]
        assert names == ["m0001_initial"]


def test_a_schema_1_database_opens_intact_at_the_current_schema(schema_1_copy):
    with Kit.open(schema_1_copy) as kit:
        counts = {t: kit.db.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0] for t in SCHEMA_1_ROWS}
        assert counts == SCHEMA_1_ROWS
        assert kit.db.execute("PRAGMA user_version").fetchone()[0] == schema.schema_version()
        version, names = store.found_schema(kit.db)
        assert version == schema.schema_version()
        assert names == schema.known_migration_names()
        names = {p.name for p in kit.people.list()}
        assert {"Şükrü Yılmaz", "Łucja Wójcik", "Zoë van 't Hof-Dijkstra", "Nguyễn Thị Minh Khai"} <= names
        held, planned = kit.sessions.list()
        assert (held.status, planned.status) == ("held", "planned")
        assert held.starts_at == "2026-11-08T19:30" and planned.starts_at == "2026-12-27T19:30"
        assert planned.follows_session_id == held.id
        assert kit.db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert kit.db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        # every synced row carries field versions, so it will sync after the upgrade
        unstamped = kit.query(
            "SELECT 'person' AS t, id FROM person WHERE id NOT IN "
            "(SELECT row_id FROM _field_version WHERE tbl = 'person')"
        )
        assert unstamped == []
        # and it accepts writes at once, stamped after everything already in it
        newest = kit.db.execute("SELECT max(hlc) FROM _field_version").fetchone()[0]
        kit.update("person", kit.people.list()[0].id, {"notes": "na de upgrade"})
        assert kit.hlc.last > newest


def test_upgrading_schema_1_backs_it_up_once_and_keeps_the_data(schema_1_copy, kept_backups):
    folder = schema_1_copy.parent
    original = schema_1_copy.read_bytes()
    with Kit.open(schema_1_copy) as kit:
        assert "archived" in kit.columns("neighbourhood")
        assert {"invitation", "checklist_item"} <= set(kit.tables)
        assert all(not n.archived for n in kit.neighbourhoods.list(include_archived=True))
    backup = folder / "wijkkit.sqlite.before-schema-1.bak"
    assert kept_backups == [backup]
    assert backup.read_bytes()[:16] == schema_1_copy.read_bytes()[:16] != b"SQLite format 3\x00"  # encrypted
    assert raw(backup, "PRAGMA user_version") == [(1,)]
    assert raw(backup, "SELECT count(*) FROM person") == [(12,)]
    assert len(original) > 0
    with Kit.open(schema_1_copy):  # nothing pending any more: no second backup
        pass
    assert sorted(p.name for p in folder.glob("*.bak")) == [backup.name]


def test_a_new_database_gets_no_backup(tmp_path):
    with Kit.open(tmp_path / "new.sqlite"):
        pass
    assert [p.name for p in tmp_path.iterdir()] == ["new.sqlite"]


def test_a_pending_migration_backs_up_the_old_file_before_upgrading(schema_1_copy, monkeypatch, kept_backups):
    """With one more (test-only) migration, opening a current file leaves a faithful backup."""
    old_count = len(schema.known_migration_names())
    with Kit.open(schema_1_copy):  # bring the released file up to today's schema first
        pass
    for made in schema_1_copy.parent.glob("*.bak"):
        made.unlink()

    def m_test_add_column(db):
        db.execute("ALTER TABLE person ADD COLUMN nickname TEXT DEFAULT ''")

    monkeypatch.setattr(schema, "_steps", [*schema._steps, ("m9000_test_add_column", m_test_add_column)])
    before = schema_1_copy.read_bytes()
    with Kit.open(schema_1_copy) as kit:
        assert "nickname" in kit.columns("person")
        assert kit.db.execute("PRAGMA user_version").fetchone()[0] == old_count + 1
        assert kit.db.execute("SELECT count(*) FROM person").fetchone()[0] == 12
    backups = sorted(p.name for p in schema_1_copy.parent.glob("*.bak"))
    assert backups == [f"wijkkit.sqlite.before-schema-{old_count}.bak"]
    backup = schema_1_copy.parent / backups[0]
    assert raw(backup, "PRAGMA user_version") == [(old_count,)]
    assert [r[0] for r in raw(backup, "SELECT name FROM _sqlite_migrations")] == schema.known_migration_names()[:-1]
    assert "nickname" not in [r[1] for r in raw(backup, "PRAGMA table_info(person)")]
    assert raw(backup, "SELECT count(*) FROM person") == [(12,)]
    assert before != schema_1_copy.read_bytes()
    # a second open has nothing pending: no second backup
    with Kit.open(schema_1_copy):
        pass
    assert sorted(p.name for p in schema_1_copy.parent.glob("*.bak")) == backups


def test_schema_version_counts_the_known_migrations():
    names = schema.known_migration_names()
    assert schema.schema_version() == len(names) >= 1
    assert names[0] == "m0001_initial"
    assert len(set(names)) == len(names)
    assert all(n[:1] == "m" and n[1:5].isdigit() for n in names)
    assert [int(n[1:5]) for n in names] == list(range(1, len(names) + 1))


def test_every_synced_table_has_a_text_id_and_only_nullable_or_defaulted_columns(kit):
    """A field that arrives alone through sync must always fit in a new row."""
    for table in kit.tables:
        info = kit.db.execute(f"PRAGMA table_info([{table}])").fetchall()
        by_name = {c[1]: c for c in info}
        assert kit.columns(table)[0] == "id"
        assert by_name["id"][2] == "TEXT" and by_name["id"][5] == 1, f"{table}.id is not a TEXT primary key"
        for _cid, name, _type, notnull, default, pk in info:
            if not pk:
                assert not notnull or default is not None, f"{table}.{name} is NOT NULL without a default"
    assert schema.synced_columns(kit.db) == {t: kit.columns(t) for t in kit.tables}


def test_memory_and_file_databases_have_the_same_schema(kit, tmp_path):
    with Kit.open(tmp_path / "x.sqlite") as on_disk:
        sql = "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"
        assert kit.query(sql) == on_disk.query(sql)
        pragma = "PRAGMA user_version"
        assert kit.db.execute(pragma).fetchone() == on_disk.db.execute(pragma).fetchone()


def test_migration_6_records_how_conflicts_are_settled_and_keeps_the_old_ones(tmp_path, monkeypatch, kept_backups):
    """A schema-5 database (sync without the resolution column) upgrades with its conflicts intact."""
    from wijkkit.sync import merge

    path = tmp_path / "hub.sqlite"
    steps = schema._steps
    monkeypatch.setattr(schema, "_steps", steps[:5])
    with Kit.open(path) as kit:
        assert "resolution" not in [c[1] for c in kit.db.execute("PRAGMA table_info(_sync_conflict)")]
        insert = ("INSERT INTO _sync_conflict (tbl, row_id, field, value, kept_value, found_at, resolved_at) "
                  "VALUES ('neighbourhood', 'n1', 'name', ?, ?, '2025-11-29T10:00:00', ?)")  # fmt: skip
        with kit.transaction():
            kit.conn.execute(insert, ["Ellerveen-Oost", "Ellerveen-West", "2025-11-30T09:00:00"])
            kit.conn.execute(insert, ["Oost", "West", None])
    monkeypatch.setattr(schema, "_steps", steps)
    with Kit.open(path) as kit:
        assert kit.db.execute("PRAGMA user_version").fetchone()[0] == schema.schema_version() >= 6
        [settled] = merge.settled_conflicts(kit)
        assert (settled["value"], settled["resolved_at"], settled["resolution"]) == (
            "Ellerveen-Oost", "2025-11-30T09:00:00", None)  # settled before: how is not known  # fmt: skip
        [still_open] = merge.open_conflicts(kit)
        assert merge.resolve(kit, still_open["id"], "resolved") == "by_hand"
        assert [c["resolution"] for c in merge.settled_conflicts(kit)] == ["by_hand", None]
    assert raw(tmp_path / "hub.sqlite.before-schema-5.bak", "SELECT count(*) FROM _sync_conflict") == [(2,)]


def test_the_backup_is_removed_once_the_upgraded_file_checks_out(schema_1_copy):
    with Kit.open(schema_1_copy):
        pass
    assert sorted(p.name for p in schema_1_copy.parent.iterdir()) == ["wijkkit.sqlite"]


def test_the_backup_stays_when_the_upgraded_file_does_not_check_out(schema_1_copy, monkeypatch):
    monkeypatch.setattr(store, "_upgrade_checked", lambda conn: False)
    with Kit.open(schema_1_copy):
        pass
    assert raw(schema_1_copy.parent / "wijkkit.sqlite.before-schema-1.bak", "SELECT count(*) FROM person") == [(12,)]
