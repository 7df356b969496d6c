"""Where Wijkkit keeps its database.

In order of precedence: ``--data-dir``, ``$WIJKKIT_DATA_DIR``, portable mode
(a folder ``wijkkit-data`` beside the executable, for running from a USB stick),
and otherwise the platform's user data folder (platformdirs).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

DATABASE_NAME = "wijkkit.sqlite"
PORTABLE_FOLDER = "wijkkit-data"


def portable_dir() -> Path | None:
    """The portable data folder, when Wijkkit runs as a bundle that has one beside it."""
    if not getattr(sys, "frozen", False):
        return None
    candidate = Path(sys.executable).resolve().parent / PORTABLE_FOLDER
    return candidate if candidate.is_dir() else None


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get("WIJKKIT_DATA_DIR")
    if from_env:
        return Path(from_env).expanduser()
    import platformdirs  # only here: most starts name the data dir, and this import costs

    return portable_dir() or Path(platformdirs.user_data_dir("wijkkit", appauthor=False))


def database_path(explicit_dir: str | os.PathLike[str] | None = None) -> Path:
    return data_dir(explicit_dir) / DATABASE_NAME
