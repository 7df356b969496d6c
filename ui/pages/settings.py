"""Instellingen: where the data lives, which laptop this is, and the language."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from wijkkit import __version__, branding, schema
from wijkkit.errors import KitError
from wijkkit.i18n import _, current_language
from wijkkit.kit import Kit

from ..forms import FieldForm
from ..widgets import Card, Page, muted

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
            field = QLabel(value)
            field.setTextInteractionFlags(field.textInteractionFlags() | field.textInteractionFlags().TextSelectableByMouse)
            form.addRow(label + ":", field)
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
        self.save_button = QPushButton(_("Save"), clicked=self.save_branding)
        self.form.addRow("", self.save_button)
        handouts.body.addLayout(self.form)
        handouts.body.addWidget(self.form.general)
        self.saved = muted("")
        handouts.body.addWidget(self.saved)
        self.layout_.addWidget(handouts)

        language = Card(_("Language"))
        self.language = QComboBox(objectName="language")
        self.language.setMaximumWidth(320)
        for code, name in LANGUAGES:
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(current_language())))
        self.language.currentIndexChanged.connect(self._save_language)
        language.body.addWidget(self.language)
        language.body.addWidget(muted(_("The new language is used the next time Wijkkit starts.")))
        self.layout_.addWidget(language)
        self.layout_.addStretch(1)

    def _choose_logo(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Logo"), "", _("Pictures (*.png *.jpg *.jpeg)"))
        if path:
            self.logo.setText(path)

    def save_branding(self) -> bool:
        try:
            branding.save(self.kit, self.organisation.text(), self.logo.text())
        except KitError as error:
            self.form.show_error(error)
            return False
        self.form.clear_errors()
        self.saved.setText(_("Saved."))
        return True

    def _save_language(self) -> None:
        QSettings().setValue("view/language", self.language.currentData())
