"""Overzicht: what needs attention now: the meeting at hand and the open agreements.

The meeting shown is the one Leiden chooses (``wijkkit.sessions.at_hand``): after a
crash and restart mid-evening the running meeting ("Loopt nu: ..."), else tonight's or
the next planned one. An empty database (no meeting yet, not the hub) shows the first
steps instead of an empty dashboard: "Begin met een wijk" opens the first-run setup
(ui/first_run.py), "Plan uw eerste bijeenkomst" opens Plannen with its new meeting.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from wijkkit import dates
from wijkkit.i18n import _, ngettext
from wijkkit.kit import Kit
from wijkkit.models import Session
from wijkkit.sessions import FORGOTTEN, at_hand
from wijkkit.sync import keys

from ..a11y import label_for, no_tab_trap
from ..bridge import KitBridge
from ..models.agreements import AgreementTableModel
from ..widgets import Card, ElidedLines, Page, muted


def _wrapping(label: QLabel) -> QLabel:
    """A word-wrapped label that takes the width it is given instead of asking for its text's."""
    label.setWordWrap(True)
    policy = QSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
    policy.setHeightForWidth(True)  # as tall as its wrapped lines at the width it gets
    label.setSizePolicy(policy)
    label.setMinimumWidth(200)
    return label


class OverviewPage(Page):
    def __init__(self, kit: Kit, bridge: KitBridge, clock: Callable[[], datetime] = datetime.now) -> None:
        super().__init__(_("Overview"), _("What needs your attention: the next meeting and the agreements still open."))
        self.kit, self.clock = kit, clock
        self.start_card = self._start_card()
        self.layout_.addWidget(self.start_card)
        self.dashboard = self._dashboard()
        self.layout_.addWidget(self.dashboard, 1)
        self.start_spacer = QWidget()  # keeps the start card at the top while the dashboard is hidden
        self.layout_.addWidget(self.start_spacer, 1)
        bridge.changed.connect(self._on_change)
        self.refresh()

    # -- building ---------------------------------------------------------------------------

    def _start_card(self) -> Card:
        card = Card(_("Getting started"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(4)
        grid.setColumnStretch(0, 1)
        self.setup_title = ElidedLines(1, "big")
        self.setup_text = _wrapping(muted(_(
            "Your organisation's name, the first neighbourhood and, if the municipality gave you one, the "
            "hub key file. It takes a minute.")))  # fmt: skip
        self.setup_button = QPushButton(_("Start with a neighbourhood…"), clicked=self.open_setup)
        self.plan_title = _wrapping(QLabel(_("2. Plan your first meeting"), objectName="big"))
        self.plan_text = _wrapping(muted(_("Its date and place, and an agenda from a method template.")))
        self.plan_button = QPushButton(_("Plan your first meeting…"), clicked=self.open_plan)
        for button in (self.setup_button, self.plan_button):
            policy = button.sizePolicy()
            policy.setRetainSizeWhenHidden(True)  # nothing moves when a step is done
            button.setSizePolicy(policy)
        grid.addWidget(self.setup_title, 0, 0)
        grid.addWidget(self.setup_button, 0, 1)
        grid.addWidget(self.setup_text, 1, 0, 1, 2)
        grid.setRowMinimumHeight(2, 12)
        grid.addWidget(self.plan_title, 3, 0)
        grid.addWidget(self.plan_button, 3, 1)
        grid.addWidget(self.plan_text, 4, 0, 1, 2)
        card.body.addLayout(grid)
        return card

    def _dashboard(self) -> QWidget:
        dashboard = QWidget()
        column = QVBoxLayout(dashboard)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(14)
        row = QHBoxLayout()
        row.setSpacing(14)
        self.next_card = Card(_("Next meeting"))
        self.next_heading = self.next_card.findChild(QLabel)
        self.next_title = ElidedLines(2, "big", wrap=True)
        self.next_details = ElidedLines(4)  # when, where, the agenda, and while it runs a hint
        self.next_card.body.addWidget(self.next_title)
        self.next_card.body.addWidget(self.next_details)
        self.next_card.body.addStretch()
        self.counts_card = Card(_("Agreements"))
        self.counts = _wrapping(QLabel(objectName="big"))
        self.counts_detail = _wrapping(muted(""))
        self.counts_card.body.addWidget(self.counts)
        self.counts_card.body.addWidget(self.counts_detail)
        self.counts_card.body.addStretch()
        row.addWidget(self.next_card, 3)
        row.addWidget(self.counts_card, 2)
        column.addLayout(row)

        self.model = AgreementTableModel(self.kit.agreements.open, self)
        self.table = QTableView()
        self.table.setObjectName("openAgreements")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        for column_no in range(1, self.model.columnCount()):
            header.setSectionResizeMode(column_no, QHeaderView.ResizeToContents)
        heading = QLabel(_("Open agreements"), objectName="h2")
        label_for(heading, no_tab_trap(self.table))
        column.addWidget(heading)
        column.addWidget(self.table, 1)
        return dashboard

    # -- showing ----------------------------------------------------------------------------

    def _on_change(self, changes: dict) -> None:
        if changes.keys() & {"agreement", "session", "person", "neighbourhood"}:
            self.refresh()

    def refresh(self) -> None:
        self.model.refresh()
        sessions = self.kit.sessions.list()
        starting = not sessions and not keys.is_hub(self.kit)
        self.start_card.setVisible(starting)
        self.start_spacer.setVisible(starting)
        self.dashboard.setVisible(not starting)
        if starting:
            self._show_first_steps()
        self._show_meeting(at_hand(sessions, self.clock()))
        self._show_counts()

    def _show_first_steps(self) -> None:
        neighbourhoods = self.kit.neighbourhoods.list(include_archived=True)
        if neighbourhoods:
            self.setup_title.setText(_("1. Neighbourhood: {name}").format(name=neighbourhoods[0].name))
        else:
            self.setup_title.setText(_("1. Start with a neighbourhood"))
        self.setup_text.setVisible(not neighbourhoods)
        self.setup_button.setVisible(not neighbourhoods)
        first = self.plan_button if neighbourhoods else self.setup_button
        for button in (self.setup_button, self.plan_button):
            button.setDefault(button is first)
            button.setObjectName("primary" if button is first else "")
            button.style().unpolish(button)
            button.style().polish(button)

    def _show_meeting(self, session: Session | None) -> None:
        """The meeting Leiden would open: a running one first (also after a restart)."""
        running = session is not None and session.status == "running"
        self.next_heading.setText(_("Now") if running else _("Next meeting"))
        if session is None or session.status not in ("running", "planned"):
            self.next_title.setText(_("No meeting planned yet."))
            self.next_details.setText(_("Plan one under Plan."))
            return
        title = _("Running now: {title}").format(title=session.title) if running else session.title
        self.next_title.setText(title)
        steps = self.kit.sessions.steps(session.id)
        lines = [
            dates.meeting_time(session.starts_at, session.ends_at),
            ", ".join(p for p in (session.location_name, session.neighbourhood_name) if p),
            ngettext("{n} agenda item, {minutes} minutes", "{n} agenda items, {minutes} minutes", len(steps)).format(
                n=len(steps), minutes=sum(s.minutes for s in steps)
            ),
        ]
        if running:
            lines.append(self._running_hint(session))
        self.next_details.setText("\n".join(line for line in lines if line))

    def _running_hint(self, session: Session) -> str:
        ends = dates.parse(session.ends_at)
        now = self.clock().astimezone().replace(tzinfo=None)
        if ends is not None and ends.tzinfo is None and now > ends + FORGOTTEN:
            return _("It was never ended: end it under Lead.")
        return _("Follow it under Lead.")

    def _show_counts(self) -> None:
        total = self.model.rowCount()
        overdue = sum(1 for r in range(total) if self.model.overdue(self.model.record(r)))
        self.counts.setText(ngettext("{n} open agreement", "{n} open agreements", total).format(n=total))
        self.counts_detail.setText(
            ngettext("{n} is past its due date.", "{n} are past their due date.", overdue).format(n=overdue)
            if overdue
            else _("None is past its due date.")
        )

    # -- the first steps' buttons -------------------------------------------------------------

    def _main_window(self):
        window = self.window()
        return window if hasattr(window, "show_page") and hasattr(window, "nav") else None

    def open_setup(self) -> None:
        from .. import first_run

        window = self._main_window()
        if window is not None:
            first_run.open_setup(window)
        else:
            first_run.FirstRunDialog(self.kit, parent=self).exec()

    def open_plan(self) -> None:
        from .. import first_run

        window = self._main_window()
        if window is not None:
            first_run.open_plan(window)
