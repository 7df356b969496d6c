"""Finds the files in resources/ wherever Wijkkit runs from.

Three layouts exist: a source checkout (resources/ beside the package), an
installed package (installed as wijkkit/resources) and the PyInstaller bundle
(resources/ inside the bundle's data folder). Callers ask for a path and never
care which one is in use. The Dutch user guide is found the same way: it is written
in docs/handleiding/ and installed as wijkkit/handleiding or <bundle>/handleiding.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

_HERE = Path(__file__).resolve().parent


@cache
def resources_dir() -> Path:
    candidates = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.append(Path(bundle) / "resources")
    candidates += [_HERE / "resources", _HERE.parent / "resources"]
    for candidate in candidates:
        if (candidate / "templates").is_dir():
            return candidate
    raise FileNotFoundError("Wijkkit's resources folder is missing from this installation")


def resource(*parts: str) -> Path:
    """Path of a file below resources/, e.g. ``resource("templates", "x.json")``."""
    return resources_dir().joinpath(*parts)


@cache
def guide_dir() -> Path | None:
    """The folder of the user guide (index.md, the chapters, img/), or None if not installed."""
    candidates = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.append(Path(bundle) / "handleiding")
    candidates += [_HERE / "handleiding", _HERE.parent / "docs" / "handleiding"]
    return next((c for c in candidates if (c / "index.md").is_file()), None)
