"""Which characters a font file has, read from its table directory and character map alone.

Choosing a font for a name in Chinese or Tamil (``fallback.py``) means knowing, for
every font on the computer, which characters it maps and whether reportlab can embed
it (TrueType outlines, a ``glyf`` table; fonts with PostScript outlines, ``CFF``, it
refuses). fontTools reads that but adds megabytes to the bundle and parses far more
than needed; the two cmap formats every current font carries (4 for the first 65,536
code points, 12 for all) are simple enough to read here with ``struct``. A file is
read only as far as its table directory and its cmap table: the scan of hundreds of
fonts takes a fraction of a second. Coverage is kept as sorted ranges, not sets:
a CJK font maps some 30,000 characters.
"""

from __future__ import annotations

import struct
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

# (platform, encoding) of the subtable to read, best first: Unicode full repertoire, then BMP
PREFERRED = ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0))


@dataclass(frozen=True)
class Face:
    """One face of a font file (a .ttc holds several): where it is, its outlines and the characters it maps."""

    path: Path
    index: int
    outlines: str  # "glyf" (reportlab embeds it), "CFF" or "none"
    starts: tuple[int, ...]
    ends: tuple[int, ...]  # inclusive
    size: int  # of the file, in bytes: smaller files load faster

    def has(self, ch: str) -> bool:
        code = ord(ch)
        n = bisect_right(self.starts, code) - 1
        return n >= 0 and code <= self.ends[n]

    def covers_range(self, first: int, last: int) -> bool:
        """Whether any code point from ``first`` to ``last`` is mapped."""
        n = bisect_right(self.starts, last) - 1
        return n >= 0 and self.ends[n] >= first

    def covers(self, chars: str | set[str]) -> bool:
        return all(self.has(ch) for ch in chars)


def faces(path: Path) -> list[Face]:
    """Every face in a .ttf, .otf, .ttc or .otc file; ``struct.error``/``ValueError``/``OSError`` if it is not one."""
    size = path.stat().st_size
    with path.open("rb") as file:
        head = file.read(12)
        offsets: tuple[int, ...] = (0,)
        if head[:4] == b"ttcf":
            count = struct.unpack_from(">I", head, 8)[0]
            if count > 1000:
                raise ValueError("not a font collection")
            offsets = struct.unpack(f">{count}I", file.read(4 * count))
        found = []
        for index, offset in enumerate(offsets):
            file.seek(offset)
            tables = _tables(file)
            outlines = ("glyf" if b"glyf" in tables and b"loca" in tables
                        else "CFF" if b"CFF " in tables or b"CFF2" in tables else "none")  # fmt: skip
            ranges: list[tuple[int, int]] = []
            if b"cmap" in tables:
                start, length = tables[b"cmap"]
                file.seek(start)
                ranges = _ranges(file.read(length))
            found.append(Face(path, index, outlines, tuple(s for s, _e in ranges), tuple(e for _s, e in ranges), size))
        return found


def table(path: Path, index: int, tag: bytes) -> bytes:
    """The raw bytes of one table (``b"head"``...) of face ``index``; b"" if it has none."""
    with path.open("rb") as file:
        offset = 0
        if file.read(4) == b"ttcf":
            file.seek(12 + 4 * index)
            offset = struct.unpack(">I", file.read(4))[0]
        file.seek(offset)
        found = _tables(file).get(tag)
        if found is None:
            return b""
        file.seek(found[0])
        return file.read(found[1])


def _tables(file) -> dict[bytes, tuple[int, int]]:  # noqa: ANN001 - a binary file
    """The table directory of the face at the file's position: tag -> (offset, length)."""
    count = struct.unpack_from(">H", file.read(12), 4)[0]
    entries = file.read(16 * count)
    return {entries[16 * k:16 * k + 4]: struct.unpack_from(">II", entries, 16 * k + 8) for k in range(count)}


def _ranges(data: bytes) -> list[tuple[int, int]]:
    """The mapped code points of a cmap table as merged (first, last) ranges."""
    count = struct.unpack_from(">H", data, 2)[0]
    subtables = {struct.unpack_from(">HH", data, 4 + 8 * k): struct.unpack_from(">I", data, 8 + 8 * k)[0]
                 for k in range(count)}  # fmt: skip
    for key in PREFERRED:
        if key in subtables:
            offset = subtables[key]
            form = struct.unpack_from(">H", data, offset)[0]
            if form == 12:
                return _merged(_format12(data, offset))
            if form == 4:
                return _merged(_format4(data, offset))
    return []


def _format12(data: bytes, offset: int) -> list[tuple[int, int]]:
    groups = struct.unpack_from(">I", data, offset + 12)[0]
    out = []
    for k in range(groups):
        first, last, glyph = struct.unpack_from(">III", data, offset + 16 + 12 * k)
        first += glyph == 0  # a group starting at glyph 0 maps its first code to "no glyph"
        if first <= last:
            out.append((first, last))
    return out


def _format4(data: bytes, offset: int) -> list[tuple[int, int]]:
    doubled = struct.unpack_from(">H", data, offset + 6)[0]
    n = doubled // 2
    ends = struct.unpack_from(f">{n}H", data, offset + 14)
    starts = struct.unpack_from(f">{n}H", data, offset + 16 + doubled)
    deltas = struct.unpack_from(f">{n}h", data, offset + 16 + 2 * doubled)
    range_at = offset + 16 + 3 * doubled
    range_offsets = struct.unpack_from(f">{n}H", data, range_at)
    out = []
    budget = 0x20000  # codes looked up one by one: a damaged table with overlapping segments must not run for minutes
    for k in range(n):
        first, last, delta, range_offset = starts[k], ends[k], deltas[k], range_offsets[k]
        if first == 0xFFFF:
            continue
        if range_offset == 0:  # every code maps to code + delta, and one of them may come out as glyph 0
            zero = (-delta) & 0xFFFF
            out += [(first, zero - 1), (zero + 1, last)] if first <= zero <= last else [(first, last)]
            continue
        budget -= last - first + 1
        if budget < 0:
            raise ValueError("damaged character map")
        for code in range(first, last + 1):
            at = range_at + 2 * k + range_offset + 2 * (code - first)
            glyph = struct.unpack_from(">H", data, at)[0] if at + 2 <= len(data) else 0
            if glyph:
                out.append((code, code))
    return out


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for first, last in sorted(ranges):
        if first > last:
            continue
        if merged and first <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(last, merged[-1][1]))
        else:
            merged.append((first, last))
    return merged
