"""Names a screen reader speaks, and tables that do not trap the Tab key.

A screen reader (Orca through AT-SPI on Linux, NVDA and Narrator through UI Automation on
Windows) reads a control's accessible name. Qt finds one by itself for a button (its text) and
for a field whose label is its buddy *and* its sibling; a field inside a holder widget, a combo
box (Qt reads its current value), a list, a table and a field with only a placeholder have none
unless the page gives one. Names are short Dutch words through ``_()``, without symbols or
arrows: keys go in the description (``name(widget, text, keys)``).

Qt's tables move the focus from cell to cell on Tab and wrap around inside the table, so a
person on the keyboard can never Tab past one; ``no_tab_trap`` turns that off (the arrow keys
still move between cells).
"""

from __future__ import annotations

import re

from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QLabel, QWidget

_NOT_SPOKEN = re.compile(r"&(?!&)|[:…]+\s*$")


def plain(text: str) -> str:
    """A label's text as a name: no mnemonic ampersand, no closing colon or ellipsis."""
    return _NOT_SPOKEN.sub("", text).replace("&&", "&").strip()


def name(widget: QWidget, text: str, description: str = "") -> QWidget:
    """Give ``widget`` (and the widget it passes its focus to) the name ``text``; ``description``
    is read after it (the keys that work here). Returns the widget."""
    target: QWidget | None = widget
    while target is not None:
        target.setAccessibleName(plain(text))
        if description:
            target.setAccessibleDescription(description)
        proxy = target.focusProxy()
        # a check box that takes a row's focus keeps its own text as its name
        target = proxy if proxy is not target and not isinstance(proxy, QAbstractButton) else None
    return widget


def label_for(label: QLabel, widget: QWidget) -> QWidget:
    """``label`` names ``widget``: its buddy (Alt+letter goes there) and its accessible name."""
    label.setBuddy(widget)
    if label.text():
        name(widget, label.text())
    return widget


def labelled(label: QLabel, widget: QWidget) -> QLabel:
    """``label_for`` that returns the label, to put in a layout beside ``widget``."""
    label_for(label, widget)
    return label


def heading_for(widget: QWidget, text: str) -> QLabel:
    """A heading (style "h2") above ``widget`` that is also its name."""
    heading = QLabel(text, objectName="h2")
    label_for(heading, widget)
    return heading


def no_tab_trap(view: QAbstractItemView) -> QAbstractItemView:
    """Tab leaves the table for the next control instead of moving to the next cell."""
    view.setTabKeyNavigation(False)
    return view
