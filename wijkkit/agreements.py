"""Agreements (afspraken): who does what, with whom, by when, and how it is going."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wijkkit.errors import ValidationError
from wijkkit.i18n import N_
from wijkkit.models import (
    AGREEMENT_STATUSES,
    OPEN_AGREEMENT_STATUSES,
    Agreement,
    AgreementId,
    not_found,
)

if TYPE_CHECKING:
    from wijkkit.kit import Kit

_SELECT = """
    SELECT a.*, p.name AS owner_name, n.name AS neighbourhood_name
    FROM agreement a
    LEFT JOIN person p ON p.id = a.owner_person_id
    LEFT JOIN session s ON s.id = a.session_id
    LEFT JOIN neighbourhood n ON n.id = s.neighbourhood_id
"""


class Agreements:
    def __init__(self, kit: Kit) -> None:
        self.kit = kit

    def add(self, title: str, session_id: str | None = None, **details: Any) -> AgreementId:
        title = title.strip()
        if not title:
            raise ValidationError(N_("An agreement needs a title."), field="title")
        status = details.get("status", "open")
        if status not in AGREEMENT_STATUSES:
            raise ValidationError(N_("Unknown status: {status}."), field="status", status=status)
        values = {"title": title, "session_id": session_id, **details}
        return AgreementId(self.kit.insert("agreement", values))

    def get(self, agreement_id: str) -> Agreement:
        rows = self.kit.query(_SELECT + " WHERE a.id = ?", [agreement_id])
        if not rows:
            raise not_found("agreement", agreement_id)
        return Agreement.from_row(rows[0])

    def list(self, statuses: tuple[str, ...] | None = None) -> list[Agreement]:
        sql, params = _SELECT, []
        if statuses:
            sql += f" WHERE a.status IN ({', '.join('?' * len(statuses))})"
            params = list(statuses)
        sql += " ORDER BY a.due_on IS NULL, a.due_on, a.title COLLATE NOCASE"
        return [Agreement.from_row(r) for r in self.kit.query(sql, params)]

    def open(self) -> list[Agreement]:
        """Agreements that still need attention: open, in progress or stalled."""
        return self.list(OPEN_AGREEMENT_STATUSES)

    def for_session(self, session_id: str) -> list[Agreement]:
        rows = self.kit.query(_SELECT + " WHERE a.session_id = ? ORDER BY a.title", [session_id])
        return [Agreement.from_row(r) for r in rows]
