"""Which rows belong to which laptop: a laptop serves neighbourhoods, and sees and writes only those.

A laptop serves the neighbourhoods it created (the first to bring a neighbourhood to
the hub) and those the coordinator assigned to it (``assign``/``unassign``), kept in
``_sync_scope`` at the hub. A row belongs to a neighbourhood through its links
(``PARENT``: a step through its meeting, an agreement update through its agreement);
a row whose links lead nowhere belongs to the laptop that brought it (``_sync_origin``).
People belong to a laptop's scope through their neighbourhood, through a link to one
of its meetings (attendance, an offer or need, an agreement they own), or because
that laptop registered them.

The same rules serve both directions: ``fill`` lists a laptop's rows at the hub (what
its return bundle may carry), and authority.py resolves the rows of an incoming bundle
with the links that bundle brings along.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from wijkkit.errors import KitError
from wijkkit.i18n import N_

if TYPE_CHECKING:
    from wijkkit.kit import Kit

SESSION_CHILDREN = ("step", "timer_event", "invitation", "checklist_item", "capture", "obstacle", "offer", "need",
                    "agreement", "follow_up", "attendance", "feedback")  # fmt: skip
# table -> (link field, parent table); a person's neighbourhood is only one of its ways into a scope
PARENT: dict[str, tuple[str, str]] = {
    "session": ("neighbourhood_id", "neighbourhood"),
    **{table: ("session_id", "session") for table in SESSION_CHILDREN},
    "agreement_update": ("agreement_id", "agreement"),
    "consent_record": ("person_id", "person"),
    "person": ("neighbourhood_id", "neighbourhood"),
}
PERSON_LINKS = (("attendance", "person_id"), ("offer", "person_id"), ("need", "person_id"),
                ("agreement", "owner_person_id"))  # fmt: skip
LINK_FIELDS = {(table, link) for table, (link, _parent) in PARENT.items()} | set(PERSON_LINKS)


def neighbourhoods(kit: Kit, replica: str) -> list[dict]:
    """The neighbourhoods a laptop serves: id, name and how (``created`` or ``assigned``)."""
    return kit.query(
        "SELECT s.neighbourhood_id AS id, n.name, s.how, s.at FROM _sync_scope s "
        "LEFT JOIN neighbourhood n ON n.id = s.neighbourhood_id WHERE s.replica = ? ORDER BY n.name, s.neighbourhood_id",
        [replica],
    )


def served_ids(kit: Kit, replica: str) -> set[str]:
    return {r for (r,) in kit.conn.execute("SELECT neighbourhood_id FROM _sync_scope WHERE replica = ?", [replica])}


def assign(kit: Kit, replica: str, neighbourhood_ids: list[str]) -> list[str]:
    """The coordinator lets a trusted laptop serve these neighbourhoods; returns those newly assigned."""
    _check(kit, replica, neighbourhood_ids)
    added = []
    with kit.transaction():
        for nbh in dict.fromkeys(neighbourhood_ids):
            if kit.conn.execute("INSERT OR IGNORE INTO _sync_scope VALUES (?, ?, 'assigned', ?)",
                                [replica, nbh, datetime.now().isoformat(timespec="seconds")]).rowcount:  # fmt: skip
                added.append(nbh)
    return added


def unassign(kit: Kit, replica: str, neighbourhood_ids: list[str]) -> list[str]:
    """The laptop no longer serves these neighbourhoods (also one it created); returns those removed.

    What it already has stays on it; it gets no updates of them and its changes to them are refused.
    Should the neighbourhood come back to it, it gets the whole of it again."""
    _check(kit, replica, neighbourhood_ids)
    removed = []
    with kit.transaction():
        for nbh in dict.fromkeys(neighbourhood_ids):
            if kit.conn.execute("DELETE FROM _sync_scope WHERE replica = ? AND neighbourhood_id = ?",
                                [replica, nbh]).rowcount:  # fmt: skip
                removed.append(nbh)
        if removed:
            kit.conn.execute("DELETE FROM _sync_given WHERE replica = ?", [replica])
    return removed


def _check(kit: Kit, replica: str, neighbourhood_ids: list[str]) -> None:
    from wijkkit.sync import keys

    if keys.trusted_peer(kit, replica) is None:
        raise KitError(N_("Laptop {replica} is not trusted here."), replica=replica)
    for nbh in neighbourhood_ids:
        if kit.row("neighbourhood", nbh) is None:
            raise KitError(N_("There is no neighbourhood {id} at this hub."), id=nbh)


def note_created(kit: Kit, replica: str, neighbourhood_ids: set[str]) -> None:
    kit.conn.executemany("INSERT OR IGNORE INTO _sync_scope VALUES (?, ?, 'created', ?)",
                         [(replica, nbh, datetime.now().isoformat(timespec="seconds")) for nbh in neighbourhood_ids])


def fill(kit: Kit, replica: str) -> None:
    """Put every row in ``replica``'s scope into ``temp._scope (tbl, row_id)``.

    Each way into the scope is its own statement (one INSERT OR IGNORE per way, not one OR of
    them), so each can use its index: the rows linked to the scope's parents by the link's index,
    the rows the laptop brought by ``_sync_origin``; an OR of both made SQLite read whole tables."""
    conn = kit.conn
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS _scope (tbl TEXT, row_id TEXT, PRIMARY KEY (tbl, row_id)) WITHOUT ROWID")
    conn.execute("DELETE FROM temp._scope")

    def mine(table: str) -> str:  # a row the laptop brought
        return f"r.id IN (SELECT o.row_id FROM _sync_origin o WHERE o.tbl = '{table}' AND o.replica = :me)"

    def add(table: str, *ways: str) -> None:
        for where in ways:
            conn.execute(f"INSERT OR IGNORE INTO temp._scope SELECT '{table}', r.id FROM [{table}] r WHERE {where}",
                         {"me": replica})  # fmt: skip

    def linked(table: str) -> tuple[str, str]:  # through its parent; or its bringer's, when that leads nowhere
        link, parent = PARENT[table]
        return (f"r.{link} IN (SELECT row_id FROM temp._scope WHERE tbl = '{parent}')",
                f"{mine(table)} AND NOT EXISTS (SELECT 1 FROM [{parent}] p WHERE p.id = r.{link})")  # fmt: skip

    add("neighbourhood", "r.id IN (SELECT neighbourhood_id FROM _sync_scope WHERE replica = :me)")
    add("session", *linked("session"))
    for table in SESSION_CHILDREN:
        add(table, *linked(table))
    add("agreement_update", *linked("agreement_update"))
    via = " UNION ".join(f"SELECT x.{link} FROM [{table}] x JOIN temp._scope s ON s.tbl = '{table}' AND s.row_id = x.id"
                         for table, link in PERSON_LINKS)  # fmt: skip
    add("person", "r.neighbourhood_id IN (SELECT row_id FROM temp._scope WHERE tbl = 'neighbourhood')",
        mine("person"), f"r.id IN ({via})")  # fmt: skip
    add("consent_record", *linked("consent_record"))


def origin(kit: Kit, table: str, row_id: str) -> str | None:
    """The replica that brought this row to this database; None for rows made here or before it was kept."""
    found = kit.conn.execute("SELECT replica FROM _sync_origin WHERE tbl = ? AND row_id = ?", [table, row_id]).fetchone()
    return found[0] if found else None
