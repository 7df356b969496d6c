"""The phases of one evening end to end (test_end_to_end.py), each with what it should leave.

Every phase drives one page through its widgets (hands.py) and then checks what
the user sees there and what the database holds.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pypdf import PdfReader

from PySide6.QtCore import QDate, Qt, QTime

from tests.ui.hands import (
    LEAD,
    PEOPLE,
    PLAN,
    PRINT,
    SYNC,
    FakeSteady,
    choose_path,
    click,
    click_row,
    column,
    confirm,
    go,
    in_dialog,
    press_ok,
    retype,
    row_of,
    tab,
)
from tests.ui.keys import type_text
from tests.ui.sync_hands import approve
from wijkkit import templates
from wijkkit.exchange import MATCH_TITLE
from wijkkit.i18n import gettext
from wijkkit.sync import keys

from ui import background

TITLE = "Samen zorgen in Ellerveen"
PLANNED_AT = datetime(2026, 11, 29, 12, 0)  # the facilitator plans six weeks ahead
EVENING = datetime(2027, 1, 12, 19, 30)  # the meeting itself, local time
DOOR = datetime(2027, 1, 12, 19, 10)
AFTER = datetime(2027, 1, 12, 22, 15)  # the facilitator types up the evening
LIFT = "Henk rijdt Fatma op zaterdag naar de markt"
SHARED_LIFT = "(naam niet gedeeld) rijdt Fatma op zaterdag naar de markt"  # Henk did not tick "Delen": redact.py
HUB_DAY = datetime(2027, 2, 3, 10, 0)  # three weeks later, at the town hall
DONE_NOTE = "Drie zaterdagen gereden"
NOTE = "Buren kennen elkaar nauwelijks"
OBSTACLE = "Geen bus op zaterdag naar de markt"
COFFEE = "Koffieochtend elke dinsdag in het dorpshuis"
TRAILER = "Aanhanger te leen voor wie wil verhuizen"


# -- 1. Plan ----------------------------------------------------------------------------------


def plan_the_meeting(qtbot, window) -> str:
    plan = go(qtbot, window, PLAN)
    assert not plan.tabs.isVisible() and plan.empty.isVisible()

    def neighbourhood(dialog) -> None:
        qtbot.keyClicks(dialog.name, "Ellerveen")
        qtbot.keyClicks(dialog.municipality, "Veldhorst")
        dialog.kind.setCurrentIndex(dialog.kind.findData("kern"))
        press_ok(qtbot, dialog)

    in_dialog(qtbot, plan.new_neighbourhood_button, neighbourhood)

    def meeting(dialog) -> None:
        form = dialog.meeting
        assert form.neighbourhood.currentText() == "Ellerveen"
        qtbot.keyClicks(form.title, TITLE)
        form.day.setDate(QDate(EVENING.year, EVENING.month, EVENING.day))
        form.start.setTime(QTime(19, 30))
        form.end.setTime(QTime(22, 0))
        qtbot.keyClicks(form.location_name, "Dorpshuis De Schakel")
        qtbot.keyClicks(form.facilitator, "Ingrid Veenstra")
        dialog.template.setCurrentIndex(dialog.template.findData(templates.DEFAULT_TEMPLATE))
        press_ok(qtbot, dialog)

    in_dialog(qtbot, plan.new_meeting_button, meeting)
    kit = window.kit
    (session,) = kit.sessions.list()
    assert (session.title, session.starts_at, session.ends_at, session.status) == (
        TITLE, "2027-01-12T19:30", "2027-01-12T22:00", "planned")  # fmt: skip
    assert [n.name for n in kit.neighbourhoods.list()] == ["Ellerveen"]
    steps = kit.sessions.steps(session.id)
    assert [s.kind for s in steps].count("step") == 7
    assert plan.neighbourhood_view.currentIndex().data() == "Ellerveen (kern)"
    assert column(plan.series, 0) == [f"12-1-2027 · gepland\n{TITLE}"]
    editor = plan.agenda_editor
    assert editor.model.rowCount() == len(steps) and editor.model.index(0, 0).data() == "19:30"
    assert "140 van de 150 minuten" in editor.fit_label.text()
    return session.id


# -- 2. The door ----------------------------------------------------------------------------


def register_at_the_door(qtbot, window, session_id: str) -> None:
    """Three arrivals: one with contact consent and an e-mail address, names beyond ASCII."""
    window.clock.moment = DOOR
    people = go(qtbot, window, PEOPLE)
    door = tab(qtbot, people.tabs, 0)
    assert door.meeting.currentData() == session_id
    arrivals = (("Fatma Yılmaz", {"contact", "share"}, "fatma@example.nl", 1),
                ("Zoë van 't Hof", {"photos"}, "", 2), ("Henk Oosterhuis", set(), "", 1))  # fmt: skip
    for name, consents, email, table in arrivals:
        door.name.setFocus()
        type_text(door.name, name)
        if door.name.completer().popup().isVisible():
            door.name.completer().popup().hide()  # earlier names are offered; this is someone new
        for kind in consents:
            qtbot.mouseClick(door.consents[kind], Qt.LeftButton)
        if email:
            qtbot.keyClicks(door.email, email)
        door.table_no.setValue(table)
        qtbot.mouseClick(door.register_button, Qt.LeftButton)
        assert door.done.text() == f"{name} is aanwezig gemeld.", door.form.general.text()
        assert door.name.text() == "" and door.name.hasFocus()
    assert column(door.attendees, 0) == ["Fatma Yılmaz", "Henk Oosterhuis", "Zoë van 't Hof"]
    assert door.total.text() == "3 aanwezig in totaal"
    kit = window.kit
    ids = {p.name: p.id for p in kit.people.list()}
    assert set(ids) == {name for name, *_rest in arrivals}
    fatma = kit.people.get(ids["Fatma Yılmaz"])
    assert (fatma.email, fatma.consent_contact, fatma.consent_share, fatma.consent_photos) == (
        "fatma@example.nl", 1, 1, 0)  # fmt: skip
    given = {r["kind"] for r in kit.people.consents(ids["Zoë van 't Hof"]) if r["given"]}
    assert given == {"photos"}
    tables = {a.name: a.table_no for a in kit.attendance.attendees(session_id)}
    assert tables == {"Fatma Yılmaz": 1, "Zoë van 't Hof": 2, "Henk Oosterhuis": 1}


# -- 3. Leading the evening -------------------------------------------------------------------


def lead_the_evening(qtbot, window, steady: FakeSteady, session_id: str) -> None:
    lead = go(qtbot, window, LEAD)
    assert lead.session_id == session_id and lead.hasFocus()
    assert (lead.step_line.text(), lead.countdown.text()) == ("Stap 1 van 7", "15:00")
    qtbot.keyClick(lead, Qt.Key_Space)  # start
    assert window.kit.sessions.get(session_id).status == "running"
    steady.advance(minutes=4)
    lead.tick()
    assert lead.countdown.text() == "11:00" and lead.state_line.text() == "Loopt"
    qtbot.keyClick(lead, Qt.Key_Space)  # pause: the first question needs a word of explanation
    steady.advance(minutes=2)
    lead.tick()
    assert lead.countdown.text() == "11:00" and lead.state_line.text().startswith("Gepauzeerd")
    qtbot.keyClick(lead, Qt.Key_Space)  # continue
    steady.advance(minutes=11)
    qtbot.keyClick(lead, Qt.Key_Right)
    lead.tick()
    assert (lead.step_line.text(), lead.step_title.text(), lead.countdown.text()) == (
        "Stap 2 van 7", "Kennismaken", "15:00")  # fmt: skip
    qtbot.keyClick(lead, Qt.Key_Plus)
    steady.advance(minutes=3, seconds=30)
    lead.tick()
    assert lead.countdown.text() == "12:30"
    capture_during_the_step(qtbot, lead)
    for _item in range(6):  # on to the last step, through the break
        steady.advance(minutes=15)
        qtbot.keyClick(lead, Qt.Key_Right)
    lead.tick()
    assert lead.step_title.text() == "Oogsten en terugkoppelen" and lead.step_line.text() == "Stap 7 van 7"
    assert lead.message.text() == ""
    steady.advance(minutes=20)
    confirm(qtbot, lead.end_button)
    lead.tick()
    assert lead.countdown.text() == "Afgelopen" and not lead.next_button.isEnabled()
    kinds = [e.kind for e in window.kit.live.events(session_id)]
    assert kinds == ["start", "pause", "resume", "next", "adjust", *["next"] * 6, "end"]
    assert window.kit.sessions.get(session_id).status == "held"


def capture_during_the_step(qtbot, lead) -> None:
    """A note, an obstacle, an offer and an agreement, typed while people talk: Alt+number picks the kind."""
    panel = lead.capture
    qtbot.mouseClick(panel.line, Qt.LeftButton)
    panel.table_no.setValue(2)
    for shortcut, text in ((None, NOTE), (Qt.Key_5, OBSTACLE), (Qt.Key_6, TRAILER), (Qt.Key_8, COFFEE)):
        if shortcut is not None:
            qtbot.keyClick(panel.line, shortcut, Qt.AltModifier)
        qtbot.keyClicks(panel.line, text)
        qtbot.keyClick(panel.line, Qt.Key_Return)
        assert panel.line.text() == ""
    assert column(panel.model, 0) == [f"Notitie · T2: {NOTE}", f"Hobbel · T2: {OBSTACLE}",
                                      f"Aanbod · T2: {TRAILER}", f"Afspraak · T2: {COFFEE}"]  # fmt: skip
    qtbot.keyClick(panel.line, Qt.Key_Escape)  # back to the clock
    assert lead.hasFocus()
    step = lead.view.current().id
    saved = [(c.table, c.text, c.step_id, c.table_no) for c in lead.kit.live.captures(lead.session_id)]
    assert saved == [("capture", NOTE, step, 2), ("obstacle", OBSTACLE, step, 2), ("offer", TRAILER, step, 2),
                     ("agreement", COFFEE, step, 2)]  # fmt: skip


# -- 4. Offers, needs, obstacles and agreements -------------------------------------------------


def match_an_offer_and_a_need(qtbot, window, session_id: str) -> str:
    """Henk can drive, Fatma needs a lift: the match becomes an agreement."""
    people = go(qtbot, window, PEOPLE)
    exchange = tab(qtbot, people.tabs, 2)
    for form, text, person in ((exchange.offer_form, "Ik kan op zaterdag rijden", "Henk Oosterhuis"),
                               (exchange.need_form, "Vervoer naar de markt", "Fatma Yılmaz")):  # fmt: skip
        qtbot.keyClicks(form.text, text)
        form.category.setCurrentIndex(form.category.findData("vervoer"))
        form.person.setCurrentIndex(form.person.findText(person))
        qtbot.mouseClick(form.button, Qt.LeftButton)
        assert form.text.text() == "" and form.error_text("text") == ""
    trailer = row_of(exchange.offers, 0, TRAILER)  # captured during the evening, not sorted out yet
    assert [exchange.offers.index(trailer, c).data() for c in range(4)] == [TRAILER, "anders", "", "open"]
    lift = row_of(exchange.offers, 0, "Ik kan op zaterdag rijden")
    assert [exchange.offers.index(lift, c).data() for c in range(4)] == [
        "Ik kan op zaterdag rijden", "vervoer", "Henk Oosterhuis", "open"]  # fmt: skip
    assert column(exchange.needs, 2) == ["Fatma Yılmaz"]
    assert column(exchange.matches, 0) == ["Ik kan op zaterdag rijden ↔ Vervoer naar de markt (vervoer)"]
    click_row(qtbot, exchange.match_view, 0)

    def agreement(dialog) -> None:
        assert dialog.title.text() == gettext(MATCH_TITLE).format(topic="vervoer")  # "Hulp met vervoer": no names
        assert dialog.due.date() == QDate(2027, 2, 11)  # a month after the evening
        retype(qtbot, dialog.title, LIFT)
        qtbot.keyClicks(dialog.partners, "Dorpsbelang Ellerveen")
        press_ok(qtbot, dialog)

    in_dialog(qtbot, exchange.agreement_button, agreement)
    assert exchange.matches.rowCount() == 0 and exchange.empty_matches.isVisible()
    assert exchange.offers.index(lift, 3).data() == "gekoppeld" and column(exchange.needs, 3) == ["gekoppeld"]
    assert exchange.offers.index(trailer, 3).data() == "open"
    kit = window.kit
    (made,) = [a for a in kit.agreements.list() if a.title == LIFT]
    (offer,), (need,) = kit.exchange.offers("matched"), kit.exchange.needs()
    assert (made.offer_id, made.need_id, made.session_id) == (offer.id, need.id, session_id)
    assert (made.owner_name, made.partners, made.due_on) == ("Henk Oosterhuis", "Dorpsbelang Ellerveen", "2027-02-11")
    assert (offer.status, need.status, offer.session_id) == ("matched", "matched", session_id)
    return made.id


def follow_up_obstacles_and_agreements(qtbot, window) -> None:
    """The captured obstacle gets someone to take it up; the captured agreement a date and a party."""
    people = go(qtbot, window, PEOPLE)
    obstacles = tab(qtbot, people.tabs, 3)
    row = row_of(obstacles.model, 0, OBSTACLE)
    assert [obstacles.model.index(row, c).data() for c in (1, 3)] == ["anders", TITLE]  # not yet sorted out
    click_row(qtbot, obstacles.table, row)
    assert obstacles.edit_form.text.text() == OBSTACLE and obstacles.edit_form.category.currentData() == "anders"
    qtbot.keyClicks(obstacles.edit_form.addressed_by, "Gemeente Veldhorst")
    obstacles.edit_form.category.setCurrentIndex(obstacles.edit_form.category.findData("vervoer"))
    qtbot.mouseClick(obstacles.save_button, Qt.LeftButton)
    assert obstacles.saved_note.text() == "Opgeslagen."
    assert [obstacles.model.index(row, c).data() for c in range(3)] == [OBSTACLE, "vervoer", "Gemeente Veldhorst"]
    (obstacle,) = window.kit.exchange.obstacles()
    assert (obstacle.category, obstacle.addressed_by) == ("vervoer", "Gemeente Veldhorst")

    agreements = tab(qtbot, people.tabs, 4)
    assert agreements.count.text() == "2 van 2 afspraken"
    assert sorted(column(agreements.proxy, 0)) == [LIFT, COFFEE]
    click_row(qtbot, agreements.table, row_of(agreements.proxy, 0, COFFEE))
    qtbot.keyClicks(agreements.party, "Dorpsbelang Ellerveen")
    agreements.due.setDate(QDate(2027, 3, 1))
    qtbot.mouseClick(agreements.save_button, Qt.LeftButton)
    row = row_of(agreements.proxy, 0, COFFEE)
    assert [agreements.proxy.index(row, c).data() for c in range(5)] == [
        COFFEE, "Dorpsbelang Ellerveen", "Ellerveen", "1-3-2027", "open"]  # fmt: skip
    (coffee,) = [a for a in window.kit.agreements.list() if a.title == COFFEE]
    assert (coffee.owner_party, coffee.due_on, coffee.status) == ("Dorpsbelang Ellerveen", "2027-03-01", "open")


# -- 5. Printing the session pack --------------------------------------------------------------


def print_the_pack(qtbot, window, session_id: str, target: Path) -> None:
    printing = go(qtbot, window, PRINT)
    background.wait()
    assert printing.meeting.currentData() == session_id
    pack = printing.kinds.index("pack")
    click_row(qtbot, printing.documents, pack)
    background.wait()
    qtbot.waitUntil(lambda: printing.status.text().endswith("pagina's"))
    assert printing.documents.currentItem().text() == "Bijeenkomstpakket (alle documenten)"
    pages = printing.pdf.pageCount()
    assert pages >= 10 and printing.status.text() == f"{pages} pagina's"
    choose_path(qtbot, printing.save_button, target)
    assert printing.status.text() == f"Opgeslagen als {target}."
    reader = PdfReader(target)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) == pages
    for expected in (TITLE, SHARED_LIFT, COFFEE, "Fatma Yılmaz", OBSTACLE):
        assert expected in " ".join(text.split()), expected
    assert "Henk rijdt" not in " ".join(text.split())
    assert "Project-Id-Version" not in text  # the captured offer's category is no catalogue header


# -- 6. The laptop joins the hub and sends; the hub approves it by fingerprint and merges -------


def make_the_hub(qtbot, hub, key: Path) -> None:
    sync = go(qtbot, hub, SYNC)
    assert sync.tabs.isTabVisible(0)  # an empty database is no hub yet
    municipality = tab(qtbot, sync.tabs, 1)
    qtbot.keyClicks(municipality.hub_name, "Gemeente Veldhorst")
    choose_path(qtbot, municipality.setup_button, key)
    assert key.exists() and keys.is_hub(hub.kit)
    assert not sync.tabs.isTabVisible(0) and municipality.tabs.isVisible()
    assert municipality.merge_tab.status.text() == (
        f"Hub-sleutel opgeslagen als {key}. Geef dit bestand aan de gespreksleiders.")


def send_from_the_laptop(qtbot, laptop, key: Path, inbox: Path) -> Path:
    sync = go(qtbot, laptop, SYNC)
    here = sync.laptop
    assert sync.tabs.currentWidget() is here and not here.send_button.isEnabled()
    choose_path(qtbot, here.identity.key_button, key)
    assert here.identity.key_status.text().startswith("Deze laptop verstuurt nu naar Gemeente Veldhorst. De vingerafdruk")
    hub_key = keys.hub_of(laptop.kit)
    assert (here.identity.hub.text(), here.identity.hub_fingerprint.text()) == (hub_key.name, hub_key.fingerprint)
    retype(qtbot, here.outbox, str(inbox))
    click(qtbot, here.send_button)
    (sent,) = inbox.glob("*.wijksync")
    assert here.send_status.text() == f"Verstuurd: {sent.name}"
    assert keys.hub_of(laptop.kit).name == "Gemeente Veldhorst" and sent.name.startswith(laptop.kit.replica_id)
    return sent


def results(merge, kind: str) -> list[str]:
    return [merge.results.item(i).text() for i in range(merge.results.count())
            if merge.results.item(i).data(Qt.UserRole) == kind]  # fmt: skip


def approve_and_merge(qtbot, hub, laptop_id: str, fingerprint: str, sent: Path, outbox: Path) -> None:
    """The first bundle waits; the coordinator types the fingerprint read out by phone; then it is merged."""
    sync = go(qtbot, hub, SYNC)
    merge = tab(qtbot, sync.hub.tabs, 0)
    retype(qtbot, merge.inbox, str(sent.parent))
    retype(qtbot, merge.outbox, str(outbox))
    click(qtbot, merge.merge_button)
    assert results(merge, "waiting") == [f"Wacht op goedkeuring: {sent.name} van laptop {laptop_id}."]
    laptops = tab(qtbot, sync.hub.tabs, 1)
    assert column(laptops.pending, 0) == [laptop_id] and sync.hub.tabs.tabText(1) == "Laptops (1 wachtend)"
    assert hub.kit.sessions.list() == []  # nothing is taken in from a stranger
    click_row(qtbot, laptops.pending_view, 0)
    assert not approve(qtbot, laptops, fingerprint, "Ingrid Veenstra")["open"]
    assert laptops.pending.rowCount() == 0 and column(laptops.laptops, 0) == ["Ingrid Veenstra"]
    merge = tab(qtbot, sync.hub.tabs, 0)
    click(qtbot, merge.merge_button)
    (line,) = results(merge, "merged")
    assert line.startswith(f"Samengevoegd: {sent.name} (") and line.endswith(" wijzigingen, 0 conflicten).")
    assert merge.status.text() == f"Samengevoegd. 1 laptop kreeg een updatebestand in {outbox}."
    assert column(laptops.laptops, 3)[0].startswith(sent.name.removeprefix(laptop_id + "-").removesuffix(".wijksync"))
    kit = hub.kit
    assert [s.title for s in kit.sessions.list()] == [TITLE]
    assert sorted(a.title for a in kit.agreements.list()) == [SHARED_LIFT, COFFEE]
    names = sorted(p.name or "" for p in kit.people.list())
    assert names == ["", "", "Fatma Yılmaz"]  # only she consented to sharing her name
    overview = tab(qtbot, sync.hub.tabs, 4)
    row = row_of(overview.model, 0, "Ellerveen")
    village = overview.model.record(row)
    assert (village.held, village.planned, village.attendance, village.agreements) == (1, 0, 3, 2)


# -- 7. The coordinator marks an agreement done; 8. the laptop fetches the return bundle -----------


def mark_done_at_the_hub(qtbot, hub, lift_id: str) -> None:
    people = go(qtbot, hub, PEOPLE)
    agreements = tab(qtbot, people.tabs, 4)
    qtbot.keyClicks(agreements.search, "rijdt Fatma")
    assert column(agreements.proxy, 0) == [SHARED_LIFT]  # the laptop keeps "Henk" (fetch_the_news)
    click_row(qtbot, agreements.table, 0)
    agreements.new_status.setCurrentIndex(agreements.new_status.findData("done"))
    qtbot.keyClicks(agreements.note, DONE_NOTE)
    qtbot.keyClick(agreements.note, Qt.Key_Return)
    assert column(agreements.proxy, 4) == ["afgerond"]
    assert agreements.history.text() == f"3-2-2027 – afgerond: {DONE_NOTE}"
    assert hub.kit.agreements.get(lift_id).status == "done"
    assert [(u["status"], u["note"]) for u in hub.kit.agreements.history(lift_id)] == [("done", DONE_NOTE)]


def write_the_return_bundle(qtbot, hub, laptop_id: str, outbox: Path) -> None:
    """The status changed at the hub goes out without another merge; asking again writes nothing new."""
    sync = go(qtbot, hub, SYNC)
    merge = tab(qtbot, sync.hub.tabs, 0)
    click(qtbot, merge.updates_button)
    assert merge.updates_status.text() == f"1 laptop kreeg een updatebestand in {outbox}."
    [news] = list((outbox / laptop_id).glob("*.wijksync"))  # the merge's older one was removed: this holds all
    click(qtbot, merge.updates_button)
    assert merge.updates_status.text() == f"Niets nieuws: de laptop heeft zijn laatste updatebestand al in {outbox}."
    assert list((outbox / laptop_id).glob("*.wijksync")) == [news]


def fetch_the_news(qtbot, laptop, lift_id: str, outbox: Path) -> None:
    sync = go(qtbot, laptop, SYNC)
    choose_path(qtbot, sync.laptop.folder_button, outbox)
    assert sync.laptop.fetch_status.text().startswith("1 update opgehaald: ")  # the newest holds both merges
    assert sync.laptop.fetch_status.text().endswith(", 0 conflicten.")
    people = go(qtbot, laptop, PEOPLE)
    agreements = tab(qtbot, people.tabs, 4)
    row = row_of(agreements.proxy, 0, LIFT)
    assert agreements.proxy.index(row, 4).data() == "afgerond"
    assert agreements.proxy.index(row_of(agreements.proxy, 0, COFFEE), 4).data() == "open"
    click_row(qtbot, agreements.table, row)
    assert agreements.history.text() == f"3-2-2027 – afgerond: {DONE_NOTE}"
    assert laptop.kit.agreements.get(lift_id).status == "done"
