"""Questions asked while the projector covers the console are asked over the projector.

With one screen (Windows' Duplicate mode) the wall shows what the laptop shows. A question
parented to the console raised the whole console, with its list of agreements and residents'
names, above the projector; after Cancel the projector stayed buried and the next P closed it
instead of bringing it back (issue 15, problem 11).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QLabel

from tests.ui.modal import answer_modal
from tests.ui.test_lead_page import _events, lead, steady  # noqa: F401 - the Leiden page's fixtures


def open_projector(qtbot, lead):  # noqa: F811
    """P on the Leiden page: the projector opens over the console on the one offscreen screen."""
    console = lead.window()
    console.activateWindow()
    qtbot.waitUntil(console.isActiveWindow)
    lead.setFocus()
    qtbot.keyClick(lead, Qt.Key_P)
    projector = lead.projector
    qtbot.waitUntil(projector.isActiveWindow)
    assert projector.covers_console()  # the one offscreen screen: duplicate mode
    return console, projector


def test_a_question_from_the_console_is_asked_over_the_projector_and_leaves_it_in_front(qtbot, lead, steady):  # noqa: F811
    steady.advance(days=-7, hours=-3)  # the meeting was planned for another day: Space asks first
    lead.load(lead.session_id)
    console, projector = open_projector(qtbot, lead)
    seen = {}

    def cancel(box):
        seen["window"] = box.parentWidget().window() if box.parentWidget() else None
        seen["text"] = box.text()
        label = next(child for child in box.findChildren(QLabel) if child.text() == box.text())
        text, ground = label.palette().color(QPalette.WindowText), box.palette().color(QPalette.Window)
        seen["readable"] = abs(text.lightness() - ground.lightness()) > 100
        qtbot.keyClick(box, Qt.Key_Escape)

    answer_modal(lambda: qtbot.keyClick(QApplication.focusWidget() or projector, Qt.Key_Space), cancel)
    assert seen["window"] is projector and seen["window"] is not console
    assert "Samen zorgen" not in seen["text"]  # the question names the planned time, not the meeting or people
    assert seen["readable"]  # the projector's white type does not reach the question's text
    assert _events(lead) == []
    assert projector.isVisible() and projector.covers_console() and projector.isFullScreen()
    qtbot.waitUntil(projector.isActiveWindow)
    assert not console.isActiveWindow()
    qtbot.keyClick(QApplication.focusWidget() or projector, Qt.Key_P)  # P, pressed on purpose, closes it
    assert not projector.isVisible()
    qtbot.waitUntil(console.isActiveWindow)


def test_without_the_projector_the_question_stays_with_the_console(qtbot, lead, steady):  # noqa: F811
    steady.advance(days=-7, hours=-3)
    lead.load(lead.session_id)
    seen = {}

    def cancel(box):
        seen["window"] = box.parentWidget().window()
        qtbot.keyClick(box, Qt.Key_Escape)

    answer_modal(lambda: qtbot.keyClick(lead, Qt.Key_Space), cancel)
    assert seen["window"] is lead.window()
    assert _events(lead) == []
