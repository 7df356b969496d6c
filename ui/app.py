"""Starts the desktop app: the QApplication, translations, the database, the window.

The database is encrypted: its key is found by wijkkit.keystore, which asks for a
passphrase through ui/passphrase.py when the database has one.

``run`` is called by ``wijkkit`` (the core's command line) when no subcommand is
given. Only what the first window needs is imported here; reportlab and sync code
are imported later, by the pages that use them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import (
    QLibraryInfo,
    QLocale,
    QLockFile,
    QMargins,
    QRect,
    QSettings,
    QSize,
    QTimer,
    QTranslator,
)
from PySide6.QtWidgets import QApplication, QMessageBox

from wijkkit import i18n, paths
from wijkkit.errors import KitError, MissingKeyError
from wijkkit.kit import Kit

from . import errors, passphrase
from .style import STYLESHEET

_qt_words: dict[str, QTranslator] = {}  # Qt's own catalogue, installed once per application


def make_application(language: str | None = None) -> QApplication:
    """The application in ``language``; asked again (the tests do), it only switches the language:
    the style sheet is set once, and one Qt catalogue is installed at a time, since each extra one
    is consulted for every text Qt translates and restyling re-polishes every widget."""
    existing = QApplication.instance()
    app = existing or QApplication(sys.argv[:1])
    app.setOrganizationName("Wijkkit")
    app.setApplicationName("Wijkkit")
    language = i18n.set_language(language or QSettings().value("view/language") or None)
    old = _qt_words.pop("installed", None)
    if old is not None:
        app.removeTranslator(old)
    if language != "en":
        QLocale.setDefault(QLocale(language))
        translator = QTranslator(app)
        if translator.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.TranslationsPath)):
            app.installTranslator(translator)  # Qt's own dialogs (files, printing, messages) in Dutch
            _qt_words["installed"] = translator
    if existing is None or app.styleSheet() != STYLESHEET:
        app.setStyleSheet(STYLESHEET)
    return app


def open_kit(data_dir: Path, demo: bool = False) -> Kit:
    database = data_dir / paths.DATABASE_NAME
    if demo and not database.exists():
        from wijkkit import demo as demo_village

        demo_village.create(database)
    return Kit.open(database)


DEFAULT_SIZE = QSize(1366, 768)
FRAME = QMargins(8, 40, 8, 8)  # title bar and borders, before the window manager has told us its own


def default_geometry(available: QRect) -> QRect:
    """The first window (no saved geometry): at most 1366x768, and with its title bar and borders inside
    the screen's free area (above the taskbar), centred in it. ``available`` is the screen's
    ``availableGeometry()``; the result is for ``setGeometry`` (the inside of the frame)."""
    width = min(DEFAULT_SIZE.width(), available.width() - FRAME.left() - FRAME.right())
    height = min(DEFAULT_SIZE.height(), available.height() - FRAME.top() - FRAME.bottom())
    outer = QRect(0, 0, width, height).marginsAdded(FRAME)
    outer.moveCenter(available.center())
    return outer.marginsRemoved(FRAME)


def window_title(kit: Kit) -> str:
    """The hub's window and a laptop's are told apart at a glance: the hub says so, a laptop names its file."""
    from wijkkit.sync import keys

    if keys.is_hub(kit):
        return i18n._("Wijkkit — municipality (hub)")
    if kit.path is None:
        return i18n._("Wijkkit")
    return i18n._("Wijkkit — {file}").format(file=Path(kit.path).name)


def show_key_notices() -> None:
    """Told once: the database key is kept in a file, so the disk should be encrypted."""
    from wijkkit import keystore

    for notice in keystore.take_notices():
        QMessageBox.information(None, i18n._("Wijkkit"), notice.localized())


def single_instance(data_dir: Path) -> QLockFile | None:
    """A lock on the data folder; None when another Wijkkit already has it open.

    Two copies on one database would each keep their own view of the evening. A lock
    left behind by a crashed Wijkkit is stale and taken over, so a restart works. A folder
    that cannot be written to (read-only media, another user's folder) is not "already
    open": it raises ``paths.ReadOnlyFolderError``.
    """
    paths.writable_folder(data_dir)  # residents' data: this user only (0700 on Linux and macOS)
    lock = QLockFile(str(data_dir / "wijkkit.lock"))
    lock.setStaleLockTime(0)
    if lock.tryLock(200):
        return lock
    if lock.error() != QLockFile.LockError.LockFailedError:  # the lock file itself could not be made
        raise paths.ReadOnlyFolderError(folder=str(data_dir))
    return None


RETENTION_DELAY_MS = 1500  # what is past the retention period is looked up once the first page is there


def _offer_retention(window) -> None:
    from .retention_dialog import (
        show_if_due,  # once a day at most; imported here to keep start-up short
    )

    show_if_due(window)


def _refuse(exc: KitError) -> int:
    QMessageBox.critical(None, i18n._("Wijkkit"), exc.localized())
    print(f"error: {exc.english()}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    if args.smoke_test:
        from .smoke import smoke_test

        return smoke_test(args.lang)
    app = make_application(args.lang)
    passphrase.install(wrap_new=bool(getattr(args, "passphrase", False)))
    data_dir = paths.data_dir(args.data_dir)
    try:
        lock = single_instance(data_dir)
    except KitError as exc:
        return _refuse(exc)
    if lock is None:
        QMessageBox.warning(None, i18n._("Wijkkit"), i18n._(
            "Wijkkit is already open with this data, in another window. Use that window: two copies at "
            "once could overwrite each other's work."))  # fmt: skip
        print(f"error: Wijkkit is already running with the data in {data_dir}", file=sys.stderr)
        return 2
    try:
        kit = open_kit(data_dir, args.demo)
    except MissingKeyError as exc:
        if not passphrase.restore_from_sheet(data_dir / paths.DATABASE_NAME):
            return _refuse(exc)
        kit = open_kit(data_dir, args.demo)
    except KitError as exc:
        return _refuse(exc)
    errors.install(data_dir)
    show_key_notices()
    from .main_window import MainWindow

    window = MainWindow(kit)
    window.restore_geometry()
    window.show()
    from .first_run import offer_at_start

    offer_at_start(window)  # an empty database: the short setup (not the demo, not the hub)
    QTimer.singleShot(RETENTION_DELAY_MS, lambda: _offer_retention(window))
    try:
        return app.exec()
    finally:
        kit.close()
        lock.unlock()
