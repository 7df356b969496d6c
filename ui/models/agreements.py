"""Table model of agreements; an overdue due date says so in words and in bold, and is red.

Red alone is lost on a colour-blind reader and on a screen reader (WCAG 1.4.1), so the model
itself adds the words "(overdue)" and a bold weight: every view of agreements shows them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QModelIndex, QObject
from PySide6.QtGui import QColor, QFont

from wijkkit import dates
from wijkkit.i18n import N_, _, gettext
from wijkkit.models import AGREEMENT_STATUSES, Agreement

from .records import DISPLAY, FONT, FOREGROUND, TOOLTIP, RecordTableModel

DUE_COLUMN = 3
COLUMNS = (
    (N_("Agreement"), lambda a: a.title),
    (N_("Who"), lambda a: a.owner_shown),
    (N_("Neighbourhood"), lambda a: a.neighbourhood_name or ""),
    (N_("Due"), lambda a: dates.short_date(a.due_on), lambda a: a.due_on or "9999"),
    (N_("Status"), lambda a: gettext(AGREEMENT_STATUSES.get(a.status, a.status))),
)
OVERDUE = QColor("#b3261e")  # 6.5:1 against white


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


class AgreementTableModel(RecordTableModel[Agreement]):
    def __init__(self, load: Callable[[], list[Agreement]], parent: QObject | None = None,
                 today: Callable[[], date] = date.today) -> None:  # fmt: skip
        self._today, self._clock = "", today
        super().__init__(load, COLUMNS, parent)

    def refresh(self) -> None:
        self._today = self._clock().isoformat()
        super().refresh()

    def overdue(self, agreement: Agreement) -> bool:
        return bool(agreement.due_on) and agreement.due_on < self._today and agreement.status not in ("done", "dropped")

    def data(self, index: QModelIndex, role: int = DISPLAY):
        if index.column() == DUE_COLUMN and role in (DISPLAY, TOOLTIP, FOREGROUND, FONT) and index.isValid():
            late = self.overdue(self.record(index.row()))
            if role == FOREGROUND:
                return OVERDUE if late else None
            if role == FONT:
                return _bold() if late else None
            text = super().data(index, role)
            return _("{date} (overdue)").format(date=text) if late and text else text
        if role == TOOLTIP and index.column() == 0 and index.isValid():
            item = self.record(index.row())
            return item.description or item.title
        return super().data(index, role)
