"""Errors in the app become a calm Dutch message, never a traceback.

``report`` shows a ``KitError``'s own message; anything unexpected is written to
``wijkkit.log`` in the data folder and the user is told where to find it.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from wijkkit.errors import KitError
from wijkkit.i18n import _

_log_file: Path | None = None


def report(parent: QWidget | None, error: BaseException) -> None:
    if isinstance(error, KitError):
        QMessageBox.warning(parent, _("Wijkkit"), error.localized())
        return
    where = _write_log(error)
    QMessageBox.critical(
        parent,
        _("Wijkkit"),
        _("Something unexpected went wrong. Your saved work is safe. Details are in {path}.").format(path=where),
    )


def _write_log(error: BaseException) -> str:
    text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    if _log_file is None:
        sys.stderr.write(text)
        return "stderr"
    with _log_file.open("a", encoding="utf-8") as handle:
        handle.write(text + "\n")
    return str(_log_file)


def install(log_dir: Path) -> None:
    """Route uncaught exceptions in Qt callbacks to ``report``."""
    global _log_file
    _log_file = log_dir / "wijkkit.log"

    def hook(kind, error, tb):
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        report(None, error.with_traceback(tb))

    sys.excepthook = hook
