"""Invitations per channel and the materials checklist of one meeting.

Every change is saved the moment it is made. A date field showing nothing means
'no date yet'. The line at the top says what still has to go out. Under the
channels, three buttons open the texts to send (an e-mail draft, a short message,
a text for the paper: ui/pages/outreach_dialog.py); the e-mail row says when a
draft was last prepared.
"""

from __future__ import annotations

from collections.abc import Callable
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
from ...bridge import KitBridge
from ...forms import DateField, qdate, to_date
from ...models.checklist import ChecklistModel
from ...widgets import Card, ElidedLines, muted
from ..outreach_dialog import MaterialButtons

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
        self.channel, self.label = channel, gettext(CHANNELS[channel])
        self.used = QCheckBox(self.label)
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

    def __init__(self, kit: Kit, bridge: KitBridge | None = None, today: Callable[[], date] = date.today,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.kit, self.session_id, self._loading = kit, None, False
        bridge = bridge or KitBridge(kit, self)
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
        self.outreach = MaterialButtons(kit, bridge, "invite", today,
                                        _("The letter and the poster are on the Print page."))  # fmt: skip
        self.outreach.closed.connect(lambda: self.load(self.session_id))
        invitations.body.addSpacing(6)
        invitations.body.addWidget(self.outreach)

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
        prepared = self.kit.outreach.invitation_prepared(session_id) if session_id else None  # the e-mail draft
        email = self.rows["email"]
        email.used.setText(_("{channel} (draft {date})").format(channel=email.label, date=dates.short_date(prepared))
                           if prepared else email.label)  # fmt: skip
        self._loading = False
        self.outreach.set_session(session_id)
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
