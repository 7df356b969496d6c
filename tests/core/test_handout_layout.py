"""What makes the session pack fast must not change what it prints.

The pack's table of contents knows its titles in advance and is drawn last
(contents.py), so the pack is laid out and drawn once; when that cannot be, a first
pass only lays the pages out (``page.Template``'s sketch) and the drawn pass after it
finds the same pages, and when a sketch would be wrong another drawn pass puts it
right. Both ways print the same pages. A paragraph keeps its lines for the width it
was last given; plain ASCII text skips the clean-up that other text needs.
"""

from __future__ import annotations

import io
from datetime import date

import pytest

from tests.core.pdf_text import page_texts, reader, toc
from wijkkit.handouts import pack, pdf_bytes
from wijkkit.handouts.page import Template
from wijkkit.handouts.render import title
from wijkkit.handouts.style import clean, para, styles

DEMO_TODAY = date(2026, 11, 29)


def canvases(monkeypatch) -> list[str]:
    """The kind of canvas of every pass of every build, in order."""
    made: list[str] = []
    build = Template.build

    def counted(self, flowables, filename=None, canvasmaker=None):
        build(self, flowables, filename, *([canvasmaker] if canvasmaker else []))
        made.append(type(self.canv).__name__)

    monkeypatch.setattr(Template, "build", counted)
    return made


def contents_match_the_pages(data: bytes, kit, session_id: str) -> None:
    """Each document starts on the page after the cover and the documents before it."""
    entries = toc(reader(data).pages[0])
    assert [name for name, _page in entries] == [title(kind) for kind in pack.DOCUMENTS]
    start = 2
    for (_name, page), kind in zip(entries, pack.DOCUMENTS, strict=True):
        assert page == start, kind
        start += len(reader(pdf_bytes(kind, kit, session_id, DEMO_TODAY)).pages)
    assert len(page_texts(data)) == start - 1


def held(kit) -> str:
    return next(s.id for s in kit.sessions.list() if s.status == "held")


def unexpected(monkeypatch) -> None:
    """The pack's contents expect a chapter that never comes: the single pass cannot be used."""
    contents = pack.contents

    def one_more():
        made = contents()
        made.expected.append((0, "Appendix"))
        return made

    monkeypatch.setattr(pack, "contents", one_more)


def test_the_pack_is_drawn_once(demo_kit, monkeypatch):
    made = canvases(monkeypatch)
    data = pdf_bytes("pack", demo_kit, held(demo_kit), DEMO_TODAY)
    assert made == ["NumberedCanvas"]
    contents_match_the_pages(data, demo_kit, held(demo_kit))


def test_contents_that_find_other_chapters_fall_back_to_a_sketch_and_a_drawn_pass(demo_kit, monkeypatch):
    made = canvases(monkeypatch)
    unexpected(monkeypatch)
    data = pdf_bytes("pack", demo_kit, held(demo_kit), DEMO_TODAY)
    assert made == ["NumberedCanvas", "SketchCanvas", "NumberedCanvas"]
    contents_match_the_pages(data, demo_kit, held(demo_kit))


def test_a_sketch_that_misses_the_chapters_is_put_right_by_another_pass(demo_kit, monkeypatch):
    made = canvases(monkeypatch)
    unexpected(monkeypatch)
    monkeypatch.setattr(pack.Chapter, "sketch_draws", False)  # the sketch then finds no contents at all
    data = pdf_bytes("pack", demo_kit, held(demo_kit), DEMO_TODAY)
    assert made == ["NumberedCanvas", "SketchCanvas", "NumberedCanvas", "NumberedCanvas"]
    contents_match_the_pages(data, demo_kit, held(demo_kit))


@pytest.mark.parametrize("theme_words", [0, 200])  # 200: the cover runs over, the contents are on page 2
def test_drawing_the_contents_last_prints_what_two_passes_print(demo_kit, monkeypatch, theme_words):
    session = held(demo_kit)
    if theme_words:
        demo_kit.sessions.edit(session, theme=" ".join(["mantelzorg"] * theme_words))
    once = pdf_bytes("pack", demo_kit, session, DEMO_TODAY)
    made = canvases(monkeypatch)
    unexpected(monkeypatch)
    twice = pdf_bytes("pack", demo_kit, session, DEMO_TODAY)
    assert made[0] == "NumberedCanvas" and "SketchCanvas" in made
    assert page_texts(once) == page_texts(twice)
    at = 1 if theme_words else 0
    assert toc(reader(once).pages[at]) == toc(reader(twice).pages[at])
    assert [name for name, _page in toc(reader(once).pages[at])] == [title(kind) for kind in pack.DOCUMENTS]


def test_a_single_document_is_drawn_once_without_a_sketch(demo_kit, monkeypatch):
    made = canvases(monkeypatch)
    pdf_bytes("agreements", demo_kit, held(demo_kit), DEMO_TODAY)
    assert made == ["NumberedCanvas"]


def test_a_paragraph_breaks_its_lines_anew_for_another_width():
    paragraph = para("buurt " * 60)
    leading = styles()["body"].leading
    wide = paragraph.wrap(400, 1000)
    narrow = paragraph.wrap(120, 1000)
    assert narrow[1] > wide[1]
    assert len(paragraph.blPara.lines) * leading == narrow[1]
    assert paragraph.wrap(400, 1000) == wide
    assert len(paragraph.blPara.lines) * leading == wide[1]
    first, rest = paragraph.split(400, 2 * leading)
    assert len(first.blPara.lines) == 2 and first.wrap(400, 1000)[1] + rest.wrap(400, 1000)[1] == wide[1]


def test_a_paragraph_pushed_to_the_next_page_still_draws():
    """split() drops the lines when not even two fit (no orphans); the next wrap must make
    them again, or drawing fails (seen in an inzage PDF whose table row broke at a page end)."""
    from reportlab.pdfgen.canvas import Canvas

    paragraph = para("buurt " * 60)
    leading = styles()["body"].leading
    paragraph.wrap(400, 1000)
    assert paragraph.split(400, leading) == []  # one line would be an orphan: all of it moves on
    assert paragraph.wrap(400, 1000)[1] == len(paragraph.blPara.lines) * leading
    paragraph.drawOn(Canvas(io.BytesIO()), 0, 0)


@pytest.mark.parametrize(
    ("raw", "printed"),
    [
        ("Henk de Vries", "Henk de Vries"),
        ("line\nnext\ttab", "line\nnext\ttab"),
        ("cr\r\nlf and\x0bvt\n", "cr\nlf andvt\n"),
        ("bell\x07 and \x7fdelete", "bell and delete"),
        ("Zoe\u0308", "Zoë"),
        ("zero\u200bwidth", "zerowidth"),
        ("no\u00a0break", "no\u00a0break"),
        (None, ""),
        (12, "12"),
    ],
)
def test_clean_text(raw, printed):
    assert clean(raw) == printed
