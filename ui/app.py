"""Starts the desktop app: the QApplication, translations, the database, the window.

``run`` is called by ``wijkkit`` (the core's command line) when no subcommand is
given. Only what the first window needs is imported here; reportlab and sync code
are imported later, by the pages that use them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QLockFile, QSettings, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from wijkkit import i18n, paths
from wijkkit.errors import KitError
from wijkkit.kit import Kit

from . import errors
from .style import STYLESHEET


def make_application(language: str | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("Wijkkit")
    app.setApplicationName("Wijkkit")
    language = i18n.set_language(language or QSettings().value("view/language") or None)
    if language != "en":
        QLocale.setDefault(QLocale(language))
        translator = QTranslator(app)
        if translator.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.TranslationsPath)):
            app.installTranslator(translator)
    app.setStyleSheet(STYLESHEET)
    return app


def open_kit(data_dir: Path, demo: bool = False) -> Kit:
    database = data_dir / paths.DATABASE_NAME
    if demo and not database.exists():
        from wijkkit import demo as demo_village

        demo_village.create(database)
    return Kit.open(database)


def single_instance(data_dir: Path) -> QLockFile | None:
    """A lock on the data folder; None when another Wijkkit already has it open.

    Two copies on one database would each keep their own view of the evening. A lock
    left behind by a crashed Wijkkit is stale and taken over, so a restart works.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    lock = QLockFile(str(data_dir / "wijkkit.lock"))
    lock.setStaleLockTime(0)
    return lock if lock.tryLock(200) else None


def run(args: argparse.Namespace) -> int:
    if args.smoke_test:
        from .smoke import smoke_test

        return smoke_test(args.lang)
    app = make_application(args.lang)
    data_dir = paths.data_dir(args.data_dir)
    lock = single_instance(data_dir)
    if lock is None:
        QMessageBox.warning(None, i18n._("Wijkkit"), i18n._(
            "Wijkkit is already open with this data, in another window. Use that window: two copies at "
            "once could overwrite each other's work."))  # fmt: skip
        print(f"error: Wijkkit is already running with the data in {data_dir}", file=sys.stderr)
        return 2
    try:
        kit = open_kit(data_dir, args.demo)
    except KitError as exc:
        QMessageBox.critical(None, i18n._("Wijkkit"), exc.localized())
        print(f"error: {exc.english()}", file=sys.stderr)
        return 2
    errors.install(data_dir)
    from .main_window import MainWindow

    window = MainWindow(kit)
    window.restore_geometry()
    window.show()
    try:
        return app.exec()
    finally:
        kit.close()
        lock.unlock()
