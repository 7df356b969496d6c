"""Mensen: everyone registered, searchable; one person's details, consents and AVG rights.

The detail panel edits a person (a consent change is recorded with its wording
and moment), exports everything held about them (inzage) and erases them
(vergeten) after a confirmation. The retention card lists people not seen at a
meeting for longer than the retention period, so they can be forgotten too.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from wijkkit import dates, privacy
from wijkkit.errors import KitError
from wijkkit.filenames import safe_name
from wijkkit.i18n import N_, _, gettext
from wijkkit.kit import Kit
from wijkkit.models import ROLES, shown_name
from wijkkit.text import sort_key

from ...a11y import labelled, name, no_tab_trap
from ...bridge import KitBridge
from ...files import save_file_name
from ...forms import FieldForm, add_person_details
from ...models.filtering import SearchProxy
from ...models.records import RecordTableModel
from ...widgets import Card, muted
from .fit import scrolling

COLUMNS = (
    (N_("Name"), lambda p: shown_name(p.name), lambda p: sort_key(p.name) if p.name else "\uffff"),  # unshared last
    (N_("Role"), lambda p: gettext(ROLES.get(p.role, p.role))),
    (N_("Organisation"), lambda p: p.organisation),
)


class PeopleTab(QWidget):
    def __init__(self, kit: Kit, bridge: KitBridge, clock: Callable[[], datetime]) -> None:
        super().__init__()
        self.kit, self.clock, self.current_id = kit, clock, None
        self.model = RecordTableModel(kit.people.list, COLUMNS, self)
        self.proxy = SearchProxy(self.model, self)
        self.search = QLineEdit(objectName="peopleSearch", placeholderText=_("Search people…"), clearButtonEnabled=True)
        self.search.textChanged.connect(self.proxy.set_search)
        self.role_filter = QComboBox(objectName="roleFilter")
        self.role_filter.addItem(_("All roles"), None)
        for key, label in ROLES.items():
            self.role_filter.addItem(gettext(label), key)
        self.role_filter.currentIndexChanged.connect(self._filter_role)
        self.table = no_tab_trap(QTableView(objectName="peopleList"))
        name(self.table, _("People"))
        name(self.search, _("Search people"))
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.AscendingOrder)  # A to Z; Qt would start Z to A
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(labelled(QLabel(_("Role:")), self.role_filter))  # a combo's only name on Linux
        filters.addWidget(self.role_filter)
        left = QVBoxLayout()
        left.addLayout(filters)
        left.addWidget(self.table, 1)
        left.addWidget(self._retention())
        layout = QHBoxLayout(scrolling(self))
        layout.addLayout(left, 3)
        layout.addWidget(self._detail(), 2)
        self.table.selectionModel().currentRowChanged.connect(lambda current, _old: self.show_row(current.row()))
        bridge.changed.connect(lambda changes: changes.keys() & {"person", "attendance"} and self.refresh())
        self.refresh()

    def _detail(self) -> QWidget:
        card = Card(_("Person"))
        self.form = FieldForm()
        self.name = self.form.add("name", _("Name"), QLineEdit())
        add_person_details(self.form, self)
        for box in self.consents.values():  # an error about a consent puts the focus on its box
            box.parentWidget().setFocusProxy(box)
        card.body.addLayout(self.form)
        card.body.addWidget(self.form.general)
        buttons = QGridLayout()
        self.save_button = QPushButton(_("Save"), clicked=self.save)
        self.export_button = QPushButton(_("Export all data (inzage)…"), clicked=self.ask_export)
        self.erase_button = QPushButton(_("Forget this person…"), clicked=self.ask_erase)
        buttons.addWidget(self.save_button, 0, 0)
        buttons.addWidget(self.erase_button, 0, 1)  # inzage on a row of its own: the card stays narrow
        buttons.addWidget(self.export_button, 1, 0, 1, 2)
        card.body.addLayout(buttons)
        self.consent_history = QLabel(objectName="muted", wordWrap=True)
        self.message = QLabel(objectName="info", wordWrap=True)
        card.body.addWidget(self.consent_history)
        card.body.addWidget(self.message)
        card.body.addStretch()
        return card

    def _retention(self) -> QWidget:
        card = Card(_("Retention"))
        row = QHBoxLayout()
        self.months = QSpinBox(minimum=1, maximum=120, suffix=_(" months"))
        self.months.setValue(privacy.retention_months(self.kit))
        self.months.valueChanged.connect(self._save_months)
        row.addWidget(labelled(QLabel(_("Keep people who have not come to a meeting for"), wordWrap=True),
                               self.months), 1)
        row.addWidget(self.months)
        card.body.addLayout(row)
        from wijkkit import retention  # the hub's period is shown here and set at the hub

        if retention.set_by_municipality(self.kit) is not None:
            self.months.setReadOnly(True)
            self.months.setButtonSymbols(QSpinBox.NoButtons)
            card.body.addWidget(muted(_("Set by the municipality.")))
        self.stale = muted("")
        card.body.addWidget(self.stale)
        return card

    # -- list ----------------------------------------------------------------------

    def _filter_role(self) -> None:
        role = self.role_filter.currentData()
        self.proxy.set_accept((lambda person: person.role == role) if role else None)

    def refresh(self) -> None:
        keep = self.current_id
        self.model.refresh()
        self._show_stale()
        for row in range(self.proxy.rowCount()):
            if self.proxy.record(row).id == keep:
                self.table.selectRow(row)
                self.show_row(row)
                return
        self.show_row(-1)

    def _show_stale(self) -> None:
        stale = privacy.to_anonymise(self.kit, self.clock().date())
        names = ", ".join(shown_name(name) for _id, name, _last in stale[:12]) + (" …" if len(stale) > 12 else "")
        self.stale.setText(_("To forget now: {names}").format(names=names) if stale else
                           _("Nobody is past the retention period."))  # fmt: skip

    def _save_months(self, months: int) -> None:
        privacy.set_retention_months(self.kit, months)
        self._show_stale()

    def show_row(self, row: int) -> None:
        person = self.proxy.record(row) if 0 <= row < self.proxy.rowCount() else None
        self.current_id = person.id if person else None
        for widget in (self.name, self.role, self.organisation, self.email, self.phone, self.save_button,
                       self.export_button, self.erase_button, *self.consents.values()):  # fmt: skip
            widget.setEnabled(person is not None)
        self.form.clear_errors()
        if person is None:
            self.consent_history.setText(_("Choose a person in the list."))
            return
        self.name.setText(person.name or "")
        self.name.setPlaceholderText("" if person.name else shown_name(None))  # a hint, never saved as the name
        self.role.setCurrentIndex(max(0, self.role.findData(person.role)))
        self.organisation.setText(person.organisation or "")
        self.email.setText(person.email or "")
        self.phone.setText(person.phone or "")
        for kind, box in self.consents.items():
            box.setChecked(bool(getattr(person, f"consent_{kind}")))
        lines = [f"{dates.short_date(c['at'])} {c['at'][11:16]} – {c['wording']} "
                 f"{_('yes') if c['given'] else _('no')}" for c in self.kit.people.consents(person.id)]  # fmt: skip
        self.consent_history.setText("\n".join(lines))

    # -- actions -------------------------------------------------------------------

    def save(self) -> bool:
        if not self.current_id:
            return False
        changes = {"name": self.name.text(), "role": self.role.currentData(),
                   "organisation": self.organisation.text(), "email": self.email.text(), "phone": self.phone.text(),
                   **{f"consent_{kind}": box.isChecked() for kind, box in self.consents.items()}}  # fmt: skip
        if not changes["name"] and not self.kit.people.get(self.current_id).name:
            del changes["name"]  # a name that was not shared (at the hub) stays unknown
        try:
            self.kit.people.edit(self.current_id, **changes)
        except KitError as error:
            self.form.show_error(error)
            return False
        self.message.setText(_("Saved."))
        return True

    def ask_export(self) -> None:
        person = self.kit.people.get(self.current_id)
        name = safe_name(f"inzage {person.name or person.id}") + ".pdf"  # a name typed by anyone: safe on every system
        path, _filter = save_file_name(self, _("Export all data"), name,
                                       _("PDF to hand over (*.pdf);;JSON data (*.json)"))  # fmt: skip
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        try:
            privacy.write_export(self.kit, self.current_id, path)
        except OSError as error:
            self.message.setText(_("The file could not be written: {reason}").format(reason=error.strerror or error))
            return
        self.message.setText(_("Saved as {path}.").format(path=path))

    def ask_erase(self) -> None:
        person = self.kit.people.get(self.current_id)
        answer = QMessageBox.question(self, _("Forget this person"), _(
            "Forget {name} everywhere? The name, contact details and consents are removed from this computer, also "
            "where the name was typed in texts, and after the next sync from the municipality and the other laptops "
            "too. This cannot be undone.").format(name=shown_name(person.name)))
        if answer == QMessageBox.Yes:
            self.erase()

    def erase(self) -> None:
        name = shown_name(self.kit.people.get(self.current_id).name)
        privacy.erase_person(self.kit, self.current_id)
        self.current_id = None
        self.message.setText(_("{name} has been forgotten.").format(name=name))
