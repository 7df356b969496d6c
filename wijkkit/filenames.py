"""File names made from what people type, so that they work on Windows, macOS and Linux.

A meeting called "Wijk 3: wat nu?" or a resident named "Con" becomes the suggested name
of a calendar file or an inzage PDF. Windows refuses ``: / \\ ? * " < > |`` and control
characters, silently drops trailing dots and spaces, and keeps names like CON, NUL or
COM1 (also "con.txt") for devices; a leading dot hides a file on macOS and Linux, and
Linux allows at most 255 bytes per name. ``safe_name`` cleans all of that and keeps the
rest of the text as typed: accents and other scripts stay (in Unicode NFC, as macOS and
Windows expect). Bidirectional control characters go too, so that a name cannot show
its extension in a misleading order.

``fresh_path`` and ``remove_older`` serve copies handed to another program (the PDF
viewer): each gets a name of its own, so one still open there is never written over.
"""

from __future__ import annotations

import time
import unicodedata
from pathlib import Path

BAD = '<>:"/\\|?*'
BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
DEVICES = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"{port}{n}" for port in ("COM", "LPT") for n in "0123456789\u00b9\u00b2\u00b3"]
)
MAX_CHARACTERS = 120
MAX_BYTES = 180  # UTF-8; room left for an extension, " (2)" and ".part" within Linux's 255
JOINERS = frozenset("\u200d\u034f")  # zero width joiner, combining grapheme joiner


def safe_name(text: str, fallback: str = "wijkkit") -> str:
    """``text`` as a file name (without a folder) that every system accepts; ``fallback`` when
    nothing usable is left. The caller adds the extension."""
    name = _clean(text)
    if not name:
        name = _clean(fallback) or "wijkkit"
    if reserved(name):
        name = _shorten("_" + name)
    return name


def reserved(name: str) -> bool:
    """Whether Windows keeps ``name`` for a device: CON, NUL, COM1 ..., also with an extension."""
    return name.split(".", 1)[0].rstrip(" ").upper() in DEVICES


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", str(text))
    kept = "".join(" " if ch in BAD or _invisible(ch) else ch for ch in text)
    return _shorten(" ".join(kept.split()).strip(" ."))


def _invisible(ch: str) -> bool:
    """Control characters (also lone surrogates, which no file system can store) and bidi controls."""
    return unicodedata.category(ch) in ("Cc", "Cs") or ch in BIDI


def _shorten(name: str) -> str:
    """At most MAX_CHARACTERS and MAX_BYTES, never cutting a letter from its accents or a joined emoji."""
    cut = min(len(name), MAX_CHARACTERS)
    while cut and len(name[:cut].encode("utf-8", "surrogatepass")) > MAX_BYTES:
        cut -= 1
    if cut < len(name):
        while cut and (_attached(name[cut]) or name[cut - 1] in JOINERS):
            cut -= 1
    return name[:cut].rstrip(" .")


def _attached(ch: str) -> bool:
    """A combining mark, variation selector or joiner: part of the character before it."""
    return unicodedata.category(ch) in ("Mn", "Mc", "Me") or ch in JOINERS or "\ufe00" <= ch <= "\ufe0f"


def fresh_path(folder: Path, stem: str, suffix: str) -> Path:
    """``folder/stem+suffix``, or ``stem (2)+suffix`` ... when that name is taken."""
    candidate, number = Path(folder) / f"{stem}{suffix}", 1
    while candidate.exists():
        number += 1
        candidate = Path(folder) / f"{stem} ({number}){suffix}"
    return candidate


def remove_older(folder: Path, seconds: float, now: float | None = None) -> list[Path]:
    """Remove the files in ``folder`` last written more than ``seconds`` ago; a file another
    program still holds (or that is gone already) is left for a next time. Returns those removed."""
    now = time.time() if now is None else now
    removed = []
    for path in Path(folder).iterdir():
        try:
            if path.is_file() and not path.is_symlink() and now - path.stat().st_mtime > seconds:
                path.unlink()
                removed.append(path)
        except OSError:
            continue
    return removed
