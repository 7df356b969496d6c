"""The hub's overview per neighbourhood, and its CSV and Excel export, on the demo village."""

from __future__ import annotations

import csv
import re
import zipfile
from datetime import date, datetime

from openpyxl import load_workbook

from wijkkit import hub_report
from wijkkit.models import AGREEMENT_STATUSES

DEMO_TODAY = date(2026, 11, 29)  # as in tests/conftest.py


def test_the_demo_village_per_neighbourhood(demo_kit):
    report = hub_report.overview(demo_kit, DEMO_TODAY)
    rows = {r.name: r for r in report.neighbourhoods}
    assert list(rows) == ["Ellerveen", "Veldhorst-Oost"]
    village, east = rows["Ellerveen"], rows["Veldhorst-Oost"]
    assert (village.held, village.planned, village.municipality) == (1, 1, "Veldhorst")
    held = next(s for s in demo_kit.sessions.list() if s.status == "held")
    assert village.attendance == demo_kit.attendance.total(held.id) == 18  # 12 signed in, 6 without registering
    assert village.by_status == {"open": 3, "in_progress": 1, "done": 1, "stalled": 1, "dropped": 0}
    assert set(village.by_status) == set(AGREEMENT_STATUSES)
    assert village.agreements == sum(village.by_status.values()) == len(demo_kit.agreements.list()) == 6
    assert (east.held, east.planned, east.attendance, east.agreements, east.overdue) == (0, 0, 0, 0, 0)

    late = demo_kit.agreements.overdue(DEMO_TODAY)
    assert village.overdue == len(late) == 1
    assert [(a.neighbourhood, a.title, a.days_late) for a in report.overdue] == [
        ("Ellerveen", late[0].title, (DEMO_TODAY - date.fromisoformat(late[0].due_on)).days)]
    assert report.overdue[0].owner == late[0].owner_label

    total = report.total()
    assert (total.held, total.planned, total.attendance, total.agreements) == (1, 1, 18, 6)
    assert [m.title for m in report.meetings] == [s.title for s in demo_kit.sessions.list()]
    assert [m.attendance for m in report.meetings] == [18, None]


def test_later_days_make_more_agreements_late_and_meetings_without_a_neighbourhood_count_apart(demo_kit):
    later = hub_report.overview(demo_kit, date(2027, 6, 1))
    open_ones = [a for a in demo_kit.agreements.open() if a.due_on]
    assert len(later.overdue) == len(open_ones) == later.neighbourhoods[0].overdue
    assert later.overdue == sorted(later.overdue, key=lambda a: -a.days_late)

    loose = demo_kit.sessions.add("Losse avond", "2026-12-10T19:30", "2026-12-10T21:00")
    demo_kit.agreements.add("Bankje plaatsen", loose, owner_party="Dorpsbelang")
    rows = hub_report.overview(demo_kit, DEMO_TODAY).neighbourhoods
    assert rows[-1].neighbourhood_id is None and rows[-1].name == "(geen wijk)"
    assert (rows[-1].planned, rows[-1].by_status["open"], rows[-1].agreements) == (1, 1, 1)


def test_csv_files_for_dutch_excel(demo_kit, tmp_path):
    report = hub_report.overview(demo_kit, DEMO_TODAY)
    written = hub_report.write_csv(report, tmp_path / "export")
    assert [p.name for p in written] == ["wijken.csv", "afspraken-die-te-laat-zijn.csv", "bijeenkomsten.csv"]
    assert not list((tmp_path / "export").glob("*.part"))
    raw = written[0].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads the file as UTF-8
    with written[0].open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows[0] == ["Wijk", "Gemeente", "Gehouden bijeenkomsten", "Geplande bijeenkomsten", "Aanwezigheid", "Open",
                       "Bezig", "Afgerond", "Vastgelopen", "Vervallen", "Afspraken", "Te laat"]  # fmt: skip
    assert rows[1] == ["Ellerveen", "Veldhorst", "1", "1", "18", "3", "1", "1", "1", "0", "6", "1"]
    assert rows[-1][0] == "Totaal"
    with written[1].open(encoding="utf-8-sig", newline="") as handle:
        late = list(csv.reader(handle, delimiter=";"))
    due = date.fromisoformat(demo_kit.agreements.overdue(DEMO_TODAY)[0].due_on)
    assert late[1][0] == "Ellerveen" and late[1][3] == f"{due.day}-{due.month}-{due.year}"
    assert "Şükrü" in written[1].read_text(encoding="utf-8-sig")


def test_an_excel_workbook_with_a_sheet_per_table(demo_kit, tmp_path):
    report = hub_report.overview(demo_kit, DEMO_TODAY)
    path = hub_report.write_xlsx(report, tmp_path / "overzicht.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == ["Wijken", "Afspraken die te laat zijn", "Bijeenkomsten"]
    sheet = book["Wijken"]
    header = [c.value for c in sheet[1]]
    assert header[:5] == ["Wijk", "Gemeente", "Gehouden bijeenkomsten", "Geplande bijeenkomsten", "Aanwezigheid"]
    assert [c.value for c in sheet[2]] == ["Ellerveen", "Veldhorst", 1, 1, 18, 3, 1, 1, 1, 0, 6, 1]
    assert sheet.max_row == len(report.neighbourhoods) + 2  # the header and the total
    assert isinstance(book["Afspraken die te laat zijn"]["D2"].value, datetime)  # a real date for Excel
    meetings = book["Bijeenkomsten"]
    assert [c.value for c in meetings[1]] == ["Wijk", "Datum", "Bijeenkomst", "Status", "Aanwezigheid"]
    assert meetings.max_row == 1 + len(demo_kit.sessions.list())
    assert not list(tmp_path.glob("*.part"))


FORMULAS = ['=HYPERLINK("http://x","klik")', "@SUM(A1)", "+31 6 1234", "-2+3"]


def test_text_that_looks_like_a_formula_stays_text_in_excel_and_csv(demo_kit, tmp_path):
    """Titles are typed by anyone: in the municipality's spreadsheet they must never run."""
    for title in FORMULAS:
        demo_kit.agreements.add(title, None, due_on="2026-11-01", owner_party="=cmd|' /C calc'!A0")
    report = hub_report.overview(demo_kit, DEMO_TODAY)
    assert {a.title for a in report.overdue} >= set(FORMULAS)

    path = hub_report.write_xlsx(report, tmp_path / "overzicht.xlsx")
    sheet = load_workbook(path)["Afspraken die te laat zijn"]
    cells = {row[1].value: row for row in sheet.iter_rows(min_row=2)}
    for title in FORMULAS:
        title_cell, owner_cell, days_cell = cells[title][1], cells[title][2], cells[title][5]
        assert (title_cell.value, title_cell.data_type) == (title, "s")
        assert (owner_cell.value, owner_cell.data_type) == ("=cmd|' /C calc'!A0", "s")
        assert isinstance(days_cell.value, int) and days_cell.data_type == "n"  # numbers stay numbers
    with zipfile.ZipFile(path) as book:
        for name in book.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<f[ >]", book.read(name)), f"a formula in {name}"

    written = hub_report.write_csv(report, tmp_path / "export")
    with written[1].open(encoding="utf-8-sig", newline="") as handle:
        rows = {row[1]: row for row in csv.reader(handle, delimiter=";")}
    for title in FORMULAS:
        assert rows["'" + title][2] == "'=cmd|' /C calc'!A0"
        assert rows["'" + title][5].isdigit()  # days late: a plain number, no quote


def test_negative_numbers_stay_numbers_and_only_text_gets_a_quote(tmp_path):
    late = hub_report.OverdueAgreement("-Oost", "-3", "\t=1+1", date(2026, 12, 1), "open", -2)
    report = hub_report.Overview(DEMO_TODAY, [], [late], [])
    with hub_report.write_csv(report, tmp_path / "csv")[1].open(encoding="utf-8-sig", newline="") as handle:
        [row] = list(csv.reader(handle, delimiter=";"))[1:]
    assert row == ["'-Oost", "'-3", "'\t=1+1", "1-12-2026", "open", "-2"]
    sheet = load_workbook(hub_report.write_xlsx(report, tmp_path / "late.xlsx"))["Afspraken die te laat zijn"]
    assert [(c.value, c.data_type) for c in sheet[2]][:3] == [("-Oost", "s"), ("-3", "s"), ("\t=1+1", "s")]
    assert (sheet["F2"].value, sheet["F2"].data_type) == (-2, "n")


def test_a_control_character_in_a_title_does_not_stop_the_xlsx_export(tmp_path):
    from wijkkit.kit import Kit

    with Kit.memory() as kit:
        kit.insert("neighbourhood", {"name": "Eller\x0bveen\x1b", "municipality": "Veldhorst"})
        path = hub_report.write_xlsx(hub_report.overview(kit), tmp_path / "overzicht.xlsx")
    cells = [c.value for sheet in load_workbook(path) for row in sheet.iter_rows() for c in row]
    assert "Ellerveen" in cells
