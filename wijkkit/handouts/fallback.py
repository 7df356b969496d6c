"""Fonts for what DejaVu Sans lacks: the computer's own fonts, chosen per run of characters.

DejaVu Sans (bundled) prints Latin, Greek, Cyrillic, Arabic and Hebrew names, but a
name in Chinese, Japanese, Korean, Devanagari, Tamil, Thai or Ethiopic, or an
emoji, would come out as empty boxes. Fonts for those scripts take tens of megabytes
and every Windows and macOS computer (and most Linux desktops) already has them. So
the first time a text holds a character DejaVu lacks, the font folders of this
computer are scanned once (only each file's character map is read: ``cmap.py``), and
that text's other characters are printed in a font that has them and that reportlab can
embed (TrueType outlines; OpenType fonts with PostScript outlines, such as Noto CJK,
it cannot). One font for all of a text's other characters where one has them all,
so a Chinese name is not printed half in one font and half in another.

A font for Devanagari, Tamil, Thai and their neighbours is registered as a
``shaping.ShapedFont``, so its words are shaped (with Qt's HarfBuzz, when the app or
the launcher handed it in). Characters no font here has still print as boxes; the
texts holding them are collected while a handout is made (``collecting``), so the app
and the command line can say which names could not be printed (docs/decisions/0022).
"""

from __future__ import annotations

import os
import struct
import sys
import threading
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from wijkkit.handouts.cmap import Face, faces
from wijkkit.handouts.shaping import COMPLEX, SHAPED_PREFIX, ShapedFont, patch_reportlab
from wijkkit.i18n import N_, gettext

SUFFIXES = (".ttf", ".ttc", ".otf", ".otc")
# words in a file name that mark a face we would rather not print a name in, when another has the characters
AVOID = ("serif", "mono", "bold", "italic", "oblique", "light", "thin", "black", "condensed")
_lock = threading.Lock()  # handouts are made on worker threads; reportlab's font registry is global


def font_folders() -> list[Path]:
    """Where this system keeps fonts, the user's own first: Windows, macOS, or the freedesktop folders."""
    home = Path.home()
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA")
        return [*([Path(local) / "Microsoft" / "Windows" / "Fonts"] if local else []),
                Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"]  # fmt: skip
    if sys.platform == "darwin":
        return [home / "Library" / "Fonts", Path("/Library/Fonts"), Path("/System/Library/Fonts"),
                Path("/System/Library/Fonts/Supplemental")]  # fmt: skip
    data_home = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    data_dirs = (os.environ.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share").split(":")
    return [data_home / "fonts", home / ".fonts", *(Path(d) / "fonts" for d in data_dirs if d)]


@cache
def base_chars() -> frozenset[int]:
    """The code points DejaVu Sans (the handouts' own font) has a glyph for."""
    from wijkkit.handouts.style import FONT, register_fonts

    register_fonts()
    return frozenset(pdfmetrics.getFont(FONT).face.charToGlyph)


def printable_in_base(value: str) -> bool:
    base = base_chars()
    return value.isascii() or all(ord(ch) in base or ch in "\n\t" for ch in value)


@cache
def system_faces() -> tuple[Face, ...]:
    """Every face on this computer that reportlab can embed and that has something DejaVu lacks, best first."""
    base = base_chars()
    found: list[Face] = []
    seen: set[str] = set()
    for folder in font_folders():
        try:
            files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in SUFFIXES)
        except OSError:
            continue
        for path in files:
            key = os.path.normcase(str(path.resolve()))
            if key in seen:
                continue
            seen.add(key)
            try:
                found += [f for f in faces(path) if f.outlines == "glyf" and _adds(f, base)]
            except (OSError, struct.error, ValueError, IndexError, OverflowError, MemoryError):
                continue  # not a font, or one we cannot read: others will do
    return tuple(sorted(found, key=_rank))


def _adds(face: Face, base: frozenset[int]) -> bool:
    return any(code not in base for first, last in zip(face.starts, face.ends, strict=True)
               for code in range(first, last + 1))


def _rank(face: Face) -> tuple[int, int, str, int]:
    name = face.path.name.lower()
    return sum(word in name for word in AVOID), face.size, name, face.index


_usable: dict[tuple[Path, int], str | None] = {}


def registered(face: Face) -> str | None:
    """The reportlab name of ``face``, registered on first use; None if reportlab cannot use it."""
    key = (face.path, face.index)
    with _lock:
        if key not in _usable:
            shaped = any(face.covers_range(first, last) for first, last in COMPLEX)
            name = f"{SHAPED_PREFIX if shaped else 'WijkFallback'}{len(_usable)}"
            try:  # a restricted licence, a damaged file: reportlab says so, and another font is tried
                if shaped:
                    patch_reportlab()
                    pdfmetrics.registerFont(ShapedFont(name, str(face.path), face.index))
                else:
                    pdfmetrics.registerFont(TTFont(name, str(face.path), subfontIndex=face.index))
            except Exception:  # noqa: BLE001 - any file reportlab cannot read is one font less, never a failed handout
                name = None
            _usable[key] = name
        return _usable[key]


def _face_for(chars: set[str] | str) -> tuple[Face, str] | None:
    for face in system_faces():
        if face.covers(chars):
            name = registered(face)
            if name:
                return face, name
    return None


def runs(value: str) -> list[tuple[str | None, str]]:
    """``value`` split into (font, characters) runs: None for DejaVu (and for what no font has)."""
    base = base_chars()
    others = {ch for ch in value if ord(ch) not in base and ch not in "\n\t"}
    if not others:
        return [(None, value)]
    whole = _face_for(others)
    out: list[tuple[str | None, str]] = []
    current: tuple[Face, str] | None = whole
    missing: set[str] = set()
    for ch in value:
        font = None
        if ch in others:
            if current is None or not current[0].has(ch):
                current = _face_for(ch)
            if current is None:
                missing.add(ch)
            else:
                font = current[1]
        if out and out[-1][0] == font:
            out[-1] = (font, out[-1][1] + ch)
        else:
            out.append((font, ch))
    if missing:
        _note(value, missing)
    return out


def markup(value: str) -> str:
    """``value`` escaped for a Paragraph, with each run DejaVu lacks in a font that has it."""
    if printable_in_base(value):
        return escape(value)
    return "".join(escape(part) if font is None else f'<font name="{font}">{escape(part)}</font>'
                   for font, part in runs(value))  # fmt: skip


def draw_string(canvas, x: float, y: float, value: str, font: str, size: float) -> None:  # noqa: ANN001 - reportlab's
    """``value`` (already in display order) drawn from ``x``, each run in a font that has it."""
    if printable_in_base(value):
        canvas.drawString(x, y, value)
        return
    for run_font, part in runs(value):
        canvas.setFont(run_font or font, size)
        canvas.drawString(x, y, part)
        x += pdfmetrics.stringWidth(part, run_font or font, size)
    canvas.setFont(font, size)


def check_single_font(value: str) -> None:
    """Note the characters of ``value`` that DejaVu lacks, for text drawn in DejaVu alone (a chart label)."""
    if not printable_in_base(value):
        base = base_chars()
        _note(value, {ch for ch in value if ord(ch) not in base and ch not in "\n\t"})


@dataclass
class Gaps:
    """The texts of one handout that hold characters no font could print, with those characters."""

    texts: dict[str, set[str]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.texts)

    def describe(self, limit: int = 3, english: bool = False) -> str:
        """A sentence naming the texts (the first ``limit``) and their characters as code points;
        in the app's language, or in English for the command line."""
        say = (lambda message: message) if english else gettext
        shown = [f"{_short(text)} ({', '.join(f'U+{ord(ch):04X}' for ch in sorted(chars))})"
                 for text, chars in list(self.texts.items())[:limit]]  # fmt: skip
        more = len(self.texts) - len(shown)
        listed = "; ".join(shown) + (say(AND_MORE).format(n=more) if more > 0 else "")
        return say(NOT_PRINTED).format(texts=listed)


AND_MORE = N_(" and {n} more")
NOT_PRINTED = N_("Not everything could be printed: no font on this computer has the characters of {texts}. "
                 "They print as empty boxes. Install a font for that script and make the document again.")


def _short(text: str, length: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


_gaps: ContextVar[Gaps | None] = ContextVar("wijkkit_handout_gaps", default=None)


@contextmanager
def collecting() -> Iterator[Gaps]:
    """Collects, while a handout is made on this thread, what could not be printed."""
    gaps = Gaps()
    token = _gaps.set(gaps)
    try:
        yield gaps
    finally:
        _gaps.reset(token)


def _note(value: str, chars: set[str]) -> None:
    gaps = _gaps.get()
    if gaps is not None:
        visible = {ch for ch in chars if not unicodedata.category(ch).startswith(("Z", "C"))}
        if visible:
            gaps.texts.setdefault(unicodedata.normalize("NFC", value), set()).update(visible)
