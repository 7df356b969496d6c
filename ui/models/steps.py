"""Table model of an agenda: start times computed, titles and minutes editable, rows draggable.

It works on any agenda store with the methods of ``wijkkit.sessions.SessionAgenda``
(a meeting) or ``wijkkit.templates.TemplateDraft`` (a template being edited).
Every change goes through the store; the model then reloads. A refused change
(``ValidationError``) is reported through ``refused`` so the page can show it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QObject,
    Qt,
    Signal,
)

from wijkkit import agenda
from wijkkit.errors import KitError
from wijkkit.i18n import N_, gettext
from wijkkit.models import GROUP_FORMS

MIME = "application/x-wijkkit-step"
START, TITLE, MINUTES, FORM = range(4)
HEADERS = (N_("Start"), N_("Agenda item"), N_("Minutes"), N_("Form"))
KIND_BREAK = "break"


class StepTableModel(QAbstractTableModel):
    refused = Signal(object)  # KitError
    changed = Signal()

    def __init__(self, store: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._steps: list[Any] = []
        self._starts: list[str] = []
        self.refresh()

    def refresh(self) -> None:
        """Reload the steps. The same steps in the same order only change their cells
        (``dataChanged``): a reset while the table commits an edit would destroy its editor
        ("commitData called with an editor that does not belong to this view") and lose the
        selection."""
        steps = self.store.steps()
        same_rows = [s.id for s in steps] == [s.id for s in self._steps]
        if not same_rows:
            self.beginResetModel()
        self._steps = steps
        start = self.store.starts()
        if start is None:
            self._starts = [""] * len(self._steps)
        else:
            slots = agenda.schedule(start, [s.minutes for s in self._steps])
            self._starts = [f"{slot.starts:%H:%M}" for slot in slots]
        if not same_rows:
            self.endResetModel()
        elif self._steps:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._steps) - 1, len(HEADERS) - 1))
        self.changed.emit()

    def step(self, row: int) -> Any:
        return self._steps[row]

    def row_of(self, step_id: str) -> int:
        return next((i for i, s in enumerate(self._steps) if s.id == step_id), -1)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._steps)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole):  # noqa: N802
        if role != Qt.DisplayRole:
            return None
        return gettext(HEADERS[section]) if orientation == Qt.Horizontal else None

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole):
        if not index.isValid():
            return None
        step, column = self._steps[index.row()], index.column()
        if role in (Qt.DisplayRole, Qt.EditRole):
            if column == START:
                return self._starts[index.row()]
            if column == TITLE:
                return step.title
            if column == MINUTES:
                return step.minutes if role == Qt.EditRole else str(step.minutes)
            if column == FORM:
                return "" if step.kind == KIND_BREAK else gettext(GROUP_FORMS.get(step.group_form, step.group_form))
        if role == Qt.FontRole and step.kind == KIND_BREAK:
            from PySide6.QtGui import QFont

            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ToolTipRole and column == TITLE:
            return step.purpose or None
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlags:
        base = super().flags(index)
        if not index.isValid():
            return base | Qt.ItemIsDropEnabled
        base |= Qt.ItemIsDragEnabled | Qt.ItemIsDropEnabled
        if index.column() in (TITLE, MINUTES):
            base |= Qt.ItemIsEditable
        return base

    def setData(self, index: QModelIndex, value: Any, role: int = Qt.EditRole) -> bool:  # noqa: N802
        if role != Qt.EditRole or index.column() not in (TITLE, MINUTES):
            return False
        field = "title" if index.column() == TITLE else "minutes"
        return self.edit(self._steps[index.row()].id, **{field: value})

    def edit(self, step_id: str, **changes: Any) -> bool:
        """Change a step through the store; False (and ``refused``) when the core says no."""
        try:
            self.store.edit_step(step_id, **changes)
        except KitError as error:
            self.refused.emit(error)
            return False
        self.refresh()
        return True

    def move(self, row: int, to_row: int) -> int:
        """Move the step at ``row`` to ``to_row``; returns its new row."""
        if not (0 <= row < len(self._steps)) or row == to_row:
            return row
        step_id = self._steps[row].id
        self.store.move_step(step_id, max(0, min(to_row, len(self._steps) - 1)))
        self.refresh()
        return self.row_of(step_id)

    # -- drag and drop -------------------------------------------------------------

    def supportedDropActions(self) -> Qt.DropActions:  # noqa: N802
        return Qt.MoveAction

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [MIME]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:  # noqa: N802
        data = QMimeData()
        rows = sorted({i.row() for i in indexes if i.isValid()})
        data.setData(MIME, QByteArray(str(rows[0] if rows else -1).encode()))
        return data

    def dropMimeData(self, data: QMimeData, action, row: int, column: int, parent: QModelIndex) -> bool:  # noqa: N802
        """Move the dragged step. Returns False so the view does not also remove rows."""
        if not data.hasFormat(MIME):
            return False
        source = int(bytes(data.data(MIME)).decode() or -1)
        target = row if row != -1 else (parent.row() if parent.isValid() else len(self._steps))
        if target > source:
            target -= 1
        self.move(source, target)
        return False

    def removeRows(self, row: int, count: int, parent: QModelIndex = QModelIndex()) -> bool:  # noqa: B008, N802
        return False  # rows are removed through the store only
