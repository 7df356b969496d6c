"""A lock left by Wijkkit on another computer (issue 15, problem 5).

QLockFile checks whether a lock's process still runs only on the computer that wrote it; with
a stale time of 0 a lock written elsewhere was refused for ever, so after laptop A crashed (or
its USB stick was pulled out) laptop B could never open the data. Now the user is asked, with
the other computer's name and the time of the lock, and may take it over. Qt's lock file is
text: the process id, the program's name and the host name, one a line; the test writes one
by hand with another host name.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from datetime import datetime

import pytest

from PySide6.QtCore import QSysInfo, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.ui.modal import answer_modal
from wijkkit import paths
from wijkkit.i18n import _

from ui import app as ui_app

OTHER_HOST = "laptop-wijkteam-2"
CRASHED_AT = datetime(2026, 12, 3, 14, 5)


@pytest.fixture
def data(tmp_path):
    """A data folder whose lock Wijkkit on another computer left behind at 14:05."""
    folder = paths.private_folder(tmp_path / "wijkkit-data")
    lock = folder / "wijkkit.lock"
    lock.write_text(f"4242\nwijkkit\n{OTHER_HOST}\n", encoding="utf-8")
    os.utime(lock, (CRASHED_AT.timestamp(), CRASHED_AT.timestamp()))
    ui_app.make_application("nl")
    return folder


def take_over_button(box: QMessageBox):
    [button] = [b for b in box.buttons() if b.text() == _("Take over and open")]
    return button


def test_the_lock_of_another_computer_is_offered_and_taken_over(qtbot, data):
    seen: list[str] = []

    def answer(box):
        seen.append((box.text(), box.informativeText()))
        qtbot.mouseClick(take_over_button(box), Qt.LeftButton)

    lock = answer_modal(lambda: ui_app.single_instance(data), answer)
    try:
        assert lock is not None and lock.isLocked()
        assert (data / "wijkkit.lock").read_text(encoding="utf-8").split("\n")[0] == str(os.getpid())
    finally:
        lock.unlock()
    [(text, risk)] = seen
    assert OTHER_HOST in text and str(data) in text and "3 december 2026 14:05" in text
    assert text == _("The data in {folder} is still marked as open on another computer, {host}, since {time}.").format(
        folder=data, host=OTHER_HOST, time="3 december 2026 14:05")
    assert risk == _("That happens when Wijkkit was not closed there: after a crash, or when the USB stick was "
                     "pulled out. Only take over when Wijkkit is really closed on that computer: two copies at "
                     "once could overwrite each other's work.")  # fmt: skip


def test_escape_keeps_the_lock_and_the_app_does_not_start(qtbot, data, capsys):
    before = (data / "wijkkit.lock").read_bytes()

    def answer(box):
        assert box.defaultButton() is not take_over_button(box)  # Enter would not take over either
        qtbot.keyClick(box, Qt.Key_Escape)

    args = argparse.Namespace(smoke_test=False, lang="nl", data_dir=str(data), demo=False, open_path=None)
    assert answer_modal(lambda: ui_app.run(args), answer) == 2
    assert (data / "wijkkit.lock").read_bytes() == before
    assert f"error: the data in {data} is in use by Wijkkit on {OTHER_HOST}" in capsys.readouterr().err
    assert not (data / paths.DATABASE_NAME).exists()


def test_a_lock_left_on_this_computer_is_still_taken_over_without_a_question(qtbot, tmp_path):
    folder = paths.private_folder(tmp_path / "data")
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # a process id that no longer runs, as after a crash
    program = os.path.basename(os.path.realpath(sys.executable))
    (folder / "wijkkit.lock").write_text(f"{gone.pid}\n{program}\n{QSysInfo.machineHostName()}\n", encoding="utf-8")
    ui_app.make_application("nl")
    lock = ui_app.single_instance(folder)
    assert lock is not None and QApplication.activeModalWidget() is None
    lock.unlock()


def test_another_computer_with_the_same_name_is_told_apart_by_its_machine_id(qtbot, data):
    """Qt writes the machine's id after the host name; two laptops both called "LAPTOP" differ there."""
    (data / "wijkkit.lock").write_text(f"4242\nwijkkit\n{QSysInfo.machineHostName()}\nanother-machine-id\n\n",
                                       encoding="utf-8")  # fmt: skip
    seen: list[str] = []

    def answer(box):
        seen.append(box.text())
        qtbot.keyClick(box, Qt.Key_Escape)

    with pytest.raises(ui_app.HeldElsewhere):
        answer_modal(lambda: ui_app.single_instance(data), answer)
    assert QSysInfo.machineHostName() in seen[0]


def test_an_empty_lock_file_is_offered_too(qtbot, data):
    """A stick pulled out while the lock was written leaves it empty: Qt would refuse it for ever."""
    (data / "wijkkit.lock").write_bytes(b"")
    seen: list[str] = []

    def answer(box):
        seen.append(box.text())
        qtbot.mouseClick(take_over_button(box), Qt.LeftButton)

    lock = answer_modal(lambda: ui_app.single_instance(data), answer)
    assert lock is not None
    lock.unlock()
    assert "beschadigd" in seen[0] and "andere computer" not in seen[0]  # no computer named that is not known


def test_a_copy_running_on_this_computer_is_still_already_open(qtbot, tmp_path):
    first = ui_app.single_instance(tmp_path / "data")
    try:
        assert ui_app.single_instance(tmp_path / "data") is None  # no question: Qt knows it runs
    finally:
        first.unlock()
