"""Writing a file so that no reader ever sees half of it, and a failure leaves no trace.

Bundles, handouts, exports and templates all end up on USB sticks and in synced folders,
where a half-written file is worse than none. The bytes go to a temporary name beside the
target, are flushed to disk (fsync), and only then renamed over the target; a failure
removes the temporary file and leaves an earlier version of the target as it was.
"""

from __future__ import annotations

import os
from pathlib import Path


def write_atomically(path: str | Path, data: bytes, temporary: str | None = None, private: bool = False) -> Path:
    """Write ``data`` to ``path`` whole or not at all; ``temporary`` names the file in between
    (default: ``<name>.part``). ``private``: only this user may read it (mode 0600 from the start)."""
    path = Path(path)
    tmp = path.with_name(temporary or path.name + ".part")
    try:
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
        with os.fdopen(os.open(tmp, flags, 0o600 if private else 0o666), "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path
