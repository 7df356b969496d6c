"""A TrueType font's ``splitString`` without reportlab's loop per character, for glyphs already placed.

Every text drawn in a TrueType font goes through ``TTFont.splitString``: it gives each
character its code in one of the document's font subsets (a new character gets the next
free code, in the order the characters are first drawn) and cuts the text into runs of one
subset. reportlab does it in a Python loop per character: the first cost of a session
pack's drawing. After the first lines of a document nearly every character drawn already
has its code, and then the result is a pure function of the codes in the font's state for
the document (``font.state[doc].assignments``; a no-break space is drawn as a space, a
character the font lacks as code 0 of the first subset).

``split`` gives exactly ``splitString``'s result for such a text through one ``str.translate``
over a table of the codes so far, without touching the state. When a character has no
code yet, or anything is unusual (no state yet, not a str), it calls reportlab's own
``splitString``, which assigns the codes in reportlab's order. The table follows the state:
codes are only ever added to it (reportlab never changes or removes one), and the table
takes the new ones before each use. ``Runs`` keeps each text's runs, escaped for a PDF string,
for one canvas: once a text has been split its codes cannot change. tests/core/test_handout_quickglyphs.py
compares both over random texts and states.
"""

from __future__ import annotations

from itertools import groupby, islice
from typing import Any
from weakref import WeakKeyDictionary

from reportlab.lib.rl_accel import escapePDF
from reportlab.pdfbase.ttfonts import TTFont

NBSP, SPACE = 0xA0, 0x20
_ESCAPES = {code: escapePDF(bytes((code,))) for code in range(256)}  # as escapePDF writes each byte


def escaped(chunk: bytes) -> str:
    """``escapePDF(chunk)``: one translation of the bytes read as Latin-1 instead of a loop."""
    return chunk.decode("latin-1").translate(_ESCAPES)


class _NewGlyph(Exception):
    """A character with no code in the subsets yet: reportlab's ``splitString`` places it."""


class _Wide(Exception):
    """A character in a subset after the first: its text is cut into runs of one subset."""


class _Codes(dict):
    """Character -> the character whose ordinal is its code in the subsets, for one font's state."""

    def __init__(self, font_chars: Any, assignments: dict[int, int]) -> None:
        super().__init__()
        self.font_chars, self.assignments, self.known = font_chars, assignments, 0
        self.escapes = _Escapes(self)
        self.follow()

    def follow(self) -> None:
        """Takes the codes reportlab assigned since the last call (the dict only grows, in order)."""
        assignments = self.assignments
        if len(assignments) != self.known:
            # splitString reads a no-break space as a space before it looks a code up
            for char, code in islice(assignments.items(), self.known, None):
                if char != NBSP:
                    self[char] = chr(code)
            self.known = len(assignments)

    def __missing__(self, char: int) -> str:
        if char == NBSP:
            code = self[SPACE]
            if SPACE in self:
                self[char] = code
            return code
        if char in self.font_chars:
            raise _NewGlyph
        # not in the font: splitString's notdef, code 0 of subset 0; not kept, as the font may
        # still gain the character (shaping.py adds private-use ones to its fonts)
        return "\x00"


class _Escapes(dict):
    """Character -> its code in the first subset, escaped for a PDF string (``escapePDF``)."""

    def __init__(self, codes: _Codes) -> None:
        super().__init__()
        self.codes = codes

    def __missing__(self, char: int) -> str:
        code = ord(self.codes[char])
        if code > 0xFF:
            raise _Wide
        escaped = _ESCAPES[code]
        if char in self.codes:  # placed for good (one the font lacks may be placed later)
            self[char] = escaped
        return escaped


_TABLES: WeakKeyDictionary[Any, _Codes] = WeakKeyDictionary()  # font state -> its table


def _table(font: Any, doc: Any) -> _Codes | None:
    """The table of the font's codes in ``doc``; None before reportlab has made the font's state for it,
    or for a font that splits otherwise than reportlab's ``TTFont``."""
    if getattr(type(font), "splitString", None) is not TTFont.splitString:
        return None
    state = font.state.get(doc)
    if state is None:
        return None
    table = _TABLES.get(state)
    if table is None:
        table = _TABLES[state] = _Codes(font.face.charToGlyph, state.assignments)
    return table


def split(font: Any, text: str, doc: Any) -> list[tuple[int, bytes]]:
    """``font.splitString(text, doc)``: the same list of (subset, bytes), and the same state after."""
    table = _table(font, doc)
    return font.splitString(text, doc) if table is None else _split(font, text, doc, table)


def _split(font: Any, text: str, doc: Any, table: _Codes) -> list[tuple[int, bytes]]:
    if type(text) is not str:
        return font.splitString(text, doc)
    table.follow()
    try:
        codes = text.translate(table)
    except _NewGlyph:
        return font.splitString(text, doc)
    if not codes:
        return []
    try:
        return [(0, codes.encode("latin-1"))]  # all in the first subset: the common case
    except UnicodeEncodeError:
        return [
            (subset, bytes(ord(c) & 0xFF for c in run))
            for subset, run in groupby(codes, lambda c: ord(c) >> 8)
        ]


class Runs:
    """The runs of each text drawn in a TrueType font on one canvas: (subset, escaped bytes), remembered.

    ``escape`` is the canvas's escaping of a PDF string. The first time a text is drawn its
    characters get their codes (``split``); from then on its runs cannot change. A text all in
    the first subset, escaped as ``escapePDF`` escapes, is translated to its escaped codes at once.
    """

    def __init__(self, doc: Any, escape: Any) -> None:
        self.doc, self.escape = doc, escape
        self._plain = escape is escaped or escape is escapePDF
        self._texts: dict[tuple[Any, str], list[tuple[int, str]]] = {}
        self._tables: dict[Any, _Codes] = {}  # font -> its table in this document

    def __call__(self, font: Any, text: str) -> list[tuple[int, str]]:
        runs = self._texts.get((font, text))
        if runs is None:
            runs = self._texts[font, text] = self._runs(font, text)
        return runs

    def _runs(self, font: Any, text: str) -> list[tuple[int, str]]:
        table = self._tables.get(font)
        if table is None:
            table = _table(font, self.doc)
            if table is None:
                return [(n, self.escape(chunk)) for n, chunk in font.splitString(text, self.doc)]
            self._tables[font] = table
        if self._plain and type(text) is str:
            table.follow()
            try:
                return [(0, text.translate(table.escapes))] if text else []
            except (_NewGlyph, _Wide):
                pass
        return [(n, self.escape(chunk)) for n, chunk in _split(font, text, self.doc, table)]
