"""A windowed start (issue 15, problems 2 and 7, and the file argument of problem 1).

The Windows app is a windowed executable (console=False): ``sys.stdout``, ``sys.stderr`` and
``sys.stdin`` are None there. Every way a start can fail must still reach its Dutch dialog,
with no exception: another Wijkkit has the data, the file is no database, the drive cannot
hold the database ("disk I/O error", problem 7), or something unexpected happens while
opening. The start goes through ``wijkkit_launcher.main`` like the real executable; each
dialog is answered with a key once it is the active modal widget.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import types
from pathlib import Path

import pytest

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

import wijkkit_launcher
from tests.ui.modal import answer_modal
from wijkkit import cipher, paths, store
from wijkkit.errors import NotADatabaseError
from wijkkit.i18n import _
from wijkkit.kit import Kit

from ui import app as ui_app
from ui import errors


@pytest.fixture
def no_console(monkeypatch):
    """Call it in the test: no stdout, stderr or stdin from then on, as in the windowed executable
    (pytest sets its own capture again between a fixture and the test). The error hook is put back."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)

    def take_away() -> None:
        for name in ("stdout", "stderr", "stdin"):
            monkeypatch.setattr(sys, name, None)

    yield take_away
    for name in ("stdout", "stderr", "stdin"):
        stream = getattr(sys, name)
        if stream is not None and getattr(stream, "name", None) == os.devnull:
            stream.close()  # the launcher's stand-ins


def dialog_of(qtbot, start) -> tuple[object, list[str]]:
    """Run ``start``; the message box it shows is read and closed with Enter."""
    texts: list[str] = []

    def answer(box):
        assert isinstance(box, QMessageBox)
        texts.append(box.text())
        qtbot.keyClick(box, Qt.Key_Return)

    return answer_modal(start, answer), texts


QUIT_AFTER_MS = 800  # the first page is built (300 ms after showing), the retention check not yet (1500 ms)


def start(data: Path, *more: str):
    return lambda: wijkkit_launcher.main(["--data-dir", str(data), *more])


def test_already_open_without_a_console(qtbot, tmp_path, no_console):
    data = tmp_path / "data"
    first = ui_app.single_instance(data)
    no_console()
    try:
        code, texts = dialog_of(qtbot, start(data))
    finally:
        first.unlock()
    assert code == 2
    assert texts and texts[0].startswith("Wijkkit is al geopend met deze gegevens")


def test_a_file_double_clicked_while_wijkkit_is_open_says_where_to_open_it(qtbot, tmp_path, no_console):
    data = tmp_path / "data"
    given = tmp_path / "avond.wijksync"
    given.write_bytes(b"x")
    first = ui_app.single_instance(data)
    no_console()
    try:
        code, texts = dialog_of(qtbot, start(data, str(given)))
    finally:
        first.unlock()
    assert code == 2
    assert texts[0].startswith("Wijkkit is al geopend") and "avond.wijksync" in texts[0] and "Synchroniseren" in texts[0]


def test_not_a_database_without_a_console(qtbot, tmp_path, no_console):
    data = tmp_path / "data"
    data.mkdir()
    (data / paths.DATABASE_NAME).write_bytes(b"dit is geen database\n" * 10)
    no_console()
    code, texts = dialog_of(qtbot, start(data))
    assert code == 2
    assert texts == [NotADatabaseError(path=str(data / paths.DATABASE_NAME)).localized()]


def test_a_drive_that_fails_the_database_shows_a_dialog(qtbot, tmp_path, monkeypatch, no_console):
    """Problem 7: SQLite's "disk I/O error" while opening ends in a message, not a traceback."""
    data = tmp_path / "data"
    data.mkdir()
    with Kit.open(data / paths.DATABASE_NAME):
        pass
    real = cipher.connect

    class Failing:
        def __init__(self, conn):
            self._conn = conn

        def execute(self, *args):
            raise store.OperationalError("disk I/O error")

        def __getattr__(self, name):
            return getattr(self._conn, name)

    monkeypatch.setattr(cipher, "connect", lambda *args, **kwargs: Failing(real(*args, **kwargs)))
    no_console()
    code, texts = dialog_of(qtbot, start(data))
    assert code == 2
    expected = store.UnusableDatabaseError(path=str(data / paths.DATABASE_NAME), reason="disk I/O error")
    assert texts == [expected.localized()]


def test_an_unexpected_error_at_start_is_a_dialog_and_a_log_without_names(qtbot, tmp_path, monkeypatch, no_console):
    data = tmp_path / "data"

    def broken(*args, **kwargs):
        raise RuntimeError("Fatma Şahin")  # a message may hold a resident's name: never in the log

    monkeypatch.setattr(ui_app, "open_kit", broken)
    args = argparse.Namespace(smoke_test=False, lang="nl", data_dir=str(data), demo=False, open_path=None)
    no_console()  # and no launcher to stand in for them: the app itself must cope
    code, texts = dialog_of(qtbot, lambda: ui_app.run(args))
    assert code == 2
    log = data / "wijkkit.log"
    assert texts == [_("Something unexpected went wrong. Your saved work is safe. Details are in {path}.")
                     .format(path=log)]  # fmt: skip
    written = log.read_text(encoding="utf-8")
    assert "builtins.RuntimeError" in written and "Fatma" not in written
    assert ui_app.single_instance(data) is not None  # the lock was given back


@pytest.mark.parametrize("launched", [False, True], ids=["no-streams", "launcher-null-streams"])
def test_a_report_before_the_data_folder_is_known_goes_to_the_configuration_folder(
        qtbot, tmp_path, monkeypatch, no_console, launched):  # fmt: skip
    """Also after the launcher put the null device in place of the missing streams: "details are in
    stderr" would then point at nothing."""
    monkeypatch.setenv("WIJKKIT_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setattr(errors, "_log_file", None)
    monkeypatch.setattr(errors._logger, "handlers", [])
    no_console()
    if launched:
        wijkkit_launcher.quiet_missing_streams()
    try:
        _code, texts = dialog_of(qtbot, lambda: errors.report(None, ValueError("Fatma Şahin")))
        log = tmp_path / "config" / "wijkkit.log"
        assert str(log) in texts[0]
        assert "builtins.ValueError" in log.read_text(encoding="utf-8")
    finally:
        for handler in list(errors._logger.handlers):
            errors._logger.removeHandler(handler)
            handler.close()


def test_a_file_given_by_the_system_is_opened_once_the_window_shows(qtbot, tmp_path, monkeypatch, demo_file):
    """``wijkkit.exe "C:\\...\\avond.wijksync"``: the app starts and hands the file to ui/open_file.py."""
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(demo_file, data / paths.DATABASE_NAME)
    given = tmp_path / "avond.wijksync"
    given.write_bytes(b"x")
    opened: list = []

    def open_given(window, path):
        opened.append((window, path, window.isVisible()))
        QTimer.singleShot(QUIT_AFTER_MS, QApplication.quit)

    monkeypatch.setitem(sys.modules, "ui.open_file", types.SimpleNamespace(open_given=open_given))
    hook = sys.excepthook
    try:
        assert wijkkit_launcher.main([str(given), "--data-dir", str(data)]) == 0
    finally:
        sys.excepthook = hook  # the app's hook would answer a later error in this test with a dialog
    [(window, path, visible)] = opened
    assert path == given and visible
    gone: list[bool] = []
    window.destroyed.connect(lambda: gone.append(True))
    window.close()
    window.deleteLater()  # with it go its timers (the retention check), which would find the kit closed
    qtbot.waitUntil(lambda: bool(gone))
