"""Edits on Plannen are never lost silently (issue 14): a step's edit in the side panel is
applied when another row is chosen or Enter is pressed, a refused one keeps its row; leaving
a meeting with unsaved details asks first; a long step title is shown from its start."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.ui.modal import answer_modal
from wijkkit import templates


def _meeting(kit, title="Avond", days=40) -> str:
    day = date.today() + timedelta(days=days)
    return kit.sessions.plan(title, f"{day}T19:30", f"{day}T22:00", templates.builtin())


def _agenda(qtbot, plan, session_id):
    plan.select_session(session_id)
    plan.tabs.setCurrentIndex(1)
    editor = plan.agenda_editor
    qtbot.mouseClick(editor.table.viewport(), Qt.LeftButton, pos=editor.table.visualRect(editor.model.index(0, 1)).center())
    return editor


def _click_row(qtbot, editor, row: int) -> None:
    rect = editor.table.visualRect(editor.model.index(row, 1))
    qtbot.mouseClick(editor.table.viewport(), Qt.LeftButton, pos=rect.center())


def _retype(qtbot, widget, text: str) -> None:
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_A, Qt.ControlModifier)
    qtbot.keyClicks(QApplication.focusWidget(), text)


def test_a_step_edit_is_applied_when_another_row_is_chosen(qtbot, plan):
    session_id = _meeting(plan.kit)
    editor = _agenda(qtbot, plan, session_id)
    _retype(qtbot, editor.title_edit, "Koffie en kennismaken")
    _retype(qtbot, editor.minutes_edit, "17")
    _click_row(qtbot, editor, 2)
    steps = plan.kit.sessions.steps(session_id)
    assert (steps[0].title, steps[0].minutes) == ("Koffie en kennismaken", 17)
    assert editor.selected_row() == 2 and editor.title_edit.text() == steps[2].title


def test_a_refused_step_edit_keeps_its_row_and_says_why(qtbot, plan):
    session_id = _meeting(plan.kit)
    editor = _agenda(qtbot, plan, session_id)
    before = plan.kit.sessions.steps(session_id)[0].title
    _retype(qtbot, editor.title_edit, " ")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Backspace)  # an empty title
    _click_row(qtbot, editor, 2)
    qtbot.waitUntil(lambda: editor.selected_row() == 0)
    qtbot.wait(20)
    assert editor.selected_row() == 0
    assert editor.form.error_text("title")
    assert editor.title_edit.text() == ""
    assert plan.kit.sessions.steps(session_id)[0].title == before
    _retype(qtbot, editor.title_edit, "Welkom")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Return)  # nothing left pending for closing


def test_enter_in_title_or_minutes_applies(qtbot, plan):
    session_id = _meeting(plan.kit)
    editor = _agenda(qtbot, plan, session_id)
    _retype(qtbot, editor.minutes_edit, "23")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Return)
    assert plan.kit.sessions.steps(session_id)[0].minutes == 23
    _retype(qtbot, editor.title_edit, "Welkom allemaal")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Return)
    assert plan.kit.sessions.steps(session_id)[0].title == "Welkom allemaal"


def test_leaving_the_agenda_tab_applies_the_step(qtbot, plan):
    session_id = _meeting(plan.kit)
    editor = _agenda(qtbot, plan, session_id)
    _retype(qtbot, editor.minutes_edit, "19")
    tab_bar = plan.tabs.tabBar()
    qtbot.mouseClick(tab_bar, Qt.LeftButton, pos=tab_bar.tabRect(0).center())
    assert plan.kit.sessions.steps(session_id)[0].minutes == 19


def _change_end(qtbot, plan) -> None:
    plan.tabs.setCurrentIndex(0)
    _retype(qtbot, plan.details.end, "21:45")


def _click_meeting(qtbot, plan, session_id) -> None:
    row = next(r for r in range(plan.series.rowCount()) if plan.series.record(r).id == session_id)
    rect = plan.series_view.visualRect(plan.series.index(row, 0))
    qtbot.mouseClick(plan.series_view.viewport(), Qt.LeftButton, pos=rect.center())


def _press(label: str):
    def answer(box):
        assert isinstance(box, QMessageBox) and box.windowTitle() == "Wijzigingen opslaan?"
        button = next(b for b in box.buttons() if b.text() == label)
        button.click()
    return answer


@pytest.mark.parametrize(("label", "ends", "shown"), [
    ("Opslaan", "21:45", "other"), ("Niet opslaan", "22:00", "other"), ("Annuleren", "22:00", "first")])
def test_switching_meeting_with_unsaved_details_asks(qtbot, plan, label, ends, shown):
    first, other = _meeting(plan.kit, "Eerste"), _meeting(plan.kit, "Tweede", days=50)
    plan.series.refresh()
    plan.select_session(first)
    _change_end(qtbot, plan)
    answer_modal(lambda: _click_meeting(qtbot, plan, other), _press(label))
    qtbot.wait(20)
    assert plan.kit.sessions.get(first).ends_at.endswith(ends)
    assert plan.session_id == (first if shown == "first" else other)
    assert plan.series.record(plan.series_view.currentIndex().row()).id == plan.session_id
    if shown == "first":  # the edit is still there to save
        assert plan.details.end.text() == "21:45"
        plan.details.show_session(plan.kit.sessions.get(first))


def test_untouched_or_saved_details_never_ask(qtbot, plan):
    first, other = _meeting(plan.kit, "Eerste"), _meeting(plan.kit, "Tweede", days=50)
    plan.series.refresh()
    plan.select_session(first)
    _click_meeting(qtbot, plan, other)  # untouched: no question (a box would block here)
    assert plan.session_id == other
    _change_end(qtbot, plan)
    qtbot.mouseClick(plan.save_button, Qt.LeftButton)
    _click_meeting(qtbot, plan, first)
    assert plan.session_id == first


def test_closing_the_window_with_unsaved_details_asks_and_cancel_stays(qtbot, plan):
    window = plan.window()
    first = _meeting(plan.kit, "Eerste")
    plan.series.refresh()
    plan.select_session(first)
    _change_end(qtbot, plan)
    answer_modal(window.close, _press("Annuleren"))
    assert window.isVisible()
    answer_modal(window.close, _press("Opslaan"))
    assert not window.isVisible()
    assert plan.kit.sessions.get(first).ends_at.endswith("21:45")


def test_the_title_field_shows_the_start_of_a_long_title(qtbot, plan):
    session_id = _meeting(plan.kit)
    plan.kit.sessions.edit_step(plan.kit.sessions.steps(session_id)[0].id, title="Welkom en bedoeling van de avond")
    editor = _agenda(qtbot, plan, session_id)
    assert editor.title_edit.cursorPosition() == 0
