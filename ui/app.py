"""Starts the desktop app: the QApplication, translations, the database, the window.

The database is encrypted: its key is found by wijkkit.keystore, which asks for a
passphrase through ui/passphrase.py when the database has one.

``run`` is called by ``wijkkit_launcher`` when no subcommand is given. Only what the
first window needs is imported here; reportlab and sync code are imported later, by the
pages that use them, and so is what only a rare start needs (a lock left on another
computer, a file to open).

In portable mode (a ``wijkkit-data`` folder beside the executable) Qt's settings are kept
in that folder too, as an ini file, not in the registry or ~/Library: a USB stick then
carries the window, the last folders and the sync folders along with the data.
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
from PySide6.QtWidgets import QApplication

from wijkkit import i18n, paths
from wijkkit.errors import KitError, MissingKeyError
from wijkkit.kit import Kit

from . import errors, passphrase, shaping
from .style import apply_style, finish_style

_qt_words: dict[str, QTranslator] = {}  # Qt's own catalogue, installed once per application


def portable_settings(folder: Path | None) -> None:
    """Every ``QSettings()`` made from now on writes ``folder/Wijkkit/Wijkkit.ini`` (portable mode)."""
    if folder is None:
        return
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))


def make_application(language: str | None = None, first_frame: bool = False) -> QApplication:
    """The application in ``language``; asked again (the tests do), it only switches the language:
    the style sheet is set once, and one Qt catalogue is installed at a time, since each extra one
    is consulted for every text Qt translates and restyling re-polishes every widget.

    ``first_frame``: only what the first window shows (the app's start, ``run``); ``finish_application``
    adds the rest once that window has been painted."""
    portable_settings(paths.portable_dir())  # before the first QSettings below
    existing = QApplication.instance()
    app = existing or QApplication(sys.argv[:1])
    app.setOrganizationName("Wijkkit")
    app.setApplicationName("Wijkkit")
    if sys.platform != "darwin":  # macOS takes the .app's icns; a PNG there would replace it in the Dock
        from PySide6.QtGui import QIcon

        from wijkkit.assets import resource

        app.setWindowIcon(QIcon(str(resource("icons", "wijkkit-256.png"))))  # tools/icons.py makes it
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
    apply_style(app, first_frame)  # a light palette beside the style sheet, whatever the system's colours
    if not first_frame:
        finish_application(app)
    return app


def finish_application(app: QApplication) -> None:
    """What the first frame does without: the darker field borders and the focus ring (it shows no
    field and nothing has the focus yet), and Qt's text shaper for the handouts (ui/shaping.py
    imports the handouts' code), so that handouts shape Devanagari, Tamil, Thai... with Qt's
    HarfBuzz. Asked again, nothing changes."""
    finish_style(app)
    shaping.install()


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
    if kit._meta("sync_role") == "hub":  # keys.is_hub, without importing the sync package before the first frame
        return i18n._("Wijkkit — municipality (hub)")
    if kit.path is None:
        return i18n._("Wijkkit")
    return i18n._("Wijkkit — {file}").format(file=Path(kit.path).name)


def show_key_notices() -> None:
    """Told once: the database key is kept in a file, so the disk should be encrypted."""
    from wijkkit import keystore

    for notice in keystore.take_notices():
        # the dialogs' classes are loaded only when there is something to say
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.information(None, i18n._("Wijkkit"), notice.localized())


class HeldElsewhere(Exception):
    """The data folder's lock belongs to Wijkkit on another computer, and it was not taken over."""

    def __init__(self, host: str) -> None:
        super().__init__(host)
        self.host = host


def single_instance(data_dir: Path) -> QLockFile | None:
    """A lock on the data folder; None when another Wijkkit already has it open.

    Two copies on one database would each keep their own view of the evening. A lock
    left behind by a crashed Wijkkit on this computer is stale and taken over, so a restart
    works. One written on another computer (a USB stick, a network folder) cannot be
    checked from here: the user is asked (``lock_from_elsewhere``), and ``HeldElsewhere``
    is raised when they keep it. A folder that cannot be written to (read-only media,
    another user's folder) is not "already open": it raises ``paths.ReadOnlyFolderError``.
    """
    paths.writable_folder(data_dir)  # residents' data: this user only (0700 on Linux and macOS)
    lock = QLockFile(str(data_dir / "wijkkit.lock"))
    lock.setStaleLockTime(0)
    if lock.tryLock(200):
        return lock
    if lock.error() != QLockFile.LockError.LockFailedError:  # the lock file itself could not be made
        raise paths.ReadOnlyFolderError(folder=str(data_dir))
    _pid, host, _program = lock.getLockInfo()
    if host or (data_dir / "wijkkit.lock").exists():  # no host: a lock file left empty or damaged
        return lock_from_elsewhere(lock, data_dir, host)
    return None


def lock_from_elsewhere(lock: QLockFile, data_dir: Path, host: str) -> QLockFile | None:
    """The lock that ``lock`` could not take: None when Wijkkit on this computer holds it; when another
    computer wrote it (or nobody can tell: an empty or damaged lock file), the lock taken over after
    the user said yes (``HeldElsewhere`` on no).

    Qt checks a lock's process only on the computer that wrote it: one left by a crash on another
    laptop, or on a USB stick pulled out, would otherwise be refused for ever."""
    from PySide6.QtCore import QFileInfo, QSysInfo  # the rare path: imported only here
    from PySide6.QtWidgets import QMessageBox

    path = data_dir / "wijkkit.lock"
    try:  # Qt's lines: process id, program, host name, machine id, boot id
        machine = path.read_text(encoding="utf-8", errors="replace").split("\n")[3:4]
    except OSError:
        machine = []
    ours = bytes(QSysInfo.machineUniqueId().data()).decode("ascii", "replace")
    same_machine = machine[0] == ours if machine and machine[0] and ours else host == QSysInfo.machineHostName()
    if host and same_machine:
        return None  # Qt knows whether a process here still holds it: it does
    since = QLocale().toString(QFileInfo(str(path)).lastModified(), "d MMMM yyyy HH:mm")
    if host:
        text = i18n._("The data in {folder} is still marked as open on another computer, {host}, since {time}.").format(
            folder=data_dir, host=host, time=since)
        why = i18n._("That happens when Wijkkit was not closed there: after a crash, or when the USB stick was "
                     "pulled out. Only take over when Wijkkit is really closed on that computer: two copies at "
                     "once could overwrite each other's work.")  # fmt: skip
    else:  # an empty or damaged lock file: written when the power failed or the stick was pulled
        host = i18n._("(unknown)")
        text = i18n._("The data in {folder} is marked as open since {time}, but the mark is damaged: it does not "
                      "say by which computer.").format(folder=data_dir, time=since)  # fmt: skip
        why = i18n._("That happens when Wijkkit was stopped while writing it: a power failure, or a USB stick "
                     "pulled out. Only take over when Wijkkit is not open on another computer with this data: "
                     "two copies at once could overwrite each other's work.")  # fmt: skip
    box = QMessageBox(QMessageBox.Icon.Warning, i18n._("Wijkkit"), text)
    box.setInformativeText(why)
    take_over = box.addButton(i18n._("Take over and open"), QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(box.addButton(i18n._("Cancel"), QMessageBox.ButtonRole.RejectRole))
    box.exec()
    if box.clickedButton() is not take_over:
        raise HeldElsewhere(host)
    if lock.removeStaleLockFile() and lock.tryLock(200):
        return lock
    return None  # it is in use after all (a Wijkkit that runs on a shared folder): "already open"


LATER_DELAY_MS = 1500  # what can wait until the first page is there


def _later_at_start(window) -> None:
    """Housekeeping that need not delay the first window: copies for the PDF viewer a crash left
    behind, and what is past the retention period (asked once a day at most)."""
    from .files import clear_viewer_copies
    from .retention_dialog import show_if_due

    clear_viewer_copies(older_than=60)
    show_if_due(window)


def _offer_setup(window) -> None:
    """An empty database: the short setup (not the demo, not the hub); its module and its queries
    wait until the first frame and the first page are on the screen."""
    from .first_run import offer_at_start

    offer_at_start(window)


def _refuse(exc: KitError) -> int:
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.critical(None, i18n._("Wijkkit"), exc.localized())
    print(f"error: {exc.english()}", file=sys.stderr)  # a no-op without a console (stderr None)
    return 2


def _files_from_the_system(app: QApplication, window=None, path: Path | None = None) -> None:
    """Files the system asks Wijkkit to open (file associations for .wijksync and .wijkhub, ui/open_file.py):
    on Windows and Linux ``path`` from the command line, once the window shows; on macOS Finder's
    QFileOpenEvents, caught from the start (without a window they wait for it). Elsewhere nothing
    is imported when no file was given, so an ordinary start stays short."""
    if sys.platform == "darwin":
        from .open_file import install_file_open_handler

        install_file_open_handler(app, window)
    if window is not None and path is not None:
        from .open_file import open_given

        open_given(window, path)


def run(args: argparse.Namespace) -> int:
    if args.smoke_test:
        from .smoke import smoke_test

        return smoke_test(args.lang)
    app = make_application(args.lang, first_frame=True)
    _files_from_the_system(app)
    passphrase.install(wrap_new=bool(getattr(args, "passphrase", False)))
    data_dir = paths.data_dir(args.data_dir)
    try:
        lock = single_instance(data_dir)
    except KitError as exc:
        return _refuse(exc)
    except HeldElsewhere as kept:
        print(f"error: the data in {data_dir} is in use by Wijkkit on {kept.host}", file=sys.stderr)
        return 2
    if lock is None:
        text = i18n._("Wijkkit is already open with this data, in another window. Use that window: two copies at "
                      "once could overwrite each other's work.")  # fmt: skip
        given = getattr(args, "open_path", None)
        if given is not None:  # a double-click while Wijkkit runs: the file is not handed over (yet)
            text += "\n\n" + i18n._("To open {file}, go to Synchroniseren in that window.").format(file=given.name)
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(None, i18n._("Wijkkit"), text)
        print(f"error: Wijkkit is already running with the data in {data_dir}", file=sys.stderr)
        return 2
    errors.install(data_dir)  # the data folder is writable: from here on wijkkit.log can take the unexpected
    try:
        try:
            kit = open_kit(data_dir, args.demo)
        except MissingKeyError:
            if not passphrase.restore_from_sheet(data_dir / paths.DATABASE_NAME):
                raise
            kit = open_kit(data_dir, args.demo)
    except KitError as exc:
        lock.unlock()
        return _refuse(exc)
    except Exception as exc:  # noqa: BLE001 - a start must end in a dialog, never a lost traceback
        lock.unlock()
        errors.report(None, exc)
        return 2
    show_key_notices()
    from .main_window import MainWindow

    window = MainWindow(kit)
    window.after_first_frame(lambda: finish_application(app))  # before the first page is built
    window.after_first_frame(lambda: QTimer.singleShot(0, window, lambda: _offer_setup(window)))  # after the first page
    window.restore_geometry()
    window.show()
    _files_from_the_system(app, window, getattr(args, "open_path", None))
    later = QTimer(window, singleShot=True, interval=LATER_DELAY_MS)
    later.timeout.connect(lambda: _later_at_start(window))
    later.start()
    try:
        return app.exec()
    finally:
        later.stop()  # quit before it fired: it must not find the kit closed (a second run in one process)
        kit.close()
        lock.unlock()
        from .files import clear_viewer_copies

        clear_viewer_copies()  # copies of handouts for the PDF viewer name residents
