"""Uitdraaien (issue 14): the buttons stay put when the status line wraps (9), 'Opslaan als PDF…'
opens in Dutch in Documents and then in the folder last used (22), and the page fits 780x560 (3)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QLabel, QLineEdit

from tests.ui.conftest import open_printing
from tests.ui.hands import in_dialog, retype

from ui import background


@pytest.fixture
def page(qtbot, window):
    printing = open_printing(qtbot, window)
    qtbot.waitUntil(lambda: printing.pdf.pageCount() > 0)
    return printing


def places(page) -> list[tuple[int, int, int, int]]:
    buttons = (page.show_button, page.save_button, page.print_button, page.open_button, page.meeting)
    return [(*b.mapTo(page, b.rect().topLeft()).toTuple(), b.width(), b.height()) for b in buttons]


def save_through_the_dialog(qtbot, page, target: Path) -> dict:
    seen: dict = {}

    def answer(dialog: QFileDialog) -> None:
        assert isinstance(dialog, QFileDialog)
        seen["folder"] = Path(dialog.directory().absolutePath())
        seen["labels"] = [label.text() for label in dialog.findChildren(QLabel)]
        edit = dialog.findChild(QLineEdit, "fileNameEdit")
        assert QApplication.focusWidget() is edit
        retype(qtbot, edit, str(target))
        if edit.completer() is not None and edit.completer().popup().isVisible():
            edit.completer().popup().hide()
        box = dialog.findChild(QDialogButtonBox)
        accept = next(b for b in box.buttons() if box.buttonRole(b) == QDialogButtonBox.AcceptRole)
        qtbot.mouseClick(accept, Qt.LeftButton)

    in_dialog(qtbot, page.save_button, answer)
    return seen


def test_the_buttons_stay_put_when_the_status_line_wraps(qtbot, page, window, tmp_path):
    window.resize(1024, 768)
    qtbot.wait(50)
    before = places(page)
    one_line = page.status.height()
    deep = tmp_path / ("een heel lange mapnaam voor de uitdraai " * 3).strip()
    deep.mkdir()
    save_through_the_dialog(qtbot, page, deep / "afspraken van de bijeenkomst.pdf")
    assert (deep / "afspraken van de bijeenkomst.pdf").exists()
    QApplication.processEvents()
    assert str(deep) in page.status.text()
    assert places(page) == before and page.status.height() == one_line
    assert page.status.toolTip() == page.status.text()  # what two lines cannot hold


def test_save_opens_in_documents_in_dutch_then_in_the_folder_last_used(qtbot, page, tmp_path):
    QSettings().remove("files/lastFolder")
    documents = Path(os.environ["HOME"]) / "Documents"
    documents.mkdir(exist_ok=True)
    elsewhere = tmp_path / "elders"
    elsewhere.mkdir()
    seen = save_through_the_dialog(qtbot, page, elsewhere / "programma.pdf")
    assert seen["folder"] == documents.resolve() or seen["folder"] == documents
    assert "Zoeken in:" in seen["labels"] and "Bestanden van type:" in seen["labels"]
    assert not any("Look in" in text or "Files of" in text for text in seen["labels"])
    assert (elsewhere / "programma.pdf").exists()
    again = save_through_the_dialog(qtbot, page, elsewhere / "programma 2.pdf")
    assert again["folder"] == elsewhere


def test_the_page_fits_780_by_560(qtbot, page):
    for row in range(page.documents.count()):
        page.documents.setCurrentRow(row)
        background.wait()
        hint = page.minimumSizeHint()
        assert hint.width() <= 780 and hint.height() <= 560, (page.kinds[row], hint.toTuple())
