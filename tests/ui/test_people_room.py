"""Mensen en afspraken in the room, by keyboard and mouse (issue 14, problems 3, 11, 12, 14, 22).

The door form keeps one Tab order whether or not the name is known, Enter registers from
any field and from the focused button, messages go away once the input changes, a check-in
can be undone and a table changed from the Aanwezig list, the Afspraken tab makes new
agreements, and every tab fits a 1024x768 window."""

from __future__ import annotations

from datetime import datetime

import pytest

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from wijkkit import templates
from wijkkit.i18n import _
from wijkkit.kit import Kit

NOW = datetime(2026, 12, 1, 19, 0)


@pytest.fixture
def door(qtbot, tmp_path):
    from ui.app import make_application
    from ui.bridge import KitBridge
    from ui.pages.people.registration_tab import RegistrationTab

    make_application("nl")
    kit = Kit.open(tmp_path / "wijkkit.sqlite")
    kit.sessions.plan("Samen zorgen", "2026-12-01T19:30", "2026-12-01T22:00", templates.builtin(), now=NOW)
    bridge = KitBridge(kit)
    tab = RegistrationTab(kit, bridge, lambda: NOW)
    qtbot.addWidget(tab)
    tab.resize(760, 560)
    tab.show()
    qtbot.waitExposed(tab)
    tab.activateWindow()
    qtbot.waitUntil(tab.isActiveWindow)
    yield tab
    bridge.close()
    kit.close()


def keys(*presses) -> None:
    """Each item is typed into whatever has the focus: a str as text, a Qt.Key as one key."""
    for press in presses:
        if isinstance(press, str):
            QTest.keyClicks(QApplication.focusWidget(), press)
        else:
            QTest.keyClick(QApplication.focusWidget(), press)


TAB = Qt.Key_Tab


def start_at_name(qtbot, tab) -> None:
    qtbot.mouseClick(tab.name, Qt.LeftButton)
    assert QApplication.focusWidget() is tab.name


@pytest.mark.parametrize("name", ["Anneke Bosma", "Nieuwe Buurvrouw"])
def test_one_tab_rhythm_puts_the_email_in_email_for_a_known_and_an_unknown_name(qtbot, door, name):
    tab, kit = door, door.kit
    kit.people.add("Anneke Bosma")
    start_at_name(qtbot, tab)
    # name, who, role, organisation, e-mail, phone: the same count of Tabs whoever it is
    keys(name, TAB, TAB, TAB, TAB, "a@example.nl", TAB, "06-1234")
    assert (tab.email.text(), tab.phone.text(), tab.organisation.text()) == ("a@example.nl", "06-1234", "")


def names_present(tab) -> list[str]:
    return [a.name for a in tab.kit.attendance.attendees(tab.session_id())]


def test_enter_in_the_table_field_registers(qtbot, door):
    tab = door
    start_at_name(qtbot, tab)
    keys("Henk Oosterhuis", *[TAB] * 9)  # who, role, organisation, e-mail, phone, three consents, table
    assert tab.table_no.hasFocus()
    keys("4", Qt.Key_Return)
    assert names_present(tab) == ["Henk Oosterhuis"]
    assert tab.kit.attendance.attendees(tab.session_id())[0].table_no == 4
    assert QApplication.focusWidget() is tab.name and tab.name.text() == ""


def test_a_table_typed_after_a_click_into_the_table_field_is_kept(qtbot, door):
    tab = door
    start_at_name(qtbot, tab)
    keys("Henk Oosterhuis")
    qtbot.mouseClick(tab.table_no, Qt.LeftButton)  # into the text "geen tafel"
    qtbot.waitUntil(lambda: tab.table_no.lineEdit().selectedText() == "geen tafel")
    keys("4", Qt.Key_Enter)
    assert [(a.name, a.table_no) for a in tab.kit.attendance.attendees(tab.session_id())] == [("Henk Oosterhuis", 4)]


@pytest.mark.parametrize("key", [Qt.Key_Return, Qt.Key_Enter, Qt.Key_Space])
def test_enter_or_space_on_the_focused_register_button_registers(qtbot, door, key):
    tab = door
    start_at_name(qtbot, tab)
    keys("Fatma Yilmaz")
    while QApplication.focusWidget() is not tab.register_button:  # Tab on to the button, as a person does
        keys(TAB)
    keys(key)
    assert names_present(tab) == ["Fatma Yilmaz"]
    assert tab.done.text() == "Fatma Yilmaz is aanwezig gemeld."


def test_the_last_outcome_goes_once_the_form_is_edited(qtbot, door):
    tab = door
    start_at_name(qtbot, tab)
    keys("Henk Oosterhuis", Qt.Key_Return)
    assert tab.done.text() == "Henk Oosterhuis is aanwezig gemeld."
    keys("Joop")  # the next person: the green line for Henk goes
    assert tab.done.text() == ""
    keys(TAB, TAB, TAB, TAB, "joop@example.nl", Qt.Key_Return)  # e-mail without consent: refused
    error = tab.form.error_text("consent_contact")
    assert error.startswith("Contactgegevens mogen alleen worden bewaard") and tab.done.text() == ""
    assert QApplication.focusWidget() is tab.consents["contact"]
    keys(Qt.Key_Space)  # 'yes, you may contact me': the red line goes at once
    assert tab.form.error_text("consent_contact") == ""
    keys(Qt.Key_Return)
    assert tab.done.text() == "Joop is aanwezig gemeld." and tab.form.error_text("consent_contact") == ""


def test_a_corrected_name_loses_its_error(qtbot, door):
    tab = door
    start_at_name(qtbot, tab)
    keys(Qt.Key_Return)  # no name
    assert tab.form.error_text("name") != "" and QApplication.focusWidget() is tab.name
    keys("A")
    assert tab.form.error_text("name") == ""


def click_row(qtbot, view, row: int) -> None:
    view.scrollTo(view.model().index(row, 0))
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=view.visualRect(view.model().index(row, 0)).center())


def test_a_check_in_is_undone_with_delete_and_a_table_changed_from_the_present_list(qtbot, door):
    tab, kit = door, door.kit
    start_at_name(qtbot, tab)
    keys("Anneke Bosma", Qt.Key_Return, "Henk Oosterhuis", Qt.Key_Return)
    assert names_present(tab) == ["Anneke Bosma", "Henk Oosterhuis"] and not tab.undo_button.isEnabled()
    click_row(qtbot, tab.attendee_list, 0)
    keys(Qt.Key_Delete)  # Anneke was checked in by mistake
    assert names_present(tab) == ["Henk Oosterhuis"]
    assert tab.done.text() == _("{name} no longer counts as present.").format(name="Anneke Bosma")
    assert kit.attendance.total(tab.session_id()) == 1

    click_row(qtbot, tab.attendee_list, 0)
    keys(Qt.Key_Return)  # Enter on a person: their table, to change
    assert QApplication.focusWidget() is tab.seat
    keys("7", Qt.Key_Return)
    assert [(a.name, a.table_no) for a in kit.attendance.attendees(tab.session_id())] == [("Henk Oosterhuis", 7)]
    assert tab.done.text() == _("{name} now sits at table {table}.").format(name="Henk Oosterhuis", table=7)
    henk = kit.attendance.attendees(tab.session_id())[0].attendance_id

    click_row(qtbot, tab.attendee_list, 0)
    qtbot.mouseClick(tab.undo_button, Qt.LeftButton)
    assert names_present(tab) == []
    start_at_name(qtbot, tab)
    keys("Henk Oosterhuis", Qt.Key_Return)  # he is here after all: registering again brings him back
    assert [a.attendance_id for a in kit.attendance.attendees(tab.session_id())] == [henk]


@pytest.fixture
def page(qtbot, today_kit):
    from ui.app import make_application
    from ui.main_window import MainWindow

    make_application("nl")
    window = MainWindow(today_kit)
    qtbot.addWidget(window)
    window.resize(1024, 768)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    people = [i for i in range(window.page_count) if window.nav.item(i).text() == "Mensen en afspraken"][0]
    window.show_page(people)
    return window.page(people)


def open_tab(qtbot, page, widget):
    bar = page.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.LeftButton, pos=bar.tabRect(page.tabs.indexOf(widget)).center())
    assert page.tabs.currentWidget() is widget


def test_a_new_agreement_from_the_button_and_from_ctrl_n(qtbot, page):
    tab, kit = page.agreements, page.agreements.kit
    open_tab(qtbot, page, tab)
    before = len(kit.agreements.list())
    click_row(qtbot, tab.table, 0)
    qtbot.mouseClick(tab.new_button, Qt.LeftButton)
    assert QApplication.focusWidget() is tab.title and tab.title.text() == "" and tab.meeting.isEnabled()
    keys("Bankje bij de bushalte")
    qtbot.mouseClick(tab.save_button, Qt.LeftButton)
    made = [a for a in kit.agreements.list() if a.title == "Bankje bij de bushalte"]
    assert len(made) == 1 and len(kit.agreements.list()) == before + 1
    assert made[0].session_id == tab.meeting.currentData() is not None
    assert tab.current_id == made[0].id and tab.new_status.isEnabled()  # chosen: its status can be updated

    click_row(qtbot, tab.table, 0)
    keys(Qt.Key_Tab)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key_N, Qt.ControlModifier)
    assert QApplication.focusWidget() is tab.title and tab.title.text() == ""
    qtbot.mouseClick(tab.save_button, Qt.LeftButton)  # without a title: refused at the field, nothing added
    assert tab.form.error_text("title") != "" and len(kit.agreements.list()) == before + 1


LONG = "Een heel lange titel die niemand zou moeten typen maar die toch voorkomt " * 3


def tab_sizes(page) -> dict[str, tuple[int, int]]:
    QApplication.processEvents()
    sizes = {page.tabs.tabText(i): page.tabs.widget(i).minimumSizeHint().toTuple() for i in range(page.tabs.count())}
    return {"page": page.minimumSizeHint().toTuple(), **sizes}


def test_every_tab_fits_a_1024x768_window_in_its_worst_state(qtbot, page):
    kit = page.registration.kit
    person = kit.people.add(LONG[:200], organisation=LONG[:200])
    meeting = kit.sessions.add(LONG[:200], "2026-12-20T19:30", "2026-12-20T22:00")
    kit.attendance.mark(meeting, person, 999)
    kit.exchange.add_offer(meeting, LONG, "vervoer", person)
    kit.agreements.add(LONG[:290], meeting, owner_person_id=person, owner_party=LONG[:200], partners=LONG[:200])
    states = {"demo data": tab_sizes(page)}
    for view in (page.people.table, page.exchange.offer_view, page.agreements.table, page.obstacles.table):
        view.selectRow(0)
    page.registration.meeting.setCurrentIndex(page.registration.meeting.findData(meeting))
    page.registration.attendee_list.selectRow(0)
    states["chosen"] = tab_sizes(page)
    page.registration.name.setText(LONG[:200])
    page.registration.name.completer().popup().hide()
    page.agreements.new_agreement()
    page.registration.register()  # a long name present, with an outcome line
    page.registration.name.setText("Anneke Bosma")  # a known name: the note about stored details
    page.registration.name.completer().popup().hide()
    states["known, new agreement"] = tab_sizes(page)
    too_big = {(state, name): size for state, sizes in states.items() for name, size in sizes.items()
               if size[0] > 780 or size[1] > 560}  # fmt: skip
    assert too_big == {}


def test_the_whole_party_row_of_an_agreement_is_in_sight_at_1024x768(qtbot, page):
    tab = page.agreements
    open_tab(qtbot, page, tab)
    click_row(qtbot, tab.table, 0)
    QApplication.processEvents()
    window = page.window()
    row = tab.party.parentWidget()
    label = tab.form.labelForField(row)
    assert label.text() == "Of welke partij"
    assert label.width() >= label.sizeHint().width()  # not squeezed
    for widget in (label, tab.party):
        top_left = widget.mapTo(window, widget.rect().topLeft())
        bottom_right = widget.mapTo(window, widget.rect().bottomRight())
        assert window.rect().contains(top_left) and window.rect().contains(bottom_right), widget
        assert widget.visibleRegion().boundingRect() == widget.rect(), widget  # nothing of it scrolled away
