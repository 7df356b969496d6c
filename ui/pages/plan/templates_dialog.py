"""Method templates: look at them, copy and edit them, share them as files.

Built-in templates cannot be changed; saving one stores a copy among the
facilitator's own templates (a folder beside the database). Export writes the
JSON file to hand to a colleague; import checks a colleague's file first.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wijkkit import templates
from wijkkit.errors import KitError
from wijkkit.filenames import safe_name
from wijkkit.i18n import _
from wijkkit.kit import Kit

from ...a11y import labelled
from ...files import open_file_name, save_file_name
from ...widgets import muted
from .agenda_editor import AgendaEditor


class TemplatesDialog(QDialog):
    def __init__(self, kit: Kit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Method templates"))
        screen = (parent.screen() if parent else self.screen()).availableGeometry()
        self.resize(min(1180, screen.width() - 40), min(680, screen.height() - 60))  # fits a 1024x768 screen
        self.own = templates.own_dir(kit)
        self.list = QListWidget(objectName="templates")
        self.list.setMaximumWidth(300)
        self.list.setAccessibleName(_("Method templates"))
        self.list.setWordWrap(True)
        self.name = QLineEdit()
        self.message = QLabel(objectName="formError", wordWrap=True)
        self.note = muted("")
        self.editor_holder = QVBoxLayout()
        self.editor: AgendaEditor | None = None
        self.draft: templates.TemplateDraft | None = None

        buttons = QHBoxLayout()
        self.save_button = QPushButton(_("Save"), clicked=self.save)
        self.copy_button = QPushButton(_("Copy…"), clicked=self.ask_copy)
        self.export_button = QPushButton(_("Export…"), clicked=self.ask_export)
        self.import_button = QPushButton(_("Import…"), clicked=self.ask_import)
        self.delete_button = QPushButton(_("Delete"), clicked=self.delete)
        for button in (self.save_button, self.copy_button, self.export_button, self.import_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch()
        buttons.addWidget(QPushButton(_("Close"), clicked=self.accept))

        right = QVBoxLayout()
        name_row = QHBoxLayout()
        name_row.addWidget(labelled(QLabel(_("Name")), self.name))
        name_row.addWidget(self.name, 1)
        right.addLayout(name_row)
        right.addWidget(self.note)
        right.addLayout(self.editor_holder, 1)
        right.addWidget(self.message)
        right.addLayout(buttons)
        layout = QHBoxLayout(self)
        layout.addWidget(self.list)
        layout.addLayout(right, 1)
        self.list.currentRowChanged.connect(self.show_template)
        self.reload()

    def reload(self, select_id: str | None = None) -> None:
        self.templates = templates.available(self.own)
        self.list.blockSignals(True)
        self.list.clear()
        for template in self.templates:
            suffix = _(" (built in)") if template.builtin else ""
            self.list.addItem(template.name + suffix)
        self.list.blockSignals(False)
        ids = [t.id for t in self.templates]
        self.list.setCurrentRow(ids.index(select_id) if select_id in ids else 0)
        self.show_template(self.list.currentRow())

    def current(self) -> templates.Template:
        return self.templates[self.list.currentRow()]

    def show_template(self, row: int) -> None:
        if not 0 <= row < len(self.templates):
            return
        template = self.templates[row]
        self.draft = templates.TemplateDraft(template)
        if self.editor is not None:
            self.editor.setParent(None)
            self.editor.deleteLater()
        self.editor = AgendaEditor(self.draft)
        self.editor_holder.addWidget(self.editor)
        self.name.setText(template.name)
        self.note.setText(
            _("A built-in template: your changes are saved as a copy among your own templates.")
            if template.builtin else template.description
        )  # fmt: skip
        self.delete_button.setEnabled(not template.builtin)
        self.message.clear()

    def _require_own(self) -> bool:
        if self.own is None:
            self.message.setText(_("Own templates need a database on disk."))
            return False
        return True

    def save(self) -> templates.Template | None:
        if self.draft is None or not self._require_own():
            return None
        try:
            saved = templates.save_own(self.draft.to_template(self.name.text()), self.own)
        except KitError as error:
            self.message.setText(error.localized())
            return None
        self.reload(saved.id)
        return saved

    def ask_copy(self) -> None:
        name, ok = QInputDialog.getText(self, _("Copy template"), _("Name of the copy"),
                                        text=_("Copy of {name}").format(name=self.current().name))  # fmt: skip
        if ok:
            self.copy_as(name)

    def copy_as(self, name: str) -> templates.Template | None:
        if not self._require_own():
            return None
        copy = templates.save_own(templates.copy(self.current(), name), self.own)
        self.reload(copy.id)
        return copy

    def ask_export(self) -> None:
        name = safe_name(self.current().name, _("Template")) + ".json"
        path, _filter = save_file_name(self, _("Export template"), name, _("Wijkkit template (*.json)"))
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        try:
            templates.write(self.current(), path)
        except OSError as error:
            self.message.setText(_("The file could not be written: {reason}").format(reason=error.strerror or error))
            return
        self.message.setText(_("Saved as {path}.").format(path=path))

    def ask_import(self) -> None:
        path, _filter = open_file_name(self, _("Import template"), "", _("Wijkkit template (*.json)"))
        if path:
            self.import_from(Path(path))

    def import_from(self, path: Path) -> templates.Template | None:
        if not self._require_own():
            return None
        try:
            imported = templates.import_own(path, self.own)
        except KitError as error:
            self.message.setText(error.localized())
            return None
        self.reload(imported.id)
        return imported

    def delete(self) -> None:
        if not self.current().builtin and self._require_own():
            templates.delete_own(self.current(), self.own)
            self.reload()
