"""Dialogs of the Plannen page: a neighbourhood, and a new meeting.

Each dialog stays open when the core refuses the input, with the message at the
field, so nothing typed is lost.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from wijkkit import templates
from wijkkit.errors import KitError
from wijkkit.i18n import _, gettext
from wijkkit.kit import Kit
from wijkkit.models import NEIGHBOURHOOD_KINDS, Neighbourhood

from ...forms import FieldForm
from ...widgets import dialog_buttons
from .meeting_form import MeetingForm


class NeighbourhoodDialog(QDialog):
    def __init__(self, kit: Kit, existing: Neighbourhood | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kit, self.existing, self.neighbourhood_id = kit, existing, existing.id if existing else None
        self.setWindowTitle(_("Edit neighbourhood") if existing else _("New neighbourhood"))
        self.form = FieldForm()
        self.name = self.form.add("name", _("Name"), QLineEdit())
        self.municipality = self.form.add("municipality", _("Municipality"), QLineEdit())
        self.kind = self.form.add("kind", _("Kind"), QComboBox())
        for key, label in NEIGHBOURHOOD_KINDS.items():
            self.kind.addItem(gettext(label), key)
        self.notes = self.form.add("notes", _("Notes"), QPlainTextEdit(tabChangesFocus=True))
        self.notes.setMaximumHeight(80)
        if existing:
            self.name.setText(existing.name)
            self.municipality.setText(existing.municipality or "")
            self.kind.setCurrentIndex(max(0, self.kind.findData(existing.kind)))
            self.notes.setPlainText(existing.notes or "")
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.form.general)
        layout.addWidget(dialog_buttons(self, _("Save")))

    def accept(self) -> None:
        values = (self.name.text(), self.municipality.text(), self.kind.currentData(), self.notes.toPlainText())
        try:
            if self.existing:
                self.kit.neighbourhoods.edit(self.existing.id, *values)
            else:
                self.neighbourhood_id = self.kit.neighbourhoods.add(*values)
        except KitError as error:
            self.form.show_error(error)
            return
        super().accept()


class NewMeetingDialog(QDialog):
    def __init__(self, kit: Kit, neighbourhood_id: str | None = None, now: datetime | None = None,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.kit, self.now, self.session_id = kit, now, None
        self.setWindowTitle(_("Plan a new meeting"))
        self.setMinimumWidth(620)
        self.meeting = MeetingForm(kit)
        self.meeting.copies_follow_up = True  # a follow-up starts where the earlier meeting was
        self.meeting.load_neighbourhoods(select=neighbourhood_id)
        self.meeting.copy_follow_up()
        self.template = self.meeting.form.add("template", _("Agenda from template"), QComboBox())
        self._templates = templates.available(templates.own_dir(kit))
        for template in self._templates:
            self.template.addItem(f"{template.name} ({template.minutes} min)", template.id)
        if self.meeting.follows.currentData():
            self.template.setCurrentIndex(max(0, self.template.findData(templates.REPEAT_TEMPLATE)))
        layout = QVBoxLayout(self)
        layout.addWidget(self.meeting)
        layout.addWidget(self.meeting.form.general)
        layout.addWidget(dialog_buttons(self, _("Plan meeting")))

    def chosen_template(self) -> templates.Template:
        return self._templates[self.template.currentIndex()]

    def accept(self) -> None:
        try:
            self.session_id = self.kit.sessions.plan(template=self.chosen_template(), now=self.now,
                                                     **self.meeting.values())  # fmt: skip
        except KitError as error:
            self.meeting.form.show_error(error)
            return
        super().accept()
