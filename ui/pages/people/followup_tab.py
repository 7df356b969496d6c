"""Opvolging: which agreements are late, which are due this month, what to discuss next time.

The three lists answer the facilitator's question after a meeting: what needs a
phone call now, and what goes on the next meeting's agenda. Below them are the
follow-up tasks of one meeting (send the feedback letter, plan the next one),
ticked off as they are done. At the bottom, every meeting that was held with
whether its feedback to the neighbourhood went out (per channel: prepared, sent),
those without any in bold and said in words; the facilitator marks a channel as
sent and opens the feedback texts (ui/pages/outreach_dialog.py) from there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QSpinBox,
    QWidget,
)

from wijkkit import dates
from wijkkit.errors import KitError
from wijkkit.followups import FollowUp
from wijkkit.i18n import N_, _, gettext
from wijkkit.kit import Kit
from wijkkit.models import Session
from wijkkit.outreach import TEXT_CHANNELS, FeedbackState

from ...a11y import labelled, name
from ...bridge import KitBridge
from ...forms import DateField, compact, qdate, to_date
from ...models.agreements import AgreementTableModel
from ...models.checklist import CheckListModel
from ...models.records import DISPLAY, FONT, RecordTableModel
from ...widgets import Card, muted
from ..outreach_dialog import MaterialButtons
from .exchange_tab import fill_meetings, latest_held, meeting_label, table_view
from .fit import scrolling

WIDE = 1440  # px of the tab from which the cards stand two by two (``FollowUpTab._flow``)
WATCHED = {"agreement", "agreement_update", "session", "person", "neighbourhood", "follow_up", "feedback"}
FEEDBACK_CHANNELS = {"email": N_("E-mail"), "message": N_("Message"), "newsletter": N_("Newsletter")}


@dataclass(frozen=True)
class HeldMeeting:
    """A meeting that was held, with what went out per channel of its feedback."""

    session: Session
    states: dict[str, FeedbackState]

    @property
    def sent(self) -> bool:
        return any(state.sent_on for state in self.states.values())

    def channel(self, channel: str) -> str:
        state = self.states.get(channel)
        if state and state.sent_on:
            return _("sent {date}").format(date=dates.short_date(state.sent_on))
        if state and state.prepared_on:
            return _("prepared {date}").format(date=dates.short_date(state.prepared_on))
        return ""


class FeedbackModel(RecordTableModel):
    """Held meetings, the latest first; a meeting whose feedback did not go out yet is in bold."""

    def data(self, index: QModelIndex, role: int = DISPLAY):
        if role == FONT and index.isValid() and not self.record(index.row()).sent:
            font = QFont()
            font.setBold(True)
            return font
        return super().data(index, role)


def _feedback_columns() -> tuple:
    return (
        (N_("Meeting"), lambda m: meeting_label(m.session)),
        (N_("Feedback"), lambda m: _("sent") if m.sent else _("not yet")),
        *((label, lambda m, c=channel: m.channel(c)) for channel, label in FEEDBACK_CHANNELS.items()),
    )


class FollowUpListModel(CheckListModel):
    """The follow-up tasks of one meeting; ticking one saves its done date at once."""

    def __init__(self, kit: Kit, today: Callable[[], Any], parent: QObject | None = None) -> None:
        super().__init__(kit, parent)
        self.today = today

    def fetch(self, session_id: str) -> list[FollowUp]:
        return self.kit.followups.for_session(session_id)

    def label(self, task: FollowUp) -> str:
        if task.done_on:
            return _("{title} – done on {date}").format(title=task.title, date=dates.short_date(task.done_on))
        if task.due_on:
            return _("{title} – before {date}").format(title=task.title, date=dates.short_date(task.due_on))
        return task.title

    def is_done(self, task: FollowUp) -> bool:
        return bool(task.done_on)

    def save(self, task: FollowUp, done: bool) -> None:
        self.kit.followups.set_done(task.id, self.today() if done else None)


class FollowUpTab(QWidget):
    def __init__(self, kit: Kit, bridge: KitBridge, clock: Callable[[], datetime]) -> None:
        super().__init__()
        self.kit, self.clock, self.next_meeting = kit, clock, None
        self.overdue = AgreementTableModel(lambda: kit.agreements.overdue(self.today()), self, self.today)
        self.this_month = AgreementTableModel(lambda: kit.agreements.due_this_month(self.today()), self, self.today)
        self.review = AgreementTableModel(self._to_review, self, self.today)
        self.overdue_view = table_view(self.overdue, "overdueAgreements", title=_("Overdue"))
        self.month_view = table_view(self.this_month, "monthAgreements", title=_("This month"))
        self.review_view = table_view(self.review, "reviewAgreements", title=_("To discuss at the next meeting"))
        for view in (self.overdue_view, self.month_view, self.review_view):
            # as high as their rows, up to about eight, so that the cards below come into view sooner
            view.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
            view.setMaximumHeight(8 * view.verticalHeader().defaultSectionSize() + view.horizontalHeader().sizeHint().height())

        late = Card(_("Overdue"))
        late.body.addWidget(muted(_("Open agreements whose due date has passed.")))
        late.body.addWidget(self.overdue_view, 1)
        month = Card(_("This month"))
        month.body.addWidget(muted(_("Open agreements due later this month.")))
        month.body.addWidget(self.month_view, 1)
        review = Card(_("To discuss at the next meeting"))
        self.review_heading = muted("")
        review.body.addWidget(self.review_heading)
        review.body.addWidget(self.review_view, 1)

        tasks = Card(_("Follow-up tasks"))
        self.session = compact(QComboBox(objectName="taskMeeting"))
        self.session.currentIndexChanged.connect(lambda _index: self._meeting_chosen())
        self.usual_button = QPushButton(_("Add the usual tasks"), clicked=self.add_usual)
        self.usual_button.setToolTip(_("Feedback letter, results to the municipality, plan the next meeting: "
                                       "for the most recent meeting that was held."))  # fmt: skip
        choose = QHBoxLayout()
        choose.addWidget(labelled(QLabel(_("Meeting")), self.session))
        choose.addWidget(self.session, 1)
        self.tasks = FollowUpListModel(kit, self.today, self)
        self.task_list = name(QListView(objectName="followUps"), _("Follow-up tasks"))
        self.task_list.setModel(self.tasks)
        self.task_title = name(QLineEdit(placeholderText=_("Another task…")), _("New task"))
        self.task_title.returnPressed.connect(self.add_task_from_form)
        self.task_due = DateField(calendarPopup=True, displayFormat="d-M-yyyy")
        self.task_due.setDate(qdate(self.today() + timedelta(days=14)))
        name(self.task_due, _("Due date"))
        add_row = QHBoxLayout()
        add_row.addWidget(self.task_title, 1)
        add_row.addWidget(QLabel(_("before")))
        add_row.addWidget(self.task_due)
        self.add_button = QPushButton(_("Add"), clicked=self.add_task_from_form)
        add_row.addWidget(self.add_button)
        self.task_error = QLabel(objectName="formError", wordWrap=True)
        self.task_error.hide()
        tasks.body.addLayout(choose)
        tasks.body.addWidget(muted(_("Tick what is done. Space ticks the selected line.")))
        tasks.body.addWidget(self.task_list, 1)
        tasks.body.addLayout(add_row)
        tasks.body.addWidget(self.task_error)
        tasks.body.addWidget(self.usual_button, 0, Qt.AlignLeft)

        self.grid = QGridLayout(scrolling(self))
        self.cards = [late, month, review, tasks, self._feedback_card(bridge)]
        self.columns = 0
        self._flow(1)
        bridge.changed.connect(self._on_change)
        self.refresh()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._flow(2 if event.size().width() >= WIDE else 1)

    def _flow(self, columns: int) -> None:
        """The four cards two by two on a wide screen, one under the other below ``WIDE``: side by side
        at 1024 or 1280 pixels, each table had half the width for five columns and cut its agreements
        to a few letters. The feedback card spans the width below them."""
        if columns == self.columns:
            return
        self.columns = columns
        for card in self.cards:
            self.grid.removeWidget(card)
        *four, feedback = self.cards
        for n, card in enumerate(four):
            self.grid.addWidget(card, n // columns, n % columns)
        self.grid.addWidget(feedback, len(four) // columns, 0, 1, columns)

    def _feedback_card(self, bridge: KitBridge) -> Card:
        card = Card(_("Feedback to the neighbourhood"))
        card.body.addWidget(muted(_("Every meeting that was held: did its feedback go out? Those without "
                                    "any say “not yet”, in bold.")))  # fmt: skip
        self.feedback = FeedbackModel(self._held_meetings, _feedback_columns(), self)
        self.feedback_view = table_view(self.feedback, "feedbackMeetings", title=_("Feedback to the neighbourhood"))
        self.feedback_view.setMinimumHeight(110)  # four meetings without scrolling
        self.feedback_view.selectionModel().currentRowChanged.connect(lambda *_: self._feedback_chosen())
        card.body.addWidget(self.feedback_view, 1)
        self.feedback_channel = compact(QComboBox(objectName="feedbackChannel"), 10)
        for channel in TEXT_CHANNELS:
            self.feedback_channel.addItem(gettext(FEEDBACK_CHANNELS[channel]), channel)
        self.sent_on = DateField(calendarPopup=True, displayFormat="d-M-yyyy", today=self.today)
        self.sent_on.setDate(qdate(self.today()))
        self.reach = QSpinBox(maximum=99_999, specialValueText=_("unknown"))
        self.mark_button = QPushButton(_("Mark as sent"), clicked=self.mark_sent)
        form = QGridLayout()  # two lines: the Dutch words stay within a 1024 px window
        for n, (label, field) in enumerate(((_("Channel"), self.feedback_channel), (_("Sent on"), self.sent_on),
                                            (_("Reach"), self.reach))):  # fmt: skip
            form.addWidget(labelled(QLabel(label), field), n // 2, 2 * (n % 2))
            form.addWidget(field, n // 2, 2 * (n % 2) + 1)
        form.addWidget(self.mark_button, 1, 2, 1, 2, Qt.AlignLeft)
        form.setColumnStretch(4, 1)
        card.body.addLayout(form)
        self.feedback_error = QLabel(objectName="formError", wordWrap=True)
        self.feedback_error.hide()
        self.sent_on.invalid.connect(self._show_feedback_error)
        card.body.addWidget(self.feedback_error)
        self.feedback_material = MaterialButtons(self.kit, bridge, "feedback", self.today, one_row=True)
        self.feedback_material.closed.connect(self._refresh_feedback)
        card.body.addWidget(self.feedback_material)
        return card

    def _held_meetings(self) -> list[HeldMeeting]:
        held = [s for s in self.kit.sessions.list() if s.status == "held"][::-1]  # the latest first
        states = self.kit.outreach.feedback_overview([s.id for s in held]) if held else {}
        return [HeldMeeting(s, states.get(s.id, {})) for s in held]

    def chosen_feedback(self) -> HeldMeeting | None:
        index = self.feedback_view.currentIndex()
        return self.feedback.record(index.row()) if index.isValid() else None

    def _feedback_chosen(self) -> None:
        chosen = self.chosen_feedback()
        self.feedback_material.set_session(chosen.session.id if chosen else None)
        self.mark_button.setEnabled(chosen is not None)

    def _refresh_feedback(self) -> None:
        chosen = self.chosen_feedback()
        keep = chosen.session.id if chosen else None
        self.feedback.refresh()
        rows = [r for r in range(self.feedback.rowCount()) if self.feedback.record(r).session.id == keep] or [0]
        if self.feedback.rowCount():
            self.feedback_view.setCurrentIndex(self.feedback.index(rows[0], 0))
        self._feedback_chosen()

    def _show_feedback_error(self, message: str) -> None:
        self.feedback_error.setText(message)
        self.feedback_error.setVisible(bool(message))

    def mark_sent(self) -> bool:
        """The chosen channel of the chosen meeting's feedback went out on the date in the field."""
        chosen = self.chosen_feedback()
        if chosen is None or not self.sent_on.commit():
            return False
        try:
            reach = {"reach": self.reach.value()} if self.reach.value() else {}  # none typed: keep what was there
            self.kit.outreach.mark_feedback(chosen.session.id, self.feedback_channel.currentData(),
                                            sent_on=to_date(self.sent_on.date()), **reach)  # fmt: skip
        except KitError as error:
            self._show_feedback_error(error.localized())
            return False
        self._show_feedback_error("")
        self._refresh_feedback()
        return True

    def today(self):
        return self.clock().date()

    def _to_review(self) -> list:
        self.next_meeting = self.kit.sessions.next_planned(self.clock())
        return self.kit.agreements.to_review(self.next_meeting.id) if self.next_meeting else []

    def _on_change(self, changes: dict) -> None:
        if changes.keys() & WATCHED:
            self.refresh()

    def refresh(self) -> None:
        for model in (self.overdue, self.this_month, self.review):
            model.refresh()
        meeting = self.next_meeting
        self.review_view.setVisible(meeting is not None)
        if meeting is None:
            self.review_heading.setText(_("No next meeting is planned yet. Plan one on the Plan page; its "
                                          "open agreements from earlier meetings then show up here."))  # fmt: skip
        else:
            self.review_heading.setText(_("{title}, {date}").format(
                title=meeting.title, date=dates.meeting_time(meeting.starts_at, meeting.ends_at)))  # fmt: skip
        fill_meetings(self.session, self.kit, self.session.currentData())
        self._meeting_chosen()
        self._refresh_feedback()

    def _meeting_chosen(self) -> None:
        self.tasks.load(self.session.currentData())
        self.add_button.setEnabled(self.session.currentData() is not None)
        self.usual_button.setEnabled(latest_held(self.kit, ("held",)) is not None)

    def add_task_from_form(self) -> str | None:
        session_id = self.session.currentData()
        if session_id is None:
            return None
        try:
            task_id = self.kit.followups.add(session_id, self.task_title.text(), to_date(self.task_due.date()))
        except KitError as error:
            self.task_error.setText(error.localized())
            self.task_error.show()
            return None
        self.task_error.hide()
        self.task_title.clear()
        self.task_title.setFocus()
        return task_id

    def add_usual(self) -> list[str]:
        """The usual tasks for the most recent held meeting, which is then shown in the list."""
        meeting = latest_held(self.kit, ("held",))
        if meeting is None or not meeting.starts_at:
            return []
        self.session.setCurrentIndex(max(0, self.session.findData(meeting.id)))
        added = self.kit.followups.add_usual(meeting.id, dates.parse(meeting.starts_at).date())
        self._meeting_chosen()
        return added
