"""Retention in the app: the start notice (once a day, never during a meeting, keyboard only),
the period read-only where the municipality set it, the hub's card, the privacy sheet on the
Uitdraaien page and the privacy contact in the settings."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.keys import type_text
from wijkkit import branding, retention
from wijkkit.i18n import _

from ui import background
from ui.retention_dialog import RetentionDialog, show_if_due


def add_the_past(kit) -> tuple[str, str]:
    old = kit.sessions.add(
        "Avond van lang geleden", "2023-05-09T19:30", "2023-05-09T22:00", status="held"
    )
    person = kit.people.add("Gerrit Vos")
    kit.attendance.mark(old, person)
    need = kit.insert(
        "need",
        {"session_id": old, "text": "Hulp bij boodschappen", "created_at": "2023-05-09T20:00"},
    )
    return person, need


def focused():
    return QApplication.focusWidget()


def test_the_start_notice_lists_what_is_past_and_later_keeps_it(qtbot, window):
    kit = window.kit
    person, need = add_the_past(kit)
    dialog = show_if_due(window)
    assert isinstance(dialog, RetentionDialog) and dialog.isVisible() and not dialog.isModal()
    qtbot.waitUntil(lambda: dialog.isActiveWindow() or focused() is not None)
    texts = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert "Gerrit Vos" in texts[0]
    assert any("Hulp bij boodschappen" in line for line in texts) and len(texts) == 2
    assert dialog.later_button.isDefault()
    qtbot.keyClick(dialog, Qt.Key_Escape)  # Later
    assert not dialog.isVisible()
    assert kit.row("person", person) is not None and kit.row("need", need) is not None
    assert show_if_due(window) is None  # once a day


def test_remove_with_the_keyboard_erases_and_deletes(qtbot, window):
    kit = window.kit
    person, need = add_the_past(kit)
    people = window.page(3).people  # a page built before the removal refreshes after it

    def names() -> set:
        return {people.model.record(row).name for row in range(people.model.rowCount())}

    assert "Gerrit Vos" in names()
    dialog = show_if_due(window)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    assert dialog.later_button.hasFocus()
    qtbot.keyClick(dialog.later_button, Qt.Key_Tab, Qt.ShiftModifier)  # back to "Remove"
    assert dialog.remove_button.hasFocus()
    qtbot.keyClick(dialog.remove_button, Qt.Key_Return)
    background.wait()  # erasures run off the UI thread
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert dialog.removed == 2 and not dialog.isVisible()
    assert kit.row("person", person) is None and kit.is_deleted("need", need)
    assert kit.query("SELECT erased FROM _tombstone WHERE row_id = ?", [person]) == [{"erased": 1}]
    assert "Gerrit Vos" not in names()


def test_no_notice_during_a_meeting_nor_when_nothing_is_past(qtbot, window):
    kit = window.kit
    assert show_if_due(window) is None  # the demo village is recent
    add_the_past(kit)
    now = window.clock()
    tonight = kit.sessions.add(
        "Nu bezig", now.strftime("%Y-%m-%dT00:00"), now.strftime("%Y-%m-%dT23:59")
    )
    kit.update("session", tonight, {"status": "running"})
    assert show_if_due(window) is None
    kit.update("session", tonight, {"status": "held"})
    assert show_if_due(window) is not None  # not asked yet today: the meeting kept it back


def test_the_municipalitys_period_is_read_only_on_the_people_tab(qtbot, window):
    from ui.pages.people.people_tab import PeopleTab

    kit = window.kit
    free = PeopleTab(kit, window.bridge, window.clock)
    qtbot.addWidget(free)
    assert not free.months.isReadOnly()
    retention.receive(kit, {"months": 36, "set_at": 5})
    locked = PeopleTab(kit, window.bridge, window.clock)
    qtbot.addWidget(locked)
    assert locked.months.isReadOnly() and locked.months.value() == 36
    locked.months.setFocus()
    qtbot.keyClick(locked.months, Qt.Key_Up)
    assert locked.months.value() == 36 and retention.retention_months(kit) == 36


def test_the_hub_sets_the_period_for_every_laptop(qtbot, hub, tmp_path):
    from ui.bridge import KitBridge
    from ui.pages.sync.hub_page import HubPage

    page = HubPage(hub, KitBridge(hub))
    qtbot.addWidget(page)
    assert page.make_hub(tmp_path / "hub.key", "Gemeente Veldhorst")
    card = page.retention
    assert retention.for_laptops(hub) is None
    card.months.setFocus()
    card.months.selectAll()
    type_text(card.months, "36")
    qtbot.keyClick(card.save_button, Qt.Key_Space)
    assert retention.for_laptops(hub)["months"] == 36
    assert card.status.text() == _(
        "The laptops take this period over with their next return bundle, and show it as set by the municipality."
    )


def test_the_privacy_sheet_prints_alone_from_the_print_page(qtbot, window):
    from tests.ui.hands import go

    go(qtbot, window, 4)
    page = window.page(4)
    background.wait()
    page.documents.setCurrentRow(page.kinds.index("privacy"))
    background.wait()
    qtbot.waitUntil(lambda: page.pdf.pageCount() == 1)
    assert not page.meeting.isEnabled()
    assert page.data.startswith(b"%PDF")


def test_the_privacy_contact_is_saved_in_the_settings(qtbot, window):
    from tests.ui.hands import go

    go(qtbot, window, window.page_count - 1)
    settings = window.page(window.page_count - 1)
    settings.privacy_contact.setFocus()
    type_text(settings.privacy_contact, "privacy@welzijn.nl")
    qtbot.keyClick(settings.save_button, Qt.Key_Space)
    assert branding.Branding.of(window.kit).privacy_contact == "privacy@welzijn.nl"
