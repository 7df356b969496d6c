"""Portable mode keeps Qt's settings on the stick (issue 15, problem 6).

With a ``wijkkit-data`` folder beside the executable, window geometry, last folders and sync
folders go to an ini file in that folder, not to the registry (Windows), ~/Library (macOS) or
~/.config (Linux). The frozen bundle is pretended (``sys.frozen``, ``sys.executable``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from PySide6.QtCore import QSettings

from wijkkit import paths

from ui import app as ui_app

INI, USER = QSettings.Format.IniFormat, QSettings.Scope.UserScope


@pytest.fixture
def restored_settings():
    """Qt's settings format and ini folder put back for the other tests."""
    usual = Path(QSettings(INI, USER, "Wijkkit", "Wijkkit").fileName()).parent.parent
    fmt = QSettings.defaultFormat()
    yield
    QSettings.setDefaultFormat(fmt)
    QSettings.setPath(INI, USER, str(usual))


def test_portable_mode_keeps_the_settings_beside_the_data(qtbot, tmp_path, monkeypatch, restored_settings):
    stick = tmp_path / "USB-STICK" / "Wijkkit"
    (stick / paths.PORTABLE_FOLDER).mkdir(parents=True)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(stick / "wijkkit.exe"))
    ui_app.make_application("nl")
    settings = QSettings()
    expected = (stick / paths.PORTABLE_FOLDER).resolve() / "Wijkkit" / "Wijkkit.ini"
    assert Path(settings.fileName()) == expected
    settings.setValue("sync/outbox", "E:/uitwisseling")
    settings.sync()
    assert "uitwisseling" in expected.read_text(encoding="utf-8")


def test_without_a_portable_folder_the_settings_stay_where_they_were(qtbot, restored_settings):
    before = QSettings().fileName()
    ui_app.make_application("nl")
    assert QSettings().fileName() == before
