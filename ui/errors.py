"""Errors in the app become a calm Dutch message, never a traceback.

``report`` shows a ``KitError``'s own message; anything unexpected is written to
``wijkkit.log`` in the data folder and the user is told where to find it.

The log must hold no personal data, since the data folder can be copied or sent to a
helper: it records only the exception's type and where it happened (file, line and
function of each frame, and the same for its causes), never its message, values or
local variables, which may contain a resident's name. It is 0600 on Linux and macOS,
and rotated at 256 kB, keeping three files.
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from pathlib import Path

from PySide6.QtWidgets import QWidget

from wijkkit import paths
from wijkkit.errors import KitError
from wijkkit.i18n import _

_log_file: Path | None = None
_logger = logging.getLogger("wijkkit.app")
_logger.propagate = False
LOG_BYTES = 256 * 1024
LOG_FILES = 3


def _open_log(path: Path) -> logging.Handler:
    """The rotating log, each file made 0600 before it is opened (also after a rotation). Made on the
    first error, so that starting the app does not pay for importing logging.handlers."""
    from logging.handlers import RotatingFileHandler

    class PrivateLog(RotatingFileHandler):
        def _open(self):
            paths.touch_private(Path(self.baseFilename))
            paths.make_private(Path(self.baseFilename))
            return super()._open()

    handler = PrivateLog(path, maxBytes=LOG_BYTES, backupCount=LOG_FILES - 1, encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    return handler


def describe(error: BaseException) -> str:
    """The exception's type and frames, and those of its causes: no message, no values."""
    parts: list[str] = []
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        kind = type(error)
        parts.append(f"{kind.__module__}.{kind.__qualname__}")
        parts += [f'  File "{f.filename}", line {f.lineno}, in {f.name}' for f in traceback.extract_tb(error.__traceback__)]
        error = error.__cause__ or error.__context__
        if error is not None:
            parts.append("caused by:")
    return "\n".join(parts)


def report(parent: QWidget | None, error: BaseException) -> None:
    # the dialogs' classes are not loaded before the first frame
    from PySide6.QtWidgets import QMessageBox

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
    """Where the description went: the data folder's log once ``install`` has run; before that stderr,
    or, in a windowed start without one (None, or the null device the launcher puts there), the log
    in the configuration folder."""
    text = describe(error)
    log_file = _log_file
    if log_file is None:
        if sys.stderr is not None and getattr(sys.stderr, "name", "") != os.devnull:
            sys.stderr.write(text + "\n")
            return "stderr"
        log_file = paths.config_dir() / "wijkkit.log"
    try:
        if not _logger.handlers:
            paths.private_folder(log_file.parent)
            _logger.addHandler(_open_log(log_file))
        _logger.error(text)
    except OSError:  # no log at all: the dialog still tells that something went wrong
        return "wijkkit.log"
    return str(log_file)


def install(log_dir: Path) -> None:
    """Route uncaught exceptions in Qt callbacks to ``report``."""
    global _log_file
    _log_file = log_dir / "wijkkit.log"
    for old in list(_logger.handlers):
        _logger.removeHandler(old)
        old.close()

    def hook(kind, error, tb):
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        report(None, error.with_traceback(tb))

    sys.excepthook = hook
