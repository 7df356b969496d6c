"""The sidebar shows keyboard focus as an edge of the list, not as Qt's dotted rectangle inside the
selected item (issue 14, 22; issue 17 wants focus visible everywhere)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QLineEdit


def item_image(nav) -> QImage:
    rect = nav.visualItemRect(nav.currentItem()).adjusted(0, 0, -6, 0)  # short of the list's own edge
    return nav.viewport().grab(rect).toImage()


def edge_colour(nav) -> str:
    image = nav.grab().toImage()
    return image.pixelColor(image.width() - 1, image.height() // 2).name()


def test_the_selected_item_has_no_focus_rectangle_and_the_list_shows_its_focus(qtbot, window):
    nav = window.nav
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.waitUntil(lambda: nav.focusPolicy() != Qt.NoFocus)
    nav.setFocus()
    qtbot.waitUntil(nav.hasFocus)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Down)  # Plannen, chosen with the keyboard
    assert nav.currentRow() == 1 and nav.hasFocus()
    focused_item, focused_edge = item_image(nav), edge_colour(nav)

    elsewhere = QLineEdit(window.stack.currentWidget())
    elsewhere.show()
    elsewhere.setFocus()
    qtbot.waitUntil(lambda: not nav.hasFocus())
    assert item_image(nav) == focused_item  # nothing drawn inside the item for the focus
    assert edge_colour(nav) != focused_edge  # but the list shows whether it has the focus
