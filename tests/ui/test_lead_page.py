"""Leiden, driven by keyboard and mouse on an injected clock: the evening from start to end."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta

import pytest

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from wijkkit import clock, templates
from wijkkit.kit import Kit

START = datetime(2027, 1, 12, 18, 30, tzinfo=UTC)


class FakeSteady:
    """A SteadyClock stand-in whose time the test moves by hand."""

    def __init__(self, moment: datetime) -> None:
        self.moment, self.drift = moment, 0.0

    def now(self) -> datetime:
        return self.moment

    def micros(self) -> int:
        return clock.to_micros(self.moment)

    def drift_seconds(self) -> float:
        return self.drift

    def advance(self, **delta) -> None:
        self.moment += timedelta(**delta)


@pytest.fixture
def steady():
    return FakeSteady(START)


def _meeting(kit: Kit) -> str:
    local_start = START.astimezone().replace(tzinfo=None)
    return kit.sessions.plan(
        "Samen zorgen", local_start.isoformat(timespec="minutes"),
        (local_start + timedelta(minutes=150)).isoformat(timespec="minutes"),
        templates.builtin(), now=local_start - timedelta(days=1),
    )  # fmt: skip


@pytest.fixture
def lead(qtbot, tmp_path, steady, monkeypatch):
    from ui import chime
    from ui.app import make_application
    from ui.main_window import MainWindow
    from ui.pages.lead.page import LeadPage

    played: list[str] = []
    monkeypatch.setattr(chime, "play", lambda kind="soon": played.append(kind) or True)
    make_application("nl")
    kit = Kit.open(tmp_path / "wijkkit.sqlite")
    session_id = _meeting(kit)
    window = MainWindow(kit, steady=steady)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    rect = window.nav.visualItemRect(window.nav.item(2))
    qtbot.mouseClick(window.nav.viewport(), Qt.LeftButton, pos=rect.center())
    page = window.current_page()
    assert isinstance(page, LeadPage) and page.session_id == session_id
    page.played = played
    page.setFocus()
    yield page
    if page.projector is not None:
        page.projector.close()
    kit.close()
    from PySide6.QtCore import QSettings

    QSettings().remove("live/chime")  # a test that switches the chime off must not silence the next ones


def _events(page) -> list[str]:
    return [e.kind for e in page.kit.live.events(page.session_id)]


def test_the_keyboard_runs_the_clock(qtbot, lead, steady):
    assert lead.countdown.text() == "15:00" and lead.step_line.text() == "Stap 1 van 7"
    qtbot.keyClick(lead, Qt.Key_Space)
    assert _events(lead) == ["start"]
    assert lead.kit.sessions.get(lead.session_id).status == "running"
    steady.advance(minutes=5)
    lead.tick()
    assert lead.countdown.text() == "10:00"
    qtbot.keyClick(lead, Qt.Key_Plus)
    lead.tick()
    assert lead.countdown.text() == "11:00"
    qtbot.keyClick(lead, Qt.Key_Minus)
    qtbot.keyClick(lead, Qt.Key_Space)  # pause
    steady.advance(minutes=3)
    lead.tick()
    assert lead.countdown.text() == "10:00" and lead.state_line.text().startswith("Gepauzeerd")
    qtbot.keyClick(lead, Qt.Key_Space)  # resume
    qtbot.keyClick(lead, Qt.Key_Right)
    assert lead.step_title.text() == "Kennismaken" and lead.countdown.text() == "15:00"
    qtbot.keyClick(lead, Qt.Key_Left)
    assert lead.step_title.text() == "Welkom en bedoeling" and lead.countdown.text() == "10:00"
    assert _events(lead) == ["start", "adjust", "adjust", "pause", "resume", "next", "back"]
    assert "Welk" not in lead.prompts.text() and lead.prompts.text().startswith("• Wat hoopt u")


def test_next_on_the_last_step_and_ending_twice_are_refused_with_a_message(qtbot, lead, steady):
    lead.act("toggle")
    for _step in range(7):
        steady.advance(minutes=1)
        lead.act("next")
    assert lead.step_title.text() == "Oogsten en terugkoppelen"
    before = _events(lead)
    qtbot.keyClick(lead, Qt.Key_Right)
    assert lead.message.text() == "Dit is de laatste stap. Beëindig de bijeenkomst om de klok te stoppen."
    assert _events(lead) == before
    lead.end_meeting(confirm=False)
    lead.end_meeting(confirm=False)
    assert lead.message.text() == "Deze bijeenkomst is al afgelopen."
    assert _events(lead).count("end") == 1
    assert lead.kit.sessions.get(lead.session_id).status == "held"
    assert lead.countdown.text() == "Afgelopen" and not lead.next_button.isEnabled()


def test_the_end_button_asks_first(qtbot, lead, monkeypatch):
    lead.act("toggle")
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.No)
    qtbot.mouseClick(lead.end_button, Qt.LeftButton)
    assert "end" not in _events(lead)
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.Yes)
    qtbot.mouseClick(lead.end_button, Qt.LeftButton)
    assert _events(lead)[-1] == "end"


def test_amber_then_red_with_one_chime_each(lead, steady):
    lead.act("toggle")
    steady.advance(minutes=12, seconds=59)
    lead.tick()
    assert lead.countdown.property("level") == "normal" and lead.played == []
    steady.advance(seconds=2)
    lead.tick()
    lead.tick()
    assert lead.countdown.property("level") == "soon" and lead.played == ["soon"]
    steady.advance(minutes=2)
    lead.tick()
    assert lead.countdown.property("level") == "over" and lead.countdown.text() == "+00:01"
    assert lead.played == ["soon", "over"]
    lead.chime_box.setChecked(False)
    lead.act("next")
    steady.advance(minutes=14)
    lead.tick()
    assert lead.played == ["soon", "over"]  # switched off


def test_quick_capture_saves_on_enter_with_step_and_table(qtbot, lead, steady):
    lead.act("toggle")
    lead.act("next")
    panel = lead.capture
    panel.line.setFocus()
    panel.table_no.setValue(3)
    qtbot.keyClicks(panel.line, "Buren kennen elkaar nauwelijks")
    qtbot.keyClick(panel.line, Qt.Key_Return)
    qtbot.keyClick(panel.line, Qt.Key_5, Qt.AltModifier)  # obstacle
    assert panel.kind() == "obstacle"
    qtbot.keyClicks(panel.line, "Geen bus op zaterdag")
    qtbot.keyClick(panel.line, Qt.Key_Return)
    items = lead.kit.live.captures(lead.session_id)
    step_id = lead.kit.sessions.steps(lead.session_id)[1].id
    assert [(i.table, i.kind, i.text, i.step_id, i.table_no) for i in items] == [
        ("capture", "note", "Buren kennen elkaar nauwelijks", step_id, 3),
        ("obstacle", "obstacle", "Geen bus op zaterdag", step_id, 3),
    ]
    assert panel.last_saved.text() == f"Laatst opgeslagen {START.astimezone():%H:%M:%S}"
    assert panel.model.rowCount() == 2
    qtbot.keyClick(panel.line, Qt.Key_Return)  # nothing typed
    assert panel.message.text() == "Typ eerst iets." and len(lead.kit.live.captures(lead.session_id)) == 2
    assert panel.model.setData(panel.model.index(0, 0), "Buren kennen elkaar weinig")
    assert lead.kit.live.captures(lead.session_id)[0].text == "Buren kennen elkaar weinig"
    qtbot.keyClick(panel.line, Qt.Key_Escape)
    assert lead.hasFocus()


def test_a_kind_chosen_by_mouse_sends_the_typing_to_the_line_and_space_back_to_the_clock(qtbot, lead):
    lead.window().show()
    qtbot.waitExposed(lead.window())
    panel = lead.capture
    idea = panel.kinds.button(4)
    qtbot.mouseClick(idea, Qt.LeftButton)
    assert panel.kind() == "idea" and panel.line.hasFocus()
    qtbot.keyClicks(panel.line, "Repair cafe")
    qtbot.keyClick(panel.line, Qt.Key_Return)
    qtbot.keyClick(panel.line, Qt.Key_Escape)
    qtbot.keyClick(lead, Qt.Key_Space)  # the clock starts: space does not press the button again
    assert _events(lead) == ["start"]
    assert panel.kind() == "idea"
    assert [(i.kind, i.text) for i in lead.kit.live.captures(lead.session_id)] == [("idea", "Repair cafe")]


@pytest.mark.parametrize("size", [(1024, 768), (1920, 1080)])
def test_the_projector_countdown_is_at_least_a_quarter_of_the_screen(qtbot, lead, size):
    lead.act("toggle")
    qtbot.keyClick(lead, Qt.Key_P)
    projector = lead.projector
    assert projector.isVisible()
    projector.resize(*size)
    qtbot.wait(50)
    lead.tick()
    height = projector.height()
    assert projector.countdown.text() == "15:00"
    assert projector.countdown.font().pixelSize() >= height / 4
    assert projector.countdown.height() >= height / 4
    assert projector.step_line.text() == "Stap 1 van 7"
    assert projector.next_line.text() == "Hierna: Kennismaken"
    qtbot.keyClick(lead, Qt.Key_B)
    assert projector.blanked and not projector.countdown.isVisible()
    qtbot.keyClick(projector, Qt.Key_B)
    assert not projector.blanked and projector.countdown.isVisible()


def test_at_the_end_the_projector_shows_tonights_agreements(qtbot, lead):
    lead.act("toggle")
    lead.capture.line.setText("Rooster voor zaterdagritten")
    lead.capture.kinds.button(8).setChecked(True)
    assert lead.capture.save()
    lead.toggle_projector()
    lead.end_meeting(confirm=False)
    projector = lead.projector
    assert projector.title.text() == "De afspraken van vanavond"
    assert projector.agreements.isVisible() and "• Rooster voor zaterdagritten" in projector.agreements.text()
    assert not projector.countdown.isVisible()


def test_a_restart_resumes_the_step_counting_the_time_it_was_down(qtbot, tmp_path, steady):
    from ui.app import make_application
    from ui.main_window import MainWindow

    make_application("nl")
    path = tmp_path / "wijkkit.sqlite"
    with Kit.open(path) as kit:  # the first run of the app, which then crashes
        session_id = _meeting(kit)
        kit.live.press(session_id, "start", START)
        kit.live.press(session_id, "next", START + timedelta(minutes=15))
    steady.advance(minutes=25)  # 10 minutes into step 2, of which some while the app was down
    with Kit.open(path) as kit:
        window = MainWindow(kit, steady=steady)
        qtbot.addWidget(window)
        window.show_page(2)
        page = window.page(2)
        assert page.session_id == session_id
        assert page.step_title.text() == "Kennismaken" and page.countdown.text() == "05:00"
        assert page.info.text().startswith("Verder waar de bijeenkomst was: Kennismaken")
        window.close()


def test_a_changed_computer_clock_is_mentioned_but_does_not_move_the_countdown(lead, steady):
    lead.act("toggle")
    steady.advance(minutes=1)
    steady.drift = 3600.0
    lead.tick()
    assert lead.countdown.text() == "14:00"
    assert "De klok van de computer is verzet" in lead.state_line.text()


def test_running_late_proposes_shorter_steps_that_can_be_accepted(qtbot, lead, steady):
    lead.act("toggle")
    steady.advance(minutes=40)  # the welcome took 40 minutes instead of 15
    lead.act("next")
    lead.tick()
    assert lead.replan_button.isVisible()
    assert "minuten later dan gepland" in lead.projection.text()
    qtbot.mouseClick(lead.replan_button, Qt.LeftButton)
    assert lead.accept_button.isVisible() and lead.proposal_text.text().startswith("Nieuwe minuten:")
    qtbot.mouseClick(lead.accept_button, Qt.LeftButton)
    steps = lead.kit.sessions.steps(lead.session_id)
    assert sum(s.minutes for s in steps[1:]) <= 150 - 40
    assert steps[-1].minutes >= 10 and all(s.minutes >= 5 for s in steps)
    lead.tick()
    assert not lead.replan_button.isVisible()


def test_a_second_copy_on_the_same_data_is_refused(qtbot, tmp_path, monkeypatch, capsys):
    from ui import app as ui_app

    data = tmp_path / "data"
    first = ui_app.single_instance(data)
    assert first is not None
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    args = argparse.Namespace(smoke_test=False, lang="nl", data_dir=str(data), demo=False)
    assert ui_app.run(args) == 2
    assert shown and shown[0].startswith("Wijkkit is al geopend met deze gegevens")
    assert "already running" in capsys.readouterr().err
    assert not (data / "wijkkit.sqlite").exists()  # nothing was opened or made
    first.unlock()
    assert ui_app.single_instance(data) is not None


def test_a_line_typed_by_mistake_is_removed_after_a_question(qtbot, lead):
    from PySide6.QtWidgets import QMessageBox

    from tests.ui.modal import answer_modal

    panel = lead.capture
    for text in ("Buren kennen elkaar", "oeps, verkeerde regel"):
        panel.line.setText(text)
        assert panel.save()
    assert not panel.remove_button.isEnabled()
    panel.list.setCurrentIndex(panel.model.index(1, 0))
    assert panel.remove_button.isEnabled()

    def no(box):
        assert "oeps, verkeerde regel" in box.text()
        box.button(QMessageBox.No).click()

    panel.list.setFocus()  # Delete is the list's key, pressed where the focus is
    qtbot.waitUntil(panel.list.hasFocus)
    answer_modal(lambda: qtbot.keyClick(panel.list, Qt.Key_Delete), no)
    assert len(lead.kit.live.captures(lead.session_id)) == 2
    panel.list.setCurrentIndex(panel.model.index(1, 0))
    answer_modal(panel.remove_button.click, lambda box: box.button(QMessageBox.Yes).click())
    assert [i.text for i in lead.kit.live.captures(lead.session_id)] == ["Buren kennen elkaar"]
    assert panel.model.rowCount() == 1 and not panel.remove_button.isEnabled()


def test_a_meeting_never_ended_is_named_and_does_not_hide_tonights(tmp_path):
    """Someone forgot 'End meeting': it stays running. The console says so, and on the next
    meeting's evening the Lead page opens on that meeting, not the forgotten one."""
    from ui.pages.lead.view import LeadView

    with Kit.open(tmp_path / "w.sqlite") as kit:
        forgotten = _meeting(kit)
        kit.live.press(forgotten, "start", START)
        local = START.astimezone().replace(tzinfo=None)
        tonight = kit.sessions.plan("Vervolg", (local + timedelta(days=28)).isoformat(timespec="minutes"),
                                    (local + timedelta(days=28, hours=2)).isoformat(timespec="minutes"),
                                    templates.builtin(), now=local)  # fmt: skip
        sessions = kit.sessions.list()
        assert LeadView.default_meeting(sessions, START + timedelta(hours=1)) == forgotten  # still that evening
        assert LeadView.default_meeting(sessions, START + timedelta(days=3)) == forgotten  # to be ended
        assert LeadView.default_meeting(sessions, START + timedelta(days=28)) == tonight

        view = LeadView(kit)
        view.load(forgotten, START + timedelta(hours=2))
        assert "nooit beëindigd" not in view.state_text()
        view.load(forgotten, START + timedelta(days=1))
        assert view.state_text().startswith("Deze bijeenkomst is nooit beëindigd (gepland tot ")
        kit.live.press(forgotten, "end", START + timedelta(days=1))
        view.load(forgotten, START + timedelta(days=1, minutes=1))
        assert "nooit beëindigd" not in view.state_text()


def test_delete_on_a_capture_kind_asks_nothing_and_removes_nothing(qtbot, lead, monkeypatch):
    """Delete belongs to the list of captured lines: on a kind button it must not open the question."""
    from PySide6.QtWidgets import QApplication

    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *args: asked.append(args) or QMessageBox.No)
    panel = lead.capture
    panel.line.setText("Buren kennen elkaar")
    assert panel.save()
    panel.list.setCurrentIndex(panel.model.index(0, 0))
    kind = panel.kinds.button(2)
    kind.setFocus()
    qtbot.waitUntil(kind.hasFocus)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Delete)
    assert not asked and len(lead.kit.live.captures(lead.session_id)) == 1
    panel.list.setFocus()
    qtbot.waitUntil(panel.list.hasFocus)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Delete)
    assert len(asked) == 1  # in the list it asks
