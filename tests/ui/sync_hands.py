"""What the coordinator's hands do on the hub's Laptops tab, for the sync UI tests.

Each helper clicks the button a person would click, then answers the dialog it opens
with the keyboard, typing into whatever widget has the focus: the fingerprint read out
over the phone, Tab to the next field, Space to tick a neighbourhood, Enter to confirm.
What the dialog showed is returned, so a test can check what the person saw.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from tests.ui.hands import in_dialog

from ui.bridge import KitBridge


def open_page(qtbot, kit):
    """The Synchroniseren page of ``kit``, shown at a laptop's size."""
    from ui.pages.sync.page import SyncPage

    bridge = KitBridge(kit)
    page = SyncPage(kit, bridge)
    bridge.setParent(page)
    qtbot.addWidget(page)
    page.resize(1136, 700)
    page.show()
    return page


def focused():
    return QApplication.focusWidget()


def approve(qtbot, laptops, fingerprint: str, name: str = "") -> dict:
    """Click 'Goedkeuren…' for the selected waiting key, type ``fingerprint`` (and a name) and press Enter.

    Returns what the dialog showed: the waiting key's and the hub's fingerprint, and whether it was still
    open afterwards with which error (a refused fingerprint keeps it open; the helper then
    closes it, as Escape would)."""
    seen: dict = {}

    def answer(dialog) -> None:
        assert focused() is dialog.typed, "the fingerprint field has the focus"
        seen["shown"] = dialog.findChild(QLabel, "fingerprint").text()
        seen["hub"] = dialog.findChild(QLabel, "hubFingerprint").text()  # to read back in the same call
        qtbot.keyClicks(focused(), fingerprint)
        if name:
            qtbot.keyClick(focused(), Qt.Key_Tab)
            assert focused() is dialog.name
            qtbot.keyClicks(focused(), name)
        qtbot.keyClick(focused(), Qt.Key_Return)
        seen["open"] = dialog.isVisible()
        seen["error"] = dialog.error.text() if dialog.error.isVisible() else ""
        if dialog.isVisible():
            qtbot.keyClick(focused(), Qt.Key_Escape)

    in_dialog(qtbot, laptops.approve_button, answer)
    return seen


def tick(qtbot, laptops, names: list[str]) -> list[str]:
    """Click 'Wijken toewijzen…', move with the arrow keys to each neighbourhood in ``names`` and press
    Space on it (ticking or unticking it), then Enter to save. Returns the neighbourhoods listed."""
    listed: list[str] = []

    def answer(dialog) -> None:
        view, model = dialog.view, dialog.model
        assert focused() is view
        listed.extend(model.index(r, 0).data() for r in range(model.rowCount()))
        for name in names:
            target = listed.index(name)
            while view.currentIndex().row() < target:
                qtbot.keyClick(focused(), Qt.Key_Down)
            while view.currentIndex().row() > target:
                qtbot.keyClick(focused(), Qt.Key_Up)
            qtbot.keyClick(focused(), Qt.Key_Space)
        qtbot.keyClick(focused(), Qt.Key_Return)
        assert not dialog.isVisible(), dialog.error.text()

    in_dialog(qtbot, laptops.assign_button, answer)
    return listed


def answer_question(qtbot, button, yes: bool = True) -> str:
    """Click ``button``, read its question and answer Yes (or No) with the keyboard; returns the question."""
    asked: list[str] = []

    def answer(box: QMessageBox) -> None:
        asked.append(box.text())
        wanted = box.button(QMessageBox.Yes if yes else QMessageBox.No)
        wanted.setFocus()  # Tab to the button, as a person would
        qtbot.keyClick(focused(), Qt.Key_Space)

    in_dialog(qtbot, button, answer)
    return asked[0]
