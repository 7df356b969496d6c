"""File dialogs that open where people keep their files, in the app's language.

Every "Opslaan als…", "Kiezen…" and "Openen…" goes through here, so each starts in the folder
last used for files (kept in the settings) or else the user's Documents folder, never the
working folder the app happened to be started in. A name suggested for a new file is put in
that folder. Qt's own Dutch catalogue (qtbase_nl, loaded by ui.app) lacks two labels of Qt's
file dialog ("&Look in:", "Files of &type:", with their shortcut letters); they are set from
the same catalogue's words without the shortcut. (A QTranslator subclass in Python that adds
them makes Qt abort in the tests: Qt calls it from its own threads and while tearing down.)
On Windows and macOS the system's own dialog is used, in the system's language.

``viewer_copy`` writes a copy for another program (the PDF viewer) into a Wijkkit folder in
the temporary folder, under a new readable name each time: Acrobat or Edge on Windows holds
the file it shows, so writing over the previous copy would fail. Copies older than an hour
are removed at the next one, all of them when Wijkkit quits and those a crash left at the
next start (``clear_viewer_copies``): handouts name residents, and the temporary folder is no
place to leave them. A copy still held by the viewer is left for the next time.
"""

from __future__ import annotations

import os
import tempfile
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from wijkkit.atomic import write_atomically
from wijkkit.filenames import fresh_path, remove_older, safe_name
from wijkkit.paths import private_folder

LAST_FOLDER = "files/lastFolder"
VIEWER_FOLDER = "wijkkit-pdf"
VIEWER_KEEP = 3600  # seconds a copy for the viewer is kept while Wijkkit runs


def documents() -> Path:
    """The user's Documents folder; the home folder where there is none."""
    found = QStandardPaths.writableLocation(QStandardPaths.DocumentsLocation)
    return Path(found) if found and Path(found).is_dir() else Path.home()


def start_folder() -> Path:
    """The folder last used for a file, while it exists; else Documents."""
    last = str(QSettings().value(LAST_FOLDER, "") or "")
    if last and Path(last).is_dir():
        return Path(last)
    return documents()


def _start(suggested: str | Path = "") -> str:
    """Where a dialog opens: an absolute path as given, else ``suggested`` (a file name) in ``start_folder``."""
    if suggested and Path(suggested).is_absolute():
        return str(suggested)
    return str(start_folder() / suggested) if suggested else str(start_folder())


def _remember(path: str) -> str:
    if path:
        chosen = Path(path)
        QSettings().setValue(LAST_FOLDER, str(chosen if chosen.is_dir() else chosen.parent))
    return path


def _folder_or_start(folder: str) -> str:
    return folder if folder and Path(folder).is_dir() else _start()


def _ask(parent: QWidget | None, caption: str, start: str, filters: str, mode: QFileDialog.FileMode,
         save: bool = False) -> tuple[list[str], str]:  # fmt: skip
    """Qt's file dialog as its static functions show it, with every label in the app's language."""
    dialog = QFileDialog(parent, caption, start, filters)
    dialog.setFileMode(mode)
    dialog.setAcceptMode(QFileDialog.AcceptSave if save else QFileDialog.AcceptOpen)
    if mode == QFileDialog.Directory:
        dialog.setOption(QFileDialog.ShowDirsOnly)
    for label, words in ((QFileDialog.LookIn, "Look in:"), (QFileDialog.FileType, "Files of type:")):
        dialog.setLabelText(label, QCoreApplication.translate("QFileDialog", words))
    try:
        if not dialog.exec():
            return [], ""
        return dialog.selectedFiles(), dialog.selectedNameFilter()
    finally:
        dialog.deleteLater()


# Drop-ins for QFileDialog's static functions, with their arguments and results.


def save_file_name(parent: QWidget | None, caption: str, suggested: str = "", filters: str = "") -> tuple[str, str]:
    """A file to write: ``suggested`` (a name) in the start folder. ('', '') when cancelled."""
    paths, chosen = _ask(parent, caption, _start(suggested), filters, QFileDialog.AnyFile, save=True)
    return _remember(paths[0] if paths else ""), chosen


def open_file_name(parent: QWidget | None, caption: str, folder: str = "", filters: str = "") -> tuple[str, str]:
    """An existing file, opening in ``folder`` when it exists, else the start folder."""
    paths, chosen = _ask(parent, caption, _folder_or_start(folder), filters, QFileDialog.ExistingFile)
    return _remember(paths[0] if paths else ""), chosen


def open_file_names(parent: QWidget | None, caption: str, folder: str = "", filters: str = "") -> tuple[list[str], str]:
    paths, chosen = _ask(parent, caption, _folder_or_start(folder), filters, QFileDialog.ExistingFiles)
    if paths:
        _remember(paths[0])
    return paths, chosen


def existing_directory(parent: QWidget | None, caption: str, folder: str = "") -> str:
    """A folder, opening at ``folder`` when it exists, else the start folder. '' when cancelled."""
    paths, _chosen = _ask(parent, caption, _folder_or_start(folder), "", QFileDialog.Directory)
    return _remember(paths[0] if paths else "")


# Copies handed to another program.


def viewer_folder(base: Path | None = None) -> Path:
    """``wijkkit-pdf`` in the temporary folder, for this user only (handouts name residents). Where
    another user made that folder first (one /tmp on Linux), a new folder of this user's own."""
    base = Path(base or tempfile.gettempdir())
    folder = base / VIEWER_FOLDER
    try:
        private_folder(folder)
        if folder.is_symlink() or (hasattr(os, "getuid") and folder.stat().st_uid != os.getuid()):
            raise PermissionError(folder)
    except OSError:
        folder = Path(tempfile.mkdtemp(prefix=VIEWER_FOLDER + "-", dir=base))
    return folder


def clear_viewer_copies(base: Path | None = None, older_than: float = -1.0) -> None:
    """Remove the copies handed to the viewer that are not held any more: all of them at quit, and
    at start those a crash left (``older_than`` a minute: another Wijkkit may have just made one)."""
    folder = Path(base or tempfile.gettempdir()) / VIEWER_FOLDER
    if folder.is_dir() and not folder.is_symlink():
        remove_older(folder, older_than)


def viewer_copy(data: bytes, title: str, suffix: str = ".pdf", base: Path | None = None,
                now: datetime | None = None) -> Path:  # fmt: skip
    """Write ``data`` as a new file named after ``title`` and the time, e.g. ``Programma 2027-03-01
    19.30.05.pdf``, for the system's viewer; older copies are cleared away first."""
    folder = viewer_folder(base)
    remove_older(folder, VIEWER_KEEP)
    stem = f"{safe_name(title)} {(now or datetime.now()):%Y-%m-%d %H.%M.%S}"
    return write_atomically(fresh_path(folder, stem, suffix), data, private=True)
