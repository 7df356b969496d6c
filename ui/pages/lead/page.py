"""Leiden: the facilitator's console for the evening itself.

The running step with its purpose, questions and a large countdown on the left; beside it
four tabs: quick capture, the review of earlier agreements, the agenda with planned and actual
times, and choosing together with dots (dots_panel.py). Keyboard first: Space starts or pauses,
the arrows go to the next or previous step, + and - add or take a minute, P opens the projector and
B blanks it, E ends the meeting and N proposes new times, which Enter accepts and Escape ignores;
Alt+1 … Alt+8 bring quick capture forward with a kind chosen, and Escape hands the keys back to
the clock. Those single keys are the console's only while the console itself has the keyboard (keys.py): whatever is
typed in a field, or left over by a list, table or button, never moves the clock or blanks the
beamer. Tab reaches every button, the tabs and the lists; a click leaves the keyboard where it
was, and every control has an accessible name without key symbols. Every press
is one committed clock event (see wijkkit/clock.py), so after a crash the console opens at
the same step with the right time left. A meeting started on another day than planned, or
hours from its time, is started after a question and re-planned from now (wijkkit.live).

The page fits 1024x768 and 1280x720 at any state of the evening (see controls.py for the
widgets that keep still and give way); the countdown runs on a SteadyClock: it keeps its pace
when the computer's clock is changed during the evening.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QMessageBox,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from wijkkit import clock, dates
from wijkkit.errors import KitError
from wijkkit.i18n import _
from wijkkit.kit import Kit
from wijkkit.live import Proposal, far_from_planned

from ... import chime
from ...bridge import KitBridge
from ...forms import compact
from ...models.records import RecordTableModel
from ...projector import ProjectorWindow
from ...widgets import Page, muted
from .capture_panel import CapturePanel
from .controls import CountdownLabel, NoticeZone, StepText, button, steady_buttons
from .dots_panel import DotsPanel
from .keys import KEYS, PLAIN, console_action, key_names
from .review_panel import ReviewPanel
from .view import LeadView, step_lines

TICK_MS = 200


class LeadPage(Page):
    def __init__(self, kit: Kit, bridge: KitBridge, steady: clock.SteadyClock | None = None) -> None:
        super().__init__(_("Lead"))
        self.kit, self.steady = kit, steady or clock.SteadyClock()
        self.session_id: str | None = None
        self.view = LeadView(kit)
        self.projector: ProjectorWindow | None = None
        self.proposal: Proposal | None = None
        self._level = "normal"
        self.setFocusPolicy(Qt.StrongFocus)
        self.setAccessibleName(_("Lead"))
        self.setAccessibleDescription(_("The console of the evening. Space starts or pauses the clock, the right and "
                                        "left arrow go to the next or previous step, Tab goes to the buttons."))  # fmt: skip
        self.layout_.setContentsMargins(20, 12, 20, 12)
        self.layout_.setSpacing(8)

        top = QHBoxLayout()
        self.meeting = compact(QComboBox(objectName="leadMeeting"))
        self.meeting.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.meeting.setMinimumContentsLength(16)
        self.meeting.currentIndexChanged.connect(self._picked)
        self.chime_box = QCheckBox(_("Chime"), checked=QSettings().value("live/chime", True, type=bool))
        self.chime_box.toggled.connect(lambda on: QSettings().setValue("live/chime", on))
        for clicked in (self.meeting, self.chime_box):  # Tab reaches them; a click leaves the keys with the clock
            clicked.setFocusPolicy(Qt.TabFocus)
        keys = key_names()
        self.projector_button = button(_("Projector") + "  P", self.toggle_projector, spoken=_("Projector"),
                                       key=keys["projector"])  # fmt: skip
        meeting_label = QLabel(_("Meeting"), buddy=self.meeting)
        self.meeting.setAccessibleName(_("Meeting"))
        top.addWidget(meeting_label)
        top.addWidget(self.meeting, 1)
        top.addWidget(self.chime_box)
        top.addWidget(self.projector_button)
        self.layout_.addLayout(top)

        self.steps = RecordTableModel(lambda: step_lines(self.view), (("", lambda line: line),), self)
        self.step_list = QListView(objectName="leadSteps", focusPolicy=Qt.TabFocus)
        self.step_list.setAccessibleName(_("Agenda"))
        self.step_list.setModel(self.steps)
        self.step_list.setWordWrap(True)
        self.capture = CapturePanel(kit, self.steady.now, lambda: self.view.state.current_step_id if self.view.state else None,
                                    keys_on=self)  # fmt: skip
        self.capture.leave.connect(self.setFocus)
        self.review = ReviewPanel(kit, self.steady.now)
        self.dots = DotsPanel(kit, bridge, self.view, self.steady.now)
        self.dots.to_projector.connect(self._project_ranking)
        self.dots.leave.connect(self.setFocus)
        self.side = QTabWidget(objectName="leadSide", focusPolicy=Qt.TabFocus)  # Tab reaches it, a click keeps the keys
        self.side.addTab(self.capture, _("Capture"))
        self.side.addTab(self.review, _("Review"))  # short: four tabs side by side at 1024x768
        self.side.addTab(self.step_list, _("Agenda"))
        self.side.addTab(self.dots, _("Dots"))
        self.capture.wanted.connect(lambda: self.side.setCurrentWidget(self.capture))
        centre = QWidget(objectName="leadCentre")
        centre.setLayout(self._centre())
        # the centre and the side share the width 3:2 whatever they show, so nothing shifts sideways;
        # the side never gets less than its four tabs side by side (no scroll arrows at 1024x768)
        for widget in (centre, self.side):
            widget.setMinimumWidth(widget.minimumSizeHint().width())
            widget.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        self.side.setMinimumWidth(max(self.side.minimumWidth(), self.side.tabBar().sizeHint().width()))
        body = QHBoxLayout()
        body.addWidget(centre, 3)
        body.addWidget(self.side, 2)
        self.layout_.addLayout(body, 1)

        self.timer = QTimer(self, interval=TICK_MS, timeout=self.tick)
        bridge.changed.connect(self._on_change)
        self.reload_meetings()

    # -- building ------------------------------------------------------------------

    def _centre(self) -> QVBoxLayout:
        self.step_line = QLabel(objectName="muted")
        self.step_title = QLabel(objectName="h1")
        self.purpose = muted("")
        self.prompts = QLabel(objectName="big")
        self.step_text = StepText((self.step_title, self.purpose, self.prompts))
        self.countdown = CountdownLabel("--:--", objectName="countdown", alignment=Qt.AlignCenter)
        self.state_line = QLabel(objectName="muted", alignment=Qt.AlignCenter)
        self.state_line.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Fixed)
        keys = key_names()
        self.start_button = button(_("Start") + "  ␣", lambda: self.act("toggle"), "leadStart", spoken=_("Start"),
                                   key=keys["toggle"])  # fmt: skip
        self.back_button = button("← " + _("Back"), lambda: self.act("back"), "leadBack", spoken=_("Back"),
                                  key=keys["back"])  # fmt: skip
        self.next_button = button(_("Next") + " →", lambda: self.act("next"), "leadNext", spoken=_("Next"),
                                  key=keys["next"])  # fmt: skip
        self.minus_button = button(_("−1 min") + "  −", lambda: self.act("minus"), "leadMinus",
                                   spoken=_("One minute less"), key=keys["minus"])  # fmt: skip
        self.plus_button = button(_("+1 min") + "  +", lambda: self.act("plus"), "leadPlus",
                                  spoken=_("One minute more"), key=keys["plus"])  # fmt: skip
        self.end_button = button(_("End meeting") + "  E", lambda: self.end_meeting(), "leadEnd",
                                 spoken=_("End meeting"), key=keys["end"])  # fmt: skip
        toggles = [label + "  ␣" for label in (_("Start"), _("Pause"), _("Continue"))]
        controls = steady_buttons([(self.back_button, ()), (self.start_button, toggles), (self.next_button, ()),
                                   (self.minus_button, ()), (self.plus_button, ()), (self.end_button, ())])  # fmt: skip
        self.projection = QLabel(objectName="projection")
        # short on the button, so the projected end beside it keeps its room with a large font
        self.replan_button = button(_("Propose new times") + "  N", self.show_proposal, "leadReplan",
                                    spoken=_("Propose new times to end on time"), key=keys["replan"])  # fmt: skip
        self.proposal_text = QLabel(objectName="proposal")
        self.accept_button = button(_("Accept") + "  Enter", self.accept_proposal, "leadAccept", spoken=_("Accept"),
                                    key=keys["accept"])  # fmt: skip
        self.ignore_button = button(_("Ignore") + "  Esc", self.hide_proposal, "leadIgnore", spoken=_("Ignore"),
                                    key=keys["ignore"])  # fmt: skip
        self.message = QLabel(objectName="formError")
        self.info = QLabel(objectName="info")
        self.notices = NoticeZone(self.message, self.info, self.projection, self.replan_button,
                                  self.proposal_text, self.accept_button, self.ignore_button)  # fmt: skip
        column = QVBoxLayout()
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        column.addWidget(self.step_line)
        column.addWidget(self.step_text)
        column.addWidget(self.countdown, 1)
        column.addWidget(self.state_line)
        column.addLayout(controls)
        column.addWidget(self.notices)
        self.hide_proposal()
        return column

    # -- loading -------------------------------------------------------------------

    def reload_meetings(self) -> None:
        sessions = self.kit.sessions.list()
        chosen = self.session_id or self.view.default_meeting(sessions, self.steady.now())
        self.meeting.blockSignals(True)
        self.meeting.clear()
        for session in sessions:
            self.meeting.addItem(f"{dates.short_date(session.starts_at)}  {session.title}", session.id)
        self.meeting.setCurrentIndex(max(0, self.meeting.findData(chosen)))
        self.meeting.blockSignals(False)
        self.load(self.meeting.currentData())

    def _picked(self) -> None:
        """Another meeting in the picker: while this one runs, only after a question whose default is
        No, as one arrow key on the picker would otherwise leave the evening for another meeting."""
        wanted, state = self.meeting.currentData(), self.view.state
        if wanted != self.session_id and state is not None and state.started and not state.ended:
            asked = QMessageBox.question(
                self, _("Other meeting"),
                _("\"{title}\" is still running. Go to another meeting? Its clock keeps running.").format(
                    title=self.view.session.title),
                QMessageBox.Yes | QMessageBox.No, QMessageBox.No)  # fmt: skip
            if asked != QMessageBox.Yes:
                self.meeting.blockSignals(True)
                self.meeting.setCurrentIndex(max(0, self.meeting.findData(self.session_id)))
                self.meeting.blockSignals(False)
                return
        self.load(wanted)

    def load(self, session_id: str | None) -> None:
        self.session_id = session_id
        self.view.load(session_id, self.steady.now())
        self.capture.load(session_id)
        self.review.load(session_id)
        self.dots.load(session_id)
        self._step_shown = None
        self._level = self.view.level()
        self.hide_proposal()
        self.message.clear()
        self.refresh()
        state = self.view.state
        resumed = state is not None and state.started and not state.ended
        self.info.setText(self.view.resumed_text() if resumed else "")
        self.timer.start()

    def _on_change(self, changes: dict) -> None:
        if "session" in changes and not changes.keys() & {"timer_event"}:
            self.reload_meetings()
        elif "step" in changes:
            self.view.load(self.session_id, self.steady.now())
            self.refresh()

    # -- the clock -------------------------------------------------------------------

    def tick(self) -> None:
        if self.view.state is None:
            return
        self.view.advance(self.steady.now())
        level = self.view.level()
        if level != self._level and self.view.state.running and self.chime_box.isChecked():
            chime.play("soon" if level == "soon" else "over")
        self._level = level
        self._show_clock()

    def act(self, action: str) -> None:
        state = self.view.state
        if state is None or not self.session_id:
            return
        kind, seconds = {"toggle": (self.view.toggle_kind(), 0), "next": ("next", 0), "back": ("back", 0),
                         "plus": ("adjust", 60), "minus": ("adjust", -60)}[action]  # fmt: skip
        now = self.steady.now()
        replan = kind == "start" and far_from_planned(self.view.session.starts_at, now)
        if replan and not self._start_far_from_planned():
            return
        try:
            if replan:
                self.kit.live.start_replanned(self.session_id, now)
            else:
                self.kit.live.press(self.session_id, kind, now, seconds)
        except KitError as error:
            self._refused(error)
            return
        self.message.clear()
        self.info.clear()
        self.view.load(self.session_id, self.steady.now())
        self._level = self.view.level()
        self.refresh()

    def end_meeting(self, confirm: bool = True) -> None:
        if confirm:
            parent = self.dialog_parent()
            answer = QMessageBox.question(parent, _("End meeting"), _("End the meeting now? The clock stops."),
                                          QMessageBox.Yes | QMessageBox.No, QMessageBox.No)  # E, Enter: not ended  # fmt: skip
            self._after_question(parent)
            if answer != QMessageBox.Yes:
                return
        try:
            self.kit.live.press(self.session_id, "end", self.steady.now())
        except KitError as error:
            self._refused(error)
            return
        self.message.clear()
        self.hide_proposal()
        self.view.load(self.session_id, self.steady.now())
        self.refresh()

    def _refused(self, error: KitError) -> None:
        self.info.clear()  # one notice at a time in the notice zone
        self.message.setText(error.localized())

    def _start_far_from_planned(self) -> bool:
        """Asked before starting on another day, or hours from the planned time."""
        session = self.view.session
        parent = self.dialog_parent()
        box = QMessageBox(QMessageBox.Question, _("Start meeting"),
                          _("This meeting was planned for {when}. Start it now and plan its times from now?").format(
                              when=f"{dates.short_date(session.starts_at)} {session.starts_at[11:16]}"),
                          parent=parent)  # fmt: skip
        start = box.addButton(_("Start now and plan from now"), QMessageBox.AcceptRole)
        box.addButton(QMessageBox.Cancel)
        box.setDefaultButton(start)
        box.exec()
        self._after_question(parent)
        return box.clickedButton() is start

    def dialog_parent(self) -> QWidget:
        """Where the console asks a question: over the projector while it covers the console.

        With one screen (Windows' Duplicate mode) the wall shows what the laptop shows; a question
        parented to the console raises the whole console, with the agreements and residents'
        names, above the projector. Parented to the projector, only the question appears over
        it, so its text must never hold a name (these name a time or an action, nothing else).
        With the projector on another screen the question stays on the laptop, with the console.
        """
        projector = self.projector
        if projector is not None and projector.isVisible() and projector.covers_console():
            return projector
        return self

    def _after_question(self, parent: QWidget) -> None:
        if parent is self.projector and self.projector.isVisible():
            self.projector.to_front()  # in front again, with the keyboard: the next P is meant

    # -- showing -------------------------------------------------------------------

    def refresh(self) -> None:
        self.steps.refresh()
        view = self.view
        step = view.current()
        if step is not None and step.id != getattr(self, "_step_shown", None):
            self._step_shown = step.id  # on a new step: the review tab during the review, else capture
            self.side.setCurrentWidget(self.review if view.in_review() else self.capture)
        texts = (view.title(), view.purpose(), "\n".join(f"• {p}" for p in view.prompts()))
        self.step_line.setText(view.step_line())
        if texts != (self.step_title.text(), self.purpose.text(), self.prompts.text()):
            for label, text in zip((self.step_title, self.purpose, self.prompts), texts, strict=True):
                label.setText(text)
                label.setVisible(bool(text))
            self.step_text.changed()
        state = view.state
        for control, kind in ((self.back_button, "back"), (self.next_button, "next"), (self.plus_button, "adjust"),
                              (self.minus_button, "adjust"), (self.end_button, "end")):  # fmt: skip
            control.setEnabled(bool(state) and clock.accepts(state, kind))
        self.start_button.setEnabled(bool(state) and not state.ended and bool(state.steps))
        self.start_button.setText(view.toggle_label() + "  ␣")
        self.start_button.setAccessibleName(view.toggle_label())
        self._show_clock()

    def _show_clock(self) -> None:
        view = self.view
        text = view.countdown()
        if self.countdown.text() != text:
            self.countdown.setText(text)
        level = view.level()
        if self.countdown.property("level") != level:
            self.countdown.setProperty("level", level)
            self.countdown.style().unpolish(self.countdown)
            self.countdown.style().polish(self.countdown)
        state_text = view.state_text(self.steady.drift_seconds())
        if self.state_line.text() != state_text:
            self.state_line.setText(state_text)
        projection = view.projection_text()
        if self.projection.text() != projection:
            self.projection.setText(projection)
        self.replan_button.setVisible(view.runs_late())
        if self.projector is not None and self.projector.isVisible():
            shown = view.projector_view()
            if shown != self.projector.view:  # the projector redraws only when something changed
                self.projector.show_view(shown)

    # -- re-planning -------------------------------------------------------------------

    def show_proposal(self) -> None:
        asked_here = self.replan_button.hasFocus()
        self.proposal = self.kit.live.proposal(self.session_id, self.steady.now()) if self.session_id else None
        if self.proposal is None:
            self.proposal_text.setText(_("The meeting can still end on time; nothing to change."))
            self.accept_button.hide()
        else:
            self.proposal_text.setText(self.view.proposal_text(self.proposal))
            self.accept_button.show()
        self.proposal_text.setToolTip(self.proposal_text.text())
        self.notices.show_proposal(True)
        if asked_here:  # asked with Tab and Space: the keyboard goes on to the answer
            (self.accept_button if self.proposal is not None else self.ignore_button).setFocus(Qt.TabFocusReason)

    def accept_proposal(self) -> None:
        if self.proposal is not None:
            self.kit.live.accept(self.proposal)
        self.hide_proposal()

    def hide_proposal(self) -> None:
        answered_here = self.notices.isAncestorOf(QApplication.focusWidget())
        self.proposal = None
        self.notices.show_proposal(False)
        if answered_here:  # its buttons go away: the keyboard goes back to the clock
            self.setFocus()

    def proposal_shown(self) -> bool:
        return self.notices.pages.currentIndex() == 1

    # -- projector and keys ------------------------------------------------------------

    def toggle_projector(self) -> None:
        if self.projector is None:
            self.projector = ProjectorWindow(keys_to=self)
        if self.projector.isVisible():
            self.projector.close()
            return
        self.projector.place(self.window())
        self.projector.show_view(self.view.projector_view())

    def _project_ranking(self) -> None:
        """The dots ranking on the wall (dots_panel.py): the projector opens when it is closed."""
        if self.projector is None or not self.projector.isVisible():
            self.toggle_projector()
        else:
            self.projector.show_view(self.view.projector_view())

    def keyPressEvent(self, event) -> None:  # noqa: N802
        """The console's keys, only while the console itself has the keyboard (or the projector
        passes them on): never from a field, list, table or button on the page (keys.py)."""
        action = console_action(self, event)
        if event.key() == Qt.Key_Escape and not event.modifiers() & PLAIN and action is None:
            self.setFocus()  # from any field on the page: the keys are the clock's again
        elif action in ("accept", "ignore"):
            if self.proposal_shown():
                self.accept_proposal() if action == "accept" else self.hide_proposal()
        elif action is not None:
            self.console_key(action)
        elif event.key() in KEYS and not event.modifiers() & PLAIN:
            event.accept()  # left over by a child: not the clock's, and not for the scroll area either
        else:
            super().keyPressEvent(event)

    def console_key(self, action: str) -> None:
        if action == "projector":
            self.toggle_projector()
        elif action == "blank":
            if self.projector is not None:
                self.projector.set_blank(not self.projector.blanked)
        elif action == "end":
            if self.session_id:
                self.end_meeting(confirm=self.end_button.isEnabled())  # when it cannot end, only say why
        elif action == "replan":
            state = self.view.state
            if state is not None and state.started and not state.ended:
                self.show_proposal()
        else:
            self.act(action)

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        """The console fills the window's height and scrolls only below its minimum: the step's
        texts scroll in their own area instead of making the page as tall as they are."""
        return self.minimumSizeHint().height()

    def hideEvent(self, event) -> None:  # noqa: N802
        super().hideEvent(event)
        if self.projector is None or not self.projector.isVisible():
            self.timer.stop()  # nothing to count while another page is shown

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self.session_id:
            self.timer.start()
        self.setFocus()

    def may_quit(self) -> bool:
        """Asked when a person quits Wijkkit: not in the middle of a meeting without a question.
        Nothing would be lost (the evening resumes where it was), but the room loses its clock
        and its projector. The question names no meeting: it may appear over the projector."""
        state = self.view.state
        if not self.session_id or state is None or not state.started or state.ended:
            return True
        parent = self.dialog_parent()
        box = QMessageBox(QMessageBox.Question, _("Quit"), _("A meeting is still running. Quit Wijkkit anyway?"),
                          parent=parent)  # fmt: skip
        box.setInformativeText(_("Everything is saved. When you open Wijkkit again, Leiden continues where the "
                                 "meeting is; the clock keeps running in the meantime."))  # fmt: skip
        leave = box.addButton(_("Quit Wijkkit"), QMessageBox.DestructiveRole)
        stay = box.addButton(_("Keep the meeting open"), QMessageBox.RejectRole)
        box.setDefaultButton(stay)  # Enter, Escape: the meeting stays
        box.setEscapeButton(stay)
        box.exec()
        self._after_question(parent)
        return box.clickedButton() is leave

    def closeEvent(self, event) -> None:  # noqa: N802
        if self.projector is not None:
            self.projector.close()
        super().closeEvent(event)

