"""Saving over a file another program has open (issue 15, 3): a PDF in Acrobat, a workbook in Excel.

Windows refuses to replace a file that is open there (PermissionError, winerror 32), also after
Wijkkit has waited a moment. The user then reads what to do in a message box, and the file keeps
its earlier contents: nothing is lost. Linux holds nothing, so the tests make it so.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from tests.ui.conftest import open_printing
from tests.ui.modal import answer_modal
from wijkkit import atomic
from wijkkit.errors import FileInUseError

from ui import background


def open_elsewhere(monkeypatch, path: Path) -> None:
    """``path`` is open in another program from now on: it cannot be replaced."""
    real = os.replace

    def replace(source, target):
        if Path(target) == path:
            error = PermissionError(13, "The process cannot access the file because it is being used by another process")
            error.winerror = 32
            raise error
        return real(source, target)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(atomic.time, "sleep", lambda seconds: None)


def message_of(trigger) -> str:
    said: list[str] = []

    def read(box) -> None:
        assert isinstance(box, QMessageBox)
        said.append(box.text())
        box.accept()

    answer_modal(trigger, read)
    return said[0]


def test_saving_over_a_pdf_open_in_a_viewer_says_so_and_keeps_the_file(qtbot, window, tmp_path, monkeypatch):
    from ui.pages.printing import page as module

    page = open_printing(qtbot, window)
    qtbot.waitUntil(lambda: page.data is not None)
    target = tmp_path / "Programma.pdf"
    target.write_bytes(b"%PDF the one Acrobat shows")
    open_elsewhere(monkeypatch, target)
    suggested: list[str] = []
    monkeypatch.setattr(module, "save_file_name",
                        lambda parent, caption, name, filters: (suggested.append(name), (str(target), filters))[1])  # fmt: skip

    said = message_of(lambda: qtbot.mouseClick(page.save_button, Qt.LeftButton))
    assert said == FileInUseError(path=str(target)).localized()
    assert target.read_bytes() == b"%PDF the one Acrobat shows"
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix in (".pdf", ".part")) == ["Programma.pdf"]
    assert suggested[0].endswith(".pdf") and ":" not in suggested[0]

    monkeypatch.undo()  # closed in Acrobat: saving works again
    assert page.save_to(target) and target.read_bytes() == page.data


@pytest.mark.usefixtures("dutch_app")
def test_exporting_over_a_workbook_open_in_excel_says_so_and_keeps_it(qtbot, hub, tmp_path, monkeypatch):
    from tests.ui.sync_hands import open_page

    page = open_page(qtbot, hub)
    assert page.hub.make_hub(tmp_path / "hub-sleutel.wijkhub", "Gemeente Veldhorst")
    overview = page.hub.overview
    workbook = tmp_path / "overzicht.xlsx"
    workbook.write_bytes(b"PK the workbook Excel shows")
    open_elsewhere(monkeypatch, workbook)

    def export() -> None:
        overview.export_xlsx(workbook)
        background.wait()

    said = message_of(export)
    assert said == FileInUseError(path=str(workbook)).localized()
    assert overview.status.text() == said
    assert workbook.read_bytes() == b"PK the workbook Excel shows"
    assert not list(tmp_path.glob("*.part"))
