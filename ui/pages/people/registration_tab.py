"""Aanmelden: registration at the door, and typing paper sign-in sheets back in.

Name first; everything else is optional. Names of earlier visitors are completed
as you type. When the name is known, the form asks whether it is that person or
a new one with the same name (two Jan de Vries are two people): nothing is merged
silently. The three consents start unticked and show the words the person agrees
to: on one line each, cut with "…" where needed, the whole wording as tooltip, so
the whole form down to Tafel and the button is in sight at 1024x768 and 1280x720.
Enter registers and marks the person present, from any field and from the button;
the cursor returns to the name, so a whole sheet can be typed in without the mouse.
"Who is this?" is always in the Tab order, so the same number of Tabs reaches the
same field for a known and an unknown name (issue 14, problem 11).

One status line says how the last sign-in went, or what went wrong; any edit of
the form takes it away, so a green line about the previous person never stands
beside a red one about the next (problem 12). In the Aanwezig list a check-in made
by mistake is undone (Delete) and someone's table changed (Enter, type, Enter);
see Attendance.unmark and set_table (problem 14).

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
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
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
from wijkkit.attendance import Attendee
from wijkkit.errors import KitError
from wijkkit.i18n import N_, _, gettext
from wijkkit.kit import Kit
from wijkkit.models import ROLES, shown_name
from wijkkit.sessions import at_hand

from ...a11y import labelled, name, no_tab_trap
from ...bridge import KitBridge
from ...forms import FieldForm, add_person_details, compact
from ...models.records import RecordTableModel
from ...widgets import Card, ElidedLines
from .fit import VerticalScroll, on_enter, one_line_wording, one_place, select_on_focus

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
        # always enabled, so Tab stops here for a known and an unknown name alike (issue 14, problem 11)
        self.who = self.form.add("who", _("Who is this?"), QComboBox(objectName="namesake"))
        add_person_details(self.form, self)
        for box in self.consents.values():  # an error about a consent puts the focus on its box
            box.parentWidget().setFocusProxy(box)
            one_line_wording(box.parentWidget(), box)  # the whole form in sight at 1024x768 (issue 14)
        self.table_no = self.form.add("table_no", _("Table"), QSpinBox(minimum=0, maximum=999,
                                                                        specialValueText=_("no table")))  # fmt: skip
        self.register_button = QPushButton(_("Register and mark present"), objectName="primary", clicked=self.register)
        self.name.textChanged.connect(self._offer_namesakes)
        self._touched: set[str] = set()  # the fields the facilitator set by hand since the last sign-in
        self.role.activated.connect(lambda _index: self._touched.add("role"))
        for kind, box in self.consents.items():
            box.clicked.connect(lambda _checked, key=f"consent_{kind}": self._touched.add(key))
        self.who.currentIndexChanged.connect(self._show_known)
        self._clear_messages_on_edit()

        door = Card(_("Sign-in at the door"))
        row = QHBoxLayout()
        row.addWidget(labelled(QLabel(_("Meeting")), self.meeting))
        row.addWidget(self.meeting, 1)
        door.body.addLayout(row)
        self.intro = ElidedLines(2, wrap=True)  # two lines at most, whole as tooltip: the fields stay in sight
        self.intro.setText(_("Only the name is needed. Contact details only with consent to be contacted; "
                             "ask each consent separately."))  # fmt: skip
        self.known_note = ElidedLines(2, wrap=True)
        self.known_note.setText(_("Known: stored details are shown in grey; what you type or tick replaces "
                                  "them."))  # fmt: skip
        door.body.addWidget(one_place(self.intro, self.known_note))  # the fields below never move
        self.known_note.hide()
        fields = QWidget()
        fields.setLayout(self.form)
        self.form.setContentsMargins(0, 0, 0, 0)
        scroll = VerticalScroll(fields)
        scroll.setFocusPolicy(Qt.NoFocus)  # its fields are the Tab stops (see _chain_tabs)
        door.body.addWidget(scroll, 1)
        door.body.addWidget(self.register_button, 0, Qt.AlignRight)  # in sight, also when the fields scroll
        door.body.addWidget(self._status_line())
        for line in (self.name, self.organisation, self.email, self.phone):
            line.returnPressed.connect(self.register)
        on_enter((self.who, self.role, *self.consents.values(), self.table_no, self.register_button), self.register)

        layout = QHBoxLayout(self)
        layout.addWidget(door, 3)
        layout.addWidget(self._present_card(), 2)
        select_on_focus(self.table_no)
        self._chain_tabs()
        self.meeting.currentIndexChanged.connect(self._meeting_chosen)
        bridge.changed.connect(lambda changes: changes.keys() & {"person", "attendance", "session"} and self.refresh())
        self.refresh()

    def _chain_tabs(self) -> None:
        """One Tab order, whatever the name: name, who, role, organisation, e-mail, phone, consents, table;
        then the present list and its fields (the form's scroll area is no Tab stop: it made a loop)."""
        chain = [self.meeting, self.name, self.who, self.role, self.organisation, self.email, self.phone,
                 *self.consents.values(), self.table_no, self.register_button,
                 self.attendee_list, self.seat, self.seat_button, self.undo_button, self.anonymous]  # fmt: skip
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def _status_line(self) -> QWidget:
        """One line for the outcome: who was marked present, or what went wrong; never both."""
        self.done = QLabel(objectName="info", wordWrap=True)
        holder = one_place(self.done, self.form.general)
        holder.setMinimumHeight(2 * self.done.fontMetrics().lineSpacing() + 4)
        return holder

    def _clear_messages_on_edit(self) -> None:
        """Any edit of the form takes away the last outcome: a corrected field loses its error, and
        the next person's typing loses the previous person's "marked present"."""
        for line in (self.name, self.organisation, self.email, self.phone):
            line.textEdited.connect(self._edited)
        for combo in (self.who, self.role):
            combo.activated.connect(self._edited)
        for box in self.consents.values():
            box.clicked.connect(self._edited)
        self.table_no.valueChanged.connect(self._edited)

    def _edited(self, *_args: object) -> None:
        self.form.clear_errors()
        self.done.clear()

    def _present_card(self) -> QWidget:
        present = Card(_("Present"))
        self.attendees = RecordTableModel(self._attendees, ATTENDEE_COLUMNS, self)
        self.attendee_list = table = no_tab_trap(QTableView(objectName="attendees"))
        name(table, _("Present"))
        table.setModel(self.attendees)
        table.setSelectionBehavior(QAbstractItemView.SelectRows)
        table.setSelectionMode(QAbstractItemView.SingleSelection)
        table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)  # a long role never hides the names
        table.selectionModel().currentRowChanged.connect(lambda current, _old: self._attendee_chosen(current.row()))
        table.activated.connect(lambda _index: (self.seat.setFocus(), self.seat.selectAll()))  # Enter: the table
        QShortcut(QKeySequence.Delete, table, self.undo_check_in).setContext(Qt.WidgetShortcut)
        self.seat = QSpinBox(objectName="attendeeTable", minimum=0, maximum=999, specialValueText=_("no table"))
        self.seat_button = QPushButton(_("Change table"), clicked=self.change_table)
        self.undo_button = QPushButton(_("Undo check-in"), objectName="undoCheckIn", clicked=self.undo_check_in)
        self.undo_button.setToolTip(_("The chosen person no longer counts as present (Delete key in the list)."))
        seat_row = QHBoxLayout()
        seat_row.addWidget(labelled(QLabel(_("Table")), self.seat))
        seat_row.addWidget(self.seat, 1)
        seat_row.addWidget(self.seat_button)
        self.anonymous = QSpinBox(maximum=9999)
        self.anonymous.valueChanged.connect(self._save_anonymous)
        self.total = QLabel(objectName="big")
        anonymous_row = QHBoxLayout()
        anonymous_row.addWidget(labelled(QLabel(_("Came without registering"), wordWrap=True), self.anonymous), 1)
        anonymous_row.addWidget(self.anonymous)
        present.body.addWidget(table, 1)
        present.body.addLayout(seat_row)
        present.body.addWidget(self.undo_button, 0, Qt.AlignLeft)
        present.body.addLayout(anonymous_row)
        present.body.addWidget(self.total)
        on_enter((self.seat, self.seat_button), self.change_table)
        select_on_focus(self.seat)
        self._attendee_chosen(-1)
        return present

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
        keep = self.chosen_attendee()
        self.attendees.refresh()
        rows = [r for r in range(self.attendees.rowCount()) if keep and self.attendees.record(r).attendance_id
                == keep.attendance_id]  # fmt: skip
        if rows:
            self.attendee_list.selectRow(rows[0])
        self._attendee_chosen(rows[0] if rows else -1)
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
        self.intro.setVisible(person is None)

    # -- registering -------------------------------------------------------------------

    def register(self) -> str | None:
        """Register (or recognise) the person and mark them present; returns their id."""
        self.done.clear()
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

    # -- correcting who is present ---------------------------------------------------------

    def chosen_attendee(self) -> Attendee | None:
        row = self.attendee_list.currentIndex().row() if self.attendee_list.selectionModel().hasSelection() else -1
        return self.attendees.record(row) if 0 <= row < self.attendees.rowCount() else None

    def _attendee_chosen(self, row: int) -> None:
        chosen = self.attendees.record(row) if 0 <= row < self.attendees.rowCount() else None
        for widget in (self.seat, self.seat_button, self.undo_button):
            widget.setEnabled(chosen is not None)
        self.seat.setValue(chosen.table_no or 0 if chosen else 0)

    def change_table(self) -> bool:
        """Move the person chosen in the list to the table in the box beside it."""
        chosen = self.chosen_attendee()
        if chosen is None:
            return False
        self.kit.attendance.set_table(chosen.attendance_id, self.seat.value() or None)
        name = shown_name(chosen.name)
        self._say(_("{name} now sits at table {table}.").format(name=name, table=self.seat.value())
                  if self.seat.value() else _("{name} has no table now.").format(name=name))  # fmt: skip
        return True

    def undo_check_in(self) -> bool:
        """The person chosen in the list no longer counts as present (registering them again undoes this)."""
        chosen = self.chosen_attendee()
        if chosen is None:
            return False
        self.kit.attendance.unmark(chosen.attendance_id)
        self._say(_("{name} no longer counts as present.").format(name=shown_name(chosen.name)))
        self.attendee_list.setFocus()
        return True

    def _say(self, text: str) -> None:
        self.form.clear_errors()
        self.done.setText(text)
