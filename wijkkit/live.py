"""Leading a meeting live: the clock's controls, quick capture, and re-planning.

``kit.live`` turns a button press into one committed ``timer_event`` row and the
meeting's state into a ``clock.ClockState`` (see clock.py). Quick capture writes
each item at once into the table it belongs to (a note, quote, dream or idea into
``capture``; an obstacle, offer, need or agreement into its own table), tagged
with the step and table number, so that a crash loses nothing that was entered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from wijkkit import agenda, clock, dates
from wijkkit.attendance import check_table_no
from wijkkit.errors import ValidationError
from wijkkit.i18n import N_
from wijkkit.models import not_found

if TYPE_CHECKING:
    from wijkkit.kit import Kit

CAPTURE_KINDS = {
    "note": N_("note"),
    "quote": N_("quote"),
    "dream": N_("dream"),
    "idea": N_("idea"),
    "obstacle": N_("obstacle"),
    "offer": N_("offer"),
    "need": N_("need"),
    "agreement": N_("agreement"),
}
OWN_TABLE = {"obstacle": "obstacle", "offer": "offer", "need": "need", "agreement": "agreement"}
MAX_TEXT = 5000


@dataclass(frozen=True)
class Captured:
    table: str
    id: str
    kind: str
    text: str
    step_id: str | None
    table_no: int | None
    created_at: str | None


@dataclass(frozen=True)
class Proposal:
    """New minutes for the steps after the current one, so the meeting ends on time."""

    step_ids: tuple[str, ...]
    old: tuple[int, ...]
    new: tuple[int, ...]
    still_over: int  # minutes the meeting still runs late with the proposal


def utc_iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def local_to_micros(value: str | None) -> int | None:
    """A meeting's local wall-clock time as UTC microseconds (using this computer's zone)."""
    moment = dates.parse(value)
    return clock.to_micros(moment.astimezone()) if moment else None


class Live:
    def __init__(self, kit: Kit) -> None:
        self.kit = kit

    # -- the clock ---------------------------------------------------------------

    def events(self, session_id: str) -> list[clock.Event]:
        rows = self.kit.query(
            "SELECT kind, at, step_id, seconds FROM timer_event WHERE session_id = ? ORDER BY at, id", [session_id]
        )
        return [
            clock.Event(r["kind"], clock.to_micros(datetime.fromisoformat(r["at"])), r["step_id"], r["seconds"] or 0)
            for r in rows
        ]

    def planned(self, session_id: str) -> list[clock.PlannedStep]:
        return [clock.PlannedStep(s.id, s.minutes * 60) for s in self.kit.sessions.steps(session_id)]

    def state(self, session_id: str, now: datetime) -> clock.ClockState:
        return clock.fold(self.planned(session_id), self.events(session_id), clock.to_micros(now))

    def press(self, session_id: str, kind: str, at: datetime, seconds: int = 0) -> clock.ClockState:
        """Record one control action; refuses one that makes no sense now, with a reason."""
        if kind not in clock.KINDS:
            raise ValueError(f"unknown clock action {kind}")
        state = self.state(session_id, at)
        if state.last_at is not None and clock.to_micros(at) < state.last_at:
            # this clock is behind the last press (another laptop's, or set back): act now, in order
            at = clock.from_micros(state.last_at)
            state = self.state(session_id, at)
        if not clock.accepts(state, kind):
            raise ValidationError(self._refusal(state, kind), field="clock")
        target = state.current_step_id
        if kind in ("next", "back"):
            target = state.step_ids[state.current + (1 if kind == "next" else -1)]
        with self.kit.transaction():
            self.kit.insert("timer_event", {"session_id": session_id, "step_id": target, "kind": kind,
                                            "at": utc_iso(at), "seconds": seconds})  # fmt: skip
            if kind == "start":
                self.kit.update("session", session_id, {"status": "running"})
            elif kind == "end":
                self.kit.update("session", session_id, {"status": "held"})
        return self.state(session_id, at)

    @staticmethod
    def _refusal(state: clock.ClockState, kind: str) -> str:
        if not state.steps:
            return N_("This meeting has no agenda yet. Add steps under Plan first.")
        if state.ended:
            return N_("This meeting has already ended.")
        if not state.started:
            return N_("Start the meeting first.")
        if kind == "next":
            return N_("This is the last step. End the meeting to stop the clock.")
        if kind == "back":
            return N_("This is the first step.")
        if kind == "start":
            return N_("The meeting has already started.")
        return N_("That is not possible now.")

    # -- re-planning -----------------------------------------------------------------

    def proposal(self, session_id: str, now: datetime) -> Proposal | None:
        """Shorter steps for the rest of the evening when it runs late; None when on time."""
        session = self.kit.sessions.get(session_id)
        state = self.state(session_id, now)
        planned_end, projected = local_to_micros(session.ends_at), state.projected_end()
        if not state.started or state.ended or planned_end is None or projected is None or projected <= planned_end:
            return None
        steps = self.kit.sessions.steps(session_id)[state.current + 1 :]
        if not steps:
            return None
        harvest = max((i for i, s in enumerate(steps) if s.kind == "step"), default=-1)
        minimums = [
            min(s.minutes, agenda.MIN_HARVEST_MINUTES if i == harvest else agenda.MIN_STEP_MINUTES)
            for i, s in enumerate(steps)
        ]
        current_left = max(state.remaining, 0)
        available = (planned_end - clock.to_micros(now) - current_left) // (60 * clock.SECOND)
        old = [s.minutes for s in steps]
        new = agenda.propose(old, minimums, max(0, available))
        if new == old:
            return None
        return Proposal(tuple(s.id for s in steps), tuple(old), tuple(new), max(0, sum(new) - available))

    def accept(self, proposal: Proposal) -> None:
        with self.kit.transaction():
            for step_id, minutes in zip(proposal.step_ids, proposal.new, strict=True):
                self.kit.sessions.edit_step(step_id, minutes=minutes)

    # -- quick capture -----------------------------------------------------------------

    def capture(self, session_id: str, kind: str, text: str, at: datetime,
                step_id: str | None = None, table_no: int | None = None) -> Captured:  # fmt: skip
        text = (text or "").strip()
        if not text:
            raise ValidationError(N_("Type something first."), field="text")
        if len(text) > MAX_TEXT:
            raise ValidationError(N_("This text is longer than {max} characters."), field="text", max=MAX_TEXT)
        if kind not in CAPTURE_KINDS:
            raise ValidationError(N_("Unknown kind: {kind}."), field="kind", kind=kind)
        table_no = check_table_no(table_no)
        common = {"session_id": session_id, "step_id": step_id, "table_no": table_no,
                  "created_at": at.astimezone().replace(tzinfo=None).isoformat(timespec="seconds")}  # fmt: skip
        table = OWN_TABLE.get(kind, "capture")
        if table == "capture":
            row_id = self.kit.insert("capture", {**common, "kind": kind, "text": text})
        elif table == "agreement":
            row_id = self.kit.agreements.add(text, **common)
        else:  # without a category an offer, need or obstacle is 'other', as in kit.exchange
            row_id = self.kit.insert(table, {**common, "text": text, "category": "anders"})
        return self.captured(table, row_id)

    def captured(self, table: str, row_id: str) -> Captured:
        row = self.kit.row(table, row_id)
        if row is None:
            raise not_found(table, row_id)
        kind = row.get("kind") if table == "capture" else table
        text = row["title"] if table == "agreement" else row["text"]
        return Captured(table, row_id, kind, text, row.get("step_id"), row.get("table_no"), row.get("created_at"))

    def captures(self, session_id: str) -> list[Captured]:
        """Everything captured at a meeting, in the order it was entered."""
        sql = " UNION ALL ".join(
            f"SELECT '{table}' AS tbl, id, {kind} AS kind, {text} AS text, step_id, table_no, created_at "
            f"FROM {table} WHERE session_id = ?"
            for table, kind, text in (
                ("capture", "kind", "text"), ("obstacle", "'obstacle'", "text"), ("offer", "'offer'", "text"),
                ("need", "'need'", "text"), ("agreement", "'agreement'", "title"),
            )
        )  # fmt: skip
        rows = self.kit.query(f"SELECT * FROM ({sql}) ORDER BY created_at IS NULL, created_at, id", [session_id] * 5)
        return [Captured(r["tbl"], r["id"], r["kind"], r["text"], r["step_id"], r["table_no"], r["created_at"])
                for r in rows]  # fmt: skip

    def edit_capture(self, item: Captured, text: str) -> None:
        text = (text or "").strip()
        if not text:
            raise ValidationError(N_("Type something first."), field="text")
        if len(text) > MAX_TEXT:
            raise ValidationError(N_("This text is longer than {max} characters."), field="text", max=MAX_TEXT)
        self.kit.update(item.table, item.id, {"title" if item.table == "agreement" else "text": text})

    def remove_capture(self, item: Captured) -> None:
        self.kit.delete(item.table, item.id)
