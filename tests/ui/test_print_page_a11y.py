"""Uitdraaien by keyboard and screen reader (issue 17): named controls, a Tab order that goes down the
page and leaves the document list, and the feedback report saved as PDF with its HTML beside it."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import open_printing
from wijkkit.i18n import _

from ui import background


@pytest.fixture
def page(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return open_printing(qtbot, window)


def name_of(widget) -> str:
    """The name a screen reader speaks, as Qt hands it to the accessibility bus."""
    return QAccessible.queryAccessibleInterface(widget).text(QAccessible.Text.Name)


def feedback_by_keyboard(qtbot, page) -> None:
    """A click on the document list, then the arrow keys down to the feedback report."""
    documents = page.documents
    rect = documents.visualItemRect(documents.item(documents.currentRow()))
    qtbot.mouseClick(documents.viewport(), Qt.LeftButton, pos=rect.center())
    assert QApplication.focusWidget() is documents
    while page.kind() != "feedback":
        qtbot.keyClick(documents, Qt.Key_Down)
    background.wait()
    qtbot.waitUntil(lambda: page.data is not None and page.html is not None and page.pdf.pageCount() > 0)


def labels_of(widget) -> list[str]:
    """The texts of the labels a screen reader finds through the widget's 'labelled by' relation."""
    relations = QAccessible.queryAccessibleInterface(widget).relations(QAccessible.RelationFlag.Label)
    return [other.text(QAccessible.Text.Name) for other, _relation in relations]


def test_every_control_of_the_page_has_a_dutch_name(qtbot, page):
    assert name_of(page.documents) == "Document" and labels_of(page.documents) == ["Document"]
    # a combo box on Linux speaks its value as its name, and its label through the relation
    assert page.meeting.accessibleName() == "Bijeenkomst" and labels_of(page.meeting) == ["Bijeenkomst"]
    assert name_of(page.view) == _("Preview of the document")  # "Voorbeeld van het document"
    assert name_of(page.gaps) == "Let op"
    for button in (page.show_button, page.save_button, page.print_button, page.open_button):
        assert name_of(button), button.text()


def test_tab_goes_down_the_page_and_out_of_the_document_list(qtbot, page):
    feedback_by_keyboard(qtbot, page)
    reached = []
    for _press in range(7):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Tab)
        reached.append(QApplication.focusWidget())
    assert reached[:6] == [page.meeting, page.show_button, page.save_button, page.print_button,
                           page.open_button, page.view]  # fmt: skip
    assert reached[6] is not page.documents and not page.isAncestorOf(reached[6])  # on, out of the page


@pytest.mark.parametrize("how", ["keyboard", "mouse"])
def test_saving_the_feedback_report_writes_the_html_beside_the_pdf(qtbot, page, tmp_path, monkeypatch, how):
    from ui.pages.printing import page as module

    tmp_path = tmp_path / "out"  # the database lives in tmp_path itself
    tmp_path.mkdir()
    target = tmp_path / "terugkoppeling.pdf"
    monkeypatch.setattr(module, "save_file_name", lambda *_args, **_kwargs: (str(target), "PDF (*.pdf)"))
    feedback_by_keyboard(qtbot, page)
    if how == "keyboard":
        for _press in range(3):  # the meeting, Tonen, Opslaan als PDF
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Tab)
        assert QApplication.focusWidget() is page.save_button
        qtbot.keyClick(page.save_button, Qt.Key_Space)
    else:
        qtbot.mouseClick(page.save_button, Qt.LeftButton)
    html = tmp_path / "terugkoppeling.html"
    assert target.read_bytes() == page.data
    assert sorted(p.name for p in tmp_path.iterdir()) == ["terugkoppeling.html", "terugkoppeling.pdf"]
    text = html.read_text(encoding="utf-8")
    assert text == page.html and '<html lang="nl">' in text
    HTMLParser().feed(text)
    said = _("Saved as {path}, with {name} beside it for screen readers.")  # "Opgeslagen als ..., met ... ernaast"
    assert page.status.text() == said.format(path=target, name="terugkoppeling.html")


def test_a_handout_without_html_is_saved_alone(qtbot, page, tmp_path, monkeypatch):
    from ui.pages.printing import page as module

    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    target = tmp_path / "programma.pdf"
    monkeypatch.setattr(module, "save_file_name", lambda *_args, **_kwargs: (str(target), "PDF (*.pdf)"))
    assert page.kind() == "programme" and page.html is None
    qtbot.mouseClick(page.save_button, Qt.LeftButton)
    assert [p.name for p in tmp_path.iterdir()] == ["programma.pdf"]
    assert page.status.text() == f"Opgeslagen als {target}."
