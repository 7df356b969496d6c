"""Overzicht: what needs attention now: the next meeting and the open agreements."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QTableView

from wijkkit import dates
from wijkkit.i18n import _, ngettext
from wijkkit.kit import Kit

from ..bridge import KitBridge
from ..models.agreements import AgreementTableModel
from ..widgets import Card, Page, muted


class OverviewPage(Page):
    def __init__(self, kit: Kit, bridge: KitBridge) -> None:
        super().__init__(_("Overview"), _("What needs your attention: the next meeting and the agreements still open."))
        self.kit = kit
        row = QHBoxLayout()
        row.setSpacing(14)
        self.next_card = Card(_("Next meeting"))
        self.next_title = QLabel(objectName="big", wordWrap=True)
        self.next_details = muted("")
        self.next_card.body.addWidget(self.next_title)
        self.next_card.body.addWidget(self.next_details)
        self.next_card.body.addStretch()
        self.counts_card = Card(_("Agreements"))
        self.counts = QLabel(objectName="big", wordWrap=True)
        self.counts_detail = muted("")
        self.counts_card.body.addWidget(self.counts)
        self.counts_card.body.addWidget(self.counts_detail)
        self.counts_card.body.addStretch()
        row.addWidget(self.next_card, 3)
        row.addWidget(self.counts_card, 2)
        self.layout_.addLayout(row)

        self.model = AgreementTableModel(kit.agreements.open, self)
        self.table = QTableView()
        self.table.setObjectName("openAgreements")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        for column in range(1, self.model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeToContents)
        self.layout_.addWidget(QLabel(_("Open agreements"), objectName="h2"))
        self.layout_.addWidget(self.table, 1)
        bridge.changed.connect(self._on_change)
        self.refresh()

    def _on_change(self, changes: dict) -> None:
        if changes.keys() & {"agreement", "session", "person", "neighbourhood"}:
            self.refresh()

    def refresh(self) -> None:
        self.model.refresh()
        upcoming = self.kit.sessions.next_planned()
        if upcoming is None:
            self.next_title.setText(_("No meeting planned yet."))
            self.next_details.setText(_("Plan one under Plan."))
        else:
            steps = self.kit.sessions.steps(upcoming.id)
            minutes = sum(s.minutes for s in steps)
            self.next_title.setText(upcoming.title)
            lines = [
                dates.meeting_time(upcoming.starts_at, upcoming.ends_at),
                ", ".join(p for p in (upcoming.location_name, upcoming.neighbourhood_name) if p),
                ngettext("{n} agenda item, {minutes} minutes", "{n} agenda items, {minutes} minutes", len(steps)).format(
                    n=len(steps), minutes=minutes
                ),
            ]
            self.next_details.setText("\n".join(line for line in lines if line))
        total = self.model.rowCount()
        overdue = sum(1 for r in range(total) if self.model.overdue(self.model.record(r)))
        self.counts.setText(ngettext("{n} open agreement", "{n} open agreements", total).format(n=total))
        self.counts_detail.setText(
            ngettext("{n} is past its due date.", "{n} are past their due date.", overdue).format(n=overdue)
            if overdue
            else _("None is past its due date.")
        )
