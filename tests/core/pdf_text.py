"""Reading handout PDFs back as a reader gets them (pypdf): page texts, fonts, objects,
the table of contents. Shared by the handout tests, so each asserts on what was printed."""

from __future__ import annotations

import io
import re
import unicodedata

from pypdf import PdfReader
from pypdf.generic import IndirectObject

from wijkkit.i18n import gettext


def reader(data: bytes) -> PdfReader:
    assert data.startswith(b"%PDF-"), data[:20]
    return PdfReader(io.BytesIO(data), strict=True)


def page_texts(data: bytes) -> list[str]:
    return [unicodedata.normalize("NFC", page.extract_text()) for page in reader(data).pages]


def text_of(data: bytes) -> str:
    return "\n".join(page_texts(data))


def words(value: str) -> str:
    """Whitespace (line breaks from wrapping) folded to single spaces."""
    return " ".join(value.split())


def squash(value: str) -> str:
    """No whitespace at all: a word broken over two lines of a narrow column still matches."""
    return re.sub(r"\s+", "", value)


def runs_on(pages: list[str], wanted: str) -> bool:
    """``wanted`` appears whole, possibly continued from one page to the next (a table row that splits).

    Between the pages come the header, the footer and the repeated table header, so the
    text is matched page by page: each page must hold the longest piece that follows on.
    """
    wanted, done = squash(wanted), 0
    for page in map(squash, pages):
        low, high = 0, len(wanted) - done  # the longest prefix of the rest found on this page
        while low < high:
            middle = (low + high + 1) // 2
            if wanted[done : done + middle] in page:
                low = middle
            else:
                high = middle - 1
        done += low
        if done == len(wanted):
            return True
    return False


def font_dicts(pdf: PdfReader) -> list[tuple[str, dict]]:
    """Every font in the resources of every page and of every form XObject inside them."""
    found: list[tuple[str, dict]] = []
    seen: set[int] = set()

    def walk(resources, where: str) -> None:
        resources = resources.get_object() if resources is not None else {}
        for name, font in (resources.get("/Font") or {}).items():
            found.append((f"{where} {name}", font.get_object()))
        for name, xobject in (resources.get("/XObject") or {}).items():
            target = xobject.idnum if isinstance(xobject, IndirectObject) else id(xobject)
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form" and target not in seen:
                seen.add(target)
                walk(xobject.get("/Resources"), f"{where} {name}")

    for number, page in enumerate(pdf.pages, 1):
        walk(page.get("/Resources"), f"page {number}")
    return found


def every_object(pdf: PdfReader) -> list:
    """Every dictionary reachable from the document catalogue (fonts hidden anywhere, too)."""
    found, seen, todo = [], set(), [pdf.trailer["/Root"]]
    while todo:
        item = todo.pop()
        if isinstance(item, IndirectObject):
            if item.idnum in seen:
                continue
            seen.add(item.idnum)
            item = item.get_object()
        if isinstance(item, dict):
            found.append(item)
            todo += [v for k, v in item.items() if k != "/Parent"]
        elif isinstance(item, list):
            todo += list(item)
    return found


def body_lines(text: str, noise: set[str]) -> list[str]:
    """A page's lines without the running header and footer."""
    footer = re.compile(gettext("page {n} of {total}").format(n=r"\d+", total=r"\d+") + "$")
    return [line.strip() for line in text.splitlines()
            if line.strip() and line.strip() not in noise and not footer.match(line.strip())]  # fmt: skip


def toc(page) -> list[tuple[str, int]]:
    """The (title, page number) lines of a table of contents, read by position on the page."""
    rows: dict[float, list[tuple[float, str]]] = {}

    def visit(text, cm, tm, _font, _size) -> None:
        if text.strip():
            y = round(tm[5] * cm[3] + cm[5])
            rows.setdefault(y, []).append((tm[4] * cm[0] + cm[4], text.strip()))

    page.extract_text(visitor_text=visit)
    entries = []
    for _y, parts in sorted(rows.items(), reverse=True):
        line = " ".join(part for _x, part in sorted(parts))
        found = re.fullmatch(r"(.+?)\s*(?:\.\s*){3,}(\d+)", line)
        if found:
            entries.append((unicodedata.normalize("NFC", found.group(1)), int(found.group(2))))
    return entries
