"""Shared fixtures. Qt runs offscreen; nothing touches the user's real data or settings."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before any Qt import

from datetime import date  # noqa: E402

import pytest  # noqa: E402

from wijkkit import demo, i18n  # noqa: E402
from wijkkit.kit import Kit  # noqa: E402

DEMO_TODAY = date(2026, 11, 29)


@pytest.fixture(autouse=True)
def _isolated(tmp_path_factory, monkeypatch):
    """Data dir and Qt settings in a temp folder; Dutch, as a user would have it."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("WIJKKIT_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("WIJKKIT_LANG", raising=False)
    i18n.set_language("nl")
    yield
    i18n.set_language("nl")


@pytest.fixture
def kit():
    """An empty Kit in memory."""
    with Kit.memory() as fresh:
        yield fresh


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory):
    """A demo village database made once per test run; copy it before writing."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    demo.create(path, today=DEMO_TODAY)
    return path


@pytest.fixture
def demo_kit(demo_file, tmp_path):
    """A writable copy of the demo village."""
    import shutil

    copy = tmp_path / "wijkkit.sqlite"
    shutil.copy(demo_file, copy)
    with Kit.open(copy) as opened:
        yield opened
