"""The Kit: the one object that owns a database and every write to it.

Pages, the command line and the sync engine all go through a Kit. Its write
methods (``insert``, ``update``, ``delete``) stamp every changed field with a
hybrid-logical-clock version and this replica's id in ``_field_version``, and
leave a tombstone for each delete. Because this is the only place that writes,
sync metadata can never be forgotten.

Small managers (``kit.sessions``, ``kit.people`` ...) hold the queries and the
rules of each area and hand plain frozen dataclasses to their callers. What must
hold whichever way a row arrives (a form, a JSON file, the command line) is checked
here: each value against its column (wijkkit.validate) and each row against the
rules about whole rows, such as contact details only with consent (wijkkit.rules),
which also keeps the consent history. Sync's merge writes around these on purpose.

Listeners registered with ``on_change`` hear about committed changes through a
plain callback; the UI adapts that to Qt, the core never knows.
"""

from __future__ import annotations

import contextlib
import functools
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlite3  # only named: connections are sqlcipher3's, and the app's start loads no second SQLite

    from sqlite_utils import Database

from wijkkit import schema, store
from wijkkit.errors import Message, StillReferencedError, ValidationError
from wijkkit.hlc import HybridClock, wall_ms
from wijkkit.i18n import N_
from wijkkit.ids import new_id

Changes = dict[str, set[str]]  # table -> ids changed in one transaction
Listener = Callable[[Changes], None]


def _normalise(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, bool):
        return int(value)
    return value


class Kit:
    """One open Wijkkit database. Use ``Kit.open(path)`` or ``Kit.memory()``."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None = None, clock: Callable[[], int] = wall_ms):
        self.conn = conn
        self.path = path
        self._columns = schema.synced_columns(conn)
        self._listeners: list[Listener] = []
        self._pending: Changes = {}
        self._depth = 0
        self.hlc = HybridClock(last=int(self._meta("hlc_last") or 0), clock=clock)
        self.replica_id = self._meta("replica_id") or self._new_replica()
        # Local versions up to this stamp have left in a bundle; later ones are still drafts.
        self.sent_watermark = int(self._meta("sync_sent_hlc") or 0)

    # -- managers, made on first use (start-up only pays for the ones the first page needs) --

    @functools.cached_property
    def neighbourhoods(self):
        from wijkkit.neighbourhoods import Neighbourhoods

        return Neighbourhoods(self)

    @functools.cached_property
    def sessions(self):
        from wijkkit.sessions import Sessions

        return Sessions(self)

    @functools.cached_property
    def people(self):
        from wijkkit.people import People

        return People(self)

    @functools.cached_property
    def agreements(self):
        from wijkkit.agreements import Agreements

        return Agreements(self)

    @functools.cached_property
    def preparation(self):
        from wijkkit.preparation import Preparation

        return Preparation(self)

    @functools.cached_property
    def live(self):
        from wijkkit.live import Live

        return Live(self)

    @functools.cached_property
    def attendance(self):
        from wijkkit.attendance import Attendance

        return Attendance(self)

    @functools.cached_property
    def exchange(self):
        from wijkkit.exchange import Exchange

        return Exchange(self)

    @functools.cached_property
    def followups(self):
        from wijkkit.followups import FollowUps

        return FollowUps(self)

    @functools.cached_property
    def dots(self):
        from wijkkit.dots import Dots

        return Dots(self)

    @functools.cached_property
    def outreach(self):
        from wijkkit.outreach import Outreach

        return Outreach(self)

    # -- opening and closing -------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, clock: Callable[[], int] = wall_ms) -> Kit:
        path = Path(path)
        return cls(store.open_database(path), path, clock)

    @classmethod
    def memory(cls, clock: Callable[[], int] = wall_ms) -> Kit:
        return cls(store.open_memory(), None, clock)

    @functools.cached_property
    def db(self) -> Database:
        """The same connection seen through sqlite-utils, for schema work and tools.

        The Kit's own reads and writes use the plain connection: it is what a
        meeting's every button press goes through, and it keeps start-up fast.
        """
        return schema.database(self.conn)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Kit:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- metadata ------------------------------------------------------------

    def _meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM _meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def _set_meta(self, key: str, value: str) -> None:
        self.conn.execute(
            "INSERT INTO _meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )

    def _new_replica(self) -> str:
        replica = new_id().replace("-", "")[-16:]
        with self.transaction():
            self._set_meta("replica_id", replica)
        return replica

    def columns(self, table: str) -> tuple[str, ...]:
        """The columns of a synced table; KeyError for anything else."""
        return self._columns[table]

    @property
    def tables(self) -> tuple[str, ...]:
        return tuple(self._columns)

    # -- transactions and listeners -----------------------------------------

    def on_change(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(changes)`` after every committed write; returns an unsubscribe."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Kit]:
        """All writes inside commit together or not at all; nests freely."""
        outermost = self._depth == 0
        hlc_before = self.hlc.last
        pending_before = {table: set(ids) for table, ids in self._pending.items()}
        self._depth += 1
        try:
            with store.sqlite_errors(self.path or ":memory:"), self._atomic():
                yield self
                if outermost and self.hlc.last != hlc_before:
                    self._set_meta("hlc_last", str(self.hlc.last))
        except BaseException:
            self._pending = pending_before  # what this level touched was rolled back
            raise
        finally:
            self._depth -= 1
        if outermost and self._pending:
            changes, self._pending = self._pending, {}
            for listener in list(self._listeners):
                listener(changes)

    @contextlib.contextmanager
    def _atomic(self) -> Iterator[None]:
        """BEGIN/COMMIT, or a savepoint when already inside a transaction."""
        if self.conn.in_transaction:
            name = f"kit_{self._depth}"
            self.conn.execute(f"SAVEPOINT {name}")
            try:
                yield
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                    self.conn.execute(f"RELEASE SAVEPOINT {name}")
                raise
            self.conn.execute(f"RELEASE SAVEPOINT {name}")
            return
        self.conn.execute("BEGIN")
        self._catch_up()
        try:
            yield
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise

    def _catch_up(self) -> None:
        """Another connection (a worker thread, a second Kit) may have stamped or sent since."""
        for key, value in self.conn.execute(
            "SELECT key, value FROM _meta WHERE key IN ('hlc_last', 'sync_sent_hlc')"
        ):
            if key == "hlc_last":
                self.hlc.observe(int(value))
            else:
                self.sent_watermark = max(self.sent_watermark, int(value))

    def _touched(self, table: str, row_id: str) -> None:
        self._pending.setdefault(table, set()).add(row_id)

    def pending(self, table: str) -> frozenset[str]:
        """The ids of ``table`` written in the transaction under way (not yet heard by listeners)."""
        return frozenset(self._pending.get(table, ()))

    # -- stamped writes --------------------------------------------------------

    def _check_fields(self, table: str, fields: dict[str, Any]) -> None:
        """Every field must exist and its value fit the column (validate.py): what the Kit writes is
        what a bundle or an import may carry, so a value made here can never block a laptop's sync."""
        known = self.columns(table)
        unknown = [f for f in fields if f not in known or f == "id"]
        if unknown:
            raise ValueError(f"unknown fields for {table}: {', '.join(unknown)}")
        from wijkkit import validate

        for name, value in fields.items():
            if (problem := validate.problem(table, name, value)) is not None:
                raise ValidationError(N_("The value of {name} is not valid: {problem}"), field=name, name=name,
                                      problem=problem)  # fmt: skip

    def _stamp(self, table: str, row_id: str, fields: list[str], floor: int = 0) -> None:
        """Stamp changed fields; the base is the version this write replaced.

        Editing a field twice before a sync keeps the first edit's base: the draft in
        between never left this computer, so nobody can have written concurrently with it.
        A write always goes past the version it replaces, also one stamped ahead of this
        clock (received stamps move the clock only a little: merge.MAX_AHEAD_MS), and past
        ``floor`` when given (the hub answering a refused change).
        """
        stamp = max(self.hlc.now(), floor)
        marks = ", ".join("?" * len(fields))
        top = self.conn.execute(f"SELECT max(hlc) FROM _field_version WHERE tbl = ? AND row_id = ? "
                                f"AND field IN ({marks})", [table, row_id, *fields]).fetchone()[0] or 0
        stamp = max(stamp, top + 1)
        self.hlc.observe(stamp)
        self.conn.executemany(
            "INSERT INTO _field_version (tbl, row_id, field, hlc, replica, base_hlc, base_replica) "
            "VALUES (?, ?, ?, ?, ?, NULL, NULL) "
            "ON CONFLICT (tbl, row_id, field) DO UPDATE SET "
            "base_hlc = CASE WHEN _field_version.replica = excluded.replica AND _field_version.hlc > ? "
            "THEN _field_version.base_hlc ELSE _field_version.hlc END, "
            "base_replica = CASE WHEN _field_version.replica = excluded.replica AND _field_version.hlc > ? "
            "THEN _field_version.base_replica ELSE _field_version.replica END, "
            "hlc = max(excluded.hlc, _field_version.hlc + 1), replica = excluded.replica",
            [(table, row_id, f, stamp, self.replica_id, self.sent_watermark, self.sent_watermark) for f in fields],
        )

    def insert(self, table: str, values: dict[str, Any], row_id: str | None = None, *,
               consent_session_id: str | None = None) -> str:  # fmt: skip
        """Insert a new row; every given field is stamped. Returns the row's id.

        The row must meet the rules about whole rows (wijkkit.rules); each consent given for a person
        is recorded (``consent_session_id``: the meeting where it was asked).
        """
        from wijkkit import rules

        values = {k: _normalise(v) for k, v in values.items() if k != "id"}
        self._check_fields(table, values)
        row_id = row_id or new_id()
        with self.transaction():
            rules.check(self, table, {"id": row_id, **values}, None)
            columns = ["id", *values]
            self.conn.execute(
                f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in columns)}) "
                f"VALUES ({', '.join('?' * len(columns))})",
                [row_id, *values.values()],
            )
            self._stamp(table, row_id, list(values))
            self._touched(table, row_id)
            rules.after_write(self, table, row_id, values, consent_session_id)
        return row_id

    def update(self, table: str, row_id: str, changes: dict[str, Any], *,
               consent_session_id: str | None = None) -> list[str]:  # fmt: skip
        """Change some fields of a row; only fields whose value differs are stamped.

        The row as it will be must meet the rules whose fields change (wijkkit.rules); a person's
        consent that changes is recorded. Returns the names of the fields that changed.
        """
        from wijkkit import rules

        changes = {k: _normalise(v) for k, v in changes.items() if k != "id"}
        self._check_fields(table, changes)
        with self.transaction():
            current = self.row(table, row_id)
            if current is None:
                from wijkkit.models import not_found

                raise not_found(table, row_id)
            changed = {k: v for k, v in changes.items() if current.get(k) != v}
            if changed:
                rules.check(self, table, {**current, **changed}, set(changed))
                assignments = ", ".join(f"[{c}] = ?" for c in changed)
                self.conn.execute(f"UPDATE [{table}] SET {assignments} WHERE id = ?", [*changed.values(), row_id])
                self._stamp(table, row_id, list(changed))
                self._touched(table, row_id)
                rules.after_write(self, table, row_id, changed, consent_session_id)
        return list(changed)

    def delete(self, table: str, row_id: str, *, erase: bool = False) -> None:
        """Delete a row, leaving a tombstone that sync carries to every replica.

        ``erase=True`` is an AVG erasure: the tombstone is marked so that the
        row's values are scrubbed everywhere and can never come back.
        """
        with self.transaction():
            self.columns(table)
            if table == "person":  # conflict copies may name the person: see privacy.on_person_deleted
                from wijkkit import privacy

                privacy.on_person_deleted(self, row_id, erase)
            try:
                self.conn.execute(f"DELETE FROM [{table}] WHERE id = ?", [row_id])
            except store.IntegrityError as exc:
                from wijkkit.models import TABLE_LABELS

                raise StillReferencedError(what=Message(TABLE_LABELS.get(table, table))) from exc
            self.conn.execute("DELETE FROM _field_version WHERE tbl = ? AND row_id = ?", [table, row_id])
            if erase:  # nothing of an erased row may stay behind, not even a conflict copy
                self.conn.execute("DELETE FROM _sync_conflict WHERE tbl = ? AND row_id = ?", [table, row_id])
            self.conn.execute(
                "INSERT INTO _tombstone (tbl, row_id, hlc, replica, erased) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (tbl, row_id) DO UPDATE SET hlc = excluded.hlc, "
                "replica = excluded.replica, erased = max(_tombstone.erased, excluded.erased)",
                [table, row_id, self.hlc.now(), self.replica_id, int(erase)],
            )
            self._touched(table, row_id)

    def is_deleted(self, table: str, row_id: str) -> bool:
        return bool(
            self.conn.execute(
                "SELECT 1 FROM _tombstone WHERE tbl = ? AND row_id = ?", [table, row_id]
            ).fetchone()
        )

    # -- reads -------------------------------------------------------------------

    def row(self, table: str, row_id: str) -> dict[str, Any] | None:
        self.columns(table)
        cursor = self.conn.execute(f"SELECT * FROM [{table}] WHERE id = ?", [row_id])
        found = cursor.fetchone()
        if found is None:
            return None
        return dict(zip([c[0] for c in cursor.description], found, strict=True))

    def query(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        """Rows of a read-only query as dicts (managers use this, pages do not)."""
        cursor = self.conn.execute(sql, list(params))
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
