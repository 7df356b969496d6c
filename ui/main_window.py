"""The main window: a navigation list on the left, the pages on the right.

It only composes pages; each page is built the first time it is shown, inside a scroll
area of its own: the pages are laid out to fit 1024x768 and 1280x720, and where the screen
is smaller still (a high scale factor, a large system font) the page scrolls instead of
pushing the window past the screen. Even the
first page is built just after the window's first frame has been painted (one
event-loop turn later), so the window shows without waiting for the page's data
and Qt's enums; so is whatever else the first frame does not show (``after_first_frame``:
the app's start hands it the field borders, the focus ring, the handouts' shaper and the
first-run setup). Until then nothing here touches the Qt namespace (ui/enum_names.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from wijkkit.i18n import _
from wijkkit.kit import Kit

from . import actions
from .a11y import name
from .app import default_geometry, window_title
from .bridge import KitBridge
from .enum_names import set_by_name


class MainWindow(QMainWindow):
    def __init__(self, kit: Kit, clock: Callable[[], datetime] = datetime.now, steady=None) -> None:
        super().__init__()
        self.kit, self.clock, self.steady = kit, clock, steady
        self.bridge = KitBridge(kit, self)
        self.setWindowTitle(window_title(kit))
        self._factories: list[Callable[[], QWidget]] = []
        self._built: dict[int, QWidget] = {}

        self.nav = QListWidget(objectName="nav")
        self.nav.setSizeAdjustPolicy(QListWidget.AdjustToContents)  # as wide as its titles, at least
        self.nav.setSizePolicy(QSizePolicy.Fixed, QSizePolicy.Expanding)  # 230 px (ui/style.py)
        name(self.nav, _("Pages"))
        self.stack = QStackedWidget(objectName="pageArea")
        for title, factory in self._pages():
            self.nav.addItem(title)
            self._factories.append(factory)
            self.stack.addWidget(QWidget())
        # No keyboard focus until the first page is opened: a list that gets the focus selects
        # its first row by itself, and that page would be built before the first paint.
        set_by_name(self.nav, "focusPolicy", "NoFocus")  # Qt.NoFocus, before the first frame (ui/enum_names.py)
        self.nav.currentRowChanged.connect(self.show_page)

        side = QVBoxLayout()
        side.setContentsMargins(0, 0, 0, 0)
        side.setSpacing(0)
        side.addWidget(QLabel(_("Wijkkit"), objectName="brand"))
        side.addWidget(self.nav, 1)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(side)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.actions = actions.install(self)
        for number in range(1, len(self._factories) + 1):
            QShortcut(QKeySequence(f"Ctrl+{number}"), self, lambda n=number: self.nav.setCurrentRow(n - 1))
        self.statusBar().showMessage(str(kit.path or ""))
        self._first_shown = self._first_painted = self._opened = self._quit_asked = False
        self._after_first_frame: list[Callable[[], object]] | None = []

    def after_first_frame(self, job: Callable[[], object]) -> None:
        """Run ``job`` on the event-loop turn after the window's first frame, before the first page is
        built (at once when that turn has passed): what the first frame does not show need not delay it."""
        if self._after_first_frame is None:
            job()
        else:
            self._after_first_frame.append(job)

    def _pages(self) -> list[tuple[str, Callable[[], QWidget]]]:
        """Titles and factories; a page's module is imported when it is first shown."""
        kit, bridge = self.kit, self.bridge

        def overview() -> QWidget:
            from .pages.overview import OverviewPage

            return OverviewPage(kit, bridge)

        def plan() -> QWidget:
            from .pages.plan.page import PlanPage

            return PlanPage(kit, bridge, self.clock)

        def lead() -> QWidget:
            from .pages.lead.page import LeadPage

            return LeadPage(kit, bridge, self.steady)

        def people() -> QWidget:
            from .pages.people.page import PeoplePage

            return PeoplePage(kit, bridge, self.clock)

        def printing() -> QWidget:
            from .pages.printing.page import PrintPage

            return PrintPage(kit, bridge)

        def sync() -> QWidget:
            from .pages.sync.page import SyncPage

            return SyncPage(kit, bridge, self.clock)

        def settings() -> QWidget:
            from .pages.settings import SettingsPage

            return SettingsPage(kit)

        return [
            (_("Overview"), overview),
            (_("Plan"), plan),
            (_("Lead"), lead),
            (_("People and agreements"), people),
            (_("Print"), printing),
            (_("Synchronise"), sync),
            (_("Settings"), settings),
        ]

    @property
    def page_count(self) -> int:
        return len(self._factories)

    def page(self, index: int) -> QWidget:
        """The page at ``index``, built on first use."""
        if index not in self._built:
            from .page_frame import PageFrame

            page = self._factories[index]()
            frame = PageFrame(page)
            old = self.stack.widget(index)
            self.stack.insertWidget(index, frame)
            self.stack.removeWidget(old)
            old.deleteLater()
            self._built[index] = page
        return self._built[index]

    def current_page(self) -> QWidget:
        """The page on show (not the scroll area around it)."""
        return self.page(self.stack.currentIndex())

    def show_page(self, index: int) -> None:
        if 0 <= index < self.page_count:
            self._opened = True
            self.page(index)
            self.stack.setCurrentIndex(index)
            if self.nav.currentRow() != index or not self.nav.item(index).isSelected():
                from PySide6.QtCore import QItemSelectionModel

                # the list's first focus makes row 0 current without selecting it: no page looked chosen
                self.nav.setCurrentRow(index, QItemSelectionModel.ClearAndSelect)

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._first_shown:
            self._first_shown = True
            QTimer.singleShot(300, self._open_first_page)  # in case no paint comes (e.g. minimised)

    def paintEvent(self, event) -> None:  # noqa: N802
        super().paintEvent(event)
        if not self._first_painted:
            # the frame with the navigation reaches the screen when this paint is flushed; the
            # first page (its data, and Qt's enums) is built on the next turn of the event loop
            self._first_painted = True
            QTimer.singleShot(0, self._open_first_page)

    def _open_first_page(self) -> None:
        jobs, self._after_first_frame = self._after_first_frame or [], None
        for job in jobs:
            job()
        from PySide6.QtCore import Qt  # the Qt namespace's enums: built after the first frame

        if self.nav.focusPolicy() == Qt.NoFocus:
            self.nav.setFocusPolicy(Qt.StrongFocus)
            self.nav.setFocus()
        if not self._opened:
            self.show_page(max(0, self.nav.currentRow()))

    def restore_geometry(self) -> None:
        geometry = QSettings().value("window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.setGeometry(default_geometry(self.screen().availableGeometry()))  # fits with frame and taskbar

    def quit_asked(self) -> None:
        """Quit, as a person asked for it (the Quit action, Ctrl+Q): pages may ask before it."""
        self._quit_asked = True
        try:
            self.close()
        finally:
            self._quit_asked = False

    def closeEvent(self, event) -> None:  # noqa: N802
        for page in self._built.values():  # a page with unsaved edits may ask first (or stay open)
            if hasattr(page, "may_close") and not page.may_close():
                event.ignore()
                return
        # a person quitting (Ctrl+Q, the window's close button), not a program closing the window:
        # a running meeting asks first, as the clock and the projector would leave the room
        by_person = self._quit_asked or event.spontaneous()
        for page in self._built.values():
            if by_person and hasattr(page, "may_quit") and not page.may_quit():
                event.ignore()
                return
        from . import background

        background.wait()
        QSettings().setValue("window/geometry", self.saveGeometry())
        self.bridge.close()
        super().closeEvent(event)
        for other in QApplication.topLevelWidgets():  # the projector and other windows go too, so the app quits
            if other is not self and other.isWindow() and other.isVisible():
                other.close()
