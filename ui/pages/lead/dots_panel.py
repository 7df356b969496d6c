"""Stippen: choosing together which dreams and ideas to act on first, live during a step.

The room puts sticker dots on the flip-over sheets (or raises hands); the facilitator types each
count into the table, which ranks the dreams and ideas at once (wijkkit.dots holds the rules:
counts 0 to 999, ties share a place). Ticking some and pressing "Maak afspraken van de gekozen"
turns them into draft agreements (status open, no owner yet), once each; "Toon op projector"
puts the ranking on the wall instead of the clock, and pressed again gives the wall back to the clock.

By keyboard: the arrows move through the table; typing a number in the Stippen column (or F2)
opens a number field where the arrows count up and down and Enter saves; + and - in the table count
one dot more or less (a sticker at a time); Space ticks the row in the Kiezen column, whichever
column the keyboard is in. Whatever is typed here never reaches the console's own keys (keys.py: the table has the
keyboard, not the console), Tab leaves the table for the buttons (no Tab trap), and Escape in the table
hands the keyboard back to the clock.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from wijkkit.dots import MAX_DOTS, Candidate
from wijkkit.errors import KitError
from wijkkit.i18n import N_, _, gettext, ngettext
from wijkkit.kit import Kit
from wijkkit.live import CAPTURE_KINDS

from ...a11y import labelled, no_tab_trap
from ...bridge import KitBridge
from ...widgets import heading, muted
from .keys import describe

RANK, DOTS, CHOOSE, TEXT = range(4)
HEADERS = (N_("Rank"), N_("Dots"), N_("Choose"), N_("Dream or idea"))
EVERY_STEP = ""  # the step box's first entry: the whole meeting
STEPS = {Qt.Key_Plus: 1, Qt.Key_Equal: 1, Qt.Key_Minus: -1}  # keys that count one dot in the table


class DotsModel(QAbstractTableModel):
    """The candidates of a meeting, ranked; the dots are edited in place, the chosen are ticked."""

    refused = Signal(object)  # a KitError from the core (a count out of range)
    counted = Signal(str)  # a candidate's id, after its dots were saved

    def __init__(self, kit: Kit, parent=None) -> None:
        super().__init__(parent)
        self.kit = kit
        self.rows: list[Candidate] = []
        self.ticked: set[str] = set()

    def load(self, rows: list[Candidate]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.ticked &= {c.id for c in rows if not c.chosen}
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole):  # noqa: N802
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return gettext(HEADERS[section])
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlags:
        flags = super().flags(index)
        if index.column() == DOTS:
            flags |= Qt.ItemIsEditable
        elif index.column() == CHOOSE and not self.rows[index.row()].chosen:
            flags |= Qt.ItemIsUserCheckable
        return flags

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole):
        if not index.isValid():
            return None
        item, column = self.rows[index.row()], index.column()
        if role == Qt.DisplayRole:
            return self._text(item, column)
        if role == Qt.EditRole and column == DOTS:
            return item.dots or 0
        if role == Qt.CheckStateRole and column == CHOOSE and not item.chosen:
            return Qt.Checked if item.id in self.ticked else Qt.Unchecked
        if role == Qt.ToolTipRole and column == TEXT:
            return item.text
        if role == Qt.TextAlignmentRole and column in (RANK, DOTS):
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None

    @staticmethod
    def _text(item: Candidate, column: int) -> str:
        if column == RANK:
            return str(item.rank) if item.rank is not None else ""
        if column == DOTS:
            return str(item.dots) if item.dots is not None else ""
        if column == CHOOSE:
            return _("agreement") if item.chosen else ""
        return f"{gettext(CAPTURE_KINDS[item.kind]).capitalize()}: {item.text}"

    def setData(self, index: QModelIndex, value, role: int = Qt.EditRole) -> bool:  # noqa: N802
        if not index.isValid():
            return False
        item = self.rows[index.row()]
        if index.column() == CHOOSE and role == Qt.CheckStateRole:
            checked = Qt.CheckState(value) == Qt.Checked if isinstance(value, int) else value == Qt.Checked
            (self.ticked.add if checked else self.ticked.discard)(item.id)
            self.dataChanged.emit(index, index, [Qt.CheckStateRole])
            return True
        if index.column() != DOTS or role != Qt.EditRole:
            return False
        try:
            self.kit.dots.set_dots(item.id, value)
        except KitError as error:
            self.refused.emit(error)
            return False
        self.counted.emit(item.id)
        return True

    def chosen_ids(self) -> list[str]:
        return [c.id for c in self.rows if c.id in self.ticked]


class DotsDelegate(QStyledItemDelegate):
    """A number field for the dots (0 to 999): the arrows count, typing replaces, Enter saves."""

    def createEditor(self, parent: QWidget, option, index: QModelIndex) -> QWidget:  # noqa: N802
        editor = QSpinBox(parent, minimum=0, maximum=MAX_DOTS)
        editor.setFrame(False)
        describe(editor, _("Dots"))
        return editor


class DotsPanel(QWidget):
    to_projector = Signal()  # the ranking must go on the wall (the page opens the projector when closed)
    leave = Signal()  # Escape in the table: the keyboard goes back to the clock

    def __init__(self, kit: Kit, bridge: KitBridge, view, now: Callable[[], datetime],
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.kit, self.view, self.now, self.session_id = kit, view, now, None
        self.model = DotsModel(kit, self)
        self.model.refused.connect(lambda error: self._say(error.localized(), error=True))
        self.model.counted.connect(self._counted)
        self.model.dataChanged.connect(lambda *_args: self._enable())
        self.step = QComboBox(objectName="dotsStep")
        self.step.currentIndexChanged.connect(lambda: self.reload())
        self.table = no_tab_trap(QTableView(objectName="dotsTable"))
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(DOTS, DotsDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.AnyKeyPressed | QAbstractItemView.EditKeyPressed
                                   | QAbstractItemView.DoubleClicked | QAbstractItemView.SelectedClicked)  # fmt: skip
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)  # a long dream wraps whole
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeToContents)
        header.setSectionResizeMode(TEXT, QHeaderView.Stretch)
        describe(self.table, _("Dreams and ideas"))
        self.table.installEventFilter(self)  # + and - count one dot up or down on the chosen row
        # the table's own Escape (a table keeps it from the page); in the number field Escape cancels the edit
        QShortcut(QKeySequence("Escape"), self.table, self.leave.emit).setContext(Qt.WidgetShortcut)
        self.table.setAccessibleDescription(_("Type a number in the Dots column to enter the dots, or press plus "
                                              "or minus for one dot more or less; Space ticks a dream or idea "
                                              "to choose it."))  # fmt: skip
        self.make_button = QPushButton(_("Make agreements of the chosen"), clicked=self.make_agreements)
        self.project_button = QPushButton(_("Show on projector"), checkable=True, toggled=self.project)
        self.message = QLabel(objectName="info", wordWrap=True)
        self.summary = muted("")
        step_row = QHBoxLayout()
        step_row.addWidget(labelled(QLabel(_("Step")), self.step))
        step_row.addWidget(self.step, 1)
        step_row.addWidget(self.project_button)  # beside the step: one above the other, the console stays narrow
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading(_("Choosing together"), level=2))
        layout.addWidget(self.summary)
        layout.addLayout(step_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.make_button, 0, Qt.AlignLeft)
        self._later = QTimer(self, singleShot=True, interval=0, timeout=self._changed)  # after the change is done
        bridge.changed.connect(self._on_change)

    # -- loading ---------------------------------------------------------------------

    def load(self, session_id: str | None) -> None:
        self.session_id = session_id
        self.project_button.setChecked(False)
        self.message.clear()
        self.step.setCurrentIndex(-1)  # a new meeting starts with all its steps
        self.reload()

    def _fill_steps(self) -> None:
        """All steps, then each step with dreams or ideas (in agenda order); the chosen one stays chosen."""
        kept = self.step.currentData()
        self.step.blockSignals(True)
        self.step.clear()
        self.step.addItem(_("All steps"), EVERY_STEP)
        if self.session_id:
            used = {c.step_id for c in self.kit.dots.candidates(self.session_id)}
            for step in self.kit.sessions.steps(self.session_id):
                if step.id in used:
                    self.step.addItem(step.title, step.id)
        self.step.setCurrentIndex(max(0, self.step.findData(kept)))
        self.step.blockSignals(False)

    def _on_change(self, changes: dict) -> None:
        if self.session_id and changes.keys() & {"capture", "agreement", "step"}:
            self._later.start(0)

    def _changed(self) -> None:
        if self.table.state() == QAbstractItemView.EditingState:
            self._later.start(300)  # not under the hands of someone typing a count: once the field has closed
            return
        self.reload()

    def step_id(self) -> str | None:
        return self.step.currentData() or None

    def reload(self, keep: str | None = None) -> None:
        """The candidates again, ranked; the keyboard stays on the same dream or idea (``keep``: on that one)."""
        current = self.table.currentIndex()
        column = current.column() if current.isValid() else DOTS
        keep = keep or (self.model.rows[current.row()].id if current.isValid() else None)
        self._fill_steps()
        self.model.load(self.kit.dots.candidates(self.session_id, self.step_id()) if self.session_id else [])
        row = next((n for n, c in enumerate(self.model.rows) if c.id == keep), 0 if self.model.rows else -1)
        if row >= 0:
            self.table.setCurrentIndex(self.model.index(row, column))
        if self.project_button.isChecked():  # the wall follows (LeadPage redraws the projector when it shows)
            self.view.show_ranking(self.step_id())
        self._enable()

    def _counted(self, capture_id: str) -> None:
        self.message.clear()
        self._later.stop()  # reloaded once the number field has closed, staying with the one just counted
        QTimer.singleShot(0, self, lambda: self.reload(capture_id))

    def _enable(self) -> None:
        rows = self.model.rows
        counted = sum(1 for c in rows if c.dots is not None)
        self.summary.setText(_("{counted} of {total} dreams and ideas counted.").format(counted=counted, total=len(rows))
                             if rows else _("No dreams or ideas were captured at this meeting yet."))  # fmt: skip
        self.make_button.setEnabled(bool(self.model.chosen_ids()))

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        """In the table, not editing: + (or =) and - one dot more or less, Space ticks the row to choose it."""
        editing = self.table.state() == QAbstractItemView.EditingState
        if watched is self.table and event.type() == QEvent.KeyPress and not editing \
                and not event.modifiers() & (Qt.ControlModifier | Qt.AltModifier | Qt.MetaModifier):  # fmt: skip
            if event.key() in STEPS:
                self.count_one(STEPS[event.key()])
                return True
            if event.key() == Qt.Key_Space:
                self.tick()
                return True
        return super().eventFilter(watched, event)

    def tick(self) -> None:
        current = self.table.currentIndex()
        if current.isValid() and not self.model.rows[current.row()].chosen:
            box = self.model.index(current.row(), CHOOSE)
            self.model.setData(box, Qt.Unchecked if box.data(Qt.CheckStateRole) == Qt.Checked else Qt.Checked,
                               Qt.CheckStateRole)  # fmt: skip

    def count_one(self, step: int) -> None:
        current = self.table.currentIndex()
        if not current.isValid():
            return
        capture_id = self.model.rows[current.row()].id
        try:
            self.kit.dots.count_one(capture_id, step)
        except KitError as error:
            self._say(error.localized(), error=True)
            return
        self._counted(capture_id)

    # -- acting ------------------------------------------------------------------------

    def make_agreements(self) -> None:
        chosen = self.model.chosen_ids()
        if not self.session_id or not chosen:
            return
        try:
            made = self.kit.dots.choose(self.session_id, chosen, self.now().astimezone().replace(tzinfo=None))
        except KitError as error:
            self._say(error.localized(), error=True)
            return
        self.model.ticked.clear()
        self.reload()
        self._say(ngettext("{n} draft agreement made, without anyone to do it yet: add that under People and "
                           "agreements.", "{n} draft agreements made, without anyone to do them yet: add that under "
                           "People and agreements.", len(made)).format(n=len(made)) if made else
                  _("These were already agreements: none was made twice."))  # fmt: skip

    def project(self, on: bool) -> None:
        self.view.show_ranking(self.step_id() if on else False)
        if on and self.session_id:
            self.to_projector.emit()

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setObjectName("formError" if error else "info")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setText(text)
