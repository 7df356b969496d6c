"""Where Wijkkit keeps its database, and its database keys.

In order of precedence: ``--data-dir``, ``$WIJKKIT_DATA_DIR``, portable mode
(a folder ``wijkkit-data`` beside the executable, or beside ``Wijkkit.app`` on macOS,
for running from a USB stick),
and otherwise the platform's user data folder (platformdirs). Keys that have no
OS keystore live in the user's configuration folder (``$WIJKKIT_CONFIG_DIR`` or
platformdirs), never beside the database. On Linux and macOS the folders we make
are 0700 and our files 0600: residents' data is for this user only.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from wijkkit.errors import KitError
from wijkkit.i18n import N_

DATABASE_NAME = "wijkkit.sqlite"
PORTABLE_FOLDER = "wijkkit-data"


def portable_dir() -> Path | None:
    """The portable data folder, when Wijkkit runs as a bundle that has one beside it.

    Beside the executable on Windows and Linux; on macOS beside ``Wijkkit.app``, since the
    executable sits inside the signed app (``Wijkkit.app/Contents/MacOS/``), where nothing may
    be added. (A downloaded app that was never moved with the Finder runs from a hidden
    read-only copy, macOS's "App Translocation", and does not see the folder beside it.)
    """
    if not getattr(sys, "frozen", False):
        return None
    executable = Path(sys.executable).resolve()
    beside = executable.parent
    if sys.platform == "darwin":
        bundle = next((p for p in executable.parents if p.suffix == ".app"), None)
        if bundle is not None:
            beside = bundle.parent
    candidate = beside / PORTABLE_FOLDER
    return candidate if candidate.is_dir() else None


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get("WIJKKIT_DATA_DIR")
    if from_env:
        return Path(from_env).expanduser()
    import platformdirs  # only here: most starts name the data dir, and this import costs

    return portable_dir() or Path(platformdirs.user_data_dir("wijkkit", appauthor=False))


def config_dir() -> Path:
    """The user's configuration folder for Wijkkit (the key files live in it)."""
    from_env = os.environ.get("WIJKKIT_CONFIG_DIR")
    if from_env:
        return Path(from_env).expanduser()
    import platformdirs

    # roaming: on Windows the Roaming profile, not the Local folder that holds the database
    return Path(platformdirs.user_config_dir("wijkkit", appauthor=False, roaming=True))


def private_folder(path: Path) -> Path:
    """Make ``path`` (and missing parents) and keep it to this user (0700 on Linux and macOS)."""
    path.mkdir(parents=True, exist_ok=True)
    if os.name != "nt":
        os.chmod(path, 0o700)
    return path


class ReadOnlyFolderError(KitError):
    """The data folder cannot be made or written to: read-only media, or another user's folder."""

    template = N_("The folder {folder} is read-only: Wijkkit cannot save anything in it. Choose another folder "
                  "(with --data-dir) or ask whoever manages this computer for permission to write in it.")  # fmt: skip


def writable_folder(path: Path) -> Path:
    """``path`` made private (see ``private_folder``), or ``ReadOnlyFolderError`` when it cannot be made or a
    file cannot be created in it (``os.access`` is not enough: it says yes on read-only media on Windows)."""
    try:
        private_folder(path)
        with open(path / ".wijkkit-write-test", "wb"):
            pass
        (path / ".wijkkit-write-test").unlink()
    except OSError as exc:
        raise ReadOnlyFolderError(folder=str(path)) from exc
    return path


def make_private(path: Path) -> None:
    """Keep an existing file to this user (0600 on Linux and macOS; Windows uses the profile's ACL)."""
    if os.name != "nt" and path.exists():
        os.chmod(path, 0o600)


def touch_private(path: Path) -> None:
    """Create ``path`` empty with mode 0600 unless it exists: SQLite then gives its -wal and -shm
    the same mode."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass


def database_path(explicit_dir: str | os.PathLike[str] | None = None) -> Path:
    return data_dir(explicit_dir) / DATABASE_NAME
