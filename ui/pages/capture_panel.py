"""Quick capture while people talk: one line, Enter saves, and it is committed at once.

A row of type buttons (Alt+1 … Alt+8) picks what the line is: a note, quote, dream,
idea, obstacle, offer, need or agreement. The item is tagged with the step that is
running and an optional table number. The list below shows tonight's items;
double-click one to correct it, or select it and press Delete (or the button) to remove
a line typed by mistake, after a question. Escape hands the keyboard back to the clock.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from wijkkit.errors import KitError
from wijkkit.i18n import _, gettext
from wijkkit.kit import Kit
from wijkkit.live import CAPTURE_KINDS

from ..models.captures import CaptureListModel
from ..widgets import heading, muted


class CapturePanel(QWidget):
    saved = Signal()
    leave = Signal()  # Escape: the keyboard goes back to the clock

    def __init__(self, kit: Kit, now: Callable[[], datetime], current_step: Callable[[], str | None],
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.kit, self.now, self.current_step, self.session_id = kit, now, current_step, None
        self.kinds = QButtonGroup(self)
        grid = QGridLayout()
        for number, (kind, label) in enumerate(CAPTURE_KINDS.items(), start=1):
            # A click must not keep the keyboard: the typing goes to the line, Space to the clock.
            button = QPushButton(f"{gettext(label).capitalize()}  Alt+{number}", checkable=True,
                                 focusPolicy=Qt.TabFocus)  # fmt: skip
            button.setProperty("kind", kind)
            self.kinds.addButton(button, number)
            grid.addWidget(button, (number - 1) // 2, (number - 1) % 2)
            QShortcut(QKeySequence(f"Alt+{number}"), self, lambda b=button: self._choose(b))
        self.kinds.button(1).setChecked(True)
        self.kinds.buttonClicked.connect(self._choose)
        self.table_no = QSpinBox(minimum=0, maximum=999, specialValueText=_("no table"))
        self.line = QLineEdit(objectName="captureLine", placeholderText=_("Type and press Enter…"))
        self.line.returnPressed.connect(self.save)
        QShortcut(QKeySequence("Escape"), self.line, self.leave.emit)
        self.message = QLabel(objectName="formError", wordWrap=True)
        self.message.hide()
        self.last_saved = muted(_("Nothing saved yet."))
        self.model = CaptureListModel(kit, self)
        self.model.refused.connect(lambda error: self._show(error.localized()))
        self.list = QListView(objectName="captures")
        self.list.setModel(self.model)
        self.list.setWordWrap(True)
        self.remove_button = QPushButton(_("Remove line…"), clicked=self.ask_remove, enabled=False)
        self.list.selectionModel().selectionChanged.connect(
            lambda: self.remove_button.setEnabled(bool(self.list.selectionModel().selectedIndexes())))
        QShortcut(QKeySequence.Delete, self.list, self.ask_remove, context=Qt.WidgetShortcut)
        table_row = QHBoxLayout()
        table_row.addWidget(QLabel(_("Table")))
        table_row.addWidget(self.table_no)
        table_row.addStretch()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading(_("Quick capture"), level=2))
        layout.addLayout(grid)
        layout.addLayout(table_row)
        layout.addWidget(self.line)
        layout.addWidget(self.message)
        layout.addWidget(self.last_saved)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.remove_button, 0, Qt.AlignRight)

    def _choose(self, button: QPushButton) -> None:
        button.setChecked(True)
        self.line.setFocus()

    def kind(self) -> str:
        return self.kinds.checkedButton().property("kind")

    def load(self, session_id: str | None) -> None:
        self.session_id = session_id
        self.model.load(session_id)
        self.remove_button.setEnabled(False)
        self.list.scrollToBottom()

    def save(self) -> bool:
        if not self.session_id:
            return False
        try:
            self.kit.live.capture(self.session_id, self.kind(), self.line.text(), self.now(), self.current_step(),
                                  self.table_no.value() or None)  # fmt: skip
        except KitError as error:
            self._show(error.localized())
            return False
        self.message.hide()
        self.line.clear()
        self.last_saved.setText(_("Last saved {time}").format(time=self.now().astimezone().strftime("%H:%M:%S")))
        self.load(self.session_id)
        self.saved.emit()
        return True

    def ask_remove(self) -> None:
        rows = self.list.selectionModel().selectedIndexes()
        if not rows:
            return
        item = self.model.item(rows[0].row())
        if QMessageBox.question(self, _("Remove line"), _("Remove this line?\n\n{text}").format(text=item.text)) \
                == QMessageBox.Yes:  # fmt: skip
            self.remove(item)

    def remove(self, item) -> bool:
        try:
            self.kit.live.remove_capture(item)
        except KitError as error:  # e.g. an agreement that already has status updates
            self._show(error.localized())
            return False
        self.message.hide()
        self.load(self.session_id)
        return True

    def _show(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
