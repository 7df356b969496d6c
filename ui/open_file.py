"""Opening a file the operating system hands to Wijkkit: a double-clicked bundle or hub key.

The installers register ``.wijksync`` (a signed, encrypted sync bundle) and ``.wijkhub``
(the hub's key file) with Wijkkit. On Windows and Linux the file comes as a command-line
argument and ui/app.run calls ``open_given`` once the main window shows; on macOS Finder
sends a QFileOpenEvent to the running application instead, at start and later, which the
event filter of ``install_file_open_handler`` catches. Either way the file is opened on the
Synchroniseren page through the page's own code paths (ui/pages/sync): on a laptop a
bundle is the hub's return bundle and is fetched, on the hub it is a laptop's bundle and is
merged, both in the page's worker with its usual report; a hub key is joined on a laptop
after a question that shows the hub's fingerprint. Nothing starts while a modal dialog is
open (on an empty database the first-run setup comes first) or background work runs.
Anything else (another kind of file, a file that is gone, a hub key on the hub) gets a calm
message and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QThreadPool, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from wijkkit.i18n import _
from wijkkit.sync import keys
from wijkkit.sync.bundle import SUFFIX as BUNDLE_SUFFIX

KEY_SUFFIX = ".wijkhub"
RETRY_MS = 200  # how often a waiting file looks again whether the dialog or the work is done


def open_given(window, path: Path) -> None:
    """Open ``path`` (given by the operating system) in ``window`` as soon as nothing else asks the user
    something: after the first-run setup, another dialog or the background work has finished."""
    path = Path(path)
    from .first_run import OFFER_DELAY_MS, due

    delay = OFFER_DELAY_MS + RETRY_MS if due(window.kit) else 0  # the setup is offered first (first_run.offer_at_start)
    QTimer.singleShot(delay, window, lambda: _when_free(window, lambda: open_now(window, path)))


def _when_free(window, action: Callable[[], None]) -> None:
    if QApplication.activeModalWidget() is not None or QThreadPool.globalInstance().activeThreadCount():
        QTimer.singleShot(RETRY_MS, window, lambda: _when_free(window, action))
        return
    action()


def open_now(window, path: Path) -> None:
    """Open ``path`` now: a bundle or hub key on the Synchroniseren page, anything else a message."""
    path = Path(path)
    suffix = path.suffix.lower()  # Windows and macOS names are not case-sensitive
    if suffix not in (BUNDLE_SUFFIX, KEY_SUFFIX):
        tell(window, _("Wijkkit cannot open {file}. It opens update files ({bundles}) and hub key files "
                       "({keys}).").format(file=path.name, bundles=BUNDLE_SUFFIX, keys=KEY_SUFFIX))  # fmt: skip
        return
    if not path.is_file():
        tell(window, _("The file {path} cannot be found. Was it moved or deleted?").format(path=path))
        return
    if suffix == KEY_SUFFIX and keys.is_hub(window.kit):
        tell(window, _("This database is the municipality's hub; a hub key is imported on the laptops."))
        return
    to_front(window)
    page = sync_page(window)
    if page is None:
        return
    if suffix == BUNDLE_SUFFIX:
        page.open_bundle(path)
    else:
        page.open_key(path)


def sync_page(window):
    """The Synchroniseren page of ``window``, shown (built on first use)."""
    found = window.nav.findItems(_("Synchronise"), Qt.MatchExactly)
    if not found:
        return None
    index = window.nav.row(found[0])
    window.show_page(index)
    return window.page(index)


def to_front(window) -> None:
    if window.isMinimized():
        window.showNormal()
    window.raise_()
    window.activateWindow()


def tell(window, text: str) -> None:
    QMessageBox.information(window, _("Wijkkit"), text)


# -- macOS: Finder sends the file to the running application -----------------------------------


class FileOpenFilter(QObject):
    """Catches QFileOpenEvent on the application; files that come before the window are kept for it."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.window = None
        self.waiting: list[Path] = []

    def attach(self, window) -> None:
        self.window = window
        window.destroyed.connect(self._detach)
        waiting, self.waiting = self.waiting, []
        for path in waiting:
            open_given(window, path)

    def _detach(self, *_args) -> None:
        self.window = None

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if event.type() != QEvent.FileOpen:
            return False
        path = event.file() or event.url().toLocalFile()
        if not path:
            return False
        if self.window is None:
            self.waiting.append(Path(path))
        else:
            open_given(self.window, Path(path))
        return True


_filters: dict[int, FileOpenFilter] = {}  # one per application


def install_file_open_handler(app: QApplication, window=None) -> FileOpenFilter:
    """Open the files Finder sends (QFileOpenEvent) in ``window``. Called without a window (right after the
    application is made) it keeps them until it is called again with the window."""
    handler = _filters.get(id(app))
    if handler is None:
        handler = _filters[id(app)] = FileOpenFilter(app)
        app.installEventFilter(handler)
    if window is not None:
        handler.attach(window)
    return handler
