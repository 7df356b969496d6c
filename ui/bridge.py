"""Turns the core's plain change callbacks into a Qt signal.

The core reports committed changes through ``Kit.on_change``; pages connect to
``KitBridge.changed`` instead, so they refresh on the UI thread.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from wijkkit.kit import Changes, Kit


class KitBridge(QObject):
    changed = Signal(object)  # Changes: table -> set of ids

    def __init__(self, kit: Kit, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.kit = kit
        self._unsubscribe = kit.on_change(self._relay)

    def _relay(self, changes: Changes) -> None:
        self.changed.emit(changes)

    def close(self) -> None:
        """Stop listening (safe to call more than once: a window may be closed twice)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
