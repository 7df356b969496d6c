"""Writing a file so that no reader ever sees half of it, and a failure leaves no trace.

Bundles, handouts, exports and templates all end up on USB sticks and in synced folders,
where a half-written file is worse than none. The bytes go to a temporary name beside the
target, are flushed to disk (fsync), and only then renamed over the target; a failure
removes the temporary file and leaves an earlier version of the target as it was.

On Windows a virus scanner, OneDrive, Syncthing or the search indexer holds a new file for
a moment, and Acrobat or Excel holds the one they show: opening the temporary file or
renaming over the target then fails with "access denied" (winerror 5) or "in use by another
process" (winerror 32). Those steps are tried again a few times with a short, growing pause
(about a second in all); a file still held after that is ``FileInUseError``, whose message
asks the user to close it in the other program. (Windows says "access denied" also for a
read-only file or folder: that stays a plain PermissionError.) Other systems do not hold
files this way, so a PermissionError there is a real one and is raised at once.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from wijkkit.errors import FileInUseError

HELD = frozenset({5, 32})  # Windows: ERROR_ACCESS_DENIED, ERROR_SHARING_VIOLATION
PAUSES = (0.02, 0.05, 0.1, 0.15, 0.25, 0.4)  # seconds between tries: 0.97 s in all

T = TypeVar("T")


def held(error: OSError) -> bool:
    """Whether ``error`` says another program holds the file for now (Windows only)."""
    return isinstance(error, PermissionError) and getattr(error, "winerror", None) in HELD


def patiently(step: Callable[[], T], pauses: tuple[float, ...] = PAUSES) -> T:
    """``step()``, tried again after each pause while the file it touches is held."""
    for pause in pauses:
        try:
            return step()
        except OSError as error:
            if not held(error):
                raise
        time.sleep(pause)
    return step()


def replace(source: str | Path, target: str | Path) -> None:
    """``os.replace``, waiting a moment for a program that holds ``source`` or ``target``."""
    patiently(lambda: os.replace(source, target))


def write_atomically(path: str | Path, data: bytes, temporary: str | None = None, private: bool = False) -> Path:
    """Write ``data`` to ``path`` whole or not at all; ``temporary`` names the file in between
    (default: ``<name>.part``). ``private``: only this user may read it (mode 0600 from the start).
    A target another program keeps holding raises ``FileInUseError``, and is left as it was."""
    path = Path(path)
    tmp = path.with_name(temporary or path.name + ".part")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
    try:
        handle = patiently(lambda: os.open(tmp, flags, 0o600 if private else 0o666))
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        replace(tmp, path)
    except OSError as error:
        _remove(tmp)
        if held(error) and path.exists() and os.access(path, os.W_OK):  # not a read-only file or folder
            raise FileInUseError(path=str(path)) from error
        raise
    except BaseException:
        _remove(tmp)
        raise
    return path


def _remove(tmp: Path) -> None:
    """Remove the temporary file; one a scanner still holds is left: nothing reads a ``.part`` file as the
    target, and the next save of the same file writes over it."""
    try:
        patiently(lambda: tmp.unlink(missing_ok=True))
    except OSError:
        pass
