"""The hub's two tables of work: the conflicts to review, and the overview per neighbourhood.

Conflicts: when two writes to the same field crossed, the merge kept one value
and put the other here; the coordinator keeps the current value, takes the other
one, or marks it settled by hand (settled some other way); how each was settled
is recorded and listed under 'Show settled'. Overview: ``wijkkit.hub_report`` counts meetings,
attendance and agreements per neighbourhood; the page shows them and writes
them to CSV files or an Excel workbook in a worker thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from wijkkit import hub_report
from wijkkit.errors import KitError
from wijkkit.i18n import N_, _, gettext, ngettext
from wijkkit.kit import Kit
from wijkkit.models import TABLE_LABELS, shown_name
from wijkkit.sync import merge

from ... import background, errors
from ...bridge import KitBridge
from ...files import existing_directory, save_file_name
from ...models.records import RecordTableModel
from ...widgets import button_row, heading, muted
from .common import moment, table_view, work_list

FIELD_LABELS = {"title": N_("title"), "name": N_("name"), "description": N_("description"), "status": N_("status"),
                "due_on": N_("due date"), "review_on": N_("review date"), "owner_party": N_("who"),
                "partners": N_("partners"), "notes": N_("notes"), "text": N_("text"), "theme": N_("theme"),
                "starts_at": N_("start"), "ends_at": N_("end"), "location_name": N_("place"),
                "role": N_("role"), "organisation": N_("organisation"), "email": N_("e-mail"), "phone": N_("phone"),
                "consent_contact": N_("consent: contact"), "consent_share": N_("consent: share"),
                "consent_photos": N_("consent: photos"), "consent_at": N_("consent given at"),
                "person_id": N_("person"), "session_id": N_("meeting"), "neighbourhood_id": N_("neighbourhood"),
                "category": N_("category"), "method": N_("method"), "created_at": N_("entered at")}  # fmt: skip
REASONS = {"concurrent": N_("changed at the same time"), "deleted": N_("changed after it was deleted")}
WATCHED = {"session", "agreement", "attendance", "neighbourhood", "person"}
MAX_SHOWN = 80


def shown(value: object) -> str:
    text = _("(empty)") if value in (None, "") else str(value).replace("\n", " ")
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


# How a conflict was settled (merge.RESOLUTIONS), in the words of the settled list.
HOW = {"kept": N_("kept the current value"), "took_other": N_("took the other value"),
       "by_hand": N_("settled by hand"), None: N_("settled")}  # None: settled before this was recorded  # fmt: skip
DONE = {"kept": N_("Settled ({what}, {item}): the current value stays; the other value is set aside."),
        "took_other": N_("Settled ({what}, {item}): the other value is now in use. 'Write updates for the "
                         "laptops' on the Merge tab sends it to them."),
        "by_hand": N_("Settled ({what}, {item}): marked as settled by hand; nothing was changed.")}  # fmt: skip
TIPS = {"mine": N_("The current value stays as it is. The other value is set aside; you still find it "
                   "under 'Show settled'."),
        "theirs": N_("The other value replaces the current one, as a new change by the hub: the laptops get "
                     "it with their next update."),
        "resolved": N_("For a conflict you settled yourself, e.g. by editing the item to combine both values. "
                       "Nothing is changed here; the conflict is closed as 'settled by hand'.")}  # fmt: skip


@dataclass(frozen=True)
class ConflictLine:
    id: int
    what: str
    item: str
    kept: str
    other: str
    reason: str
    bundle: str
    exists: bool = True  # the item is still there (a deleted one cannot take the other value back)
    how: str = ""
    settled_at: str = ""


def item_name(record: dict | None, table: str) -> str:
    """How a row is named in the hub's lists: its title, name or text; '(removed)' when it is gone."""
    if record is None:
        return _("(removed)")
    if table == "person":
        return shown_name(record.get("name"))
    return record.get("title") or record.get("name") or record.get("text") or ""


def what_text(table: str, field: str) -> str:
    """e.g. 'agreement: title'."""
    return f"{gettext(TABLE_LABELS.get(table, table))}: {gettext(FIELD_LABELS.get(field, field))}"


def _line(kit: Kit, row: dict) -> ConflictLine:
    record = kit.row(row["tbl"], row["row_id"])
    item = item_name(record, row["tbl"])
    what = what_text(row["tbl"], row["field"])
    how = gettext(HOW.get(row.get("resolution"), HOW[None])) if row["resolved_at"] else ""
    return ConflictLine(row["id"], what, shown(item), shown(row["kept_value"]), shown(row["value"]),
                        gettext(REASONS.get(row["reason"], row["reason"] or "")), row["bundle"] or "",
                        record is not None, how, moment(row["resolved_at"]))  # fmt: skip


def conflict_lines(kit: Kit) -> list[ConflictLine]:
    return [_line(kit, row) for row in merge.open_conflicts(kit)]


def settled_lines(kit: Kit) -> list[ConflictLine]:
    return [_line(kit, row) for row in merge.settled_conflicts(kit)]


class ConflictsTab(QWidget):
    """The open conflicts with the three ways to settle one; 'Show settled' lists how earlier ones were settled."""

    counted = Signal(int)

    def __init__(self, kit: Kit) -> None:
        super().__init__()
        self.kit = kit
        self.show_settled = QCheckBox(_("Show settled"), objectName="showSettled")
        first = [(N_("What"), lambda c: c.what), (N_("Item"), lambda c: c.item)]
        self.model = RecordTableModel(lambda: conflict_lines(kit), [
            *first, (N_("Current value"), lambda c: c.kept), (N_("Other value"), lambda c: c.other),
            (N_("Reason"), lambda c: c.reason), (N_("Bundle"), lambda c: c.bundle)], self)  # fmt: skip
        self.settled = RecordTableModel(lambda: settled_lines(kit) if self.show_settled.isChecked() else [], [
            *first, (N_("Value that was in use"), lambda c: c.kept), (N_("Other value"), lambda c: c.other),
            (N_("How"), lambda c: c.how), (N_("Settled on"), lambda c: c.settled_at, lambda c: c.id)], self)  # fmt: skip
        self.table = self._view(self.model, "conflictTable", (170, 240, 240), _("Conflicts"))
        self.settled_view = self._view(self.settled, "settledConflicts", (150, 200, 200), _("Settled conflicts"))
        self.keep_button = QPushButton(_("Keep this one"), objectName="keepMine", clicked=lambda: self.resolve("mine"))
        self.take_button = QPushButton(_("Take the other one"), objectName="takeTheirs",
                                       clicked=lambda: self.resolve("theirs"))  # fmt: skip
        self.done_button = QPushButton(_("Settled it myself"), objectName="markResolved",
                                       clicked=lambda: self.resolve("resolved"))  # fmt: skip
        for button, keep in ((self.keep_button, "mine"), (self.take_button, "theirs"), (self.done_button, "resolved")):
            button.setToolTip(gettext(TIPS[keep]))
        self.show_settled.toggled.connect(self._show_settled)
        buttons = button_row(self.keep_button, self.take_button, self.done_button)
        buttons.addWidget(self.show_settled)
        self.empty = muted(_("No conflicts: every change could be merged."))
        self.status = QLabel(objectName="info", wordWrap=True)
        self.tables = QStackedWidget()
        self.tables.addWidget(self.table)
        self.tables.addWidget(self.settled_view)
        work_list(self, _("Two people changed the same thing. The change made last is now in use (the current "
                          "value); the other value is kept here. Keep the current value, take the other one "
                          "instead, or, when you settled it yourself (e.g. by editing the item), mark it as settled "
                          "by hand."), self.tables, self.empty, buttons, self.status)  # fmt: skip
        self.table.selectionModel().selectionChanged.connect(lambda *_args: self._enable())
        self.refresh()

    def _view(self, model: RecordTableModel, object_name: str, widths: tuple[int, int, int], title: str):
        view = table_view(model, object_name, title)
        view.setWordWrap(True)  # values wrap; rows grow to fit (refresh)
        header = view.horizontalHeader()
        for column, width in zip((1, 2, 3), widths, strict=True):
            header.setSectionResizeMode(column, QHeaderView.Interactive)
            view.setColumnWidth(column, width)
        return view

    def refresh(self) -> None:
        self.model.refresh()
        self.table.resizeRowsToContents()
        self.settled.refresh()
        self.settled_view.resizeRowsToContents()
        count = self.model.rowCount()
        if count:
            self.table.selectRow(0)
        self.empty.setVisible(count == 0 and not self.show_settled.isChecked())
        self._enable()
        self.counted.emit(count)

    def _show_settled(self, settled: bool) -> None:
        self.tables.setCurrentIndex(1 if settled else 0)
        self.refresh()

    def _enable(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        chosen = bool(rows) and not self.show_settled.isChecked()
        for button in (self.keep_button, self.take_button, self.done_button):
            button.setEnabled(chosen)
        gone = chosen and not self.model.record(rows[0].row()).exists
        self.take_button.setEnabled(chosen and not gone)
        self.take_button.setToolTip(_("The item was deleted: its other value cannot be taken back.") if gone
                                    else gettext(TIPS["theirs"]))  # fmt: skip

    def resolve(self, keep: str) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            line = self.model.record(rows[0].row())
            try:
                resolution = merge.resolve(self.kit, line.id, keep)
            except KitError as error:  # the other value breaks a rule now (e.g. contact details without consent)
                self.status.setText(error.localized())
                return
            if resolution in DONE:
                self.status.setText(gettext(DONE[resolution]).format(what=line.what, item=line.item))
            self.refresh()


def count(status: str) -> Callable[[hub_report.NeighbourhoodSummary], int]:
    return lambda row: row.status(status)


class OverviewTab(QWidget):
    def __init__(self, kit: Kit, bridge: KitBridge, clock: Callable[[], datetime]) -> None:
        super().__init__()
        self.kit, self.clock, self._stale = kit, clock, False
        self.report = hub_report.overview(kit, clock().date())
        number = lambda get: (lambda row: get(row), get)  # noqa: E731 - text and sort value alike
        self.model = RecordTableModel(lambda: [*self.report.neighbourhoods, self.report.total()], [
            (N_("Neighbourhood"), lambda r: r.name), (N_("Municipality"), lambda r: r.municipality),
            (N_("Held"), *number(lambda r: r.held)), (N_("Planned"), *number(lambda r: r.planned)),
            (N_("Attendance"), *number(lambda r: r.attendance)),
            *[(hub_report.status_header(status), *number(count(status))) for status in hub_report.STATUSES],
            (N_("Agreements"), *number(lambda r: r.agreements)), (N_("Overdue"), *number(lambda r: r.overdue))],
            self)  # fmt: skip
        self.overdue = RecordTableModel(lambda: self.report.overdue, [
            (N_("Neighbourhood"), lambda a: a.neighbourhood), (N_("Agreement"), lambda a: a.title),
            (N_("Who"), lambda a: a.owner), (N_("Due"), lambda a: f"{a.due_on.day}-{a.due_on.month}-{a.due_on.year}",
                                             lambda a: a.due_on),
            (N_("Days late"), *number(lambda a: a.days_late))], self)  # fmt: skip
        self.table = table_view(self.model, "neighbourhoodTable", _("Overview per neighbourhood"))
        self.overdue_view = table_view(self.overdue, "overdueTable", _("Overdue agreements"))
        self.overdue_view.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self.overdue_view.horizontalHeader().setStretchLastSection(False)
        self.csv_button = QPushButton(_("Export to CSV…"), clicked=self.ask_csv)
        self.xlsx_button = QPushButton(_("Export to Excel (XLSX)…"), clicked=self.ask_xlsx)
        self.status = QLabel(objectName="info", wordWrap=True)
        top = QHBoxLayout()
        self.when = muted("")
        top.addWidget(self.when, 1)
        top.addWidget(self.csv_button)
        top.addWidget(self.xlsx_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 3)
        layout.addWidget(heading(_("Overdue agreements"), level=2))
        layout.addWidget(self.overdue_view, 2)
        bridge.changed.connect(self._on_change)
        self.refresh()

    def _on_change(self, changes: dict) -> None:
        if changes.keys() & WATCHED:
            if self.isVisible():
                self.refresh()
            else:
                self._stale = True

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        self._stale = False
        self.report = hub_report.overview(self.kit, self.clock().date())
        self.model.refresh()
        self.overdue.refresh()
        self.when.setText(_("Meetings, attendance and agreements per neighbourhood, on {date}.").format(
            date=f"{self.report.today.day}-{self.report.today.month}-{self.report.today.year}"))  # fmt: skip

    # -- export ----------------------------------------------------------------------------

    def ask_csv(self) -> None:
        folder = existing_directory(self, _("Folder for the CSV files"))
        if folder:
            self.export_csv(Path(folder))

    def ask_xlsx(self) -> None:
        path, _filter = save_file_name(self, _("Export to Excel"), _("overview") + ".xlsx",
                                                    _("Excel workbook (*.xlsx)"))  # fmt: skip
        if path:
            self.export_xlsx(Path(path if path.lower().endswith(".xlsx") else path + ".xlsx"))

    def export_csv(self, folder: Path) -> None:
        report = self.report
        self._export(lambda: hub_report.write_csv(report, folder),
                     lambda files: ngettext("{n} CSV file saved in {folder}.", "{n} CSV files saved in {folder}.",
                                            len(files)).format(n=len(files), folder=folder))  # fmt: skip

    def export_xlsx(self, path: Path) -> None:
        report = self.report
        self._export(lambda: hub_report.write_xlsx(report, path), lambda saved: _("Saved as {path}.").format(path=saved))

    def _export(self, work: Callable[[], object], done_text: Callable[[object], str]) -> None:
        """The report is already made: only the writing runs in the background, without the Kit."""
        self.status.setText(_("Exporting…"))
        background.run(self, work, lambda result: self.status.setText(done_text(result)), self._failed, _("Exporting…"))

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, OSError):
            self.status.setText(_("The file could not be written: {reason}").format(reason=error.strerror or error))
        else:  # a KitError (the workbook open in Excel) says what to do, also in a message box
            self.status.setText(error.localized() if isinstance(error, KitError) else _("The export failed."))
            errors.report(self, error)
