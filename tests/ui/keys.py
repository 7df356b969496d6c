"""Typing any text as key presses, also in scripts QTest cannot map to keys.

``qtbot.keyClicks`` maps each character to a key code and aborts on characters
such as 'ë', 'Ł' or Arabic letters. Real keyboards send such text with key
events that carry the text; so does ``type_text``.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget


def type_text(widget: QWidget, text: str) -> None:
    for char in text:
        for kind in (QEvent.KeyPress, QEvent.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key_unknown, Qt.NoModifier, char))
