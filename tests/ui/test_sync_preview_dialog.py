"""'Wat de gemeente ziet' on the Synchroniseren page, driven with the keyboard.

The facilitator presses the button (Space), the next bundle is read in a worker, and a tree
shows the kinds with their counts, each row and field as it will arrive, the text stored on the
laptop beside a replaced name, and the fields held back. Arrow keys walk it, Escape closes it,
and 'Versturen' from the dialog sends the very bundle that was shown.
"""

from __future__ import annotations

import pytest

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.core.test_sync_redaction import NAME, fill
from tests.ui.sync_hands import open_page
from wijkkit.i18n import gettext
from wijkkit.sync import preview
from wijkkit.sync.merge import PRIVATE_PERSON_FIELDS

from ui import background
from ui.pages.sync.preview import NOTES

pytestmark = pytest.mark.usefixtures("dutch_app")
REPLACED = "(naam niet gedeeld)"


def open_preview(qtbot, laptop_tab):
    qtbot.keyClick(laptop_tab.preview_button, Qt.Key_Space)
    background.wait()
    qtbot.waitUntil(lambda: laptop_tab.preview_dialog is not None and laptop_tab.preview_dialog.isVisible())
    dialog = laptop_tab.preview_dialog
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def walk(qtbot, tree) -> list[list[str]]:
    """Every line of the tree as the Down key reaches it (the kinds are expanded, rows opened with Right)."""
    seen, last = [], None
    while True:
        item = tree.currentItem()
        if item is None or item is last:
            return seen
        seen.append([item.text(c) for c in range(4)])
        if item.childCount() and not item.isExpanded():
            qtbot.keyClick(tree, Qt.Key_Right)
        last = item
        qtbot.keyClick(tree, Qt.Key_Down)


def test_the_facilitator_sees_what_the_municipality_will_get_and_sends_it(qtbot, village, tmp_path):
    ids = fill(village)
    page = open_page(qtbot, village.a)
    laptop = page.laptop
    dialog = open_preview(qtbot, laptop)
    assert QApplication.focusWidget() is dialog.tree
    summary = dialog.findChild(type(dialog.summary), "previewSummary").text()
    assert "afspraak 1" in summary and REPLACED in summary, summary
    lines = walk(qtbot, dialog.tree)
    kinds = [line[0] for line in lines if line[0].startswith(("persoon (", "afspraak ("))]
    assert kinds == ["afspraak (1)", "persoon (2)"]
    capture = next(line for line in lines if line[1].startswith(f"«{REPLACED}»"))
    assert "Oosterhuis" in capture[2] and capture[3] == gettext(NOTES[preview.REDACTED])  # "namen vervangen"
    held = [line[0] for line in lines if line[3] == gettext(NOTES[preview.WITHHELD])]
    assert len(held) == len(PRIVATE_PERSON_FIELDS), held
    assert NAME not in "".join(line[1] for line in lines)
    qtbot.keyClick(dialog.tree, Qt.Key_Escape)
    assert not dialog.isVisible()

    laptop.outbox.setText(str(tmp_path / "out"))
    (tmp_path / "out").mkdir()
    dialog = open_preview(qtbot, laptop)
    dialog.send_button.setFocus()  # Tab to it, as a person would
    qtbot.keyClick(dialog.send_button, Qt.Key_Space)
    background.wait()
    assert not dialog.isVisible()
    assert [p.suffix for p in (tmp_path / "out").iterdir()] == [".wijksync"]
    assert village.a.row("person", ids["henk"])["name"] == NAME
