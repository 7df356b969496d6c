"""The agenda builder: steps and breaks in order, with start times and a fit check.

Works on a meeting's agenda or on a template being edited (see ui/models/steps.py).
Reorder by dragging or with Alt+Up / Alt+Down; edit titles and minutes in the
table, or everything of the selected step in the panel beside it. Edits in that
panel are never dropped silently: Enter applies them, and so does choosing another
row (an invalid edit keeps its row selected, with the reason shown).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from wijkkit.errors import KitError
from wijkkit.i18n import N_, _, gettext
from wijkkit.models import GROUP_FORMS

from ...a11y import name, no_tab_trap
from ...forms import FieldForm, compact
from ...models.steps import START, TITLE, StepTableModel

KINDS = (("step", N_("Step")), ("break", N_("Break")))


class AgendaEditor(QWidget):
    def __init__(self, store: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = StepTableModel(store, self)
        self.fit_label = QLabel(objectName="fitOk", wordWrap=True)
        self.table = no_tab_trap(QTableView(objectName="agenda"))
        name(self.table, _("Agenda"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setDragDropMode(QAbstractItemView.InternalMove)
        self.table.setDragEnabled(True)
        self.table.setDropIndicatorShown(True)
        self.table.setEditTriggers(QAbstractItemView.DoubleClicked | QAbstractItemView.EditKeyPressed)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeToContents)
        header.setSectionResizeMode(TITLE, QHeaderView.Stretch)  # the titles get the room
        header.setMinimumSectionSize(24)
        self._loaded_id: str | None = None  # the step shown in the panel
        self._reverting = False
        self.table.setColumnHidden(START, store.starts() is None)  # a template has no clock times
        self.refused = QLabel(objectName="formError", wordWrap=True)
        self.refused.hide()

        buttons = QGridLayout()
        self.add_step_button = QPushButton(_("Add step"), clicked=lambda: self.add("step"))
        self.add_break_button = QPushButton(_("Add break"), clicked=lambda: self.add("break"))
        self.remove_button = QPushButton(_("Remove") + " (Del)", clicked=self.remove_selected)
        self.up_button = QPushButton(_("Up") + " (Alt+↑)", clicked=lambda: self.move_selected(-1))
        self.down_button = QPushButton(_("Down") + " (Alt+↓)", clicked=lambda: self.move_selected(1))
        for n, button in enumerate((self.add_step_button, self.add_break_button, self.remove_button,
                                    self.up_button, self.down_button)):  # fmt: skip
            buttons.addWidget(button, n // 2, n % 2)
        for button, text, keys in ((self.remove_button, _("Remove"), _("Delete key")),
                                   (self.up_button, _("Up"), _("Alt+Up arrow")),
                                   (self.down_button, _("Down"), _("Alt+Down arrow"))):  # fmt: skip
            name(button, text, keys)  # the key shown on the button is read as a description

        left = QVBoxLayout()
        left.addWidget(self.fit_label)
        left.addWidget(self.table, 1)
        left.addWidget(self.refused)
        left.addLayout(buttons)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)  # the tab or dialog around it has margins already
        row.addLayout(left, 2)
        panel = self._detail_panel()
        panel.setMaximumWidth(240)  # the table's titles get the rest of a 1024 px screen
        row.addWidget(panel, 1)

        QShortcut(QKeySequence("Alt+Up"), self, lambda: self.move_selected(-1))
        QShortcut(QKeySequence("Alt+Down"), self, lambda: self.move_selected(1))
        QShortcut(QKeySequence.Delete, self.table, self.remove_selected).setContext(Qt.WidgetShortcut)
        self.model.refused.connect(self._show_refusal)
        self.model.changed.connect(self._update_fit)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self._update_fit()
        if self.model.rowCount():
            self.select(0)

    # -- the detail panel ------------------------------------------------------------

    def _detail_panel(self) -> QWidget:
        panel = QWidget()
        self.form = FieldForm(panel)
        self.form.setRowWrapPolicy(FieldForm.WrapLongRows)  # labels above the fields when narrow
        self.title_edit = self.form.add("title", _("Title"), QLineEdit())
        self.minutes_edit = self.form.add("minutes", _("Minutes"), QSpinBox(minimum=0, maximum=600))
        self.form_combo = self.form.add("group_form", _("Form"), QComboBox())
        for key, label in GROUP_FORMS.items():
            self.form_combo.addItem(gettext(label), key)
        self.kind_combo = self.form.add("kind", _("Kind"), QComboBox())
        for key, label in KINDS:
            self.kind_combo.addItem(gettext(label), key)
        for combo in (self.form_combo, self.kind_combo):
            compact(combo, 10)
        self.purpose_edit = self.form.add("purpose", _("Purpose"), QPlainTextEdit(tabChangesFocus=True))
        self.purpose_edit.setMaximumHeight(70)
        self.prompts_edit = self.form.add("prompts", _("Questions"), QPlainTextEdit(tabChangesFocus=True))
        self.prompts_edit.setPlaceholderText(_("One question per line"))
        self.apply_button = QPushButton(_("Apply changes"), clicked=self.apply_detail)
        self.form.addRow("", self.apply_button)
        self.form.addRow(self.form.general)
        for widget in (self.title_edit, self.minutes_edit):
            widget.installEventFilter(self)  # Enter applies, as the button does
        return panel

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (event.type() == QEvent.KeyPress and event.key() in (Qt.Key_Return, Qt.Key_Enter)
                and watched in (self.title_edit, self.minutes_edit)):  # fmt: skip
            if watched is self.minutes_edit:
                self.minutes_edit.interpretText()
            self.apply_detail()
            return True
        return super().eventFilter(watched, event)

    def _row_changed(self, current, previous) -> None:
        """Apply the panel's pending edits to the step it showed before showing the next one;
        when the core refuses them, go back to that step and show why."""
        if self._reverting:
            return
        if self._loaded_id is not None and self.pending() and not self._apply_to(self._loaded_id):
            back = self.model.row_of(self._loaded_id)
            QTimer.singleShot(0, lambda: self._go_back(back))  # after the click has finished selecting
            return
        self._load_detail()

    def _go_back(self, row: int) -> None:
        self._reverting = True
        try:
            self.table.setCurrentIndex(self.model.index(row, TITLE))
        finally:
            self._reverting = False
        self.title_edit.setFocus()

    def _changes(self) -> dict:
        return {
            "title": self.title_edit.text(),
            "minutes": self.minutes_edit.value(),
            "group_form": self.form_combo.currentData(),
            "kind": self.kind_combo.currentData(),
            "purpose": self.purpose_edit.toPlainText().strip(),
            "prompts": "\n".join(p.strip() for p in self.prompts_edit.toPlainText().splitlines() if p.strip()),
        }

    def pending(self) -> bool:
        """Whether the panel differs from the stored step it shows."""
        row = self.model.row_of(self._loaded_id) if self._loaded_id else -1
        if row < 0:
            return False
        step = self.model.step(row)
        stored = {"title": step.title, "minutes": step.minutes, "group_form": step.group_form, "kind": step.kind,
                  "purpose": (step.purpose or "").strip(), "prompts": "\n".join(step.prompt_list)}  # fmt: skip
        return self._changes() != stored

    def commit_pending(self) -> bool:
        """Apply the panel's edits, if any (leaving the tab or the page); False when refused."""
        return not self.pending() or self._apply_to(self._loaded_id)

    def discard_pending(self) -> None:
        self._load_detail()

    def _load_detail(self) -> None:
        step = self.selected_step()
        self.form.clear_errors()
        for widget in (self.title_edit, self.minutes_edit, self.form_combo, self.kind_combo, self.purpose_edit,
                       self.prompts_edit, self.apply_button):  # fmt: skip
            widget.setEnabled(step is not None)
        self._loaded_id = step.id if step is not None else None
        if step is None:
            return
        self.title_edit.setText(step.title)
        self.title_edit.setCursorPosition(0)  # show the start of a long title
        self.minutes_edit.setValue(step.minutes)
        self.form_combo.setCurrentIndex(max(0, self.form_combo.findData(step.group_form)))
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(step.kind)))
        self.purpose_edit.setPlainText(step.purpose or "")
        self.prompts_edit.setPlainText("\n".join(step.prompt_list))

    def apply_detail(self) -> bool:
        step = self.selected_step()
        if step is None or not self._apply_to(step.id):
            return False
        self.select(self.model.row_of(step.id))
        return True

    def _apply_to(self, step_id: str) -> bool:
        try:
            self.model.store.edit_step(step_id, **self._changes())
        except KitError as error:
            self.form.show_error(error)
            return False
        self.form.clear_errors()
        self.model.refresh()
        return True

    # -- actions ------------------------------------------------------------------

    def selected_row(self) -> int:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else -1

    def selected_step(self) -> Any | None:
        row = self.selected_row()
        return self.model.step(row) if 0 <= row < self.model.rowCount() else None

    def select(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(row, TITLE))
            self._load_detail()

    def add(self, kind: str) -> None:
        row = self.selected_row()
        position = row + 1 if row >= 0 else None
        title, minutes = (_("New step"), 10) if kind == "step" else (_("Break"), 10)
        group_form = "tables" if kind == "step" else "plenary"
        step_id = self.model.store.add_step(title, minutes, position, kind=kind, group_form=group_form)
        self.model.refresh()
        self.select(self.model.row_of(step_id))
        self.title_edit.setFocus()
        self.title_edit.selectAll()

    def remove_selected(self) -> None:
        row = self.selected_row()
        step = self.selected_step()
        if step is None:
            return
        if (step.purpose or "").strip() or (step.prompts or "").strip():  # written text is not lost on one key
            asked = QMessageBox.question(
                self, _("Remove step"),
                _("Remove \"{title}\" from the agenda? Its purpose and questions are removed too.").format(
                    title=step.title),
                QMessageBox.Yes | QMessageBox.No, QMessageBox.No)  # fmt: skip
            if asked != QMessageBox.Yes:
                return
        try:
            self.model.store.remove_step(step.id)
        except KitError as error:
            self._show_refusal(error)
            return
        self.model.refresh()
        self.select(min(row, self.model.rowCount() - 1))

    def move_selected(self, offset: int) -> None:
        row = self.selected_row()
        if row < 0:
            return
        self.select(self.model.move(row, row + offset))

    def _show_refusal(self, error: KitError) -> None:
        self.refused.setText(error.localized())
        self.refused.show()

    def _update_fit(self) -> None:
        self.refused.hide()
        fit = self.model.store.fit()
        if fit is None:
            total = sum(self.model.step(r).minutes for r in range(self.model.rowCount()))
            self.fit_label.setObjectName("fitOk")
            self.fit_label.setText(_("Total: {minutes} minutes.").format(minutes=total))
        elif fit.fits and not fit.spare:
            self.fit_label.setObjectName("fitOk")
            self.fit_label.setText(
                _("The agenda fills the {available} minutes of the meeting exactly.").format(
                    available=fit.available_minutes
                )
            )
        elif fit.fits:
            self.fit_label.setObjectName("fitOk")
            self.fit_label.setText(
                _("The agenda takes {planned} of the {available} minutes; {spare} minutes to spare.").format(
                    planned=fit.planned_minutes, available=fit.available_minutes, spare=fit.spare
                )
            )
        else:
            self.fit_label.setObjectName("fitWarning")
            self.fit_label.setText(
                _("The agenda does not fit: it takes {planned} minutes, {over} minutes more than the {available} "
                  "minutes of the meeting. Shorten steps or move the end time.").format(
                    planned=fit.planned_minutes, over=fit.over_by, available=fit.available_minutes
                )
            )  # fmt: skip
        self.fit_label.style().unpolish(self.fit_label)
        self.fit_label.style().polish(self.fit_label)
