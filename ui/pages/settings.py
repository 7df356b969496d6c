"""Instellingen: where the data lives, which laptop this is, and the language."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel

from wijkkit import __version__, schema
from wijkkit.i18n import _, current_language
from wijkkit.kit import Kit

from ..widgets import Card, Page, muted

LANGUAGES = (("nl", "Nederlands"), ("en", "English"))


class SettingsPage(Page):
    def __init__(self, kit: Kit) -> None:
        super().__init__(_("Settings"), _("Where your data is kept, and the language of the app."))
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

    def _save_language(self) -> None:
        QSettings().setValue("view/language", self.language.currentData())
