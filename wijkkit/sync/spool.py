"""Decrypted payloads in temporary files, and the file streams pyrage reads and writes.

It exists so that a hub never holds a bundle in memory: ``bundle.decrypt`` streams the
ciphertext from the bundle file through ``Stream`` (which limits and hashes what is read)
into a ``Plain`` temporary file, which SQLite then opens read-only. The temporary file is
removed once parsed, on any error, and at the latest when collected or at exit; it is
always closed before it is removed, so this works on Windows too. A process killed while it
merges cannot remove its file: the next one sweeps such leftovers (they hold personal data).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
import weakref
from pathlib import Path
from typing import Any

PREFIX, SUFFIX = "wijkkit-payload-", ".sqlite"
STALE_S = 15 * 60  # a payload file this long untouched belongs to no running merge
_swept: list[str] = []  # temporary folders swept by this process


class Plain:
    """A decrypted payload database in a temporary file. ``bundle.parse`` removes it once read;
    ``close`` does so for a caller that does not parse."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._remove = weakref.finalize(self, _remove_file, path)

    @classmethod
    def create(cls) -> tuple[int, Plain]:
        """A new empty temporary file (only this user may read it): its open handle and itself."""
        folder = tempfile.gettempdir()
        if folder not in _swept:
            _swept.append(folder)
            sweep(Path(folder))
        handle, name = tempfile.mkstemp(prefix=PREFIX, suffix=SUFFIX)
        return handle, cls(Path(name))

    def read_bytes(self) -> bytes:
        return self.path.read_bytes()

    def __bytes__(self) -> bytes:
        return self.read_bytes()

    def close(self) -> None:
        self._remove()

    def __enter__(self) -> Plain:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _remove_file(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:  # still open elsewhere (Windows): the system cleans its temporary folder
        pass


def sweep(folder: Path, older_than: float = STALE_S) -> int:
    """Remove the payload files a killed process left in ``folder``; how many were removed."""
    removed, limit = 0, time.time() - older_than
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        if not (entry.name.startswith(PREFIX) and entry.name.endswith(SUFFIX)):
            continue
        try:
            if entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < limit:
                os.remove(entry.path)
                removed += 1
        except OSError:  # gone already, or still open (Windows)
            continue
    return removed


class Stream:
    """A file seen through ``read``/``write`` for pyrage, which reports any error as its own: this
    keeps the error (to tell a damaged file from a full disk), and limits and hashes what is read."""

    def __init__(self, file: Any, limit: int = 0) -> None:
        self.file, self.left, self.digest, self.error = file, limit, hashlib.sha256(), None

    def read(self, size: int | None = -1) -> bytes:
        try:
            data = self.file.read(self.left if size is None or size < 0 else min(size, self.left))
        except OSError as exc:
            self.error = exc
            raise
        self.left -= len(data)
        self.digest.update(data)
        return data

    def write(self, data: bytes) -> int:
        try:
            return self.file.write(data)
        except OSError as exc:
            self.error = exc
            raise

    def flush(self) -> None:
        self.file.flush()

    def readable(self) -> bool:
        return True

    def writable(self) -> bool:
        return True
