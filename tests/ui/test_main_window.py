"""The main window: navigation by mouse and keyboard, the overview's live data, errors."""

from __future__ import annotations

import argparse
from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QTableView

from wijkkit import i18n
from wijkkit.errors import NotADatabaseError
from wijkkit.models import OPEN_AGREEMENT_STATUSES

from ui import app as ui_app
from ui.pages.overview import OverviewPage

PAGE_TITLES_NL = [
    "Overzicht",
    "Plannen",
    "Leiden",
    "Mensen en afspraken",
    "Uitdraaien",
    "Synchroniseren",
    "Instellingen",
]


def test_navigation_lists_every_area_in_dutch(window):
    assert [window.nav.item(i).text() for i in range(window.nav.count())] == PAGE_TITLES_NL


def test_the_first_page_is_shown_as_chosen_in_the_sidebar_at_start(window, qtbot):
    """The sidebar's first focus made Overzicht current without selecting it: no page looked chosen."""
    qtbot.waitUntil(lambda: window.nav.hasFocus() or window.nav.focusPolicy() == Qt.StrongFocus)
    qtbot.waitUntil(lambda: window.stack.currentIndex() == 0 and window.nav.item(0).isSelected())
    assert [i for i in range(window.nav.count()) if window.nav.item(i).isSelected()] == [0]


def test_every_page_opens_by_click_and_by_keyboard(window, qtbot):
    for index, title in enumerate(PAGE_TITLES_NL):
        rect = window.nav.visualItemRect(window.nav.item(index))
        qtbot.mouseClick(window.nav.viewport(), Qt.LeftButton, pos=rect.center())
        assert window.current_page().title == title
    for index in range(window.page_count):
        qtbot.keyClick(window, str(index + 1), Qt.ControlModifier)
        assert window.stack.currentIndex() == index
        assert window.nav.currentRow() == index


def test_overview_shows_next_meeting_and_open_agreements(window, today_kit):
    page = window.page(0)
    assert isinstance(page, OverviewPage)
    upcoming = today_kit.sessions.next_planned()
    assert page.next_title.text() == upcoming.title
    assert "De Schakel" in page.next_details.text()
    table = page.findChild(QTableView, "openAgreements")
    open_titles = {a.title for a in today_kit.agreements.open()}
    shown = {table.model().index(r, 0).data() for r in range(table.model().rowCount())}
    assert shown == open_titles
    assert all(a.status in OPEN_AGREEMENT_STATUSES for a in today_kit.agreements.open())
    assert page.counts.text() == f"{len(open_titles)} open afspraken"
    overdue = [a for a in today_kit.agreements.open() if a.due_on < date.today().isoformat()]
    assert len(overdue) == 1  # the demo's digital consultation hour is three days late
    assert page.counts_detail.text() == i18n.ngettext(
        "{n} is past its due date.", "{n} are past their due date.", 1
    ).format(n=1)


def test_overview_follows_changes_made_through_the_kit(window, today_kit):
    page = window.page(0)
    before = page.model.rowCount()
    session = today_kit.sessions.list()[0]
    today_kit.agreements.add(
        "Buurtapp opzetten", session.id, owner_party="Dorpsbelang", due_on=(date.today() - timedelta(days=1)).isoformat()
    )
    assert page.model.rowCount() == before + 1
    overdue_rows = [r for r in range(page.model.rowCount()) if page.model.overdue(page.model.record(r))]
    assert any(page.model.record(r).title == "Buurtapp opzetten" for r in overdue_rows)


def test_overview_without_any_meeting_says_so(qtbot, kit):
    from ui.app import make_application
    from ui.main_window import MainWindow

    make_application("nl")
    main = MainWindow(kit)
    qtbot.addWidget(main)
    page = main.page(0)
    assert page.next_title.text() == i18n._("No meeting planned yet.")
    assert page.model.rowCount() == 0


def test_settings_page_shows_this_laptop_and_saves_the_language(window, today_kit):
    from PySide6.QtCore import QSettings

    window.show_page(6)
    page = window.page(6)
    texts = [label.text() for label in page.findChildren(QLabel)]
    assert today_kit.replica_id in texts
    assert str(today_kit.path) in texts
    page.language.setCurrentIndex(page.language.findData("en"))
    assert QSettings().value("view/language") == "en"
    QSettings().remove("view/language")


def test_a_bad_database_gives_a_dutch_message_and_is_left_alone(qtbot, tmp_path, monkeypatch, capsys):
    data = tmp_path / "data"
    data.mkdir()
    bad = data / "wijkkit.sqlite"
    bad.write_bytes(b"dit is geen database\n" * 10)
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    args = argparse.Namespace(smoke_test=False, lang="nl", data_dir=str(data), demo=True)
    assert ui_app.run(args) == 2
    assert shown == [NotADatabaseError(path=str(bad)).localized()]
    assert shown[0] != NotADatabaseError(path=str(bad)).english()  # Dutch, not English
    assert bad.read_bytes() == b"dit is geen database\n" * 10
    assert "error: The file" in capsys.readouterr().err


def test_smoke_test_passes(qtbot, capsys):
    from ui.smoke import smoke_test

    assert smoke_test("nl") == 0
    out = capsys.readouterr().out
    assert "smoke test passed: 7 pages and the guide opened on the demo village, a session pack of" in out
    assert "signed, encrypted and merged at a hub" in out


def test_screenshots_cover_every_page_at_laptop_size(qtbot, tmp_path):
    from PySide6.QtGui import QImage

    from ui import screenshots

    assert screenshots.main([str(tmp_path), "nl"]) == 0
    names = {png.name for png in tmp_path.glob("*.png")}
    pages = {f"{n + 1:02d}-{screenshots.slug(title)}.png" for n, title in enumerate(PAGE_TITLES_NL)}
    plan_views = {"02-plannen-2-agenda.png", "02-plannen-3-uitnodigingen.png", "02-plannen-4-materiaal.png",
                  "02-plannen-agenda-past-niet.png"}  # fmt: skip
    dialogs = {"02-plannen-nieuwe-bijeenkomst.png", "02-plannen-sjablonen.png"}
    assert pages | plan_views | dialogs <= names
    for name in pages | plan_views:
        image = QImage(str(tmp_path / name))
        assert (image.width(), image.height()) == screenshots.LAPTOP, name
    for name in dialogs:
        image = QImage(str(tmp_path / name))
        assert image.width() <= screenshots.LAPTOP[0] and image.height() <= screenshots.LAPTOP[1], name


def test_quitting_with_the_projector_open_closes_it_too_and_the_projector_closes_itself(window, qtbot):
    """Issue 14 (2, 19): Ctrl+Q with the projector showing left the projector and the process running,
    holding the lock; and the projector could not be closed from itself."""
    from PySide6.QtWidgets import QApplication

    from ui.projector import ProjectorWindow

    qtbot.keyClick(window, "3", Qt.ControlModifier)  # Leiden
    lead = window.current_page()
    lead.setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_P)
    projector = lead.projector
    assert isinstance(projector, ProjectorWindow) and projector.isVisible()
    projector.activateWindow()
    projector.setFocus()
    qtbot.keyClick(projector, Qt.Key_Escape)  # not full screen: Escape closes it
    assert not projector.isVisible()
    lead.setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_P)
    assert projector.isVisible()
    qtbot.keyClick(projector, Qt.Key_P)  # P closes it from the projector too
    assert not projector.isVisible()

    lead.setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_P)
    assert projector.isVisible()
    window.activateWindow()  # back at the console, the facilitator quits with Ctrl+Q
    qtbot.waitUntil(window.isActiveWindow)
    lead.setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Q, Qt.ControlModifier)
    assert not window.isVisible()
    assert not projector.isVisible(), "the projector stayed open: the app would keep running, holding the lock"


def test_ctrl_q_in_the_projector_quits_the_app(window, qtbot):
    """On one screen the projector covers the console: Ctrl+Q pressed there must quit the app too
    (found driving the real window under Xvfb)."""
    from PySide6.QtWidgets import QApplication

    qtbot.keyClick(window, "3", Qt.ControlModifier)  # Leiden
    lead = window.current_page()
    lead.setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_P)
    projector = lead.projector
    projector.activateWindow()
    qtbot.waitUntil(projector.isActiveWindow)
    qtbot.keyClick(QApplication.focusWidget() or projector, Qt.Key_Q, Qt.ControlModifier)
    assert not window.isVisible() and not projector.isVisible()
