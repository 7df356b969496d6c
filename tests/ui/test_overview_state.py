"""The Overzicht in its states: empty (what to do next), a meeting running after a restart, the demo.

Issue 14 problem 7: after a crash and restart mid-evening the Overzicht said "Nog geen
bijeenkomst gepland" while Leiden resumed the running meeting; it now makes Leiden's
choice (``sessions.at_hand``). Problem 16: after a restart Leiden and Aanmelden
preselected a cancelled meeting. And the page fits 780x560 in every state.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from wijkkit import demo, templates
from wijkkit.i18n import _
from wijkkit.kit import Kit

from ui.pages.overview import OverviewPage

BUDGET = (780, 560)
LONG = "Wijkgesprek over veilig verkeer, groen en ontmoeten in de buurt " * 8


@pytest.fixture
def open_window(qtbot):
    from ui.app import make_application
    from ui.main_window import MainWindow

    make_application("nl")

    def opened(kit: Kit):
        window = MainWindow(kit)
        qtbot.addWidget(window)
        window.resize(1024, 768)
        window.show()
        qtbot.waitExposed(window)
        window.show_page(0)
        return window

    return opened


def at(minutes: int) -> str:
    return (datetime.now().replace(second=0, microsecond=0) + timedelta(minutes=minutes)).isoformat(timespec="minutes")


def crashed_mid_evening(path, title: str = "Wijkavond Noord", place: str = "De Schakel") -> str:
    """A meeting planned, started with the clock, and the laptop gone without ending it."""
    with Kit.open(path) as kit:
        noord = kit.neighbourhoods.add("Noord")
        now = datetime.now().replace(second=0, microsecond=0)
        session_id = kit.sessions.plan(title, at(-40), at(110), templates.builtin(), now=now - timedelta(hours=1),
                                       neighbourhood_id=noord, location_name=place)  # fmt: skip
        kit.sessions.plan("Vervolgavond", at(60 * 24 * 28), at(60 * 24 * 28 + 150), now=now, neighbourhood_id=noord)
        kit.live.press(session_id, "start", (now - timedelta(minutes=35)).astimezone())
    return session_id


def test_after_a_restart_the_overview_shows_the_running_meeting_as_leiden_does(open_window, tmp_path):
    path = tmp_path / "wijkkit.sqlite"
    session_id = crashed_mid_evening(path)
    with Kit.open(path) as kit:  # the restart
        window = open_window(kit)
        page = window.page(0)
        assert isinstance(page, OverviewPage)
        assert page.next_title.text() == _("Running now: {title}").format(title="Wijkavond Noord")
        assert page.next_heading.text() == _("Now")
        assert "De Schakel" in page.next_details.text() and _("Follow it under Lead.") in page.next_details.text()
        window.show_page(2)
        assert window.page(2).meeting.currentData() == session_id  # the same choice as Leiden's


def test_leiden_and_aanmelden_do_not_preselect_a_cancelled_meeting_after_a_restart(open_window, tmp_path):
    path = tmp_path / "wijkkit.sqlite"
    with Kit.open(path) as kit:
        held = kit.sessions.add("Eerste avond", at(-60 * 24 * 21), at(-60 * 24 * 21 + 150), status="held")
        kit.sessions.add("Tweede avond", at(60 * 24 * 7), at(60 * 24 * 7 + 150), status="cancelled")
    with Kit.open(path) as kit:
        window = open_window(kit)
        window.show_page(2)
        assert window.page(2).meeting.currentData() == held
        window.show_page(3)
        assert window.page(3).registration.meeting.currentData() == held
        assert window.page(0).next_title.text() == _("No meeting planned yet.")


def test_an_empty_database_says_what_to_do_next(qtbot, open_window, tmp_path):
    with Kit.open(tmp_path / "wijkkit.sqlite") as kit:
        window = open_window(kit)
        page = window.page(0)
        assert page.start_card.isVisible() and not page.dashboard.isVisible()
        assert page.setup_title.text() == _("1. Start with a neighbourhood")
        assert page.setup_button.isDefault() and page.plan_button.isVisible()
        answered = []

        def name_it() -> None:
            dialog = QApplication.activeModalWidget()
            if dialog is None or not dialog.isActiveWindow():
                QTimer.singleShot(10, name_it)
                return
            qtbot.keyClicks(QApplication.focusWidget(), "Welzijn")
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Tab)
            qtbot.keyClicks(QApplication.focusWidget(), "Noord")
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Return)
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Escape)  # "Klaar": close without planning
            answered.append(dialog)

        QTimer.singleShot(0, name_it)
        qtbot.mouseClick(page.setup_button, Qt.LeftButton)
        qtbot.waitUntil(lambda: bool(answered))
        assert [n.name for n in kit.neighbourhoods.list()] == ["Noord"]
        assert page.setup_title.text() == _("1. Neighbourhood: {name}").format(name="Noord")
        assert not page.setup_button.isVisible() and page.plan_button.isDefault()
        planning = []

        def cancel_planning() -> None:
            dialog = QApplication.activeModalWidget()
            if dialog is None or type(dialog).__name__ != "NewMeetingDialog" or not dialog.isActiveWindow():
                QTimer.singleShot(10, cancel_planning)
                return
            planning.append(dialog.meeting.neighbourhood.currentText())
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Escape)

        QTimer.singleShot(0, cancel_planning)
        qtbot.mouseClick(page.plan_button, Qt.LeftButton)
        qtbot.waitUntil(lambda: bool(planning))
        assert planning == ["Noord"]
        assert window.current_page().title == _("Plan")


def test_the_hub_sees_its_dashboard_not_the_first_steps(open_window, tmp_path):
    from wijkkit.sync import keys

    with Kit.open(tmp_path / "hub.sqlite") as hub:
        keys.export_hub_key(hub, tmp_path / "hub.wijkhub")
        page = open_window(hub).page(0)
        assert not page.start_card.isVisible() and page.dashboard.isVisible()


def fits(page) -> None:
    QApplication.processEvents()
    hint = page.minimumSizeHint()
    assert hint.width() <= BUDGET[0] and hint.height() <= BUDGET[1], hint


def test_the_overview_fits_780x560_in_every_state(open_window, tmp_path):
    with Kit.open(tmp_path / "empty.sqlite") as kit:
        window = open_window(kit)
        fits(window.page(0))
        kit.neighbourhoods.add(LONG)
        fits(window.page(0))
        window.close()
    crashed_mid_evening(tmp_path / "running.sqlite", title=LONG, place=LONG)
    with Kit.open(tmp_path / "running.sqlite") as kit:
        window = open_window(kit)
        page = window.page(0)
        fits(page)
        assert page.next_title.toolTip().startswith(_("Running now: {title}").format(title=LONG)[:40])
        window.close()
    demo.create(tmp_path / "demo.sqlite")
    with Kit.open(tmp_path / "demo.sqlite") as kit:
        window = open_window(kit)
        fits(window.page(0))
