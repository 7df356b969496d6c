"""At the hub: updates for the laptops without a merge.

'Updates klaarzetten voor de laptops' writes each trusted laptop its return bundle after a
change made at the hub (an agreement's status), is disabled without an outbox folder, and
writes nothing again while nothing changed (neither does an empty merge).
"""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.ui.sync_hands import approve
from tests.ui.test_sync_pages import click, make_hub, merge, open_page, send
from wijkkit import demo
from wijkkit.kit import Kit
from wijkkit.sync import keys

from ui import background
from ui.bridge import KitBridge

pytestmark = pytest.mark.usefixtures("dutch_app")


def returned(outbox, kit) -> dict:
    return {p.name: p.stat().st_mtime_ns for p in (outbox / kit.replica_id).glob("*.wijksync")}


def test_a_status_changed_at_the_hub_reaches_the_laptop_without_merging_again(qtbot, tmp_path):
    from ui.pages.people.page import PeoplePage

    demo.create(tmp_path / "laptop.sqlite")
    with Kit.open(tmp_path / "hub.sqlite") as hub, Kit.open(tmp_path / "laptop.sqlite") as laptop:
        page, key = make_hub(qtbot, hub, tmp_path)
        tab = page.hub.merge_tab
        tab.outbox.clear()  # no outbox chosen (QSettings may remember one from before)
        assert not tab.updates_button.isEnabled() and tab.updates_hint.isVisibleTo(tab)
        assert "outbox" in tab.updates_button.toolTip()

        inbox, outbox = tmp_path / "inbox", tmp_path / "outbox"
        inbox.mkdir()
        laptop_page = open_page(qtbot, laptop)
        assert laptop_page.laptop.import_key(key)
        send(qtbot, laptop_page, inbox)
        merge(qtbot, page.hub, inbox, outbox)
        approve(qtbot, page.hub.laptops, keys.own_fingerprint(laptop))
        merge(qtbot, page.hub, inbox, outbox)
        assert tab.status.text().startswith(f"Samengevoegd. 1 laptop kreeg een updatebestand in {outbox}.")
        assert tab.updates_button.isEnabled() and not tab.updates_hint.isVisibleTo(tab)
        laptop_page.laptop.fetch_folder(outbox)
        background.wait()
        before = returned(outbox, laptop)

        bridge = KitBridge(hub)  # the coordinator marks an agreement done on People and agreements
        people = PeoplePage(hub, bridge, lambda: datetime(2026, 11, 29, 12))
        bridge.setParent(people)
        qtbot.addWidget(people)
        agreements = people.agreements
        agreements.table.selectRow(0)
        chosen = agreements.current_id
        assert laptop.agreements.get(chosen).status != "done"
        agreements.new_status.setCurrentIndex(agreements.new_status.findData("done"))
        click(qtbot, agreements.update_button)
        assert hub.agreements.get(chosen).status == "done"

        click(qtbot, tab.updates_button)
        assert tab.updates_status.text() == f"1 laptop kreeg een updatebestand in {outbox}."
        after = returned(outbox, laptop)
        assert len(before) == len(after) == 1 and before.keys() != after.keys()  # the new file replaces the old
        laptop_page.laptop.fetch_folder(outbox)
        background.wait()
        assert laptop.agreements.get(chosen).status == "done"

        click(qtbot, tab.updates_button)  # nothing changed since: no file is written again
        assert tab.updates_status.text() == f"Niets nieuws: de laptop heeft zijn laatste updatebestand al in {outbox}."
        assert returned(outbox, laptop) == after
        merge(qtbot, page.hub, inbox, outbox)  # an empty merge does not rewrite it either
        assert returned(outbox, laptop) == after

        tab.outbox.clear()
        assert not tab.updates_button.isEnabled() and tab.updates_hint.isVisibleTo(tab)
        assert tab.updates_button.toolTip() == "Kies eerst een outbox-map."
