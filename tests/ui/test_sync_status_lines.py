"""What the sync pages' status lines say and how they look (issue 14, 22): a merge that merged nothing
does not say "Samengevoegd", and an error (a bad hub key) is shown red, not grey or green."""

from __future__ import annotations

import pytest

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette

from tests.ui.hands import choose_path
from tests.ui.sync_hands import open_page
from wijkkit import demo
from wijkkit.i18n import _, ngettext
from wijkkit.kit import Kit

from ui import background

pytestmark = pytest.mark.usefixtures("dutch_app")
RED = "#b3261e"


@pytest.fixture
def laptop(tmp_path):
    demo.create(tmp_path / "laptop.sqlite")
    with Kit.open(tmp_path / "laptop.sqlite") as opened:
        yield opened


def colour(label) -> str:
    return label.palette().color(QPalette.WindowText).name()


def test_a_bad_hub_key_is_an_error_in_red_and_a_good_one_is_not(qtbot, laptop, hub, tmp_path):
    bad = tmp_path / "sleutel.wijkhub"
    bad.write_text("geen sleutel", encoding="utf-8")
    page = open_page(qtbot, laptop)
    identity = page.laptop.identity
    choose_path(qtbot, identity.key_button, bad)
    status = identity.key_status
    assert status.isVisible() and status.text()
    assert status.property("error") is True and colour(status) == RED

    hub_page = open_page(qtbot, hub)
    good = tmp_path / "hub-sleutel.wijkhub"
    assert hub_page.hub.make_hub(good, "Gemeente Veldhorst")
    choose_path(qtbot, identity.key_button, good)
    assert "Gemeente Veldhorst" in status.text()
    assert not status.property("error") and colour(status) != RED


def test_a_merge_of_a_laptop_still_waiting_does_not_say_merged(qtbot, laptop, hub, tmp_path):
    hub_page = open_page(qtbot, hub)
    key = tmp_path / "hub-sleutel.wijkhub"
    assert hub_page.hub.make_hub(key, "Gemeente Veldhorst")
    inbox, outbox = tmp_path / "inbox", tmp_path / "outbox"
    inbox.mkdir()
    laptop_page = open_page(qtbot, laptop)
    assert laptop_page.laptop.import_key(key)
    laptop_page.laptop.set_outbox(inbox)
    qtbot.mouseClick(laptop_page.laptop.send_button, Qt.LeftButton)
    background.wait()
    merge = hub_page.hub.merge_tab
    merge.set_folders(inbox, outbox)
    qtbot.mouseClick(merge.merge_button, Qt.LeftButton)
    background.wait()
    said = merge.status.text()
    assert not said.startswith("Samengevoegd") and not said.startswith("Merged")
    waiting = ngettext("Nothing merged: {n} bundle waits until its laptop is approved on the tab Laptops.",
                       "Nothing merged: {n} bundles wait until their laptops are approved on the tab Laptops.", 1)
    assert said.startswith(waiting.format(n=1))
    qtbot.mouseClick(merge.merge_button, Qt.LeftButton)  # nothing new in the inbox either way
    background.wait()
    assert merge.status.text().startswith(waiting.format(n=1))
    for file in inbox.iterdir():
        file.unlink()
    qtbot.mouseClick(merge.merge_button, Qt.LeftButton)
    background.wait()
    assert merge.status.text().startswith(_("Nothing new to merge."))
