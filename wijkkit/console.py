"""Standard output and error that can print every name, on every system.

Why this module exists: the command line prints people's names, meeting titles and paths. On
Windows, when its output goes to a pipe or a file (a municipal script running
``wijkkit sessions > meetings.txt``), Python writes in the ANSI code page, cp1252, and a name
with "Ş" or "ğ" stopped the command with UnicodeEncodeError half-way. (A real console is
fine: Python writes to it through the wide-character API.)

``prepare_streams``, called first thing by ``wijkkit.cli.main``, therefore:

- on Windows, when nobody chose an encoding (no PYTHONIOENCODING, no UTF-8 mode) and the
  stream is not a console, switches it to UTF-8: lossless, what RFC 8259 requires of JSON
  exchanged between systems, what PowerShell 7, Excel's import and Python read, and what
  Python itself will do by default from 3.15 on (PEP 686);
- everywhere else where the encoding cannot hold every character (an encoding the user set,
  a legacy console, a non-UTF-8 locale), keeps that encoding and writes what it cannot hold
  as ``\\uXXXX`` escapes (surrogate pairs beyond the BMP): readable, never an error, and inside
  ``--json`` output exactly the JSON escape of the same character, so the JSON stays valid and
  means the same.

A stream that is None (the windowed app has none), not a text stream, or given an error
handler by the user is left alone.
"""

from __future__ import annotations

import codecs
import os
import sys
from typing import TextIO

ESCAPE = "wijkkit.jsonescape"
_WHOLE_UNICODE = {"utf-8", "utf-16", "utf-32", "utf-8-sig", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be",
                  "gb18030"}  # fmt: skip


def _escape(error: UnicodeError) -> tuple[str, int]:
    """``\\uXXXX`` for each character the encoding lacks, as JSON writes it (a pair beyond U+FFFF)."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    escaped = []
    for char in error.object[error.start : error.end]:
        code = ord(char)
        if code > 0xFFFF:
            code -= 0x10000
            escaped.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
        else:
            escaped.append(f"\\u{code:04x}")
    return "".join(escaped), error.end


codecs.register_error(ESCAPE, _escape)


def holds_all_of_unicode(encoding: str | None) -> bool:
    try:
        return codecs.lookup(encoding or "ascii").name in _WHOLE_UNICODE
    except LookupError:
        return False


def prepare(stream: TextIO | None, windows: bool) -> None:
    """Make ``stream`` able to write any text (see the module docstring)."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is None or holds_all_of_unicode(getattr(stream, "encoding", None)):
        return
    if getattr(stream, "errors", "strict") != "strict":
        return  # the user chose what happens to what the encoding lacks (PYTHONIOENCODING=cp1252:replace)
    try:
        chosen = bool(os.environ.get("PYTHONIOENCODING")) or sys.flags.utf8_mode
        if windows and not chosen and not stream.isatty():
            reconfigure(encoding="utf-8", errors="backslashreplace")  # lone surrogates only
        else:
            reconfigure(errors=ESCAPE)
    except (OSError, ValueError):  # a closed or detached stream: printing fails the same way without us
        pass


def prepare_streams(windows: bool = sys.platform == "win32") -> None:
    """Prepare ``sys.stdout`` and ``sys.stderr``; call before the first print."""
    prepare(sys.stdout, windows)
    prepare(sys.stderr, windows)
