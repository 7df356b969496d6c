"""Aanmelden: registration at the door, and typing paper sign-in sheets back in.

Name first; everything else is optional. Names of earlier visitors are completed
as you type. When the name is known, the form asks whether it is that person or
a new one with the same name (two Jan de Vries are two people): nothing is merged
silently. The three consents start unticked and show the words the person agrees
to. Enter registers and marks the person present; the cursor returns to the name,
so a whole sheet can be typed in without the mouse.

For a known person the form shows what is stored: their role and consents as they
are now, and their organisation and contact details in grey in the empty fields.
What the facilitator types or ticks is kept (``People.sign_in_again``): a typed
value replaces the stored one, an empty field keeps it, and each consent ticked
or unticked by hand is recorded as a new answer. Fields the facilitator did not
touch follow the person chosen, so choosing "a new person with this name" never
carries someone else's details along.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

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
from wijkkit.sessions import at_hand

from ..bridge import KitBridge
from ..forms import FieldForm, add_person_details, compact
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
        self.known_note = muted(_("Known: what is stored is shown; an empty field keeps the grey text, "
                                  "what you type or tick replaces it."))  # fmt: skip
        self.known_note.hide()
        self.form.addRow("", self.known_note)
        add_person_details(self.form, self)
        self.table_no = self.form.add("table_no", _("Table"), QSpinBox(minimum=0, maximum=999,
                                                                        specialValueText=_("no table")))  # fmt: skip
        self.register_button = QPushButton(_("Register and mark present"), clicked=self.register)
        self.form.addRow("", self.register_button)
        self.done = QLabel(objectName="info", wordWrap=True)
        for line in (self.name, self.organisation, self.email, self.phone):
            line.returnPressed.connect(self.register)
        self.name.textChanged.connect(self._offer_namesakes)
        self._touched: set[str] = set()  # the fields the facilitator set by hand since the last sign-in
        self.role.activated.connect(lambda _index: self._touched.add("role"))
        for kind, box in self.consents.items():
            box.clicked.connect(lambda _checked, key=f"consent_{kind}": self._touched.add(key))
        self.who.currentIndexChanged.connect(self._show_known)

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
        """The meeting at the door now, or one held this past week (the paper sign-in list
        is typed in afterwards): see sessions.at_hand."""
        found = at_hand(self.kit.sessions.list(), self.clock(), recent_held=timedelta(days=7))
        return found.id if found else None

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
        self.who.blockSignals(True)
        self.who.clear()
        for person in self.kit.people.namesakes(text) if text.strip() else []:
            details = ", ".join(p for p in (gettext(ROLES.get(person.role, person.role)), person.organisation) if p)
            self.who.addItem(f"{person.name} ({details})", person.id)
        self.who.addItem(_("A new person with this name"), NEW_PERSON)
        self.who.setEnabled(self.who.count() > 1)
        self.who.blockSignals(False)
        self._show_known()

    def known_id(self) -> str | None:
        """The known person chosen for the name typed, or None for a new person."""
        chosen = self.who.currentData() if self.who.count() > 1 else NEW_PERSON
        return None if chosen in (None, NEW_PERSON) else chosen

    def _show_known(self) -> None:
        """Show the chosen person's stored details in the fields the facilitator has not set by hand."""
        person = self.kit.people.get(self.known_id()) if self.known_id() else None
        if "role" not in self._touched:
            self.role.setCurrentIndex(max(0, self.role.findData(person.role if person else "inwoner")))
        for kind, box in self.consents.items():
            if f"consent_{kind}" not in self._touched:
                box.setChecked(bool(person and getattr(person, f"consent_{kind}")))
        for field, line in (("organisation", self.organisation), ("email", self.email), ("phone", self.phone)):
            line.setPlaceholderText(getattr(person, field) or "" if person else "")
        self.known_note.setVisible(person is not None)

    # -- registering -------------------------------------------------------------------

    def register(self) -> str | None:
        """Register (or recognise) the person and mark them present; returns their id."""
        if not self.session_id():
            self.form.general.setText(_("Plan a meeting first."))
            self.form.general.show()
            return None
        table_no = self.table_no.value() or None
        typed = {"organisation": self.organisation.text(), "email": self.email.text(), "phone": self.phone.text()}
        consents = {f"consent_{kind}": box.isChecked() for kind, box in self.consents.items()}
        person_id, updated = self.known_id(), False
        try:
            with self.kit.transaction():
                if person_id is None:
                    person_id = self.kit.people.add(self.name.text(), role=self.role.currentData(), **typed,
                                                    consent_session_id=self.session_id(), **consents)  # fmt: skip
                else:  # nothing typed is lost: what was set by hand is added, empty fields keep what is stored
                    answered = {key: value for key, value in consents.items() if key in self._touched}
                    role = self.role.currentData() if "role" in self._touched else None
                    updated = bool(self.kit.people.sign_in_again(person_id, self.session_id(), role=role, **typed,
                                                                 **answered) or answered)  # fmt: skip
                self.kit.attendance.mark(self.session_id(), person_id, table_no)
        except KitError as error:
            self.form.show_error(error)
            return None
        name = self.kit.people.get(person_id).name
        self.done.setText(_("{name} is marked present; what was typed is added to their details.").format(name=name)
                          if updated else _("{name} is marked present.").format(name=name))  # fmt: skip
        self._clear()
        return person_id

    def _clear(self) -> None:
        self.form.clear_errors()
        self._touched.clear()
        for line in (self.name, self.organisation, self.email, self.phone):
            line.clear()
        for box in self.consents.values():
            box.setChecked(False)
        self.role.setCurrentIndex(0)
        self.name.setFocus()
