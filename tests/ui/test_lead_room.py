"""Leiden in front of the room, at 1024x768, driven by keys and clicks (issue 14, problems 1, 3, 4,
8, 9, 10, 13 and 15).

Typing never reaches the clock; the console fits the screen whatever it shows ("Afgelopen"
included); a meeting started on another day is re-planned after a question; the clock buttons
keep still between steps and when a proposal appears; the step's questions are not clipped;
the question before removing a long note fits the screen; a long note is refused without
losing it; and a category typed in front of an offer or need lets it match.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from PySide6.QtCore import QPoint, QRect, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.ui.modal import answer_modal
from tests.ui.test_lead_page import START, FakeSteady, _meeting
from wijkkit.i18n import _
from wijkkit.kit import Kit

BUDGET = (780, 560)
LONG_PROMPTS = "\n".join([
    "Wat hoopt u vanavond mee te nemen naar huis, en wat zou u de buren willen vragen als u durfde?",
    "Wie kent u hier al, en wie zou u graag beter leren kennen als dat kon?",
    "Welke plek in de wijk mist u het meest sinds die weg is, en waarom juist die?",
    "Wat zou u zelf kunnen doen, ook als het maar een uur per maand is?",
])  # fmt: skip


@pytest.fixture
def steady():
    return FakeSteady(START)


@pytest.fixture
def room(qtbot, tmp_path, steady, monkeypatch):
    """The main window at 1024x768 on Leiden, active (window shortcuts work), the clock not started."""
    from ui import chime
    from ui.app import make_application
    from ui.main_window import MainWindow

    monkeypatch.setattr(chime, "play", lambda kind="soon": True)
    make_application("nl")
    kit = Kit.open(tmp_path / "wijkkit.sqlite")
    session_id = _meeting(kit)
    window = MainWindow(kit, steady=steady)
    qtbot.addWidget(window)
    window.resize(1024, 768)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.waitUntil(lambda: window.nav.focusPolicy() == Qt.StrongFocus)  # the window gave the list its focus
    rect = window.nav.visualItemRect(window.nav.item(2))
    qtbot.mouseClick(window.nav.viewport(), Qt.LeftButton, pos=rect.center())
    page = window.current_page()
    assert page.session_id == session_id
    page.setFocus()
    qtbot.waitUntil(page.hasFocus)
    yield page
    if page.projector is not None:
        page.projector.close()
    kit.close()


def _events(page) -> list[str]:
    return [e.kind for e in page.kit.live.events(page.session_id)]


def _press(qtbot, key, modifier=Qt.NoModifier) -> None:
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def _click_tab(qtbot, tabs, index: int) -> None:
    bar = tabs.tabBar()
    qtbot.mouseClick(bar, Qt.LeftButton, pos=bar.tabRect(index).center())
    assert tabs.currentIndex() == index


def _fits(page) -> tuple[int, int]:
    QApplication.processEvents()
    hint = page.minimumSizeHint()
    assert hint.width() <= BUDGET[0] and hint.height() <= BUDGET[1], hint
    return hint.toTuple()


def _on_screen(widget) -> bool:
    """Wholly inside the window and not scrolled away in the page's scroll area."""
    window = widget.window()
    area = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    frame = window.stack.currentWidget()
    viewport = QRect(frame.viewport().mapTo(window, QPoint(0, 0)), frame.viewport().size())
    return widget.isVisible() and viewport.contains(area)


# -- problem 1: typing goes to the capture line, never to the clock ------------------------------------


def test_alt_8_from_the_review_tab_sends_the_typing_to_the_capture_line_not_the_clock(qtbot, room):
    _click_tab(qtbot, room.side, 1)  # Afspraken bespreken
    _press(qtbot, Qt.Key_8, Qt.AltModifier)
    assert room.side.currentWidget() is room.capture and room.capture.kind() == "agreement"
    assert QApplication.focusWidget() is room.capture.line
    qtbot.keyClicks(QApplication.focusWidget(), "koffie pb en thee")
    assert room.capture.line.text() == "koffie pb en thee"
    assert _events(room) == [] and room.projector is None


def test_no_key_is_a_shortcut_while_the_keyboard_is_in_a_field(qtbot, room):
    room.act("toggle")
    qtbot.mouseClick(room.capture.table_no.lineEdit(), Qt.LeftButton)  # the table number
    assert QApplication.focusWidget() is room.capture.table_no.lineEdit() or room.capture.table_no.hasFocus()
    for key in (Qt.Key_P, Qt.Key_B, Qt.Key_Space, Qt.Key_Right):
        _press(qtbot, key)
    _click_tab(qtbot, room.side, 1)
    qtbot.mouseClick(room.review.note, Qt.LeftButton)
    qtbot.keyClicks(QApplication.focusWidget(), "p b ")
    assert _events(room) == ["start"] and room.projector is None
    _press(qtbot, Qt.Key_Escape)  # Escape from the field: the keys are the clock's again
    assert room.hasFocus()
    for key in (Qt.Key_P, Qt.Key_B, Qt.Key_Space):  # with Ctrl a key is not the console's
        _press(qtbot, key, Qt.ControlModifier)
    assert _events(room) == ["start"] and room.projector is None
    _press(qtbot, Qt.Key_Space)
    assert _events(room) == ["start", "pause"]


# -- problems 3 and 4: the console fits 1024x768 in every state --------------------------------------------


def test_the_console_fits_before_during_and_after_the_meeting_with_long_texts(qtbot, room, steady):
    first = room.kit.sessions.steps(room.session_id)[0]
    room.kit.update("step", first.id, {"title": "Een heel lange titel voor deze stap " * 4, "prompts": LONG_PROMPTS,
                                       "purpose": "Waarom we hier zijn en wat er met de uitkomsten gebeurt. " * 3})  # fmt: skip
    room.load(room.session_id)
    sizes = [_fits(room)]
    for control in (room.start_button, room.end_button, room.capture.line, room.capture.list, room.countdown):
        assert _on_screen(control), control.objectName()
    _press(qtbot, Qt.Key_Space)
    steady.advance(minutes=40)
    _press(qtbot, Qt.Key_Right)
    room.tick()
    qtbot.mouseClick(room.replan_button, Qt.LeftButton)
    assert room.accept_button.isVisible()
    sizes.append(_fits(room))
    for index in range(room.side.count()):
        _click_tab(qtbot, room.side, index)
        sizes.append(_fits(room))
        assert _on_screen(room.side.currentWidget())
    assert all(_on_screen(b) for b in (room.back_button, room.next_button, room.end_button))
    assert sizes


def test_the_ended_meeting_does_not_widen_the_window(qtbot, room, monkeypatch):
    _press(qtbot, Qt.Key_Space)
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.Yes)
    qtbot.mouseClick(room.end_button, Qt.LeftButton)
    assert room.countdown.text() == "Afgelopen"
    width, _height = _fits(room)
    assert width <= 780
    window = room.window()
    assert window.minimumSizeHint().width() <= 1024
    assert room.countdown.fitted_pixels() * 4 <= room.countdown.width()  # shrunk to fit, not clipped


# -- problem 8: another day than planned: ask, then plan from now ----------------------------------------


def test_starting_a_week_early_asks_and_then_plans_the_meeting_from_now(qtbot, room, steady):
    steady.advance(days=-7, hours=-3)
    room.load(room.session_id)

    def cancel(box):
        assert "gepland" in box.text() or "planned" in box.text()
        box.button(QMessageBox.Cancel).click()

    answer_modal(lambda: _press(qtbot, Qt.Key_Space), cancel)
    assert _events(room) == [] and room.kit.sessions.get(room.session_id).status == "planned"

    def start(box):
        next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.AcceptRole).click()

    room.window().activateWindow()  # offscreen, the window is not given back its activation by itself
    qtbot.waitUntil(room.window().isActiveWindow)
    room.setFocus()
    qtbot.waitUntil(room.hasFocus)
    answer_modal(lambda: _press(qtbot, Qt.Key_Space), start)
    session = room.kit.sessions.get(room.session_id)
    local = steady.now().astimezone().replace(tzinfo=None)
    assert _events(room) == ["start"] and session.status == "running"
    assert session.starts_at == local.isoformat(timespec="minutes")
    assert session.ends_at == (local + timedelta(minutes=150)).isoformat(timespec="minutes")
    steady.advance(minutes=5)
    room.tick()
    minutes = [int(n) for n in re.findall(r"(\d+) minu", room.projection.text())]
    assert minutes == [10], room.projection.text()  # the agenda's 140 minutes in a 150-minute slot, not 10,000


def test_starting_on_time_asks_nothing(qtbot, room):
    _press(qtbot, Qt.Key_Space)
    assert _events(room) == ["start"] and QApplication.activeModalWidget() is None


# -- problem 9: the buttons keep still --------------------------------------------------------------------


def _places(room) -> list[QRect]:
    QApplication.processEvents()
    window = room.window()
    return [QRect(b.mapTo(window, QPoint(0, 0)), b.size()) for b in
            (room.back_button, room.start_button, room.next_button, room.minus_button, room.plus_button,
             room.end_button)]  # fmt: skip


def test_the_clock_buttons_do_not_move_between_steps_or_when_a_proposal_appears(qtbot, room, steady):
    steps = room.kit.sessions.steps(room.session_id)
    room.kit.update("step", steps[1].id, {"title": "Kennismaken met elkaar en met de plek waar we wonen " * 2,
                                          "prompts": LONG_PROMPTS})  # fmt: skip
    room.load(room.session_id)
    before = _places(room)
    _press(qtbot, Qt.Key_Space)  # "Begin" becomes "Pauzeren"
    assert _places(room) == before
    steady.advance(minutes=40)
    _press(qtbot, Qt.Key_Right)  # a step with a long title and four questions
    room.tick()
    assert _places(room) == before
    assert room.replan_button.isVisible()
    qtbot.mouseClick(room.replan_button, Qt.LeftButton)
    assert room.accept_button.isVisible()
    assert _places(room) == before
    qtbot.mouseClick(room.ignore_button, Qt.LeftButton)
    assert _places(room) == before
    for _step in range(len(steps)):  # to the last step, and once more: refused with a message
        _press(qtbot, Qt.Key_Right)
        assert _places(room) == before
    assert room.message.text()
    assert _places(room) == before


# -- problem 10: the questions are not clipped -------------------------------------------------------------


@pytest.mark.parametrize("size", [(1024, 768), (1280, 641)])  # 1280x720 at 150 %, less a title bar and taskbar
def test_four_long_questions_are_not_clipped_and_leave_the_clock_and_its_buttons_on_screen(qtbot, room, size):
    first = room.kit.sessions.steps(room.session_id)[0]
    room.kit.update("step", first.id, {"prompts": LONG_PROMPTS})
    room.load(room.session_id)
    room.window().resize(*size)
    _press(qtbot, Qt.Key_Space)
    _press(qtbot, Qt.Key_Left)  # refused, with a message under the buttons
    assert room.message.text()
    QApplication.processEvents()
    for widget in (room.countdown, room.start_button, room.end_button, room.message):  # no page scrolling
        assert _on_screen(widget), widget.objectName()
    label = room.prompts
    assert label.text().count("•") == 4
    needed = label.heightForWidth(label.width())
    assert needed <= label.height()  # the label is as tall as its text: nothing cut off at top or bottom
    shown = label.visibleRegion().boundingRect()  # what the scroll areas around it leave visible
    assert shown.top() == 0
    if size == (1024, 768):
        assert shown.height() >= needed  # whole, without scrolling
    else:  # the rest a turn of the wheel away in the step's own area, the clock staying put
        assert room.step_text.verticalScrollBar().maximum() >= needed - shown.height()
    assert room.countdown.height() >= room.countdown.minimumSizeHint().height() >= 60


# -- problem 13: a long note: the question fits, and a too long line is refused, not lost ---------------------


def test_the_question_before_removing_a_long_note_fits_the_screen(qtbot, room):
    words = "Mevrouw vertelde uitgebreid over de buurtbus en de boodschappen op dinsdag. " * 70
    room.kit.insert("capture", {"session_id": room.session_id, "kind": "note", "text": words[:5000]})
    room.capture.load(room.session_id)
    panel = room.capture
    shown = panel.list.visualRect(panel.model.index(0, 0)).intersected(panel.list.viewport().rect())
    qtbot.mouseClick(panel.list.viewport(), Qt.LeftButton, pos=shown.center())  # on the visible part of the line
    assert panel.list.hasFocus()  # Delete is the list's key
    seen = {}

    def look():
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(10, look)
            return
        seen["size"], seen["text"] = box.size(), box.text()
        box.button(QMessageBox.No).click()

    QTimer.singleShot(0, look)
    _press(qtbot, Qt.Key_Delete)
    assert seen["size"].height() < 400 and seen["size"].width() < 1000
    assert seen["text"].endswith("…") and len(seen["text"]) < 300
    assert len(room.kit.live.captures(room.session_id)) == 1


def test_a_line_over_the_limit_is_refused_and_stays_in_the_field(qtbot, room):
    text = "Een heel lang verhaal over de wijk. " * 60  # 2100 characters, pasted
    QApplication.clipboard().setText(text)
    _press(qtbot, Qt.Key_1, Qt.AltModifier)
    _press(qtbot, Qt.Key_V, Qt.ControlModifier)
    _press(qtbot, Qt.Key_Return)
    panel = room.capture
    assert panel.line.text() == text and room.kit.live.captures(room.session_id) == []
    expected = _("This text has {n} characters; at most {max} fit. Shorten it or split it over more lines.")
    assert panel.message.isVisible() and panel.message.text() == expected.format(n=len(text.strip()), max=2000)


# -- problem 15: an offer or need gets its category from the capture line ------------------------------------


def test_a_category_typed_or_chosen_makes_captured_offers_and_needs_match(qtbot, room):
    _press(qtbot, Qt.Key_6, Qt.AltModifier)  # offer
    qtbot.keyClicks(QApplication.focusWidget(), "vervoer: rijdt dinsdags naar de markt")
    _press(qtbot, Qt.Key_Return)
    panel = room.capture
    _press(qtbot, Qt.Key_7, Qt.AltModifier)  # need: the category from the list, by keys
    assert panel.category.isVisible() and panel.category.currentData() == "anders"
    _press(qtbot, Qt.Key_Tab, Qt.ShiftModifier)
    assert QApplication.focusWidget() is panel.category
    qtbot.keyClicks(panel.category, "verv")
    _press(qtbot, Qt.Key_Tab)
    assert QApplication.focusWidget() is panel.line and panel.category.currentData() == "vervoer"
    qtbot.keyClicks(panel.line, "zoekt een lift")
    _press(qtbot, Qt.Key_Return)
    offers, needs = room.kit.exchange.offers(), room.kit.exchange.needs()
    assert [(o.text, o.category) for o in offers] == [("rijdt dinsdags naar de markt", "vervoer")]
    assert [(n.text, n.category) for n in needs] == [("zoekt een lift", "vervoer")]
    assert len(room.kit.exchange.matches()) == 1
    _press(qtbot, Qt.Key_1, Qt.AltModifier)  # a note has no category
    assert not panel.category.isVisible()


def test_the_saved_line_counts_what_is_there_after_a_restart(qtbot, tmp_path, steady):
    """Problem 22: "Nog niets opgeslagen." stood above a list of saved notes after a restart."""
    from ui.app import make_application
    from ui.main_window import MainWindow

    make_application("nl")
    with Kit.open(tmp_path / "wijkkit.sqlite") as kit:
        session_id = _meeting(kit)
        kit.live.press(session_id, "start", START)
        kit.live.capture(session_id, "note", "Koffie loopt goed.", START, None, None)
        window = MainWindow(kit, steady=steady)
        qtbot.addWidget(window)
        window.show()
        window.show_page(2)
        panel = window.current_page().capture
        assert panel.list.model().rowCount() == 1
        assert panel.last_saved.text() == "1 regel opgeslagen bij deze bijeenkomst."
