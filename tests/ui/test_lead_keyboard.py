"""Leiden by keyboard only, and as a screen reader hears it (issue 17, problems 3 and 7).

Every action of the console has a key that works with the keyboard on the console and is said in
its button's description; the keys never come from a table, list, box or field (the right arrow
at the end of a review row moved the meeting on, "+" on Belsignaal added a minute); Tab reaches
every button, the tabs and the agenda, and leaves the page again; names are plain words; and the
eight capture kinds are one radio group chosen with the arrows.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QTabBar,
)

from tests.ui.modal import answer_modal
from tests.ui.test_lead_page import START, _events, lead, steady  # noqa: F401 - the Leiden page's fixtures
from wijkkit import templates
from wijkkit.i18n import _

PLAIN_NAME = re.compile(r"^[\w][\w '’,.?-]*$")  # words: no ␣ ← → − + … or brackets


def _name(widget) -> str:
    return QAccessible.queryAccessibleInterface(widget).text(QAccessible.Name)


def _description(widget) -> str:
    return QAccessible.queryAccessibleInterface(widget).text(QAccessible.Description)


def _key(name: str) -> str:
    return _("Key: {key}").format(key=name)


def _role(widget):
    return QAccessible.queryAccessibleInterface(widget).role()


def _on_console(qtbot, lead, key) -> None:  # noqa: F811
    """``key`` pressed while the keyboard is on the console itself."""
    if not lead.window().isActiveWindow():  # offscreen, a closed question does not give it back
        lead.window().activateWindow()
        qtbot.waitUntil(lead.window().isActiveWindow)
    lead.setFocus()
    assert QApplication.focusWidget() is lead
    qtbot.keyClick(lead, key)


def _late(lead, steady) -> None:  # noqa: F811
    lead.act("toggle")
    steady.advance(minutes=40)  # the welcome took 40 minutes instead of 15
    lead.act("next")
    lead.tick()
    assert lead.view.runs_late()


def test_the_clock_keys_work_on_the_console_and_each_button_says_its_key(qtbot, lead, steady):  # noqa: F811
    for key, button, kind, said in ((Qt.Key_Space, lead.start_button, "start", _("space bar")),
                                    (Qt.Key_Right, lead.next_button, "next", _("right arrow")),
                                    (Qt.Key_Left, lead.back_button, "back", _("left arrow")),
                                    (Qt.Key_Plus, lead.plus_button, "adjust", _("plus")),
                                    (Qt.Key_Minus, lead.minus_button, "adjust", _("minus"))):  # fmt: skip
        steady.advance(minutes=1)
        _on_console(qtbot, lead, key)
        assert _events(lead)[-1] == kind
        assert _description(button) == _key(said) and button.toolTip() == _key(said)
    assert lead.step_title.text() == "Welkom en bedoeling"
    _on_console(qtbot, lead, Qt.Key_P)
    assert lead.projector.isVisible() and _description(lead.projector_button) == _key("P")
    lead.window().activateWindow()
    qtbot.waitUntil(lead.window().isActiveWindow)
    _on_console(qtbot, lead, Qt.Key_P)
    assert not lead.projector.isVisible()


def test_e_ends_the_meeting_after_the_question(qtbot, lead, steady):  # noqa: F811
    _on_console(qtbot, lead, Qt.Key_Space)
    steady.advance(minutes=5)

    def enter_keeps_it_running(box):  # E and then Enter by habit must not end the evening
        assert box.defaultButton() is box.button(QMessageBox.No)
        qtbot.keyClick(box, Qt.Key_Return)

    answer_modal(lambda: _on_console(qtbot, lead, Qt.Key_E), enter_keeps_it_running)
    assert _events(lead) == ["start"]
    answer_modal(lambda: _on_console(qtbot, lead, Qt.Key_E), lambda box: box.button(QMessageBox.Yes).click())
    assert _events(lead) == ["start", "end"] and lead.countdown.text() == "Afgelopen"
    assert _description(lead.end_button) == _key("E")


def test_n_proposes_new_times_enter_accepts_them_and_escape_ignores_them(qtbot, lead, steady):  # noqa: F811
    _late(lead, steady)
    minutes = [s.minutes for s in lead.kit.sessions.steps(lead.session_id)]
    _on_console(qtbot, lead, Qt.Key_N)
    assert lead.proposal_text.isVisible() and lead.proposal_text.text().startswith("Nieuwe minuten:")
    _on_console(qtbot, lead, Qt.Key_Escape)  # ignored: nothing changes
    assert not lead.proposal_text.isVisible() and lead.replan_button.isVisible()
    assert [s.minutes for s in lead.kit.sessions.steps(lead.session_id)] == minutes
    _on_console(qtbot, lead, Qt.Key_N)
    _on_console(qtbot, lead, Qt.Key_Return)  # accepted
    assert sum(s.minutes for s in lead.kit.sessions.steps(lead.session_id)[1:]) <= 150 - 40
    assert not lead.proposal_text.isVisible()
    said = {b: _description(b) for b in (lead.replan_button, lead.accept_button, lead.ignore_button)}
    assert list(said.values()) == [_key("N"), _key("Enter"), _key("Escape")]


def _follow_up(lead) -> None:  # noqa: F811
    """Tonight's meeting follows one of a week ago with an open agreement: there is one to review."""
    kit = lead.kit
    local = START.astimezone().replace(tzinfo=None)
    earlier = kit.sessions.plan("Eerste avond", (local - timedelta(days=7)).isoformat(timespec="minutes"),
                                (local - timedelta(days=7, hours=-2)).isoformat(timespec="minutes"),
                                now=local - timedelta(days=8))  # fmt: skip
    kit.live.capture(earlier, "agreement", "Rooster voor de zaterdagbus", START - timedelta(days=7))
    kit.sessions.edit(lead.session_id, follows_session_id=earlier)
    lead.load(lead.session_id)


def test_keys_left_over_by_a_table_or_a_box_do_not_move_the_clock(qtbot, lead, steady):  # noqa: F811
    """The right arrow at the last column of the review table, "+" on Belsignaal: not the clock's."""
    _follow_up(lead)
    _on_console(qtbot, lead, Qt.Key_Space)
    assert lead.side.currentWidget() is lead.review  # the opening steps of a follow-up meeting
    table = lead.review.table
    last = max(c for c in range(table.model().columnCount()) if not table.isColumnHidden(c))
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, last))
    for _press in range(3):
        qtbot.keyClick(table, Qt.Key_Right)
    assert lead.step_title.text() == "Welkom en bedoeling" and _events(lead) == ["start"]
    lead.chime_box.setFocus()
    assert QApplication.focusWidget() is lead.chime_box
    for key in (Qt.Key_Plus, Qt.Key_Minus, Qt.Key_Right, Qt.Key_E, Qt.Key_N):
        qtbot.keyClick(lead.chime_box, key)
    assert _events(lead) == ["start"] and lead.countdown.text() == "15:00"
    assert not lead.proposal_text.isVisible()
    qtbot.keyClick(lead.chime_box, Qt.Key_Escape)  # Escape: the keys are the clock's again
    assert lead.hasFocus()
    qtbot.keyClick(lead, Qt.Key_Plus)
    assert _events(lead) == ["start", "adjust"]
    qtbot.mouseClick(lead.chime_box, Qt.LeftButton)  # a click on Belsignaal leaves the keys with the clock
    assert lead.hasFocus() and not lead.chime_box.isChecked()
    qtbot.keyClick(lead, Qt.Key_Space)
    assert _events(lead) == ["start", "adjust", "pause"]


def _tab_round(qtbot, lead, presses: int = 60) -> list:  # noqa: F811
    """The widgets Tab visits from the console, until it comes back or leaves the page."""
    lead.setFocus()
    seen = []
    for _press in range(presses):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Tab)
        focus = QApplication.focusWidget()
        if focus is lead or not lead.isAncestorOf(focus):
            return seen
        seen.append(focus)
    raise AssertionError(f"Tab stayed inside the page: {[type(w).__name__ for w in seen[-8:]]}")


def test_tab_reaches_every_button_the_tabs_and_the_agenda(qtbot, lead, steady):  # noqa: F811
    _late(lead, steady)
    seen = _tab_round(qtbot, lead)
    wanted = [lead.meeting, lead.chime_box, lead.projector_button, lead.back_button, lead.start_button,
              lead.next_button, lead.minus_button, lead.plus_button, lead.end_button, lead.replan_button,
              lead.side.tabBar(), lead.capture.kinds.checkedButton(), lead.capture.line]  # fmt: skip
    assert [w for w in wanted if w not in seen] == []
    assert seen.index(lead.projector_button) < seen.index(lead.back_button) < seen.index(lead.end_button)
    lead.replan_button.setFocus(Qt.TabFocusReason)
    qtbot.keyClick(lead.replan_button, Qt.Key_Space)  # pressed by keyboard: on to the answers
    assert lead.accept_button.hasFocus()
    seen = _tab_round(qtbot, lead)
    assert lead.accept_button in seen and lead.ignore_button in seen
    bar = lead.side.tabBar()
    bar.setFocus(Qt.TabFocusReason)
    qtbot.keyClick(bar, Qt.Key_Right)
    qtbot.keyClick(bar, Qt.Key_Right)
    assert lead.side.currentWidget() is lead.step_list
    assert lead.step_list in _tab_round(qtbot, lead)
    _follow_up(lead)  # the review tab, with its table: Tab goes through it and on
    assert lead.side.currentWidget() is lead.review
    review = lead.review
    seen = _tab_round(qtbot, lead)
    assert [w for w in (review.table, review.note, review.status, review.record_button) if w not in seen] == []


def test_names_are_plain_words_and_keys_are_descriptions(lead, steady):  # noqa: F811
    _late(lead, steady)
    assert _name(lead) == "Leiden" and _("space bar") not in _name(lead) and _description(lead)
    interactive = (QAbstractButton, QAbstractItemView, QComboBox, QLineEdit, QAbstractSpinBox, QTabBar)
    names = {}
    for tab in range(lead.side.count()):  # capture, review and agenda in turn
        lead.side.setCurrentIndex(tab)
        names |= {w: _name(w) for kind in interactive for w in lead.findChildren(kind) if w.isVisibleTo(lead)
                  and not isinstance(w.parent(), (QComboBox, QAbstractSpinBox, QAbstractScrollArea))
                  and not isinstance(w, QHeaderView)}  # a box's own line or list, a table's header: part of it
    assert len(names) > 25
    assert [(type(w).__name__, n) for w, n in names.items() if not PLAIN_NAME.match(n or "")] == []
    spoken = {names[b] for b in (lead.start_button, lead.back_button, lead.next_button, lead.minus_button,
                                 lead.plus_button, lead.end_button, lead.projector_button, lead.replan_button)}  # fmt: skip
    assert spoken == {"Pauzeren", "Vorige", "Volgende", _("One minute less"), _("One minute more"),
                      "Bijeenkomst beëindigen", "Projector", "Nieuwe tijden voorstellen om op tijd te eindigen"}  # fmt: skip
    assert lead.start_button.text().startswith("Pauzeren")  # its name follows its text
    assert _description(lead.capture.kinds.button(3)) == _key("Alt+3")


def test_the_capture_kinds_are_one_radio_group_chosen_with_the_arrows(qtbot, lead):  # noqa: F811
    kinds = lead.capture.kinds
    assert {_role(b) for b in kinds.buttons()} == {QAccessible.RadioButton}
    assert [_name(b) for b in kinds.buttons()][:3] == ["Notitie", "Citaat", "Droom"]
    first = kinds.button(1)
    first.setFocus(Qt.TabFocusReason)
    qtbot.keyClick(first, Qt.Key_Right)  # in two columns: Notitie, Citaat / Droom, Idee / ...
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Down)
    assert lead.capture.kind() == "idea" and QApplication.focusWidget() is kinds.button(4)
    assert kinds.button(4).isChecked() and not first.isChecked()
    qtbot.keyClick(kinds.button(4), Qt.Key_Space)  # chosen: the typing goes to the line
    line = lead.capture.line
    assert line.hasFocus()
    qtbot.keyClicks(line, "een bankje bij de bus en p b n e + -")  # typing never reaches the console
    qtbot.keyClick(line, Qt.Key_Return)
    assert _events(lead) == [] and lead.projector is None and not lead.proposal_text.isVisible()
    assert [(c.kind, c.text) for c in lead.kit.live.captures(lead.session_id)] == [
        ("idea", "een bankje bij de bus en p b n e + -")]


def test_an_arrow_on_the_meeting_picker_does_not_leave_a_running_meeting(qtbot, lead, steady):  # noqa: F811
    """Tab from the console lands on the picker; one arrow there once switched the console to another
    meeting without a word. Now it asks, No is the default, and No keeps tonight's meeting."""
    running = lead.session_id
    other = lead.kit.sessions.plan("Andere avond", "2027-03-01T19:30", "2027-03-01T22:00", templates.builtin(),
                                   now=datetime(2027, 1, 1))  # fmt: skip
    lead.reload_meetings()
    _on_console(qtbot, lead, Qt.Key_Space)  # the meeting starts
    assert lead.view.state.running
    picker = lead.meeting
    picker.setFocus()
    qtbot.waitUntil(picker.hasFocus)
    step = Qt.Key_Down if picker.findData(other) > picker.currentIndex() else Qt.Key_Up

    def default_is_no(box):
        assert "loopt nog" in box.text() and box.defaultButton() is box.button(QMessageBox.No)
        qtbot.keyClick(box, Qt.Key_Return)

    answer_modal(lambda: qtbot.keyClick(picker, step), default_is_no)
    assert lead.session_id == running and picker.currentData() == running
    assert lead.view.state.running
    answer_modal(lambda: qtbot.keyClick(picker, step), lambda box: box.button(QMessageBox.Yes).click())
    assert lead.session_id == other == picker.currentData()


def test_an_agreement_closed_in_the_review_stays_listed_and_the_next_one_is_chosen(qtbot, window, today_kit):
    """Marking one 'afgerond' took it out of the list, so row + 1 skipped the agreement that moved up
    and the count fell from "0 van 5" to "0 van 4". Now it stays, counted as discussed."""
    window.show_page(2)
    console = window.page(2)
    follow_up = next(s for s in today_kit.sessions.list() if s.follows_session_id)
    console.meeting.setCurrentIndex(console.meeting.findData(follow_up.id))
    review = console.review
    titles = [review.model.record(r).title for r in range(review.model.rowCount())]
    assert len(titles) >= 3
    review.table.selectRow(1)
    review.status.setFocus()
    qtbot.waitUntil(review.status.hasFocus)
    review.status.setCurrentIndex(review.status.findData("done"))
    review.record_button.setFocus()
    qtbot.waitUntil(review.record_button.hasFocus)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Space)
    assert [review.model.record(r).title for r in range(review.model.rowCount())] == titles
    assert review.model.record(review.table.currentIndex().row()).title == titles[2]
    assert review.summary.text() == f"1 van {len(titles)} vanavond besproken."
