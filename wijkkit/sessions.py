"""Meetings (sessions) and their agenda steps."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from wijkkit.errors import ValidationError
from wijkkit.i18n import N_
from wijkkit.models import GROUP_FORMS, Session, SessionId, Step, StepId, not_found

if TYPE_CHECKING:
    from wijkkit.kit import Kit

_SELECT = """
    SELECT s.*, n.name AS neighbourhood_name
    FROM session s LEFT JOIN neighbourhood n ON n.id = s.neighbourhood_id
"""


class Sessions:
    def __init__(self, kit: Kit) -> None:
        self.kit = kit

    def add(self, title: str, starts_at: str, ends_at: str, **details: Any) -> SessionId:
        title = title.strip()
        if not title:
            raise ValidationError(N_("A meeting needs a title."), field="title")
        if ends_at <= starts_at:
            raise ValidationError(N_("The meeting ends before it starts."), field="ends_at")
        values = {"title": title, "starts_at": starts_at, "ends_at": ends_at, **details}
        return SessionId(self.kit.insert("session", values))

    def get(self, session_id: str) -> Session:
        rows = self.kit.query(_SELECT + " WHERE s.id = ?", [session_id])
        if not rows:
            raise not_found("session", session_id)
        return Session.from_row(rows[0])

    def list(self, neighbourhood_id: str | None = None) -> list[Session]:
        sql, params = _SELECT, []
        if neighbourhood_id:
            sql, params = sql + " WHERE s.neighbourhood_id = ?", [neighbourhood_id]
        rows = self.kit.query(sql + " ORDER BY s.starts_at", params)
        return [Session.from_row(r) for r in rows]

    def next_planned(self, now: datetime | None = None) -> Session | None:
        """The first planned meeting that has not ended yet."""
        moment = (now or datetime.now()).isoformat(timespec="minutes")
        rows = self.kit.query(
            _SELECT + " WHERE s.status = 'planned' AND s.ends_at >= ? ORDER BY s.starts_at LIMIT 1",
            [moment],
        )
        return Session.from_row(rows[0]) if rows else None

    def add_step(self, session_id: str, title: str, minutes: int, **details: Any) -> StepId:
        if minutes is None or int(minutes) <= 0:
            raise ValidationError(N_("A step needs at least one minute."), field="minutes")
        if details.get("group_form", "plenary") not in GROUP_FORMS:
            raise ValidationError(N_("Unknown form: {form}."), field="group_form", form=details["group_form"])
        if "position" not in details:
            details["position"] = len(self.steps(session_id))
        values = {"session_id": session_id, "title": title.strip(), "minutes": int(minutes), **details}
        return StepId(self.kit.insert("step", values))

    def steps(self, session_id: str) -> list[Step]:
        rows = self.kit.query("SELECT * FROM step WHERE session_id = ? ORDER BY position", [session_id])
        return [Step.from_row(r) for r in rows]
