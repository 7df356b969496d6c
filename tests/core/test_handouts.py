"""Printed handouts, read back as a reader gets them: every PDF is opened with pypdf.

Every kind renders for the demo's held meeting on A4 with its title; only embedded
subsets of our own font are used (never a standard-14 font that cannot print Şükrü);
names in any script survive as text, in NFC; a name without consent to share stays
off everything that leaves the room; empty, huge and odd meetings still print; errors
are KitErrors that leave no half-written file; the session pack has a table of
contents that points at the right pages and a footer that counts the whole pack.
reportlab runs with ``rl_config.invariant`` so the same data gives the same bytes.
"""

from __future__ import annotations

import os
import re
import shutil
import unicodedata
from datetime import date, datetime

import pytest
from pypdf import PdfReader

from tests.core.pdf_text import (
    body_lines,
    every_object,
    font_dicts,
    page_texts,
    reader,
    runs_on,
    squash,
    text_of,
    toc,
    words,
)
from wijkkit import branding, i18n
from wijkkit.errors import KitError, NotFoundError
from wijkkit.handouts import KINDS, NEEDS_SESSION, pdf_bytes, render
from wijkkit.handouts.pack import DOCUMENTS
from wijkkit.handouts.render import title
from wijkkit.i18n import gettext
from wijkkit.kit import Kit
from wijkkit.models import NAME_NOT_SHARED, ROLES

DEMO_TODAY = date(2026, 11, 29)  # as in tests/conftest.py
A4 = (595.28, 841.89)
STANDARD_14 = ("Helvetica", "Times", "Courier", "Symbol", "ZapfDingbats")
SUBSET = re.compile(r"^[A-Z]{6}\+")
NAMES = ["Şükrü Yılmaz", "Łucja Wójcik", "Zoë van 't Hof-Dijkstra", "Nguyễn Thị Minh Khai"]
ARABIC = "مريم الحسيني"
STOCK = ("buurt", "koffie", "mantelzorg", "Şükrü", "zaterdagochtend", "bibliotheekhoek", "respijtzorg")


# -- fixtures --------------------------------------------------------------------------


@pytest.fixture(autouse=True, scope="module")
def invariant():
    """reportlab without time stamps or random ids: the same data gives the same bytes."""
    from reportlab import rl_config

    before = rl_config.invariant
    rl_config.invariant = 1
    yield
    rl_config.invariant = before


@pytest.fixture(scope="module")
def demo_handouts(demo_file, tmp_path_factory, invariant):
    """The demo village's kit, its held meeting and every kind rendered once (in Dutch)."""
    i18n.set_language("nl")  # module fixtures run before conftest's per-test one
    path = tmp_path_factory.mktemp("handouts") / "demo.sqlite"
    shutil.copy(demo_file, path)
    with Kit.open(path) as kit:
        held = next(s for s in kit.sessions.list() if s.status == "held")
        pdfs = {kind: pdf_bytes(kind, kit, held.id if kind in NEEDS_SESSION else None, DEMO_TODAY)
                for kind in KINDS}  # fmt: skip
        yield kit, held, pdfs


@pytest.fixture
def meeting(kit):
    return kit.sessions.add("Buurtavond Esweg", "2026-11-10T19:30", "2026-11-10T22:00", status="held")


def held_meeting(kit: Kit) -> str:
    return next(s.id for s in kit.sessions.list() if s.status == "held")


# -- every kind ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_renders_a4_pages_with_its_title(demo_handouts, kind):
    _kit, held, pdfs = demo_handouts
    pdf = reader(pdfs[kind])
    assert len(pdf.pages) >= 1
    for page in pdf.pages:
        box = page.mediabox
        assert float(box.left) == float(box.bottom) == 0
        assert abs(float(box.width) - A4[0]) <= 1 and abs(float(box.height) - A4[1]) <= 1, (kind, box)
    text = words(text_of(pdfs[kind]))
    assert title(kind) in text  # in the footer, and as the heading where there is one
    if kind in NEEDS_SESSION:
        assert held.title in text
        assert pdf.metadata.title == f"{title(kind)} – {held.title}"
    else:
        assert pdf.metadata.title == title(kind)
    assert pdf.metadata.author == "Welzijn Veldhorst · wijkdialogen"


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_page_says_which_page_of_how_many(demo_handouts, kind):
    pages = page_texts(demo_handouts[2][kind])
    for number, text in enumerate(pages, 1):
        assert f"pagina {number} van {len(pages)}" in text, (kind, number)


def test_the_footer_wording_comes_from_the_dutch_catalogue():
    assert gettext("page {n} of {total}") == "pagina {n} van {total}"
    i18n.set_language("en")
    assert gettext("page {n} of {total}") == "page {n} of {total}"


@pytest.mark.parametrize("kind", list(KINDS))
def test_only_embedded_subsets_of_our_own_font(demo_handouts, kind):
    pdf = reader(demo_handouts[2][kind])
    fonts = font_dicts(pdf)
    assert fonts, f"{kind}: no fonts at all"
    assert all((page.get("/Resources") or {}).get("/Font") for page in pdf.pages), f"{kind}: a page without text"
    for where, font in fonts:
        base = str(font["/BaseFont"])[1:]
        assert SUBSET.match(base), f"{kind} {where}: {base} is not a subset"
        assert font["/Subtype"] == "/TrueType", (kind, where, font["/Subtype"])
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, f"{kind} {where}: {base} is not embedded"
        assert SUBSET.sub("", base).startswith("DejaVuSans"), (kind, where, base)
    everywhere = [str(o["/BaseFont"]) for o in every_object(pdf) if "/BaseFont" in o]
    assert len(everywhere) >= len({str(f["/BaseFont"]) for _w, f in fonts})
    assert not [b for b in everywhere if SUBSET.sub("", b[1:]).startswith(STANDARD_14)], (kind, everywhere)


def test_the_same_data_gives_the_same_bytes(demo_handouts):
    kit, held, pdfs = demo_handouts
    assert pdf_bytes("feedback", kit, held.id, DEMO_TODAY) == pdfs["feedback"]
    assert pdf_bytes("progress", kit, None, DEMO_TODAY) == pdfs["progress"]


# -- names -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def names_pdfs(invariant):
    """A meeting attended by people whose names need more than ASCII, each owning an agreement."""
    i18n.set_language("nl")
    with Kit.memory() as kit:
        meeting = kit.sessions.add("Buurtavond Esweg", "2026-11-10T19:30", "2026-11-10T22:00", status="held")
        for number, name in enumerate([*NAMES, ARABIC, "Zoe\u0308 Mulder"], 1):
            person = kit.people.add(name, consent_share=1)
            kit.attendance.mark(meeting, person, table_no=1 + number % 3)
            kit.agreements.add(f"Afspraak nummer {number}", meeting, owner_person_id=person)
        raw = kit.people.add("Placeholder", consent_share=1)  # as an import might leave it: not NFC
        kit.conn.execute("UPDATE person SET name = ? WHERE id = ?", ["Zoe\u0308 Kramer", raw])
        kit.attendance.mark(meeting, raw)
        kit.agreements.add("Afspraak nummer 7", meeting, owner_person_id=raw)
        yield {kind: pdf_bytes(kind, kit, meeting, DEMO_TODAY) for kind in ("signin", "agreements", "pack")}


@pytest.mark.parametrize("kind", ["signin", "agreements", "pack"])
@pytest.mark.parametrize("name", NAMES)
def test_names_print_exactly_as_text(names_pdfs, kind, name):
    assert name in words(text_of(names_pdfs[kind]))


@pytest.mark.parametrize("kind", ["signin", "agreements", "pack"])
def test_an_arabic_name_prints_shaped_and_is_found_by_a_search_that_folds_letter_forms(names_pdfs, kind):
    """The renderer draws the joined letter forms (Arabic Presentation Forms-B, U+FE70-U+FEFF) in visual
    order; pypdf gives a line holding only the name back in reading order, as those joined forms, not as
    the letters that were typed. So a search that folds compatibility forms (NFKC) finds the name."""
    import arabic_reshaper

    raw = "\n".join(page.extract_text() for page in reader(names_pdfs[kind]).pages)
    assert arabic_reshaper.reshape(ARABIC) in raw  # joined forms, in logical order
    assert ARABIC in unicodedata.normalize("NFKC", raw)


@pytest.mark.parametrize("kind", ["signin", "agreements", "pack"])
def test_a_name_typed_decomposed_prints_composed(names_pdfs, kind):
    raw = "\n".join(page.extract_text() for page in reader(names_pdfs[kind]).pages)
    assert "Zoë Mulder" in raw and "Zoë Kramer" in raw  # U+00EB, also for the one stored decomposed
    assert "e\u0308" not in raw


def test_every_character_of_the_names_has_a_glyph_in_the_font():
    from reportlab.pdfbase import pdfmetrics

    from wijkkit.handouts.style import BOLD, FONT, register_fonts

    register_fonts()
    import arabic_reshaper

    shaped = arabic_reshaper.reshape(ARABIC)
    for font in (FONT, BOLD):
        face = pdfmetrics.getFont(font).face
        missing = {ch for ch in "".join(NAMES) + shaped if not ch.isspace() and ord(ch) not in face.charToGlyph}
        assert not missing, (font, sorted(missing))


# -- privacy ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def privacy_pdfs(invariant):
    """Geert-Jan did not agree to share his name; Trijntje did. Both were there and took on a task."""
    i18n.set_language("nl")
    with Kit.memory() as kit:
        meeting = kit.sessions.add("Buurtavond Esweg", "2026-11-10T19:30", "2026-11-10T22:00", status="held")
        secret = kit.people.add("Geert-Jan Brinkhuis", role="mantelzorger")
        shared = kit.people.add("Trijntje Bakker", role="vrijwilliger", consent_share=1)
        for person in (secret, shared):
            kit.attendance.mark(meeting, person, table_no=2)
        kit.agreements.add("Boodschappenlijst bijhouden", meeting, owner_person_id=secret, due_on="2026-11-20",
                           description="Geert-Jan brinkhuis belt iedereen na.",
                           partners="Trijntje Bakker, GEERT-JAN BRINKHUIS")  # fmt: skip
        kit.agreements.add("Koffie zetten", meeting, owner_person_id=shared, due_on="2026-11-21")
        said = datetime(2026, 11, 10, 20, 15).astimezone()
        kit.live.capture(meeting, "quote", "Geert-Jan Brinkhuis zei: gewoon beginnen.", at=said)
        yield {kind: pdf_bytes(kind, kit, None if kind == "progress" else meeting, DEMO_TODAY)
               for kind in ("agreements", "feedback", "pack", "progress")}  # fmt: skip


@pytest.mark.parametrize("kind", ["agreements", "feedback", "pack", "progress"])
def test_a_name_without_consent_to_share_is_not_printed(privacy_pdfs, kind):
    pages = page_texts(privacy_pdfs[kind])
    leaks = [(number, line) for number, page in enumerate(pages, 1) for line in page.splitlines()
             if re.search("geert|brinkhuis", line, re.IGNORECASE)]  # fmt: skip
    assert not leaks, f"{kind} prints the name of someone who did not agree to share it: {leaks}"
    text = words("\n".join(pages))
    assert squash(gettext(NAME_NOT_SHARED)) in squash(text), f"{kind}: the owner is not said to be unshared"
    role = gettext(ROLES["mantelzorger"])  # nor by role: in a village "de mantelzorger" names someone too
    assert squash(f"{role} (") not in squash(text), f"{kind}: the owner is shown by role"


@pytest.mark.parametrize("kind", ["agreements", "feedback", "pack", "progress"])
def test_a_name_with_consent_to_share_is_printed(privacy_pdfs, kind):
    assert "Trijntje Bakker" in words(text_of(privacy_pdfs[kind]))


# -- edge cases ------------------------------------------------------------------------


def readable(data: bytes, *expected: str) -> str:
    pdf = reader(data)
    assert len(pdf.pages) >= 1
    text = text_of(data)
    for wanted in expected:
        assert squash(wanted) in squash(text), wanted
    return text


@pytest.mark.parametrize("kind", ["script", "cards", "programme", "pack"])
def test_a_meeting_without_an_agenda_still_prints(kit, meeting, kind):
    readable(pdf_bytes(kind, kit, meeting, DEMO_TODAY), "Buurtavond Esweg", title(kind))


def test_a_meeting_without_an_agenda_says_so(kit, meeting):
    empty = gettext("The agenda of this meeting has not been made yet.")
    readable(pdf_bytes("programme", kit, meeting, DEMO_TODAY), empty)
    readable(pdf_bytes("script", kit, meeting, DEMO_TODAY), empty)
    readable(pdf_bytes("cards", kit, meeting, DEMO_TODAY),
             gettext("No agenda item of this meeting has questions yet, so there are no cards to print."))  # fmt: skip


@pytest.mark.parametrize("kind", ["agreements", "feedback"])
def test_a_meeting_without_agreements_still_prints(kit, meeting, kind):
    readable(pdf_bytes(kind, kit, meeting, DEMO_TODAY), "Buurtavond Esweg",
             gettext("No agreements have been recorded."))  # fmt: skip


def test_an_empty_database_still_gives_a_progress_report(kit):
    readable(pdf_bytes("progress", kit, None, DEMO_TODAY), title("progress"),
             gettext("There are no neighbourhoods or meetings yet."))  # fmt: skip


def test_five_hundred_agreements_are_all_listed(kit, meeting):
    with kit.transaction():
        for number in range(500):
            kit.agreements.add(f"Afspraak {number:03d} koffie", meeting, owner_party="Dorpsbelang")
    data = pdf_bytes("agreements", kit, meeting, DEMO_TODAY)
    assert len(reader(data).pages) > 5
    text = words(text_of(data))
    missing = [n for n in range(500) if f"Afspraak {n:03d} koffie" not in text]
    assert not missing


def long_text(size: int) -> str:
    """Dutch-looking words with a number in each, so a lost or repeated piece shows."""
    parts, number = [], 0
    while len(" ".join(parts)) < size:
        parts.append(f"{STOCK[number % len(STOCK)]}{number}")
        number += 1
    cut = " ".join(parts)[: size - 1]
    return cut + ("x" if cut.endswith(" ") else ".")


LONG = [(kind, size) for size in (2000, 5000) for kind in ("agreements", "feedback", "pack")]


@pytest.mark.parametrize(("kind", "size"), LONG + [("feedback", 3525)])  # 3525: what is left of the row is short
def test_a_long_description_is_printed_whole(kit, meeting, kind, size):
    description = long_text(size)
    assert len(description) == size
    kit.agreements.add("Een heel lange afspraak", meeting, description=description, owner_party="Gemeente")
    data = pdf_bytes(kind, kit, meeting, DEMO_TODAY)
    pages = page_texts(data)
    copies = 2 if kind == "pack" else 1  # the pack holds the agreements list and the feedback report
    assert squash(text_of(data)).count(squash(description)[:60]) == copies
    assert runs_on(pages, description), f"{kind}: part of the {size}-character text is missing"
    numbered = re.compile(rf"(?:{'|'.join(STOCK)})(\d+)")
    assert numbered.findall("".join(pages)) == numbered.findall(description) * copies, "a piece printed twice"


def test_a_missing_logo_is_left_out(kit, meeting):
    branding.save(kit, "Gemeente Veldhorst", "/nonexistent/logo.png")
    for kind in ("programme", "pack"):
        data = pdf_bytes(kind, kit, meeting, DEMO_TODAY)
        for number, text in enumerate(page_texts(data), 1):
            assert text.splitlines()[0] == "Gemeente Veldhorst", (kind, number)
        assert not images(reader(data))


def images(pdf: PdfReader) -> list[str]:
    found = []
    for page in pdf.pages:
        xobjects = (page.get("/Resources") or {}).get("/XObject") or {}
        found += [str(n) for n, x in xobjects.items() if x.get_object().get("/Subtype") == "/Image"]
    return found


def test_a_real_logo_is_printed_on_every_page(kit, meeting, tmp_path):
    from PIL import Image

    logo = tmp_path / "logo.png"
    picture = Image.new("RGBA", (120, 40), (31, 111, 92, 255))
    picture.paste((255, 255, 255, 0), (40, 10, 80, 30))  # a transparent window: a soft mask
    picture.save(logo)
    branding.save(kit, "Gemeente Veldhorst", logo)
    for number in range(40):
        kit.agreements.add(f"Afspraak {number}", meeting, owner_party="Gemeente")
    data = pdf_bytes("agreements", kit, meeting, DEMO_TODAY)
    pdf = reader(data)
    assert len(pdf.pages) >= 2
    assert len(images(pdf)) == len(pdf.pages)
    assert all(t.splitlines()[0] == "Gemeente Veldhorst" for t in page_texts(data))


def test_a_logo_that_is_not_a_picture_is_left_out(kit, meeting, tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"this is not a PNG")
    branding.save(kit, "Gemeente Veldhorst", logo)
    data = pdf_bytes("invitation", kit, meeting, DEMO_TODAY)
    assert page_texts(data)[0].splitlines()[0] == "Gemeente Veldhorst"
    assert not images(reader(data))


# -- errors ----------------------------------------------------------------------------


def test_an_unknown_kind_is_a_clear_error(kit, meeting):
    with pytest.raises(KitError) as raised:
        pdf_bytes("brochure", kit, meeting)
    assert raised.value.english() == "Unknown handout: brochure."


@pytest.mark.parametrize("kind", sorted(NEEDS_SESSION))
def test_a_meeting_handout_without_a_meeting_is_a_clear_error(kit, kind):
    with pytest.raises(KitError) as raised:
        pdf_bytes(kind, kit)
    assert raised.value.english() == "This handout is about one meeting: choose the meeting first."
    assert "bijeenkomst" in raised.value.localized()


def test_a_meeting_that_does_not_exist_is_a_clear_error(kit):
    with pytest.raises(NotFoundError) as raised:
        pdf_bytes("programme", kit, "no-such-meeting")
    assert "no-such-meeting" in raised.value.english()


def test_progress_ignores_no_meeting_but_checks_a_given_one(kit, meeting):
    assert pdf_bytes("progress", kit, meeting, DEMO_TODAY).startswith(b"%PDF-")
    with pytest.raises(NotFoundError):
        pdf_bytes("progress", kit, "no-such-meeting")


def test_render_writes_the_whole_file_and_nothing_else(kit, meeting, tmp_path):
    out = tmp_path / "programma.pdf"
    assert render("programme", kit, out, meeting, DEMO_TODAY).path == out
    assert out.read_bytes() == pdf_bytes("programme", kit, meeting, DEMO_TODAY)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["programma.pdf"]


def test_a_document_that_fails_leaves_no_file(kit, meeting, tmp_path, monkeypatch):
    from wijkkit.handouts import agreements

    def broken(context):
        raise RuntimeError("layout failed")

    monkeypatch.setattr(agreements, "story", broken)
    out = tmp_path / "afspraken.pdf"
    with pytest.raises(RuntimeError):
        render("agreements", kit, out, meeting, DEMO_TODAY)
    assert list(tmp_path.iterdir()) == []
    out.write_bytes(b"the previous version")
    with pytest.raises(RuntimeError):
        render("agreements", kit, out, meeting, DEMO_TODAY)
    assert out.read_bytes() == b"the previous version"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afspraken.pdf"]


def test_a_write_that_fails_halfway_leaves_no_part_file(kit, meeting, tmp_path, monkeypatch):
    def full(_fd):
        raise OSError(28, "No space left on device")

    out = tmp_path / "afspraken.pdf"
    out.write_bytes(b"the previous version")
    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(KitError, match="could not be written: No space left on device"):
        render("agreements", kit, out, meeting, DEMO_TODAY)
    assert out.read_bytes() == b"the previous version"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afspraken.pdf"]


@pytest.fixture
def demo_db(demo_file, tmp_path):
    copy = tmp_path / "demo.sqlite"
    shutil.copy(demo_file, copy)
    with Kit.open(copy) as kit:
        held = held_meeting(kit)
    return copy, held


def test_the_command_line_writes_a_session_pack(demo_db, tmp_path, capsys):
    from wijkkit.cli import main

    path, held = demo_db
    out = tmp_path / "pakket.pdf"
    assert main(["handout", "pack", "--db", str(path), "--session", held, "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"wrote {out}"
    pages = page_texts(out.read_bytes())
    assert len(pages) > 8 and f"pagina {len(pages)} van {len(pages)}" in pages[-1]
    assert not out.with_name("pakket.pdf.part").exists()


@pytest.mark.parametrize("session", [None, "no-such-meeting"])
def test_the_command_line_reports_a_missing_meeting_in_english(demo_db, tmp_path, capsys, session):
    from wijkkit.cli import main

    path, _held = demo_db
    out = tmp_path / "pakket.pdf"
    argv = ["handout", "pack", "--db", str(path), "--out", str(out)] + (["--session", session] if session else [])
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    error = captured.err.strip()
    assert error.startswith("error: ") and "\n" not in error and "Traceback" not in error
    if session:
        assert "no-such-meeting" in error and "does not exist" in error
    else:
        assert error == (f"error: The handout 'pack' is about one meeting: give its id with --session. "
                         f"'wijkkit sessions --db {path}' lists the meetings and their ids.")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.sqlite"]


def test_the_command_line_writes_progress_without_a_meeting(demo_db, tmp_path):
    from wijkkit.cli import main

    path, _held = demo_db
    out = tmp_path / "voortgang.pdf"
    assert main(["handout", "progress", "--db", str(path), "--out", str(out)]) == 0
    assert title("progress") in text_of(out.read_bytes())


# -- the session pack ------------------------------------------------------------------


def test_the_pack_lists_every_document_with_the_page_it_starts_on(demo_handouts):
    _kit, held, pdfs = demo_handouts
    pack = reader(pdfs["pack"])
    entries = toc(pack.pages[0])
    assert [name for name, _page in entries] == [title(kind) for kind in DOCUMENTS]
    starts = [page for _name, page in entries]
    assert starts == sorted(set(starts)) and starts[0] == 2 and starts[-1] <= len(pack.pages)
    assert squash(gettext("Contents")) in squash(page_texts(pdfs["pack"])[0])
    organisation = "Welzijn Veldhorst · wijkdialogen"
    pack_pages = page_texts(pdfs["pack"])
    for kind, start in zip(DOCUMENTS, starts, strict=True):
        alone = page_texts(pdfs[kind])[0]
        expected = body_lines(alone, {organisation, reader(pdfs[kind]).metadata.title})[:3]
        found = body_lines(pack_pages[start - 1], {organisation, pack.metadata.title})[:3]
        assert found == expected, f"{kind}: the contents say page {start}"


def test_the_pack_holds_every_page_of_every_document(demo_handouts):
    pdfs = demo_handouts[2]
    pack_pages = len(reader(pdfs["pack"]).pages)
    assert pack_pages == 1 + sum(len(reader(pdfs[kind]).pages) for kind in DOCUMENTS)


def test_the_pack_footer_counts_the_whole_pack(demo_handouts):
    pages = page_texts(demo_handouts[2]["pack"])
    total = len(pages)
    assert total > 10
    assert pages[-1].rstrip().endswith(f"pagina {total} van {total}")
    assert f"pagina 1 van {total}" in pages[0]
