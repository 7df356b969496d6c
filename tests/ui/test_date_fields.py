"""Dates and times as people type them (issue 14, problems 5 and 22), in every form that has them:
typed Dutch dates are taken (not dropped), a mistake shows a message, Enter is enough, an empty
date's calendar opens at today with its last row whole, and "20:00", "2200", "22.00", "20" are times."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from tests.ui.modal import answer_modal
from wijkkit import templates
from wijkkit.kit import Kit

pytestmark = pytest.mark.usefixtures("dutch_app")
TODAY = date.today()
NO_DATE = QDate(2000, 1, 1)



def _focus(qtbot, widget) -> QWidget:
    window = widget.window()
    window.activateWindow()
    if QApplication.activeModalWidget() is None:
        qtbot.waitUntil(window.isActiveWindow)
    widget.setFocus()
    qtbot.waitUntil(lambda: widget.hasFocus() or widget.isAncestorOf(QApplication.focusWidget()))
    return QApplication.focusWidget()


def _type(qtbot, widget, text: str, then=Qt.Key_Return) -> None:
    """Select all, type, press Enter (or Tab): what a person does in a date or time field."""
    focused = _focus(qtbot, widget)
    qtbot.keyClick(focused, Qt.Key_A, Qt.ControlModifier)
    qtbot.keyClicks(focused, text) if text else qtbot.keyClick(focused, Qt.Key_Backspace)
    qtbot.keyClick(focused, then)


@pytest.fixture
def fields(qtbot):
    from ui.forms import DateField, TimeField

    host = QWidget()
    column = QVBoxLayout(host)
    host.optional, host.required, host.time = DateField(), DateField(QDate(2026, 1, 5)), TimeField(QTime(19, 30))
    host.optional.setMinimumDate(NO_DATE)
    host.optional.setSpecialValueText(" ")
    for widget in (host.optional, host.required, host.time):
        column.addWidget(widget)
    qtbot.addWidget(host)
    host.resize(400, 200)
    host.show()
    qtbot.waitExposed(host)
    return host


@pytest.mark.parametrize(("typed", "expected"), [
    ("3-12-2026", date(2026, 12, 3)), ("03-12-2026", date(2026, 12, 3)), ("3/12/2026", date(2026, 12, 3)),
    ("2026-12-03", date(2026, 12, 3)), ("3-12", date(TODAY.year, 12, 3)),
])  # fmt: skip
def test_typed_dates_are_taken_with_enter(qtbot, fields, typed, expected):
    _type(qtbot, fields.optional, typed)
    assert fields.optional.date() == QDate(expected.year, expected.month, expected.day)
    assert fields.optional.line.text() == f"{expected.day}-{expected.month}-{expected.year}"


def test_a_mistyped_date_stays_with_a_message_and_an_empty_one_means_no_date(qtbot, fields):
    messages = []
    fields.required.invalid.connect(messages.append)
    _type(qtbot, fields.required, "31-2-2026")
    assert fields.required.line.text() == "31-2-2026"  # not silently dropped
    assert "31-2-2026" in messages[-1] and fields.required.error()
    assert fields.required.date() == QDate(2026, 1, 5)
    _type(qtbot, fields.required, "28-2-2026")
    assert messages[-1] == "" and fields.required.date() == QDate(2026, 2, 28)
    _type(qtbot, fields.optional, "1-1-2027")
    _type(qtbot, fields.optional, "")
    assert fields.optional.date() == NO_DATE and fields.optional.value() is None


def test_an_empty_date_opens_its_calendar_at_today_whole_and_a_day_is_picked_by_keys(qtbot, fields):
    focused = _focus(qtbot, fields.optional)
    qtbot.keyClick(focused, Qt.Key_Down, Qt.AltModifier)
    calendar = fields.optional.calendar
    qtbot.waitUntil(calendar.isVisible)
    assert calendar.selectedDate() == QDate(TODAY.year, TODAY.month, TODAY.day)
    view = calendar.findChild(QWidget, "qt_calendar_calendarview")
    last = view.model().rowCount() - 1
    assert view.rowViewportPosition(last) + view.rowHeight(last) <= view.viewport().height()  # problem 22
    sunday = view.model().columnCount() - 1
    assert view.columnViewportPosition(sunday) + view.columnWidth(sunday) <= view.viewport().width()
    assert fields.optional.popup.height() >= fields.optional.popup.sizeHint().height()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Right)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Return)
    tomorrow = TODAY + timedelta(days=1)
    assert fields.optional.date() == QDate(tomorrow.year, tomorrow.month, tomorrow.day)
    assert not calendar.isVisible()


@pytest.mark.parametrize(("typed", "expected"), [
    ("20:00", QTime(20, 0)), ("2200", QTime(22, 0)), ("22.00", QTime(22, 0)), ("20", QTime(20, 0)),
])  # fmt: skip
def test_times_as_people_type_them(qtbot, fields, typed, expected):
    _type(qtbot, fields.time, typed)
    assert fields.time.time() == expected
    assert fields.time.text() == expected.toString("HH:mm")


def test_a_mistyped_time_stays_with_a_message(qtbot, fields):
    _type(qtbot, fields.time, "25:00")
    assert fields.time.text() == "25:00" and "25:00" in fields.time.error()
    assert fields.time.time() == QTime(19, 30)


NOW = datetime(2026, 11, 29, 12, 0)


@pytest.fixture
def window(qtbot, tmp_path):
    from ui.main_window import MainWindow

    kit = Kit.open(tmp_path / "wijkkit.sqlite")
    neighbourhood = kit.neighbourhoods.add("Ellerveen", "Veldhorst", "kern")
    kit.sessions.plan("Samen zorgen", "2026-12-15T19:30", "2026-12-15T22:00", templates.builtin(),
                      now=NOW, neighbourhood_id=neighbourhood)  # fmt: skip
    main = MainWindow(kit, clock=lambda: NOW)
    qtbot.addWidget(main)
    main.resize(1024, 768)
    main.show()
    qtbot.waitExposed(main)
    yield main
    kit.close()


def test_a_new_meeting_takes_a_typed_date_and_times(qtbot, window):
    window.show_page(1)
    page = window.current_page()

    def answer(dialog):
        form = dialog.meeting
        qtbot.keyClicks(form.title, "Tweede avond")
        _type(qtbot, form.day, "9-2-2027", then=Qt.Key_Tab)  # Enter would plan the meeting at once
        _type(qtbot, form.start, "2000", then=Qt.Key_Tab)
        _type(qtbot, form.end, "22.15")  # Enter: the dialog's default button

    answer_modal(page.new_meeting, answer)
    session = next(s for s in page.kit.sessions.list() if s.title == "Tweede avond")
    assert (session.starts_at, session.ends_at) == ("2027-02-09T20:00", "2027-02-09T22:15")


def test_a_mistyped_meeting_date_is_shown_at_the_field_and_nothing_is_planned(qtbot, window):
    window.show_page(1)
    page = window.current_page()
    seen = {}

    def answer(dialog):
        form = dialog.meeting
        qtbot.keyClicks(form.title, "Fout")
        _type(qtbot, form.day, "32-1-2027")  # Enter tries to plan it
        seen["shown"] = form.form.error_text("starts_at")
        seen["open"] = dialog.isVisible()

    answer_modal(page.new_meeting, answer)
    assert "32-1-2027" in seen["shown"] and seen["open"]
    assert "Fout" not in [s.title for s in page.kit.sessions.list()]


def test_invitation_dates_are_typed_and_saved(qtbot, window):
    window.show_page(1)
    page = window.current_page()
    page.tabs.setCurrentIndex(2)
    row = page.preparation.rows["letter"]
    focused = _focus(qtbot, row.used)
    qtbot.keyClick(focused, Qt.Key_Space)
    _type(qtbot, row.planned, "3-12")
    _type(qtbot, row.done, "4/12/2026")
    (saved,) = page.kit.preparation.invitations(page.session_id)
    assert (saved.planned_on, saved.done_on) == (f"{TODAY.year}-12-03", "2026-12-04")
    _type(qtbot, row.done, "gisteren")
    assert page.preparation.error.isVisible() and "gisteren" in page.preparation.error.text()


def test_agreement_dates_are_typed_in_mensen(qtbot, window):
    window.show_page(3)
    people = window.current_page()
    tab = people.agreements
    kit = tab.kit
    session = kit.sessions.list()[0]
    kit.agreements.add("Buurtbus op zaterdag", session.id)
    tab.refresh()
    tab.table.selectRow(0)
    _type(qtbot, tab.due, "20-1-2027")
    _type(qtbot, tab.review, "2027-02-01")
    qtbot.mouseClick(tab.save_button, Qt.LeftButton)
    saved = kit.agreements.list()[0]
    assert (saved.due_on, saved.review_on) == ("2027-01-20", "2027-02-01")
    _type(qtbot, tab.review, "1-13-2027")
    assert "1-13-2027" in tab.form.error_text("review_on")
