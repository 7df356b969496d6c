"""Devanagari, Tamil and Thai names shaped by Qt's HarfBuzz on the handouts, and still read back as typed.

ui/shaping.py lays a word out with QTextLayout and wijkkit/handouts/shaping.py draws
those glyphs with reportlab inside /ActualText. Checked: the glyphs are really
shaped (fewer glyphs than letters for a conjunct, the Tamil vowel sign before its
consonant), pdftotext reads every name exactly, the command line shapes too (through
the launcher, with an offscreen Qt of its own), and a failing shaper leaves the name
printed unshaped rather than lost. Needs fonts for these scripts: CI installs them (.ci/run).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.pdf_text import reader
from tests.portable import needs_tool
from wijkkit import handouts, i18n
from wijkkit.handouts import fallback, make, shaping
from wijkkit.kit import Kit

NAMES = {"hi": "प्रिया शर्मा", "ta": "முருகன் கொடி", "th": "สมชาย น้ำใจดี"}
HAVE_POPPLER = bool(shutil.which("pdftotext"))
pytestmark = needs_tool(HAVE_POPPLER, "poppler-utils (pdftotext) is not installed")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def qt_shaper(qapp):
    from ui import shaping as qt

    qt.install()
    yield qt.shape
    qt.install()  # the app's default, whatever a test did


def fallback_font(text: str) -> str:
    fonts = {font for font, _part in fallback.runs(text) if font}
    if len(fonts) != 1:
        pytest.fail(f"no font for {text!r} on this computer (CI installs one: .ci/run)")
    return fonts.pop()


def test_a_conjunct_is_one_glyph_and_a_vowel_sign_comes_first(qt_shaper):
    hindi = fallback_font("प्रिया")
    shaped, width = shaping.shape("प्रिया", hindi)
    assert len(shaped) < len("प्रिया") and width > 0  # प्र is one glyph, ि moved before it
    assert shaped.logical == "प्रिया"
    tamil = fallback_font("கொ")
    shaped, _width = shaping.shape("கொ", tamil)
    assert len(shaped) == 3 and shaped[1] == "க"  # கொ prints as ெ க ா: the first part before the consonant


def spans(data: bytes) -> int:
    """How many /ActualText spans the pages draw (their content streams are compressed)."""
    return sum(page.get_contents().get_data().count(b"/ActualText") for page in reader(data).pages)


def pdftotext(path: Path) -> str:
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, encoding="utf-8", check=True)
    return " ".join(done.stdout.split())


def signin_with_names(tmp_path: Path) -> tuple[Path, str]:
    db = tmp_path / "wijk.db"
    i18n.set_language("nl")
    with Kit.open(db) as kit:
        meeting = kit.sessions.add("Wijkavond", "2026-11-10T19:30", "2026-11-10T22:00", status="held")
        for script, name in NAMES.items():
            kit.attendance.mark(meeting, kit.people.add(name, consent_share=1, organisation=f"Buurt {script}"),
                                table_no=1)  # fmt: skip
    return db, meeting


def test_the_sign_in_sheet_shapes_the_names_and_reads_back_as_typed(qt_shaper, tmp_path):
    db, meeting = signin_with_names(tmp_path)
    with Kit.open(db) as kit:
        made = make("signin", kit, meeting)
        plain = _unshaped(lambda: make("signin", kit, meeting))
    assert spans(made.data) >= 3 and spans(plain.data) == 0
    assert made.data != plain.data
    for data, name in ((made.data, "shaped"), (plain.data, "unshaped")):
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(data)
        printed = pdftotext(path)
        for script, typed in NAMES.items():
            assert typed in printed, f"{script} ({name}): {typed} is not in {printed[:300]}"


def _unshaped(action):
    handouts.use_shaper(None)
    try:
        return action()
    finally:
        from ui import shaping as qt

        qt.install()


def test_a_failing_shaper_leaves_the_name_printed_unshaped(qt_shaper, tmp_path):
    db, meeting = signin_with_names(tmp_path)

    def broken(_text, _path, _index):
        raise RuntimeError("no layout")

    handouts.use_shaper(broken)
    with Kit.open(db) as kit:
        made = make("signin", kit, meeting)
    path = tmp_path / "signin.pdf"
    path.write_bytes(made.data)
    assert NAMES["hi"] in pdftotext(path)
    assert not made.gaps


def test_reportlab_still_has_the_two_functions_we_wrap(qt_shaper):
    from reportlab.pdfgen import textobject
    from reportlab.platypus import paragraph

    fallback_font("प्रिया")  # registering a font for a complex script wraps them
    assert paragraph.shapeFragWord is shaping.shape_frag_word
    assert textobject.PDFTextObject._formatText is shaping._format_text


def test_the_command_line_shapes_through_the_launcher(tmp_path):
    db, meeting = signin_with_names(tmp_path)
    out = tmp_path / "signin.pdf"
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}  # the launcher picks offscreen itself
    done = subprocess.run([sys.executable, str(ROOT / "wijkkit_launcher.py"), "handout", "signin", "--db", str(db),
                           "--session", meeting, "--out", str(out)], capture_output=True, text=True, encoding="utf-8",
                          env=env, cwd=ROOT)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert spans(out.read_bytes()) >= 3
    printed = pdftotext(out)
    assert all(name in printed for name in NAMES.values())
