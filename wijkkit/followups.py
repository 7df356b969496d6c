"""Follow-up tasks after a meeting: send the feedback letter, plan the next meeting.

A held meeting gets the usual tasks with a date; facilitators add their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from wijkkit.errors import ValidationError
from wijkkit.i18n import N_, gettext
from wijkkit.models import Record

if TYPE_CHECKING:
    from wijkkit.kit import Kit

USUAL = (
    ("feedback", N_("Send the feedback letter to the neighbourhood"), 14),
    ("report", N_("Send the results to the municipality"), 7),
    ("next_meeting", N_("Plan the next meeting"), 21),
)


@dataclass(frozen=True)
class FollowUp(Record):
    id: str
    title: str
    session_id: str | None = None
    kind: str = "task"
    due_on: str | None = None
    done_on: str | None = None
    owner: str = ""


class FollowUps:
    def __init__(self, kit: Kit) -> None:
        self.kit = kit

    def add(self, session_id: str | None, title: str, due_on: date | None = None, kind: str = "task",
            owner: str = "") -> str:  # fmt: skip
        title = (title or "").strip()
        if not title:
            raise ValidationError(N_("A task needs a title."), field="title")
        return self.kit.insert("follow_up", {"session_id": session_id, "title": title, "kind": kind, "owner": owner,
                                             "due_on": due_on.isoformat() if due_on else None})  # fmt: skip

    def add_usual(self, session_id: str, held_on: date) -> list[str]:
        """The usual tasks after a meeting, unless they are there already."""
        have = {f.kind for f in self.for_session(session_id)}
        with self.kit.transaction():
            return [self.add(session_id, gettext(title), held_on + timedelta(days=days), kind)
                    for kind, title, days in USUAL if kind not in have]  # fmt: skip

    def set_done(self, follow_up_id: str, done_on: date | None) -> None:
        self.kit.update("follow_up", follow_up_id, {"done_on": done_on.isoformat() if done_on else None})

    def for_session(self, session_id: str) -> list[FollowUp]:
        rows = self.kit.query("SELECT * FROM follow_up WHERE session_id = ? ORDER BY due_on, id", [session_id])
        return [FollowUp.from_row(r) for r in rows]

    def open(self) -> list[FollowUp]:
        rows = self.kit.query("SELECT * FROM follow_up WHERE done_on IS NULL ORDER BY due_on IS NULL, due_on, id")
        return [FollowUp.from_row(r) for r in rows]
