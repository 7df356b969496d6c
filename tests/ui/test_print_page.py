"""Uitdraaien: a handout is made in the background, previewed, saved and printed."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from tests.ui.conftest import open_printing

from ui import background


@pytest.fixture
def page(qtbot, window):
    return open_printing(qtbot, window)


def _choose(qtbot, page, kind: str) -> None:
    page.documents.setCurrentRow(page.kinds.index(kind))
    background.wait()
    qtbot.waitUntil(lambda: page.pdf.pageCount() > 0 and page.status.text().endswith(("pagina", "pagina's")))


def test_a_handout_is_previewed_saved_and_printed(qtbot, page, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    _choose(qtbot, page, "agreements")
    assert page.meeting.isEnabled()
    assert page.data.startswith(b"%PDF")
    target = tmp_path / "afspraken.pdf"
    assert page.save_to(target)
    assert "Afspraken om mee te nemen" in PdfReader(target).pages[0].extract_text()
    assert not list(tmp_path.glob("*.part"))

    printer = QPrinter(QPrinter.HighResolution)
    printer.setOutputFormat(QPrinter.PdfFormat)
    printed = tmp_path / "printer.pdf"
    printer.setOutputFileName(str(printed))
    assert page.print_to(printer) == page.pdf.pageCount()
    assert len(PdfReader(printed).pages) == page.pdf.pageCount()
    assert page.status.text() == "Naar de printer gestuurd."


def test_the_progress_report_needs_no_meeting_and_the_pack_has_all_documents(qtbot, page):
    _choose(qtbot, page, "progress")
    assert not page.meeting.isEnabled()
    assert "Voortgangsrapportage" in PdfReader(__import__("io").BytesIO(page.data)).pages[0].extract_text()
    _choose(qtbot, page, "pack")
    assert page.pdf.pageCount() >= 10


def test_a_meeting_without_agenda_still_gives_a_readable_script(qtbot, page):
    kit = page.kit
    session_id = kit.sessions.add("Lege avond", "2027-03-01T19:30", "2027-03-01T21:00")
    page.load_meetings()
    page.meeting.setCurrentIndex(page.meeting.findData(session_id))
    _choose(qtbot, page, "script")
    text = PdfReader(__import__("io").BytesIO(page.data)).pages[0].extract_text()
    assert "Lege avond" in text and "nog niet gemaakt" in text


def test_a_name_no_font_can_print_is_named_beside_the_preview(qtbot, page):
    from PySide6.QtCore import Qt

    kit = page.kit
    meeting = page.meeting.currentData()
    kit.attendance.mark(meeting, kit.people.add("𠮷田 花子", consent_share=1), table_no=2)
    page.documents.setFocus()
    rect = page.documents.visualItemRect(page.documents.item(page.kinds.index("signin")))
    qtbot.mouseClick(page.documents.viewport(), Qt.LeftButton, pos=rect.center())
    background.wait()
    qtbot.waitUntil(lambda: page.pdf.pageCount() > 0 and page.gaps.isVisible())
    assert "𠮷田 花子" in page.gaps.text() and "U+20BB7" in page.gaps.text()
    assert page.gaps.text().startswith("Niet alles kon worden afgedrukt")
    qtbot.keyClick(page.documents, Qt.Key_Up)  # Werkkaarten: no names, nothing to say
    background.wait()
    qtbot.waitUntil(lambda: not page.gaps.isVisible())
