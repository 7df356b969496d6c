"""Quitting in the middle of a meeting asks first (Ctrl+Q once closed the console and the
projector in front of the room without a word); Enter and Escape keep the meeting, and a
program closing the window (a test, the system) is not asked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from tests.ui.modal import answer_modal


def _running(window, kit):
    """Leiden with tonight's meeting started 20 minutes ago, the console focused."""
    session = kit.sessions.next_planned()
    kit.live.press(session.id, "start", datetime.now(UTC) - timedelta(minutes=20))
    window.activateWindow()
    window.show_page(2)
    lead = window.page(2)
    lead.load(session.id)
    lead.setFocus()
    return lead, session


def _ctrl_q():
    """Ctrl+Q to the focused widget, as a person's keys go."""
    QApplication.processEvents()
    widget = QApplication.focusWidget() or QApplication.activeWindow()  # the projector holds no focus widget
    assert widget is not None
    QTest.keyClick(widget, Qt.Key_Q, Qt.ControlModifier)


def _press(key):
    def answer(dialog: QMessageBox) -> None:
        assert "Er loopt nog een bijeenkomst" in dialog.text()
        assert "klok loopt intussen door" in dialog.informativeText()
        QTest.keyClick(dialog, key)

    return answer


def test_ctrl_q_during_a_meeting_asks_and_enter_or_escape_keep_it(window, today_kit, qtbot):
    lead, session = _running(window, today_kit)
    for key in (Qt.Key_Escape, Qt.Key_Return):
        answer_modal(_ctrl_q, _press(key))
        assert window.isVisible(), f"{key}: the window closed"
        assert lead.view.state.started and not lead.view.state.ended


def test_quit_wijkkit_in_the_question_quits(window, today_kit, qtbot):
    _running(window, today_kit)

    def leave(dialog: QMessageBox) -> None:
        [button] = [b for b in dialog.findChildren(QPushButton) if b.text() == "Wijkkit afsluiten"]
        qtbot.mouseClick(button, Qt.LeftButton)

    answer_modal(_ctrl_q, leave)
    assert not window.isVisible()


def test_no_question_before_the_start_after_the_end_or_when_a_program_closes(window, today_kit, qtbot):
    asked: list[str] = []

    def refuse_any() -> None:  # a question here would block: say so, close it, and fail below
        dialog = QApplication.activeModalWidget()
        if dialog is not None:
            asked.append(dialog.text() if isinstance(dialog, QMessageBox) else type(dialog).__name__)
            dialog.reject()
        if window.isVisible():
            QTimer.singleShot(20, refuse_any)

    lead, session = _running(window, today_kit)
    QTimer.singleShot(20, refuse_any)
    window.close()  # a program closing the window, as a test's end or the system does
    assert not window.isVisible() and asked == []
    window.show()
    today_kit.live.press(session.id, "end", datetime.now(UTC))
    lead.load(session.id)
    lead.setFocus()
    QTimer.singleShot(20, refuse_any)
    _ctrl_q()
    assert not window.isVisible() and asked == []


def test_ctrl_q_in_the_projector_asks_over_the_projector_and_escape_keeps_both(window, today_kit, qtbot):
    """On one screen the projector covers the console: the question comes over it, with no name in it."""
    lead, _session = _running(window, today_kit)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_P)
    projector = lead.projector
    projector.activateWindow()
    qtbot.waitUntil(projector.isActiveWindow)
    parents = []

    def answer(dialog: QMessageBox) -> None:
        parents.append(dialog.parent())
        _press(Qt.Key_Escape)(dialog)

    answer_modal(_ctrl_q, answer)
    assert parents == [projector]
    assert window.isVisible() and projector.isVisible()
