"""A data folder Wijkkit cannot write to is reported as read-only, not as "already open" (issue 14, 6).

The tests run as root on CI, where chmod does not stop writes: the two ways a folder refuses
(its lock file cannot be made; the folder itself cannot be made) are simulated where the
operating system would refuse, so the check behaves the same for every user.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from PySide6.QtCore import QLockFile
from PySide6.QtWidgets import QMessageBox

from wijkkit import paths

from ui import app as ui_app


class ReadOnlyLock(QLockFile):
    """A lock file on a folder the OS will not write to."""

    def tryLock(self, timeout: int = 0) -> bool:  # noqa: N802
        return False

    def error(self):
        return QLockFile.LockError.PermissionError


def refuse_new_folders(monkeypatch) -> None:
    real = Path.mkdir

    def mkdir(self, *args, **kwargs):
        if self.name == "data":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", mkdir)


@pytest.mark.parametrize("how", ["lock", "folder", "below a file"])
def test_a_read_only_data_folder_says_so_in_dutch_and_in_english(tmp_path, monkeypatch, capsys, how):
    data = tmp_path / "data"
    if how == "below a file":  # refused to root as well
        (tmp_path / "stick").write_text("a file, not a folder", encoding="utf-8")
        data = tmp_path / "stick" / "data"
    elif how == "lock":
        data.mkdir()
        monkeypatch.setattr(ui_app, "QLockFile", ReadOnlyLock)
    else:
        refuse_new_folders(monkeypatch)
    shown: list[str] = []
    for kind in ("warning", "critical"):
        monkeypatch.setattr(QMessageBox, kind, lambda parent, title, text: shown.append(text))
    args = argparse.Namespace(smoke_test=False, lang="nl", data_dir=str(data), demo=False)
    assert ui_app.run(args) == 2
    assert shown == [paths.ReadOnlyFolderError(folder=str(data)).localized()]  # Dutch once the .po has it
    assert "al geopend" not in shown[0] and "already open" not in shown[0]
    err = capsys.readouterr().err
    assert f"error: The folder {data} is read-only" in err and "already running" not in err
    assert "Traceback" not in err
    assert not (data / "wijkkit.sqlite").exists()


def test_a_writable_folder_still_opens_and_a_second_copy_is_still_refused(tmp_path):
    data = tmp_path / "data"
    first = ui_app.single_instance(data)
    assert first is not None and not list(data.glob(".wijkkit-write-test"))
    assert ui_app.single_instance(data) is None  # another Wijkkit holds it: "already open"
    first.unlock()
