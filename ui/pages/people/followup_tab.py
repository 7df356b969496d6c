"""Opvolging: which agreements are late, which are due this month, what to discuss next time.

The three lists answer the facilitator's question after a meeting: what needs a
phone call now, and what goes on the next meeting's agenda. Below them are the
follow-up tasks of one meeting (send the feedback letter, plan the next one),
ticked off as they are done.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QWidget,
)

from wijkkit import dates
from wijkkit.errors import KitError
from wijkkit.followups import FollowUp
from wijkkit.i18n import _
from wijkkit.kit import Kit

from ...a11y import labelled, name
from ...bridge import KitBridge
from ...forms import DateField, compact, qdate, to_date
from ...models.agreements import AgreementTableModel
from ...models.checklist import CheckListModel
from ...widgets import Card, muted
from .exchange_tab import fill_meetings, latest_held, table_view
from .fit import scrolling

WATCHED = {"agreement", "agreement_update", "session", "person", "neighbourhood", "follow_up"}


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

        grid = QGridLayout(scrolling(self))
        grid.addWidget(late, 0, 0)
        grid.addWidget(month, 0, 1)
        grid.addWidget(review, 1, 0)
        grid.addWidget(tasks, 1, 1)
        bridge.changed.connect(self._on_change)
        self.refresh()

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
