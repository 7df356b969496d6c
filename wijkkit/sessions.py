"""Meetings (sessions), the series they form, and their agenda steps.

Planning rules live here, not in the UI: a meeting ends after it starts, a new
meeting is not in the past, every step lasts at least a minute. Reordering
renumbers positions and stamps only the steps whose position really changed.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from wijkkit import agenda, dates
from wijkkit.errors import ValidationError
from wijkkit.i18n import N_
from wijkkit.models import (
    GROUP_FORMS,
    SESSION_STATUSES,
    Session,
    SessionId,
    Step,
    StepId,
    not_found,
)

if TYPE_CHECKING:
    from wijkkit.kit import Kit
    from wijkkit.templates import Template

_SELECT = """
    SELECT s.*, n.name AS neighbourhood_name
    FROM session s LEFT JOIN neighbourhood n ON n.id = s.neighbourhood_id
"""
STEP_KINDS = ("step", "break")


def _moment(value: str | None, field: str) -> datetime:
    moment = dates.parse(value)
    if moment is None or moment.tzinfo is not None:  # meetings are in local wall-clock time
        raise ValidationError(N_("This is not a valid date and time."), field=field)
    return moment


def _normalised_times(values: dict[str, Any]) -> None:
    """Store times in one spelling (2026-12-01T19:30), so sorting by text is sorting by time."""
    for field in ("starts_at", "ends_at"):
        if field in values:
            values[field] = _moment(values[field], field).isoformat(timespec="minutes")


def _check_times(starts_at: str, ends_at: str) -> None:
    if _moment(ends_at, "ends_at") <= _moment(starts_at, "starts_at"):
        raise ValidationError(N_("The meeting ends before it starts."), field="ends_at")


def check_step(values: dict[str, Any]) -> dict[str, Any]:
    if "title" in values:
        values["title"] = (values["title"] or "").strip()
        if not values["title"]:
            raise ValidationError(N_("A step needs a title."), field="title")
    if "minutes" in values:
        try:
            minutes = int(values["minutes"])
        except (TypeError, ValueError):
            minutes = 0
        if minutes <= 0:
            raise ValidationError(N_("A step needs at least one minute."), field="minutes")
        if minutes > agenda.MAX_STEP_MINUTES:
            raise ValidationError(
                N_("A step can last {max} minutes at most."), field="minutes", max=agenda.MAX_STEP_MINUTES
            )
        values["minutes"] = minutes
    if values.get("group_form", "plenary") not in GROUP_FORMS:
        raise ValidationError(N_("Unknown form: {form}."), field="group_form", form=values["group_form"])
    if values.get("kind", "step") not in STEP_KINDS:
        raise ValidationError(N_("Unknown kind of agenda item: {kind}."), field="kind", kind=values["kind"])
    return values


PLANNING_TABLES = ("step", "invitation", "checklist_item")  # planned beforehand: deleted with the meeting


def _recording_tables(kit: Kit) -> list[str]:
    """Every data table with a ``session_id`` besides the planning ones (also tables added later)."""
    tables = [r["name"] for r in kit.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\'")]
    return [t for t in tables if t not in PLANNING_TABLES and t != "session"
            and any(c["name"] == "session_id" for c in kit.query(f"PRAGMA table_info({t})"))]  # fmt: skip


MAX_NOTES = 2000
FORGOTTEN = timedelta(hours=6)  # a meeting still running this long after its planned end was not ended


def at_hand(sessions: list[Session], now: datetime, recent_held: timedelta | None = None) -> Session | None:
    """The meeting a facilitator most likely means now: the one running; else tonight's; else
    (with ``recent_held``) the latest held within that time, e.g. to type in a paper sign-in
    list; else one left running long after its end; else the next planned; else the latest.

    ``sessions`` are in date order (as ``Sessions.list`` gives them). A cancelled meeting is
    never at hand: the fallback is the latest meeting that was not cancelled, and None when
    every meeting was cancelled (or there is none), so Leiden, Aanmelden and the Overzicht
    never offer a meeting that will not take place."""
    local = now.astimezone().replace(tzinfo=None)
    moment, today = local.isoformat(timespec="minutes"), local.date().isoformat()
    stale = (local - FORGOTTEN).isoformat(timespec="minutes")
    running = [s for s in sessions if s.status == "running"]
    upcoming = [s for s in sessions if s.status == "planned" and (s.ends_at or "")[:10] >= today]
    held = []
    if recent_held is not None:
        since = (local - recent_held).isoformat(timespec="minutes")
        held = sorted((s for s in sessions if s.status == "held" and since <= (s.ends_at or "") <= moment),
                      key=lambda s: s.starts_at or "")[-1:]  # fmt: skip
    choices = ([s for s in running if (s.ends_at or "") >= stale], [s for s in upcoming if (s.starts_at or "")[:10] == today],
               held, running, upcoming, [s for s in sessions if s.status != "cancelled"][-1:])  # fmt: skip
    return next((choice[0] for choice in choices if choice), None)


def _check_notes(values: dict[str, Any]) -> None:
    """A meeting's notes (a web address in them becomes the poster's QR code) stay readable."""
    if len(values.get("notes") or "") > MAX_NOTES:
        raise ValidationError(N_("This text is longer than {max} characters."), field="notes", max=MAX_NOTES)


class Sessions:
    def __init__(self, kit: Kit) -> None:
        self.kit = kit

    # -- meetings ---------------------------------------------------------------

    def add(self, title: str, starts_at: str, ends_at: str, **details: Any) -> SessionId:
        """Record a meeting as it is (also one in the past, e.g. typed in afterwards)."""
        title = title.strip()
        if not title:
            raise ValidationError(N_("A meeting needs a title."), field="title")
        _check_times(starts_at, ends_at)
        _check_notes(details)
        if details.get("status", "planned") not in SESSION_STATUSES:
            raise ValidationError(N_("Unknown status: {status}."), field="status", status=details["status"])
        values = {"title": title, "starts_at": starts_at, "ends_at": ends_at, **details}
        _normalised_times(values)
        return SessionId(self.kit.insert("session", values))

    def plan(
        self,
        title: str,
        starts_at: str,
        ends_at: str,
        template: Template | None = None,
        now: datetime | None = None,
        **details: Any,
    ) -> SessionId:
        """Plan a new meeting: not in the past, with the template's agenda and the default checklist."""
        if _moment(starts_at, "starts_at") < (now or datetime.now()).replace(second=0, microsecond=0):
            raise ValidationError(N_("A new meeting cannot start in the past."), field="starts_at")
        from wijkkit import templates

        with self.kit.transaction():
            session_id = self.add(title, starts_at, ends_at, status="planned", **details)
            if template is not None:
                templates.apply(self.kit, session_id, template)
            self.kit.preparation.add_default_materials(session_id)
        return session_id

    def edit(self, session_id: str, **changes: Any) -> list[str]:
        current = self.get(session_id)
        if "title" in changes:
            changes["title"] = (changes["title"] or "").strip()
            if not changes["title"]:
                raise ValidationError(N_("A meeting needs a title."), field="title")
        _check_times(changes.get("starts_at", current.starts_at), changes.get("ends_at", current.ends_at))
        _check_notes(changes)
        if changes.get("status", current.status) not in SESSION_STATUSES:
            raise ValidationError(N_("Unknown status: {status}."), field="status", status=changes["status"])
        if changes.get("follows_session_id") == session_id:
            raise ValidationError(N_("A meeting cannot follow itself."), field="follows_session_id")
        _normalised_times(changes)
        return self.kit.update("session", session_id, changes)

    def get(self, session_id: str) -> Session:
        rows = self.kit.query(_SELECT + " WHERE s.id = ?", [session_id])
        if not rows:
            raise not_found("session", session_id)
        return Session.from_row(rows[0])

    def list(self, neighbourhood_id: str | None = None) -> list[Session]:
        """Meetings in date order; with a neighbourhood, that neighbourhood's series."""
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

    def previous(self, session_id: str) -> Session | None:
        """The meeting this one follows up on, if any."""
        follows = self.get(session_id).follows_session_id
        return self.get(follows) if follows else None

    def follow_up_details(self, session_id: str) -> dict[str, Any]:
        """What a follow-up meeting takes over from the one it follows: place, address,
        facilitator and the time of day (``start``/``end`` as "19:30")."""
        earlier = self.get(session_id)
        start, end = _moment(earlier.starts_at, "starts_at"), _moment(earlier.ends_at, "ends_at")
        return {"location_name": earlier.location_name or "", "location_address": earlier.location_address or "",
                "facilitator": earlier.facilitator or "", "start": f"{start:%H:%M}", "end": f"{end:%H:%M}"}  # fmt: skip

    def moves_time(self, session_id: str, changes: dict[str, Any]) -> bool:
        """Whether ``changes`` give the meeting another date or time."""
        current = self.get(session_id)
        for field in ("starts_at", "ends_at"):
            if field in changes and _moment(changes[field], field) != _moment(getattr(current, field), field):
                return True
        return False

    def recorded(self, session_id: str) -> list[str]:
        """The tables holding something recorded at or for this meeting (attendance, notes,
        clock presses, agreements...): while any has a row, the meeting is history and stays."""
        found = ["session"] if (self.kit.row("session", session_id) or {}).get("anonymous_count") else []  # people counted at the door
        for table in _recording_tables(self.kit):
            if self.kit.query(f"SELECT 1 FROM {table} WHERE session_id = ? LIMIT 1", [session_id]):  # noqa: S608
                found.append(table)
        return found

    def check_deletable(self, session_id: str) -> None:
        """Refuse (``ValidationError``) to delete a meeting that something was recorded for."""
        if self.recorded(session_id):
            raise ValidationError(N_("Something was already recorded for this meeting (attendance, notes, "
                                     "agreements or the clock), so it cannot be deleted. Set its status to "
                                     "cancelled instead."), field="session")  # fmt: skip

    def delete(self, session_id: str) -> None:
        """Delete a meeting planned by mistake, with its agenda, invitations and checklist.

        Refused once anything was recorded for it: such a meeting can only be cancelled.
        Every removed row leaves a tombstone, so the deletion reaches the other laptops;
        meetings that followed up on it follow up on its predecessor instead."""
        session = self.get(session_id)
        self.check_deletable(session_id)
        with self.kit.transaction():
            for table in PLANNING_TABLES:
                for row in self.kit.query(f"SELECT id FROM {table} WHERE session_id = ?", [session_id]):  # noqa: S608
                    self.kit.delete(table, row["id"])
            for row in self.kit.query("SELECT id FROM session WHERE follows_session_id = ?", [session_id]):
                self.kit.update("session", row["id"], {"follows_session_id": session.follows_session_id})
            self.kit.delete("session", session_id)

    # -- agenda steps ---------------------------------------------------------------

    def steps(self, session_id: str) -> list[Step]:
        rows = self.kit.query("SELECT * FROM step WHERE session_id = ? ORDER BY position, id", [session_id])
        return [Step.from_row(r) for r in rows]

    def step(self, step_id: str) -> Step:
        row = self.kit.row("step", step_id)
        if row is None:
            raise not_found("step", step_id)
        return Step.from_row(row)

    def add_step(self, session_id: str, title: str, minutes: int, position: int | None = None, **details: Any) -> StepId:
        """Add an agenda item at ``position`` (default: at the end)."""
        values = check_step({"title": title, "minutes": minutes, **details})
        with self.kit.transaction():
            existing = self.steps(session_id)
            at = len(existing) if position is None else max(0, min(position, len(existing)))
            step_id = StepId(self.kit.insert("step", {"session_id": session_id, "position": at, **values}))
            order = [s.id for s in existing]
            order.insert(at, step_id)
            self._renumber(order)
        return step_id

    def edit_step(self, step_id: str, **changes: Any) -> list[str]:
        self.step(step_id)
        return self.kit.update("step", step_id, check_step(dict(changes)))

    def remove_step(self, step_id: str) -> None:
        step = self.step(step_id)
        self._keep_led_steps([step_id])
        with self.kit.transaction():
            self.kit.delete("step", step_id)
            self._renumber([s.id for s in self.steps(step.session_id)])

    def move_step(self, step_id: str, to_index: int) -> None:
        """Move an item to ``to_index`` in the agenda; the others close up around it."""
        step = self.step(step_id)
        order = [s.id for s in self.steps(step.session_id)]
        order.remove(step_id)
        order.insert(max(0, min(to_index, len(order))), step_id)
        with self.kit.transaction():
            self._renumber(order)

    def _keep_led_steps(self, step_ids: list[str]) -> None:
        """A step the clock has been in stays: its presses would point at nothing."""
        marks = ",".join("?" * len(step_ids))
        if step_ids and self.kit.query(f"SELECT 1 FROM timer_event WHERE step_id IN ({marks}) LIMIT 1", step_ids):
            raise ValidationError(N_("This agenda item was already led with the clock, so it stays on the agenda. "
                                     "Shorten it to one minute if it should not count."), field="steps")  # fmt: skip

    def _renumber(self, order: list[str]) -> None:
        for position, step_id in enumerate(order):
            self.kit.update("step", step_id, {"position": position})

    def replace_agenda(self, session_id: str, template: Template) -> None:
        """Throw away the current agenda and start again from a template."""
        from wijkkit import templates

        self._keep_led_steps([s.id for s in self.steps(session_id)])
        with self.kit.transaction():
            for step in self.steps(session_id):
                self.kit.delete("step", step.id)
            templates.apply(self.kit, session_id, template)

    def fit(self, session_id: str) -> agenda.Fit:
        session = self.get(session_id)
        minutes = [s.minutes for s in self.steps(session_id)]
        return agenda.fit(_moment(session.starts_at, "starts_at"), _moment(session.ends_at, "ends_at"), minutes)

    def schedule(self, session_id: str) -> list[tuple[Step, agenda.Slot]]:
        session, steps = self.get(session_id), self.steps(session_id)
        slots = agenda.schedule(_moment(session.starts_at, "starts_at"), [s.minutes for s in steps])
        return list(zip(steps, slots, strict=True))


class SessionAgenda:
    """The agenda of one meeting, in the shape the agenda editor works with.

    ``TemplateDraft`` in templates.py has the same methods, so one editor serves
    both a meeting's agenda and a template being edited.
    """

    def __init__(self, kit: Kit, session_id: str) -> None:
        self.kit, self.session_id = kit, session_id

    def steps(self) -> list[Step]:
        return self.kit.sessions.steps(self.session_id)

    def add_step(self, title: str, minutes: int, position: int | None = None, **details: Any) -> str:
        return self.kit.sessions.add_step(self.session_id, title, minutes, position, **details)

    def edit_step(self, step_id: str, **changes: Any) -> None:
        self.kit.sessions.edit_step(step_id, **changes)

    def remove_step(self, step_id: str) -> None:
        self.kit.sessions.remove_step(step_id)

    def move_step(self, step_id: str, to_index: int) -> None:
        self.kit.sessions.move_step(step_id, to_index)

    def starts(self) -> datetime | None:
        return dates.parse(self.kit.sessions.get(self.session_id).starts_at)

    def fit(self) -> agenda.Fit | None:
        return self.kit.sessions.fit(self.session_id)
