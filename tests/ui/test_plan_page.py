"""Plannen, driven through the real widgets: from an empty database to a planned 7-step meeting."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from PySide6.QtCore import QDate, QModelIndex, Qt, QTime
from PySide6.QtWidgets import QApplication, QCheckBox, QDialogButtonBox, QMessageBox, QPushButton

from tests.ui.modal import answer_modal
from wijkkit import templates
from wijkkit.kit import Kit

NOW = datetime(2026, 11, 29, 12, 0)
MEETING_DAY = date(2027, 1, 12)


@pytest.fixture
def plan(qtbot, tmp_path):
    """The Plannen page on an empty database file (own templates live beside it)."""
    from ui.app import make_application
    from ui.main_window import MainWindow
    from ui.pages.plan.page import PlanPage

    make_application("nl")
    kit = Kit.open(tmp_path / "wijkkit.sqlite")
    window = MainWindow(kit, clock=lambda: NOW)  # the planning clock is fixed
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    rect = window.nav.visualItemRect(window.nav.item(1))
    qtbot.mouseClick(window.nav.viewport(), Qt.LeftButton, pos=rect.center())
    page = window.current_page()
    assert isinstance(page, PlanPage)
    yield page
    kit.close()


def _ok(dialog) -> None:
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.Ok).click()


def _add_neighbourhood(qtbot, page, name: str) -> None:
    def answer(dialog):
        qtbot.keyClicks(dialog.name, name)
        qtbot.keyClicks(dialog.municipality, "Veldhorst")
        dialog.kind.setCurrentIndex(dialog.kind.findData("kern"))
        _ok(dialog)

    answer_modal(lambda: qtbot.mouseClick(page.new_neighbourhood_button, Qt.LeftButton), answer)


def _fill_meeting(qtbot, dialog, day: date) -> None:
    form = dialog.meeting
    qtbot.keyClicks(form.title, "Samen zorgen in Ellerveen")
    form.day.setDate(QDate(day.year, day.month, day.day))
    form.start.setTime(QTime(19, 30))
    form.end.setTime(QTime(22, 0))
    qtbot.keyClicks(form.location_name, "Dorpshuis De Schakel")
    qtbot.keyClicks(form.facilitator, "Ingrid Veenstra")
    dialog.template.setCurrentIndex(dialog.template.findData(templates.DEFAULT_TEMPLATE))


def test_plan_a_seven_step_meeting_from_an_empty_database(qtbot, plan):
    kit = plan.kit
    assert plan.neighbourhoods.rowCount() == 1  # only 'all meetings'
    assert plan.neighbourhoods.index(0, 0).data() == "Alle bijeenkomsten" and not plan.tabs.isVisible()
    _add_neighbourhood(qtbot, plan, "Ellerveen")
    assert [n.name for n in kit.neighbourhoods.list()] == ["Ellerveen"]
    assert plan.neighbourhood_view.currentIndex().data() == "Ellerveen (kern)"

    def answer(dialog):
        _fill_meeting(qtbot, dialog, NOW.date() - timedelta(days=1))  # first by mistake in the past
        _ok(dialog)
        assert dialog.isVisible(), "a meeting in the past must not be accepted"
        assert dialog.meeting.form.error_text("starts_at") == (
            "Een nieuwe bijeenkomst kan niet in het verleden beginnen. Kies een latere datum of tijd."
        )
        assert kit.sessions.list() == []  # nothing half saved
        dialog.meeting.day.setDate(QDate(MEETING_DAY.year, MEETING_DAY.month, MEETING_DAY.day))
        _ok(dialog)

    session_id = answer_modal(lambda: plan.new_meeting(), answer)
    session = kit.sessions.get(session_id)
    assert (session.title, session.starts_at, session.ends_at) == (
        "Samen zorgen in Ellerveen", "2027-01-12T19:30", "2027-01-12T22:00"
    )
    steps = kit.sessions.steps(session_id)
    assert [s.kind for s in steps].count("step") == 7 and len(steps) == 8
    assert plan.tabs.isVisible() and plan.series.rowCount() == 1
    editor = plan.agenda_editor
    assert editor.model.rowCount() == 8
    assert editor.model.index(0, 0).data() == "19:30" and editor.model.index(7, 0).data() == "21:35"
    assert "140 van de 150 minuten" in editor.fit_label.text()


def test_the_agenda_is_built_by_keyboard_and_warns_when_it_does_not_fit(qtbot, plan):
    kit = plan.kit
    neighbourhood = kit.neighbourhoods.add("Ellerveen", "Veldhorst", "kern")
    session_id = kit.sessions.plan("Avond", "2027-01-12T19:30", "2027-01-12T22:00", templates.builtin(),
                                   now=NOW, neighbourhood_id=neighbourhood)  # fmt: skip
    plan.neighbourhoods.refresh()
    plan.select_session(session_id)
    plan.tabs.setCurrentIndex(1)
    editor = plan.agenda_editor
    first = editor.model.step(0)

    editor.select(0)
    qtbot.keyClick(editor.table, Qt.Key_Down, Qt.AltModifier)
    assert [s.id for s in kit.sessions.steps(session_id)].index(first.id) == 1
    assert editor.selected_step().id == first.id
    assert editor.model.index(0, 0).data() == "19:30" and editor.model.index(1, 0).data() == "19:45"

    qtbot.mouseClick(editor.add_step_button, Qt.LeftButton)  # a new step after the selected one
    assert editor.model.rowCount() == 9 and editor.selected_row() == 2
    editor.title_edit.clear()
    qtbot.keyClicks(editor.title_edit, "Buurtquiz")
    editor.minutes_edit.setValue(0)
    qtbot.mouseClick(editor.apply_button, Qt.LeftButton)
    assert editor.form.error_text("minutes") == "Een stap duurt minstens één minuut."
    assert kit.sessions.steps(session_id)[2].title == "Nieuwe stap"  # nothing saved
    editor.minutes_edit.setValue(25)
    qtbot.mouseClick(editor.apply_button, Qt.LeftButton)
    assert kit.sessions.steps(session_id)[2].title == "Buurtquiz"
    assert editor.fit_label.objectName() == "fitWarning"
    assert "15 minuten langer dan de 150 minuten" in editor.fit_label.text()

    editor.select(2)
    editor.table.setFocus()  # Delete is the table's key
    qtbot.waitUntil(editor.table.hasFocus)
    qtbot.keyClick(editor.table, Qt.Key_Delete)
    assert "Buurtquiz" not in [s.title for s in kit.sessions.steps(session_id)]
    assert editor.fit_label.objectName() == "fitOk"
    assert [s.position for s in kit.sessions.steps(session_id)] == list(range(8))


def test_titles_and_minutes_are_edited_in_the_table_and_bad_minutes_are_refused(qtbot, plan):
    kit = plan.kit
    session_id = kit.sessions.plan("Avond", "2027-01-12T19:30", "2027-01-12T22:00", templates.builtin(), now=NOW)
    plan.select_session(session_id)
    model = plan.agenda_editor.model
    assert model.setData(model.index(0, 2), 20) is True
    assert kit.sessions.steps(session_id)[0].minutes == 20
    assert model.setData(model.index(0, 2), -5) is False
    assert plan.agenda_editor.refused.text() == "Een stap duurt minstens één minuut."
    assert kit.sessions.steps(session_id)[0].minutes == 20


def test_dragging_a_step_moves_it(qtbot, plan):
    kit = plan.kit
    session_id = kit.sessions.plan("Avond", "2027-01-12T19:30", "2027-01-12T22:00", templates.builtin(), now=NOW)
    plan.select_session(session_id)
    model = plan.agenda_editor.model
    titles = [s.title for s in kit.sessions.steps(session_id)]
    data = model.mimeData([model.index(0, 1)])
    assert model.dropMimeData(data, Qt.MoveAction, 4, 0, QModelIndex()) is False  # the view must not delete rows
    moved = [s.title for s in kit.sessions.steps(session_id)]
    assert moved == titles[1:4] + titles[:1] + titles[4:]


def test_details_refuse_an_end_before_the_start_and_keep_the_old_times(qtbot, plan):
    kit = plan.kit
    session_id = kit.sessions.plan("Avond", "2027-01-12T19:30", "2027-01-12T22:00", templates.builtin(), now=NOW)
    plan.select_session(session_id)
    plan.details.end.setTime(QTime(18, 0))
    qtbot.mouseClick(plan.save_button, Qt.LeftButton)
    assert plan.details.form.error_text("ends_at").startswith("De bijeenkomst eindigt voordat ze begint")
    assert kit.sessions.get(session_id).ends_at == "2027-01-12T22:00"
    plan.details.end.setTime(QTime(22, 30))
    qtbot.mouseClick(plan.save_button, Qt.LeftButton)
    assert kit.sessions.get(session_id).ends_at == "2027-01-12T22:30"
    assert plan.agenda_editor.fit_label.text() == (
        "Het programma duurt 140 van de 180 minuten; er blijven 40 minuten over."
    )


def test_notes_with_a_web_address_put_a_qr_code_on_the_poster(qtbot, plan):
    from wijkkit.handouts import poster

    kit = plan.kit
    session_id = kit.sessions.plan("Avond", "2027-01-12T19:30", "2027-01-12T22:00", templates.builtin(), now=NOW)
    plan.select_session(session_id)
    plan.details.notes.setFocus()
    qtbot.keyClicks(plan.details.notes, "Aanmelden via https://ellerveen.nl/avond. Koffie om 19:15.")
    qtbot.mouseClick(plan.save_button, Qt.LeftButton)
    assert poster.link(kit.sessions.get(session_id).notes) == "https://ellerveen.nl/avond"
    plan.details.notes.setPlainText("x" * 2001)
    qtbot.mouseClick(plan.save_button, Qt.LeftButton)
    assert "2000" in plan.details.form.error_text("notes")
    assert kit.sessions.get(session_id).notes.startswith("Aanmelden via")
    plan.select_session(session_id)  # the same meeting again: what was typed stays, unsaved
    assert plan.details.notes.toPlainText() == "x" * 2001
    plan.details.show_session(kit.sessions.get(session_id))  # nothing left unsaved to ask about on closing


def test_invitations_and_materials_are_saved_as_they_are_ticked(qtbot, plan):
    kit = plan.kit
    session_id = kit.sessions.plan("Avond", "2027-01-12T19:30", "2027-01-12T22:00", templates.builtin(), now=NOW)
    plan.select_session(session_id)
    plan.tabs.setCurrentIndex(2)
    prep = plan.preparation
    letter = prep.rows["letter"]
    qtbot.mouseClick(letter.used, Qt.LeftButton)
    letter.planned.setDate(QDate(2026, 12, 20))
    letter.reach.setValue(420)
    letter.reach.editingFinished.emit()
    (saved,) = kit.preparation.invitations(session_id)
    assert (saved.channel, saved.planned_on, saved.done_on, saved.reach) == ("letter", "2026-12-20", None, 420)
    assert "brief huis aan huis (20-12-2026)" in prep.pending.text()
    letter.done.setDate(QDate(2026, 12, 19))
    assert prep.pending.text() == "Alle uitnodigingen zijn verstuurd."

    plan.tabs.setCurrentIndex(3)
    count = prep.checklist.rowCount()
    qtbot.keyClicks(prep.new_material, "Statafels")
    qtbot.keyClick(prep.new_material, Qt.Key_Return)
    assert prep.checklist.rowCount() == count + 1
    assert kit.preparation.checklist(session_id)[-1].label == "Statafels"
    index = prep.checklist.index(count, 0)
    assert prep.checklist.setData(index, Qt.Checked.value, Qt.CheckStateRole)
    assert kit.preparation.checklist(session_id)[-1].done == 1


def test_an_ics_file_is_written_for_the_meeting(qtbot, plan, tmp_path):
    from icalendar import Calendar

    kit = plan.kit
    session_id = kit.sessions.plan("Avond", "2027-01-12T19:30", "2027-01-12T22:00", templates.builtin(), now=NOW)
    plan.select_session(session_id)
    target = tmp_path / "avond.ics"
    plan.write_ics(target)
    event = Calendar.from_ical(target.read_bytes()).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Avond"
    assert event.decoded("DTSTART").hour == 19
    assert plan.saved_note.text() == f"Opgeslagen als {target}."


def test_archiving_hides_a_neighbourhood_until_shown_again(qtbot, plan):
    kit = plan.kit
    kit.neighbourhoods.add("Ellerveen", "Veldhorst", "kern")
    plan.neighbourhoods.refresh()
    plan.neighbourhood_view.setCurrentIndex(plan.neighbourhoods.index(1, 0))
    qtbot.mouseClick(plan.archive_button, Qt.LeftButton)
    assert plan.neighbourhoods.rowCount() == 1
    plan.show_archived.setChecked(True)
    assert plan.neighbourhoods.index(1, 0).data() == "Ellerveen (kern) – gearchiveerd"
    assert plan.neighbourhoods.index(0, 0).data() == "Alle bijeenkomsten"


def test_templates_are_copied_edited_exported_and_imported(qtbot, plan, tmp_path):
    from ui.pages.plan.templates_dialog import TemplatesDialog

    dialog = TemplatesDialog(plan.kit, plan)
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 2 and not dialog.delete_button.isEnabled()
    copy = dialog.copy_as("Korte avond")
    assert dialog.current().id == copy.id and dialog.delete_button.isEnabled()
    dialog.editor.select(0)
    answer_modal(dialog.editor.remove_selected, lambda box: box.button(QMessageBox.Yes).click())  # it has text
    dialog.name.setText("Korte avond zonder welkom")
    saved = dialog.save()
    assert saved.name == "Korte avond zonder welkom" and len(saved.steps) == 7
    own = templates.own_dir(plan.kit)
    assert len(list(own.glob("*.json"))) == 1  # renamed in place, not duplicated

    exported = tmp_path / "gedeeld.json"
    dialog.export_to(exported)
    assert templates.load(exported).name == "Korte avond zonder welkom"
    bad = tmp_path / "kapot.json"
    bad.write_text('{"format": "wijkkit-template", "version": 1, "name": "x", "steps": [{"title": "a", "minutes": 0}]}', encoding="utf-8")
    assert dialog.import_from(bad) is None
    assert "stap 1" in dialog.message.text()
    imported = dialog.import_from(exported)
    assert imported is not None and dialog.list.count() == 4


def test_a_second_meeting_follows_the_first_and_starts_from_the_repeat_template(qtbot, plan):
    kit = plan.kit
    neighbourhood = kit.neighbourhoods.add("Ellerveen", "Veldhorst", "kern")
    first = kit.sessions.plan("Eerste", "2027-01-12T19:30", "2027-01-12T22:00", templates.builtin(),
                              now=NOW, neighbourhood_id=neighbourhood)  # fmt: skip
    plan.neighbourhoods.refresh()

    def answer(dialog):
        assert dialog.meeting.follows.currentData() == first
        assert dialog.chosen_template().id == templates.REPEAT_TEMPLATE
        qtbot.keyClicks(dialog.meeting.title, "Tweede")
        dialog.meeting.day.setDate(QDate(2027, 2, 9))
        _ok(dialog)

    second = answer_modal(lambda: plan.new_meeting(), answer)
    assert kit.sessions.previous(second).id == first
    assert plan.series.rowCount() == 2
    assert plan.series.index(1, 0).data().startswith("↳ 9-2-2027")
    assert kit.sessions.steps(second)[1].title == "Afspraken van de vorige keer"


def test_every_button_on_the_page_has_a_dutch_label(plan):
    from tools import i18n as catalogue

    labels = [b.text() for b in plan.findChildren(QPushButton)] + [c.text() for c in plan.findChildren(QCheckBox)]
    assert len(labels) > 10 and all(label.strip() for label in labels)
    english_only = {msgid for msgid, entry in catalogue.read_po().items() if entry.msgstr[0] != msgid}
    assert [label for label in labels if label.split(" (")[0] in english_only] == []


def _third_step_chosen(plan):
    """A new meeting from the built-in template, its agenda open and the third step chosen."""
    kit = plan.kit
    session_id = kit.sessions.plan("Avond", "2027-01-12T19:30", "2027-01-12T22:00", templates.builtin(), now=NOW)
    plan.neighbourhoods.refresh()
    plan.select_session(session_id)
    plan.tabs.setCurrentIndex(1)
    plan.agenda_editor.select(2)
    return kit, session_id, plan.agenda_editor


def test_delete_removes_a_step_only_when_the_agenda_table_has_the_focus(qtbot, plan):
    """Delete is the table's key: pressed on a button beside it, it must not remove a step."""
    kit, session_id, editor = _third_step_chosen(plan)
    before = [s.title for s in kit.sessions.steps(session_id)]
    for widget in (editor.apply_button, editor.add_step_button):
        widget.setFocus()
        qtbot.waitUntil(widget.hasFocus)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Delete)
        assert [s.title for s in kit.sessions.steps(session_id)] == before
    editor.table.setFocus()
    qtbot.waitUntil(editor.table.hasFocus)
    answer_modal(lambda: qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Delete),
                 lambda box: box.button(QMessageBox.Yes).click())  # the step has its own text: asked first
    assert [s.title for s in kit.sessions.steps(session_id)] == before[:2] + before[3:]


def test_delete_on_a_step_with_its_own_text_asks_first_and_no_keeps_it(qtbot, plan):
    """A step's purpose and questions went with one Delete press; now a question, No the default."""
    kit, session_id, editor = _third_step_chosen(plan)
    step = kit.sessions.steps(session_id)[2]
    assert step.purpose or step.prompts
    editor.table.setFocus()
    qtbot.waitUntil(editor.table.hasFocus)

    def default_no(box):
        assert step.title in box.text() and box.defaultButton() is box.button(QMessageBox.No)
        qtbot.keyClick(box, Qt.Key_Return)

    answer_modal(lambda: qtbot.keyClick(editor.table, Qt.Key_Delete), default_no)
    assert step.id in [s.id for s in kit.sessions.steps(session_id)]
    editor.window().activateWindow()  # offscreen, a closed question does not give the focus back
    qtbot.waitUntil(editor.window().isActiveWindow)
    editor.table.setFocus()
    qtbot.waitUntil(editor.table.hasFocus)
    answer_modal(lambda: qtbot.keyClick(editor.table, Qt.Key_Delete), lambda box: box.button(QMessageBox.Yes).click())
    assert step.id not in [s.id for s in kit.sessions.steps(session_id)]
