"""Leiden: the facilitator's console for the evening itself.

The agenda with planned and actual times on the left; the running step with its
purpose, questions and a large countdown in the middle; quick capture on the
right. Keyboard first: Space starts or pauses, the arrows go to the next or
previous step, + and - add or take a minute, P opens the projector and B blanks
it. Every press is one committed clock event (see wijkkit/clock.py), so after a
crash the console opens at the same step with the right time left.

The countdown runs on a SteadyClock: it keeps its pace when the computer's clock
is changed during the evening.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListView,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
)

from wijkkit import clock, dates
from wijkkit.errors import KitError
from wijkkit.i18n import _
from wijkkit.kit import Kit
from wijkkit.live import Proposal

from .. import chime
from ..bridge import KitBridge
from ..forms import compact
from ..models.records import RecordTableModel
from ..projector import ProjectorWindow
from ..widgets import Page, muted
from .capture_panel import CapturePanel
from .lead_view import LeadView, step_lines
from .review_panel import ReviewPanel

TICK_MS = 200
KEYS = {Qt.Key_Space: "toggle", Qt.Key_Right: "next", Qt.Key_Left: "back", Qt.Key_Plus: "plus",
        Qt.Key_Equal: "plus", Qt.Key_Minus: "minus", Qt.Key_P: "projector", Qt.Key_B: "blank"}  # fmt: skip


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

        top = QHBoxLayout()
        self.meeting = compact(QComboBox(objectName="leadMeeting"))
        self.meeting.currentIndexChanged.connect(lambda: self.load(self.meeting.currentData()))
        self.chime_box = QCheckBox(_("Chime"), checked=QSettings().value("live/chime", True, type=bool))
        self.chime_box.toggled.connect(lambda on: QSettings().setValue("live/chime", on))
        self.projector_button = self._button(_("Projector") + "  P", self.toggle_projector)
        top.addWidget(QLabel(_("Meeting")))
        top.addWidget(self.meeting, 1)
        top.addWidget(self.chime_box)
        top.addWidget(self.projector_button)
        self.layout_.addLayout(top)

        self.steps = RecordTableModel(lambda: step_lines(self.view), (("", lambda line: line),), self)
        self.step_list = QListView(objectName="leadSteps", focusPolicy=Qt.NoFocus)
        self.step_list.setModel(self.steps)
        self.step_list.setWordWrap(True)
        self.step_list.setMinimumWidth(230)
        self.step_list.setMaximumWidth(280)
        self.capture = CapturePanel(kit, self.steady.now, lambda: self.view.state.current_step_id if self.view.state else None)
        self.capture.leave.connect(self.setFocus)
        self.review = ReviewPanel(kit, self.steady.now)
        self.side = QTabWidget(objectName="leadSide", focusPolicy=Qt.NoFocus)
        self.side.addTab(self.capture, _("Capture"))
        self.side.addTab(self.review, _("Review agreements"))
        self.side.setMaximumWidth(380)
        body = QHBoxLayout()
        body.addWidget(self.step_list)
        body.addLayout(self._centre(), 1)
        body.addWidget(self.side)
        self.layout_.addLayout(body, 1)

        self.timer = QTimer(self, interval=TICK_MS, timeout=self.tick)
        bridge.changed.connect(self._on_change)
        self.reload_meetings()

    # -- building ------------------------------------------------------------------

    def _button(self, text: str, slot) -> QPushButton:
        button = QPushButton(text, focusPolicy=Qt.NoFocus)
        button.clicked.connect(slot)
        return button

    def _centre(self) -> QVBoxLayout:
        self.step_line = QLabel(objectName="muted")
        self.step_title = QLabel(objectName="h1", wordWrap=True)
        self.purpose = muted("")
        self.prompts = QLabel(objectName="big", wordWrap=True)
        self.countdown = QLabel("--:--", objectName="countdown", alignment=Qt.AlignCenter)
        self.state_line = QLabel(objectName="muted", alignment=Qt.AlignCenter)
        self.start_button = self._button(_("Start") + "  ␣", lambda: self.act("toggle"))
        self.back_button = self._button("← " + _("Back"), lambda: self.act("back"))
        self.next_button = self._button(_("Next") + " →", lambda: self.act("next"))
        self.minus_button = self._button(_("−1 min") + "  −", lambda: self.act("minus"))
        self.plus_button = self._button(_("+1 min") + "  +", lambda: self.act("plus"))
        self.end_button = self._button(_("End meeting"), lambda: self.end_meeting())
        controls = QGridLayout()
        for n, button in enumerate((self.back_button, self.start_button, self.next_button, self.minus_button,
                                    self.plus_button, self.end_button)):  # fmt: skip
            controls.addWidget(button, n // 3, n % 3)
        self.projection = QLabel(objectName="big", wordWrap=True)
        self.replan_button = self._button(_("Propose new times to end on time"), self.show_proposal)
        self.proposal_text = QLabel(wordWrap=True)
        self.accept_button = self._button(_("Accept"), self.accept_proposal)
        self.ignore_button = self._button(_("Ignore"), self.hide_proposal)
        proposal_row = QHBoxLayout()
        proposal_row.addWidget(self.proposal_text, 1)
        proposal_row.addWidget(self.accept_button)
        proposal_row.addWidget(self.ignore_button)
        self.message = QLabel(objectName="formError", wordWrap=True)
        self.info = QLabel(objectName="info", wordWrap=True)
        column = QVBoxLayout()
        for widget in (self.step_line, self.step_title, self.purpose, self.prompts):
            column.addWidget(widget)
        column.addWidget(self.countdown, 1)
        column.addWidget(self.state_line)
        column.addLayout(controls)
        column.addWidget(self.message)
        column.addWidget(self.info)
        column.addWidget(self.projection)
        column.addWidget(self.replan_button, 0, Qt.AlignLeft)
        column.addLayout(proposal_row)
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

    def load(self, session_id: str | None) -> None:
        self.session_id = session_id
        self.view.load(session_id, self.steady.now())
        self.capture.load(session_id)
        self.review.load(session_id)
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
        try:
            self.kit.live.press(self.session_id, kind, self.steady.now(), seconds)
        except KitError as error:
            self.message.setText(error.localized())
            return
        self.message.clear()
        self.info.clear()
        self.view.load(self.session_id, self.steady.now())
        self._level = self.view.level()
        self.refresh()

    def end_meeting(self, confirm: bool = True) -> None:
        if confirm and QMessageBox.question(self, _("End meeting"), _("End the meeting now? The clock stops.")) \
                != QMessageBox.Yes:  # fmt: skip
            return
        try:
            self.kit.live.press(self.session_id, "end", self.steady.now())
        except KitError as error:
            self.message.setText(error.localized())
            return
        self.view.load(self.session_id, self.steady.now())
        self.refresh()

    # -- showing -------------------------------------------------------------------

    def refresh(self) -> None:
        self.steps.refresh()
        view = self.view
        step = view.current()
        if step is not None and step.id != getattr(self, "_step_shown", None):
            self._step_shown = step.id  # on a new step: the review tab during the review, else capture
            self.side.setCurrentWidget(self.review if view.in_review() else self.capture)
        self.step_line.setText(view.step_line())
        self.step_title.setText(view.title())
        self.purpose.setText(view.purpose())
        self.prompts.setText("\n".join(f"• {p}" for p in view.prompts()))
        state = view.state
        for button, kind in ((self.back_button, "back"), (self.next_button, "next"), (self.plus_button, "adjust"),
                             (self.minus_button, "adjust"), (self.end_button, "end")):  # fmt: skip
            button.setEnabled(bool(state) and clock.accepts(state, kind))
        self.start_button.setEnabled(bool(state) and not state.ended and bool(state.steps))
        self.start_button.setText(view.toggle_label() + "  ␣")
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
        self.proposal = self.kit.live.proposal(self.session_id, self.steady.now()) if self.session_id else None
        if self.proposal is None:
            self.proposal_text.setText(_("The meeting can still end on time; nothing to change."))
            self.proposal_text.show()
            return
        self.proposal_text.setText(self.view.proposal_text(self.proposal))
        for widget in (self.proposal_text, self.accept_button, self.ignore_button):
            widget.show()

    def accept_proposal(self) -> None:
        if self.proposal is not None:
            self.kit.live.accept(self.proposal)
        self.hide_proposal()

    def hide_proposal(self) -> None:
        self.proposal = None
        for widget in (self.proposal_text, self.accept_button, self.ignore_button):
            widget.hide()

    # -- projector and keys ------------------------------------------------------------

    def toggle_projector(self) -> None:
        if self.projector is None:
            self.projector = ProjectorWindow()
        if self.projector.isVisible():
            self.projector.close()
            return
        self.projector.place()
        self.projector.show_view(self.view.projector_view())

    def keyPressEvent(self, event) -> None:  # noqa: N802
        action = KEYS.get(event.key())
        if action == "projector":
            self.toggle_projector()
        elif action == "blank":
            if self.projector is not None:
                self.projector.set_blank(not self.projector.blanked)
        elif action is not None:
            self.act(action)
        else:
            super().keyPressEvent(event)

    def hideEvent(self, event) -> None:  # noqa: N802
        super().hideEvent(event)
        if self.projector is None or not self.projector.isVisible():
            self.timer.stop()  # nothing to count while another page is shown

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self.session_id:
            self.timer.start()
        self.setFocus()

    def closeEvent(self, event) -> None:  # noqa: N802
        if self.projector is not None:
            self.projector.close()
        super().closeEvent(event)

