"""Focus you can see (issue 17, problem 4; WCAG 2.4.7 and 1.4.11): every kind of control shows where
the keyboard is, with a ring of at least 3:1 against what it covers.

Each control is photographed in its window twice, once while another control has the focus and
once after Tab brought the focus to it, and the band along its edge (2 px, where the ring lies) is
compared pixel by pixel: nearly all of it must change, each pixel by at least 3:1. Fields, choices,
spin boxes, dates, text boxes, buttons, check and radio buttons, lists, tables, trees and a tab bar
are tried in a window of their own; the sidebar, the PDF preview of Uitdraaien and the Leiden
console itself in the main window.
"""

from __future__ import annotations

import pytest

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QLineEdit,
    QListWidget,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTabBar,
    QTableWidget,
    QTextEdit,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from tests.ui.test_style_contrast import contrast

BAND = 2  # the ring's width in pixels


def _photo(window, widget):
    QApplication.processEvents()
    corner = widget.mapTo(window, QPoint(0, 0))
    return window.grab(QRect(corner, widget.size())).toImage()


def _ring_share(before, after) -> float:
    """The share of the 2 px band along the edge whose pixels changed by at least 3:1."""
    width, height = before.width(), before.height()
    band = [(x, y) for y in range(height) for x in range(width)
            if min(x, y, width - 1 - x, height - 1 - y) < BAND]  # fmt: skip
    changed = sum(1 for x, y in band
                  if contrast(before.pixelColor(x, y).name(), after.pixelColor(x, y).name()) >= 3.0)  # fmt: skip
    return changed / len(band)


def _kinds():
    tree = QTreeView()
    model = QStandardItemModel(3, 2, tree)
    tree.setModel(model)
    tabs = QTabBar()
    for text in ("Gegevens", "Agenda"):
        tabs.addTab(text)
    table = QTableWidget(3, 3)
    table.setTabKeyNavigation(False)
    text = QTextEdit()
    text.setTabChangesFocus(True)
    combo = QComboBox()
    combo.addItems(["een", "twee"])
    listing = QListWidget()
    listing.addItems(["een", "twee"])
    return [QLineEdit(), combo, QSpinBox(), QDateEdit(), text, QPushButton("Opslaan"), QCheckBox("Akkoord"),
            QRadioButton("Ja"), listing, table, tree, tabs]  # fmt: skip


@pytest.mark.usefixtures("dutch_app")
def test_tab_shows_a_ring_on_every_kind_of_control(qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    start = QPushButton("Begin")
    layout.addWidget(start)
    kinds = _kinds()
    for widget in kinds:
        widget.setFocusPolicy(Qt.StrongFocus)
        layout.addWidget(widget)
        if widget.minimumSizeHint().height() > 60:
            widget.setFixedHeight(60)
    window.resize(360, 900)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    start.setFocus(Qt.OtherFocusReason)
    before = {id(widget): _photo(window, widget) for widget in kinds}
    missing = []
    for widget in kinds:
        for _ in range(4):  # a date's Tab first goes through its day, month and year
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Tab)
            if widget.hasFocus():
                break
        assert widget.hasFocus(), (widget, QApplication.focusWidget())
        share = _ring_share(before[id(widget)], _photo(window, widget))
        if share < 0.9:
            missing.append(f"{type(widget).__name__}: {share:.0%} of the edge changed by 3:1")
    assert missing == []


def _ring_when_tabbed_to(qtbot, window, widget, presses: int = 80) -> float:
    """Tab (from wherever the focus is) until ``widget`` has the focus; the ring's share on it,
    between the photo just before the last press and the one just after."""
    for _ in range(presses):
        before = _photo(window, widget)
        qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key_Tab)
        if widget.hasFocus():
            return _ring_share(before, _photo(window, widget))
    raise AssertionError(f"Tab never reached {widget!r}")


def test_the_sidebar_pdf_preview_and_leiden_console_show_a_ring(qtbot, window):
    """The dark sidebar gets a light ring; the PDF preview and the Leiden page (which takes the
    focus itself, so its keys work) the dark one."""
    from tests.ui.conftest import open_printing

    from ui import background

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    printing = open_printing(qtbot, window)
    background.wait()
    shares = {"PDF preview": _ring_when_tabbed_to(qtbot, window, printing.view),
              "sidebar": _ring_when_tabbed_to(qtbot, window, window.nav)}  # fmt: skip
    rect = window.nav.visualItemRect(window.nav.item(2))
    qtbot.mouseClick(window.nav.viewport(), Qt.LeftButton, pos=rect.center())
    lead = window.page(2)
    if lead.hasFocus():
        qtbot.keyClick(lead, Qt.Key_Tab)
    shares["Leiden console"] = _ring_when_tabbed_to(qtbot, window, lead)
    assert {name: share for name, share in shares.items() if share < 0.9} == {}


@pytest.mark.usefixtures("dutch_app")
def test_the_current_row_of_a_focused_list_or_table_is_ringed(qtbot):
    """Inside a list or table with the focus, the current item has a ring of its own (white on the
    selected green), so a person sees which row the arrow keys move from."""
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    start = QPushButton("Begin")
    table = QTableWidget(3, 2)
    table.setTabKeyNavigation(False)
    listing = QListWidget()
    listing.addItems(["een", "twee", "drie"])
    for widget in (start, table, listing):
        layout.addWidget(widget)
    window.resize(360, 420)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    table.setCurrentCell(1, 1)
    listing.setCurrentRow(1)
    start.setFocus(Qt.OtherFocusReason)
    for view in (table, listing):
        cell = view.visualRect(view.currentIndex())
        cell.moveTopLeft(view.viewport().mapTo(window, cell.topLeft()))
        before = window.grab(cell).toImage()
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Tab)
        assert view.hasFocus()
        assert _ring_share(before, window.grab(cell).toImage()) >= 0.9, type(view).__name__
