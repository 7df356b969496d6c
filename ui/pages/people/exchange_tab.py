"""Aanbod en vraag: what residents can give, what they need, and the matches between them.

Offers and needs are added under their lists; a match (an open offer and an open
need of the same category, not 'other') becomes an agreement with "Make an
agreement…", after which both are marked as matched. Choosing an offer or a need
in its list opens it in the edit form beside the matches (Enter or a double-click
puts the cursor there): what was captured live during the meeting arrives as
'other' without a person, and is sorted out there so that it can match. The
health notice sits above the forms because these lists are read aloud and
shared: only practical help belongs here.

The small helpers at the top (a read-only table, the meeting labels, the latest
held meeting) are shared with the obstacles and follow-up tabs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from wijkkit import dates
from wijkkit.errors import KitError, ValidationError
from wijkkit.exchange import CATEGORIES, HEALTH_NOTICE, Match
from wijkkit.i18n import N_, _, gettext
from wijkkit.kit import Kit
from wijkkit.models import ROLES, Session, shown_name
from wijkkit.text import sort_key

from ...a11y import name, no_tab_trap
from ...bridge import KitBridge
from ...forms import DateField, FieldForm, qdate, to_date
from ...models.records import RecordTableModel
from ...widgets import Card, dialog_buttons, muted
from .fit import scrolling

ITEM_STATUSES = {"open": N_("open"), "matched": N_("matched")}
WATCHED = {"offer", "need", "person", "session"}


# -- shared with obstacles_tab and followup_tab --------------------------------------


def table_view(model, object_name: str, stretch: int = 0, title: str = "") -> QTableView:
    """A read-only, row-selecting table whose ``stretch`` column takes the spare width; ``title``
    (the heading of its card) is its name for a screen reader, and Tab leaves it."""
    view = no_tab_trap(QTableView(objectName=object_name))
    if title:
        name(view, title)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectRows)
    view.setSelectionMode(QAbstractItemView.SingleSelection)
    view.setEditTriggers(QAbstractItemView.NoEditTriggers)
    view.setWordWrap(True)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    for column in range(model.columnCount()):
        header.setSectionResizeMode(column, header.ResizeMode.Stretch if column == stretch
                                    else header.ResizeMode.ResizeToContents)  # fmt: skip
    return view


def fixed(button: QPushButton) -> QPushButton:
    """A form's button at its own width, not stretched across the form."""
    button.setSizePolicy(QSizePolicy.Fixed, QSizePolicy.Fixed)
    return button


def meeting_label(session: Session) -> str:
    return f"{dates.short_date(session.starts_at)} · {session.title}"


def latest_held(kit: Kit, statuses: tuple[str, ...] = ("held", "running")) -> Session | None:
    """The most recent meeting that was held (or, by default, is running now)."""
    held = [s for s in kit.sessions.list() if s.status in statuses]
    return held[-1] if held else None


def fill_meetings(combo: QComboBox, kit: Kit, select: str | None = None) -> None:
    """Every meeting, by date; keeps ``select`` (or the latest held meeting) chosen."""
    combo.blockSignals(True)
    combo.clear()
    for session in kit.sessions.list():
        combo.addItem(meeting_label(session), session.id)
    if select is None or combo.findData(select) < 0:
        latest = latest_held(kit)
        select = latest.id if latest else None
    combo.setCurrentIndex(max(0, combo.findData(select)) if select else combo.count() - 1)
    combo.blockSignals(False)


def fill_people(combo: QComboBox, kit: Kit) -> None:
    """'(nobody)' and everyone by name; namesakes get their organisation or role."""
    chosen = combo.currentData()
    people = kit.people.list()
    names = [sort_key(p.name) for p in people]
    combo.clear()
    combo.addItem(_("(nobody)"), None)
    for person, key in zip(people, names, strict=True):
        extra = person.organisation or gettext(ROLES.get(person.role, person.role))
        label = shown_name(person.name)
        combo.addItem(f"{label} ({extra})" if names.count(key) > 1 else label, person.id)
    combo.setCurrentIndex(max(0, combo.findData(chosen)))


def _columns(header: str) -> tuple:
    return (
        (header, lambda i: i.text),
        (N_("Category"), lambda i: gettext(CATEGORIES.get(i.category, i.category))),
        (N_("Who"), lambda i: shown_name(i.person_name) if i.person_id else ""),
        (N_("Status"), lambda i: gettext(ITEM_STATUSES.get(i.status, i.status))),
    )


def _match_label(match: Match) -> str:
    category = gettext(CATEGORIES.get(match.offer.category, match.offer.category))
    return f"{match.offer.text} ↔ {match.need.text} ({category})"


class ItemFields(FieldForm):
    """What, category and who: for adding an offer or a need, and for correcting one."""

    def __init__(self, kit: Kit, placeholder: str = "") -> None:
        super().__init__()
        self.text = self.add("text", _("What"), QLineEdit(placeholderText=placeholder))
        self.category = self.add("category", _("Category"), QComboBox())
        for key, label in CATEGORIES.items():
            self.category.addItem(gettext(label), key)
        self.person = self.add("person_id", _("Who"), QComboBox())
        fill_people(self.person, kit)


class ItemForm(ItemFields):
    """The add form under the offers or the needs."""

    def __init__(self, kit: Kit, placeholder: str, on_add: Callable[[], object]) -> None:
        super().__init__(kit, placeholder)
        self.text.returnPressed.connect(on_add)
        self.button = QPushButton(_("Add"), clicked=on_add)
        self.addRow("", fixed(self.button))


class ExchangeTab(QWidget):
    def __init__(self, kit: Kit, bridge: KitBridge, clock: Callable[[], datetime]) -> None:
        super().__init__()
        self.kit, self.clock = kit, clock
        self.editing: tuple[str, str] | None = None  # (table, id) of the offer or need in the edit form
        self.offers = RecordTableModel(lambda: kit.exchange.offers(), _columns(N_("Offer")), self)
        self.needs = RecordTableModel(lambda: kit.exchange.needs(), _columns(N_("Need")), self)
        self.matches = RecordTableModel(kit.exchange.matches, ((N_("Match"), _match_label),), self)
        self.offer_view = table_view(self.offers, "offers", title=_("Offers"))
        self.need_view = table_view(self.needs, "needs", title=_("Needs"))
        self.offer_form = ItemForm(kit, _("What can someone give?"), self.add_offer_from_form)
        self.need_form = ItemForm(kit, _("What does someone need?"), self.add_need_from_form)

        left = QVBoxLayout()
        for title, view, form in ((_("Offers"), self.offer_view, self.offer_form),
                                  (_("Needs"), self.need_view, self.need_form)):  # fmt: skip
            card = Card(title)
            card.body.addWidget(view, 1)
            card.body.addLayout(form)
            card.body.addWidget(form.general)
            left.addWidget(card, 1)
        left.insertWidget(0, muted(gettext(HEALTH_NOTICE)))

        self.match_view = name(QListView(objectName="matches"), _("Matches"))
        self.match_view.setModel(self.matches)
        self.match_view.setWordWrap(True)
        self.match_view.setSpacing(2)
        self.match_view.activated.connect(lambda index: self.ask_agreement(index.row()))  # Enter or double-click
        self.agreement_button = QPushButton(_("Make an agreement…"), objectName="primary",
                                            clicked=lambda: self.ask_agreement(self.match_view.currentIndex().row()))  # fmt: skip
        self.message = QLabel(objectName="formError", wordWrap=True)
        self.message.hide()
        self.empty_matches = muted(_("No matches yet: an open offer and an open need of the same category show up here."))
        matches = Card(_("Matches"))
        matches.body.addWidget(muted(_("An open offer next to an open need of the same category. "
                                       "'Other' is not matched: choose a category below.")))  # fmt: skip
        matches.body.addWidget(self.match_view, 1)
        matches.body.addWidget(self.empty_matches)
        matches.body.addWidget(self.agreement_button, 0, Qt.AlignLeft)
        matches.body.addWidget(self.message)

        right = QVBoxLayout()
        right.addWidget(matches, 1)
        right.addWidget(self._edit_card())
        layout = QHBoxLayout(scrolling(self))
        layout.addLayout(left, 3)
        layout.addLayout(right, 2)
        self.match_view.selectionModel().currentRowChanged.connect(lambda *_: self._enable())
        for table, view in (("offer", self.offer_view), ("need", self.need_view)):
            view.activated.connect(lambda index, t=table: self.edit_item(t, index.row(), focus=True))
            view.selectionModel().currentRowChanged.connect(lambda now, _old, t=table: self.edit_item(t, now.row()))
        bridge.changed.connect(self._on_change)  # a bound slot: disconnected when the tab goes
        self.refresh()

    def _on_change(self, changes: dict) -> None:
        if changes.keys() & WATCHED:
            self.refresh()

    def refresh(self) -> None:
        keep = self.editing
        for form in (self.offer_form, self.need_form, self.edit_form):
            fill_people(form.person, self.kit)
        for model in (self.offers, self.needs, self.matches):
            model.refresh()
        self.empty_matches.setVisible(self.matches.rowCount() == 0)
        self._enable()
        self.editing = None
        if keep:  # the offer or need being corrected stays chosen
            table, item_id = keep
            model, view = (self.offers, self.offer_view) if table == "offer" else (self.needs, self.need_view)
            rows = [r for r in range(model.rowCount()) if model.record(r).id == item_id]
            if rows:
                view.selectRow(rows[0])
        if self.editing is None:
            self.edit_item(keep[0] if keep else "offer", -1)

    def _enable(self) -> None:
        self.agreement_button.setEnabled(self.match_view.currentIndex().isValid())

    # -- adding -------------------------------------------------------------------

    def _add(self, form: ItemForm, add: Callable[..., str]) -> str | None:
        latest = latest_held(self.kit)  # offers and needs belong to the meeting where they came up
        try:
            item_id = add(latest.id if latest else None, form.text.text(), form.category.currentData(),
                          form.person.currentData())  # fmt: skip
        except KitError as error:
            form.show_error(error)
            return None
        form.clear_errors()
        form.text.clear()
        form.text.setFocus()
        return item_id

    def add_offer_from_form(self) -> str | None:
        return self._add(self.offer_form, self.kit.exchange.add_offer)

    def add_need_from_form(self) -> str | None:
        return self._add(self.need_form, self.kit.exchange.add_need)

    # -- correcting -----------------------------------------------------------------

    def _edit_card(self) -> Card:
        card = Card(_("Edit"))
        self.edit_hint = muted("")
        self.edit_form = ItemFields(self.kit)
        self.edit_form.text.returnPressed.connect(self.save_edit)
        self.save_button = QPushButton(_("Save"), clicked=self.save_edit)
        self.edit_form.addRow("", fixed(self.save_button))
        self.saved_note = muted("")
        card.body.addWidget(self.edit_hint)
        card.body.addLayout(self.edit_form)
        card.body.addWidget(self.edit_form.general)
        card.body.addWidget(self.saved_note)
        return card

    def edit_item(self, table: str, row: int, focus: bool = False) -> None:
        """Show the offer or need on ``row`` of its list in the edit form (nothing: an empty, disabled form)."""
        model, other = (self.offers, self.need_view) if table == "offer" else (self.needs, self.offer_view)
        item = model.record(row) if 0 <= row < model.rowCount() else None
        if item is None and self.editing and self.editing[0] != table:
            return  # the other list let go of its row: keep what was chosen there
        self.editing = (table, item.id) if item else None
        if item is not None:
            other.selectionModel().clear()  # one item in the form, one row chosen
        form = self.edit_form
        form.clear_errors()
        self.saved_note.clear()
        form.text.setText(item.text if item else "")
        form.text.setCursorPosition(0)  # a long text shows its beginning
        form.category.setCurrentIndex(max(0, form.category.findData(item.category if item else None)))
        form.person.setCurrentIndex(max(0, form.person.findData(item.person_id if item else None)))
        for widget in (form.text, form.category, form.person, self.save_button):
            widget.setEnabled(item is not None)
        self.edit_hint.setText(_("Choose an offer or a need in the lists to correct it.") if item is None
                               else _("Correcting an offer.") if table == "offer" else _("Correcting a need."))  # fmt: skip
        if focus and item:
            form.text.setFocus()
            form.text.selectAll()

    def save_edit(self) -> bool:
        if not self.editing:
            return False
        table, item_id = self.editing
        form = self.edit_form
        try:
            self.kit.exchange.edit(table, item_id, text=form.text.text(), category=form.category.currentData(),
                                   person_id=form.person.currentData())  # fmt: skip
        except KitError as error:
            form.show_error(error)
            return False
        form.clear_errors()
        self.saved_note.setText(_("Saved."))
        return True

    # -- matches into agreements ----------------------------------------------------

    def suggested_title(self, match: Match) -> str:
        return self.kit.exchange.suggested_title(match)  # no names: the agreement links the people

    def _make(self, match: Match, title: str, due_on: date, partners: str) -> str:
        return self.kit.exchange.make_agreement(match.offer.id, match.need.id, title, match.need.session_id,
                                                due_on=due_on, partners=partners.strip())  # fmt: skip

    def make_agreement_for(self, row: int, title: str, due_on: date, partners: str = "") -> str | None:
        """Turn the match on ``row`` into an agreement; None (and a message) when refused."""
        if not 0 <= row < self.matches.rowCount():
            return None
        try:
            agreement_id = self._make(self.matches.record(row), title, due_on, partners)
        except KitError as error:
            self.message.setText(error.localized())
            self.message.show()
            return None
        self.message.hide()
        return agreement_id

    def ask_agreement(self, row: int) -> str | None:
        if not 0 <= row < self.matches.rowCount():
            return None
        match = self.matches.record(row)
        dialog = AgreementDialog(self.suggested_title(match), self.clock().date() + timedelta(days=30),
                                 lambda *values: self._make(match, *values), self, between(match))  # fmt: skip
        return dialog.agreement_id if dialog.exec() == QDialog.Accepted else None


def between(match: Match) -> str:
    """Who the agreement links (the offer's person becomes its owner): named here, never in the title."""
    giver = shown_name(match.offer.person_name) if match.offer.person_id else _("nobody named")
    receiver = shown_name(match.need.person_name) if match.need.person_id else _("nobody named")
    return _("Offered by {giver}; asked by {receiver}. They are linked to the agreement, not named in its title.").format(
        giver=giver, receiver=receiver)  # fmt: skip


class AgreementDialog(QDialog):
    """Title, due date and partners of the agreement made from a match."""

    def __init__(self, title: str, due_on: date, make: Callable[[str, date, str], str],
                 parent: QWidget | None = None, people: str = "") -> None:  # fmt: skip
        super().__init__(parent)
        self.make, self.agreement_id = make, None
        self.setWindowTitle(_("Make an agreement"))
        self.title = QLineEdit(title)
        self.title.setMinimumWidth(380)
        self.due = DateField(qdate(due_on), calendarPopup=True, displayFormat="d-M-yyyy")
        self.partners = QLineEdit(placeholderText=_("Who else helps? (optional)"))
        form = QFormLayout()
        if people:
            form.addRow(QLabel(people, objectName="matchPeople", wordWrap=True))
        form.addRow(_("Agreement"), self.title)
        form.addRow(_("Due"), self.due)
        form.addRow(_("Partners"), self.partners)
        self.error = QLabel(objectName="formError", wordWrap=True)
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(dialog_buttons(self, _("Make agreement")))

    def accept(self) -> None:
        try:
            self.agreement_id = self.make(self.title.text(), to_date(self.due.date()), self.partners.text())
        except KitError as error:
            self.error.setText(error.localized())
            self.error.show()
            field = error.field if isinstance(error, ValidationError) else None
            {"title": self.title, "due_on": self.due}.get(field or "", self.title).setFocus()
            return
        super().accept()
