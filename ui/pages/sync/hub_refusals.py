"""Refused changes at the hub: what trusted laptops sent but may not write, for the coordinator to see.

A trusted laptop may write only its own neighbourhoods and the people it registered
(wijkkit.sync.authority). What it sends beyond that is not merged but kept in a log,
with its value and the reason; the hub's own value goes back to the laptop. This tab
lists the open ones; the coordinator marks each handled, and carries out at the hub
an erasure that a laptop asked for but was not allowed to make itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QWidget,
)

from wijkkit.i18n import N_, _, gettext
from wijkkit.kit import Kit
from wijkkit.models import TABLE_LABELS
from wijkkit.sync import authority, keys

from ...models.records import RecordTableModel
from ...widgets import button_row, muted
from .common import moment, table_view, work_list
from .hub_tables import item_name, shown, what_text

ERASURE = "erasure_request"


@dataclass(frozen=True)
class RefusalLine:
    id: int
    at: str
    moment: str
    laptop: str
    what: str
    item: str
    value: str
    reason: str
    kind: str  # authority.REASONS key


def _what(row: dict) -> str:
    if row["field"]:
        return what_text(row["tbl"], row["field"])
    deed = _("erasure request") if row["reason"] == ERASURE else _("removal")
    return f"{gettext(TABLE_LABELS.get(row['tbl'], row['tbl']))}: {deed}"


def _item(kit: Kit, table: str, row_id: str) -> str:
    """The row's name; a row without one (a consent record) by the person it belongs to."""
    record = kit.row(table, row_id)
    if record is not None and record.get("person_id") and not any(record.get(k) for k in ("title", "name", "text")):
        return item_name(kit.row("person", record["person_id"]), "person")
    return item_name(record, table)


def refusal_lines(kit: Kit) -> list[RefusalLine]:
    names = {peer.replica: peer.name for peer in keys.peers(kit)}
    return [RefusalLine(row["id"], row["at"] or "", moment(row["at"]), names.get(row["replica"]) or row["replica"],
                        _what(row), shown(_item(kit, row["tbl"], row["row_id"])),
                        shown(row["value"]) if row["field"] else "", gettext(row["reason_text"]), row["reason"])
            for row in authority.refusals(kit)]  # fmt: skip


class RefusalsTab(QWidget):
    """The open refused changes; 'Handled' closes one, 'Carry out erasure' erases a person at the hub."""

    counted = Signal(int)

    def __init__(self, kit: Kit) -> None:
        super().__init__()
        self.kit = kit
        self.model = RecordTableModel(lambda: refusal_lines(kit), [
            (N_("Received"), lambda r: r.moment, lambda r: r.at), (N_("Laptop"), lambda r: r.laptop),
            (N_("What"), lambda r: r.what), (N_("Item"), lambda r: r.item), (N_("Value"), lambda r: r.value),
            (N_("Reason"), lambda r: r.reason)], self)  # fmt: skip
        self.table = table_view(self.model, "refusalTable", _("Refused changes"))
        self.table.setWordWrap(True)  # the reason wraps in its column; rows fit it as the columns change
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.handled_button = QPushButton(_("Handled"), objectName="markHandled", clicked=self.mark_handled)
        self.handled_button.setToolTip(_("You have seen this change and done what was needed: it leaves the list."))
        self.erase_button = QPushButton(_("Carry out erasure…"), objectName="carryOutErasure", clicked=self.ask_erase)
        self.erase_button.setToolTip(_("Erase this person at the hub, as the laptop asked: it then reaches every "
                                       "laptop."))  # fmt: skip
        self.empty = muted(_("No refused changes: every change from the laptops could be taken in."))
        self.status = QLabel(objectName="info", wordWrap=True)
        work_list(self, _(
            "Changes from trusted laptops that the hub did not take in, for example because they lie outside the "
            "neighbourhoods a laptop serves. The hub's own value stays and goes back to that laptop with its next "
            "update. Look at each one, settle it with the facilitator if needed, and mark it handled."),
            self.table, self.empty, button_row(self.handled_button, self.erase_button), self.status)  # fmt: skip
        self.table.selectionModel().selectionChanged.connect(lambda *_args: self._enable())
        self.refresh()

    def chosen(self) -> RefusalLine | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def refresh(self) -> None:
        self.model.refresh()
        count = self.model.rowCount()
        if count:
            self.table.selectRow(0)
        self.empty.setVisible(count == 0)
        self._enable()
        self.counted.emit(count)

    def _enable(self) -> None:
        line = self.chosen()
        self.handled_button.setEnabled(line is not None)
        self.erase_button.setEnabled(line is not None and line.kind == ERASURE)

    def mark_handled(self) -> None:
        line = self.chosen()
        if line is not None:
            authority.mark_handled(self.kit, [line.id])
            self.status.setText(_("Marked as handled: {what}, {item}.").format(what=line.what, item=line.item))
            self.refresh()

    def ask_erase(self) -> None:
        line = self.chosen()
        if line is None or line.kind != ERASURE:
            return
        answer = QMessageBox.question(self, _("Carry out erasure"), _(
            "Erase {item} at the hub?\n\nLaptop {laptop} asked for this erasure, but it did not register this "
            "person, so it may not make it itself. The person's details are erased here, and then on every "
            "laptop with its next update. This cannot be undone.").format(item=line.item, laptop=line.laptop),
            QMessageBox.Yes | QMessageBox.No, QMessageBox.No)  # fmt: skip
        if answer == QMessageBox.Yes:
            self.erase(line)

    def erase(self, line: RefusalLine) -> None:
        if authority.carry_out_erasure(self.kit, line.id):
            self.status.setText(_("{item} is erased at the hub. 'Write updates for the laptops' on the Merge tab "
                                  "sends it to the laptops.").format(item=line.item))  # fmt: skip
        self.refresh()
