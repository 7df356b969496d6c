"""Signing in someone already known, through the real door form: the form shows what is stored,
and nothing the facilitator types or ticks is lost; empty fields keep what is stored, and each
consent answered at the door is added to the history as a new record."""

from __future__ import annotations

from datetime import datetime

import pytest

from PySide6.QtCore import Qt

from tests.ui.keys import type_text
from wijkkit import templates
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
    tab.resize(1136, 700)
    tab.show()
    qtbot.waitExposed(tab)
    yield tab
    bridge.close()
    kit.close()


def type_name(tab, name: str) -> None:
    tab.name.setFocus()
    type_text(tab.name, name)
    tab.name.completer().popup().hide()


def press(qtbot, widget, key=Qt.Key_Space) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, key)


def ticks(tab) -> dict[str, bool]:
    return {kind: box.isChecked() for kind, box in tab.consents.items()}


def placeholders(tab) -> tuple[str, str, str]:
    return tab.organisation.placeholderText(), tab.email.placeholderText(), tab.phone.placeholderText()


def everything(kit: Kit) -> dict[str, list]:
    return {t: kit.query(f"SELECT * FROM [{t}] ORDER BY 1, 2") for t in ("person", "consent_record", "attendance")}


def test_the_form_shows_what_is_stored_and_keeps_what_is_typed(qtbot, door):
    tab, kit = door, door.kit
    jan = kit.people.add("Jan de Vries", role="gemeente", organisation="Gemeente Veldhorst",
                         email="jan@veldhorst.nl", consent_contact=1)  # fmt: skip
    first = kit.people.consents(jan)
    type_name(tab, "jan de vries")
    assert tab.who.currentData() == jan and tab.known_note.isVisible()
    assert tab.role.currentText() == "gemeente"
    assert ticks(tab) == {"contact": True, "share": False, "photos": False}
    assert placeholders(tab) == ("Gemeente Veldhorst", "jan@veldhorst.nl", "")
    press(qtbot, tab.consents["photos"])  # 'yes, photos are fine' at the door
    tab.phone.setFocus()
    qtbot.keyClicks(tab.phone, "06-12345678")
    qtbot.keyClick(tab.phone, Qt.Key_Return)

    assert tab.form.error_text("name") == "" and tab.name.text() == "" and tab.name.hasFocus()
    assert tab.done.text() == "Jan de Vries is aanwezig gemeld; wat u hebt ingevuld, is bij de gegevens opgeslagen."
    stored = kit.people.get(jan)
    assert (stored.role, stored.organisation, stored.email, stored.phone) == (
        "gemeente", "Gemeente Veldhorst", "jan@veldhorst.nl", "06-12345678")  # fmt: skip
    assert (stored.consent_contact, stored.consent_share, stored.consent_photos) == (1, 0, 1)
    records = kit.people.consents(jan)
    assert records[:3] == first and len(records) == 4  # history: added, never overwritten
    assert (records[3]["kind"], records[3]["given"], records[3]["session_id"]) == ("photos", 1, tab.session_id())
    assert records[3]["wording"] == "Foto's waarop ik sta mogen gebruikt worden in verslagen over deze dialoog."
    assert [a.person_id for a in kit.attendance.attendees(tab.session_id())] == [jan]
    assert kit.people.count() == 1
    # the form is empty again for the next person
    assert placeholders(tab) == ("", "", "") and not any(ticks(tab).values()) and tab.role.currentData() == "inwoner"
    assert not tab.known_note.isVisible()


def test_typed_details_replace_and_the_role_chosen_by_hand_is_kept(qtbot, door):
    tab, kit = door, door.kit
    anneke = kit.people.add("Anneke Bosma", organisation="Zonnebloem", consent_share=1)
    type_name(tab, "Anneke Bosma")
    assert tab.role.currentText() == "inwoner" and ticks(tab)["share"]
    press(qtbot, tab.role, Qt.Key_Down)  # mantelzorger, by keyboard
    assert tab.role.currentData() == "mantelzorger"
    tab.organisation.setFocus()
    type_text(tab.organisation, "Buurthuis De Linde")
    qtbot.keyClick(tab.organisation, Qt.Key_Return)
    stored = kit.people.get(anneke)
    assert (stored.role, stored.organisation, stored.consent_share) == ("mantelzorger", "Buurthuis De Linde", 1)
    assert len(kit.people.consents(anneke)) == 3  # no consent answered at the door, none recorded


def test_contact_details_at_the_door_need_consent_to_be_contacted(qtbot, door):
    tab, kit = door, door.kit
    henk = kit.people.add("Henk Oosterhuis")
    before = everything(kit)
    type_name(tab, "Henk Oosterhuis")
    tab.email.setFocus()
    qtbot.keyClicks(tab.email, "henk@example.nl")
    qtbot.keyClick(tab.email, Qt.Key_Return)
    assert tab.form.error_text("consent_contact").startswith("Contactgegevens mogen alleen worden bewaard")
    assert everything(kit) == before  # nothing saved, not even the attendance
    assert tab.name.text() == "Henk Oosterhuis" and tab.email.text() == "henk@example.nl"  # nothing lost
    press(qtbot, tab.consents["contact"])
    press(qtbot, tab.email, Qt.Key_Return)
    stored = kit.people.get(henk)
    assert (stored.email, stored.consent_contact) == ("henk@example.nl", 1)
    (new,) = [r for r in kit.people.consents(henk) if r["given"]]
    assert (new["kind"], new["session_id"]) == ("contact", tab.session_id())


def test_a_known_person_signing_in_without_changes_is_only_marked_present(qtbot, door):
    tab, kit = door, door.kit
    jan = kit.people.add("Jan de Vries", role="vrijwilliger", consent_photos=1)
    before = everything(kit)
    type_name(tab, "Jan de Vries")
    press(qtbot, tab.name, Qt.Key_Return)
    assert tab.done.text() == "Jan de Vries is aanwezig gemeld."
    after = everything(kit)
    assert (after["person"], after["consent_record"]) == (before["person"], before["consent_record"])
    assert [a["person_id"] for a in after["attendance"]] == [jan]


def test_a_new_namesake_gets_what_was_typed_never_the_known_persons_details(qtbot, door):
    tab, kit = door, door.kit
    known = kit.people.add("Jan de Vries", role="gemeente", organisation="Gemeente Veldhorst",
                           email="jan@veldhorst.nl", consent_contact=1, consent_share=1)  # fmt: skip
    type_name(tab, "Jan de Vries")
    assert ticks(tab) == {"contact": True, "share": True, "photos": False}
    press(qtbot, tab.consents["photos"])  # ticked by hand: an answer of the person at the door
    tab.who.setFocus()
    qtbot.keyClick(tab.who, Qt.Key_Down)  # 'a new person with this name'
    assert tab.who.currentData() == "new" and not tab.known_note.isVisible()
    assert ticks(tab) == {"contact": False, "share": False, "photos": True}
    assert tab.role.currentData() == "inwoner" and placeholders(tab) == ("", "", "")
    press(qtbot, tab.name, Qt.Key_Return)
    (new,) = [p for p in kit.people.namesakes("Jan de Vries") if p.id != known]
    assert (new.role, new.organisation, new.email) == ("inwoner", "", "")
    assert (new.consent_contact, new.consent_share, new.consent_photos) == (0, 0, 1)
    assert len(kit.people.consents(known)) == 3  # the known Jan is untouched


def test_a_name_chosen_from_the_completer_shows_that_person(qtbot, door):
    tab, kit = door, door.kit
    kit.people.add("Şükrü Yılmaz", role="ondernemer", organisation="Bakkerij Yılmaz")
    tab.name.setFocus()
    type_text(tab.name, "Yılm")
    popup = tab.name.completer().popup()
    assert popup.isVisible()
    qtbot.keyClick(popup, Qt.Key_Down)
    qtbot.keyClick(popup, Qt.Key_Return)
    assert tab.name.text() == "Şükrü Yılmaz"
    assert (tab.role.currentText(), tab.organisation.placeholderText()) == ("ondernemer", "Bakkerij Yılmaz")


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2026, 12, 1, 19, 0), "Samen zorgen"),  # at the door of tonight's meeting
        (datetime(2026, 12, 2, 10, 0), "Samen zorgen"),  # the morning after: typing in the paper list
        (datetime(2026, 12, 12, 10, 0), "Vervolg"),  # more than a week later: the next meeting
    ],
)
def test_the_door_opens_on_the_meeting_a_facilitator_means(qtbot, tmp_path, now, expected):
    from ui.bridge import KitBridge
    from ui.pages.people.registration_tab import RegistrationTab

    with Kit.open(tmp_path / "w.sqlite") as kit:
        first = kit.sessions.plan("Samen zorgen", "2026-12-01T19:30", "2026-12-01T22:00", templates.builtin(), now=NOW)
        kit.sessions.plan("Vervolg", "2027-01-12T19:30", "2027-01-12T22:00", templates.builtin(), now=NOW)
        if now.date() > NOW.date():
            kit.sessions.edit(first, status="held")
        bridge = KitBridge(kit)
        tab = RegistrationTab(kit, bridge, lambda: now)
        qtbot.addWidget(tab)
        assert kit.sessions.get(tab.session_id()).title == expected
        bridge.close()
