"""Synchroniseren and Gemeente (hub): a laptop joins, sends, waits, is approved by fingerprint and merged.

Two real database files talk through folders in tmp_path: the hub (an empty
database made a hub on its page) and a laptop with the demo village. Work that
runs in the background is awaited with ``background.wait()``. The coordinator's
dialogs are answered by keyboard (sync_hands.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLabel

from tests.ui.hands import click_row, row_of
from tests.ui.sync_hands import approve, open_page, tick
from wijkkit import demo
from wijkkit.errors import Message
from wijkkit.i18n import N_, gettext
from wijkkit.kit import Kit
from wijkkit.sync import keys
from wijkkit.sync.bundle import BundleError

from ui import background

pytestmark = pytest.mark.usefixtures("dutch_app")


@pytest.fixture
def laptop(tmp_path):
    demo.create(tmp_path / "laptop.sqlite")
    with Kit.open(tmp_path / "laptop.sqlite") as opened:
        yield opened


def click(qtbot, button) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.LeftButton)
    background.wait()


def lines(hub_page, kind: str) -> list[str]:
    results = hub_page.merge_tab.results
    return [results.item(i).text() for i in range(results.count()) if results.item(i).data(Qt.UserRole) == kind]


def names(model) -> list[str]:
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def make_hub(qtbot, hub, tmp_path) -> tuple[object, Path]:
    page = open_page(qtbot, hub)
    assert page.tabs.isTabVisible(0)  # not a hub yet: the laptop tab is there
    key = tmp_path / "hub-sleutel.wijkhub"
    assert page.hub.make_hub(key, "Gemeente Veldhorst")
    assert keys.is_hub(hub) and key.exists()
    assert not page.tabs.isTabVisible(0) and page.tabs.currentIndex() == 1
    return page, key


def test_a_laptop_joins_sends_waits_for_approval_and_is_merged(qtbot, hub, laptop, tmp_path):
    hub_page, key = make_hub(qtbot, hub, tmp_path)
    inbox, outbox = tmp_path / "inbox", tmp_path / "outbox"
    inbox.mkdir()

    page = open_page(qtbot, laptop)
    tab = page.laptop
    assert tab.identity.replica.text() == laptop.replica_id
    assert not tab.send_button.isEnabled()  # no hub yet
    # the folder a screen reader names by what it is for: here the facilitator picks the hub's inbox
    assert tab.outbox.accessibleName() == "Map om naar te versturen"
    assert tab.import_key(key)
    assert tab.identity.hub.text() == "Gemeente Veldhorst"
    tab.set_outbox(inbox)
    assert QSettings().value("sync/outbox") == str(inbox)
    click(qtbot, tab.send_button)
    sent = list(inbox.glob("*.wijksync"))
    assert len(sent) == 1 and tab.send_status.text() == f"Verstuurd: {sent[0].name}"

    merge = hub_page.hub.merge_tab
    laptops = hub_page.hub.laptops
    merge.set_folders(inbox, outbox)
    click(qtbot, merge.merge_button)
    assert [laptop.replica_id in line for line in lines(hub_page.hub, "waiting")] == [True]
    assert names(laptops.pending) == [laptop.replica_id] and laptops.laptops.rowCount() == 0
    assert hub_page.hub.tabs.tabText(1) == "Laptops (1 wachtend)"
    assert hub.sessions.list() == []  # nothing merged before the laptop is trusted

    assert approve(qtbot, laptops, keys.own_fingerprint(laptop), "Ingrid")["open"] is False
    assert laptops.pending.rowCount() == 0 and names(laptops.laptops) == ["Ingrid"]
    assert hub_page.hub.tabs.tabText(1) == "Laptops"
    click(qtbot, merge.merge_button)
    assert lines(hub_page.hub, "merged") and sent[0].name in lines(hub_page.hub, "merged")[0]
    assert laptops.laptops.record(0).last_bundle == sent[0].name
    overview = hub_page.hub.overview
    assert names(overview.model)[:2] == ["Ellerveen", "Veldhorst-Oost"]
    village = overview.model.record(0)
    assert (village.held, village.planned, village.agreements, village.overdue) == (1, 1, 6, 1)
    assert overview.overdue.rowCount() == 1
    returned = list((outbox / laptop.replica_id).glob("*.wijksync"))
    assert len(returned) == 1

    # what a Mac leaves on a USB stick, and a file Syncthing is still writing: not updates
    (outbox / laptop.replica_id / "._hub-000001.wijksync").write_bytes(b"\x00\x05\x16\x07")
    (outbox / laptop.replica_id / ".syncthing.hub-000002.wijksync.tmp").write_bytes(b"half")
    tab.fetch_folder(outbox)  # the whole outbox: the laptop finds its own subfolder
    background.wait()
    assert tab.fetch_status.text().startswith("1 update opgehaald")
    assert "geweigerd" not in tab.fetch_status.text()

    agreement = laptop.agreements.list()[0]  # edited after sending, then sent again: no conflict
    laptop.agreements.edit(agreement.id, title="Koffieochtend elke dinsdag")
    click(qtbot, tab.send_button)
    click(qtbot, merge.merge_button)
    assert len(lines(hub_page.hub, "merged")) == 1 and "1 wijziging, 0 conflicten" in lines(hub_page.hub, "merged")[0]
    assert hub.agreements.get(agreement.id).title == "Koffieochtend elke dinsdag"
    assert hub_page.hub.conflicts.model.rowCount() == 0

    overview.export_csv(tmp_path / "csv")
    background.wait()
    assert len(list((tmp_path / "csv").glob("*.csv"))) == 3 and "3 CSV-bestanden" in overview.status.text()
    overview.export_xlsx(tmp_path / "overzicht.xlsx")
    background.wait()
    assert (tmp_path / "overzicht.xlsx").exists() and str(tmp_path / "overzicht.xlsx") in overview.status.text()


def send(qtbot, page, folder: Path) -> Path:
    page.laptop.set_outbox(folder)
    click(qtbot, page.laptop.send_button)
    return folder / page.laptop.send_status.text().removeprefix("Verstuurd: ")


def merge(qtbot, hub_page, inbox: Path, outbox: Path) -> None:
    hub_page.merge_tab.set_folders(inbox, outbox)
    click(qtbot, hub_page.merge_tab.merge_button)


def test_two_laptops_edit_the_same_title_and_the_hub_takes_the_other_one(qtbot, hub, laptop, tmp_path):
    page, key = make_hub(qtbot, hub, tmp_path)
    hub_page = page.hub
    conflicts_tab = hub_page.tabs.indexOf(hub_page.conflicts)
    assert hub_page.tabs.tabText(conflicts_tab) == "Conflicten"
    inbox, outbox = tmp_path / "inbox", tmp_path / "outbox"
    inbox.mkdir()
    with Kit.open(tmp_path / "second.sqlite") as second:
        first_page, second_page = open_page(qtbot, laptop), open_page(qtbot, second)
        for laptop_page in (first_page, second_page):
            assert laptop_page.laptop.import_key(key)
            send(qtbot, laptop_page, inbox)
        merge(qtbot, hub_page, inbox, outbox)
        assert len(lines(hub_page, "waiting")) == 2
        laptops = hub_page.laptops
        for kit in (laptop, second):
            assert laptops.select_claim(kit.replica_id)
            approve(qtbot, laptops, keys.own_fingerprint(kit))
        merge(qtbot, hub_page, inbox, outbox)
        assert len(lines(hub_page, "merged")) == 2
        # the second laptop helps in the first one's neighbourhoods: the coordinator assigns them
        click_row(qtbot, laptops.laptops_view, row_of(laptops.laptops, 1, second.replica_id))
        assert tick(qtbot, laptops, ["Ellerveen", "Veldhorst-Oost"]) == ["Ellerveen", "Veldhorst-Oost"]
        click(qtbot, hub_page.merge_tab.updates_button)
        relayed: list[set] = []
        second_page.laptop.bridge.changed.connect(lambda changes: relayed.append(set(changes)))
        second_page.laptop.fetch_folder(outbox)
        background.wait()
        agreement = laptop.agreements.list()[0]
        assert second.agreements.get(agreement.id).title == agreement.title  # the second laptop has it too
        assert {"agreement", "session", "neighbourhood"} <= set().union(*relayed)  # the other pages refresh
        stored = int(second.query("SELECT value FROM _meta WHERE key = 'hlc_last'")[0]["value"])
        laptop.agreements.edit(agreement.id, title="Koffieochtend op dinsdag")
        second.agreements.edit(agreement.id, title="Koffieochtend op woensdag")
        assert second.hlc.last > stored  # the page's Kit caught up with the worker's clock at its next write
        for laptop_page in (first_page, second_page):
            send(qtbot, laptop_page, inbox)

        merge(qtbot, hub_page, inbox, outbox)
        assert len(lines(hub_page, "merged")) == 2 and len(lines(hub_page, "already")) == 2
        conflicts = hub_page.conflicts
        assert conflicts.model.rowCount() == 1 and hub_page.tabs.tabText(conflicts_tab) == "Conflicten (1)"
        line = conflicts.model.record(0)
        kept = hub.agreements.get(agreement.id).title
        other = ({"Koffieochtend op dinsdag", "Koffieochtend op woensdag"} - {kept}).pop()
        assert (line.what, line.kept, line.other, line.item) == ("afspraak: titel", kept, other, kept)
        hub_page.tabs.setCurrentWidget(conflicts)
        click(qtbot, conflicts.take_button)
        assert hub.agreements.get(agreement.id).title == other
        assert conflicts.model.rowCount() == 0 and conflicts.empty.isVisibleTo(conflicts)
        assert not conflicts.take_button.isEnabled() and hub_page.tabs.tabText(conflicts_tab) == "Conflicten"


def test_a_damaged_bundle_is_refused_with_its_reason_in_dutch(qtbot, hub, laptop, tmp_path):
    page, key = make_hub(qtbot, hub, tmp_path)
    hub_page = page.hub
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    laptop_page = open_page(qtbot, laptop)
    laptop_page.laptop.import_key(key)
    sent = send(qtbot, laptop_page, inbox)
    merge(qtbot, hub_page, inbox, tmp_path / "outbox")
    approve(qtbot, hub_page.laptops, keys.own_fingerprint(laptop))
    data = bytearray(sent.read_bytes())
    data[-10] ^= 0xFF  # one byte changed on the way
    sent.write_bytes(bytes(data))
    (inbox / "kapot-000001.wijksync").write_bytes(b"geen bundel")

    merge(qtbot, hub_page, inbox, tmp_path / "outbox")
    refused = lines(hub_page, "refused")
    reasons = [BundleError(path=sent.name, reason=Message(N_("its signature does not match: the file was changed or damaged."))),
               BundleError(path="kapot-000001.wijksync", reason=Message(N_("it is not a Wijkkit bundle, or it is cut short.")))]  # fmt: skip
    assert sorted(refused) == sorted(r.localized() for r in reasons)
    assert hub.sessions.list() == [] and hub_page.conflicts.model.rowCount() == 0

    laptop_page.laptop.fetch([inbox / "kapot-000001.wijksync"])  # a laptop is told why, too
    background.wait()
    text = laptop_page.laptop.fetch_status.text()
    assert text.startswith("1 bestand is geweigerd:") and "kapot-000001.wijksync" in text
    assert gettext(BundleError.template) != BundleError.template
    assert all("geweigerd" in line for line in refused)  # Dutch, not English


def test_a_wrong_key_file_says_why_and_the_hub_cannot_join_itself(qtbot, hub, laptop, tmp_path):
    page = open_page(qtbot, laptop)
    wrong = tmp_path / "notities.txt"
    wrong.write_text("geen sleutel", encoding="utf-8")
    assert not page.laptop.import_key(wrong)
    assert page.laptop.identity.key_status.text() == keys.ImportFormatError(
        path=str(wrong), reason=keys.Message("it is not a hub key file.")).localized()  # fmt: skip
    assert keys.hub_of(laptop) is None and not page.laptop.send_button.isEnabled()

    key = keys.export_hub_key(hub, tmp_path / "hub.wijkhub")
    assert page.laptop.import_key(key) and page.laptop.send_button.isEnabled()
    again = open_page(qtbot, laptop)
    assert not again.hub.setup_button.isEnabled()  # a laptop of a hub does not become one
    with Kit.open(key.parent / "hub.sqlite") as same_hub:
        assert keys.is_hub(same_hub)


def test_the_pages_fit_a_laptop_screen_and_the_main_window_uses_them(qtbot, window, hub, tmp_path):
    from ui.pages.sync.page import SyncPage

    window.show_page(5)
    page = window.page(5)
    assert isinstance(page, SyncPage) and page.title == "Synchroniseren"
    assert page.minimumSizeHint().width() < 1130 and page.minimumSizeHint().height() < 700
    hub_page, _key = make_hub(qtbot, hub, tmp_path)
    for tab in range(hub_page.hub.tabs.count()):
        hub_page.hub.tabs.setCurrentIndex(tab)
        assert hub_page.minimumSizeHint().width() < 1130 and hub_page.minimumSizeHint().height() < 700
    texts = [label.text() for label in page.findChildren(QLabel)]
    assert window.kit.replica_id in texts


def test_a_database_in_memory_syncs_without_a_worker_and_keeps_no_transaction_open(qtbot, hub, tmp_path):
    key = keys.export_hub_key(hub, tmp_path / "hub.wijkhub")
    with Kit.memory() as scratch:
        demo.populate(scratch)
        page = open_page(qtbot, scratch)
        assert page.laptop.import_key(key)
        sent = send(qtbot, page, tmp_path / "inbox")
        assert sent.exists() and not scratch.conn.in_transaction
        scratch.neighbourhoods.add("Na het versturen")
        assert not scratch.conn.in_transaction  # committed, not left in the export's open transaction
