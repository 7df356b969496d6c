"""The names suggested in 'Opslaan als' work on Windows too (issue 15, 8), and a calendar file open in
another program is said in a message box, through the app's own error route (issue 15, 3).

A meeting called "Wijk 3: wat nu?" once suggested ``Wijk 3: wat nu?.ics``, which Windows refuses.
"""

from __future__ import annotations

import sys

import pytest

from PySide6.QtCore import Qt

from tests.ui.modal import answer_modal
from tests.ui.test_file_in_use import open_elsewhere
from wijkkit import templates
from wijkkit.errors import FileInUseError

from ui import errors

TITLE = 'Wijk 3: wat nu? <"Noord"/Zuid>...'


@pytest.fixture
def meeting(plan):
    session_id = plan.kit.sessions.plan(TITLE, "2027-01-12T19:30", "2027-01-12T22:00", templates.builtin())
    plan.series.refresh()
    plan.select_session(session_id)
    return session_id


def suggestions(monkeypatch, module, answer: str = "") -> list[str]:
    """The names the save dialog is opened with; it answers ``answer`` ('' is Cancel)."""
    seen: list[str] = []

    def save_file_name(parent, caption, suggested="", filters=""):
        seen.append(suggested)
        return answer, filters

    monkeypatch.setattr(module, "save_file_name", save_file_name)
    return seen


def test_the_calendar_file_is_named_after_the_meeting_without_what_windows_refuses(qtbot, plan, meeting, monkeypatch):
    from ui.pages.plan import page as module

    seen = suggestions(monkeypatch, module)
    qtbot.mouseClick(plan.ics_button, Qt.LeftButton)
    assert seen == ["Wijk 3 wat nu Noord Zuid.ics"]


@pytest.mark.parametrize(("name", "suggested"),
                         [('Jan "de Boer"', "inzage Jan de Boer.pdf"), ("A/B: C?", "inzage A B C.pdf")])  # fmt: skip
def test_the_inzage_is_named_after_the_person(qtbot, window, monkeypatch, name, suggested):
    from tests.ui.hands import click_row, row_of

    from ui.pages.people import people_tab
    from ui.pages.people.page import PeoplePage

    window.kit.people.add(name)
    index = next(i for i in range(window.page_count) if isinstance(window.page(i), PeoplePage))
    rect = window.nav.visualItemRect(window.nav.item(index))
    qtbot.mouseClick(window.nav.viewport(), Qt.LeftButton, pos=rect.center())
    page = window.page(index)
    page.tabs.setCurrentWidget(page.people)
    tab = page.people
    tab.refresh()
    click_row(qtbot, tab.table, row_of(tab.table.model(), 0, name))
    seen = suggestions(monkeypatch, people_tab)
    qtbot.mouseClick(tab.export_button, Qt.LeftButton)
    assert seen == [suggested]


@pytest.mark.qt_no_exception_capture
def test_a_calendar_file_open_elsewhere_is_said_in_a_message_box(qtbot, plan, meeting, monkeypatch, tmp_path):
    from ui.pages.plan import page as module

    target = tmp_path / "Wijk 3.ics"
    target.write_bytes(b"BEGIN:VCALENDAR open in Outlook")
    suggestions(monkeypatch, module, str(target))
    open_elsewhere(monkeypatch, target)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # install() replaces it: put it back after
    monkeypatch.setattr(errors, "_log_file", None)
    errors.install(tmp_path)
    said: list[str] = []
    answer_modal(lambda: qtbot.mouseClick(plan.ics_button, Qt.LeftButton), lambda box: said.append(box.text()))
    assert said == [FileInUseError(path=str(target)).localized()]
    assert target.read_bytes() == b"BEGIN:VCALENDAR open in Outlook"


def test_a_template_is_exported_under_its_name_made_safe(qtbot, plan, monkeypatch):
    from ui.pages.plan import templates_dialog
    from ui.pages.plan.templates_dialog import TemplatesDialog

    dialog = TemplatesDialog(plan.kit, plan)
    qtbot.addWidget(dialog)
    dialog.copy_as("Avond: kort/lang?")
    seen = suggestions(monkeypatch, templates_dialog)
    qtbot.mouseClick(dialog.export_button, Qt.LeftButton)
    assert seen == ["Avond kort lang.json"]
