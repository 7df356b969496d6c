"""Qt enum values set by their names, for the little that must be set before the first frame.

PySide builds the Python enums of a class all at once, when the class is first used. For the Qt
namespace that is some 90 enums (``Qt.Key`` alone has 470 members): 25-45 ms of CPU on the
machines we measure, which the app's start would pay before its first frame only to set a
colour scheme, a focus policy and a shortcut's context (decision 0006). Qt's property system
takes an enum property's value by its C++ name instead, so ``set_by_name(widget, "focusPolicy",
"NoFocus")`` is ``widget.setFocusPolicy(Qt.NoFocus)`` without those enums.
"""

from __future__ import annotations

from PySide6.QtCore import QObject


def set_by_name(target: QObject, name: str, key: str) -> None:
    """Set the enum property ``name`` of ``target`` to the value called ``key`` (``"NoFocus"``).

    :raises ValueError: Qt has no such property or value (a misspelt name would otherwise do nothing).
    """
    if not target.setProperty(name, key):
        raise ValueError(f"Qt refused {key!r} for the property {name!r} of {type(target).__name__}")
