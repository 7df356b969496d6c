"""A checkable list model of a meeting's materials; ticking saves at once."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, Qt

from wijkkit.kit import Kit
from wijkkit.preparation import ChecklistItem


class ChecklistModel(QAbstractListModel):
    def __init__(self, kit: Kit, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.kit, self.session_id = kit, None
        self._items: list[ChecklistItem] = []

    def load(self, session_id: str | None) -> None:
        self.beginResetModel()
        self.session_id = session_id
        self._items = self.kit.preparation.checklist(session_id) if session_id else []
        self.endResetModel()

    def item(self, row: int) -> ChecklistItem:
        return self._items[row]

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._items[index.row()]
        if role == Qt.DisplayRole:
            return item.label
        if role == Qt.CheckStateRole:
            return Qt.Checked if item.done else Qt.Unchecked
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlags:
        return super().flags(index) | Qt.ItemIsUserCheckable if index.isValid() else super().flags(index)

    def setData(self, index: QModelIndex, value: Any, role: int = Qt.EditRole) -> bool:  # noqa: N802
        if role != Qt.CheckStateRole or not index.isValid():
            return False
        done = Qt.CheckState(value) == Qt.Checked
        self.kit.preparation.set_done(self._items[index.row()].id, done)
        self.load(self.session_id)
        return True
