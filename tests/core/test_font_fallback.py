"""Reading fonts' character maps and choosing a font per run of characters (wijkkit/handouts/cmap.py, fallback.py).

The character map read with ``struct`` is compared with reportlab's own reading of
the same file (every font the scan keeps, and DejaVu); a folder holding a broken
file, a font without TrueType outlines and a real font shows that only the usable
one is chosen.
"""

from __future__ import annotations

import struct

import pytest
from reportlab.pdfbase.ttfonts import TTFont

from wijkkit import i18n
from wijkkit.assets import resource
from wijkkit.handouts import cmap, fallback
from wijkkit.handouts.style import FONT, text

SPACES = {0x20, 0xA0}  # reportlab maps whichever of the two a font lacks to the other: left out of the comparison


def codes(face: cmap.Face) -> set[int]:
    return {code for first, last in zip(face.starts, face.ends, strict=True) for code in range(first, last + 1)} - SPACES


def reportlab_codes(path, index: int = 0) -> set[int]:
    face = TTFont("probe", str(path), subfontIndex=index).face
    return {code for code, glyph in face.charToGlyph.items() if glyph} - SPACES


def test_dejavu_read_as_reportlab_reads_it():
    path = resource("fonts", "DejaVuSans.ttf")
    (face,) = cmap.faces(path)
    assert face.outlines == "glyf"
    assert codes(face) == reportlab_codes(path)


def test_every_font_the_scan_keeps_is_read_as_reportlab_reads_it():
    kept = fallback.system_faces()
    for face in kept:
        assert codes(face) == reportlab_codes(face.path, face.index), face.path


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setattr(fallback, "font_folders", lambda: [tmp_path])
    fallback.system_faces.cache_clear()
    yield tmp_path
    fallback.system_faces.cache_clear()


def postscript_outlines(source: bytes) -> bytes:
    """The font with its 'glyf' table renamed 'CFF ': a font with PostScript outlines, as far as a scan can tell."""
    count = struct.unpack_from(">H", source, 4)[0]
    data = bytearray(source)
    for k in range(count):
        at = 12 + 16 * k
        if data[at:at + 4] == b"glyf":
            data[at:at + 4] = b"CFF "
    return bytes(data)


def test_broken_files_and_postscript_fonts_are_passed_over(folder):
    dejavu = resource("fonts", "DejaVuSans.ttf").read_bytes()
    (folder / "broken.ttf").write_bytes(b"\x00\x01\x00\x00" + b"\xff" * 40)
    (folder / "empty.otf").write_bytes(b"")
    (folder / "AnotherCJK.otf").write_bytes(postscript_outlines(dejavu))
    assert fallback.system_faces() == ()  # nothing embeddable beyond what DejaVu has
    assert fallback.runs("王秀英") == [(None, "王秀英")]


def test_a_name_in_one_script_gets_one_font_and_latin_stays_in_dejavu():
    name = "Anna 王秀英-Smit"
    runs = fallback.runs(name)
    assert "".join(part for _font, part in runs) == name
    fonts = {font for font, part in runs if any(ord(ch) > 0x2000 for ch in part)}
    assert len(fonts) == 1
    assert runs[0] == (None, "Anna ")
    if None not in fonts:  # a font for Chinese on this computer
        assert text(name).count("<font ") == 1


def test_markup_escapes_every_run():
    marked = fallback.markup("王 <b>&</b>")
    assert "<b>" not in marked and "&amp;" in marked


def test_plain_text_has_no_font_runs():
    assert text("Şükrü Yılmaz & Nguyễn") == "Şükrü Yılmaz &amp; Nguyễn"
    assert fallback.runs("Nguyễn") == [(None, "Nguyễn")]
    assert FONT  # DejaVu covers every European name: no scan, no extra font


def test_gaps_are_collected_only_while_a_handout_is_made():
    i18n.set_language("en")
    fallback.runs("𠮷田")  # outside: nothing to collect into, and no error
    with fallback.collecting() as gaps:
        fallback.runs("𠮷田")
        fallback.check_single_font("Buurt 𠮷")
    assert set(gaps.texts) == {"𠮷田", "Buurt 𠮷"}
    assert "U+20BB7" in gaps.describe()
    many = fallback.Gaps({f"naam {n} 𠮷": {"𠮷"} for n in range(5)})
    assert "and 2 more" in many.describe()


def test_a_damaged_character_map_is_refused_quickly(tmp_path):
    """Format 4 segments that overlap would be read code by code for minutes; the file is passed over instead."""
    segments = 2000
    table = struct.pack(">HHHHHHH", 4, 0, 0, segments * 2, 0, 0, 0)
    table += struct.pack(f">{segments}H", *[0xFFFE] * segments) + b"\0\0"  # every segment ends at U+FFFE
    table += struct.pack(f">{segments}H", *[0x0020] * segments)  # and starts at U+0020
    table += struct.pack(f">{segments}h", *[0] * segments) + struct.pack(f">{segments}H", *[2] * segments)
    cmap_table = struct.pack(">HHHHI", 0, 1, 3, 1, 12) + table
    font = struct.pack(">IHHHH", 0x00010000, 1, 16, 0, 0) + struct.pack(">4sIII", b"cmap", 0, 28, len(cmap_table))
    path = tmp_path / "damaged.ttf"
    path.write_bytes(font + cmap_table)
    with pytest.raises(ValueError, match="damaged"):
        cmap.faces(path)
