"""What the sync pages share: work on a Kit of its own in a worker thread, small widgets, and the
layout of the hub's lists of work.

``in_worker`` runs export, import and merge off the UI thread on a second Kit on
the same file (SQLite connections belong to one thread), then lets the UI's Kit
catch up: its clock observes the worker's stamps and the worker's changes are
relayed through the bridge, so every page refreshes. Fingerprints are shown the
same way on both sides (``fingerprint_label``), so the words read out over the
phone look alike on the laptop and at the hub.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from wijkkit import dates
from wijkkit.errors import KitError
from wijkkit.i18n import _, ngettext
from wijkkit.kit import Kit

from ... import background
from ...a11y import name, no_tab_trap
from ...bridge import KitBridge
from ...models.records import FOREGROUND, RecordTableModel
from ...widgets import muted

WARNING_COLOUR = "#b3261e"


def in_worker(parent: QWidget, kit: Kit, bridge: KitBridge, work: Callable[[Kit], Any],
              on_done: Callable[[Any], None], on_error: Callable[[BaseException], None], label: str) -> None:  # fmt: skip
    """Run ``work(kit)`` off the UI thread on a Kit of its own (the UI's Kit catches up with its
    clock and sync state at its next transaction, see Kit._catch_up)."""
    path = kit.path
    if path is None:  # a database in memory belongs to this thread: do the work here
        try:
            result = work(kit)
        except Exception as error:  # noqa: BLE001 - reported like a worker's error
            on_error(error)
            return
        on_done(result)
        return

    def job() -> tuple[Any, dict]:
        changes: dict[str, set] = {}
        with Kit.open(path) as own:
            own.on_change(lambda found: [changes.setdefault(t, set()).update(ids) for t, ids in found.items()])
            return work(own), changes

    def done(value: tuple[Any, dict]) -> None:
        result, changes = value
        if changes:
            bridge.changed.emit(changes)
        on_done(result)

    background.run(parent, job, done, on_error, label)


def failure_text(error: BaseException) -> str:
    return error.localized() if isinstance(error, KitError) else _("Something unexpected went wrong.")


def show_status(label: QLabel, text: str, error: bool = False) -> None:
    """``text`` in a status line, red when it is an error (the ``error`` property, see ui/style.py)."""
    if bool(label.property("error")) != error:
        label.setProperty("error", error)
        label.style().unpolish(label)
        label.style().polish(label)
    label.setText(text)


def folder_row(edit: QLineEdit, choose: Callable[[], None], *buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    row.addWidget(QPushButton(_("Choose…"), clicked=choose))
    for button in buttons:
        row.addWidget(button)
    return row


def counts_text(results: list) -> str:
    """e.g. '2 changes, 1 conflict' for a list of merge results."""
    changes = sum(r.applied + r.deleted for r in results)
    conflicts = sum(r.conflicts for r in results)
    return _("{changes}, {conflicts}").format(
        changes=ngettext("{n} change", "{n} changes", changes).format(n=changes),
        conflicts=ngettext("{n} conflict", "{n} conflicts", conflicts).format(n=conflicts))  # fmt: skip


def moment(value: str | None) -> str:
    """'2026-11-29T10:05:00' as '29-11-2026 10:05'."""
    parsed = dates.parse(value)
    return f"{dates.short_date(value)} {parsed:%H:%M}" if parsed else ""


def table_view(model, object_name: str, title: str = "") -> QTableView:
    """A row-selecting table; ``title`` is its name for a screen reader, and Tab leaves it."""
    view = no_tab_trap(QTableView(objectName=object_name))
    if title:
        name(view, title)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectRows)
    view.setSelectionMode(QAbstractItemView.SingleSelection)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    return view


def fingerprint_label(text: str = "") -> QLabel:
    """A fingerprint, large and selectable (to copy, or to follow with a finger while reading it out)."""
    label = QLabel(text, objectName="fingerprint")
    label.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
    return label


def work_list(tab: QWidget, intro: str, table: QWidget, empty: QLabel, buttons: QLayout, status: QLabel) -> None:
    """Lay out one of the hub's lists of work (conflicts, refused changes) like the others: what the
    list is for, the list itself (it takes the room), the note shown when it is empty, its buttons,
    and the status line that says what was done."""
    layout = QVBoxLayout(tab)
    layout.addWidget(muted(intro))
    layout.addWidget(table, 1)
    layout.addWidget(empty)
    layout.addLayout(buttons)
    layout.addWidget(status)


def warning_label() -> QLabel:
    label = QLabel(objectName="warning", wordWrap=True)
    label.hide()
    return label


class WarnedTableModel(RecordTableModel):
    """A RecordTableModel whose rows with a warning (``warned(record)``) are shown in red."""

    def __init__(self, load, columns, warned: Callable[[Any], bool], parent=None) -> None:
        self._warned = warned
        super().__init__(load, columns, parent)

    def data(self, index, role: int = 0):
        if role == FOREGROUND and index.isValid() and self._warned(self.record(index.row())):
            return QBrush(QColor(WARNING_COLOUR))
        return super().data(index, role)


def scrolling(content: QWidget) -> QScrollArea:
    """``content`` in a frameless scroll area that shows the tab's own background: on a small screen
    the cards scroll up and down, never sideways."""
    scroll = QScrollArea(widgetResizable=True, frameShape=QFrame.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
    scroll.setFocusPolicy(Qt.NoFocus)  # no unnamed Tab stop: Tab goes to the controls inside
    scroll.setStyleSheet("QScrollArea, QScrollArea > QWidget > QWidget { background: transparent; }")
    scroll.setWidget(content)
    return scroll
