"""Names in every script print in a font that has them, and what no font has is reported.

The sign-in sheet, the agreements and the pack are made with residents whose names
are in Chinese, Japanese, Korean, Devanagari, Thai, Tamil, Amharic, Arabic, Hebrew,
Turkish and Vietnamese, and one with 𠮷 (U+20BB7, in no font Debian ships that
reportlab can embed). Whether this computer has a font for a name is asked of
fontconfig (``fc-list :charset=...``), not of our own scan; poppler's pdftotext reads
the text layer back and pdffonts lists what is embedded. CI installs the Debian fonts
of a facilitator's Linux (.ci/run), so there the fallback really runs.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import unicodedata
from datetime import date

import pytest

from tests.portable import TOOLS_REQUIRED, needs_tool
from wijkkit import i18n
from wijkkit.handouts import make
from wijkkit.handouts.fallback import base_chars
from wijkkit.kit import Kit

NAMES = {
    "zh": "王秀英",
    "ja": "佐藤さくら",
    "ko": "김민준",
    "hi": "प्रिया शर्मा",
    "th": "สมชาย ใจดี",
    "ta": "முருகன் வணக்கம்",
    "am": "አበበ ቢቂላ",
    "ar": "عبد الله",
    "he": "יוסף בן אברהם מרדכי שלום אהרון הכהן רבינוביץ",  # long enough to wrap in the name column
    "tr": "Şükrü Yılmaz",
    "vi": "Nguyễn Thị Minh Khai",
    "jp-ext-b": "𠮷田 花子",
}
INSTALLED_ON_CI = ("zh", "ja", "ko", "hi", "th", "ta", "am")  # .ci/run installs fonts for these
KINDS = ("signin", "agreements", "pack")
HAVE_POPPLER = bool(shutil.which("pdftotext") and shutil.which("pdffonts"))
HAVE_FONTCONFIG = bool(shutil.which("fc-list"))
pytestmark = [needs_tool(HAVE_POPPLER, "poppler-utils (pdftotext, pdffonts) is not installed"),
              needs_tool(HAVE_FONTCONFIG, "fontconfig (fc-list) is not installed")]  # fmt: skip


def embeddable_font_has(name: str) -> bool:
    """fontconfig's answer: does a TrueType-outline font here (DejaVu aside) have every letter of ``name``?"""
    others = sorted({ch for ch in name if not ch.isspace() and ord(ch) not in base_chars()})
    if not others:
        return True
    listed = subprocess.run(["fc-list", ":charset=" + " ".join(f"{ord(ch):x}" for ch in others), "fontformat"],
                            capture_output=True, text=True, encoding="utf-8", check=True).stdout  # fmt: skip
    return "fontformat=TrueType" in listed


def as_read(text: str) -> str:
    """pdftotext's output as a reader searches it: no bidi marks, joined Arabic forms folded, spaces single."""
    text = re.sub("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", text)
    return " ".join(unicodedata.normalize("NFKC", text).split())


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scripts")
    i18n.set_language("nl")
    with Kit.memory() as kit:
        meeting = kit.sessions.add("Wijkavond", "2026-11-10T19:30", "2026-11-10T22:00", status="held")
        for script, name in NAMES.items():
            person = kit.people.add(name, consent_share=1, organisation=f"Buurt {script}")
            kit.attendance.mark(meeting, person, table_no=1)
            kit.agreements.add(f"Afspraak {script}", meeting, owner_person_id=person)
        out = {}
        for kind in KINDS:
            handout = make(kind, kit, meeting, date(2026, 11, 29))
            path = folder / f"{kind}.pdf"
            path.write_bytes(handout.data)
            out[kind] = (handout, path)
        return out


def pdftotext(path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, encoding="utf-8",
                          check=True).stdout  # fmt: skip


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("script", list(NAMES))
def test_each_name_prints_exactly_where_a_font_has_it(made, kind, script):
    handout, path = made[kind]
    name = NAMES[script]
    printed = as_read(pdftotext(path))
    if embeddable_font_has(name):
        assert name in printed, f"{script}: {name} is not in the text of the {kind}"
        assert name not in handout.gaps.texts
    else:
        assert name in handout.gaps.texts, f"{script}: {name} has no font here, yet the {kind} does not say so"
        assert name in handout.warning()


@pytest.mark.skipif(not TOOLS_REQUIRED, reason="CI installs the fonts; elsewhere the machine decides")
@pytest.mark.parametrize("script", INSTALLED_ON_CI)
def test_ci_really_exercises_the_fallback(script):
    assert embeddable_font_has(NAMES[script]), f"CI should have installed a font for {script} (.ci/run)"


def test_a_character_in_no_font_is_reported_with_its_name_and_code_point(made):
    handout, path = made["signin"]
    assert "U+20BB7" in handout.warning()
    assert "𠮷田 花子" in handout.warning()
    assert "田 花子" in as_read(pdftotext(path))  # the rest of the name prints
    assert {text for text in handout.gaps.texts} <= {n for n in NAMES.values() if not embeddable_font_has(n)}


@pytest.mark.parametrize("kind", KINDS)
def test_every_font_is_embedded_as_a_subset_with_a_unicode_map(made, kind):
    listing = subprocess.run(["pdffonts", str(made[kind][1])], capture_output=True, text=True, encoding="utf-8",
                             check=True).stdout.splitlines()[2:]  # fmt: skip
    assert listing
    for line in listing:
        emb, sub, uni = line.split()[-5:-2]
        assert (emb, sub, uni) == ("yes", "yes", "yes"), line
    fallbacks = [line.split()[0] for line in listing if "DejaVu" not in line]
    if all(embeddable_font_has(NAMES[s]) for s in INSTALLED_ON_CI):
        assert fallbacks, "names in other scripts were printed without another font"


def test_characters_beyond_u_ffff_read_back_as_typed(tmp_path):
    """reportlab 5.1 wrote five hex digits into the ToUnicode map: 😀 read back as U+1F60."""
    with Kit.memory() as kit:
        meeting = kit.sessions.add("Wijkavond", "2026-11-10T19:30", "2026-11-10T22:00", status="held")
        kit.attendance.mark(meeting, kit.people.add("Anna 😀 Smit", consent_share=1), table_no=1)
        path = tmp_path / "signin.pdf"
        path.write_bytes(make("signin", kit, meeting).data)
    assert "Anna 😀 Smit" in as_read(pdftotext(path))


def test_the_command_line_names_what_could_not_be_printed(tmp_path):
    db = tmp_path / "wijk.db"
    with Kit.open(db) as kit:
        meeting = kit.sessions.add("Wijkavond", "2026-11-10T19:30", "2026-11-10T22:00", status="held")
        kit.attendance.mark(meeting, kit.people.add("𠮷田 花子", consent_share=1), table_no=1)
    out = tmp_path / "signin.pdf"
    done = subprocess.run([sys.executable, "-m", "wijkkit", "handout", "signin", "--db", str(db), "--session",
                           meeting, "--out", str(out)], capture_output=True, text=True, encoding="utf-8")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"%PDF-")
    assert "warning: Not everything could be printed" in done.stderr
    assert "𠮷田 花子 (U+20BB7)" in done.stderr
    assert "Traceback" not in done.stderr
