"""Walking the main window the way the accessibility review did: every page, every tab.

``controls(root)`` lists the visible widgets a person can use (buttons, fields, combo boxes,
lists, tables, and anything else that takes the focus by Tab); ``unnamed(root)`` those of them
whose accessible name, as a screen reader reads it through QAccessible, is empty. ``every_view``
shows each page of a window and each tab of each tab widget on it in turn.
"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

INTERACTIVE = (QAbstractButton, QAbstractItemView, QAbstractSpinBox, QComboBox, QLineEdit, QPlainTextEdit, QTextEdit)
LEIDEN, UITDRAAIEN = 2, 4  # page indexes of helper C's and helper E's pages


def _inside_compound(widget: QWidget) -> bool:
    """A part of another control (a combo box's line edit or list, a spin box's line edit)."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QComboBox | QAbstractSpinBox):
            return True
        if isinstance(parent, QAbstractItemView) and widget is not parent:
            return True  # an editor or header inside a view
        parent = parent.parentWidget()
    return False


def controls(root: QWidget) -> list[QWidget]:
    found = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisible() or not widget.isEnabled() or _inside_compound(widget):
            continue
        takes_tab = bool(widget.focusPolicy() & Qt.TabFocus)
        if isinstance(widget, QTabWidget | QAbstractScrollArea) and not isinstance(widget, INTERACTIVE):
            continue  # a container: its tab bar or its contents are the controls
        if takes_tab or isinstance(widget, INTERACTIVE):
            found.append(widget)
    return found


def name(widget: QWidget) -> str:
    """The name a screen reader reads; a combo box that only reads out its current value has none."""
    interface = QAccessible.queryAccessibleInterface(widget)
    spoken = interface.text(QAccessible.Name).strip() if interface is not None else ""
    if isinstance(widget, QComboBox) and not widget.accessibleName() and spoken == widget.currentText().strip():
        return ""
    return spoken


def describe(widget: QWidget) -> str:
    text = widget.text() if hasattr(widget, "text") and callable(widget.text) else ""
    holder = widget.parentWidget()
    return f"{type(widget).__name__}({widget.objectName() or '-'}, {text!r:.30}) in {type(holder).__name__}"


def unnamed(root: QWidget) -> list[str]:
    return [describe(widget) for widget in controls(root) if not name(widget)]


def _outermost_tabs(root: QWidget) -> list[QTabWidget]:
    found = []
    for tabs in root.findChildren(QTabWidget):
        parent = tabs.parentWidget()
        while parent is not None and parent is not root and not isinstance(parent, QTabWidget):
            parent = parent.parentWidget()
        if parent is root or parent is None:
            found.append(tabs)
    return found


def _tabs_of(root: QWidget, where: str) -> Iterator[str]:
    """Each visible tab of each tab widget in ``root``, and the tabs nested in it, in turn."""
    for tabs in _outermost_tabs(root):
        before = tabs.currentIndex()
        for tab in range(tabs.count()):
            if not tabs.isTabVisible(tab):
                continue
            tabs.setCurrentIndex(tab)
            QApplication.processEvents()
            here = f"{where} / {tabs.tabText(tab)}"
            yield here
            yield from _tabs_of(tabs.widget(tab), here)
        tabs.setCurrentIndex(before)


def every_view(window, pages: range | list[int]) -> Iterator[tuple[str, QWidget]]:
    """(where, page) for each page in ``pages`` and each tab (also nested) on it."""
    for index in pages:
        window.show_page(index)
        page = window.page(index)
        QApplication.processEvents()
        where = window.nav.item(index).text()
        yield where, page
        for here in _tabs_of(page, where):
            yield here, page
