"""The hands and clocks of the end-to-end journey (journey.py): only what a user does.

The clocks are fixed and moved by hand, so the journey is the same on every run.
The hands click the navigation, tabs, rows and buttons, type into fields and
answer dialogs, including the real file dialogs (typing the path into the
dialog's own name field and pressing its button).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialogButtonBox,
    QFileDialog,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTabWidget,
)

from tests.ui.modal import answer_modal
from wijkkit import clock

from ui import background

PLAN, LEAD, PEOPLE, PRINT, SYNC = 1, 2, 3, 4, 5  # rows of the main window's navigation


class Clock:
    """The wall clock the window is given (``clock=``): a fixed moment, moved by the story."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


class FakeSteady:
    """A SteadyClock stand-in (``steady=``) whose time the test moves by hand."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def now(self) -> datetime:
        return self.moment

    def micros(self) -> int:
        return clock.to_micros(self.moment)

    def drift_seconds(self) -> float:
        return 0.0

    def advance(self, **delta: float) -> None:
        self.moment += timedelta(**delta)


def open_window(qtbot, data_dir: Path, wall: Clock, steady: FakeSteady | None = None):
    """The main window on the data folder ``data_dir`` (its database made when missing), as the app opens it."""
    from ui.app import make_application, open_kit
    from ui.main_window import MainWindow

    make_application("nl")
    data_dir.mkdir(parents=True, exist_ok=True)
    kit = open_kit(data_dir)
    window = MainWindow(kit, clock=wall, steady=steady)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    return window


def close_window(window) -> None:
    """Close the window (it waits for its background work), then its database."""
    window.close()
    window.kit.close()


def go(qtbot, window, row: int):
    """Click a page in the navigation of ``window`` (made the active window first); returns the page."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    nav = window.nav
    qtbot.mouseClick(nav.viewport(), Qt.LeftButton, pos=nav.visualItemRect(nav.item(row)).center())
    page = window.current_page()
    assert page is window.page(row)
    return page


def tab(qtbot, tabs: QTabWidget, index: int):
    """Click a tab; returns its page."""
    bar = tabs.tabBar()
    qtbot.mouseClick(bar, Qt.LeftButton, pos=bar.tabRect(index).center())
    assert tabs.currentIndex() == index
    return tabs.currentWidget()


def click(qtbot, button: QPushButton) -> None:
    """Click an enabled button and let the work it started in the background report back."""
    assert button.isEnabled() and button.isVisible(), button.text()
    qtbot.mouseClick(button, Qt.LeftButton)
    background.wait()


def click_row(qtbot, view: QAbstractItemView, row: int) -> None:
    view.scrollTo(view.model().index(row, 0))
    rect = view.visualRect(view.model().index(row, 0))
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=rect.center())
    assert view.currentIndex().row() == row


def row_of(model, column: int, text: str) -> int:
    """The row whose ``column`` shows ``text``; fails when there is not exactly one."""
    rows = [r for r in range(model.rowCount()) if model.index(r, column).data() == text]
    assert len(rows) == 1, (text, [model.index(r, column).data() for r in range(model.rowCount())])
    return rows[0]


def column(model, number: int) -> list[str]:
    return [model.index(r, number).data() for r in range(model.rowCount())]


def retype(qtbot, edit: QLineEdit, text: str) -> None:
    """Select what is in a field and type over it."""
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key_A, Qt.ControlModifier)
    qtbot.keyClick(edit, Qt.Key_Delete)
    qtbot.keyClicks(edit, text)


def press_ok(qtbot, dialog) -> None:
    box = dialog.findChild(QDialogButtonBox)
    qtbot.mouseClick(box.button(QDialogButtonBox.Ok), Qt.LeftButton)


def in_dialog(qtbot, button: QPushButton, answer) -> None:
    """Click ``button``, which opens a modal dialog, and answer it with ``answer(dialog)``.

    The offscreen platform has no window manager to activate the dialog when it
    opens and the window again when it closes (without that, typing and shortcuts
    go nowhere); this does what the window manager would.
    """

    def activated(dialog) -> None:
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        answer(dialog)

    assert button.isEnabled(), button.text()
    answer_modal(lambda: qtbot.mouseClick(button, Qt.LeftButton), activated)
    window = button.window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def confirm(qtbot, button: QPushButton) -> None:
    """Click ``button`` and answer its question with Yes."""

    def yes(box: QMessageBox) -> None:
        qtbot.mouseClick(box.button(QMessageBox.Yes), Qt.LeftButton)

    in_dialog(qtbot, button, yes)


def choose_path(qtbot, button: QPushButton, path: Path) -> None:
    """Click ``button``, type ``path`` into the file dialog it opens and press the dialog's button."""

    def answer(dialog: QFileDialog) -> None:
        assert isinstance(dialog, QFileDialog), type(dialog)
        edit = dialog.findChild(QLineEdit, "fileNameEdit")
        retype(qtbot, edit, str(path))
        if edit.completer() is not None and edit.completer().popup().isVisible():
            edit.completer().popup().hide()  # what Escape would do, without closing the dialog
        accept = next(b for b in dialog.findChild(QDialogButtonBox).buttons()
                      if dialog.findChild(QDialogButtonBox).buttonRole(b) == QDialogButtonBox.AcceptRole)  # fmt: skip
        qtbot.mouseClick(accept, Qt.LeftButton)
        assert not dialog.isVisible(), "the file dialog did not take the path"

    in_dialog(qtbot, button, answer)
    background.wait()
