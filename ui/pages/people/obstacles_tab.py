"""Hobbels: what stands in the way, and who could take it up.

Obstacles come up during a meeting; afterwards the facilitator records them here
with the party that could address them, so they reach the municipality's report
and the next meeting. Select a row to correct it below; Enter or a double-click
puts the cursor there.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QPushButton, QWidget

from wijkkit.errors import KitError
from wijkkit.exchange import OBSTACLE_CATEGORIES, Item
from wijkkit.i18n import N_, _, gettext
from wijkkit.kit import Kit

from ...bridge import KitBridge
from ...forms import FieldForm
from ...models.records import RecordTableModel
from ...widgets import Card, muted
from .exchange_tab import fill_meetings, fixed, table_view
from .fit import scrolling

WATCHED = {"obstacle", "session"}


def _categories(combo: QComboBox) -> QComboBox:
    for key, label in OBSTACLE_CATEGORIES.items():
        combo.addItem(gettext(label), key)
    return combo


class ObstacleForm(FieldForm):
    """Text, category and who could take it up: for adding and for correcting."""

    def __init__(self) -> None:
        super().__init__()
        self.setRowWrapPolicy(FieldForm.WrapLongRows)  # labels above the fields when the two forms are narrow
        self.text = self.add("text", _("Obstacle"), QLineEdit(placeholderText=_("What stands in the way?")))
        self.category = self.add("category", _("Category"), _categories(QComboBox()))
        self.addressed_by = self.add("addressed_by", _("Who could take it up"),
                                     QLineEdit(placeholderText=_("Who could take this up?")))  # fmt: skip


class ObstaclesTab(QWidget):
    def __init__(self, kit: Kit, bridge: KitBridge, clock: Callable[[], datetime]) -> None:
        super().__init__()
        self.kit, self.clock, self.editing_id = kit, clock, None
        self._titles: dict[str, str] = {}
        columns = (
            (N_("Obstacle"), lambda o: o.text),
            (N_("Category"), lambda o: gettext(OBSTACLE_CATEGORIES.get(o.category, o.category))),
            (N_("Who could take it up"), lambda o: o.addressed_by or ""),
            (N_("Meeting"), lambda o: self._titles.get(o.session_id or "", "")),
        )
        self.model = RecordTableModel(self._load, columns, self)
        self.table = table_view(self.model, "obstacles", title=_("Obstacles"))
        self.table.activated.connect(lambda index: self.edit_row(index.row(), focus=True))  # Enter or double-click
        self.table.selectionModel().currentRowChanged.connect(lambda current, _old: self.edit_row(current.row()))
        self.model.modelReset.connect(lambda: self.edit_row(-1))

        adding = Card(_("New obstacle"))
        self.form = ObstacleForm()
        self.form.text.returnPressed.connect(self.add_from_form)
        self.session = self.form.add("session_id", _("Meeting"), QComboBox(objectName="obstacleMeeting"))
        self.add_button = QPushButton(_("Add"), clicked=self.add_from_form)
        self.form.addRow("", fixed(self.add_button))
        adding.body.addLayout(self.form)
        adding.body.addWidget(self.form.general)

        editing = Card(_("Edit"))
        self.edit_form = ObstacleForm()
        self.edit_form.text.returnPressed.connect(self.save_edit)
        self.save_button = QPushButton(_("Save"), clicked=self.save_edit)
        self.edit_form.addRow("", fixed(self.save_button))
        self.edit_hint = muted(_("Choose an obstacle in the list to correct it."))
        editing.body.addWidget(self.edit_hint)
        editing.body.addLayout(self.edit_form)
        editing.body.addWidget(self.edit_form.general)
        self.saved_note = muted("")
        editing.body.addWidget(self.saved_note)

        forms = QHBoxLayout()
        forms.addWidget(adding, 1)
        forms.addWidget(editing, 1)
        list_card = Card(_("Obstacles"))
        list_card.body.addWidget(muted(_("What stands in the way of helping each other, and who could take it up.")))
        list_card.body.addWidget(self.table, 1)
        list_card.body.addLayout(forms)
        layout = QHBoxLayout(scrolling(self))
        layout.addWidget(list_card)
        bridge.changed.connect(self._on_change)
        self.refresh()

    def _load(self) -> list[Item]:
        self._titles = {s.id: s.title for s in self.kit.sessions.list()}
        return self.kit.exchange.obstacles()

    def _on_change(self, changes: dict) -> None:
        if changes.keys() & WATCHED:
            self.refresh()

    def refresh(self) -> None:
        keep = self.editing_id
        fill_meetings(self.session, self.kit, self.session.currentData())
        self.model.refresh()
        rows = [r for r in range(self.model.rowCount()) if self.model.record(r).id == keep]
        if rows:
            self.table.selectRow(rows[0])

    def add_from_form(self) -> str | None:
        try:
            obstacle_id = self.kit.exchange.add_obstacle(self.session.currentData(), self.form.text.text(),
                                                         self.form.category.currentData(),
                                                         self.form.addressed_by.text())  # fmt: skip
        except KitError as error:
            self.form.show_error(error)
            return None
        self.form.clear_errors()
        self.form.text.clear()
        self.form.addressed_by.clear()
        self.form.text.setFocus()
        return obstacle_id

    # -- correcting -----------------------------------------------------------------

    def edit_row(self, row: int, focus: bool = False) -> None:
        obstacle = self.model.record(row) if 0 <= row < self.model.rowCount() else None
        self.editing_id = obstacle.id if obstacle else None
        self.edit_form.clear_errors()
        self.saved_note.clear()
        self.edit_form.text.setText(obstacle.text if obstacle else "")
        self.edit_form.category.setCurrentIndex(max(0, self.edit_form.category.findData(obstacle.category))
                                                if obstacle else 0)  # fmt: skip
        self.edit_form.addressed_by.setText(obstacle.addressed_by or "" if obstacle else "")
        for widget in (self.edit_form.text, self.edit_form.category, self.edit_form.addressed_by, self.save_button):
            widget.setEnabled(obstacle is not None)
        self.edit_hint.setVisible(obstacle is None)
        if focus and obstacle:
            self.edit_form.text.setFocus()
            self.edit_form.text.selectAll()

    def save_edit(self) -> bool:
        if not self.editing_id:
            return False
        try:
            self.kit.exchange.edit("obstacle", self.editing_id, text=self.edit_form.text.text(),
                                   category=self.edit_form.category.currentData(),
                                   addressed_by=self.edit_form.addressed_by.text().strip())  # fmt: skip
        except KitError as error:
            self.edit_form.show_error(error)
            return False
        self.edit_form.clear_errors()
        self.saved_note.setText(_("Saved."))
        return True
