"""Row ids: UUIDv7 as text.

Version 7 UUIDs start with the creation time in milliseconds, so ids sort
roughly by age (good for SQLite's b-trees) and replicas never need to agree on
a counter. Python 3.11's uuid module has no uuid7 yet, hence this small maker.
"""

from __future__ import annotations

import os
import re
import time

_last_ms = 0
_seq = 0


def new_id(now_ms: int | None = None) -> str:
    """A new UUIDv7 string; ids made in one process are strictly increasing."""
    global _last_ms, _seq
    ms = int(time.time() * 1000) if now_ms is None else now_ms
    if ms <= _last_ms:
        ms = _last_ms
        _seq += 1
        if _seq >= 1 << 12:  # 12 bits of sequence used up within one ms: borrow the next ms
            ms, _seq = ms + 1, 0
    else:
        _seq = 0
    _last_ms = ms
    rand = int.from_bytes(os.urandom(8), "big")
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= _seq << 64
    value |= 0b10 << 62
    value |= rand & ((1 << 62) - 1)
    import uuid  # here: with it comes ``platform``, which the app's start does without

    return str(uuid.UUID(int=value))


# -- one pattern per kind of id, checked wherever an id enters (bundles, key files, JSON, the CLI) --

_ROW_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_REPLICA_ID = re.compile(r"[0-9a-f]{16}")
_BUNDLE_ID = re.compile(r"([0-9a-f]{16})-[0-9a-z]{1,32}")


def is_row_id(value: object) -> bool:
    """A row id as this module makes them: a UUID in lowercase hex with dashes."""
    return isinstance(value, str) and _ROW_ID.fullmatch(value) is not None


def is_replica_id(value: object) -> bool:
    """A database's replica id: 16 lowercase hex digits (safe as a folder name on every system)."""
    return isinstance(value, str) and _REPLICA_ID.fullmatch(value) is not None


def is_bundle_id(value: object, sender: str | None = None) -> bool:
    """A bundle id: its sender's replica id, a dash, then up to 32 lowercase letters or digits."""
    found = _BUNDLE_ID.fullmatch(value) if isinstance(value, str) else None
    return found is not None and (sender is None or found.group(1) == sender)
