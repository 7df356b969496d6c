"""Asking for a database's passphrase in the app (portable mode, or a database made with ``--passphrase``),
and for the recovery sheet's characters when a database's key is missing on this computer.

The core's keystore asks through the function ``install`` hands it; this is the Qt side:
a password field in a small dialog, asked twice for a new passphrase. Cancel gives None,
and the keystore then refuses to open, leaving the file as it was.
"""

from __future__ import annotations

from pathlib import Path

from wijkkit import keystore
from wijkkit.i18n import _


def ask(database: Path, new: bool) -> str | None:
    # asked rarely: the dialogs' classes are not loaded before the first frame
    from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox

    label = (_("Choose a passphrase for the database {name}. Without it, or the recovery sheet, the data "
               "cannot be opened.") if new else _("Passphrase for the database {name}:")).format(name=database.name)  # fmt: skip
    typed, ok = QInputDialog.getText(None, _("Passphrase"), label, QLineEdit.EchoMode.Password)
    if not ok or not typed:
        return None
    if new:
        again, ok = QInputDialog.getText(None, _("Passphrase"), _("The same passphrase again:"),
                                         QLineEdit.EchoMode.Password)  # fmt: skip
        if not ok or again != typed:
            QMessageBox.warning(None, _("Passphrase"), _("The two passphrases differ."))
            return None
    return typed


def restore_from_sheet(database: Path) -> bool:
    """The key of ``database`` is missing: offer to type it from its recovery sheet. True once it is kept."""
    from PySide6.QtWidgets import QInputDialog, QMessageBox

    from wijkkit import recovery
    from wijkkit.errors import KitError

    label = _("The key of the database {name} is not on this computer. If you have its recovery sheet, type "
              "the {count} groups of four characters (spaces and capitals do not matter).").format(
        name=database.name, count=14)  # fmt: skip
    while True:
        typed, ok = QInputDialog.getText(None, _("Restore the key"), label)
        if not ok or not typed.strip():
            return False
        try:
            recovery.restore(database, typed)
            return True
        except KitError as exc:
            QMessageBox.warning(None, _("Restore the key"), exc.localized())


def install(wrap_new: bool = False) -> None:
    keystore.configure(prompt=ask, wrap_new=wrap_new)
