"""Search-as-you-type over any record table model, fast enough for 10,000 rows.

``SearchProxy`` keeps, per source row, the row's searchable text folded once (case
and accents removed, see wijkkit.text.sort_key); a keystroke then only checks that
every typed word occurs in that text. An optional ``accept`` callable adds other
filters (status, overdue). Sorting compares folded display text, so 'Łucja' sorts
with the L's. Sorting is left to the source model, which sorts its row cache with
one key per row; a proxy comparing rows in Python took seconds for 10,000 rows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QSortFilterProxyModel, Qt

from wijkkit.text import sort_key

from .records import DISPLAY, RecordTableModel


class SearchProxy(QSortFilterProxyModel):
    def __init__(self, source: RecordTableModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []
        self._haystack: list[str] = []
        self._hits: list[bool] = []  # per source row: matches the typed words
        self.accept: Callable[[Any], bool] | None = None
        self.setSourceModel(source)
        source.modelReset.connect(self._index_rows)
        self._index_rows()

    def _index_rows(self) -> None:
        source: RecordTableModel = self.sourceModel()
        columns = range(source.columnCount())
        self._haystack = [
            " ".join(sort_key(str(source.data(source.index(row, c), DISPLAY) or "")) for c in columns)
            for row in range(source.rowCount())
        ]
        self.beginFilterChange()
        self._match()
        self.endFilterChange()

    def _match(self) -> None:
        """Match all rows at once: one comprehension instead of a check inside every Qt callback."""
        words = self._words
        self._hits = [all(word in text for word in words) for text in self._haystack] if words else []

    def set_search(self, text: str) -> None:
        words = sort_key(text).split()
        if words != self._words:
            self.beginFilterChange()
            self._words = words
            self._match()
            self.endFilterChange()

    def set_accept(self, accept: Callable[[Any], bool] | None) -> None:
        self.beginFilterChange()
        self.accept = accept
        self.endFilterChange()

    def filterAcceptsRow(self, row: int, parent: QModelIndex) -> bool:  # noqa: N802
        if self._hits and not self._hits[row]:
            return False
        return self.accept is None or self.accept(self.sourceModel().record(row))

    def sort(self, column: int, order: Qt.SortOrder = Qt.AscendingOrder) -> None:
        """Sorting happens in the source's row cache (fast); the proxy keeps its order."""
        self.sourceModel().sort(column, order)

    def record(self, proxy_row: int) -> Any:
        return self.sourceModel().record(self.mapToSource(self.index(proxy_row, 0)).row())
