"""The Leiden console's own keys: which key does what, when it counts, and how it is named.

The single keys (Space, the arrows, + and -, P, B, E, N, and Enter and Escape while a proposal is
shown) belong to the console only while the console itself has the keyboard, or when the
projector passes them on from the wall. Never from a field, list, table, tab or button of the
page: there a key types, moves or presses, and what that widget leaves over must not reach the
clock (the right arrow at the last column of the review table moved the meeting to the next step;
"+" on the Belsignaal box added a minute; issue 17). Escape from anywhere on the page hands the
keyboard back to the console.

A screen reader says a button's accessible name and then its description: the name is the plain
word ("Vorige", not "← Vorige"), the key is in the description ("Toets: pijl naar links"), which is
also the tooltip. The visible text may keep its key hint for sighted users. No QAbstractButton
shortcut is used for these keys: that shortcut would fire while one types in the capture line.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from wijkkit.i18n import _

from ...a11y import name

KEYS = {Qt.Key_Space: "toggle", Qt.Key_Right: "next", Qt.Key_Left: "back", Qt.Key_Plus: "plus",
        Qt.Key_Equal: "plus", Qt.Key_Minus: "minus", Qt.Key_P: "projector", Qt.Key_B: "blank",
        Qt.Key_E: "end", Qt.Key_N: "replan", Qt.Key_Return: "accept", Qt.Key_Enter: "accept",
        Qt.Key_Escape: "ignore"}  # fmt: skip
PLAIN = Qt.ControlModifier | Qt.AltModifier | Qt.MetaModifier  # with one of these a key is not the console's


def key_names() -> dict[str, str]:
    """Each action's key as a screen reader should say it (words, not symbols)."""
    return {"toggle": _("space bar"), "next": _("right arrow"), "back": _("left arrow"), "plus": _("plus"),
            "minus": _("minus"), "projector": "P", "blank": "B", "end": "E", "replan": "N",
            "accept": "Enter", "ignore": "Escape"}  # fmt: skip


def console_action(console: QWidget, event) -> str | None:
    """The console's action for a key event that reached ``console``, or None.

    None with a modifier, for a key that is not the console's, and while the keyboard is in one of
    the console's children (a field, list, table, tab or button): the child had the key first and
    what it passed on is not meant for the clock. A key sent on by the projector comes while the
    keyboard is in another window, and counts."""
    if event.modifiers() & PLAIN:
        return None
    focus = QApplication.focusWidget()
    if focus is not None and focus is not console and console.isAncestorOf(focus):
        return None
    return KEYS.get(event.key())


def describe(widget: QWidget, text: str, key: str = "") -> QWidget:
    """Give ``widget`` its accessible name ``text`` (ui/a11y.py) and, with ``key``, a description
    and tooltip naming the key."""
    said = _("Key: {key}").format(key=key) if key else ""
    name(widget, text, said)
    if said:
        widget.setToolTip(said)
    return widget
