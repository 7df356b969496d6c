"""Mensen en afspraken through the real widgets: the door, the people list, agreements, review."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from PySide6.QtCore import Qt

from tests.ui.keys import type_text
from wijkkit import privacy, templates
from wijkkit.kit import Kit
from wijkkit.text import sort_key

NOW = datetime(2026, 12, 1, 19, 0)

NAMES = [
    "Anneke Bosma", "Şükrü Yılmaz", "Łucja Wójcik", "Zoë van 't Hof-Dijkstra", "Nguyễn Thị Minh Khai",
    "Henk Oosterhuis", "Fatima El Amrani", "Greetje Kuipers", "Pieter Hoekstra", "Marieke Smit",
    "مريم الحسيني", "Bram de Boer", "Sanne Visser", "Ahmed Benali", "Els Mulder", "Kees Jansen",
    "Joke Brouwer", "Ravi Sharma", "Wim Dekker", "Ineke Postma",
]  # fmt: skip


@pytest.fixture
def page(qtbot, tmp_path):
    from ui.app import make_application
    from ui.bridge import KitBridge
    from ui.pages.people.page import PeoplePage

    make_application("nl")
    kit = Kit.open(tmp_path / "wijkkit.sqlite")
    neighbourhood = kit.neighbourhoods.add("Ellerveen", "Veldhorst", "kern")
    kit.sessions.plan("Samen zorgen", "2026-12-01T19:30", "2026-12-01T22:00", templates.builtin(),
                      now=NOW, neighbourhood_id=neighbourhood)  # fmt: skip
    bridge = KitBridge(kit)
    widget = PeoplePage(kit, bridge, clock=lambda: NOW)
    qtbot.addWidget(widget)
    widget.resize(1136, 700)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    bridge.close()
    kit.close()


def _type_person(qtbot, tab, name: str, *, table: int | None = None, email: str = "", contact: bool = False):
    type_text(tab.name, name)
    if tab.name.completer().popup().isVisible():
        tab.name.completer().popup().hide()
    if email:
        qtbot.keyClick(tab.name, Qt.Key_Tab)
    if contact:
        tab.consents["contact"].setFocus()
        qtbot.keyClick(tab.consents["contact"], Qt.Key_Space)
    if email:
        tab.email.setFocus()
        qtbot.keyClicks(tab.email, email)
    if table is not None:
        tab.table_no.setFocus()
        tab.table_no.selectAll()
        qtbot.keyClicks(tab.table_no, str(table))
    target = tab.email if email else tab.name
    target.setFocus()
    qtbot.keyClick(target, Qt.Key_Return)


def test_twenty_people_are_registered_by_keyboard_only(qtbot, page):
    tab, kit = page.registration, page.registration.kit
    session_id = tab.session_id()
    for number, name in enumerate(NAMES):
        _type_person(qtbot, tab, name, table=1 + number % 4)
        assert tab.name.text() == "" and tab.name.hasFocus(), name
    people = {p.name for p in kit.people.list()}
    assert people == set(NAMES)
    attendees = kit.attendance.attendees(session_id)
    assert len(attendees) == 20 and {a.table_no for a in attendees} == {1, 2, 3, 4}
    assert tab.attendees.rowCount() == 20
    assert tab.total.text() == "20 aanwezig in totaal"
    for person in kit.people.list():  # three consents asked, none given, each recorded with its wording
        records = kit.people.consents(person.id)
        assert sorted(r["kind"] for r in records) == ["contact", "photos", "share"]
        assert not any(r["given"] for r in records) and all(r["wording"] and r["at"] for r in records)


def test_contact_details_need_consent_and_a_real_address(qtbot, page):
    tab, kit = page.registration, page.registration.kit
    _type_person(qtbot, tab, "Jan de Vries", email="jan@example.nl")
    assert tab.form.error_text("consent_contact").startswith("Contactgegevens mogen alleen worden bewaard")
    assert kit.people.count() == 0 and tab.name.text() == "Jan de Vries"  # nothing saved, nothing lost
    tab.consents["contact"].setChecked(True)
    tab.email.setText("jan-example.nl")
    qtbot.keyClick(tab.email, Qt.Key_Return)
    assert tab.form.error_text("email").startswith("Het e-mailadres jan-example.nl is niet geldig")
    tab.email.setText("jan@example.nl")
    qtbot.keyClick(tab.email, Qt.Key_Return)
    (person,) = kit.people.list()
    assert (person.email, person.consent_contact) == ("jan@example.nl", 1)


def test_a_second_jan_de_vries_is_offered_as_a_choice_never_merged(qtbot, page):
    tab, kit = page.registration, page.registration.kit
    first = kit.people.add("Jan de Vries", role="gemeente", organisation="Gemeente Veldhorst")
    qtbot.keyClicks(tab.name, "jan de vries")
    assert tab.who.isEnabled() and tab.who.count() == 2
    assert tab.who.itemText(0) == "Jan de Vries (gemeente, Gemeente Veldhorst)"
    assert tab.who.itemText(1) == "Een nieuwe persoon met deze naam"
    qtbot.keyClick(tab.name, Qt.Key_Return)  # default: the known person, marked present
    assert kit.people.count() == 1
    assert [a.person_id for a in kit.attendance.attendees(tab.session_id())] == [first]
    qtbot.keyClicks(tab.name, "Jan de Vries")
    tab.who.setCurrentIndex(1)  # a different Jan de Vries
    qtbot.keyClick(tab.name, Qt.Key_Return)
    assert kit.people.count() == 2 and len(kit.people.namesakes("Jan de Vries")) == 2


def test_people_are_found_as_you_type_and_forgotten_on_request(qtbot, page, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    kit = page.people.kit
    for name in NAMES[:5]:
        kit.people.add(name)
    tab = page.people
    qtbot.keyClicks(tab.search, "lucja")
    assert tab.proxy.rowCount() == 1 and tab.proxy.record(0).name == "Łucja Wójcik"
    tab.table.selectRow(0)
    export = tmp_path / "inzage.json"
    tab.export_to(export)
    assert "Łucja Wójcik" in export.read_text(encoding="utf-8")
    readable = tmp_path / "inzage.pdf"  # the copy to hand over
    tab.export_to(readable)
    assert readable.read_bytes().startswith(b"%PDF-") and tab.message.text() == f"Opgeslagen als {readable}."
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.Yes)
    qtbot.mouseClick(tab.erase_button, Qt.LeftButton)
    assert "Łucja Wójcik" not in {p.name for p in kit.people.list()}
    assert tab.proxy.rowCount() == 0
    tab.search.clear()
    assert tab.proxy.rowCount() == 4
    shown = [tab.proxy.record(r).name for r in range(4)]
    assert shown == sorted(shown, key=sort_key) != sorted(shown, key=sort_key, reverse=True)  # A to Z


def test_agreements_are_filtered_sorted_and_updated_with_history(qtbot, page):
    kit = page.agreements.kit
    session = kit.sessions.list()[0]
    for n, title in enumerate(("Koffieochtend starten", "Buurtbus op zaterdag", "Hulplijst bij de bakker")):
        kit.agreements.add(title, session.id, due_on=(date(2026, 12, 5) + timedelta(days=n)).isoformat())
    tab = page.agreements
    assert tab.proxy.rowCount() == 3 and tab.count.text() == "3 van 3 afspraken"
    qtbot.keyClicks(tab.search, "buurt zat")
    assert tab.proxy.rowCount() == 1
    tab.table.selectRow(0)
    tab.new_status.setCurrentIndex(tab.new_status.findData("in_progress"))
    qtbot.keyClicks(tab.note, "Gemeente onderzoekt het")
    qtbot.keyClick(tab.note, Qt.Key_Return)
    (agreement,) = [a for a in kit.agreements.list() if a.title == "Buurtbus op zaterdag"]
    assert agreement.status == "in_progress"
    history = kit.agreements.history(agreement.id)
    assert [(h["status"], h["note"]) for h in history] == [("in_progress", "Gemeente onderzoekt het")]
    assert "bezig: Gemeente onderzoekt het" in tab.history.text()
    tab.due.setDate(tab.due.date().addDays(-30))  # before the meeting
    qtbot.mouseClick(tab.save_button, Qt.LeftButton)
    assert tab.form.error_text("due_on") == "De einddatum ligt vóór de bijeenkomst waarop de afspraak is gemaakt."
    assert kit.agreements.get(agreement.id).due_on == "2026-12-06"


def test_retention_lists_people_not_seen_for_two_years(qtbot, page):
    kit = page.people.kit
    old = kit.sessions.add("Oude bijeenkomst", "2024-06-01T19:30", "2024-06-01T22:00", status="held")
    person = kit.people.add("Gerrit Vos")
    kit.attendance.mark(old, person)
    page.people.refresh()
    assert page.people.stale.text() == "Nu te vergeten: Gerrit Vos"
    page.people.months.setValue(60)
    assert privacy.retention_months(kit) == 60
    assert page.people.stale.text() == "Niemand is over de bewaartermijn heen."


def test_a_matched_offer_and_need_become_an_agreement_reviewed_at_the_next_meeting(qtbot, tmp_path):
    """The whole follow-up: match at the first meeting, review at the second, history kept."""
    from ui.app import make_application
    from ui.bridge import KitBridge
    from ui.main_window import MainWindow
    from ui.pages.people.page import PeoplePage

    make_application("nl")
    kit = Kit.open(tmp_path / "wijkkit.sqlite")
    village = kit.neighbourhoods.add("Ellerveen", "Veldhorst", "kern")
    first = kit.sessions.add("Eerste avond", "2026-11-10T19:30", "2026-11-10T22:00", status="held",
                             neighbourhood_id=village)  # fmt: skip
    second = kit.sessions.plan("Vervolg", "2026-12-15T19:30", "2026-12-15T22:00", templates.builtin("vervolg"),
                               now=NOW, neighbourhood_id=village, follows_session_id=first)  # fmt: skip
    henk, zoe = kit.people.add("Henk Oosterhuis"), kit.people.add("Zoë van 't Hof")
    kit.exchange.add_offer(first, "Op zaterdag kan ik rijden", "vervoer", henk)
    kit.exchange.add_need(first, "Vervoer naar de markt", "vervoer", zoe)
    bridge = KitBridge(kit)
    people = PeoplePage(kit, bridge, clock=lambda: NOW)
    qtbot.addWidget(people)
    exchange = people.exchange
    assert exchange.matches.rowCount() == 1
    agreement_id = exchange.make_agreement_for(0, "Henk rijdt Zoë op zaterdag naar de markt", date(2026, 12, 31))
    agreement = kit.agreements.get(agreement_id)
    assert agreement.session_id == first and agreement.owner_person_id == henk
    assert exchange.matches.rowCount() == 0

    steady_start = datetime(2026, 12, 15, 19, 30).astimezone()
    window = MainWindow(kit, steady=_Steady(steady_start))
    qtbot.addWidget(window)
    window.show_page(2)
    lead = window.page(2)
    lead.meeting.setCurrentIndex(lead.meeting.findData(second))
    lead.act("toggle")
    assert lead.side.currentWidget() is lead.review  # the follow-up meeting opens with the review
    review = lead.review
    titles = [review.model.record(r).title for r in range(review.model.rowCount())]
    assert titles == ["Henk rijdt Zoë op zaterdag naar de markt"]
    review.table.selectRow(0)
    review.status.setCurrentIndex(review.status.findData("in_progress"))
    qtbot.keyClicks(review.note, "Twee keer gereden")
    qtbot.keyClick(review.note, Qt.Key_Return)
    assert kit.agreements.get(agreement_id).status == "in_progress"
    (update,) = kit.agreements.history(agreement_id)
    assert (update["session_id"], update["note"], update["session_title"]) == (second, "Twee keer gereden", "Vervolg")
    assert review.summary.text() == "1 van 1 vanavond besproken."
    bridge.close()
    window.close()
    kit.close()


class _Steady:
    def __init__(self, moment):
        self.moment = moment

    def now(self):
        return self.moment

    def drift_seconds(self):
        return 0.0
