"""A data folder Wijkkit cannot write in is named as such (issue 14, 6): ``paths.writable_folder``
raises ReadOnlyFolderError, with an English message for the command line and a Dutch one for the app.

Root may write anywhere, so the refusal is made real where root is refused too (a folder below a
file) or simulated where the operating system would refuse (a file that cannot be created)."""

from __future__ import annotations

import builtins

import pytest

from wijkkit import i18n, paths


def test_a_folder_that_cannot_be_made_is_read_only(tmp_path):
    (tmp_path / "stick").write_text("a file, not a folder", encoding="utf-8")
    with pytest.raises(paths.ReadOnlyFolderError) as raised:
        paths.writable_folder(tmp_path / "stick" / "data")
    assert raised.value.english().startswith(f"The folder {tmp_path / 'stick' / 'data'} is read-only")


def test_a_folder_where_no_file_can_be_created_is_read_only(tmp_path, monkeypatch):
    real = builtins.open

    def refusing(file, *args, **kwargs):
        if str(file).endswith(".wijkkit-write-test"):
            raise PermissionError(13, "Permission denied", str(file))
        return real(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", refusing)
    with pytest.raises(paths.ReadOnlyFolderError):
        paths.writable_folder(tmp_path)


def test_a_writable_folder_is_left_as_it_was(tmp_path):
    folder = paths.writable_folder(tmp_path / "data")
    assert folder.is_dir() and list(folder.iterdir()) == []


def test_the_message_is_translated(tmp_path):
    i18n.set_language("nl")
    error = paths.ReadOnlyFolderError(folder="E:\\wijkkit")
    assert "E:\\wijkkit" in error.localized()
