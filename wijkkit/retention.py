"""Retention that acts: how long data is kept, what is past it, and forgetting it everywhere.

The AVG asks that personal data is kept no longer than needed. The municipality decides
how long: the coordinator sets the period at the hub, and it travels to the laptops in
the hub's return bundles (``for_laptops`` at the hub, ``receive`` on the laptop, which
checks it: the hub's signature says who sent it, not that the value makes sense). A
laptop without a hub, or whose hub set nothing, keeps its own setting.

Past the period are people not seen at a meeting for longer, and offers, needs and
captures older than it (``due``). The app lists them at start and removes them with one
confirmation: people through ``privacy.erase_person`` (erased tombstones, which sync
carries to every replica), rows through ``Kit.delete`` (tombstones travel too).
"""

from __future__ import annotations

import calendar
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from wijkkit.hlc import wall_ms
from wijkkit.i18n import N_

if TYPE_CHECKING:
    from wijkkit.kit import Kit

log = logging.getLogger(__name__)

DEFAULT_RETENTION_MONTHS = 24
MIN_MONTHS, MAX_MONTHS = 1, 120
OWN_KEY = "retention_months"  # this database's own setting
HUB_KEY = "retention_hub"  # {"months", "set_at"}: at the hub the period it sends, on a laptop the one received
ASKED_KEY = "retention_asked_on"  # the day the start notice was last shown
AGED_TABLES = ("offer", "need", "capture")
RUNNING_WORK = (
    "open",
    "in_progress",
    "stalled",
)  # an agreement still at work keeps its offer and need
FORGOTTEN = timedelta(
    hours=6
)  # as sessions.FORGOTTEN: a meeting left 'running' this long after its end is over


def valid_months(value: object) -> int | None:
    """``value`` as a period in months when it is a whole number from 1 to 120; else None."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if MIN_MONTHS <= value <= MAX_MONTHS else None


def _stored(kit: Kit, key: str) -> str | None:
    found = kit.conn.execute("SELECT value FROM _meta WHERE key = ?", [key]).fetchone()
    return found[0] if found else None


def _hub_period(kit: Kit) -> dict[str, int] | None:
    try:
        period = json.loads(_stored(kit, HUB_KEY) or "null")
    except ValueError:
        return None
    if not isinstance(period, dict) or valid_months(period.get("months")) is None:
        return None
    set_at = period.get("set_at")
    return {"months": period["months"], "set_at": set_at if isinstance(set_at, int) else 0}


def retention_months(kit: Kit) -> int:
    """The period that applies here: the municipality's when it set one, else this database's own."""
    period = _hub_period(kit)
    if period is not None:
        return period["months"]
    own = _stored(kit, OWN_KEY)
    months = valid_months(int(own)) if own and own.strip().isdigit() else None
    return months or DEFAULT_RETENTION_MONTHS


def set_by_municipality(kit: Kit) -> int | None:
    """On a laptop, the period its hub set (shown read-only there); None when it keeps its own."""
    from wijkkit.sync import keys

    period = _hub_period(kit)
    return None if period is None or keys.is_hub(kit) else period["months"]


def set_retention_months(kit: Kit, months: int) -> None:
    """This database's period; at the hub, the one every laptop takes over."""
    from wijkkit.sync import keys

    if keys.is_hub(kit):
        set_for_laptops(kit, months)
        return
    checked = _checked(months)
    with kit.transaction():
        kit._set_meta(OWN_KEY, str(checked))


def set_for_laptops(kit: Kit, months: int) -> None:
    """At the hub: the period the laptops take over with their next return bundle."""
    from wijkkit.errors import KitError
    from wijkkit.sync import keys

    if not keys.is_hub(kit):
        raise KitError(N_("Only the municipality's hub sets the retention period for the laptops."))
    checked = _checked(months)
    before = _hub_period(kit)
    # a later setting always carries a later stamp, so it wins on the laptop whatever the clock did
    set_at = max(wall_ms(), (before["set_at"] + 1) if before else 0)
    with kit.transaction():
        kit._set_meta(HUB_KEY, json.dumps({"months": checked, "set_at": set_at}))
        kit._set_meta(OWN_KEY, str(checked))


def _checked(months: object) -> int:
    from wijkkit.errors import ValidationError

    try:
        number = int(months)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        number = 0
    if valid_months(number) is None or isinstance(months, bool):
        raise ValidationError(
            N_("Choose a retention period from 1 to 120 months."), field="retention"
        )
    return number


def for_laptops(kit: Kit) -> dict[str, int] | None:
    """At the hub, the period to put in every return bundle (None when the coordinator set none)."""
    from wijkkit.sync import keys

    return _hub_period(kit) if keys.is_hub(kit) else None


def receive(kit: Kit, value: object) -> bool:
    """On a laptop, the period from a return bundle of its (verified) hub: taken when it is a
    dict of a period 1..120 and a stamp not older than the one held; anything else is ignored
    and logged. True when it was taken."""
    if value is None:
        return False
    if not (isinstance(value, dict) and valid_months(value.get("months")) is not None
            and isinstance(value.get("set_at"), int) and not isinstance(value.get("set_at"), bool)
            and value["set_at"] >= 0):  # fmt: skip
        log.warning(
            "ignored a retention period from the hub that is not 1 to 120 months: %.80r", value
        )
        return False
    held = _hub_period(kit)
    if held is not None and (held["set_at"] > value["set_at"] or held["months"] == value["months"]
                             and held["set_at"] == value["set_at"]):  # fmt: skip
        return False  # an older return bundle, or the same period again
    with kit.transaction():
        kit._set_meta(HUB_KEY, json.dumps({"months": value["months"], "set_at": value["set_at"]}))
    return True


def limit_date(today: date, months: int) -> date:
    """The same day ``months`` earlier (or the month's last day): older than that is past the period."""
    total = today.year * 12 + (today.month - 1) - months
    year, month = total // 12, total % 12 + 1
    return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))


def to_anonymise(kit: Kit, today: date) -> list[tuple[str, str, str | None]]:
    """People not seen at a meeting for longer than the retention period: (id, name, last seen)."""
    limit = limit_date(today, retention_months(kit)).isoformat()
    seen = kit.people.last_seen()
    stale = []
    for person in kit.people.list():
        last = seen.get(person.id) or (person.consent_at or "")
        if not last or last[:10] < limit:
            stale.append((person.id, person.name, seen.get(person.id)))
    return stale


@dataclass(frozen=True)
class Due:
    """What is past the retention period: people (id, name, last seen) and rows per table
    (id, text, the date that made it old)."""

    months: int
    people: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    rows: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.people) + sum(len(rows) for rows in self.rows.values())


def due(kit: Kit, today: date) -> Due:
    """Everything past the period that this database may remove.

    A laptop that sends to a hub lists only the people it registered: the hub refuses a
    laptop's erasure of anyone else (an erasure request for the coordinator), and the
    hub's own list holds them. An offer, need or capture is old when both its own date
    (``created_at``) and its meeting's date lie before the limit; a row with neither date
    is never listed, and an offer or need of an agreement still at work is kept.
    """
    months = retention_months(kit)
    limit = limit_date(today, months).isoformat()
    mine = _registered_here(kit)
    people = [p for p in to_anonymise(kit, today) if mine(p[0])]
    rows = {}
    for table in AGED_TABLES:
        kept = "" if table == "capture" else (
            f" AND NOT EXISTS (SELECT 1 FROM agreement a WHERE a.{table}_id = t.id AND a.status IN "
            f"({', '.join(repr(s) for s in RUNNING_WORK)}))")  # fmt: skip
        found = kit.conn.execute(
            f"SELECT t.id, t.text, max(coalesce(substr(t.created_at, 1, 10), ''), coalesce(substr(s.starts_at, 1, 10), '')) "
            f"AS day FROM [{table}] t LEFT JOIN session s ON s.id = t.session_id "
            f"WHERE day <> '' AND day < ?{kept} ORDER BY day, t.id", [limit]).fetchall()  # fmt: skip
        if found:
            rows[table] = [(row_id, text or "", day) for row_id, text, day in found]
    return Due(months, people, rows)


def _registered_here(kit: Kit) -> Callable[[str], bool]:
    """Whether this database may erase a person: anyone on the hub or a laptop without a hub;
    on a laptop that sends to a hub, the people it registered (their *home*, sync/forget.py)."""
    from wijkkit.sync import keys

    if keys.is_hub(kit) or keys.hub_of(kit) is None:
        return lambda _person: True
    from wijkkit.sync.forget import is_home

    return lambda person: is_home(kit, person)


def remove(kit: Kit, items: Due) -> int:
    """Delete the rows and erase the people of ``items`` that are still there, all or nothing;
    returns how many went. The file is compacted once afterwards (``privacy.compact``), so
    the removed texts do not linger in free pages or the WAL."""
    from wijkkit import privacy

    removed = 0
    with kit.transaction():
        for table, rows in items.rows.items():
            for row_id, _text, _day in rows:
                if kit.row(table, row_id) is not None:
                    kit.delete(table, row_id)
                    removed += 1
        for person_id, _name, _last in items.people:
            if kit.row("person", person_id) is not None:
                privacy.erase_person(
                    kit, person_id
                )  # inside the transaction: not compacted one by one
                removed += 1
    if removed:
        privacy.compact(kit)
    return removed


def meeting_running(kit: Kit, now: datetime) -> bool:
    """Whether a meeting is being held now (running, and not long past its planned end)."""
    local = now.astimezone().replace(tzinfo=None) if now.tzinfo else now
    since = (local - FORGOTTEN).isoformat(timespec="minutes")
    return kit.conn.execute("SELECT 1 FROM session WHERE status = 'running' AND coalesce(ends_at, '9') >= ?",
                            [since]).fetchone() is not None  # fmt: skip


def should_ask(kit: Kit, now: datetime) -> bool:
    """At start: not during a meeting, and at most once a day."""
    return _stored(kit, ASKED_KEY) != now.date().isoformat() and not meeting_running(kit, now)


def mark_asked(kit: Kit, today: date) -> None:
    with kit.transaction():
        kit._set_meta(ASKED_KEY, today.isoformat())
