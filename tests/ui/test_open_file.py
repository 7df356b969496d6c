"""Double-clicking a .wijksync bundle or a .wijkhub hub key opens it in Wijkkit (issue 15).

The operating system's part is played by the test: ``open_given(window, path)`` is what
ui/app.run does with a file named on the command line (Windows), a QFileOpenEvent sent to the
application is what Finder does (macOS). Then the person answers the dialogs with the keyboard
and the test checks what changed: the return bundle's change arrived on the laptop, the hub
merged the laptop's bundle and wrote its return bundle, the laptop joined the hub. The
hub and the laptops are real database files; what happened before the double-click (a send,
a merge, the coordinator's approval) is done with the core's calls.
"""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.ui.conftest import shown_window
from wijkkit.i18n import _
from wijkkit.kit import Kit
from wijkkit.sync import exchange, keys
from wijkkit.sync.bundle import refuse

from ui import open_file
from ui.open_file import open_given

pytestmark = pytest.mark.usefixtures("dutch_app")


def focused():
    return QApplication.focusWidget()


def answering(qtbot, *answers) -> dict:
    """Answer the next modal dialogs, one ``answer(dialog)`` each, as they appear (Wijkkit opens the
    file from its event loop, when it is free). What each showed (a message box's text, else the
    dialog's class) is kept for ``done``; a dialog an answer leaves open is closed, so a test never
    hangs, and the answer's error is raised by ``done``."""
    state: dict = {"shown": [], "problems": [], "handled": []}
    todo = list(answers)

    def handle() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or any(dialog is d for d in state["handled"]):
            QTimer.singleShot(10, handle)
            return
        state["handled"].append(dialog)
        shown = dialog.text() if isinstance(dialog, QMessageBox) else type(dialog).__name__
        answer = todo.pop(0)
        try:
            dialog.activateWindow()  # what the window manager does (the offscreen platform has none)
            qtbot.waitUntil(dialog.isActiveWindow)
            answer(dialog)
        except BaseException as error:  # noqa: BLE001 - raised in the test by done()
            state["problems"].append(error)
        finally:
            if dialog.isVisible():
                dialog.reject()
            state["shown"].append(shown)
        if todo:
            QTimer.singleShot(10, handle)

    QTimer.singleShot(0, handle)
    return state


def done(qtbot, state: dict, count: int = 1) -> list[str]:
    """Wait until ``count`` dialogs were shown and answered; what they showed."""
    qtbot.waitUntil(lambda: len(state["shown"]) >= count, timeout=10_000)
    if state["problems"]:
        raise state["problems"][0]
    return state["shown"]


def key(pressed) -> None:
    QTest.keyClick(focused(), pressed)


def yes(box: QMessageBox) -> None:
    box.button(QMessageBox.Yes).setFocus()  # Tab to Ja, as a person would (Nee is the default)
    key(Qt.Key_Space)


def no(box: QMessageBox) -> None:
    key(Qt.Key_Escape)


def ok(box: QMessageBox) -> None:
    key(Qt.Key_Return)


def sync_page(window):
    from ui.pages.sync.page import SyncPage

    page = window.current_page()
    assert isinstance(page, SyncPage), type(page)
    return page


@pytest.fixture
def hub_key(hub, tmp_path) -> Path:
    """The hub's key file, as the coordinator mailed it."""
    return keys.export_hub_key(hub, tmp_path / "Downloads" / "hub-sleutel.wijkhub", "Gemeente Veldhorst")


@pytest.fixture
def finder(monkeypatch):
    """A file-open handler of its own for the test (the application lives on between tests)."""
    monkeypatch.setattr(open_file, "_filters", {})
    yield
    app = QApplication.instance()
    for handler in open_file._filters.values():
        app.removeEventFilter(handler)
        handler.deleteLater()


@pytest.fixture
def hub_outbox(tmp_path):
    """The hub's outbox folder, chosen by the coordinator before (and forgotten after the test)."""
    QSettings().setValue("hub/outbox", str(tmp_path / "outbox"))
    yield tmp_path / "outbox"
    QSettings().remove("hub/outbox")


def hub_window(qtbot, hub):
    return shown_window(qtbot, hub)


def test_a_double_clicked_hub_key_asks_first_then_the_laptop_joins(qtbot, window, hub_key):
    laptop = window.kit
    fingerprint = keys.read_hub_key(hub_key).fingerprint
    seen = answering(qtbot, no)
    open_given(window, hub_key)
    [question] = done(qtbot, seen)
    assert "Gemeente Veldhorst" in question and f"<nobr>{fingerprint}</nobr>" in question  # read aloud in one piece
    page = sync_page(window)
    assert page.tabs.currentWidget() is page.laptop
    assert keys.hub_of(laptop) is None  # Nee: nothing changed
    assert page.laptop.identity.key_status.text() == _("Nothing changed: this laptop does not send to a hub yet.")

    seen = answering(qtbot, yes)
    open_given(window, hub_key)
    done(qtbot, seen)
    assert keys.hub_of(laptop).fingerprint == fingerprint
    assert page.laptop.identity.hub.text() == "Gemeente Veldhorst"
    assert page.laptop.send_button.isEnabled()
    assert page.laptop.identity.key_status.text().startswith("Deze laptop verstuurt nu naar Gemeente Veldhorst.")

    open_given(window, hub_key)  # the same key again: no question, it says so
    already = _("This laptop already sends to {name}. The hub's fingerprint is {fingerprint}.").format(
        name="Gemeente Veldhorst", fingerprint=fingerprint)  # fmt: skip
    shown = html.escape(already).replace(fingerprint, f"<nobr>{fingerprint}</nobr>")  # kept on one line
    qtbot.waitUntil(lambda: page.laptop.identity.key_status.text() == shown)
    assert QApplication.activeModalWidget() is None


def test_a_double_clicked_return_bundle_is_fetched_on_the_laptop(qtbot, window, hub, hub_key, tmp_path):
    laptop = window.kit
    inbox, outbox = tmp_path / "inbox", tmp_path / "outbox"
    keys.join(laptop, hub_key)
    exchange.export(laptop, inbox)
    exchange.merge_inbox(hub, inbox, outbox)  # waits for approval
    keys.trust(hub, laptop.replica_id, keys.own_fingerprint(laptop))
    exchange.merge_inbox(hub, inbox, outbox)
    agreement = laptop.agreements.list()[0]
    hub.agreements.edit(agreement.id, title="Koffieochtend elke dinsdag")  # the coordinator changed it
    [returned] = exchange.send_updates(hub, outbox).written

    open_given(window, returned)
    qtbot.waitUntil(lambda: window.current_page().__class__.__name__ == "SyncPage")
    page = sync_page(window)
    assert page.tabs.currentWidget() is page.laptop
    qtbot.waitUntil(lambda: page.laptop.fetch_status.text().startswith("1 update opgehaald"), timeout=10_000)
    assert laptop.agreements.get(agreement.id).title == "Koffieochtend elke dinsdag"

    data = bytearray(returned.read_bytes())
    data[-10] ^= 0xFF  # damaged on the way: the page's own refusal, in Dutch
    damaged = returned.with_name("kapot.wijksync")
    damaged.write_bytes(bytes(data))
    open_given(window, damaged)
    qtbot.waitUntil(lambda: page.laptop.fetch_status.text().startswith("1 bestand is geweigerd:"), timeout=10_000)
    assert "kapot.wijksync" in page.laptop.fetch_status.text()


def test_finder_sends_a_laptops_bundle_to_the_hub_which_merges_it(qtbot, hub, hub_key, tmp_path, finder, hub_outbox):
    inbox, outbox = tmp_path / "inbox", hub_outbox
    with Kit.open(tmp_path / "laptop.sqlite") as laptop:
        keys.join(laptop, hub_key)
        laptop.neighbourhoods.add("Ellerveen", "Veldhorst")
        sent = exchange.export(laptop, inbox)
        assert exchange.merge_inbox(hub, inbox).waiting  # the laptop's first bundle: approved by fingerprint
        keys.trust(hub, laptop.replica_id, keys.own_fingerprint(laptop))
        main = hub_window(qtbot, hub)
        app = QApplication.instance()
        open_file.install_file_open_handler(app, main)  # as ui/app.run does

        QApplication.sendEvent(app, QFileOpenEvent(str(sent)))
        qtbot.waitUntil(lambda: [n.name for n in hub.neighbourhoods.list()] == ["Ellerveen"], timeout=10_000)
        page = sync_page(main)
        merge = page.hub.merge_tab
        assert page.hub.tabs.currentWidget() is merge
        qtbot.waitUntil(lambda: merge.status.text().startswith("Samengevoegd."))
        assert merge.status.text() == f"Samengevoegd. 1 laptop kreeg een updatebestand in {outbox}."
        assert merge.results.item(0).text() == f"Samengevoegd: {sent.name} (4 wijzigingen, 0 conflicten)."
        [returned] = (outbox / laptop.replica_id).glob("*.wijksync")  # the laptop's return bundle

        QApplication.sendEvent(app, QFileOpenEvent(str(returned)))  # the hub's own file, opened by mistake
        refused = refuse(returned, "this hub wrote it itself, for a laptop that fetches it.").localized()
        qtbot.waitUntil(lambda: merge.results.count() == 1 and merge.results.item(0).text() == refused)
        assert keys.pending(hub) == []  # not a laptop waiting for approval


def test_a_file_finder_sends_before_the_window_is_there_waits_for_it(qtbot, window, hub_key, finder):
    app = QApplication.instance()
    open_file.install_file_open_handler(app)  # right after the application is made
    QApplication.sendEvent(app, QFileOpenEvent(str(hub_key)))  # e.g. while the passphrase is asked
    seen = answering(qtbot, yes)
    open_file.install_file_open_handler(app, window)
    done(qtbot, seen)
    assert keys.hub_of(window.kit) is not None


def test_on_an_empty_database_the_setup_comes_first_then_the_hub_key(qtbot, hub_key, tmp_path):
    from ui.first_run import FirstRunDialog, offer_at_start
    from ui.main_window import MainWindow

    with Kit.open(tmp_path / "nieuw.sqlite") as fresh:
        main = MainWindow(fresh)
        qtbot.addWidget(main)
        main.show()
        qtbot.waitExposed(main)
        offer_at_start(main)  # what ui/app.run does after showing the window, before the file
        seen = answering(qtbot, no, yes)  # the setup: Later
        open_given(main, hub_key)
        shown = done(qtbot, seen, 2)
        assert shown[0] == FirstRunDialog.__name__ and "Gemeente Veldhorst" in shown[1]
        assert keys.hub_of(fresh) is not None


def test_other_files_a_missing_file_and_a_hub_key_on_the_hub_change_nothing(qtbot, window, hub, hub_key, tmp_path):
    notes = tmp_path / "notities.txt"
    notes.write_text("boodschappen", encoding="utf-8")
    seen = answering(qtbot, ok)
    open_given(window, notes)
    [message] = done(qtbot, seen)
    assert message == _("Wijkkit cannot open {file}. It opens update files ({bundles}) and hub key files "
                        "({keys}).").format(file="notities.txt", bundles=".wijksync", keys=".wijkhub")  # fmt: skip

    gone = tmp_path / "weg.wijksync"
    seen = answering(qtbot, ok)
    open_given(window, gone)
    [message] = done(qtbot, seen)
    assert message == _("The file {path} cannot be found. Was it moved or deleted?").format(path=gone)
    assert window.current_page().__class__.__name__ != "SyncPage"  # nothing was opened

    capitals = tmp_path / "UPDATE.WIJKSYNC"  # as Windows may show it; no hub yet: the page says so
    capitals.write_bytes(b"")
    open_given(window, capitals)
    qtbot.waitUntil(lambda: window.current_page().__class__.__name__ == "SyncPage", timeout=5000)
    page = sync_page(window)
    qtbot.waitUntil(lambda: "kent de hub van de gemeente nog niet" in page.laptop.fetch_status.text())

    main = hub_window(qtbot, hub)
    seen = answering(qtbot, ok)
    open_given(main, hub_key)
    [message] = done(qtbot, seen)
    assert message == "Deze database is de hub van de gemeente; een hub-sleutel importeert u op de laptops."
    assert main.current_page().__class__.__name__ != "SyncPage"
