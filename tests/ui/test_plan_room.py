"""Plannen within reach (issue 14): minutes edited in the agenda table without a Qt warning,
deleting a meeting planned by mistake, a warning when a meeting with invitations sent moves,
a follow-up that takes over place, facilitator and time, a still invitations grid, and the
page and every tab within 780x560 so it fits a 1024x768 screen."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QTabWidget

from tests.ui.modal import answer_modal
from wijkkit import templates

BUDGET = (780, 560)


def _future(kit, days=40, **details) -> str:
    day = date.today() + timedelta(days=days)
    return kit.sessions.plan("Per ongeluk", f"{day}T19:30", f"{day}T22:00", templates.builtin(), **details)


def _press_button(qtbot, button) -> None:
    """Focus the button and press Space, as a keyboard user does."""
    window = button.window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    button.setFocus()
    qtbot.waitUntil(button.hasFocus)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Space)


def test_minutes_typed_in_the_table_warn_nothing_and_keep_the_row(qtbot, qtlog, plan):
    kit = plan.kit
    session_id = _future(kit)
    plan.select_session(session_id)
    plan.tabs.setCurrentIndex(1)
    table = plan.agenda_editor.table
    table.setFocus()
    table.setCurrentIndex(plan.agenda_editor.model.index(3, 2))
    qtbot.keyClick(table, Qt.Key_F2)
    editor = QApplication.focusWidget()
    assert editor is not table
    qtbot.keyClick(editor, Qt.Key_A, Qt.ControlModifier)
    qtbot.keyClicks(editor, "25")
    qtbot.keyClick(editor, Qt.Key_Return)
    qtbot.wait(50)
    assert kit.sessions.steps(session_id)[3].minutes == 25
    assert not [r.message for r in qtlog.records if "commitData" in r.message]
    assert table.currentIndex().row() == 3


def test_a_meeting_planned_by_mistake_is_deleted_after_confirmation(qtbot, plan):
    kit = plan.kit
    session_id = _future(kit)
    plan.select_session(session_id)
    assert plan.delete_button.isEnabled()
    seen = []

    def answer(box):
        seen.append(box.text())
        qtbot.keyClick(box, Qt.Key_Escape)

    answer_modal(lambda: _press_button(qtbot, plan.delete_button), answer)
    assert "Per ongeluk" in seen[0]
    assert session_id in [s.id for s in kit.sessions.list()]  # Escape keeps it

    answer_modal(lambda: _press_button(qtbot, plan.delete_button),
                 lambda box: box.button(QMessageBox.Yes).click())  # fmt: skip
    assert session_id not in [s.id for s in kit.sessions.list()]
    assert plan.session_id != session_id


def test_a_held_meeting_cannot_be_deleted_and_says_why(qtbot, plan):
    kit = plan.kit
    held = next(s for s in kit.sessions.list() if kit.sessions.recorded(s.id))
    plan.select_session(held.id)
    seen = []
    answer_modal(lambda: _press_button(qtbot, plan.delete_button), lambda box: seen.append(box.text()))
    assert "afgelast" in seen[0] or "cancelled" in seen[0]  # Dutch once the new wording is translated
    assert kit.sessions.get(held.id)


def test_moving_a_meeting_after_invitations_went_out_asks_first(qtbot, plan):
    kit = plan.kit
    session_id = _future(kit)
    kit.preparation.set_invitation(session_id, "letter", done_on=date.today())
    plan.select_session(session_id)
    plan.tabs.setCurrentIndex(0)
    start = plan.details.start
    plan.window().activateWindow()
    qtbot.waitUntil(plan.window().isActiveWindow)
    start.setFocus()
    qtbot.waitUntil(start.hasFocus)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_A, Qt.ControlModifier)
    qtbot.keyClicks(QApplication.focusWidget(), "20:00")
    seen = []

    def refuse(box):
        seen.append(box.text())
        box.button(QMessageBox.No).click()

    answer_modal(lambda: qtbot.mouseClick(plan.save_button, Qt.LeftButton), refuse)
    assert "correctie" in seen[0] or "correction" in seen[0]
    assert kit.sessions.get(session_id).starts_at.endswith("T19:30")
    answer_modal(lambda: qtbot.mouseClick(plan.save_button, Qt.LeftButton),
                 lambda box: box.button(QMessageBox.Yes).click())  # fmt: skip
    assert kit.sessions.get(session_id).starts_at.endswith("T20:00")


def test_a_follow_up_takes_place_facilitator_and_time_of_day(qtbot, plan):
    kit = plan.kit
    neighbourhood = kit.neighbourhoods.list()[0]
    day = date.today() + timedelta(days=20)
    first = kit.sessions.plan("Eerste", f"{day}T19:00", f"{day}T21:15", neighbourhood_id=neighbourhood.id,
                              location_name="Dorpshuis De Schakel", location_address="Kerkstraat 2",
                              facilitator="Sanne Bakker")  # fmt: skip
    plan.neighbourhood_view.setCurrentIndex(plan.neighbourhoods.index(1, 0))
    plan.select_session(first)
    assert plan.current_neighbourhood().id == neighbourhood.id
    seen = {}

    def answer(dialog):
        form = dialog.meeting
        form.follows.setFocus()
        qtbot.waitUntil(form.follows.hasFocus)
        index = form.follows.findData(first)
        assert index > 0
        for _press in range(form.follows.count()):
            if form.follows.currentIndex() == index:
                break
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Down if form.follows.currentIndex() < index else Qt.Key_Up)
        seen.update(place=form.location_name.text(), address=form.location_address.text(),
                    facilitator=form.facilitator.text(), start=form.start.text(), end=form.end.text())  # fmt: skip

    answer_modal(lambda: _press_button(qtbot, plan.new_meeting_button), answer)
    assert seen == {"place": "Dorpshuis De Schakel", "address": "Kerkstraat 2", "facilitator": "Sanne Bakker",
                    "start": "19:00", "end": "21:15"}  # fmt: skip


def test_the_invitations_grid_stays_put_when_the_summary_grows(qtbot, plan):
    kit = plan.kit
    session_id = _future(kit)
    plan.select_session(session_id)
    plan.tabs.setCurrentIndex(2)
    qtbot.wait(20)
    rows = plan.preparation.rows
    before = {c: (r.used.mapTo(plan, r.used.rect().topLeft()), r.planned.geometry()) for c, r in rows.items()}
    for channel in list(rows)[:8]:  # every ticked channel makes the 'still to go out' line longer
        rows[channel].used.setFocus()
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Space)
        rows[channel].planned.setFocus()
        qtbot.keyClicks(QApplication.focusWidget(), "24-12")
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Return)
        qtbot.wait(10)
    assert plan.preparation.pending.text().count("24-12") == 8
    after = {c: (r.used.mapTo(plan, r.used.rect().topLeft()), r.planned.geometry()) for c, r in rows.items()}
    assert after == before


def _worst_state(kit) -> str:
    """A meeting with a long title, long place, running, and many invitations still to go."""
    session_id = _future(kit, title_extra=None) if False else _future(kit)
    kit.sessions.edit(session_id, title="Een heel lange titel van een bijeenkomst " * 4,
                      location_name="Dorpshuis " * 12, status="running")  # fmt: skip
    for channel in ("letter", "poster", "flyer", "village_paper", "email", "social_media", "whatsapp", "personal"):
        kit.preparation.set_invitation(session_id, channel, planned_on=date.today())
    return session_id


def test_the_page_every_tab_and_dialog_fit_1024x768(qtbot, plan):
    from ui.pages.plan.dialogs import NeighbourhoodDialog, NewMeetingDialog
    from ui.pages.plan.templates_dialog import TemplatesDialog

    kit = plan.kit
    plan.select_session(_worst_state(kit))
    tabs = plan.findChild(QTabWidget, "meetingTabs")
    sizes = {"page": plan.minimumSizeHint()}
    for n in range(tabs.count()):
        tabs.setCurrentIndex(n)
        qtbot.wait(10)
        sizes[tabs.tabText(n)] = tabs.widget(n).minimumSizeHint()
    sizes["page (last tab)"] = plan.minimumSizeHint()
    for name, dialog in (("neighbourhood", NeighbourhoodDialog(kit, parent=plan)),
                         ("new meeting", NewMeetingDialog(kit, now=datetime.now(), parent=plan)),
                         ("templates", TemplatesDialog(kit, plan))):  # fmt: skip
        sizes[name] = dialog.minimumSizeHint().expandedTo(dialog.minimumSize())
    too_big = {k: v.toTuple() for k, v in sizes.items() if v.width() > BUDGET[0] or v.height() > BUDGET[1]}
    assert not too_big
    window = plan.window()
    tabs.setCurrentIndex(0)  # the delete button is on Details
    qtbot.waitUntil(lambda: window.width() <= 1024)
    for button in (plan.templates_button, plan.new_meeting_button, plan.delete_button):
        corner = button.mapTo(window, button.rect().bottomRight())
        assert button.isVisible() and corner.x() <= window.width() and corner.y() <= window.height()
