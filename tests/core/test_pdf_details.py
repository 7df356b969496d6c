"""Issue 16, 5: the details a PDF carries besides its pages.

Every handout names its language in the catalog (/Lang: nl-NL, or en-GB when the app
speaks English) so screen readers and search pick the right voice and hyphenation;
its Creator is Wijkkit and its version (Producer stays reportlab's); and every
embedded font subset has its own six-letter tag (ISO 32000-1, 9.6.4), not
``AAAAAA+`` for the first subset of every font. Read back with pypdf and, where
poppler's ``pdffonts`` is installed, with that too.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tests.conftest import DEMO_TODAY
from tests.core.pdf_text import font_dicts, reader
from tests.portable import needs_tool
from wijkkit import __version__, i18n
from wijkkit.handouts import pdf_bytes
from wijkkit.kit import Kit

KINDS = ("signin", "agreements", "pack")
TAGGED = re.compile(r"^([A-Z]{6})\+(\S+)$")


def render(demo_file, language: str, kinds=KINDS) -> dict[str, bytes]:
    i18n.set_language(language)
    with Kit.open(demo_file) as kit:
        held = next(s.id for s in kit.sessions.list() if s.status == "held")
        return {kind: pdf_bytes(kind, kit, held, DEMO_TODAY) for kind in kinds}


@pytest.fixture(scope="module")
def dutch(demo_file):
    yield render(demo_file, "nl")
    i18n.set_language("nl")


def subset_names(data: bytes) -> set[str]:
    """The /BaseFont of every font the pages use (each subset once, however often it is used)."""
    return {str(font["/BaseFont"])[1:] for _where, font in font_dicts(reader(data))}


@pytest.mark.parametrize("kind", KINDS)
def test_the_catalog_names_the_language(dutch, kind):
    assert reader(dutch[kind]).trailer["/Root"]["/Lang"] == "nl-NL"


def test_english_handouts_say_english(demo_file):
    try:
        pdfs = render(demo_file, "en", ("signin",))
    finally:
        i18n.set_language("nl")
    assert reader(pdfs["signin"]).trailer["/Root"]["/Lang"] == "en-GB"


@pytest.mark.parametrize("kind", KINDS)
def test_creator_is_wijkkit_and_its_version(dutch, kind):
    meta = reader(dutch[kind]).metadata
    assert meta.creator == f"Wijkkit {__version__}"
    assert meta.producer.startswith("ReportLab")  # reportlab wrote the bytes; we do not claim it
    assert meta.author and meta.title  # unchanged: the organisation and the handout's title


@pytest.mark.parametrize("kind", KINDS)
def test_every_subset_has_its_own_tag(dutch, kind):
    names = subset_names(dutch[kind])
    assert len(names) >= 2, names  # regular and bold at least: there is something to tell apart
    tags = []
    for name in names:
        match = TAGGED.match(name)
        assert match, name
        tags.append(match.group(1))
    assert len(set(tags)) == len(tags), sorted(names)


def test_the_tags_are_the_same_for_the_same_document(demo_file, dutch):
    """Builds stay reproducible: the tags come from the subset, not from chance."""
    try:
        again = render(demo_file, "nl", ("signin",))
    finally:
        i18n.set_language("nl")
    assert subset_names(again["signin"]) == subset_names(dutch["signin"])


@needs_tool(shutil.which("pdffonts") is not None, "poppler-utils (pdffonts) is not installed; CI installs it")
@pytest.mark.parametrize("kind", KINDS)
def test_pdffonts_agrees(dutch, kind, tmp_path):
    path = tmp_path / f"{kind}.pdf"
    path.write_bytes(dutch[kind])
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, encoding="utf-8", check=True)
    rows = out.stdout.splitlines()[2:]  # a header line and a rule
    names = [row.split()[0] for row in rows]
    assert names and all(TAGGED.match(name) for name in names), rows
    tags = [name.split("+")[0] for name in names]
    assert len(set(tags)) == len(tags), rows
    assert all(" yes yes " in f" {' '.join(row.split())} " for row in rows), rows  # embedded, subset


def test_many_subsets_of_one_font_stay_apart_and_readable():
    """More than 256 characters of one font make several subsets (AAAAAA, AAAAAB, ... before);
    each keeps its name in step in the font, its descriptor and its ToUnicode map."""
    from reportlab.platypus import Paragraph

    from wijkkit.branding import Branding
    from wijkkit.handouts.page import build
    from wijkkit.handouts.style import styles

    many = "".join(chr(c) for c in range(0x100, 0x250) if chr(c).isprintable())  # Latin Extended A and B
    many += "".join(chr(c) for c in range(0x410, 0x450))  # Cyrillic
    style = styles()
    story = [Paragraph(many, style["body"]), Paragraph(f"<b>{many}</b>", style["body"])]
    data = build(story, "Veel tekens", Branding(organisation="Buurthuis"))
    pdf = reader(data)
    fonts = {str(font["/BaseFont"])[1:]: font for _where, font in font_dicts(pdf)}
    assert len(fonts) >= 4, sorted(fonts)  # regular and bold, each in at least two subsets
    tags = [TAGGED.match(name).group(1) for name in fonts]
    assert len(set(tags)) == len(tags), sorted(fonts)
    for name, font in fonts.items():
        assert font["/FontDescriptor"]["/FontName"] == f"/{name}"
        assert f"/CMapName /{name} def".encode() in font["/ToUnicode"].get_data()
    text = "".join(pdf.pages[0].extract_text().split())
    assert many in text
