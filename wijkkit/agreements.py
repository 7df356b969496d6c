"""Agreements (afspraken): who does what, with whom, by when, and how it is going.

Every status change is also written to ``agreement_update`` with its date, a note
and the meeting where it was discussed, so the history of an agreement can be
read back at the next meeting and in the municipality's reports.
"""

from __future__ import annotations

from datetime import date, datetime
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
MAX_TITLE, MAX_TEXT = 300, 5000


def _day(value: Any, field: str) -> str | None:
    if value in (None, ""):
        return None
    try:
        if isinstance(value, datetime):
            return value.date().isoformat()
        return (value if isinstance(value, date) else date.fromisoformat(str(value)[:10])).isoformat()
    except ValueError as exc:
        raise ValidationError(N_("This is not a valid date."), field=field) from exc


class Agreements:
    def __init__(self, kit: Kit) -> None:
        self.kit = kit

    def _checked(self, values: dict[str, Any], session_id: str | None) -> dict[str, Any]:
        if "title" in values:
            values["title"] = (values["title"] or "").strip()
            if not values["title"]:
                raise ValidationError(N_("An agreement needs a title."), field="title")
            if len(values["title"]) > MAX_TITLE:
                values.setdefault("description", "")
                values["description"] = (values["title"] + "\n" + values["description"]).strip()
                values["title"] = values["title"][: MAX_TITLE - 1] + "…"
        if len(values.get("description") or "") > MAX_TEXT:
            raise ValidationError(N_("This text is longer than {max} characters."), field="description", max=MAX_TEXT)
        if values.get("status", "open") not in AGREEMENT_STATUSES:
            raise ValidationError(N_("Unknown status: {status}."), field="status", status=values["status"])
        for field in ("due_on", "review_on"):
            if field in values:
                values[field] = _day(values[field], field)
        meeting = self.kit.row("session", session_id) if session_id else None
        meeting_day = (meeting or {}).get("starts_at", "")[:10]
        if values.get("due_on") and meeting_day and values["due_on"] < meeting_day:
            raise ValidationError(N_("The due date lies before the meeting where the agreement was made."),
                                  field="due_on")  # fmt: skip
        return values

    def add(self, title: str, session_id: str | None = None, **details: Any) -> AgreementId:
        values = self._checked({"title": title, "session_id": session_id, **details}, session_id)
        values.setdefault("created_at", datetime.now().isoformat(timespec="seconds"))
        return AgreementId(self.kit.insert("agreement", values))

    def edit(self, agreement_id: str, **changes: Any) -> list[str]:
        current = self.get(agreement_id)
        if len(changes.get("title") or "") > MAX_TITLE and "description" not in changes:
            changes["description"] = current.description  # the long title goes in front of it, not over it
        return self.kit.update("agreement", agreement_id, self._checked(dict(changes), current.session_id))

    def update_status(self, agreement_id: str, status: str, note: str = "", session_id: str | None = None,
                      at: datetime | None = None) -> str:  # fmt: skip
        """Change the status and keep a dated line of history (also for a note without a change)."""
        if status not in AGREEMENT_STATUSES:
            raise ValidationError(N_("Unknown status: {status}."), field="status", status=status)
        self.get(agreement_id)
        note = (note or "").strip()
        if len(note) > MAX_TEXT:
            raise ValidationError(N_("This text is longer than {max} characters."), field="note", max=MAX_TEXT)
        with self.kit.transaction():
            update_id = self.kit.insert("agreement_update", {
                "agreement_id": agreement_id, "session_id": session_id, "status": status, "note": note,
                "at": (at or datetime.now()).isoformat(timespec="seconds"),
            })  # fmt: skip
            latest = self.kit.query("SELECT status FROM agreement_update WHERE agreement_id = ? "
                                    "ORDER BY at DESC, id DESC LIMIT 1", [agreement_id])  # fmt: skip
            self.kit.update("agreement", agreement_id, {"status": latest[0]["status"]})
        return update_id

    def history(self, agreement_id: str) -> list[dict[str, Any]]:
        return self.kit.query(
            "SELECT u.*, s.title AS session_title FROM agreement_update u "
            "LEFT JOIN session s ON s.id = u.session_id WHERE u.agreement_id = ? ORDER BY u.at, u.id",
            [agreement_id],
        )

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
        rows = self.kit.query(_SELECT + " WHERE a.session_id = ? ORDER BY a.created_at, a.title", [session_id])
        return [Agreement.from_row(r) for r in rows]

    # -- follow-up views ------------------------------------------------------------

    def overdue(self, today: date) -> list[Agreement]:
        return [a for a in self.open() if a.due_on and a.due_on < today.isoformat()]

    def due_this_month(self, today: date) -> list[Agreement]:
        month = today.isoformat()[:7]
        return [a for a in self.open() if a.due_on and a.due_on[:7] == month and a.due_on >= today.isoformat()]

    def to_review(self, session_id: str) -> list[Agreement]:
        """Open agreements from the earlier meetings of this meeting's neighbourhood (or series), and
        those closed at this meeting: one marked done tonight stays in the list of tonight's review."""
        meeting = self.kit.sessions.get(session_id)
        earlier = [s.id for s in self.kit.sessions.list(meeting.neighbourhood_id)
                   if s.starts_at < meeting.starts_at and s.id != session_id] if meeting.neighbourhood_id else []  # fmt: skip
        if meeting.follows_session_id and meeting.follows_session_id not in earlier:
            earlier.append(meeting.follows_session_id)
        marks = ", ".join("?" * len(OPEN_AGREEMENT_STATUSES))
        rows = self.kit.query(
            _SELECT + f" WHERE a.status IN ({marks}) OR a.id IN (SELECT agreement_id FROM agreement_update "
            "WHERE session_id = ?) ORDER BY a.due_on IS NULL, a.due_on, a.title COLLATE NOCASE",
            [*OPEN_AGREEMENT_STATUSES, session_id])  # fmt: skip
        return [a for a in map(Agreement.from_row, rows) if a.session_id in earlier]
