"""Instellingen: where the data lives, which laptop this is, the database's recovery sheet, and the language."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)

from wijkkit import __version__, branding, schema
from wijkkit.errors import KitError
from wijkkit.i18n import _, current_language
from wijkkit.kit import Kit

from ..a11y import label_for, name
from ..files import open_file_name, save_file_name
from ..forms import FieldForm
from ..projector_screen import ScreenChoice
from ..widgets import Card, ElidedLines, Page, muted

LANGUAGES = (("nl", "Nederlands"), ("en", "English"))


class SettingsPage(Page):
    def __init__(self, kit: Kit) -> None:
        super().__init__(_("Settings"), _("Where your data is kept, the name on the handouts, and the language."))
        self.kit = kit
        about = Card(_("This installation"))
        form = QFormLayout()
        for label, value in (
            (_("Version"), __version__),
            (_("Database"), str(kit.path or _("in memory"))),
            (_("Laptop id (for sync)"), kit.replica_id),
            (_("Schema version"), str(schema.schema_version())),
        ):
            field = ElidedLines(1, "")  # a long path elides instead of widening the window
            field.setText(value)
            field.setTextInteractionFlags(field.textInteractionFlags() | field.textInteractionFlags().TextSelectableByMouse)
            form.addRow(label + ":", field)
        self.projector_screen = ScreenChoice()  # which screen the projector opens on, on this computer
        self.projector_screen.setMaximumWidth(420)
        name(self.projector_screen, _("Projector screen"))  # a combo box reads its value, not its label
        form.addRow(_("Projector screen") + ":", self.projector_screen)
        about.body.addLayout(form)
        self.layout_.addWidget(about)

        handouts = Card(_("Handouts"))
        self.form = FieldForm()
        current = branding.Branding.of(kit)
        stored_logo = kit.conn.execute("SELECT value FROM _meta WHERE key = 'org_logo'").fetchone()
        self.organisation = self.form.add("organisation", _("Organisation"), QLineEdit(current.organisation))
        self.logo = QLineEdit(stored_logo[0] if stored_logo else "")
        logo_row = QWidget()
        row = QHBoxLayout(logo_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.logo, 1)
        row.addWidget(QPushButton(_("Choose…"), clicked=self._choose_logo))
        self.form.add("logo", _("Logo (PNG or JPEG)"), logo_row)
        name(self.logo, _("Logo (PNG or JPEG)"))
        self.privacy_contact = self.form.add("privacy_contact", _("Privacy contact"), QLineEdit(
            current.privacy_contact, placeholderText=_("e-mail, phone or address, for the residents' privacy sheet")))
        self.save_button = QPushButton(_("Save"), clicked=self.save_branding)
        self.saved = muted("")
        save_row = QHBoxLayout()  # "Opgeslagen." beside the button: the page fits 1280x720 at 150 %
        save_row.addWidget(self.save_button, 1)
        save_row.addWidget(self.saved)
        self.form.addRow("", save_row)
        handouts.body.addLayout(self.form)
        handouts.body.addWidget(self.form.general)
        self.layout_.addWidget(handouts)

        language = Card(_("Language"))
        self.language = QComboBox(objectName="language")
        self.language.setMaximumWidth(320)
        label_for(language.heading, self.language)  # a combo's only name on Linux
        for code, language_name in LANGUAGES:
            self.language.addItem(language_name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(current_language())))
        self.language.currentIndexChanged.connect(self._save_language)
        language.body.addWidget(self.language)
        language.body.addWidget(muted(_("The new language is used the next time Wijkkit starts.")))
        side_by_side = QHBoxLayout()  # two small cards in one row, so the page fits 1280x720
        side_by_side.setSpacing(12)
        side_by_side.addWidget(self._key_card(), 3)
        side_by_side.addWidget(language, 2)
        self.layout_.addLayout(side_by_side)
        self.layout_.addStretch(1)

    def _key_card(self) -> Card:
        card = Card(_("Database key"))
        card.body.addWidget(muted(_(
            "The database is encrypted. Print its recovery sheet and keep it locked away: without the key on "
            "this computer or the sheet, the data is lost.")))  # fmt: skip
        self.recovery_button = QPushButton(_("Print recovery sheet…"), clicked=self.ask_recovery_sheet)
        self.recovery_button.setEnabled(self.kit.path is not None)
        self.recovery_button.setMaximumWidth(320)
        card.body.addWidget(self.recovery_button)
        return card

    def ask_recovery_sheet(self) -> None:
        path, _filter = save_file_name(self, _("Save the recovery sheet"), "herstelblad.pdf", "PDF (*.pdf)")
        if path and self.save_recovery_sheet(Path(path)):
            QDesktopServices.openUrl(QUrl.fromLocalFile(path))  # printed from the PDF viewer

    def save_recovery_sheet(self, path: Path) -> bool:
        """The sheet as a PDF only this user may read (it holds the key)."""
        from wijkkit.atomic import write_atomically
        from wijkkit.handouts import pdf_bytes

        try:
            write_atomically(path, pdf_bytes("recovery", self.kit), private=True)
        except KitError as error:
            QMessageBox.warning(self, _("Database key"), error.localized())
            return False
        except OSError as error:
            QMessageBox.warning(self, _("Database key"), _("The file could not be written: {reason}").format(
                reason=error.strerror or error))  # fmt: skip
            return False
        return True

    def _choose_logo(self) -> None:
        path, _filter = open_file_name(self, _("Logo"), "", _("Pictures (*.png *.jpg *.jpeg)"))
        if path:
            self.logo.setText(path)

    def save_branding(self) -> bool:
        try:
            branding.save(self.kit, self.organisation.text(), self.logo.text(), self.privacy_contact.text())
        except KitError as error:
            self.form.show_error(error)
            return False
        self.form.clear_errors()
        self.saved.setText(_("Saved."))
        return True

    def _save_language(self) -> None:
        QSettings().setValue("view/language", self.language.currentData())
