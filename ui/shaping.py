"""Qt's HarfBuzz as the handouts' text shaper: glyphs and positions for Devanagari, Tamil, Thai and the like.

The core prints handouts with reportlab, which needs uharfbuzz to shape and the bundle
has no room for it; Qt already carries HarfBuzz. ``shape`` lays a word out with
QTextLayout in exactly the font file reportlab embeds (loaded as an application font,
without Qt's own fallback to other fonts) and returns the glyph ids and positions in
units of 1/1000 em, as wijkkit/handouts/shaping.py expects. ``install`` hands it to the
core; the app calls it at start and the launcher before a subcommand, which then gets an
offscreen QGuiApplication on first use. QFontDatabase is thread-safe and handouts are
made on a worker thread.

Should Qt pick another file for the family (a user's font of the same name), its
glyph ids would not match the embedded font: the ``head`` tables are compared and the
word is left unshaped (``None``) rather than printed with wrong glyphs.
"""

from __future__ import annotations

import os
import threading
from functools import cache
from pathlib import Path

UNITS = 1000  # pixel size of the layout: one unit per 1/1000 em, reportlab's unit
_lock = threading.Lock()


def install() -> None:
    from wijkkit.handouts import use_shaper

    use_shaper(shape)


def shape(text: str, path: str, index: int) -> tuple[list[tuple[int, float, float]], float] | None:
    """``text`` laid out in face ``index`` of ``path``: [(glyph id, x, y offset)] left to right, and the advance."""
    if not _application():
        return None
    from PySide6.QtGui import QTextLayout

    font = _font(path, index)
    if font is None:
        return None
    layout = QTextLayout(text, font)
    layout.beginLayout()
    line = layout.createLine()
    layout.endLayout()
    if not line.isValid():
        return None
    glyphs = []
    for run in line.glyphRuns():
        if bytes(run.rawFont().fontTable("head").data()) != _head(path, index):
            return None  # Qt laid it out in another file than the one printed
        ascent = line.ascent()
        glyphs += [(glyph, point.x(), -(point.y() - ascent)) for glyph, point in
                   zip(run.glyphIndexes(), run.positions(), strict=True)]  # fmt: skip
    if not glyphs or any(glyph == 0 for glyph, _x, _y in glyphs):
        return None  # a character the font has no glyph for: not ours to hide
    glyphs.sort(key=lambda g: g[1])
    return glyphs, line.naturalTextWidth()


@cache
def _application() -> bool:
    """A QGuiApplication exists (the app's) or is made offscreen (the command line); False if Qt cannot start."""
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is not None:
        return True
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a command-line run opens no window
    try:
        _made.append(QGuiApplication([]))  # kept: the application must outlive every layout
    except Exception:  # noqa: BLE001 - no platform plugin: print unshaped
        return False
    return True


_made: list[object] = []


def _font(path: str, index: int):  # noqa: ANN202 - a QFont or None
    from PySide6.QtGui import QFont

    with _lock:
        families = _families(path)
    if index >= len(families):
        return None
    font = QFont(families[index])
    font.setPixelSize(UNITS)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    font.setStyleStrategy(QFont.StyleStrategy.NoFontMerging)  # every glyph from this font, or glyph 0
    font.setKerning(True)
    return font


_loaded: dict[str, int] = {}


def _families(path: str) -> list[str]:
    from PySide6.QtGui import QFontDatabase

    if path not in _loaded:
        _loaded[path] = QFontDatabase.addApplicationFont(path)
    return QFontDatabase.applicationFontFamilies(_loaded[path]) if _loaded[path] >= 0 else []


@cache
def _head(path: str, index: int) -> bytes:
    """The ``head`` table of the face (its checksum and dates tell one file from another)."""
    from wijkkit.handouts.cmap import table

    return table(Path(path), index, b"head")
