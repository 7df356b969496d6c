"""First run: on an empty database, a short setup that ends on "Plan uw eerste bijeenkomst".

A new facilitator starts on an empty database and would otherwise face empty pages. The
setup asks for what the first meeting needs: the organisation's name (for the handouts),
the first neighbourhood and, optionally, the hub key file from the municipality. It
writes through the same core calls as Instellingen, Plannen and Synchroniseren
(``branding.save_organisation``, ``kit.neighbourhoods.add``, ``keys.join``), all in one
transaction: when the core refuses anything, nothing is saved, the message stands at the
field and everything typed stays. "Later" (or Esc) closes it; it is offered again at the
next start until a neighbourhood or a meeting exists, and never on the hub's database.
The Overzicht of an empty database opens it too (its "Begin met een wijk" button).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from wijkkit import branding
from wijkkit.errors import KitError, ValidationError
from wijkkit.i18n import _, gettext
from wijkkit.kit import Kit
from wijkkit.models import NEIGHBOURHOOD_KINDS
from wijkkit.sync import keys

from . import a11y
from .forms import FieldForm
from .widgets import heading, muted

OFFER_DELAY_MS = 500  # after the first page is built (main_window: one event-loop turn after the first paint)


def due(kit: Kit) -> bool:
    """An empty database (no neighbourhood, also no archived one, and no meeting) that is not the hub's."""
    return not (kit.neighbourhoods.list(include_archived=True) or kit.sessions.list() or keys.is_hub(kit))


class FirstRunDialog(QDialog):
    """Two steps: the form, then "Klaar" with "Plan uw eerste bijeenkomst"."""

    def __init__(self, kit: Kit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kit, self.neighbourhood_id, self.plan_next = kit, None, False
        self.setWindowTitle(_("Welcome to Wijkkit"))
        self.setMinimumWidth(520)
        self.stack = QStackedWidget()
        self.stack.addWidget(self._form_step())
        self.stack.addWidget(self._done_step())
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)
        self._show_step(0)

    def _form_step(self) -> QWidget:
        step = QWidget()
        column = QVBoxLayout(step)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(heading(_("Welcome to Wijkkit")))
        column.addWidget(muted(_("Three things to start with. You can change them later under Settings and Plan.")))
        self.form = FieldForm()
        self.organisation = self.form.add("organisation", _("Your organisation"), QLineEdit(
            branding.Branding.of(self.kit).organisation, placeholderText=_("the name on the handouts")))  # fmt: skip
        self.name = self.form.add("name", _("First neighbourhood"), QLineEdit(
            placeholderText=_("for example Noord or De Horst")))  # fmt: skip
        self.municipality = self.form.add("municipality", _("Municipality"), QLineEdit())
        self.kind = self.form.add("kind", _("Kind"), QComboBox())
        for key, label in NEIGHBOURHOOD_KINDS.items():
            self.kind.addItem(gettext(label), key)
        self.key_path = QLineEdit(placeholderText=_("optional: the file you received from the municipality"))
        self.choose_key_button = QPushButton(_("Choose…"), clicked=self.ask_key_file)
        key_row = QWidget()
        row = QHBoxLayout(key_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.key_path, 1)
        row.addWidget(self.choose_key_button)
        self.form.add("hub_key", _("Hub key file"), key_row)
        a11y.name(self.key_path, _("Hub key file"))  # the field in the row, not only the row
        column.addLayout(self.form)
        column.addWidget(self.form.general)
        column.addWidget(muted(_("Is this the municipality's hub? Choose Later and make it the hub under Synchronise.")))
        column.addStretch(1)
        self.later_button = QPushButton(_("Later"), clicked=self.reject)
        self.save_button = QPushButton(_("Save and continue"), objectName="primary", clicked=self.save)
        column.addLayout(_buttons(self.later_button, self.save_button))
        return step

    def _done_step(self) -> QWidget:
        step = QWidget()
        column = QVBoxLayout(step)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(heading(_("Ready to plan")))
        self.summary = muted("")
        column.addWidget(self.summary)
        column.addStretch(1)
        self.close_button = QPushButton(_("Close"), clicked=self.accept)
        self.plan_button = QPushButton(_("Plan your first meeting"), objectName="primary", clicked=self.plan_first)
        column.addLayout(_buttons(self.close_button, self.plan_button))
        return step

    def _show_step(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        self.save_button.setDefault(index == 0)  # Enter in any field saves; on the last step it plans
        self.plan_button.setDefault(index == 1)
        (self.organisation if index == 0 else self.plan_button).setFocus()

    def ask_key_file(self) -> None:
        from .pages.sync.identity import KEY_FILTER

        start = QStandardPaths.writableLocation(QStandardPaths.DocumentsLocation)
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Hub key"), start, _("Hub key ({patterns});;All files (*)").format(patterns=KEY_FILTER))
        if path:
            self.key_path.setText(path)

    def save(self) -> bool:
        """Everything at once through the core, or nothing; a refusal stands at its field."""
        key_file = self.key_path.text().strip()
        try:
            with self.kit.transaction():
                branding.save_organisation(self.kit, self.organisation.text())
                self.neighbourhood_id = self.kit.neighbourhoods.add(
                    self.name.text(), self.municipality.text(), self.kind.currentData())
                hub = _join(self.kit, Path(key_file)) if key_file else None
        except KitError as error:
            self.neighbourhood_id = None
            self.form.show_error(error)
            return False
        self.form.clear_errors()
        lines = [_("The neighbourhood {name} is saved.").format(name=self.kit.neighbourhoods.get(self.neighbourhood_id).name)]
        if hub is not None:
            lines.append(_("This laptop now sends to {name}. The hub's fingerprint is {fingerprint}: compare it "
                           "with the one the municipality gives you.").format(name=hub.name or hub.replica,
                                                                              fingerprint=hub.fingerprint))  # fmt: skip
        lines.append(_("Next: plan your first meeting, with its date, place and agenda."))
        self.summary.setText("\n\n".join(lines))
        self._show_step(1)
        return True

    def plan_first(self) -> None:
        self.plan_next = True
        self.accept()


def _join(kit: Kit, path: Path) -> keys.HubKey:
    """The hub's key, as Synchroniseren imports it; a refusal is shown at the key file's field."""
    try:
        return keys.join(kit, path)
    except ValidationError:
        raise
    except KitError as error:
        raise ValidationError(error.template, field="hub_key", **error.params) from error


def _buttons(*buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addStretch(1)
    for button in buttons:
        row.addWidget(button)
    return row


# -- from the main window ------------------------------------------------------------------------


def offer_at_start(window) -> None:
    """Called once the main window is shown: the setup opens by itself on an empty database."""
    if due(window.kit):
        QTimer.singleShot(OFFER_DELAY_MS, lambda: due(window.kit) and open_setup(window))


def open_setup(window) -> bool:
    """The setup over ``window``; on "Plan uw eerste bijeenkomst" the Plannen page and its new meeting."""
    dialog = FirstRunDialog(window.kit, parent=window)
    dialog.exec()
    dialog.deleteLater()
    if dialog.plan_next:
        open_plan(window, dialog.neighbourhood_id)
    return dialog.neighbourhood_id is not None


def open_plan(window, neighbourhood_id: str | None = None) -> None:
    """Show Plannen with the neighbourhood chosen, and open its "Nieuwe bijeenkomst" dialog."""
    found = window.nav.findItems(_("Plan"), Qt.MatchExactly)
    if not found:
        return
    index = window.nav.row(found[0])
    window.show_page(index)
    page = window.page(index)
    neighbourhood_id = neighbourhood_id or _only_neighbourhood(window.kit)
    model, view = getattr(page, "neighbourhoods", None), getattr(page, "neighbourhood_view", None)
    if neighbourhood_id and model is not None and view is not None:
        for row in range(model.rowCount()):
            if model.record(row).id == neighbourhood_id:
                view.setCurrentIndex(model.index(row, 0))
    button = getattr(page, "new_meeting_button", None)
    if button is not None:
        QTimer.singleShot(0, button.click)  # after this click's handler: the dialog is modal


def _only_neighbourhood(kit: Kit) -> str | None:
    found = kit.neighbourhoods.list()
    return found[0].id if len(found) == 1 else None
