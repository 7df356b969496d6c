"""Where the database lives: --data-dir, then $WIJKKIT_DATA_DIR, then portable mode, then platformdirs."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs
import pytest

from wijkkit import paths

PLATFORM_CALLS: list[tuple] = []


@pytest.fixture
def platform_dir(tmp_path, monkeypatch) -> Path:
    """platformdirs answers with a folder of our own; its arguments land in PLATFORM_CALLS."""
    answer = tmp_path / "platform" / "wijkkit"
    PLATFORM_CALLS.clear()

    def user_data_dir(appname=None, appauthor=None, *args, **kwargs):
        PLATFORM_CALLS.append((appname, appauthor))
        return str(answer)

    monkeypatch.setattr(platformdirs, "user_data_dir", user_data_dir)
    return answer


@pytest.fixture
def bundle(tmp_path, monkeypatch) -> Path:
    """Pretend to run as a frozen bundle with a portable data folder beside the executable."""
    folder = tmp_path / "stick" / "Wijkkit"
    (folder / paths.PORTABLE_FOLDER).mkdir(parents=True)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(folder / "wijkkit"))
    return folder / paths.PORTABLE_FOLDER


def test_explicit_data_dir_beats_the_environment(tmp_path, monkeypatch, platform_dir):
    monkeypatch.setenv("WIJKKIT_DATA_DIR", str(tmp_path / "from-env"))
    assert paths.data_dir(tmp_path / "explicit") == tmp_path / "explicit"
    assert paths.data_dir(str(tmp_path / "explicit")) == tmp_path / "explicit"
    assert paths.database_path(tmp_path / "explicit") == tmp_path / "explicit" / "wijkkit.sqlite"


def test_environment_beats_platformdirs(tmp_path, monkeypatch, platform_dir):
    monkeypatch.setenv("WIJKKIT_DATA_DIR", str(tmp_path / "from-env"))
    assert paths.data_dir() == tmp_path / "from-env"
    assert paths.data_dir(None) == tmp_path / "from-env"
    assert paths.data_dir("") == tmp_path / "from-env", "an empty --data-dir is no choice"
    assert paths.database_path() == tmp_path / "from-env" / paths.DATABASE_NAME


@pytest.mark.parametrize("unset", ["missing", "empty"])
def test_without_a_choice_platformdirs_decides(monkeypatch, platform_dir, unset):
    if unset == "missing":
        monkeypatch.delenv("WIJKKIT_DATA_DIR", raising=False)
    else:
        monkeypatch.setenv("WIJKKIT_DATA_DIR", "")
    assert paths.data_dir() == platform_dir
    assert PLATFORM_CALLS == [("wijkkit", False)]
    assert paths.database_path() == platform_dir / "wijkkit.sqlite"


def test_the_real_platformdirs_folder_is_used_unchanged(monkeypatch):
    monkeypatch.delenv("WIJKKIT_DATA_DIR", raising=False)
    assert paths.data_dir() == Path(platformdirs.user_data_dir("wijkkit", appauthor=False))


def test_a_tilde_is_expanded(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert paths.data_dir("~/wijkdata") == tmp_path / "wijkdata"
    monkeypatch.setenv("WIJKKIT_DATA_DIR", "~/envdata")
    assert paths.data_dir() == tmp_path / "envdata"


def test_portable_folder_beats_platformdirs_but_not_the_environment_or_the_flag(tmp_path, monkeypatch, bundle, platform_dir):
    monkeypatch.delenv("WIJKKIT_DATA_DIR", raising=False)
    assert paths.portable_dir() == bundle.resolve()
    assert paths.data_dir() == bundle.resolve()
    monkeypatch.setenv("WIJKKIT_DATA_DIR", str(tmp_path / "from-env"))
    assert paths.data_dir() == tmp_path / "from-env"
    assert paths.data_dir(tmp_path / "explicit") == tmp_path / "explicit"


def test_no_portable_mode_without_the_folder_or_outside_a_bundle(monkeypatch, bundle, platform_dir):
    monkeypatch.delenv("WIJKKIT_DATA_DIR", raising=False)
    bundle.rmdir()
    assert paths.portable_dir() is None
    assert paths.data_dir() == platform_dir
    bundle.mkdir()
    monkeypatch.setattr(sys, "frozen", False)
    assert paths.portable_dir() is None
    assert paths.data_dir() == platform_dir
