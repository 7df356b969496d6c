"""At the hub: conflicts settled three different ways, and the settled list says how.

The conflicts tab keeps the current value, takes the other one, or closes a conflict the
coordinator settled by hand; each button says in its tooltip what it does, the status
line says what was done, and 'Afgehandelde tonen' lists the settled ones with how. The
other value of a deleted item cannot be taken back.
"""

from __future__ import annotations

import pytest

from PySide6.QtCore import Qt

from tests.ui.test_sync_pages import click, open_page
from wijkkit.sync import merge as sync_merge
from wijkkit.sync import scope

pytestmark = pytest.mark.usefixtures("dutch_app")


@pytest.fixture
def crossed(village):
    """A hub where laptops a and b (both serving a's neighbourhoods) changed the same three fields of a
    neighbourhood, and an edit of a deleted one."""
    a, b = village.a, village.b
    wijk = a.insert("neighbourhood", {"name": "Ellerveen"})
    gone = a.insert("neighbourhood", {"name": "Oud-Veldhorst"})
    village.sync()
    scope.assign(village.hub, b.replica_id, [wijk, gone])  # b helps in a's neighbourhoods: it gets them too
    village.sync()
    for kit, suffix in ((a, "a"), (b, "b")):
        kit.update("neighbourhood", wijk, {"name": f"Ellerveen-{suffix}", "notes": f"notitie {suffix}",
                                           "municipality": f"Gemeente {suffix}"})  # fmt: skip
    a.delete("neighbourhood", gone)
    b.update("neighbourhood", gone, {"notes": "nog bezig"})  # b has not heard of the delete
    for kit in (a, b):  # the delete arrives first, so b's edit is one of a deleted item
        village.export(kit)
        village.merge()
    return village, wijk


def test_conflicts_are_settled_three_ways_and_the_settled_list_says_how(qtbot, crossed):
    village, wijk = crossed
    hub = village.hub
    sync_page = open_page(qtbot, hub)
    page = sync_page.hub
    tab = page.conflicts
    page.tabs.setCurrentWidget(tab)
    whats = sorted(tab.model.record(r).what for r in range(tab.model.rowCount()))
    assert whats == ["buurt: gemeente", "buurt: naam", "buurt: notities", "buurt: notities"]
    assert tab.model.rowCount() == 4 and page.tabs.tabText(page.tabs.indexOf(tab)) == "Conflicten (4)"
    tips = {b.toolTip() for b in (tab.keep_button, tab.take_button, tab.done_button)}
    assert len(tips) == 3 and all(tips)  # three different explanations

    def select(what: str, removed: bool = False) -> object:
        for row in range(tab.model.rowCount()):
            line = tab.model.record(row)
            if line.what == what and (line.item == "(verwijderd)") == removed:
                tab.table.selectRow(row)
                return line
        raise AssertionError(what)

    gone = select("buurt: notities", removed=True)  # changed after it was deleted: nothing to take back
    assert not tab.take_button.isEnabled() and "verwijderd" in tab.take_button.toolTip()
    assert tab.keep_button.isEnabled() and tab.done_button.isEnabled()
    click(qtbot, tab.keep_button)
    assert tab.status.text().startswith("Afgehandeld (buurt: notities, (verwijderd)): de huidige waarde blijft")

    name = select("buurt: naam")
    assert tab.take_button.isEnabled()
    click(qtbot, tab.take_button)
    assert hub.row("neighbourhood", wijk)["name"] == name.other.replace("…", "")
    assert "de andere waarde is nu in gebruik" in tab.status.text()
    assert "Updates klaarzetten voor de laptops" in tab.status.text()

    notes = select("buurt: notities")
    before = hub.row("neighbourhood", wijk)["notes"]
    click(qtbot, tab.done_button)
    assert hub.row("neighbourhood", wijk)["notes"] == before  # handled by hand: nothing written
    assert tab.status.text() == (f"Afgehandeld (buurt: notities, {notes.item}): gemarkeerd als zelf afgehandeld; "
                                 "er is niets veranderd.")  # fmt: skip
    assert tab.model.rowCount() == 1 and page.tabs.tabText(page.tabs.indexOf(tab)) == "Conflicten (1)"

    tab.show_settled.setChecked(True)
    assert tab.tables.currentWidget() is tab.settled_view
    assert not any(b.isEnabled() for b in (tab.keep_button, tab.take_button, tab.done_button))
    settled = [tab.settled.record(r) for r in range(tab.settled.rowCount())]
    assert sorted((s.what, s.how) for s in settled) == [
        ("buurt: naam", "andere waarde genomen"), ("buurt: notities", "huidige waarde gehouden"),
        ("buurt: notities", "zelf afgehandeld")]  # fmt: skip
    assert all(s.settled_at for s in settled) and {s.id for s in settled} == {gone.id, name.id, notes.id}
    header = [tab.settled.headerData(c, Qt.Horizontal) for c in range(tab.settled.columnCount())]
    assert header[-2:] == ["Hoe", "Afgehandeld op"]
    assert sorted(c["resolution"] for c in sync_merge.settled_conflicts(hub)) == ["by_hand", "kept", "took_other"]
    tab.show_settled.setChecked(False)
    assert tab.tables.currentWidget() is tab.table and tab.keep_button.isEnabled()
