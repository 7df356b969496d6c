"""Regression: at the hub, the People page crashed when a visitor had not consented to sharing.

A person without consent to share reaches the hub without a name (merge.PRIVATE_PERSON_FIELDS).
The sign-in tab sorted every name for its completer, None among them, and raised a
TypeError: the coordinator's "People and agreements" page could not be opened at all.
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
        keys.trust(hub, laptop.replica_id)
        exchange.merge_inbox(hub, inbox)
        assert sorted(p.name or "" for p in hub.people.list()) == ["", "Fatma Yılmaz"]  # Henk's name stayed home

        window = MainWindow(hub)
        qtbot.addWidget(window)
        window.show_page(3)
        people = window.page(3)
        assert people.registration.names.stringList() == ["Fatma Yılmaz"]
        assert people.registration.attendees.rowCount() == 2
        window.close()
