"""Synchroniseren fits the layout budget (issue 14, 3): the page and each tab, on a laptop and at the hub
(with the retention card above the hub's tabs), need at most 780x560, also with long status texts."""

from __future__ import annotations

import pytest

from PySide6.QtWidgets import QApplication, QTabWidget

from tests.ui.sync_hands import open_page
from wijkkit import demo
from wijkkit.kit import Kit

pytestmark = pytest.mark.usefixtures("dutch_app")
LONG = " ".join(["Een lange melding over een bestand in een map met een lange naam"] * 6)


@pytest.fixture
def laptop(tmp_path):
    demo.create(tmp_path / "laptop.sqlite")
    with Kit.open(tmp_path / "laptop.sqlite") as opened:
        yield opened


def sizes(page) -> dict[str, tuple[int, int]]:
    QApplication.processEvents()
    found = {"page": page.minimumSizeHint().toTuple()}
    for tabs in page.findChildren(QTabWidget):
        for index in range(tabs.count()):
            found[tabs.tabText(index)] = tabs.widget(index).minimumSizeHint().toTuple()
    return found


def within(found: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    return {name: size for name, size in found.items() if size[0] > 780 or size[1] > 560}


def test_the_laptop_and_the_hub_fit_780_by_560(qtbot, laptop, hub, tmp_path):
    hub_page = open_page(qtbot, hub)
    key = tmp_path / "hub-sleutel.wijkhub"
    assert within(sizes(hub_page)) == {}  # not a hub yet
    assert hub_page.hub.make_hub(key, "Gemeente Veldhorst")
    assert hub_page.hub.retention.isVisible()  # on Samenvoegen, the tab shown first
    merge = hub_page.hub.merge_tab
    merge.status.setText(LONG)
    merge.updates_status.setText(LONG)
    hub_page.resize(1024 - 230, 700)
    assert within(sizes(hub_page)) == {}

    page = open_page(qtbot, laptop)
    assert page.laptop.import_key(key)
    tab = page.laptop
    for label in (tab.send_status, tab.fetch_status, tab.identity.key_status):
        label.setText(LONG)
    page.resize(1024 - 230, 700)
    assert within(sizes(page)) == {}
    assert page.laptop.columns.direction() == page.laptop.columns.Direction.TopToBottom  # one column here
