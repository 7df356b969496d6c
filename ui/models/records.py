"""A read-only table model over a list of core records, described by columns.

Each column is a header (an ``N_`` string), a function from record to text, and
optionally a function giving the value to sort by (default: the text, folded).
The model keeps the records as its row cache and reloads them on ``refresh``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt

from wijkkit.i18n import gettext
from wijkkit.text import sort_key

R = TypeVar("R")
# Roles as plain ints: views call data() dozens of times per cell, and looking up
# Qt's enum members on every call was the slowest part of showing the first page.
DISPLAY, EDIT, TOOLTIP = int(Qt.DisplayRole.value), int(Qt.EditRole.value), int(Qt.ToolTipRole.value)
FOREGROUND, FONT = int(Qt.ForegroundRole.value), int(Qt.FontRole.value)
CHECK_STATE = int(Qt.CheckStateRole.value)
SORT = int(Qt.UserRole.value)
Column = tuple  # (header, text of a record) or (header, text, sort value of a record)


class RecordTableModel(QAbstractTableModel, Generic[R]):
    def __init__(self, load: Callable[[], list[R]], columns: Sequence[Column], parent: QObject | None = None):
        super().__init__(parent)
        self._load = load
        self._columns = list(columns)
        self._rows: list[R] = []
        self._order: tuple[int, bool] | None = None  # (column, descending) once sorted
        self.refresh()

    def refresh(self) -> None:
        self.beginResetModel()
        self._rows = self._load()
        self._sort_rows()
        self.endResetModel()

    def _sort_rows(self) -> None:
        if self._order is not None:
            column, descending = self._order
            spec = self._columns[column]
            key = spec[2] if len(spec) > 2 else (lambda record: sort_key(str(spec[1](record) or "")))
            self._rows.sort(key=key, reverse=descending)

    def sort(self, column: int, order: Qt.SortOrder = Qt.AscendingOrder) -> None:
        """Sort the row cache with Python's sort: one key per row, not a call per comparison."""
        if not 0 <= column < len(self._columns):
            return
        self.beginResetModel()
        self._order = (column, order == Qt.DescendingOrder)
        self._sort_rows()
        self.endResetModel()

    def record(self, row: int) -> R:
        return self._rows[row]

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole):  # noqa: N802
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return gettext(self._columns[section][0])
        return None

    def data(self, index: QModelIndex, role: int = DISPLAY):
        if (role == DISPLAY or role == TOOLTIP) and index.isValid():
            return self._columns[index.column()][1](self._rows[index.row()])
        if role == SORT and index.isValid():
            column, record = self._columns[index.column()], self._rows[index.row()]
            return column[2](record) if len(column) > 2 else sort_key(str(column[1](record) or ""))
        return None
