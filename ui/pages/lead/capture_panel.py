"""Quick capture while people talk: one line, Enter saves, and it is committed at once.

A row of type buttons (Alt+1 … Alt+8) picks what the line is: a note, quote, dream,
idea, obstacle, offer, need or agreement. The item is tagged with the step that is
running and an optional table number. An offer, need or obstacle gets a category, from
the list beside the table number or typed in front ("vervoer: ..." or "#vervoer ...", read
by the core), so that offers and needs can match. The list below shows tonight's items;
double-click one to correct it, or select it and press Delete (or the button) to remove
a line typed by mistake, after a question that quotes the line (shortened when long).
Escape hands the keyboard back to the clock.

The Alt+number keys live on the page (``keys_on``), not on this panel: they must work while
another tab of the console is showing, and then bring this panel forward (``wanted``).

The eight kinds are one radio group for a screen reader (auto-exclusive checkable buttons are
radio buttons to Qt's accessibility): Tab reaches the chosen kind, the arrows choose another
and keep the keyboard in the group; a click or Space sends the typing to the line. Their names
are the kinds alone, the Alt+number is in their description (keys.describe).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
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
from wijkkit.i18n import _, gettext, ngettext
from wijkkit.kit import Kit
from wijkkit.live import CAPTURE_KINDS, KIND_CATEGORIES

from ...models.captures import CaptureListModel
from ...widgets import heading, muted
from .keys import describe

QUOTED = 200  # characters of a line quoted in the question before removing it


def shortened(text: str, limit: int = QUOTED) -> str:
    """``text`` cut at a word near ``limit`` characters, with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    word = cut.rfind(" ")
    return (cut[:word] if word > limit * 3 // 4 else cut).rstrip(" ,.;:") + "…"


class CapturePanel(QWidget):
    saved = Signal()
    leave = Signal()  # Escape: the keyboard goes back to the clock
    wanted = Signal()  # an Alt+number was pressed: the panel must be shown

    def __init__(self, kit: Kit, now: Callable[[], datetime], current_step: Callable[[], str | None],
                 parent: QWidget | None = None, keys_on: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.kit, self.now, self.current_step, self.session_id = kit, now, current_step, None
        self._saved_here = False  # "Last saved hh:mm:ss" once a line is saved here, else the count
        self.kinds = QButtonGroup(self)
        grid = QGridLayout()
        for number, (kind, label) in enumerate(CAPTURE_KINDS.items(), start=1):
            # A click must not keep the keyboard: the typing goes to the line, Space to the clock.
            button = QPushButton(f"{gettext(label).capitalize()}  Alt+{number}", checkable=True,
                                 focusPolicy=Qt.TabFocus)  # fmt: skip
            button.setAutoExclusive(True)  # a radio button to a screen reader, not a check box
            describe(button, gettext(label).capitalize(), f"Alt+{number}")
            button.setProperty("kind", kind)
            self.kinds.addButton(button, number)
            grid.addWidget(button, (number - 1) // 2, (number - 1) % 2)
            QShortcut(QKeySequence(f"Alt+{number}"), keys_on or self, lambda b=button: self._choose(b))
        self.kinds.button(1).setChecked(True)
        self.kinds.buttonClicked.connect(self._choose)
        self.table_no = QSpinBox(minimum=0, maximum=999, specialValueText=_("no table"))
        describe(self.table_no, _("Table"))
        self.category = QComboBox(objectName="captureCategory")
        self.category_label = QLabel(_("Category"))
        self.category_label.setBuddy(self.category)
        describe(self.category, _("Category"))
        self.line = QLineEdit(objectName="captureLine", placeholderText=_("Type and press Enter…"))
        self.line.returnPressed.connect(self.save)
        describe(self.line, _("What was said"))
        self.line.setAccessibleDescription(_("Enter saves the line, Escape goes back to the clock."))
        # the line's own Escape (not the window's: on the console Escape ignores a proposal)
        QShortcut(QKeySequence("Escape"), self.line, self.leave.emit).setContext(Qt.WidgetShortcut)
        self.message = QLabel(objectName="formError", wordWrap=True)
        self.message.hide()
        self.last_saved = muted(_("Nothing saved yet."))
        self.model = CaptureListModel(kit, self)
        self.model.refused.connect(lambda error: self._show(error.localized()))
        self.list = QListView(objectName="captures")
        describe(self.list, _("Captured tonight"))
        self.list.setAccessibleDescription(_("Delete removes the chosen line."))
        self.list.setModel(self.model)
        self.list.setWordWrap(True)
        self.remove_button = QPushButton(_("Remove line…"), clicked=self.ask_remove, enabled=False)
        describe(self.remove_button, _("Remove line"))
        self.list.selectionModel().selectionChanged.connect(
            lambda: self.remove_button.setEnabled(bool(self.list.selectionModel().selectedIndexes())))
        QShortcut(QKeySequence.Delete, self.list, self.ask_remove).setContext(Qt.WidgetShortcut)  # only in the list
        table_row = QHBoxLayout()
        table_row.addWidget(QLabel(_("Table"), buddy=self.table_no))
        table_row.addWidget(self.table_no)
        table_row.addWidget(self.category_label)
        table_row.addWidget(self.category, 1)
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
        self._show_categories()

    def _choose(self, button: QPushButton) -> None:
        self.wanted.emit()
        button.setChecked(True)
        self._show_categories()
        self.line.setFocus()

    def _show_categories(self) -> None:
        """The category list for an offer, need or obstacle ('other' first: it matches nothing)."""
        categories = KIND_CATEGORIES.get(self.kind())
        kept = self.category.currentData()
        self.category.clear()
        for key, label in sorted((categories or {}).items(), key=lambda item: item[0] != "anders"):
            self.category.addItem(gettext(label), key)
        self.category.setCurrentIndex(max(0, self.category.findData(kept)))
        for widget in (self.category, self.category_label):
            widget.setVisible(bool(categories))
        example = gettext((categories or {}).get("vervoer") or next(iter((categories or {"": ""}).values())))
        self.line.setPlaceholderText(_("{category}: … or #{category} …").format(category=example)
                                     if categories else _("Type and press Enter…"))  # fmt: skip

    def kind(self) -> str:
        return self.kinds.checkedButton().property("kind")

    def load(self, session_id: str | None) -> None:
        if session_id != self.session_id:
            self._saved_here = False
        self.session_id = session_id
        self.model.load(session_id)
        self.remove_button.setEnabled(False)
        self.list.scrollToBottom()
        if not self._saved_here:  # "nothing saved yet" only above an empty list (issue 14, 22)
            count = self.model.rowCount()
            self.last_saved.setText(ngettext("{n} line saved for this meeting.", "{n} lines saved for this meeting.",
                                             count).format(n=count) if count else _("Nothing saved yet."))  # fmt: skip

    def save(self) -> bool:
        if not self.session_id:
            return False
        try:
            self.kit.live.capture(self.session_id, self.kind(), self.line.text(), self.now(), self.current_step(),
                                  self.table_no.value() or None,
                                  self.category.currentData() if self.category.isVisibleTo(self) else None)  # fmt: skip
        except KitError as error:
            self._show(error.localized())
            return False
        self.message.hide()
        self.line.clear()
        self._saved_here = True
        self.last_saved.setText(_("Last saved {time}").format(time=self.now().astimezone().strftime("%H:%M:%S")))
        self.load(self.session_id)
        self.saved.emit()
        return True

    def ask_remove(self) -> None:
        rows = self.list.selectionModel().selectedIndexes()
        if not rows:
            return
        item = self.model.item(rows[0].row())
        if QMessageBox.question(self, _("Remove line"), _("Remove this line?\n\n{text}").format(text=shortened(item.text))) \
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
