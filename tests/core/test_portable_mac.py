"""Portable mode on macOS (issue 15, problem 6): ``wijkkit-data`` beside ``Wijkkit.app``.

In a macOS app ``sys.executable`` is ``Wijkkit.app/Contents/MacOS/wijkkit``, inside the signed
bundle where nothing may be added; the folder a user puts on the stick sits beside the app.
The frozen bundle and the platform are pretended (monkeypatched ``sys`` attributes).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from wijkkit import paths


def frozen(monkeypatch, executable: Path, platform: str) -> None:
    executable.parent.mkdir(parents=True, exist_ok=True)
    executable.write_bytes(b"")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(executable))
    monkeypatch.setattr(sys, "platform", platform)


def test_beside_the_app_on_macos(tmp_path, monkeypatch):
    stick = tmp_path / "USB-STICK"
    frozen(monkeypatch, stick / "Wijkkit.app" / "Contents" / "MacOS" / "wijkkit", "darwin")
    assert paths.portable_dir() is None
    (stick / paths.PORTABLE_FOLDER).mkdir()
    assert paths.portable_dir() == (stick / paths.PORTABLE_FOLDER).resolve()
    monkeypatch.delenv("WIJKKIT_DATA_DIR", raising=False)
    assert paths.data_dir() == (stick / paths.PORTABLE_FOLDER).resolve()


def test_not_inside_the_app_bundle(tmp_path, monkeypatch):
    """A folder inside Contents/MacOS would break the app's signature: it does not count."""
    macos = tmp_path / "Wijkkit.app" / "Contents" / "MacOS"
    frozen(monkeypatch, macos / "wijkkit", "darwin")
    (macos / paths.PORTABLE_FOLDER).mkdir()
    assert paths.portable_dir() is None


@pytest.mark.parametrize("platform", ["win32", "linux"])
def test_beside_the_executable_elsewhere(tmp_path, monkeypatch, platform):
    folder = tmp_path / "stick" / "Wijkkit"
    frozen(monkeypatch, folder / "wijkkit.exe", platform)
    (folder / paths.PORTABLE_FOLDER).mkdir()
    assert paths.portable_dir() == (folder / paths.PORTABLE_FOLDER).resolve()


def test_a_mac_bundle_without_an_app_folder_looks_beside_the_executable(tmp_path, monkeypatch):
    folder = tmp_path / "dist" / "Wijkkit"
    frozen(monkeypatch, folder / "wijkkit", "darwin")
    (folder / paths.PORTABLE_FOLDER).mkdir()
    assert paths.portable_dir() == (folder / paths.PORTABLE_FOLDER).resolve()
