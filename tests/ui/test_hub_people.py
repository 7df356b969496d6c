"""Regression: at the hub, the People page crashed when a visitor had not consented to sharing.

A person without consent to share reaches the hub without a name (merge.PRIVATE_PERSON_FIELDS).
The sign-in tab sorted every name for its completer, None among them, and raised a
TypeError: the coordinator's "People and agreements" page could not be opened at all.
Such a person's missing name now shows as "(naam niet gedeeld)" wherever a name is shown.
"""

from __future__ import annotations

from datetime import datetime

from wijkkit import templates
from wijkkit.kit import Kit
from wijkkit.sync import exchange, keys


def test_the_hub_opens_people_and_agreements_with_a_visitor_whose_name_was_not_shared(qtbot, tmp_path):
    from ui.app import make_application
    from ui.main_window import MainWindow

    make_application("nl")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    with Kit.open(tmp_path / "laptop.sqlite") as laptop, Kit.open(tmp_path / "hub.sqlite") as hub:
        session_id = laptop.sessions.plan("Avond", "2027-01-12T19:30", "2027-01-12T22:00", templates.builtin(),
                                          now=datetime(2026, 12, 1))  # fmt: skip
        for name, share in (("Fatma Yılmaz", True), ("Henk Oosterhuis", False)):
            laptop.attendance.mark(session_id, laptop.people.add(name, consent_share=share))
        keys.join(laptop, keys.export_hub_key(hub, tmp_path / "hub.wijkhub", "Gemeente Veldhorst"))
        exchange.export(laptop, inbox)
        exchange.merge_inbox(hub, inbox)
        keys.trust(hub, laptop.replica_id, keys.own_fingerprint(laptop))
        exchange.merge_inbox(hub, inbox)
        assert sorted(p.name or "" for p in hub.people.list()) == ["", "Fatma Yılmaz"]  # Henk's name stayed home

        window = MainWindow(hub)
        qtbot.addWidget(window)
        window.show_page(3)
        people = window.page(3)
        assert people.registration.names.stringList() == ["Fatma Yılmaz"]
        assert people.registration.attendees.rowCount() == 2
        window.close()


def test_at_the_hub_a_name_that_was_not_shared_shows_as_such_and_is_never_saved(qtbot, tmp_path):
    """People, sign-in, agreements and the hub's overdue list say '(naam niet gedeeld)' instead of a blank."""
    from PySide6.QtCore import Qt

    from ui.app import make_application
    from ui.bridge import KitBridge
    from ui.pages.people.page import PeoplePage
    from ui.pages.sync.page import SyncPage

    make_application("nl")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    with Kit.open(tmp_path / "laptop.sqlite") as laptop, Kit.open(tmp_path / "hub.sqlite") as hub:
        session_id = laptop.sessions.plan("Avond", "2026-11-10T19:30", "2026-11-10T22:00", templates.builtin(),
                                          now=datetime(2026, 11, 1))  # fmt: skip
        people = {}
        for name, share in (("Fatma Yılmaz", True), ("Henk Oosterhuis", False), ("Anouk de Wit", True)):
            people[name] = laptop.people.add(name, consent_share=share)
            laptop.attendance.mark(session_id, people[name])
        agreement = laptop.agreements.add("Bankje bij de bushalte", session_id, owner_person_id=people["Henk Oosterhuis"],
                                          due_on="2026-11-20")  # fmt: skip
        laptop.agreements.add("Koffieochtend", session_id, owner_party="Wijkteam", due_on="2026-11-21")
        laptop.exchange.add_offer(session_id, "Kan klussen", "klussen", person_id=people["Henk Oosterhuis"])
        laptop.exchange.add_offer(session_id, "Een aanhanger", "vervoer")
        keys.join(laptop, keys.export_hub_key(hub, tmp_path / "hub.wijkhub", "Gemeente Veldhorst"))
        exchange.export(laptop, inbox)
        exchange.merge_inbox(hub, inbox)
        keys.trust(hub, laptop.replica_id, keys.own_fingerprint(laptop))
        exchange.merge_inbox(hub, inbox)
        henk = people["Henk Oosterhuis"]
        assert hub.people.get(henk).name is None

        bridge = KitBridge(hub)
        page = PeoplePage(hub, bridge, lambda: datetime(2026, 11, 29, 12))
        bridge.setParent(page)
        qtbot.addWidget(page)
        tab = page.people
        tab.table.sortByColumn(0, Qt.AscendingOrder)
        shown = [tab.proxy.index(r, 0).data() for r in range(tab.proxy.rowCount())]
        assert shown == ["Anouk de Wit", "Fatma Yılmaz", "(naam niet gedeeld)"]  # not a blank row, and last
        tab.table.sortByColumn(0, Qt.DescendingOrder)
        assert tab.proxy.index(0, 0).data() == "(naam niet gedeeld)"
        tab.search.setText("niet gedeeld")
        assert tab.proxy.rowCount() == 1 and tab.proxy.record(0).id == henk
        tab.search.setText("fatma")
        assert [tab.proxy.record(r).id for r in range(tab.proxy.rowCount())] == [people["Fatma Yılmaz"]]
        tab.search.setText("")

        row = next(r for r in range(tab.proxy.rowCount()) if tab.proxy.record(r).id == henk)
        tab.table.selectRow(row)
        assert tab.name.text() == "" and tab.name.placeholderText() == "(naam niet gedeeld)"
        tab.role.setCurrentIndex(tab.role.findData("vrijwilliger"))
        qtbot.mouseClick(tab.save_button, Qt.LeftButton)  # the coordinator corrects the role
        assert tab.message.text() == "Opgeslagen."
        assert hub.people.get(henk).role == "vrijwilliger"
        assert hub.people.get(henk).name is None  # the placeholder is a hint in the field, never its text
        tab.table.selectRow(next(r for r in range(tab.proxy.rowCount()) if tab.proxy.record(r).id != henk))
        assert tab.name.text() and tab.name.placeholderText() == ""

        attendees = page.registration.attendees
        assert sorted(attendees.index(r, 0).data() for r in range(attendees.rowCount())) == [
            "(naam niet gedeeld)", "Anouk de Wit", "Fatma Yılmaz"]  # fmt: skip

        offers = page.exchange.offers
        assert sorted(offers.index(r, 2).data() for r in range(offers.rowCount())) == ["", "(naam niet gedeeld)"]

        agreements = page.agreements
        who = {agreements.proxy.record(r).id: agreements.proxy.index(r, 1).data()
               for r in range(agreements.proxy.rowCount())}  # fmt: skip
        assert who[agreement] == "(naam niet gedeeld)" and "Wijkteam" in who.values()
        agreements.search.setText("niet gedeeld")
        assert agreements.proxy.rowCount() == 1
        agreements.search.setText("")
        owners = [agreements.owner.itemText(i) for i in range(agreements.owner.count())]
        assert owners == ["(niemand)", "(naam niet gedeeld)", "Anouk de Wit", "Fatma Yılmaz"]
        agreements.select(agreement)
        assert agreements.owner.currentData() == henk and agreements.owner.currentText() == "(naam niet gedeeld)"
        assert agreements.save()  # the owner travels by id: the placeholder is never written
        assert hub.agreements.get(agreement).owner_person_id == henk

        sync = SyncPage(hub, bridge, lambda: datetime(2026, 11, 29, 12))
        qtbot.addWidget(sync)
        overdue = sync.hub.overview.overdue
        late = {overdue.record(r).title: overdue.index(r, 2).data() for r in range(overdue.rowCount())}
        assert late == {"Bankje bij de bushalte": "(naam niet gedeeld)", "Koffieochtend": "Wijkteam"}

        assert hub.query("SELECT count(*) AS n FROM person WHERE name LIKE '%gedeeld%'")[0]["n"] == 0
        page.close()
