"""Oefenen, driven with keys as a trainee would: Ctrl+Shift+O, choose a meeting, run it sped up.

The rehearsal window shows the Leiden page on a copy: Space starts, a sped-up step passes on
the injected clock (five seconds a minute, no sleeping), a line is captured, the projector
opens, the meeting ends, Ctrl+W closes the window. The real database has not changed one row,
the main window kept working meanwhile, and the copy is gone.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.ui.modal import answer_modal
from wijkkit import clock
from wijkkit.i18n import _
from wijkkit.kit import Kit
from wijkkit.sessions import at_hand

LIMIT_W, LIMIT_H = 1000, 680  # the window fits 1024x768 with a title bar and a task bar


class FakeSteady:
    """The real clock as the main window gets it, moved by the test by hand."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def now(self) -> datetime:
        return self.moment

    def micros(self) -> int:
        return clock.to_micros(self.moment)

    def drift_seconds(self) -> float:
        return 0.0

    def advance(self, **delta) -> None:
        self.moment += timedelta(**delta)


@pytest.fixture
def app(qtbot, today_kit, monkeypatch):
    from ui import chime
    from ui.app import make_application
    from ui.main_window import MainWindow

    played: list[str] = []
    monkeypatch.setattr(chime, "play", lambda kind="soon": played.append(kind) or True)
    make_application("nl")
    steady = FakeSteady(datetime.now(UTC))
    window = MainWindow(today_kit, steady=steady)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    window.steady_clock, window.played = steady, played
    yield window
    from ui import rehearsal

    for open_window in list(rehearsal._open):
        open_window.close()


def _snapshot(kit: Kit) -> dict:
    return {"rows": {t: kit.query(f"SELECT count(*) AS n FROM [{t}]")[0]["n"] for t in kit.tables},
            "versions": kit.query("SELECT count(*) AS n, max(hlc) AS top FROM _field_version")[0],
            "changes": kit.conn.total_changes}  # fmt: skip


def _open_rehearsal(qtbot, window, choose):
    from ui import rehearsal

    before = set(rehearsal._open)

    def answer(dialog):
        qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.meetings)
        choose(dialog)

    answer_modal(lambda: QTest.keyClick(QApplication.focusWidget(), Qt.Key_O,
                                        Qt.ControlModifier | Qt.ShiftModifier), answer)  # fmt: skip
    opened = set(rehearsal._open) - before
    assert len(opened) == 1
    shown = opened.pop()
    qtbot.waitExposed(shown)
    shown.activateWindow()
    qtbot.waitUntil(shown.isActiveWindow)
    return shown


def _end_meeting(qtbot, page) -> None:
    def yes(box):
        assert isinstance(box, QMessageBox)
        qtbot.mouseClick(box.button(QMessageBox.Yes), Qt.LeftButton)

    answer_modal(lambda: qtbot.mouseClick(page.end_button, Qt.LeftButton), yes)


def test_a_sped_up_rehearsal_by_keys_leaves_the_real_data_alone(qtbot, app):
    from ui.rehearsal import ChooseRehearsal

    kit, steady = app.kit, app.steady_clock
    before = _snapshot(kit)
    first, follow_up = kit.sessions.list()
    assert at_hand(kit.sessions.list(), steady.now()).id == follow_up.id

    def choose(dialog):
        assert isinstance(dialog, ChooseRehearsal)
        assert dialog.chosen() == follow_up.id  # the meeting at hand is chosen
        assert dialog.fast.isChecked()
        QTest.keyClick(QApplication.focusWidget(), Qt.Key_Home)  # the earlier meeting instead
        assert dialog.chosen() == first.id
        QTest.keyClick(QApplication.focusWidget(), Qt.Key_Return)

    shown = _open_rehearsal(qtbot, app, choose)
    assert shown.windowTitle() == _("Rehearsal — {title} (nothing is saved)").format(title=first.title)
    assert shown.banner_text.isVisible() and _("Faster: 1 minute = 5 seconds.") in shown.banner_text.text()
    page, copy = shown.page, shown.rehearsal.kit
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page)

    QTest.keyClick(QApplication.focusWidget(), Qt.Key_Space)  # start
    assert page.view.state.running
    step = page.view.current()
    steady.advance(seconds=step.minutes * 5 - 10)  # two minutes before its end, sped up
    qtbot.waitUntil(lambda: page.countdown.property("level") == "soon", timeout=3000)
    assert page.countdown.text() == "02:00"
    steady.advance(seconds=11)  # the step's time is up
    qtbot.waitUntil(lambda: page.countdown.text().startswith("+"), timeout=3000)
    assert page.countdown.text() == "+00:12" and app.played == ["soon", "over"]

    QTest.keyClick(QApplication.focusWidget(), Qt.Key_Right)  # the next step
    assert page.view.current().title == copy.sessions.steps(shown.rehearsal.session_id)[1].title
    qtbot.mouseClick(page.capture.line, Qt.LeftButton)
    QTest.keyClicks(QApplication.focusWidget(), "Geoefend idee")
    QTest.keyClick(QApplication.focusWidget(), Qt.Key_Return)
    assert [c.text for c in copy.live.captures(shown.rehearsal.session_id)] == ["Geoefend idee"]
    QTest.keyClick(QApplication.focusWidget(), Qt.Key_Escape)  # back to the clock
    assert QApplication.focusWidget() is page

    # the real app keeps working while the rehearsal runs
    app.activateWindow()
    qtbot.waitUntil(app.isActiveWindow)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key_3, Qt.ControlModifier)
    real_lead = app.current_page()
    assert real_lead is not page and real_lead.view.state is not None and not real_lead.view.state.running

    shown.activateWindow()
    qtbot.waitUntil(shown.isActiveWindow)
    page.setFocus()
    QTest.keyClick(QApplication.focusWidget(), Qt.Key_P)  # the projector, as on the evening
    assert page.projector is not None and page.projector.isVisible()
    assert page.projector.view.title == page.view.title()
    projector = page.projector
    _end_meeting(qtbot, page)
    assert page.view.state.ended

    shown.activateWindow()
    qtbot.waitUntil(shown.isActiveWindow)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key_W, Qt.ControlModifier)
    qtbot.waitUntil(lambda: not shown.isVisible())
    assert not projector.isVisible()
    with pytest.raises(Exception, match="closed"):
        copy.query("SELECT 1")  # the copy is gone
    assert _snapshot(kit) == before
    assert kit.sessions.get(first.id) == first and kit.sessions.get(follow_up.id) == follow_up


def test_a_rehearsal_in_real_time_and_its_layout(qtbot, app):
    """Unticking Faster (Tab, Space) runs the clock at its own pace; the window fits 1024x768."""
    kit, steady = app.kit, app.steady_clock
    follow_up = kit.sessions.list()[1]

    def choose(dialog):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key_Tab)
        assert QApplication.focusWidget() is dialog.fast
        QTest.keyClick(QApplication.focusWidget(), Qt.Key_Space)
        assert not dialog.fast.isChecked()
        QTest.keyClick(QApplication.focusWidget(), Qt.Key_Return)

    shown = _open_rehearsal(qtbot, app, choose)
    page = shown.page
    assert _("Faster: 1 minute = 5 seconds.") not in shown.banner_text.text()
    assert shown.windowTitle() == _("Rehearsal — {title} (nothing is saved)").format(title=follow_up.title)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key_Space)
    steady.advance(seconds=60)  # one real minute is one minute of the rehearsal
    left = page.view.current().minutes * 60 - 60
    qtbot.waitUntil(lambda: page.countdown.text() == f"{left // 60:02d}:{left % 60:02d}", timeout=3000)
    assert page.side.currentWidget() is page.review  # a follow-up opens with the review
    assert page.review.model.rowCount() == len(kit.agreements.to_review(follow_up.id)) > 0
    hint = shown.minimumSizeHint()
    assert hint.width() <= LIMIT_W and hint.height() <= LIMIT_H, hint
    from ui.app import FRAME

    room = shown.screen().availableGeometry()  # with its title bar and borders, on the screen
    assert room.contains(shown.geometry().marginsAdded(FRAME)), (shown.geometry(), room)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key_W, Qt.ControlModifier)
    qtbot.waitUntil(lambda: not shown.isVisible())


def test_escape_in_the_choice_opens_nothing(qtbot, app):
    from ui import rehearsal

    def escape(dialog):
        qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.meetings)
        QTest.keyClick(QApplication.focusWidget(), Qt.Key_Escape)

    answer_modal(lambda: QTest.keyClick(QApplication.focusWidget(), Qt.Key_O,
                                        Qt.ControlModifier | Qt.ShiftModifier), escape)  # fmt: skip
    assert not rehearsal._open


def test_without_meetings_it_says_what_to_do(qtbot, monkeypatch):
    from ui.app import make_application
    from ui.rehearsal import start_rehearsal

    make_application("nl")
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: told.append(text))
    with Kit.memory() as empty:
        assert start_rehearsal(empty) is None
    assert told == [_("There is no meeting to rehearse yet. Plan one under Plan first.")]
