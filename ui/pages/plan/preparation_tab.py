"""Invitations per channel and the materials checklist of one meeting.

Every change is saved the moment it is made. A date field showing nothing means
'no date yet'. The line at the top says what still has to go out.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
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
from wijkkit.i18n import _, gettext
from wijkkit.kit import Kit
from wijkkit.preparation import CHANNELS

from ...a11y import name
from ...forms import DateField, qdate, to_date
from ...models.checklist import ChecklistModel
from ...widgets import Card, ElidedLines, muted

NO_DATE = QDate(2000, 1, 1)


def _date_edit() -> DateField:
    edit = DateField()
    edit.setMinimumDate(NO_DATE)  # an empty field reads as this date: no date yet
    return edit


def _iso(edit: DateField) -> str | None:
    return None if edit.date() == NO_DATE else to_date(edit.date()).isoformat()


class ChannelRow:
    """The widgets of one channel in the invitations grid."""

    def __init__(self, grid: QGridLayout, row: int, channel: str, columns: tuple[str, ...]) -> None:
        self.channel = channel
        self.used = QCheckBox(gettext(CHANNELS[channel]))
        self.planned, self.done = _date_edit(), _date_edit()
        self.reach = QSpinBox(maximum=99_999, specialValueText=" ")
        for widget, column in zip((self.planned, self.done, self.reach), columns[1:], strict=True):
            name(widget, f"{self.used.text()} - {column.lower()}")  # "Brief - gepland op": row and column
        for column, widget in enumerate((self.used, self.planned, self.done, self.reach)):
            grid.addWidget(widget, row, column)

    def widgets(self) -> tuple:
        return self.used, self.planned, self.done, self.reach


class PreparationTab(QWidget):
    """Owns two pages, ``invitations`` and ``materials``, shown as separate tabs."""

    def __init__(self, kit: Kit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kit, self.session_id, self._loading = kit, None, False
        self.pending = ElidedLines(2, "big", wrap=True)  # two lines whatever it says: the grid below stays put
        self.error = QLabel(objectName="formError", wordWrap=True)
        invitations = Card(_("Invitations"))
        invitations.body.addWidget(muted(_("Tick the channels you use. Changes are saved at once; an empty date means no date yet.")))
        invitations.body.addWidget(self.pending)
        grid = QGridLayout()
        grid.setHorizontalSpacing(4)
        invitations.layout().setContentsMargins(12, 10, 12, 10)  # four columns within a 1024 px window
        columns = (_("Channel"), _("Planned on"), _("Done on"), _("Reach"))
        for column, text in enumerate(columns):
            grid.addWidget(QLabel(f"<b>{text}</b>"), 0, column)
        self.rows = {channel: ChannelRow(grid, n, channel, columns) for n, channel in enumerate(CHANNELS, start=1)}
        for row in self.rows.values():
            row.used.toggled.connect(lambda _on, r=row: self._save(r))
            row.planned.dateChanged.connect(lambda _d, r=row: self._save(r))
            row.done.dateChanged.connect(lambda _d, r=row: self._save(r))
            row.reach.editingFinished.connect(lambda r=row: self._save(r))
            for field in (row.planned, row.done):
                field.invalid.connect(self._show_typing_mistake)
        invitations.body.addLayout(grid)
        invitations.body.addWidget(self.error)

        materials = Card(_("Materials"))
        self.checklist = ChecklistModel(kit, self)
        self.material_list = QListView(objectName="materials")
        name(self.material_list, _("Materials"))
        self.material_list.setModel(self.checklist)
        self.new_material = QLineEdit(placeholderText=_("Something else to bring…"))
        name(self.new_material, _("New material"))
        self.new_material.returnPressed.connect(self.add_material)
        add_row = QHBoxLayout()
        add_row.addWidget(self.new_material, 1)
        add_row.addWidget(QPushButton(_("Add"), clicked=self.add_material))
        add_row.addWidget(QPushButton(_("Remove"), clicked=self.remove_material))
        materials.body.addWidget(muted(_("Tick what is arranged. Space ticks the selected line.")))
        materials.body.addWidget(self.material_list, 1)
        materials.body.addLayout(add_row)

        invitations.body.addStretch(1)
        self.invitations, self.materials = invitations, materials
        self.error.hide()

    def _show_typing_mistake(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def load(self, session_id: str | None) -> None:
        self.session_id = session_id
        self._loading = True
        found = {i.channel: i for i in self.kit.preparation.invitations(session_id)} if session_id else {}
        for channel, row in self.rows.items():
            invitation = found.get(channel)
            row.used.setChecked(invitation is not None)
            for widget in row.widgets()[1:]:
                widget.setEnabled(invitation is not None)
            row.planned.setDate(qdate(date.fromisoformat(invitation.planned_on)) if invitation and invitation.planned_on else NO_DATE)
            row.done.setDate(qdate(date.fromisoformat(invitation.done_on)) if invitation and invitation.done_on else NO_DATE)
            row.reach.setValue(invitation.reach or 0 if invitation else 0)
        self._loading = False
        self.checklist.load(session_id)
        self._show_pending()
        self.error.hide()

    def _save(self, row: ChannelRow) -> None:
        if self._loading or not self.session_id:
            return
        try:
            existing = [i for i in self.kit.preparation.invitations(self.session_id) if i.channel == row.channel]
            if not row.used.isChecked():
                for invitation in existing:
                    self.kit.preparation.remove_invitation(invitation.id)
            else:
                self.kit.preparation.set_invitation(
                    self.session_id, row.channel, planned_on=_iso(row.planned), done_on=_iso(row.done),
                    reach=row.reach.value() or None,
                )  # fmt: skip
        except KitError as error:
            self.error.setText(error.localized())
            self.error.show()
            return
        for widget in row.widgets()[1:]:
            widget.setEnabled(row.used.isChecked())
        self._show_pending()

    def _show_pending(self) -> None:
        if not self.session_id:
            self.pending.setText("")
            return
        to_send = self.kit.preparation.to_send(self.session_id)
        if not self.kit.preparation.invitations(self.session_id):
            self.pending.setText(_("No invitations planned yet: tick the channels you will use."))
        elif not to_send:
            self.pending.setText(_("All invitations have gone out."))
        else:
            items = ", ".join(
                f"{i.label} ({dates.short_date(i.planned_on)})" if i.planned_on else i.label for i in to_send
            )
            self.pending.setText(_("Still to go out: {items}").format(items=items))

    def add_material(self) -> None:
        if not self.session_id:
            return
        try:
            self.kit.preparation.add_material(self.session_id, self.new_material.text())
        except KitError as error:
            self.error.setText(error.localized())
            self.error.show()
            return
        self.new_material.clear()
        self.checklist.load(self.session_id)

    def remove_material(self) -> None:
        index = self.material_list.currentIndex()
        if index.isValid():
            self.kit.preparation.remove_material(self.checklist.item(index.row()).id)
            self.checklist.load(self.session_id)
