"""Leading a meeting live: the clock's controls, quick capture, and re-planning.

``kit.live`` turns a button press into one committed ``timer_event`` row and the
meeting's state into a ``clock.ClockState`` (see clock.py). Quick capture writes
each item at once into the table it belongs to (a note, quote, dream or idea into
``capture``; an obstacle, offer, need or agreement into its own table), tagged
with the step and table number, so that a crash loses nothing that was entered.
An offer, need or obstacle may start with its category ("vervoer: lift naar de markt" or
"#vervoer lift ..."), so that it can match without being sorted out afterwards.

A meeting started on another day than planned, or hours from its planned time, is
``far_from_planned``: the console asks first and then ``start_replanned`` moves the planned
times to now (same length), so the projection compares with tonight, not with a date long gone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from wijkkit import agenda, clock, dates
from wijkkit.attendance import check_table_no
from wijkkit.errors import ValidationError
from wijkkit.exchange import CATEGORIES, OBSTACLE_CATEGORIES, OTHER
from wijkkit.i18n import N_, gettext
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
KIND_CATEGORIES = {"offer": CATEGORIES, "need": CATEGORIES, "obstacle": OBSTACLE_CATEGORIES}
MAX_TEXT = 2000  # as an offer or need may hold (exchange.MAX_TEXT), so a capture stays editable there
FAR_FROM_PLANNED = timedelta(hours=2)
_PREFIX = re.compile(r"^\s*(?:#(?P<tag>[^\s:]+):?|(?P<word>[^\W\d][\w ]{0,30}?)\s*:)\s*", re.UNICODE)


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


def _spellings(key: str, label: str) -> set[str]:
    """The ways a category may be typed: its key, with spaces, its English and its shown name."""
    return {key, key.replace("_", " "), label.lower(), gettext(label).lower()}


def split_category(kind: str, text: str) -> tuple[str | None, str]:
    """A category typed in front of an offer, need or obstacle, and the text without it.

    "vervoer: lift naar de markt" and "#vervoer lift naar de markt" give ("vervoer", "lift naar
    de markt"); a word that names no category ("Let op: ...") stays part of the text.
    """
    categories = KIND_CATEGORIES.get(kind)
    found = _PREFIX.match(text or "") if categories else None
    if found is None:
        return None, text
    typed = (found["tag"] or found["word"]).strip().lower().replace("_", " ")
    for key, label in categories.items():
        if typed in {s.replace("_", " ") for s in _spellings(key, label)}:
            return key, text[found.end():]
    return None, text


def far_from_planned(starts_at: str | None, now: datetime) -> bool:
    """Whether starting now is on another day than planned, or more than two hours from it."""
    planned = dates.parse(starts_at)
    if planned is None:
        return False
    local = now.astimezone().replace(tzinfo=None)
    return local.date() != planned.date() or abs(local - planned) > FAR_FROM_PLANNED


def check_text(text: str | None) -> str:
    """A captured line: something, and not longer than MAX_TEXT (it is refused whole, never cut)."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(N_("Type something first."), field="text")
    if len(text) > MAX_TEXT:
        raise ValidationError(N_("This text has {n} characters; at most {max} fit. Shorten it or split it "
                                 "over more lines."), field="text", n=len(text), max=MAX_TEXT)  # fmt: skip
    return text


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

    def start_replanned(self, session_id: str, at: datetime) -> clock.ClockState:
        """Start the meeting now and plan its times from now, keeping its planned length."""
        session = self.kit.sessions.get(session_id)
        old_start, old_end = dates.parse(session.starts_at), dates.parse(session.ends_at)
        length = (old_end - old_start) if old_start and old_end and old_end > old_start else timedelta(hours=2)
        start = at.astimezone().replace(tzinfo=None, second=0, microsecond=0)
        with self.kit.transaction():
            self.kit.sessions.edit(session_id, starts_at=start.isoformat(timespec="minutes"),
                                   ends_at=(start + length).isoformat(timespec="minutes"))  # fmt: skip
            return self.press(session_id, "start", at)

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

    def capture(self, session_id: str, kind: str, text: str, at: datetime, step_id: str | None = None,
                table_no: int | None = None, category: str | None = None) -> Captured:  # fmt: skip
        """Save one line at once. An offer, need or obstacle gets the category typed in front of
        its text, else ``category``, else 'other' (which matches nothing)."""
        if kind not in CAPTURE_KINDS:
            raise ValidationError(N_("Unknown kind: {kind}."), field="kind", kind=kind)
        typed, text = split_category(kind, text or "")
        text = check_text(text)
        category = typed or category or OTHER
        if category not in KIND_CATEGORIES.get(kind, {OTHER: ""}):
            raise ValidationError(N_("Unknown category: {category}."), field="category", category=category)
        table_no = check_table_no(table_no)
        common = {"session_id": session_id, "step_id": step_id, "table_no": table_no,
                  "created_at": at.astimezone().replace(tzinfo=None).isoformat(timespec="seconds")}  # fmt: skip
        table = OWN_TABLE.get(kind, "capture")
        if table == "capture":
            row_id = self.kit.insert("capture", {**common, "kind": kind, "text": text})
        elif table == "agreement":
            row_id = self.kit.agreements.add(text, **common)
        else:
            row_id = self.kit.insert(table, {**common, "text": text, "category": category})
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
        text = check_text(text)
        self.kit.update(item.table, item.id, {"title" if item.table == "agreement" else "text": text})

    def remove_capture(self, item: Captured) -> None:
        self.kit.delete(item.table, item.id)
