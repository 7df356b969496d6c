"""Names typed by people become file names that Windows, macOS and Linux all accept (issue 15, 8)."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path, PureWindowsPath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wijkkit.filenames import fresh_path, remove_older, reserved, safe_name

BAD = set('<>:"/\\|?*')


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("Wijk 3: wat nu?", "Wijk 3 wat nu"),
        ('a/b\\c?d*e"f<g>h|i', "a b c d e f g h i"),
        ("Buurtavond...", "Buurtavond"),
        ("Buurtavond. . ", "Buurtavond"),
        ("  .verborgen", "verborgen"),
        ("regel\neen\tregel\x00", "regel een regel"),
        ("Café   Ümit  Şahin", "Café Ümit Şahin"),
        ("Cafe\u0301", "Café"),  # NFC: one letter é
        ("Αθήνα 東京", "Αθήνα 東京"),
        ("con", "_con"),
        ("CON", "_CON"),
        ("con.txt", "_con.txt"),
        ("Nul .ics", "_Nul .ics"),
        ("com1", "_com1"),
        ("LPT9", "_LPT9"),
        ("COM\u00b9", "_COM\u00b9"),
        ("console", "console"),
        ("com10", "com10"),
        ("inzage x\u202efdp.exe", "inzage x fdp.exe"),
    ],
)
def test_examples(typed, name):
    assert safe_name(typed) == name


@pytest.mark.parametrize("typed", ["", "   ", "...", "?*:", "\x01\x02", " . . "])
def test_nothing_left_gives_the_fallback(typed):
    assert safe_name(typed, "bijeenkomst") == "bijeenkomst"
    assert safe_name(typed) == "wijkkit"
    assert safe_name(typed, "?") == "wijkkit"  # even a bad fallback gives a name


def test_long_names_are_cut_without_splitting_a_letter_from_its_accent():
    assert len(safe_name("a" * 500)) == 120
    letter = unicodedata.normalize("NFC", "a\u0301\u0302")  # á with a second mark that stays apart
    cut = safe_name("x" + letter * 80)  # 180 bytes end between the á and its second mark
    assert len(cut.encode("utf-8")) <= 180 and cut == "x" + letter * (len(cut) // len(letter))
    family = "\U0001F468\u200d\U0001F469\u200d\U0001F467"  # one emoji of joined ones
    cut = safe_name("x" * 110 + family * 5)
    assert not cut.endswith("\u200d") and (cut.endswith("\U0001F467") or cut.endswith("x"))
    assert len(safe_name("東" * 200).encode("utf-8")) <= 180
    assert safe_name("con." + "x" * 200) == "_con." + "x" * 115  # the mark for a device name still fits


@settings(max_examples=400, deadline=None)
@given(st.text(), st.text(max_size=5))
def test_any_text_gives_a_name_every_system_accepts(text, fallback):
    name = safe_name(text, fallback)
    assert name
    assert not BAD & set(name)
    assert not any(unicodedata.category(ch) in ("Cc", "Cs") for ch in name)
    assert name == name.strip(" .") and name[0] != "."
    assert not reserved(name)
    assert PureWindowsPath(name).name == name and Path(name).name == name
    assert len(name) <= 120 and len(name.encode("utf-8")) <= 180
    assert unicodedata.is_normalized("NFC", name)
    assert safe_name(name, fallback) == name  # cleaning a clean name changes nothing


@given(st.sampled_from(["con", "prn", "aux", "nul", "com1", "lpt3", "conin$"]), st.text(alphabet="cCoOnN .tx"))
def test_device_names_with_any_case_or_extension_are_changed(device, tail):
    typed = "".join(ch.upper() if i % 2 else ch for i, ch in enumerate(device)) + "." + tail
    assert not reserved(safe_name(typed))


def test_fresh_path_never_takes_a_name_in_use(tmp_path):
    first = fresh_path(tmp_path, "Programma", ".pdf")
    assert first == tmp_path / "Programma.pdf"
    first.write_bytes(b"1")
    second = fresh_path(tmp_path, "Programma", ".pdf")
    assert second == tmp_path / "Programma (2).pdf"
    second.write_bytes(b"2")
    assert fresh_path(tmp_path, "Programma", ".pdf") == tmp_path / "Programma (3).pdf"


def test_remove_older_leaves_new_and_held_files(tmp_path, monkeypatch):
    old, held, new = (tmp_path / f"{name}.pdf" for name in ("oud", "open", "nieuw"))
    for path in (old, held, new):
        path.write_bytes(b"%PDF")
    day_ago = 1_000_000.0
    for path in (old, held):
        os.utime(path, (day_ago, day_ago))
    real_unlink = Path.unlink

    def unlink(path, *args, **kwargs):
        if path == held:
            raise PermissionError(13, "in use")  # the PDF viewer still shows it
        return real_unlink(path, *args, **kwargs)

    monkeypatch.setattr(Path, "unlink", unlink)
    assert remove_older(tmp_path, 24 * 3600, now=day_ago + 24 * 3600 + 1) == [old]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nieuw.pdf", "open.pdf"]
