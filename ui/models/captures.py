"""List model of what was captured at a meeting; the text can be edited in place."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, Qt, Signal

from wijkkit.errors import KitError
from wijkkit.i18n import gettext
from wijkkit.kit import Kit
from wijkkit.live import CAPTURE_KINDS, Captured

from .records import DISPLAY, EDIT, TOOLTIP


class CaptureListModel(QAbstractListModel):
    refused = Signal(object)  # KitError

    def __init__(self, kit: Kit, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.kit, self.session_id = kit, None
        self._items: list[Captured] = []
        self._step_titles: dict[str, str] = {}

    def load(self, session_id: str | None) -> None:
        self.beginResetModel()
        self.session_id = session_id
        self._items = self.kit.live.captures(session_id) if session_id else []
        self._step_titles = {s.id: s.title for s in self.kit.sessions.steps(session_id)} if session_id else {}
        self.endResetModel()

    def item(self, row: int) -> Captured:
        return self._items[row]

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: QModelIndex, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        item = self._items[index.row()]
        if role == EDIT:
            return item.text
        if role == DISPLAY:
            table = f" · T{item.table_no}" if item.table_no else ""
            return f"{gettext(CAPTURE_KINDS.get(item.kind, item.kind)).capitalize()}{table}: {item.text}"
        if role == TOOLTIP:
            return self._step_titles.get(item.step_id or "", "")
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlags:
        return super().flags(index) | Qt.ItemIsEditable

    def setData(self, index: QModelIndex, value: Any, role: int = EDIT) -> bool:  # noqa: N802
        if role != EDIT or not index.isValid():
            return False
        try:
            self.kit.live.edit_capture(self._items[index.row()], str(value))
        except KitError as error:
            self.refused.emit(error)
            return False
        self.load(self.session_id)
        return True
