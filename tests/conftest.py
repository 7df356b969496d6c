"""Shared fixtures. Qt runs offscreen; nothing touches the user's real data or settings.

Besides Kits, the demo village and the isolation: villages of a hub and laptops in files
(tests/core/sync_village.py), for the sync tests of the core and of the hub's pages. And the
``only_on`` marker: ``@pytest.mark.only_on("linux", reason="...")`` skips a test, with its reason,
on systems where it cannot run ("linux", "darwin", "win32", or "posix" for Linux and macOS)."""

from __future__ import annotations

import os
import sys

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before any Qt import

from datetime import date  # noqa: E402

import pytest  # noqa: E402

from tests.core.sync_village import Clock, Village  # noqa: E402
from wijkkit import demo, i18n, keystore  # noqa: E402
from wijkkit.kit import Kit  # noqa: E402

DEMO_TODAY = date(2026, 11, 29)


def _runs_on(platform: str) -> bool:
    return os.name == "posix" if platform == "posix" else sys.platform.startswith(platform)


def pytest_collection_modifyitems(config, items):
    """``only_on``: skipped elsewhere, saying where it runs and why; a mark without both is an error."""
    for item in items:
        for mark in item.iter_markers("only_on"):
            platforms, reason = mark.args, mark.kwargs.get("reason", "")
            if not platforms or not reason.strip():
                raise pytest.UsageError(f"{item.nodeid}: only_on needs the platforms and a reason=")
            if not any(_runs_on(platform) for platform in platforms):
                item.add_marker(pytest.mark.skip(reason=f"only on {' or '.join(platforms)}: {reason}"))


@pytest.fixture(scope="session", autouse=True)
def key_folder(tmp_path_factory):
    """The configuration folder holding database keys, one per run, set before any other fixture:
    a database made by a session or module fixture (the demo village, a hub) keeps its key for
    every test and child process, and no test touches the real keys or the OS keystore."""
    folder = tmp_path_factory.mktemp("wijkkit-config")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WIJKKIT_CONFIG_DIR", str(folder))
        patch.setenv("WIJKKIT_KEYSTORE", "file")
        yield folder


@pytest.fixture(autouse=True)
def _isolated(tmp_path_factory, monkeypatch, key_folder):
    """Data dir, Qt settings and database keys in temp folders; Dutch, as a user would have it."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("WIJKKIT_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("WIJKKIT_CONFIG_DIR", str(key_folder))  # database keys: never the real ones
    monkeypatch.setenv("WIJKKIT_KEYSTORE", "file")  # nor the real OS keystore
    monkeypatch.delenv("WIJKKIT_PASSPHRASE", raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("WIJKKIT_LANG", raising=False)
    i18n.set_language("nl")
    yield
    i18n.set_language("nl")
    keystore.configure(prompt=keystore._from_env, wrap_new=False)
    keystore.take_notices()


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


@pytest.fixture(scope="module")
def held_demo(demo_file, tmp_path_factory):
    """A copy of the demo village, in Dutch, shared by one test module that only reads it,
    and the id of its held meeting."""
    import shutil

    from wijkkit import i18n

    i18n.set_language("nl")
    path = tmp_path_factory.mktemp("held-demo") / "demo.sqlite"
    shutil.copy(demo_file, path)
    with Kit.open(path) as opened:
        yield opened, next(s.id for s in opened.sessions.list() if s.status == "held")


@pytest.fixture
def demo_kit(demo_file, tmp_path):
    """A writable copy of the demo village."""
    import shutil

    copy = tmp_path / "wijkkit.sqlite"
    shutil.copy(demo_file, copy)
    with Kit.open(copy) as opened:
        yield opened


@pytest.fixture
def make_village(tmp_path):
    """Villages with chosen laptops and clocks, closed after the test."""
    made: list[Village] = []

    def make(laptops: tuple[str, ...] = ("a", "b"), **offsets: int) -> Village:
        folder = tmp_path / f"village{len(made)}"
        folder.mkdir()
        made.append(Village(folder, laptops, {name: Clock(offset=offsets.get(name, 0)) for name in laptops}))
        return made[-1]

    yield make
    for village in made:
        village.close()


@pytest.fixture
def village(make_village):
    return make_village()
