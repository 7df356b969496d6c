"""Reviewing the open agreements of earlier meetings, live, in a follow-up meeting.

The room goes through each open agreement; the facilitator records how it is
going with one status and an optional note. Every update is kept in the
agreement's history against tonight's meeting.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from wijkkit.i18n import _, gettext
from wijkkit.kit import Kit
from wijkkit.models import AGREEMENT_STATUSES

from ...a11y import labelled
from ...models.agreements import AgreementTableModel
from ...widgets import heading, muted
from .keys import describe


class ReviewPanel(QWidget):
    def __init__(self, kit: Kit, now: Callable[[], datetime], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kit, self.now, self.session_id = kit, now, None
        self.model = AgreementTableModel(self._load, self)
        self.table = QTableView(objectName="reviewAgreements")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move between cells (issue 17)
        self.table.verticalHeader().hide()
        describe(self.table, _("Agreements to review"))
        for column in (2, 3):
            self.table.hideColumn(column)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.Stretch)  # the agreement gets the room (whole in its tooltip)
        header.setSectionResizeMode(1, QHeaderView.Interactive)
        header.resizeSection(1, 90)  # who: the start of a name is enough in a narrow panel
        self.status = QComboBox(objectName="reviewStatus")
        for key, label in AGREEMENT_STATUSES.items():
            self.status.addItem(gettext(label), key)
        self.note = QLineEdit(objectName="reviewNote", placeholderText=_("in a few words (optional)"))
        self.note.returnPressed.connect(self.record)
        self.record_button = QPushButton(_("Record"), clicked=self.record)
        self.summary = muted("")
        row = QHBoxLayout()
        row.addWidget(labelled(QLabel(_("Status:")), self.status))  # reads (a combo has no other on Linux)
        row.addWidget(self.status, 1)
        row.addWidget(self.record_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading(_("Agreements to review"), level=2))
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(labelled(QLabel(_("What did the room say?")), self.note))  # the name a screen reader
        layout.addWidget(self.note)
        layout.addLayout(row)
        self.table.selectionModel().currentRowChanged.connect(lambda current, _old: self._chosen(current.row()))

    def _load(self):
        return self.kit.agreements.to_review(self.session_id) if self.session_id else []

    def load(self, session_id: str | None) -> None:
        self.session_id = session_id
        self.model.refresh()
        reviewed = {u["agreement_id"] for u in self.kit.query(
            "SELECT agreement_id FROM agreement_update WHERE session_id = ?", [session_id])} if session_id else set()
        count = self.model.rowCount()
        done = sum(1 for r in range(count) if self.model.record(r).id in reviewed)
        self.summary.setText(_("{done} of {count} discussed tonight.").format(done=done, count=count)
                             if count else _("No open agreements from earlier meetings."))  # fmt: skip
        if count:
            self.table.selectRow(0)

    def _chosen(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            item = self.model.record(row)
            self.status.setCurrentIndex(max(0, self.status.findData(item.status)))

    def record(self) -> bool:
        row = self.table.currentIndex().row()
        if not self.session_id or not 0 <= row < self.model.rowCount():
            return False
        item = self.model.record(row)
        self.kit.agreements.update_status(item.id, self.status.currentData(), self.note.text(),
                                          session_id=self.session_id, at=self.now().astimezone().replace(tzinfo=None))  # fmt: skip
        self.note.clear()
        self.load(self.session_id)
        self.table.selectRow(min(row + 1, self.model.rowCount() - 1))
        return True
