"""Checkable list models of one meeting's items: ticking an item saves at once.

``CheckListModel`` holds the per-meeting row cache and the check-box plumbing;
subclasses say how to load the items, what a line reads, whether it is done and
how to save a tick. Used for the materials checklist and the follow-up tasks.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, Qt

from wijkkit.kit import Kit
from wijkkit.preparation import ChecklistItem


class CheckListModel(QAbstractListModel):
    def __init__(self, kit: Kit, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.kit, self.session_id = kit, None
        self._items: list[Any] = []

    # what a subclass provides
    def fetch(self, session_id: str) -> list[Any]:
        raise NotImplementedError

    def label(self, item: Any) -> str:
        raise NotImplementedError

    def is_done(self, item: Any) -> bool:
        raise NotImplementedError

    def save(self, item: Any, done: bool) -> None:
        raise NotImplementedError

    # the model
    def load(self, session_id: str | None) -> None:
        self.beginResetModel()
        self.session_id = session_id
        self._items = self.fetch(session_id) if session_id else []
        self.endResetModel()

    def item(self, row: int) -> Any:
        return self._items[row]

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._items[index.row()]
        if role == Qt.DisplayRole:
            return self.label(item)
        if role == Qt.CheckStateRole:
            return Qt.Checked if self.is_done(item) else Qt.Unchecked
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlags:
        return super().flags(index) | Qt.ItemIsUserCheckable if index.isValid() else super().flags(index)

    def setData(self, index: QModelIndex, value: Any, role: int = Qt.EditRole) -> bool:  # noqa: N802
        if role != Qt.CheckStateRole or not index.isValid():
            return False
        self.save(self._items[index.row()], Qt.CheckState(value) == Qt.Checked)
        self.load(self.session_id)
        return True


class ChecklistModel(CheckListModel):
    """A meeting's materials."""

    def fetch(self, session_id: str) -> list[ChecklistItem]:
        return self.kit.preparation.checklist(session_id)

    def label(self, item: ChecklistItem) -> str:
        return item.label

    def is_done(self, item: ChecklistItem) -> bool:
        return bool(item.done)

    def save(self, item: ChecklistItem, done: bool) -> None:
        self.kit.preparation.set_done(item.id, done)
