"""Every folder that `pip install` carries is a package of its own in pyproject.toml.

A data folder left out of ``packages`` still gets installed, but setuptools prints a
warning banner for each on `make run`: the first thing a newcomer sees (issue 14, 23).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def _folders(package: str, where: Path) -> set[str]:
    found = set()
    for folder in [where, *(p for p in where.rglob("*") if p.is_dir())]:
        if "__pycache__" in folder.parts or not any(f.is_file() for f in folder.iterdir()):
            continue
        relative = folder.relative_to(where).parts
        found.add(".".join((package, *relative)))
    return found


def test_every_installed_folder_is_a_listed_package():
    config = _config()
    listed = set(config["packages"])
    wanted = _folders("ui", ROOT / "ui") | _folders("wijkkit", ROOT / "wijkkit")
    for package, folder in config["package-dir"].items():
        wanted |= _folders(package, ROOT / folder)
    assert sorted(wanted - listed) == []


def test_data_files_are_declared_where_they_live():
    data = _config()["package-data"]
    for package in ("wijkkit.resources.fonts", "wijkkit.resources.templates",
                    "wijkkit.resources.locale.nl.LC_MESSAGES", "wijkkit.handleiding.img"):
        assert package in data
