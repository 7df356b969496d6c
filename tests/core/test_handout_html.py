"""Handouts for those who read with a screen reader (issue 17, problem 8).

Every PDF asks the viewer to show its title rather than its file name (DisplayDocTitle in the
catalog's /ViewerPreferences). The feedback and the progress report, shared digitally, come
with an accessible HTML file beside the PDF: parsed here strictly (every tag closed, ``lang``,
a title, one h1, headings that never skip a level, every table with a caption and header cells
with a scope), with the same content as the PDF (every text of the HTML is printed in the PDF)
and the same privacy (a person without "Delen" is named in neither).
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from datetime import date, datetime
from html.parser import HTMLParser

import pytest

from tests.core.pdf_text import reader, squash, text_of
from wijkkit import i18n
from wijkkit.handouts import KINDS, NEEDS_SESSION, make, pdf_bytes
from wijkkit.handouts.inzage import pdf_for_person
from wijkkit.handouts.render import html_beside
from wijkkit.kit import Kit

DEMO_TODAY = date(2026, 11, 29)  # as in tests/conftest.py
SECRET = "Nguyễn Thị Minh Khai"  # in the demo village, without consent to share
VOID = frozenset({"meta", "br", "hr", "img", "link", "input", "wbr"})


class Strict(HTMLParser):
    """Reads an HTML file and fails on a tag left open or closed out of order; collects what the tests check."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.lang = self.charset = None
        self.headings: list[int] = []
        self.tables: list[dict] = []
        self.chunks: list[tuple[str, str]] = []  # (innermost tag, text) of everything a reader hears
        self.title = ""
        self.external: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag == "meta" and "charset" in attrs:
            self.charset = attrs["charset"]
        if tag in ("script", "link", "img", "iframe") or "src" in attrs:
            self.external.append(tag)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "table":
            self.tables.append({"first": None, "th": 0, "scoped": 0, "rows": 0})
        elif self.tables and self.open[-1:] == ["table"] and self.tables[-1]["first"] is None:
            self.tables[-1]["first"] = tag
        if tag == "th":
            self.tables[-1]["th"] += 1
            self.tables[-1]["scoped"] += attrs.get("scope") in ("col", "row")
        if tag == "tr":
            self.tables[-1]["rows"] += 1
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        assert tag in VOID, f"<{tag}/> is not an empty element"
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        assert tag not in VOID, f"</{tag}>"
        assert self.open and self.open[-1] == tag, f"</{tag}> closes <{self.open[-1:]}>"
        self.open.pop()

    def handle_data(self, data):
        if not data.strip() or not self.open:
            return
        where = self.open[-1]
        if where == "title":
            self.title += data
        elif where != "style":
            self.chunks.append((where, data.strip()))


def parsed(html: str) -> Strict:
    parser = Strict()
    parser.feed(html)
    parser.close()
    assert not parser.open, f"left open: {parser.open}"
    return parser


@pytest.fixture(scope="module")
def invariant():
    from reportlab import rl_config

    before = rl_config.invariant
    rl_config.invariant = 1
    yield
    rl_config.invariant = before


@pytest.fixture(scope="module")
def village(demo_file, tmp_path_factory, invariant):
    """The demo village, where Nguyễn (no "Delen") took on an agreement, is quoted and took up an obstacle."""
    i18n.set_language("nl")
    path = tmp_path_factory.mktemp("html") / "demo.sqlite"
    shutil.copy(demo_file, path)
    with Kit.open(path) as kit:
        held = next(s for s in kit.sessions.list() if s.status == "held")
        secret = next(p for p in kit.people.list() if p.name == SECRET)
        assert not secret.consent_share
        kit.agreements.add("Buurtapp opzetten", held.id, owner_person_id=secret.id, due_on="2026-11-12",
                           description=f"{SECRET} vraagt de school mee te doen.", partners=f"Buurthuis, {SECRET.upper()}")  # fmt: skip
        kit.live.capture(held.id, "quote", f"{SECRET}: wij koken graag voor de buurt.",
                         at=datetime(2026, 11, 8, 20, 10).astimezone())  # fmt: skip
        reports = {kind: make(kind, kit, held.id if kind == "feedback" else None, DEMO_TODAY)
                   for kind in ("feedback", "progress")}  # fmt: skip
        yield kit, held, reports


# -- DisplayDocTitle -------------------------------------------------------------------


def test_every_handout_asks_the_viewer_to_show_its_title(village):
    kit, held, _reports = village
    made = {kind: pdf_bytes(kind, kit, held.id if kind in NEEDS_SESSION else None, DEMO_TODAY) for kind in KINDS}
    made["inzage"] = pdf_for_person(kit, kit.people.list()[0].id, DEMO_TODAY)
    for kind, data in made.items():
        pdf = reader(data)
        preferences = pdf.trailer["/Root"]["/ViewerPreferences"]
        assert preferences["/DisplayDocTitle"].value is True, kind  # a pypdf BooleanObject
        assert pdf.trailer["/Root"]["/Lang"] == "nl-NL", kind
        assert pdf.metadata.title, kind


# -- the HTML beside the PDF -----------------------------------------------------------


@pytest.mark.parametrize("kind", ["feedback", "progress"])
def test_the_html_report_is_well_formed_and_navigable(village, kind):
    html = village[2][kind].html
    page = parsed(html)
    assert html.startswith("<!DOCTYPE html>")
    assert page.lang == "nl" and page.charset == "utf-8"
    assert page.title.strip() == reader(village[2][kind].data).metadata.title
    assert page.headings.count(1) == 1 and page.headings[0] == 1
    skipped = [(a, b) for a, b in zip(page.headings, page.headings[1:], strict=False) if b > a + 1]
    assert not skipped, f"heading levels skip: {skipped}"
    assert len(page.tables) >= (3 if kind == "feedback" else 5)
    for table in page.tables:
        assert table["first"] == "caption", table
        assert table["th"] > 0 and table["scoped"] == table["th"], table
    assert not page.external, "the file must stand alone: no scripts, images or style sheets from elsewhere"
    assert 'style="color' not in html and "<font" not in html  # no colour carries meaning


@pytest.mark.parametrize("kind", ["feedback", "progress"])
def test_the_html_says_what_the_pdf_says(village, kind):
    made = village[2][kind]
    printed = squash(text_of(made.data))
    page = parsed(made.html)
    missing = [text for tag, text in page.chunks if tag != "caption" and squash(text) not in printed]
    assert not missing, f"in the HTML but not in the PDF: {missing}"
    headings = {text for tag, text in page.chunks if re.fullmatch(r"h[1-6]", tag)}
    wanted = ({"Wat er gezegd is", "Hobbels", "Aanbod en vraag", "Afspraken", "De volgende bijeenkomst"}
              if kind == "feedback" else {"Per wijk", "Afspraken in één oogopslag", "Bijeenkomsten",
                                          "Afspraken die te laat zijn"})  # fmt: skip
    assert wanted <= headings, wanted - headings
    if kind == "feedback":
        assert "18 mensen deden mee." in made.html and "18 mensen deden mee." in text_of(made.data)
        agreements = village[0].agreements.for_session(village[1].id)
        assert made.html.count('<th scope="row"><strong>') == len(agreements)


def test_the_progress_charts_are_given_as_their_numbers(village):
    kit = village[0]
    page = parsed(village[2]["progress"].html)
    captions = [text for tag, text in page.chunks if tag == "caption"]
    assert "Alle afspraken per status" in captions and "Afspraken per wijk" in captions
    statuses = Counter(a.status for a in kit.agreements.list())
    html = village[2]["progress"].html
    pie = html[html.index("<caption>Alle afspraken per status"):]
    pie = pie[:pie.index("</table>")]
    for status, label in (("open", "open"), ("done", "afgerond")):
        assert f'<th scope="row">{label}</th><td class="number">{statuses[status]}</td>' in pie


@pytest.mark.parametrize("kind", ["feedback", "progress"])
def test_a_name_without_consent_to_share_is_in_neither_file(village, kind):
    made = village[2][kind]
    for name, body in (("PDF", text_of(made.data)), ("HTML", made.html)):
        leaks = re.findall(r"[^\n<>]*(?:Nguy|Minh|Khai)[^\n<>]*", body, re.IGNORECASE)
        assert not leaks, f"the {kind} {name} names someone who did not agree: {leaks}"
        assert squash("(naam niet gedeeld)") in squash(body), f"{kind} {name}: the owner is not said to be unshared"
        assert squash("inwoner (naam niet gedeeld)") not in squash(body), f"{kind} {name}: the owner's role is shown"


def test_the_html_goes_beside_the_pdf_and_never_over_it(tmp_path):
    assert html_beside(tmp_path / "Voortgang.pdf") == tmp_path / "Voortgang.html"
    assert html_beside(tmp_path / "rapport") == tmp_path / "rapport.html"
    assert html_beside(tmp_path / "rapport.HTML") == tmp_path / "rapport.HTML.html"


@pytest.mark.parametrize(("kind", "html"), [("feedback", True), ("progress", True), ("agreements", False)])
def test_the_command_line_writes_the_html_beside_the_pdf(village, tmp_path, capsys, kind, html):
    from wijkkit.cli import main

    kit, held, _reports = village
    out = tmp_path / "rapport.pdf"
    session = [] if kind == "progress" else ["--session", held.id]
    assert main(["handout", kind, "--db", str(kit.path), *session, "--out", str(out)]) == 0
    said = capsys.readouterr().out.splitlines()
    assert out.read_bytes().startswith(b"%PDF")
    if html:
        assert said == [f"wrote {out}", f"wrote {tmp_path / 'rapport.html'}"]
        written = (tmp_path / "rapport.html").read_text(encoding="utf-8")
        assert parsed(written).lang == "nl" and SECRET not in written
    else:
        assert said == [f"wrote {out}"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rapport.html", "rapport.pdf"][0 if html else 1:]
