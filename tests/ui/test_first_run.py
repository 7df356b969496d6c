"""First run (issue 14, "Build beyond the fixes"): an empty database gets a short setup, by keyboard.

The setup opens by itself after the start (as ``ui.app.run`` calls ``offer_at_start``) and
from the Overzicht's "Begin met een wijk". It saves the organisation, the first
neighbourhood and optionally the hub key through the core, all or nothing, and ends on
"Plan uw eerste bijeenkomst", which opens Plannen and its new-meeting dialog.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog

from tests.ui.conftest import shown_window
from wijkkit import branding, demo
from wijkkit.errors import ImportFormatError, Message, ValidationError
from wijkkit.i18n import _
from wijkkit.kit import Kit
from wijkkit.sync import keys

from ui import first_run
from ui.first_run import FirstRunDialog


@pytest.fixture
def empty(tmp_path):
    with Kit.open(tmp_path / "wijkkit.sqlite") as opened:
        yield opened


@pytest.fixture
def main(qtbot, empty):
    return shown_window(qtbot, empty, (1024, 768))


def when_modal(kind: str, answer: Callable[[QDialog], None], log: list) -> None:
    """Answer the next modal dialog of class ``kind`` once it is the active one (from a timer:
    ``exec`` blocks); ``log`` gets the dialog, or the error the answer raised."""

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or type(dialog).__name__ != kind or not dialog.isActiveWindow():
            QTimer.singleShot(10, poll)
            return
        try:
            answer(dialog)
            log.append(dialog)
        except BaseException as error:  # noqa: BLE001 - raised in the test by check()
            log.append(error)
            dialog.reject()

    QTimer.singleShot(0, poll)


def check(log: list) -> QDialog:
    assert log, "the dialog did not appear"
    if isinstance(log[0], BaseException):
        raise log[0]
    return log[0]


def keys_to_focus(*presses) -> None:
    """Each press goes to whatever has the keyboard focus now, as a person's typing does."""
    for press in presses:
        widget = QApplication.focusWidget()
        if isinstance(press, str):
            QTest.keyClicks(widget, press)
        else:
            QTest.keyClick(widget, *press) if isinstance(press, tuple) else QTest.keyClick(widget, press)


def test_an_empty_database_is_set_up_by_keyboard_and_ends_on_planning(qtbot, main, empty, tmp_path):
    with Kit.open(tmp_path / "hub.sqlite") as hub:
        key_file = keys.export_hub_key(hub, tmp_path / "hub.wijkhub", "Gemeente Veldhorst")
    assert first_run.due(empty)
    setup, planning = [], []

    def fill_in(dialog: FirstRunDialog) -> None:
        assert QApplication.focusWidget() is dialog.organisation
        keys_to_focus("Welzijn Veldhorst", Qt.Key_Tab, "Noord", Qt.Key_Tab, "Veldhorst", Qt.Key_Tab,
                      Qt.Key_Down, Qt.Key_Tab, str(key_file), Qt.Key_Return)  # fmt: skip
        assert dialog.stack.currentIndex() == 1, dialog.form.general.text()
        assert QApplication.focusWidget() is dialog.plan_button
        assert "Noord" in dialog.summary.text() and keys.hub_of(empty).fingerprint in dialog.summary.text()
        keys_to_focus(Qt.Key_Return)  # "Plan uw eerste bijeenkomst"

    def look_and_cancel(dialog: QDialog) -> None:
        assert dialog.meeting.neighbourhood.currentText() == "Noord"
        keys_to_focus(Qt.Key_Escape)

    when_modal("FirstRunDialog", fill_in, setup)
    when_modal("NewMeetingDialog", look_and_cancel, planning)
    first_run.offer_at_start(main)  # as ui.app.run does once the window is shown
    qtbot.waitUntil(lambda: bool(setup), timeout=5000)
    check(setup)
    qtbot.waitUntil(lambda: bool(planning), timeout=5000)
    check(planning)
    assert [n.name for n in empty.neighbourhoods.list()] == ["Noord"]
    neighbourhood = empty.neighbourhoods.list()[0]
    assert (neighbourhood.municipality, neighbourhood.kind) == ("Veldhorst", "buurt")
    assert branding.Branding.of(empty).organisation == "Welzijn Veldhorst"
    assert keys.hub_of(empty).name == "Gemeente Veldhorst"
    assert main.current_page().title == _("Plan")
    assert not first_run.due(empty)


def test_bad_input_is_refused_at_its_field_and_nothing_typed_is_lost(qtbot, empty, tmp_path):
    wrong = tmp_path / "sleutel.wijkhub"
    wrong.write_text("geen sleutel", encoding="utf-8")
    dialog = FirstRunDialog(empty)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    keys_to_focus("Welzijn Veldhorst", Qt.Key_Return)  # no neighbourhood name
    assert dialog.form.error_text("name") == ValidationError("A neighbourhood needs a name.").localized()
    assert QApplication.focusWidget() is dialog.name  # the focus goes where the mistake is
    keys_to_focus("Noord", Qt.Key_Tab, Qt.Key_Tab, Qt.Key_Tab, str(wrong), Qt.Key_Return)
    assert dialog.form.error_text("hub_key") == ImportFormatError(
        path=str(wrong), reason=Message("it is not a hub key file.")).localized()  # fmt: skip
    assert dialog.stack.currentIndex() == 0
    # all or nothing: the neighbourhood and the name were not saved without the key
    assert empty.neighbourhoods.list() == [] and branding.Branding.of(empty).organisation == ""
    assert (dialog.organisation.text(), dialog.name.text(), dialog.key_path.text()) == (
        "Welzijn Veldhorst", "Noord", str(wrong))  # fmt: skip
    dialog.key_path.setFocus()
    keys_to_focus((Qt.Key_A, Qt.ControlModifier), Qt.Key_Backspace, Qt.Key_Return)  # the key is optional
    assert dialog.stack.currentIndex() == 1
    assert [n.name for n in empty.neighbourhoods.list()] == ["Noord"] and keys.hub_of(empty) is None
    assert dialog.form.error_text("name") == ""
    keys_to_focus(Qt.Key_Escape)
    assert not dialog.isVisible() and not dialog.plan_next


def test_a_long_organisation_name_is_refused_by_the_core(qtbot, empty):
    dialog = FirstRunDialog(empty)
    qtbot.addWidget(dialog)
    dialog.organisation.setText("W" * (branding.MAX_ORGANISATION + 1))
    dialog.name.setText("Noord")
    assert not dialog.save()
    assert dialog.form.error_text("organisation") == ValidationError(
        "The organisation's name is too long: at most {max} characters.", max=branding.MAX_ORGANISATION).localized()
    assert empty.neighbourhoods.list() == []


def test_later_closes_it_and_it_comes_back_only_while_the_database_is_empty(qtbot, main, empty):
    seen = []
    when_modal("FirstRunDialog", lambda dialog: qtbot.mouseClick(dialog.later_button, Qt.LeftButton), seen)
    first_run.offer_at_start(main)
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    check(seen)
    assert QApplication.activeModalWidget() is None
    assert empty.neighbourhoods.list() == [] and first_run.due(empty)  # offered again at the next start
    empty.neighbourhoods.add("Noord")
    assert not first_run.due(empty)
    first_run.offer_at_start(main)
    qtbot.wait(first_run.OFFER_DELAY_MS + 200)
    assert QApplication.activeModalWidget() is None


def test_never_offered_on_the_hub_nor_on_the_demo(tmp_path):
    with Kit.open(tmp_path / "hub.sqlite") as hub:
        assert first_run.due(hub)
        keys.export_hub_key(hub, tmp_path / "hub.wijkhub")
        assert not first_run.due(hub)
    demo.create(tmp_path / "demo.sqlite")
    with Kit.open(tmp_path / "demo.sqlite") as village:
        assert not first_run.due(village)


def test_the_setup_dialog_fits_a_small_screen(qtbot, empty):
    dialog = FirstRunDialog(empty)
    qtbot.addWidget(dialog)
    for step in (0, 1):
        dialog.stack.setCurrentIndex(step)
        hint = dialog.minimumSizeHint()
        assert hint.width() <= 780 and hint.height() <= 560, (step, hint)
