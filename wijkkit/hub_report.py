"""The municipality's overview per neighbourhood, and its export to CSV and Excel.

``overview(kit, today)`` reads the managers (meetings, attendance, agreements) and
returns plain records: one summary per neighbourhood, the overdue agreements and
every meeting. ``Overview.tables()`` turns them into tables with Dutch headers
(gettext), which ``write_csv`` writes as one file per table (``;`` and a UTF-8
BOM, so Dutch Excel opens them directly) and ``write_xlsx`` as one sheet per
table. A meeting that is running counts as held; cancelled ones are only listed.
Text typed by people (a title like ``=HYPERLINK(...)``) never becomes a formula in
either: a text cell in the workbook, a leading ' in the CSV.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wijkkit import dates
from wijkkit.atomic import write_atomically
from wijkkit.i18n import N_, gettext
from wijkkit.models import AGREEMENT_STATUSES, SESSION_STATUSES
from wijkkit.text import sort_key

if TYPE_CHECKING:
    from wijkkit.kit import Kit

HELD_STATUSES = ("held", "running")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet may take text starting so for a formula
STATUSES = tuple(AGREEMENT_STATUSES)  # open, in_progress, done, stalled, dropped


@dataclass(frozen=True)
class NeighbourhoodSummary:
    neighbourhood_id: str | None  # None: meetings and agreements without a neighbourhood
    name: str
    municipality: str
    held: int
    planned: int
    attendance: int
    by_status: dict[str, int] = field(default_factory=dict)
    overdue: int = 0

    @property
    def agreements(self) -> int:
        return sum(self.by_status.values())

    def status(self, status: str) -> int:
        return self.by_status.get(status, 0)


@dataclass(frozen=True)
class OverdueAgreement:
    neighbourhood: str
    title: str
    owner: str
    due_on: date
    status: str
    days_late: int


@dataclass(frozen=True)
class MeetingLine:
    neighbourhood: str
    starts_at: datetime | None
    title: str
    status: str
    attendance: int | None  # only for meetings that took place


@dataclass(frozen=True)
class Table:
    key: str
    title: str  # in the current language, like the headers
    headers: tuple[str, ...]
    rows: list[tuple[Any, ...]]


def status_header(status: str) -> str:
    """An agreement status as a column header: 'Bezig', 'Vastgelopen'."""
    return gettext(AGREEMENT_STATUSES.get(status, status)).capitalize()


@dataclass
class Overview:
    today: date
    neighbourhoods: list[NeighbourhoodSummary]
    overdue: list[OverdueAgreement]
    meetings: list[MeetingLine]

    def total(self) -> NeighbourhoodSummary:
        """All neighbourhoods together."""
        rows = self.neighbourhoods
        return NeighbourhoodSummary(None, gettext("Total"), "", sum(r.held for r in rows), sum(r.planned for r in rows),
                                    sum(r.attendance for r in rows),
                                    {s: sum(r.status(s) for r in rows) for s in STATUSES},
                                    sum(r.overdue for r in rows))  # fmt: skip

    def tables(self) -> list[Table]:
        """The three tables with their headers in the current language."""
        summary = [(r.name, r.municipality, r.held, r.planned, r.attendance, *(r.status(s) for s in STATUSES),
                    r.agreements, r.overdue) for r in [*self.neighbourhoods, self.total()]]  # fmt: skip
        summary_headers = (gettext("Neighbourhood"), gettext("Municipality"), gettext("Meetings held"),
                           gettext("Meetings planned"), gettext("Attendance"), *map(status_header, STATUSES),
                           gettext("Agreements"), gettext("Overdue"))  # fmt: skip
        overdue = [(a.neighbourhood, a.title, a.owner, a.due_on, gettext(AGREEMENT_STATUSES.get(a.status, a.status)),
                    a.days_late) for a in self.overdue]  # fmt: skip
        meetings = [(m.neighbourhood, m.starts_at, m.title, gettext(SESSION_STATUSES.get(m.status, m.status)),
                     m.attendance) for m in self.meetings]  # fmt: skip
        return [
            Table("neighbourhoods", gettext("Neighbourhoods"), summary_headers, summary),
            Table("overdue", gettext("Overdue agreements"),
                  tuple(map(gettext, (N_("Neighbourhood"), N_("Agreement"), N_("Who"), N_("Due"), N_("Status"),
                                      N_("Days late")))), overdue),  # fmt: skip
            Table("meetings", gettext("Meetings"),
                  tuple(map(gettext, (N_("Neighbourhood"), N_("Date"), N_("Meeting"), N_("Status"),
                                      N_("Attendance")))), meetings),  # fmt: skip
        ]


def overview(kit: Kit, today: date | None = None) -> Overview:
    """Meetings, attendance and agreements per neighbourhood, on ``today``."""
    today = today or date.today()
    no_place = gettext("(no neighbourhood)")
    places = {n.id: n for n in kit.neighbourhoods.list(include_archived=True)}
    meetings = kit.sessions.list()
    where = {s.id: s.neighbourhood_id if s.neighbourhood_id in places else None for s in meetings}
    counts: dict[str | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    lines = []
    for meeting in meetings:
        count = counts[where[meeting.id]]
        present = None
        if meeting.status in HELD_STATUSES:
            present = kit.attendance.total(meeting.id)
            count["held"] += 1
            count["attendance"] += present
        elif meeting.status == "planned":
            count["planned"] += 1
        place = places.get(where[meeting.id])
        lines.append(MeetingLine(place.name if place else no_place, dates.parse(meeting.starts_at), meeting.title,
                                 meeting.status, present))  # fmt: skip
    late = []
    for agreement in kit.agreements.list():
        place_id = where.get(agreement.session_id)
        count = counts[place_id]
        count["status:" + agreement.status] += 1
        due = date.fromisoformat(agreement.due_on) if agreement.due_on else None
        if agreement.status in ("open", "in_progress", "stalled") and due and due < today:
            count["overdue"] += 1
            place = places.get(place_id)
            late.append(OverdueAgreement(place.name if place else no_place, agreement.title, agreement.owner_shown,
                                         due, agreement.status, (today - due).days))  # fmt: skip
    summaries = []
    for place_id in sorted(set(places) | set(counts), key=lambda i: (i is None, sort_key(places[i].name if i else ""))):
        place, count = places.get(place_id), counts.get(place_id, {})
        if place_id is not None and place.archived and not count:
            continue
        if place_id is None and not count:
            continue
        summaries.append(NeighbourhoodSummary(
            place_id, place.name if place else no_place, (place.municipality or "") if place else "",
            count.get("held", 0), count.get("planned", 0), count.get("attendance", 0),
            {s: count.get("status:" + s, 0) for s in STATUSES}, count.get("overdue", 0)))  # fmt: skip
    late.sort(key=lambda a: (-a.days_late, sort_key(a.neighbourhood), sort_key(a.title)))
    lines.sort(key=lambda m: (sort_key(m.neighbourhood), m.starts_at or datetime.min))
    return Overview(today, summaries, late, lines)


# -- export ------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value.day}-{value.month}-{value.year} {value:%H:%M}"
    if isinstance(value, date):
        return f"{value.day}-{value.month}-{value.year}"
    return str(value)


def _csv_text(value: Any) -> str:
    """A CSV field: text that a spreadsheet could take for a formula gets a leading ' (OWASP's advice on
    CSV injection), so a title like =HYPERLINK(...) shows as typed; numbers and dates stay as they are."""
    shown = _text(value)
    return "'" + shown if isinstance(value, str) and shown.startswith(FORMULA_START) else shown


def file_stem(table: Table) -> str:
    """The table's name in the current language as a file name, e.g. 'afspraken-te-laat'."""
    return re.sub(r"[^a-z0-9]+", "-", table.title.lower()).strip("-") or table.key


def write_csv(report: Overview, folder: Path) -> list[Path]:
    """One CSV file per table in ``folder``: ';' between fields and a BOM, as Dutch Excel expects."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table in report.tables():
        text = io.StringIO(newline="")
        writer = csv.writer(text, delimiter=";")
        writer.writerow([_csv_text(h) for h in table.headers])
        writer.writerows([_csv_text(v) for v in row] for row in table.rows)
        written.append(write_atomically(folder / f"{file_stem(table)}.csv", text.getvalue().encode("utf-8-sig")))
    return written


def sheet_title(table: Table) -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet's name."""
    return re.sub(r"[\[\]:*?/\\]", "-", table.title)[:31]


def _xml_safe(value: Any) -> Any:
    """Without the control characters an XLSX cannot hold (openpyxl refuses a whole export for one)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _as_text(cell: Any, value: Any) -> None:
    """Text stays text: openpyxl makes a formula of any text starting with '=' (and an error value of
    '#N/A'), so a typed-in =HYPERLINK(...) would run in the municipality's Excel."""
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True  # and Excel keeps it text when someone edits the cell


def write_xlsx(report: Overview, path: Path) -> Path:
    """One workbook, one sheet per table; dates as real dates, numbers as numbers, text as text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in report.tables():
        sheet = workbook.create_sheet(sheet_title(table))
        sheet.append(list(table.headers))
        for cell, header in zip(sheet[1], table.headers, strict=True):
            cell.font = Font(bold=True)
            _as_text(cell, header)
        for row in table.rows:
            row = [_xml_safe(v) for v in row]
            sheet.append(row)
            for cell, value in zip(sheet[sheet.max_row], row, strict=True):
                _as_text(cell, value)
                if isinstance(value, datetime):
                    cell.number_format = "d-m-yyyy hh:mm"
                elif isinstance(value, date):
                    cell.number_format = "d-m-yyyy"
        for index, header in enumerate(table.headers, start=1):
            longest = max([len(header)] + [len(_text(r[index - 1])) for r in table.rows])
            sheet.column_dimensions[sheet.cell(1, index).column_letter].width = min(60, longest + 2)
        sheet.freeze_panes = "A2"
    data = io.BytesIO()
    workbook.save(data)
    return write_atomically(path, data.getvalue())
