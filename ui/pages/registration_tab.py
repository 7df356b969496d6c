"""Aanmelden: registration at the door, and typing paper sign-in sheets back in.

Name first; everything else is optional. Names of earlier visitors are completed
as you type. When the name is known, the form asks whether it is that person or
a new one with the same name (two Jan de Vries are two people): nothing is merged
silently. The three consents start unticked and show the words the person agrees
to. Enter registers and marks the person present; the cursor returns to the name,
so a whole sheet can be typed in without the mouse.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QWidget,
)

from wijkkit import dates
from wijkkit.errors import KitError
from wijkkit.i18n import N_, _, gettext
from wijkkit.kit import Kit
from wijkkit.models import ROLES, shown_name
from wijkkit.people import CONSENT_LABELS, CONSENTS

from ..bridge import KitBridge
from ..forms import FieldForm, compact, consent_field
from ..models.records import RecordTableModel
from ..widgets import Card, muted

ATTENDEE_COLUMNS = (
    (N_("Name"), lambda a: shown_name(a.name)),
    (N_("Role"), lambda a: gettext(ROLES.get(a.role, a.role))),
    (N_("Table"), lambda a: str(a.table_no or "")),
)
NEW_PERSON = "new"


class RegistrationTab(QWidget):
    def __init__(self, kit: Kit, bridge: KitBridge, clock: Callable[[], datetime]) -> None:
        super().__init__()
        self.kit, self.clock = kit, clock
        self.meeting = compact(QComboBox(objectName="registrationMeeting"))
        self.form = FieldForm()
        self.name = self.form.add("name", _("Name"), QLineEdit(objectName="registrationName"))
        self.names = QStringListModel(self)
        completer = QCompleter(self.names, self)
        completer.setCaseSensitivity(Qt.CaseInsensitive)
        completer.setFilterMode(Qt.MatchContains)
        self.name.setCompleter(completer)
        self.who = self.form.add("who", _("Who is this?"), QComboBox(objectName="namesake"))
        self.role = self.form.add("role", _("Role"), QComboBox())
        for key, label in ROLES.items():
            self.role.addItem(gettext(label), key)
        self.organisation = self.form.add("organisation", _("Organisation"), QLineEdit())
        self.email = self.form.add("email", _("E-mail"), QLineEdit())
        self.phone = self.form.add("phone", _("Phone"), QLineEdit())
        self.consents = {}
        for kind, wording in CONSENTS.items():
            holder, self.consents[kind] = consent_field(gettext(CONSENT_LABELS[kind]), gettext(wording))
            self.form.add(f"consent_{kind}", _("Consent") if kind == "contact" else "", holder)
        self.table_no = self.form.add("table_no", _("Table"), QSpinBox(minimum=0, maximum=999,
                                                                        specialValueText=_("no table")))  # fmt: skip
        self.register_button = QPushButton(_("Register and mark present"), clicked=self.register)
        self.form.addRow("", self.register_button)
        self.done = QLabel(objectName="info", wordWrap=True)
        for line in (self.name, self.organisation, self.email, self.phone):
            line.returnPressed.connect(self.register)
        self.name.textChanged.connect(self._offer_namesakes)

        door = Card(_("Sign-in at the door"))
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Meeting")))
        row.addWidget(self.meeting, 1)
        door.body.addLayout(row)
        door.body.addWidget(muted(_("Only the name is needed. Contact details are kept only with consent to be "
                                    "contacted. Ask each consent separately.")))  # fmt: skip
        door.body.addLayout(self.form)
        door.body.addWidget(self.form.general)
        door.body.addWidget(self.done)
        door.body.addStretch()

        present = Card(_("Present"))
        self.attendees = RecordTableModel(self._attendees, ATTENDEE_COLUMNS, self)
        table = QTableView(objectName="attendees")
        table.setModel(self.attendees)
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.anonymous = QSpinBox(maximum=9999)
        self.anonymous.valueChanged.connect(self._save_anonymous)
        self.total = QLabel(objectName="big")
        anonymous_row = QHBoxLayout()
        anonymous_row.addWidget(QLabel(_("Came without registering")))
        anonymous_row.addWidget(self.anonymous)
        anonymous_row.addStretch()
        present.body.addWidget(table, 1)
        present.body.addLayout(anonymous_row)
        present.body.addWidget(self.total)
        layout = QHBoxLayout(self)
        layout.addWidget(door, 3)
        layout.addWidget(present, 2)
        self.meeting.currentIndexChanged.connect(self._meeting_chosen)
        bridge.changed.connect(lambda changes: changes.keys() & {"person", "attendance", "session"} and self.refresh())
        self.refresh()

    # -- loading --------------------------------------------------------------------------

    def session_id(self) -> str | None:
        return self.meeting.currentData()

    def _attendees(self):
        return self.kit.attendance.attendees(self.session_id()) if self.session_id() else []

    def refresh(self) -> None:
        chosen = self.session_id() or self._default_meeting()
        self.meeting.blockSignals(True)
        self.meeting.clear()
        for session in self.kit.sessions.list():
            self.meeting.addItem(f"{dates.short_date(session.starts_at)}  {session.title}", session.id)
        self.meeting.setCurrentIndex(max(0, self.meeting.findData(chosen)))
        self.meeting.blockSignals(False)
        named = {p.name for p in self.kit.people.list() if p.name}  # at a hub, names not shared are empty
        self.names.setStringList(sorted(named))
        self._meeting_chosen()

    def _default_meeting(self) -> str | None:
        sessions = self.kit.sessions.list()
        running = [s for s in sessions if s.status == "running"]
        upcoming = self.kit.sessions.next_planned(self.clock())
        if running or upcoming:
            return (running or [upcoming])[0].id
        return sessions[-1].id if sessions else None

    def _meeting_chosen(self) -> None:
        self.attendees.refresh()
        session = self.kit.row("session", self.session_id()) if self.session_id() else None
        self.anonymous.blockSignals(True)
        self.anonymous.setValue(int((session or {}).get("anonymous_count") or 0))
        self.anonymous.blockSignals(False)
        self._show_total()

    def _show_total(self) -> None:
        total = self.kit.attendance.total(self.session_id()) if self.session_id() else 0
        self.total.setText(_("{n} present in all").format(n=total))

    def _save_anonymous(self, value: int) -> None:
        if self.session_id():
            self.kit.attendance.set_anonymous(self.session_id(), value)
            self._show_total()

    def _offer_namesakes(self, text: str) -> None:
        """When the name is known, ask who it is; the first known person is the default."""
        self.who.clear()
        for person in self.kit.people.namesakes(text) if text.strip() else []:
            details = ", ".join(p for p in (gettext(ROLES.get(person.role, person.role)), person.organisation) if p)
            self.who.addItem(f"{person.name} ({details})", person.id)
        self.who.addItem(_("A new person with this name"), NEW_PERSON)
        self.who.setEnabled(self.who.count() > 1)

    # -- registering -------------------------------------------------------------------

    def register(self) -> str | None:
        """Register (or recognise) the person and mark them present; returns their id."""
        if not self.session_id():
            self.form.general.setText(_("Plan a meeting first."))
            self.form.general.show()
            return None
        table_no = self.table_no.value() or None
        try:
            with self.kit.transaction():
                person_id = self.who.currentData() if self.who.count() > 1 else NEW_PERSON
                if person_id == NEW_PERSON:
                    person_id = self.kit.people.add(
                        self.name.text(), role=self.role.currentData(), organisation=self.organisation.text(),
                        email=self.email.text(), phone=self.phone.text(), consent_session_id=self.session_id(),
                        **{f"consent_{kind}": box.isChecked() for kind, box in self.consents.items()},
                    )  # fmt: skip
                self.kit.attendance.mark(self.session_id(), person_id, table_no)
        except KitError as error:
            self.form.show_error(error)
            return None
        self.done.setText(_("{name} is marked present.").format(name=self.kit.people.get(person_id).name))
        self._clear()
        return person_id

    def _clear(self) -> None:
        self.form.clear_errors()
        for line in (self.name, self.organisation, self.email, self.phone):
            line.clear()
        for box in self.consents.values():
            box.setChecked(False)
        self.role.setCurrentIndex(0)
        self.name.setFocus()
