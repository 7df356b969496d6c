"""Oefenen: rehearse a meeting's evening in a window of its own, on a throwaway copy.

Bestand > Oefenen… (Ctrl+Shift+O) asks which meeting (the one at hand is chosen) and whether
to run sped up (1 minute = 5 seconds), then opens a separate window with a rehearsal banner and
the Leiden page as it is on the evening: the same keys, capture, review and projector. It runs
on the copy made by wijkkit.rehearsal (an in-memory database without people) and on that
module's sped-up clock, so nothing reaches the real data; closing the window throws the copy
away. The window is independent of the main window, which keeps working meanwhile.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from wijkkit import clock, dates
from wijkkit.errors import KitError
from wijkkit.i18n import _
from wijkkit.kit import Kit
from wijkkit.models import Session
from wijkkit.rehearsal import FAST, Rehearsal, SpedUpClock, copy_meeting
from wijkkit.sessions import at_hand

from .bridge import KitBridge
from .pages.lead.keys import describe
from .widgets import dialog_buttons, muted

BANNER_STYLE = ("QFrame#rehearsalBanner { background: #fff3c4; border: 2px solid #d19a00; border-radius: 6px; }"
                "QFrame#rehearsalBanner QLabel { color: #5c4300; font-weight: 600; }")  # fmt: skip
_open: set[QWidget] = set()  # rehearsal windows on screen (they have no parent to keep them)


class ChooseRehearsal(QDialog):
    """Which meeting to rehearse, and whether sped up."""

    def __init__(self, sessions: list[Session], chosen: str | None, fast: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Rehearse a meeting"))
        self.meetings = QListWidget(objectName="rehearsalMeetings")
        for session in sessions:
            item = QListWidgetItem(f"{dates.short_date(session.starts_at)}  {session.title}")
            item.setData(Qt.UserRole, session.id)
            item.setToolTip(session.title)
            self.meetings.addItem(item)
            if session.id == chosen:
                self.meetings.setCurrentItem(item)
        if self.meetings.currentRow() < 0:
            self.meetings.setCurrentRow(0)
        self.meetings.itemActivated.connect(lambda _item: self.accept())
        label = QLabel(_("&Meeting"))
        label.setBuddy(self.meetings)
        self.fast = QCheckBox(_("&Faster (1 minute = 5 seconds)"), checked=fast)
        layout = QVBoxLayout(self)
        layout.addWidget(muted(_("You rehearse on a copy of the meeting without people: nothing you do is saved.")))
        layout.addWidget(label)
        layout.addWidget(self.meetings, 1)
        layout.addWidget(self.fast)
        layout.addWidget(dialog_buttons(self, _("&Rehearse")))
        self.resize(460, 340)
        self.meetings.setFocus()

    def chosen(self) -> str | None:
        item = self.meetings.currentItem()
        return item.data(Qt.UserRole) if item is not None else None


class RehearsalWindow(QWidget):
    """The Leiden page on a rehearsal copy, under a banner that says nothing is saved."""

    def __init__(self, rehearsal: Rehearsal, steady: clock.SteadyClock, fast: bool) -> None:
        super().__init__(None, Qt.Window)
        from .pages.lead.page import LeadPage

        self.setAttribute(Qt.WA_DeleteOnClose)
        self.setObjectName("rehearsalWindow")
        self.rehearsal = rehearsal
        self.setWindowTitle(_("Rehearsal — {title} (nothing is saved)").format(title=rehearsal.title))
        self.bridge = KitBridge(rehearsal.kit, self)
        self.page = LeadPage(rehearsal.kit, self.bridge, steady)
        frame = QScrollArea(objectName="pageScroll", widgetResizable=True)  # as in the main window:
        frame.setFrameShape(QFrame.NoFrame)  # on a small screen the page scrolls, the window fits
        frame.setWidget(self.page)
        layout = QVBoxLayout(self)
        layout.addWidget(self._banner(fast))
        layout.addWidget(frame, 1)
        QShortcut(QKeySequence("Ctrl+W"), self, self.close)  # one key on every platform, as the banner says

    def _banner(self, fast: bool) -> QFrame:
        banner = QFrame(objectName="rehearsalBanner")
        banner.setStyleSheet(BANNER_STYLE)
        text = _("Rehearsal on a copy without people. Nothing you do here is saved.")
        if fast:
            text += " " + _("Faster: 1 minute = 5 seconds.")
        self.banner_text = QLabel(text, wordWrap=True)
        self.banner_text.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        self.banner_text.setMinimumWidth(200)
        stop = QPushButton(_("Stop rehearsal") + "  Ctrl+W", focusPolicy=Qt.TabFocus)  # a click keeps the keys
        stop.clicked.connect(self.close)
        describe(stop, _("Stop rehearsal"), "Ctrl+W")  # the plain words as its name, the key said after
        row = QHBoxLayout(banner)
        row.addWidget(self.banner_text, 1)
        row.addWidget(stop)
        return banner

    def closeEvent(self, event) -> None:  # noqa: N802
        """Throw the copy away: the clock stops, the projector closes, the database goes."""
        self.page.timer.stop()
        if self.page.projector is not None:
            self.page.projector.close()
            self.page.projector.deleteLater()
            self.page.projector = None
        self.bridge.close()
        self.rehearsal.close()
        _open.discard(self)
        super().closeEvent(event)


def start_rehearsal(kit: Kit, parent: QWidget | None = None, steady=None) -> RehearsalWindow | None:
    """Ask which meeting, then open its rehearsal window; None when cancelled or impossible.

    ``steady``: the real clock the rehearsal clock is built on (a SteadyClock; tests give their own).
    """
    sessions = kit.sessions.list()
    if not sessions:
        QMessageBox.information(parent, _("Rehearse a meeting"),
                                _("There is no meeting to rehearse yet. Plan one under Plan first."))  # fmt: skip
        return None
    real = steady or clock.SteadyClock()
    settings = QSettings()
    found = at_hand(sessions, real.now())
    dialog = ChooseRehearsal(sessions, found.id if found else None,
                             settings.value("rehearsal/fast", True, type=bool), parent)  # fmt: skip
    accepted, chosen, fast = dialog.exec() == QDialog.Accepted, dialog.chosen(), dialog.fast.isChecked()
    dialog.deleteLater()
    if not accepted or chosen is None:
        return None
    settings.setValue("rehearsal/fast", fast)
    sped = SpedUpClock(real.micros, FAST if fast else 1)
    try:
        rehearsal = copy_meeting(kit, chosen, sped.now())
    except KitError as error:
        QMessageBox.warning(parent, _("Rehearse a meeting"), error.localized())
        return None
    try:
        window = RehearsalWindow(rehearsal, sped.steady(), fast)
    except BaseException:
        rehearsal.close()
        raise
    _open.add(window)
    _place(window, parent)
    window.show()
    window.activateWindow()
    window.page.setFocus()
    return window


def _place(window: QWidget, parent: QWidget | None) -> None:
    """As large as the main window's first size, with its title bar inside the screen it is on."""
    from .app import default_geometry

    screen = (parent.screen() if parent is not None else None) or QApplication.primaryScreen()
    if screen is None:
        window.resize(1280, 720)
    else:
        window.setGeometry(default_geometry(screen.availableGeometry()))
