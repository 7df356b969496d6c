"""The app's side of the encrypted database: the recovery sheet from Instellingen, the passphrase
dialog, and a log that holds no personal data, rotated and private."""

from __future__ import annotations

import os
import stat
import sys

from PySide6.QtWidgets import QInputDialog, QMessageBox

from ui import errors, passphrase
from ui.pages.settings import SettingsPage


def test_the_settings_page_saves_the_recovery_sheet_privately(qtbot, demo_kit, tmp_path):
    page = SettingsPage(demo_kit)
    qtbot.addWidget(page)
    assert page.recovery_button.isEnabled()
    target = tmp_path / "herstelblad.pdf"
    assert page.save_recovery_sheet(target)
    assert target.read_bytes().startswith(b"%PDF-")
    if os.name != "nt":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_the_recovery_button_is_off_for_a_database_in_memory(qtbot, kit):
    page = SettingsPage(kit)
    qtbot.addWidget(page)
    assert not page.recovery_button.isEnabled()


def test_a_new_passphrase_is_asked_twice_and_must_match(monkeypatch, tmp_path):
    answers = iter([("geheim woord", True), ("geheim woord", True), ("geheim", True), ("anders", True)])
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kwargs: next(answers))
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: None)
    assert passphrase.ask(tmp_path / "wijkkit.sqlite", new=True) == "geheim woord"
    assert passphrase.ask(tmp_path / "wijkkit.sqlite", new=True) is None


def test_cancel_gives_no_passphrase(monkeypatch, tmp_path):
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kwargs: ("", False))
    assert passphrase.ask(tmp_path / "wijkkit.sqlite", new=False) is None


def test_the_log_holds_where_it_broke_but_no_message_and_is_private(tmp_path, monkeypatch):
    monkeypatch.setattr(QMessageBox, "critical", lambda *args: None)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # install() replaces it: put it back after
    monkeypatch.setattr(errors, "_log_file", None)
    errors.install(tmp_path)
    try:
        raise ValueError("Henk Oosterhuis, Dorpsstraat 4")
    except ValueError as error:
        errors.report(None, error)
    log = (tmp_path / "wijkkit.log").read_text(encoding="utf-8")
    assert "builtins.ValueError" in log and "test_key_ui.py" in log
    assert "Henk" not in log and "Dorpsstraat" not in log
    if os.name != "nt":  # Windows: the profile's ACL keeps it private
        assert stat.S_IMODE((tmp_path / "wijkkit.log").stat().st_mode) == 0o600
    handler = errors._logger.handlers[0]
    assert (handler.maxBytes, handler.backupCount) == (256 * 1024, 2)
    errors._logger.removeHandler(handler)
    handler.close()


def test_a_missing_key_is_restored_by_typing_the_sheet_into_the_app(qtbot, tmp_path, monkeypatch):
    """The app asks for the sheet's characters: a typing error is told and asked again, then it opens."""
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from wijkkit import keystore, recovery
    from wijkkit.kit import Kit

    path = tmp_path / "wijkkit.sqlite"
    with Kit.open(path) as kit:
        kit.people.add("Anneke Visser")
    salt = keystore.salt_of(path)
    words = " ".join(recovery.to_words(keystore.find(path, salt).key))
    keystore.key_file(salt.hex()).unlink()
    keystore.forget(salt)
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: told.append(text))
    mistyped = ("B" if words[0] != "B" else "C") + words[1:]
    answers = iter([mistyped, words.lower()])  # one typing error, then right in lower case

    def type_into_dialog() -> None:
        dialog, focused = QApplication.activeModalWidget(), QApplication.focusWidget()
        if not isinstance(dialog, QInputDialog) or focused is None or focused.window() is not dialog:
            QTimer.singleShot(10, type_into_dialog)  # not yet shown with the field focused
            return
        qtbot.keyClicks(focused, next(answers))
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Return)
        QTimer.singleShot(10, type_into_dialog)

    QTimer.singleShot(0, type_into_dialog)
    assert passphrase.restore_from_sheet(path)
    assert len(told) == 1 and ("verkeerd getypt" in told[0] or "mistyped" in told[0])
    keystore.forget(salt)
    with Kit.open(path) as kit:
        assert [p.name for p in kit.people.list()] == ["Anneke Visser"]
