"""Trust and scope on the sync pages: fingerprints compared aloud, approval by typing, revoking, neighbourhoods.

The laptop shows its own fingerprint and the hub's; the coordinator approves a waiting key
only by typing the fingerprint the facilitator reads out (a wrong one trusts nothing and
says so); two keys claiming one laptop are both flagged; revoking empties the laptop's
outbox folder; assigning a neighbourhood lists it with the laptop; and a change the hub
refused is logged, can be marked handled, and a refused erasure carried out at the hub.
Dialogs are answered by keyboard (sync_hands.py).
"""

from __future__ import annotations

import re

import pytest

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox

from tests.ui.hands import click_row, row_of
from tests.ui.modal import answer_modal
from tests.ui.sync_hands import answer_question, approve, tick
from tests.ui.test_sync_pages import click, lines, make_hub, names, open_page, send
from wijkkit import privacy
from wijkkit.i18n import gettext
from wijkkit.kit import Kit
from wijkkit.sync import authority, keys, scope

from ui import background

FINGERPRINT = re.compile(r"^[A-Z2-7]{4}(-[A-Z2-7]{4}){5}$")
RIVALS = "Meerdere sleutels claimen deze laptop: vergelijk de vingerafdruk"
TAKEN = "Deze laptop is al vertrouwd met een andere sleutel"


pytestmark = pytest.mark.usefixtures("dutch_app")


@pytest.fixture
def laptop(tmp_path):
    with Kit.open(tmp_path / "laptop.sqlite") as opened:
        opened.neighbourhoods.add("Ellerveen")
        yield opened


def waiting(qtbot, hub, laptop, tmp_path):
    """The hub's Synchroniseren page (keep it: it owns the hub's widgets) on which ``laptop`` (joined
    and sent once) waits for approval, and the laptop's page."""
    page, key = make_hub(qtbot, hub, tmp_path)
    laptop_page = open_page(qtbot, laptop)
    assert laptop_page.laptop.import_key(key)
    inbox, outbox = tmp_path / "inbox", tmp_path / "outbox"
    send(qtbot, laptop_page, inbox)
    page.hub.merge_tab.set_folders(inbox, outbox)
    click(qtbot, page.hub.merge_tab.merge_button)
    return page, laptop_page


def answering(trigger, yes: bool) -> str:
    """Run ``trigger``, which asks a question; answer it by keyboard. Returns the question."""
    asked: list[str] = []

    def answer(box: QMessageBox) -> None:
        asked.append(box.text())
        button = box.button(QMessageBox.Yes if yes else QMessageBox.No)
        button.setFocus()
        from PySide6.QtTest import QTest

        QTest.keyClick(button, Qt.Key_Space)

    answer_modal(trigger, answer)
    return asked[0]


def test_the_laptop_shows_both_fingerprints_and_asks_before_sending_to_another_hub(qtbot, hub, laptop, tmp_path):
    hub_page, key = make_hub(qtbot, hub, tmp_path)
    shown_at_hub = [label.text() for label in hub_page.hub.merge_tab.findChildren(QLabel, "fingerprint")]
    assert shown_at_hub == [keys.own_fingerprint(hub)]  # the coordinator reads it to the facilitator
    laptop_page = open_page(qtbot, laptop)
    tab = laptop_page.laptop
    identity = tab.identity
    own = identity.fingerprint
    assert own.text() == keys.own_fingerprint(laptop) and FINGERPRINT.match(own.text())
    assert own.textInteractionFlags() & Qt.TextSelectableByMouse and identity.replica.text() == laptop.replica_id
    assert not identity.hub_fingerprint.isVisibleTo(tab) and not tab.unsent.isVisibleTo(tab)
    assert tab.import_key(key)
    assert identity.hub.text() == "Gemeente Veldhorst"
    assert identity.hub_fingerprint.text() == keys.own_fingerprint(hub) and identity.hub_fingerprint.isVisibleTo(tab)
    assert "Gemeente Veldhorst" in identity.key_status.text() and keys.own_fingerprint(hub) in identity.key_status.text()
    assert any("Lees uw vingerafdruk voor aan de coördinator" in label.text() and "vingerafdruk van de hub" in label.text()
               for label in identity.findChildren(QLabel))  # fmt: skip
    assert re.fullmatch(r"\d+ wijzigingen nog te versturen\..*", tab.unsent.text())

    with Kit.open(tmp_path / "other-hub.sqlite") as other:
        other_key = keys.export_hub_key(other, tmp_path / "andere.wijkhub", "Gemeente Ommeland")
        question = answering(lambda: tab.import_key(other_key), yes=False)
        assert "Wilt u voortaan naar deze andere hub sturen?" in question and keys.own_fingerprint(other) in question
        assert keys.hub_of(laptop).name == "Gemeente Veldhorst"
        assert identity.key_status.text() == "Er is niets veranderd: deze laptop verstuurt nog steeds naar Gemeente Veldhorst."
        answering(lambda: tab.import_key(other_key), yes=True)
        assert keys.hub_of(laptop).name == "Gemeente Ommeland"
        assert identity.hub_fingerprint.text() == keys.own_fingerprint(other)

    before = own.text()
    question = answer_question(qtbot, identity.new_keys_button)
    assert "ingetrokken" in question and "Nu nieuwe sleutels maken?" in question
    assert own.text() == keys.own_fingerprint(laptop) != before
    assert own.text() in identity.keys_status.text()


def test_the_coordinator_approves_a_laptop_by_typing_the_fingerprint_read_out(qtbot, hub, laptop, tmp_path):
    sync_page, _laptop_page = waiting(qtbot, hub, laptop, tmp_path)
    hub_page = sync_page.hub
    laptops = hub_page.laptops
    fingerprint = keys.own_fingerprint(laptop)
    claim = laptops.pending.record(0)
    assert [laptops.pending.index(0, c).data() for c in (0, 1, 3)] == [laptop.replica_id, fingerprint, ""]
    assert laptops.pending.index(0, 2).data() and claim.fingerprint == fingerprint  # first seen; no warning

    misheard = "ABCD-EFGH-IJKL-MNOP-QRST-UVWX"
    seen = approve(qtbot, laptops, misheard)
    assert seen["shown"] == fingerprint and seen["hub"] == keys.own_fingerprint(hub) and seen["open"]
    assert seen["error"].startswith("De vingerafdruk die u typte, hoort niet bij de sleutel die hier wacht. "
                                    "Er is niets vertrouwd.")  # fmt: skip
    assert keys.peers(hub) == [] and laptops.pending.rowCount() == 1 and laptops.laptops.rowCount() == 0
    seen = approve(qtbot, laptops, "ABCD 1234")
    assert seen["open"] and "6 groepjes van 4 letters en cijfers" in seen["error"] and keys.peers(hub) == []

    read_out = fingerprint.lower().replace("-", " ")  # as typed while listening: any case, spaces
    seen = approve(qtbot, laptops, read_out, "Ingrid Veenstra")
    assert not seen["open"]
    (peer,) = keys.peers(hub)
    assert (peer.replica, peer.fingerprint, peer.name, peer.trusted) == (laptop.replica_id, fingerprint, "Ingrid Veenstra", 1)
    assert laptops.pending.rowCount() == 0 and names(laptops.laptops) == ["Ingrid Veenstra"]
    assert laptops.status.text().startswith("Laptop Ingrid Veenstra is vertrouwd.")
    assert laptops.laptops.index(0, 2).data() == fingerprint and laptops.laptops.index(0, 4).data() == "Vertrouwd"


def test_two_keys_claiming_one_laptop_are_both_flagged_and_the_strangers_can_be_removed(qtbot, hub, laptop, tmp_path):
    sync_page, _laptop_page = waiting(qtbot, hub, laptop, tmp_path)
    hub_page = sync_page.hub
    laptops = hub_page.laptops
    with Kit.memory() as stranger:  # someone copied the laptop's id and sent with a key of their own
        keys.note_claim(hub, laptop.replica_id, keys.public_sign_key(stranger), keys.age_recipient(stranger))
        strange = keys.own_fingerprint(stranger)
    laptops.refresh()
    assert names(laptops.pending) == [laptop.replica_id] * 2
    assert [laptops.pending.index(r, 3).data() for r in range(2)] == [RIVALS, RIVALS]
    assert all(laptops.pending.index(r, 0).data(Qt.ForegroundRole) is not None for r in range(2))  # in red
    assert laptops.claim_warning.isVisibleTo(laptops) and laptops.claim_warning.text().startswith(RIVALS)

    assert laptops.select_claim(laptop.replica_id, keys.own_fingerprint(laptop))
    approve(qtbot, laptops, keys.own_fingerprint(laptop))
    assert [laptops.pending.index(0, c).data() for c in (1, 3)] == [strange, TAKEN]
    assert not laptops.approve_button.isEnabled() and laptops.claim_warning.text().startswith(TAKEN)

    question = answer_question(qtbot, laptops.forget_button)
    assert strange in question
    assert laptops.pending.rowCount() == 0 and keys.pending(hub) == []
    assert keys.trusted_peer(hub, laptop.replica_id).fingerprint == keys.own_fingerprint(laptop)


def test_revoking_a_laptop_empties_its_outbox_folder_and_shows_it_revoked(qtbot, hub, laptop, tmp_path):
    sync_page, _laptop_page = waiting(qtbot, hub, laptop, tmp_path)
    hub_page = sync_page.hub
    laptops, merge = hub_page.laptops, hub_page.merge_tab
    approve(qtbot, laptops, keys.own_fingerprint(laptop), "Ingrid")
    click(qtbot, merge.merge_button)
    folder = tmp_path / "outbox" / laptop.replica_id
    assert len(list(folder.glob("*.wijksync"))) == 1
    keys.mark_copied(hub, laptop.replica_id)  # a bundle id came twice with other contents
    laptops.refresh()
    assert laptops.peer_warning.isVisibleTo(laptops)
    assert laptops.peer_warning.text().startswith("De gegevens van deze laptop zijn gekopieerd naar een andere computer")
    assert laptops.laptops.index(0, 4).data() == "Vertrouwd, maar gekopieerd!"

    merge.outbox.clear()  # not chosen on screen: the outbox of the last merge is used
    question = answer_question(qtbot, laptops.revoke_button, yes=False)
    assert "alleen terugkomen met nieuwe sleutels" in question and keys.trusted_peer(hub, laptop.replica_id)
    answer_question(qtbot, laptops.revoke_button)
    peer = keys.peer(hub, laptop.replica_id)
    assert peer.trusted == 0 and peer.revoked_at and list(folder.glob("*.wijksync")) == []
    assert laptops.status.text() == "Laptop Ingrid is ingetrokken; 1 updatebestand is uit de outbox verwijderd."
    assert laptops.laptops.index(0, 4).data().startswith("Ingetrokken op ")
    assert not laptops.revoke_button.isEnabled() and not laptops.assign_button.isEnabled()
    assert not laptops.peer_warning.isVisibleTo(laptops)


def test_assigning_a_neighbourhood_lists_it_with_the_laptop(qtbot, hub, laptop, tmp_path):
    sync_page, _laptop_page = waiting(qtbot, hub, laptop, tmp_path)
    hub_page = sync_page.hub
    laptops = hub_page.laptops
    approve(qtbot, laptops, keys.own_fingerprint(laptop), "Ingrid")
    click(qtbot, hub_page.merge_tab.merge_button)  # its neighbourhood Ellerveen reaches the hub: it created it
    hub.neighbourhoods.add("De Horst")
    hub.neighbourhoods.add("Veldhorst-Oost")
    assert [laptops.served.index(r, c).data() for r in range(1) for c in range(2)] == ["Ellerveen", "zelf aangemaakt"]
    assert laptops.served_caption.text() == "Wijken van Ingrid"

    listed = tick(qtbot, laptops, ["Veldhorst-Oost"])
    assert listed == ["De Horst", "Ellerveen", "Veldhorst-Oost"]
    assert [(n["name"], n["how"]) for n in scope.neighbourhoods(hub, laptop.replica_id)] == [
        ("Ellerveen", "created"), ("Veldhorst-Oost", "assigned")]
    row = row_of(laptops.served, 0, "Veldhorst-Oost")
    assert laptops.served.index(row, 1).data() == "toegewezen"

    tick(qtbot, laptops, ["Ellerveen", "Veldhorst-Oost"])  # both taken away again
    assert laptops.served.rowCount() == 0 and laptops.served_empty.isVisibleTo(laptops)
    assert scope.neighbourhoods(hub, laptop.replica_id) == []


@pytest.fixture
def refused(village):
    """A village whose laptop b asked to erase a person a registered, and a edited a neighbourhood
    taken away from it: both bundles wait in the inbox."""
    a, b = village.a, village.b
    wijk = a.neighbourhoods.add("Ellerveen")
    person = a.people.add("Fatma Yılmaz", neighbourhood_id=wijk, consent_share=1)
    village.sync()
    scope.assign(village.hub, b.replica_id, [wijk])
    village.sync()
    privacy.erase_person(b, person)
    scope.unassign(village.hub, a.replica_id, [wijk])
    a.neighbourhoods.edit(wijk, "Ellerveen-Noord")
    for kit in (a, b):
        village.export(kit)
    (village.inbox / "kapot-000001.wijksync").write_bytes(b"geen bundel")
    return village, person


def test_a_refused_change_is_logged_can_be_marked_handled_and_an_erasure_carried_out(qtbot, refused):
    village, person = refused
    hub = village.hub
    sync_page = open_page(qtbot, hub)
    hub_page = sync_page.hub
    hub_page.merge_tab.set_folders(village.inbox, village.outbox)
    click(qtbot, hub_page.merge_tab.merge_button)
    said = [line for line in lines(hub_page, "refused") if "zie het tabblad Geweigerde wijzigingen" in line]
    assert len(said) == 2 and all(line.startswith("In ") and " geweigerd" in line for line in said)  # one per bundle
    click(qtbot, hub_page.merge_tab.merge_button)  # the damaged file is not read again
    assert lines(hub_page, "skipped") == ["Overgeslagen: kapot-000001.wijksync. Dit bestand is eerder geweigerd en is "
                                          "sindsdien niet veranderd."]  # fmt: skip

    tab = hub_page.refusals

    def shown() -> list:
        count = tab.model.rowCount()
        assert hub_page.tabs.tabText(hub_page.tabs.indexOf(tab)) == (
            f"Geweigerde wijzigingen ({count})" if count else "Geweigerde wijzigingen")
        return [tab.model.record(r) for r in range(tab.model.rowCount())]

    assert len(shown()) == len(authority.refusals(hub))
    (edit,) = [line for line in shown() if line.kind == "out_of_scope"]  # a's edit of the neighbourhood taken away
    assert (edit.what, edit.item, edit.value, edit.laptop) == ("buurt: naam", "Ellerveen", "Ellerveen-Noord",
                                                              village.a.replica_id)  # fmt: skip
    assert edit.reason == gettext(authority.REASONS["out_of_scope"])
    (erasure,) = [line for line in shown() if line.kind == "erasure_request"]  # b may not erase a's person
    assert erasure.what == "persoon: verzoek om te wissen" and erasure.item == "Fatma Yılmaz"

    before = len(shown())
    click_row(qtbot, tab.table, row_of(tab.model, 2, "buurt: naam"))
    assert not tab.erase_button.isEnabled()
    click(qtbot, tab.handled_button)
    assert tab.status.text() == "Afgehandeld: buurt: naam, Ellerveen."
    assert len(shown()) == before - 1 and "out_of_scope" not in {r["reason"] for r in authority.refusals(hub)}

    click_row(qtbot, tab.table, row_of(tab.model, 2, "persoon: verzoek om te wissen"))
    question = answer_question(qtbot, tab.erase_button)
    assert question.startswith("Fatma Yılmaz wissen op de hub?")
    assert hub.row("person", person) is None  # erased at the hub, to reach every laptop
    assert "erasure_request" not in {r["reason"] for r in authority.refusals(hub)} and len(shown()) == before - 2
    background.wait()
