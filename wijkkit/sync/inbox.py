"""Which files in a hub's inbox are worth reading.

The inbox is a shared folder: anyone who can write to it can leave a stranger's bundle,
a damaged file or a gigabyte with the bundle suffix there, and it stays until someone
removes it. So a file refused before its sender was known and trusted is remembered by
name, size and modification time (``_sync_rejected_file``) and not read again on every
merge; a file that changes (new size or time) is read afresh, and entries whose file has
gone are forgotten, so the table does not grow forever.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from wijkkit.sync.bundle import CANNOT_READ, NO_ROOM, BundleError, is_bundle_name

if TYPE_CHECKING:
    from wijkkit.kit import Kit

REFUSED_BEFORE = "it was refused before"  # for an entry remembered without a reason


def bundles(folder: Path) -> list[Path]:
    """The complete bundles in ``folder``, sorted by name: regular files only (no folders, links,
    pipes or devices) and no hidden, temporary or partial files."""
    with os.scandir(folder) as entries:
        found = [Path(e.path) for e in entries if is_bundle_name(Path(e.name)) and e.is_file(follow_symlinks=False)]
    return sorted(found, key=lambda path: path.name)


def _identity(path: Path) -> tuple[str, int, int] | None:
    """What makes a file the same file: its name, size and modification time; None when it is gone."""
    try:
        info = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    return Path(path).name, info.st_size, info.st_mtime_ns


def remembered(kit: Kit, path: Path) -> str | None:
    """The reason this very file (same name, size and time) was refused before, or None when it
    was not: then it is read."""
    identity = _identity(path)
    if identity is None:
        return None
    row = kit.conn.execute(
        "SELECT reason FROM _sync_rejected_file WHERE name = ? AND size = ? AND mtime_ns = ?", identity
    ).fetchone()
    return None if row is None else row[0] or REFUSED_BEFORE


def lasting(error: BundleError) -> bool:
    """Whether a refusal says something about the file itself, so it is worth remembering; not when
    it says something about this moment (locked by another program, a full temporary folder)."""
    reason = error.params.get("reason")
    return getattr(reason, "template", reason) not in (CANNOT_READ, NO_ROOM)


def remember(kit: Kit, path: Path, reason: str, sha256: str | None = None) -> None:
    """Remember that this file was refused (a stranger's, damaged, too large) and why (in English),
    so the next merges skip it. A file already gone is not remembered."""
    identity = _identity(path)
    if identity is None:
        return
    with kit.transaction():
        kit.conn.execute(
            "INSERT INTO _sync_rejected_file (name, size, mtime_ns, sha256, reason, at) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (name, size, mtime_ns) DO UPDATE SET sha256 = excluded.sha256, reason = excluded.reason, "
            "at = excluded.at",
            [*identity, sha256, reason, datetime.now().isoformat(timespec="seconds")],
        )


def forget_missing(kit: Kit, folder: Path) -> int:
    """Forget the refused files that are no longer in ``folder`` as they were (removed, or changed
    and so read afresh anyway); how many were forgotten."""
    rows = kit.conn.execute("SELECT name, size, mtime_ns FROM _sync_rejected_file").fetchall()
    gone = [row for row in rows if _identity(Path(folder) / row[0]) != tuple(row)]
    if gone:
        with kit.transaction():
            kit.conn.executemany("DELETE FROM _sync_rejected_file WHERE name = ? AND size = ? AND mtime_ns = ?", gone)
    return len(gone)
