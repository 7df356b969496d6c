"""Who came to a meeting, at which table, and how many came without registering.

Typing in a paper sign-in sheet afterwards goes through the same calls as the
registration at the door: ``mark`` is idempotent per person and meeting.

A check-in made by mistake is undone with ``unmark`` and a table corrected with
``set_table``. Undoing does not delete the row: it sets ``present`` to 0, an
ordinary stamped field write that sync merges like any edit (the later write
wins on every replica). A delete would leave a tombstone, and deletes are final
in sync (docs/decisions/0011-sync.md): a laptop that marked the same person
again, or changed their table, before hearing of the undo would end in a
conflict copy instead of simply "present again". Marking the person again
reuses the same row. Erasing a person (privacy.erase_person) still deletes
their attendance rows outright.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from wijkkit.errors import ValidationError
from wijkkit.i18n import N_
from wijkkit.text import sort_key, whole_number

if TYPE_CHECKING:
    from wijkkit.kit import Kit

MAX_TABLE_NO = 999
MAX_ANONYMOUS = 100_000  # people at one meeting who did not register


@dataclass(frozen=True)
class Attendee:
    attendance_id: str
    person_id: str
    name: str
    role: str
    organisation: str
    table_no: int | None
    consent_share: int
    present: bool = True  # False once the check-in was undone (``Attendance.unmark``)


def check_table_no(value: object) -> int | None:
    """A table number is a whole number from 1 to 999; empty means no table."""
    if value in (None, ""):
        return None
    number = whole_number(value, 1, MAX_TABLE_NO)
    if number is None:
        raise ValidationError(N_("A table number is a number from 1 to 999."), field="table_no")
    return number


class Attendance:
    def __init__(self, kit: Kit) -> None:
        self.kit = kit

    def mark(self, session_id: str, person_id: str, table_no: int | None = None) -> str:
        """Record that a person was present (marking them again updates the table, and undoes an ``unmark``)."""
        table_no = check_table_no(table_no)
        existing = self.kit.query(
            "SELECT id FROM attendance WHERE session_id = ? AND person_id = ?", [session_id, person_id]
        )
        if existing:
            self.kit.update("attendance", existing[0]["id"], {"present": 1, "table_no": table_no})
            return existing[0]["id"]
        return self.kit.insert("attendance", {"session_id": session_id, "person_id": person_id, "present": 1,
                                              "table_no": table_no})  # fmt: skip

    def unmark(self, attendance_id: str) -> None:
        """Undo a check-in: the person no longer counts as present (``mark`` makes them present again)."""
        self.get(attendance_id)
        self.kit.update("attendance", attendance_id, {"present": 0})

    def set_table(self, attendance_id: str, table_no: int | None) -> None:
        """Move someone who is checked in to another table (None: no table)."""
        table_no = check_table_no(table_no)
        self.get(attendance_id)
        self.kit.update("attendance", attendance_id, {"table_no": table_no})

    def get(self, attendance_id: str) -> Attendee:
        """One check-in, present or undone; NotFoundError when there is none."""
        rows = self._rows("a.id = ?", [attendance_id])
        if not rows:
            from wijkkit.models import not_found

            raise not_found("attendance", attendance_id)
        return rows[0]

    def _rows(self, where: str, params: list[str]) -> list[Attendee]:
        rows = self.kit.query(
            "SELECT a.id, a.person_id, p.name, p.role, p.organisation, a.table_no, p.consent_share, a.present "
            f"FROM attendance a JOIN person p ON p.id = a.person_id WHERE {where}",
            params,
        )
        return [Attendee(r["id"], r["person_id"], r["name"], r["role"], r["organisation"] or "", r["table_no"],
                         r["consent_share"] or 0, bool(r["present"])) for r in rows]  # fmt: skip

    def attendees(self, session_id: str) -> list[Attendee]:
        people = self._rows("a.session_id = ? AND a.present", [session_id])
        return sorted(people, key=lambda a: sort_key(a.name))

    def set_anonymous(self, session_id: str, count: int) -> None:
        number = whole_number(count, 0, MAX_ANONYMOUS)
        if number is None:
            raise ValidationError(N_("The number of people who did not register cannot be negative."),
                                  field="anonymous_count")  # fmt: skip
        self.kit.update("session", session_id, {"anonymous_count": number})

    def total(self, session_id: str) -> int:
        """Everyone who was there: the registered and those who came without registering."""
        session = self.kit.row("session", session_id) or {}
        return len(self.attendees(session_id)) + int(session.get("anonymous_count") or 0)
