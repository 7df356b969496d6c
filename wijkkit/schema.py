"""The database schema as numbered migrations, and the guard against newer files.

Migrations are sqlite-utils' built-in ``Migrations``; each one is a function
named ``mNNNN_what``, registered with ``@migration``. sqlite-utils is imported
only when a migration is pending, so an up-to-date database opens without it. The schema version is the number of migrations. A file
whose ``_sqlite_migrations`` lists a migration this version does not know, or
whose ``user_version`` is higher, comes from a newer Wijkkit and is refused
before anything is written to it.

Every synced table has ``id TEXT PRIMARY KEY`` (a UUIDv7) and NULL-able columns
or defaults, so a field that arrives alone through sync always fits.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite3

    from sqlite_utils import Database, Migrations

MIGRATION_SET = "wijkkit"
_steps: list[tuple[str, Callable[[Database], None]]] = []


def migration(step: Callable[[Database], None]) -> Callable[[Database], None]:
    """Register a migration; its function name is its permanent name."""
    _steps.append((step.__name__, step))
    return step


def migrations() -> Migrations:
    """sqlite-utils' Migrations for every registered step (imported only when needed)."""
    from sqlite_utils import Migrations

    found = Migrations(MIGRATION_SET)
    for name, step in _steps:
        found(name=name)(step)
    return found


def database(conn: sqlite3.Connection) -> Database:
    """A sqlite-utils view of a connection, without scanning for sqlite-utils plugins."""
    from sqlite_utils import Database

    return Database(conn, execute_plugins=False)


@migration
def m0001_initial(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE _meta (key TEXT PRIMARY KEY, value TEXT);
        -- the version of every field of every synced row: who wrote it when,
        -- and which version that write replaced (its base, for conflict detection)
        CREATE TABLE _field_version (
            tbl TEXT NOT NULL, row_id TEXT NOT NULL, field TEXT NOT NULL,
            hlc INTEGER NOT NULL, replica TEXT NOT NULL,
            base_hlc INTEGER, base_replica TEXT,
            PRIMARY KEY (tbl, row_id, field)
        ) WITHOUT ROWID;
        CREATE INDEX _field_version_by_writer ON _field_version (replica, hlc);
        CREATE TABLE _tombstone (
            tbl TEXT NOT NULL, row_id TEXT NOT NULL,
            hlc INTEGER NOT NULL, replica TEXT NOT NULL,
            erased INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (tbl, row_id)
        ) WITHOUT ROWID;

        CREATE TABLE neighbourhood (
            id TEXT PRIMARY KEY, name TEXT, municipality TEXT,
            kind TEXT DEFAULT 'wijk', notes TEXT DEFAULT ''
        );
        CREATE TABLE session (
            id TEXT PRIMARY KEY,
            neighbourhood_id TEXT REFERENCES neighbourhood(id),
            title TEXT, theme TEXT DEFAULT '', starts_at TEXT, ends_at TEXT,
            location_name TEXT DEFAULT '', location_address TEXT DEFAULT '',
            facilitator TEXT DEFAULT '', status TEXT DEFAULT 'planned',
            method TEXT DEFAULT '', follows_session_id TEXT REFERENCES session(id),
            notes TEXT DEFAULT ''
        );
        CREATE INDEX session_by_neighbourhood ON session (neighbourhood_id, starts_at);
        CREATE TABLE step (
            id TEXT PRIMARY KEY, session_id TEXT REFERENCES session(id),
            position INTEGER DEFAULT 0, title TEXT, purpose TEXT DEFAULT '',
            minutes INTEGER DEFAULT 0, prompts TEXT DEFAULT '',
            group_form TEXT DEFAULT 'plenary', kind TEXT DEFAULT 'step'
        );
        CREATE INDEX step_by_session ON step (session_id, position);
        CREATE TABLE person (
            id TEXT PRIMARY KEY, name TEXT,
            neighbourhood_id TEXT REFERENCES neighbourhood(id),
            role TEXT DEFAULT 'inwoner', organisation TEXT DEFAULT '',
            email TEXT DEFAULT '', phone TEXT DEFAULT '',
            consent_contact INTEGER DEFAULT 0, consent_share INTEGER DEFAULT 0,
            consent_photos INTEGER DEFAULT 0, consent_at TEXT, notes TEXT DEFAULT ''
        );
        CREATE TABLE attendance (
            id TEXT PRIMARY KEY, session_id TEXT REFERENCES session(id),
            person_id TEXT REFERENCES person(id), present INTEGER DEFAULT 1,
            table_no INTEGER
        );
        CREATE INDEX attendance_by_session ON attendance (session_id);
        CREATE TABLE capture (
            id TEXT PRIMARY KEY, session_id TEXT REFERENCES session(id),
            step_id TEXT REFERENCES step(id), kind TEXT DEFAULT 'note',
            text TEXT DEFAULT '', table_no INTEGER, created_at TEXT
        );
        CREATE INDEX capture_by_session ON capture (session_id, created_at);
        CREATE TABLE agreement (
            id TEXT PRIMARY KEY, session_id TEXT REFERENCES session(id),
            title TEXT, description TEXT DEFAULT '',
            owner_person_id TEXT REFERENCES person(id), owner_party TEXT DEFAULT '',
            partners TEXT DEFAULT '', due_on TEXT, review_on TEXT,
            status TEXT DEFAULT 'open', offer_id TEXT, need_id TEXT
        );
        CREATE INDEX agreement_by_session ON agreement (session_id);
        CREATE INDEX agreement_by_status ON agreement (status, due_on);
        """
    )


@migration
def m0002_planning(db: Database) -> None:
    db.executescript(
        """
        ALTER TABLE neighbourhood ADD COLUMN archived INTEGER DEFAULT 0;
        CREATE TABLE invitation (
            id TEXT PRIMARY KEY, session_id TEXT REFERENCES session(id),
            channel TEXT, planned_on TEXT, done_on TEXT, reach INTEGER,
            notes TEXT DEFAULT ''
        );
        CREATE INDEX invitation_by_session ON invitation (session_id);
        CREATE TABLE checklist_item (
            id TEXT PRIMARY KEY, session_id TEXT REFERENCES session(id),
            label TEXT, done INTEGER DEFAULT 0, position INTEGER DEFAULT 0
        );
        CREATE INDEX checklist_by_session ON checklist_item (session_id, position);
        """
    )


@migration
def m0003_live(db: Database) -> None:
    """The evening itself: the clock's event log, and what is captured per step and table."""
    db.executescript(
        """
        CREATE TABLE timer_event (
            id TEXT PRIMARY KEY, session_id TEXT REFERENCES session(id),
            step_id TEXT, kind TEXT, at TEXT, seconds INTEGER DEFAULT 0
        );
        CREATE INDEX timer_event_by_session ON timer_event (session_id, at);
        CREATE TABLE obstacle (
            id TEXT PRIMARY KEY, session_id TEXT REFERENCES session(id),
            text TEXT DEFAULT '', category TEXT DEFAULT '', status TEXT DEFAULT 'open',
            step_id TEXT, table_no INTEGER, created_at TEXT
        );
        CREATE INDEX obstacle_by_session ON obstacle (session_id);
        CREATE TABLE offer (
            id TEXT PRIMARY KEY, session_id TEXT REFERENCES session(id),
            person_id TEXT REFERENCES person(id), text TEXT DEFAULT '',
            category TEXT DEFAULT '', status TEXT DEFAULT 'open',
            step_id TEXT, table_no INTEGER, created_at TEXT
        );
        CREATE INDEX offer_by_session ON offer (session_id);
        CREATE TABLE need (
            id TEXT PRIMARY KEY, session_id TEXT REFERENCES session(id),
            person_id TEXT REFERENCES person(id), text TEXT DEFAULT '',
            category TEXT DEFAULT '', status TEXT DEFAULT 'open',
            step_id TEXT, table_no INTEGER, created_at TEXT
        );
        CREATE INDEX need_by_session ON need (session_id);
        ALTER TABLE agreement ADD COLUMN step_id TEXT;
        ALTER TABLE agreement ADD COLUMN table_no INTEGER;
        ALTER TABLE agreement ADD COLUMN created_at TEXT;
        """
    )


@migration
def m0004_people(db: Database) -> None:
    """People and follow-up: consent records, attendance counts, agreement history, tasks."""
    db.executescript(
        """
        ALTER TABLE session ADD COLUMN anonymous_count INTEGER DEFAULT 0;
        ALTER TABLE obstacle ADD COLUMN addressed_by TEXT DEFAULT '';
        CREATE TABLE consent_record (
            id TEXT PRIMARY KEY, person_id TEXT REFERENCES person(id),
            kind TEXT, given INTEGER DEFAULT 0, wording TEXT DEFAULT '', at TEXT, session_id TEXT
        );
        CREATE INDEX consent_by_person ON consent_record (person_id, at);
        CREATE TABLE agreement_update (
            id TEXT PRIMARY KEY, agreement_id TEXT REFERENCES agreement(id),
            session_id TEXT REFERENCES session(id), status TEXT, note TEXT DEFAULT '', at TEXT
        );
        CREATE INDEX agreement_update_by_agreement ON agreement_update (agreement_id, at);
        CREATE TABLE follow_up (
            id TEXT PRIMARY KEY, session_id TEXT REFERENCES session(id),
            kind TEXT DEFAULT 'task', title TEXT, due_on TEXT, done_on TEXT, owner TEXT DEFAULT ''
        );
        CREATE INDEX follow_up_by_session ON follow_up (session_id);
        CREATE INDEX attendance_by_person ON attendance (person_id);
        """
    )


@migration
def m0005_sync(db: Database) -> None:
    """Sync bookkeeping, local to each database (underscore tables never travel)."""
    db.executescript(
        """
        CREATE TABLE _sync_conflict (
            id INTEGER PRIMARY KEY AUTOINCREMENT, tbl TEXT, row_id TEXT, field TEXT,
            value, hlc INTEGER, replica TEXT, kept_value, kept_hlc INTEGER, kept_replica TEXT,
            reason TEXT DEFAULT 'concurrent', bundle TEXT, found_at TEXT, resolved_at TEXT
        );
        CREATE INDEX _sync_conflict_open ON _sync_conflict (resolved_at, tbl, row_id);
        CREATE TABLE _sync_applied (bundle_id TEXT PRIMARY KEY, sha256 TEXT, sender TEXT, applied_at TEXT,
                                    changes INTEGER DEFAULT 0);
        CREATE TABLE _sync_seen (replica TEXT PRIMARY KEY, hlc INTEGER NOT NULL);
        CREATE TABLE _sync_withheld (tbl TEXT, row_id TEXT, field TEXT, PRIMARY KEY (tbl, row_id, field));
        CREATE TABLE _sync_peer (
            replica TEXT PRIMARY KEY, name TEXT DEFAULT '', sign_key TEXT, age_recipient TEXT,
            trusted INTEGER DEFAULT 0, first_seen TEXT, last_bundle TEXT, last_bundle_at TEXT,
            known TEXT DEFAULT '{}'
        );
        """
    )


@migration
def m0006_conflict_resolution(db: Database) -> None:
    """How each sync conflict was settled ('kept', 'took_other', 'by_hand'); NULL for those settled before."""
    db.execute("ALTER TABLE _sync_conflict ADD COLUMN resolution TEXT")


@migration
def m0007_trust_and_scope(db: Database) -> None:
    """Sync you can check and bound: keys per claimed laptop id, revocation, neighbourhood scope,
    who registered each row, what each laptop was given, refused changes and refused files."""
    db.executescript(
        """
        -- every key that has claimed a laptop id at the hub: one id may be claimed by several keys,
        -- and only the one the coordinator compared (by fingerprint) becomes the trusted peer
        CREATE TABLE _sync_claim (
            replica TEXT NOT NULL, fingerprint TEXT NOT NULL, sign_key TEXT NOT NULL,
            age_recipient TEXT NOT NULL, first_seen TEXT, last_seen TEXT,
            PRIMARY KEY (replica, fingerprint)
        );
        ALTER TABLE _sync_peer ADD COLUMN fingerprint TEXT;
        ALTER TABLE _sync_peer ADD COLUMN revoked_at TEXT;
        ALTER TABLE _sync_peer ADD COLUMN copied_at TEXT;
        -- keys whose bundles are refused for good (a revoked laptop is trusted again only with a new key)
        CREATE TABLE _sync_revoked (fingerprint TEXT PRIMARY KEY, replica TEXT, at TEXT);
        -- the neighbourhoods a laptop serves: those it created and those the hub assigned
        CREATE TABLE _sync_scope (
            replica TEXT NOT NULL, neighbourhood_id TEXT NOT NULL, how TEXT NOT NULL, at TEXT,
            PRIMARY KEY (replica, neighbourhood_id)
        );
        -- the replica that first brought each row to this database (who registered a person)
        CREATE TABLE _sync_origin (
            tbl TEXT NOT NULL, row_id TEXT NOT NULL, replica TEXT NOT NULL, PRIMARY KEY (tbl, row_id)
        ) WITHOUT ROWID;
        -- rows of a laptop's scope the hub has put in a return bundle; confirmed once the laptop says
        -- it applied that bundle; restore: a deletion the hub refused, to be undone on that laptop
        CREATE TABLE _sync_given (
            replica TEXT NOT NULL, tbl TEXT NOT NULL, row_id TEXT NOT NULL, bundle_id TEXT,
            confirmed INTEGER NOT NULL DEFAULT 0, restore INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (replica, tbl, row_id)
        ) WITHOUT ROWID;
        -- changes of a trusted laptop the hub refused (out of scope, not its stamp, not its person)
        CREATE TABLE _sync_refusal (
            id INTEGER PRIMARY KEY AUTOINCREMENT, replica TEXT, bundle TEXT, tbl TEXT, row_id TEXT,
            field TEXT, value, hlc INTEGER, stamped_by TEXT, reason TEXT, at TEXT, handled_at TEXT
        );
        CREATE INDEX _sync_refusal_by_replica ON _sync_refusal (replica, id);
        -- own changes of a laptop the hub refused: its next return bundle tells it to take the hub's value
        CREATE TABLE _sync_overrule (
            replica TEXT, tbl TEXT, row_id TEXT, field TEXT, hlc INTEGER, bundle_id TEXT,
            PRIMARY KEY (replica, tbl, row_id, field)
        );
        -- files in the inbox refused before merging (a stranger's, damaged, too large): not read again
        CREATE TABLE _sync_rejected_file (
            name TEXT NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, sha256 TEXT,
            reason TEXT, at TEXT, PRIMARY KEY (name, size, mtime_ns)
        );
        """
    )
    _bind_existing_peers(db)


@migration
def m0008_outreach_and_dots(db: Database) -> None:
    """Invitations and feedback that go out, and choosing together: when the e-mail draft of an
    invitation was prepared; per meeting and channel when its feedback to the neighbourhood was
    prepared and sent; and per captured dream or idea the dots it got and the draft agreement
    it became."""
    db.executescript(
        """
        ALTER TABLE invitation ADD COLUMN prepared_on TEXT;
        CREATE TABLE feedback (
            id TEXT PRIMARY KEY, session_id TEXT REFERENCES session(id),
            channel TEXT, prepared_on TEXT, sent_on TEXT, reach INTEGER, notes TEXT DEFAULT ''
        );
        CREATE INDEX feedback_by_session ON feedback (session_id);
        ALTER TABLE capture ADD COLUMN dots INTEGER;
        ALTER TABLE capture ADD COLUMN agreement_id TEXT;
        """
    )


def _bind_existing_peers(db: Database) -> None:
    """Peers from before fingerprints: a trusted one keeps its key (now with its fingerprint); a waiting
    one becomes a claim; every laptop keeps authority over the rows it wrote first (best known writer)."""
    from wijkkit.sync.identity import fingerprint

    conn = db.conn
    for replica, sign_key, recipient, trusted, first_seen in conn.execute(
        "SELECT replica, sign_key, age_recipient, trusted, first_seen FROM _sync_peer"
    ).fetchall():
        found = fingerprint(sign_key or "", recipient or "")
        conn.execute("INSERT OR IGNORE INTO _sync_claim VALUES (?, ?, ?, ?, ?, ?)",
                     [replica, found, sign_key or "", recipient or "", first_seen, first_seen])  # fmt: skip
        if trusted:
            conn.execute("UPDATE _sync_peer SET fingerprint = ? WHERE replica = ?", [found, replica])
        else:
            conn.execute("DELETE FROM _sync_peer WHERE replica = ?", [replica])
    conn.execute(
        "INSERT OR IGNORE INTO _sync_origin SELECT tbl, row_id, replica FROM _field_version fv "
        "WHERE hlc = (SELECT min(hlc) FROM _field_version o WHERE o.tbl = fv.tbl AND o.row_id = fv.row_id)"
    )
    conn.execute(
        "INSERT OR IGNORE INTO _sync_scope SELECT o.replica, o.row_id, 'created', NULL FROM _sync_origin o "
        "JOIN _sync_peer p ON p.replica = o.replica WHERE o.tbl = 'neighbourhood'"
    )


def schema_version() -> int:
    """The schema version this Wijkkit writes: the number of migrations it knows."""
    return len(_steps)


def known_migration_names() -> list[str]:
    return [name for name, _step in _steps]


def synced_columns(conn: sqlite3.Connection) -> dict[str, tuple[str, ...]]:
    """Every synced table with its columns (id first), read from the live schema."""
    names = [
        row[0]
        for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")
        if not row[0].startswith(("_", "sqlite_"))
    ]
    return {name: tuple(c[1] for c in conn.execute(f"PRAGMA table_info([{name}])")) for name in names}
