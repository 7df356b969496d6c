"""What the Leiden console and the projector show, computed from the clock state.

No widgets here: the texts, levels and the projector's view are derived from the
meeting, its agenda and its folded clock, so they are easy to test and the page
only has to put them on screen. The projector is a public screen: every text it shows
passes wijkkit.redact, so the name of a person who did not agree to share never appears
there, also not inside a prompt, a title or an agreement.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from wijkkit import agenda, clock, dates
from wijkkit.i18n import _, ngettext
from wijkkit.kit import Kit
from wijkkit.live import Proposal, local_to_micros
from wijkkit.models import Session, Step
from wijkkit.redact import Redactor
from wijkkit.sessions import FORGOTTEN, at_hand

from ...projector import ProjectorView, Ranked

DRIFT_WARNING_SECONDS = 60
RANKED_ON_PROJECTOR = 10  # lines of the dots ranking on the wall; the rest is counted below them


def _hhmm(micros: int | None) -> str:
    return clock.from_micros(micros).astimezone().strftime("%H:%M") if micros is not None else ""


class LeadView:
    def __init__(self, kit: Kit) -> None:
        self.kit = kit
        self.session: Session | None = None
        self.steps: list[Step] = []
        self.events: list[clock.Event] = []
        self.state: clock.ClockState | None = None
        self.now = 0  # microseconds, as of the last advance
        self._redactor: Redactor | None = None  # built when first needed, again after people change
        self.dots_step: str | None | bool = False  # the ranking on the projector: False for the clock, else its step
        self._ranking: ProjectorView | None = None  # made when first shown, again after a change
        kit.on_change(self._people_changed)

    def _people_changed(self, changes: dict) -> None:
        if "person" in changes:
            self._redactor = None
        if changes.keys() & {"person", "capture", "agreement", "step", "session"}:
            self._ranking = None

    def show_ranking(self, step_id: str | None | bool) -> None:
        """The dots ranking of ``step_id`` (None: of the whole meeting) on the projector; False: the clock."""
        self.dots_step, self._ranking = step_id, None

    def public(self, text: str) -> str:
        """``text`` as the projector may show it: names of people who did not agree to share replaced."""
        if self._redactor is None:
            self._redactor = Redactor.for_kit(self.kit)
        return self._redactor.text(text)

    # -- loading ---------------------------------------------------------------------

    @staticmethod
    def default_meeting(sessions: list[Session], now: datetime) -> str | None:
        """The running meeting, else the next planned one, else the latest; but a meeting
        left running long after its planned end does not hide tonight's."""
        found = at_hand(sessions, now)
        return found.id if found else None

    def load(self, session_id: str | None, now: datetime) -> None:
        if session_id is None:
            self.session, self.steps, self.events, self.state = None, [], [], None
            return
        self.session = self.kit.sessions.get(session_id)
        self.steps = self.kit.sessions.steps(session_id)
        self.events = self.kit.live.events(session_id)
        self.advance(now)

    def advance(self, now: datetime) -> None:
        planned = [clock.PlannedStep(s.id, s.minutes * 60) for s in self.steps]
        self.now = clock.to_micros(now)
        self.state = clock.fold(planned, self.events, self.now)

    def forgotten(self) -> bool:
        """Started, never ended, and its planned end long gone: someone forgot 'End meeting'."""
        end, state = self.planned_end(), self.state
        return bool(state and state.started and not state.ended and end is not None
                    and self.now > end + FORGOTTEN // timedelta(microseconds=1))  # fmt: skip

    # -- the current step ------------------------------------------------------------------

    def current(self) -> Step | None:
        return self.steps[self.state.current] if self.state and self.steps else None

    def number(self, step: Step) -> int:
        """A step's number among the numbered steps (breaks are not numbered)."""
        numbered = [s.id for s in self.steps if s.kind == "step"]
        return numbered.index(step.id) + 1 if step.id in numbered else 0

    def step_line(self) -> str:
        step = self.current()
        if step is None:
            return _("This meeting has no agenda yet.")
        if step.kind == "break":
            return _("Break")
        total = sum(1 for s in self.steps if s.kind == "step")
        return _("Step {n} of {total}").format(n=self.number(step), total=total)

    def title(self) -> str:
        step = self.current()
        return step.title if step else (self.session.title if self.session else _("No meeting chosen."))

    def purpose(self) -> str:
        step = self.current()
        return step.purpose if step else ""

    def prompts(self) -> list[str]:
        step = self.current()
        return step.prompt_list if step else []

    def in_review(self) -> bool:
        """In a follow-up meeting, during the opening steps up to the one about the agreements."""
        if self.session is None or not self.session.follows_session_id or not self.state or not self.steps:
            return False
        review = next((i for i, s in enumerate(self.steps) if "afspra" in s.title.lower()), 0)
        return self.state.current <= review

    def next_step(self) -> Step | None:
        if not self.state or self.state.current + 1 >= len(self.steps):
            return None
        return self.steps[self.state.current + 1]

    # -- the clock ---------------------------------------------------------------------

    def countdown(self) -> str:
        state = self.state
        if state is None or not state.steps:
            return "--:--"
        if state.ended:
            return _("Ended")
        return clock.countdown_text(state.remaining)

    def level(self) -> str:
        state = self.state
        if state is None or not state.started or state.ended:
            return "normal"
        return clock.level(state.remaining)

    def toggle_kind(self) -> str:
        state = self.state
        if state is None or not state.started:
            return "start"
        return "pause" if state.running else "resume"

    def toggle_label(self) -> str:
        return {"start": _("Start"), "pause": _("Pause"), "resume": _("Continue")}[self.toggle_kind()]

    def state_text(self, drift_seconds: float = 0.0) -> str:
        state = self.state
        if state is None or not state.steps:
            text = ""
        elif state.ended:
            text = _("Ended at {time}.").format(time=_hhmm(state.ended_at))
        elif not state.started:
            text = _("Not started. Space starts the meeting.")
        elif state.running:
            text = _("Running") if state.remaining > 0 else _("Over time")
        else:
            text = _("Paused. Space continues.")
        if self.forgotten():
            text = _("This meeting was never ended (planned until {end}). Press End meeting to close it.").format(
                end=f"{dates.short_date(self.session.ends_at)} {self.session.ends_at[11:16]}")
        if abs(drift_seconds) >= DRIFT_WARNING_SECONDS:
            text += " " + _("The computer's clock was changed; the countdown keeps the meeting's own time.")
        return text

    def planned_end(self) -> int | None:
        return local_to_micros(self.session.ends_at) if self.session else None

    def runs_late(self) -> bool:
        state, end = self.state, self.planned_end()
        projected = state.projected_end() if state else None
        return bool(state and state.started and not state.ended and end and projected and projected > end + 59 * clock.SECOND)

    def projection_text(self) -> str:
        state, end = self.state, self.planned_end()
        projected = state.projected_end() if state else None
        if not state or not state.started or state.ended or projected is None or end is None:
            return ""
        minutes = round((projected - end) / (60 * clock.SECOND))
        if minutes > 0:
            late = ngettext("{n} minute later than planned", "{n} minutes later than planned", minutes).format(n=minutes)
        elif minutes < 0:
            late = ngettext("{n} minute earlier than planned", "{n} minutes earlier than planned", -minutes).format(
                n=-minutes
            )
        else:
            late = _("on time")
        return _("Expected end {time}: {late}.").format(time=_hhmm(projected), late=late)

    def resumed_text(self) -> str:
        step = self.current()
        started = self.state.steps[self.state.current].started if self.state else None
        return _("Picked up where the meeting was: {title}, running since {time}.").format(
            title=step.title if step else "", time=_hhmm(started)
        )

    def proposal_text(self, proposal: Proposal) -> str:
        titles = {s.id: s.title for s in self.steps}
        changes = [f"{titles.get(i, '?')} {old} → {new}" for i, old, new in
                   zip(proposal.step_ids, proposal.old, proposal.new, strict=True) if old != new]  # fmt: skip
        text = _("New minutes: {changes}.").format(changes=", ".join(changes))
        if proposal.still_over:
            text += " " + _("Even so the meeting runs {n} minutes late.").format(n=proposal.still_over)
        return text

    # -- the projector --------------------------------------------------------------------

    def ranking_view(self) -> ProjectorView:
        """The dots ranking as the room sees it: top first, every text redacted (wijkkit.redact)."""
        if self._ranking is None:
            step = self.dots_step if isinstance(self.dots_step, str) else None
            ranking = self.kit.dots.ranking(self.session.id, step)
            rows = tuple(Ranked(f"{c.rank}.", self.public(c.text), ngettext("{n} dot", "{n} dots", c.dots).format(
                n=c.dots), c.chosen) for c in ranking[:RANKED_ON_PROJECTOR])  # fmt: skip
            more = len(ranking) - len(rows)
            below = (_("and {n} more").format(n=more) if more else
                     "" if rows else _("No dots have been counted yet."))  # fmt: skip
            title = next((s.title for s in self.steps if s.id == step), self.session.title)
            self._ranking = ProjectorView(step_line=self.public(title), title=_("Chosen together"), ranking=rows,
                                          next_line=below)  # fmt: skip
        return self._ranking

    def projector_view(self) -> ProjectorView:
        state, public = self.state, self.public
        if self.dots_step is not False and self.session is not None:
            return self.ranking_view()
        if state is not None and state.ended:
            agreements = tuple(public(a.title) for a in self.kit.agreements.for_session(self.session.id))
            return ProjectorView(step_line=public(self.session.title), title=_("Tonight's agreements"),
                                 agreements=agreements)  # fmt: skip
        upcoming = self.next_step()
        prompts = self.prompts()
        return ProjectorView(
            step_line=public(self.step_line()),
            title=public(self.title()),
            question=public(prompts[0]) if prompts else "",
            countdown=self.countdown(),
            level=self.level(),
            next_line=_("Next: {title}").format(title=public(upcoming.title)) if upcoming else "",
        )


def step_lines(view: LeadView) -> list[str]:
    """One line per agenda item: planned start and minutes, then what really happened."""
    if view.session is None or not view.steps:
        return []
    start = dates.parse(view.session.starts_at)
    slots = agenda.schedule(start, [s.minutes for s in view.steps]) if start else []
    state, lines = view.state, []
    for index, step in enumerate(view.steps):
        planned = f"{slots[index].starts:%H:%M}" if slots else ""
        timing = state.steps[index] if state else None
        mark = "▶ " if state and state.started and not state.ended and index == state.current else ""
        if timing and timing.ended is not None and not mark:
            mark = "✓ "
        line = f"{mark}{planned}  {step.title} ({step.minutes} min)"
        if timing and timing.started is not None:
            line += "\n      " + _("actual {start}–{end}").format(start=_hhmm(timing.started), end=_hhmm(timing.ended))
        lines.append(line)
    return lines
