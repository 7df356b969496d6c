"""Afspraken: every agreement, searchable as you type, and one in detail with its history.

Left: search, a status filter and 'only late ones', and the list (sortable by any
column). Right: the selected agreement's details to edit, a status update with a
note (kept as a dated line of history), and that history. "New agreement" (Ctrl+N)
empties the form for an agreement that did not come from a match; it belongs to a
meeting (the latest held, unless another is chosen), which carries it to the right
laptops and the municipality's report.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from wijkkit import dates
from wijkkit.errors import KitError
from wijkkit.i18n import _, gettext
from wijkkit.kit import Kit
from wijkkit.models import AGREEMENT_STATUSES, Agreement, shown_name

from ...a11y import heading_for, labelled, name, no_tab_trap
from ...bridge import KitBridge
from ...forms import DateField, FieldForm, qdate, to_date
from ...models.agreements import DUE_COLUMN, AgreementTableModel
from ...models.filtering import SearchProxy
from ...widgets import Card, muted
from .exchange_tab import fill_meetings
from .fit import scrolling

NO_DATE = QDate(2000, 1, 1)
WATCHED = {"agreement", "agreement_update", "person", "session"}


def date_edit() -> DateField:
    edit = DateField(calendarPopup=True, displayFormat="d-M-yyyy")
    edit.setMinimumDate(NO_DATE)
    edit.setSpecialValueText(" ")  # the minimum date shows as empty: no date
    return edit


def date_value(edit: DateField) -> str | None:
    return None if edit.date() == NO_DATE else to_date(edit.date()).isoformat()


class AgreementsTab(QWidget):
    def __init__(self, kit: Kit, bridge: KitBridge, clock: Callable[[], datetime]) -> None:
        super().__init__()
        self.kit, self.clock, self.current_id, self.adding = kit, clock, None, False
        self.model = AgreementTableModel(kit.agreements.list, self, today=lambda: clock().date())
        self.proxy = SearchProxy(self.model, self)
        self.search = QLineEdit(objectName="agreementSearch", placeholderText=_("Search agreements…"),
                                clearButtonEnabled=True)  # fmt: skip
        self.search.textChanged.connect(self.proxy.set_search)
        name(self.search, _("Search agreements"))
        self.status = QComboBox(objectName="statusFilter")
        self.status.addItem(_("All statuses"), None)
        for key, label in AGREEMENT_STATUSES.items():
            self.status.addItem(gettext(label), key)
        self.late_only = QCheckBox(_("Only late ones"))
        self.status.currentIndexChanged.connect(self._apply_filters)
        self.late_only.toggled.connect(self._apply_filters)
        self.table = name(no_tab_trap(QTableView(objectName="agreementList")), _("Agreements"))
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(3, Qt.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        header.setSectionResizeMode(DUE_COLUMN, QHeaderView.ResizeToContents)  # "30-11-2026 (te laat)" whole
        self.count = muted("")
        self.new_button = QPushButton(_("New agreement"), objectName="newAgreement", clicked=self.new_agreement)
        self.new_button.setToolTip(_("An empty form for an agreement made outside a match (Ctrl+N)."))
        QShortcut(QKeySequence.New, self, self.new_agreement)
        below = QHBoxLayout()
        below.addWidget(self.new_button)
        below.addWidget(self.count, 1, Qt.AlignRight)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(labelled(QLabel(_("Status:")), self.status))  # a combo's only name on Linux
        filters.addWidget(self.status)
        filters.addWidget(self.late_only)
        left = QVBoxLayout()
        left.addLayout(filters)
        left.addWidget(self.table, 1)
        left.addLayout(below)
        layout = QHBoxLayout(scrolling(self))
        layout.addLayout(left, 3)
        layout.addWidget(self._detail(), 2)
        self.table.selectionModel().currentRowChanged.connect(lambda current, _old: self.show_row(current.row()))
        self.proxy.modelReset.connect(self._count)
        self.proxy.layoutChanged.connect(self._count)
        self.proxy.rowsInserted.connect(self._count)
        self.proxy.rowsRemoved.connect(self._count)
        bridge.changed.connect(lambda changes: changes.keys() & WATCHED and self.refresh())
        self.refresh()

    def _detail(self) -> QWidget:
        card = Card(_("Agreement"))
        self.detail_title = card.heading
        self.form = FieldForm()
        self.title = self.form.add("title", _("What"), QLineEdit())
        self.description = self.form.add("description", _("Description"), QPlainTextEdit(tabChangesFocus=True))
        self.description.setMaximumHeight(70)
        self.owner = self.form.add("owner_person_id", _("Who (person)"), QComboBox())
        self.party = self.form.add("owner_party", _("Or which party"), QLineEdit())
        self.partners = self.form.add("partners", _("With whom"), QLineEdit())
        self.due = self.form.add("due_on", _("Due"), date_edit())
        self.review = self.form.add("review_on", _("Review on"), date_edit())
        self.meeting = self.form.add("session_id", _("Meeting"), QComboBox(objectName="agreementMeeting"))
        self.save_button = QPushButton(_("Save"), clicked=self.save)
        self.form.addRow("", self.save_button)
        card.body.addLayout(self.form)
        card.body.addWidget(self.form.general)
        update = QHBoxLayout()
        self.new_status = QComboBox(objectName="newStatus")
        for key, label in AGREEMENT_STATUSES.items():
            self.new_status.addItem(gettext(label), key)
        self.note = QLineEdit(placeholderText=_("What happened? (optional)"))
        name(self.note, _("Note"))
        self.note.returnPressed.connect(self.update_status)
        self.update_button = QPushButton(_("Update"), clicked=self.update_status)
        update.addWidget(self.new_status)
        update.addWidget(self.note, 1)
        update.addWidget(self.update_button)
        card.body.addWidget(heading_for(self.new_status, _("New status")))
        card.body.addLayout(update)
        self.history = QLabel(objectName="muted", wordWrap=True, alignment=Qt.AlignTop)
        card.body.addWidget(self.history, 1)
        return card

    # -- filters and list ----------------------------------------------------------

    def _apply_filters(self) -> None:
        status, late, today = self.status.currentData(), self.late_only.isChecked(), self.clock().date().isoformat()

        def accept(agreement: Agreement) -> bool:
            if status and agreement.status != status:
                return False
            return not late or bool(agreement.due_on and agreement.due_on < today
                                    and agreement.status not in ("done", "dropped"))  # fmt: skip

        self.proxy.set_accept(accept if status or late else None)

    def _count(self) -> None:
        self.count.setText(_("{shown} of {total} agreements").format(shown=self.proxy.rowCount(),
                                                                     total=self.model.rowCount()))  # fmt: skip

    def refresh(self) -> None:
        keep = self.current_id
        self.model.refresh()
        self.owner.blockSignals(True)
        self.owner.clear()
        self.owner.addItem(_("(nobody)"), None)
        for person in self.kit.people.list():
            self.owner.addItem(shown_name(person.name), person.id)
        self.owner.blockSignals(False)
        fill_meetings(self.meeting, self.kit, self.meeting.currentData())
        self._count()
        if not self.adding:  # a new agreement being typed is kept
            self.select(keep)

    def select(self, agreement_id: str | None) -> None:
        for row in range(self.proxy.rowCount()):
            if self.proxy.record(row).id == agreement_id:
                self.table.selectRow(row)
                self.show_row(row)
                return
        self.show_row(-1)

    def show_row(self, row: int) -> None:
        item = self.proxy.record(row) if 0 <= row < self.proxy.rowCount() else None
        self.current_id, self.adding = (item.id if item else None), False
        self.detail_title.setText(_("Agreement"))
        for widget in (self.title, self.description, self.owner, self.party, self.partners, self.due, self.review,
                       self.save_button, self.new_status, self.note, self.update_button):  # fmt: skip
            widget.setEnabled(item is not None)
        self.meeting.setEnabled(False)  # an agreement stays with the meeting where it was made
        self.form.clear_errors()
        if item is None:
            self.history.setText(_("Choose an agreement in the list."))
            return
        self.title.setText(item.title)
        self.description.setPlainText(item.description or "")
        self.owner.setCurrentIndex(max(0, self.owner.findData(item.owner_person_id)))
        self.party.setText(item.owner_party or "")
        self.partners.setText(item.partners or "")
        self.due.setDate(qdate(date.fromisoformat(item.due_on)) if item.due_on else NO_DATE)
        self.review.setDate(qdate(date.fromisoformat(item.review_on)) if item.review_on else NO_DATE)
        self.new_status.setCurrentIndex(max(0, self.new_status.findData(item.status)))
        self.meeting.setCurrentIndex(self.meeting.findData(item.session_id))
        self._show_history(item.id)

    def _show_history(self, agreement_id: str) -> None:
        lines = []
        for update in self.kit.agreements.history(agreement_id):
            status = gettext(AGREEMENT_STATUSES.get(update["status"], update["status"]))
            where = f" ({update['session_title']})" if update.get("session_title") else ""
            note = f": {update['note']}" if update["note"] else ""
            lines.append(f"{dates.short_date(update['at'])}{where} – {status}{note}")
        self.history.setText("\n".join(lines) or _("No updates yet."))

    # -- actions ---------------------------------------------------------------------

    def new_agreement(self) -> None:
        """An empty form for a new agreement, with the cursor in What; Save adds it."""
        self.table.clearSelection()
        self.show_row(-1)
        self.adding = True
        self.detail_title.setText(_("New agreement"))
        for widget in (self.title, self.description, self.owner, self.party, self.partners, self.due, self.review,
                       self.meeting, self.save_button):  # fmt: skip
            widget.setEnabled(True)
        for line in (self.title, self.party, self.partners):
            line.clear()
        self.description.clear()
        self.owner.setCurrentIndex(0)
        self.due.setDate(NO_DATE)
        self.review.setDate(NO_DATE)
        fill_meetings(self.meeting, self.kit)  # the latest meeting held, where agreements are usually made
        self.history.setText(_("A new agreement: fill in at least What, choose the meeting and press Save."))
        self.title.setFocus()

    def _add(self, changes: dict) -> bool:
        try:
            agreement_id = self.kit.agreements.add(changes.pop("title"), self.meeting.currentData(), **changes)
        except KitError as error:
            self.form.show_error(error)
            return False
        self.select(agreement_id)
        return True

    def save(self) -> bool:
        if not self.current_id and not self.adding:
            return False
        changes = {"title": self.title.text(), "description": self.description.toPlainText().strip(),
                   "owner_person_id": self.owner.currentData(), "owner_party": self.party.text().strip(),
                   "partners": self.partners.text().strip(), "due_on": date_value(self.due),
                   "review_on": date_value(self.review)}  # fmt: skip
        if self.adding:
            return self._add(changes)
        try:
            self.kit.agreements.edit(self.current_id, **changes)
        except KitError as error:
            self.form.show_error(error)
            return False
        return True

    def update_status(self) -> bool:
        if not self.current_id:
            return False
        self.kit.agreements.update_status(self.current_id, self.new_status.currentData(), self.note.text(),
                                          at=self.clock())  # fmt: skip
        self.note.clear()
        return True
