"""Pages of a handout: the A4 frame, the header with the organisation, 'pagina x van y'.

``Context`` carries what every document needs (the Kit, the meeting, the branding,
today's date). ``build`` lays out a story on A4 pages; the page count in the
footer needs the total, so the canvas keeps each page until the end
(``NumberedCanvas``) and then writes 'pagina x van y' on all of them.

Every PDF also says what it is beyond its pages (``template``, ``NumberedCanvas``): its language in the
catalog (/Lang, the language the app speaks, so a screen reader reads it in Dutch), the viewer
preference DisplayDocTitle (the window shows the document's title, not the file name), Wijkkit and
its version as Creator, and a tag of its own for every embedded font subset (``distinct_subset_tags``).

A story with a table of contents (the session pack) needs to know on which page
each part starts before it is drawn. Its contents know their titles in advance
(contents.py): the story is built once, and the contents are drawn last
(``NumberedCanvas.later``). Should that not work out, reportlab's ``multiBuild``
builds the story twice; here (``Template``) its first pass is a sketch
(``SketchCanvas``): the frame places every flowable exactly as when drawing, so the
page breaks are the same, but draws nothing (only markers such as the pack's
``Chapter``, which report their page). The next pass draws and checks that the
contents it printed are those it found, and another follows if they were not.
"""

from __future__ import annotations

import copy
import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen import canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from wijkkit import __version__
from wijkkit.branding import Branding
from wijkkit.handouts.contents import LateContents
from wijkkit.handouts.fallback import draw_string
from wijkkit.handouts.quickcanvas import QuickCanvas, number
from wijkkit.handouts.style import (
    BOLD,
    FONT,
    MARGIN,
    MUTED,
    RULE,
    clean,
    register_fonts,
    visual_line,
)
from wijkkit.i18n import _, current_language

if TYPE_CHECKING:
    from wijkkit.kit import Kit
    from wijkkit.models import Session

LOGO_HEIGHT = 12 * mm
LANGUAGE_TAGS = {"nl": "nl-NL", "en": "en-GB"}  # the app's language -> the catalog's /Lang (BCP 47)
SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")


@dataclass
class Context:
    kit: Kit
    session_id: str | None = None
    today: date = field(default_factory=date.today)
    branding: Branding | None = None

    def __post_init__(self) -> None:
        if self.branding is None:
            self.branding = Branding.of(self.kit)

    @property
    def session(self) -> Session:
        """The meeting, read once per handout (a frozen record; the pack's documents ask for it a dozen times)."""
        read = self.__dict__.get("_session")
        if read is None or read.id != self.session_id:
            read = self.__dict__["_session"] = self.kit.sessions.get(self.session_id)
        return read


class NumberedCanvas(QuickCanvas):
    """Holds every page until the end, so the footer can say how many there are (quickcanvas.py: the
    operators of reportlab's Canvas, written with less work)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initialFontName", FONT)  # else Helvetica is listed, though never used
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []
        self._later: dict[int, list[Callable[[canvas.Canvas], None]]] = {}

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def later(self, draw: Callable[[canvas.Canvas], None]) -> None:
        """``draw(canvas)`` on this page when the pages are written out, before the footer (contents.py)."""
        self._later.setdefault(len(self._pages), []).append(draw)

    def save(self) -> None:
        total = len(self._pages)
        for index, state in enumerate(self._pages):
            self.__dict__.update(state)
            for draw in self._later.get(index, ()):
                draw(self)
            self.setFont(FONT, 8)
            self.setFillColor(MUTED)
            self.drawRightString(A4[0] - MARGIN, 10 * mm,
                                 _("page {n} of {total}").format(n=self._pageNumber, total=total))  # fmt: skip
            super().showPage()
            deflated_only(self._doc.Pages.pages[-1])
        distinct_subset_tags(self._doc)
        super().save()


def deflated_only(page: pdfdoc.PDFPage) -> None:
    """The page's content stream compressed (Flate) but not also ASCII85-encoded.

    reportlab encodes every compressed page stream in ASCII85 as well (``rl_config.useA85``),
    for 7-bit mail of the 1990s: a quarter bigger, and its pure-Python encoder took a third of a
    session pack's saving time. The fonts are binary streams anyway. The page draws the same;
    the setting is left alone, as other reportlab documents in this process may rely on it.
    """
    if page.compression and page.stream and not page.Contents:
        page.Contents = pdfdoc.PDFStream(content=page.stream, filters=[pdfdoc.PDFZCompress])


class SketchCanvas(canvas.Canvas):
    """The canvas of a pass that only lays out: pages are counted, nothing is drawn or saved."""


def _nothing(*_args: Any, **_kwargs: Any) -> None:
    return None


class BodyFrame(Frame):
    """The frame of every page; on a ``SketchCanvas`` it places flowables without drawing them.

    reportlab's own placement runs unchanged (so a sketch breaks pages exactly where
    drawing does); only the flowable's ``drawOn`` is shadowed for that one call. A
    flowable whose class sets ``sketch_draws`` (a marker that reports its page) is
    drawn anyway.
    """

    def _add(self, flowable: Flowable, canv: canvas.Canvas, trySplit: int = 0) -> int:  # noqa: N803 - reportlab's names
        if not isinstance(canv, SketchCanvas) or getattr(flowable, "sketch_draws", False):
            return super()._add(flowable, canv, trySplit)
        flowable.__dict__["drawOn"] = _nothing  # not setattr: charts refuse unknown attributes
        try:
            return super()._add(flowable, canv, trySplit)
        finally:
            flowable.__dict__.pop("drawOn", None)

    add = _add

    def __deepcopy__(self, memo: dict[int, Any]) -> BodyFrame:
        """What ``copy.deepcopy`` makes, with less work: reportlab copies the page's frame each time it
        measures a KeepTogether or a card (``flowables._listWrapOn``), and a frame holds numbers and
        strings (a deep copy keeps those very objects) and a list or two (copied deeply, as it would)."""
        made = self.__class__.__new__(self.__class__)
        memo[id(self)] = made
        made.__dict__.update({name: value if type(value) in _ATOMIC else copy.deepcopy(value, memo)
                              for name, value in self.__dict__.items()})  # fmt: skip
        return made


_ATOMIC = (int, float, str, bool, type(None))


class Template(BaseDocTemplate):
    """A4 pages in the house style; in ``multiBuild`` the first pass is a sketch.

    The sketch (on a ``SketchCanvas``) lets the indexing flowables (the table of
    contents) collect their entries without drawing anything; it never counts as
    the last pass, so at least one drawn pass follows, and ``multiBuild`` goes on
    until the contents it printed are those it found.
    """

    _sketch_next = False

    def multiBuild(self, story: list, maxPasses: int = 10, **kwargs: Any) -> int:  # noqa: N802, N803 - reportlab's names
        self._sketch_next = True
        return super().multiBuild(story, maxPasses, **kwargs)

    def build(self, flowables: list, filename: Any = None, canvasmaker: Any = canvas.Canvas) -> None:
        if self._sketch_next:
            self._sketch_next, canvasmaker = False, SketchCanvas
        super().build(flowables, filename, canvasmaker)

    def _allSatisfied(self) -> bool:  # noqa: N802 - reportlab's name
        return not isinstance(self.canv, SketchCanvas) and super()._allSatisfied()

    def contents_build(self, story: list, **kwargs: Any) -> int:
        """One drawn pass when the story's only indexes are ``LateContents`` and they find what they expect
        (contents.py); ``multiBuild`` (a sketch, then drawing) otherwise. Returns the passes made."""
        indexes = [f for f in story if f.isIndexing()]
        late = [f for f in indexes if isinstance(f, LateContents)]
        if late and len(late) == len(indexes):
            self._indexingFlowables = indexes  # what notify() tells of each chapter's page
            for index in late:
                index.start_late()
            self._doSave, edits = 0, []
            self._multiBuildEdits = edits.append  # as multiBuild: undone after the pass (``_postponed`` marks)
            try:
                self.build(story[:], **kwargs)
            finally:
                del self._multiBuildEdits
                for undo, *args in edits:
                    undo(*args)
            satisfied = all(index.satisfied_late(self.canv) for index in late)
            self._doSave = 1
            if satisfied:
                self.canv.save()  # NumberedCanvas draws the contents on their page (NumberedCanvas.later)
                return 1
            for index in late:
                index.stop_late()
        return self.multiBuild(story, **kwargs)


def distinct_subset_tags(doc: pdfdoc.PDFDocument) -> None:
    """Give every embedded TrueType subset a tag of its own: ISO 32000-1, 9.6.4.

    reportlab 5.1 names subset n of every font ``SUBSETN(n) + "+" + face name``, so the
    first subset of regular, bold and italic are all ``AAAAAA+...``; it has no
    rl_config switch for that. Here the fonts are realised just before saving (what
    ``PDFDocument.GetPDFData`` would do first; its list is then empty) and each
    subset is renamed in the three places its name appears: the font's /BaseFont,
    its descriptor's /FontName and its ToUnicode CMap. The tag is six letters from
    a hash of that CMap (the font's name and the characters of the subset), so the
    same document gets the same tags and builds stay reproducible; a clash (one in
    hundreds of millions) is hashed again. Nothing global is patched, so this is
    safe with handouts built on other threads.
    """
    for font in doc.delayedFonts:
        font.addObjects(doc)
    doc.delayedFonts = []
    objects = doc.idToObject
    taken: set[str] = set()
    for font in objects["BasicFonts"].dict.values():
        old = getattr(font, "BaseFont", "")
        if not isinstance(font, pdfdoc.PDFTrueTypeFont) or not SUBSET_TAG.match(old):
            continue
        cmap = objects[font.ToUnicode.name]
        seed = cmap.content.replace(old, old[7:]).encode("utf-8")
        tag = _letters(hashlib.sha256(seed).digest())
        while tag in taken:
            seed += b"+"
            tag = _letters(hashlib.sha256(seed).digest())
        taken.add(tag)
        new = f"{tag}+{old[7:]}"
        font.BaseFont = new
        objects[font.FontDescriptor.name].dict["FontName"] = pdfdoc.PDFName(new)
        cmap.content = cmap.content.replace(old, new)
        font.Widths = NumberArray(font.Widths.sequence)


class NumberArray(pdfdoc.PDFArray):
    """A font's widths as reportlab writes them, each number formatted once (``quickcanvas.number``):
    a pack's three subsets list about 500 widths of a few dozen distinct values."""

    def format(self, document: pdfdoc.PDFDocument, IND: bytes = b"\n ") -> bytes:  # noqa: N803 - reportlab's name
        if not all(type(value) in (int, float) for value in self.sequence):
            return super().format(document, IND)
        return pdfdoc.PDFArray([pdfdoc.pdfdocEnc(number(value)) for value in self.sequence]).format(document, IND)


def _letters(digest: bytes) -> str:
    number = int.from_bytes(digest[:8], "big")
    tag = ""
    for _i in range(6):
        number, letter = divmod(number, 26)
        tag += chr(ord("A") + letter)
    return tag


def _decorate(branding: Branding, title: str):
    organisation, title = visual_line(branding.organisation or "Wijkkit"), visual_line(title)  # once, not per page

    def draw(pdf: canvas.Canvas, doc: BaseDocTemplate) -> None:
        if isinstance(pdf, SketchCanvas):
            return
        pdf.saveState()
        top = A4[1] - 11 * mm
        x = MARGIN
        if branding.logo is not None:
            try:
                pdf.drawImage(str(branding.logo), x, top - LOGO_HEIGHT + 4 * mm, height=LOGO_HEIGHT,
                              width=LOGO_HEIGHT * 3, preserveAspectRatio=True, anchor="sw", mask="auto")  # fmt: skip
                x += LOGO_HEIGHT * 3 + 4 * mm
            except Exception:  # noqa: BLE001 - an unreadable logo must not stop the handout
                pass
        pdf.setFont(BOLD, 9)
        pdf.setFillColor(MUTED)
        draw_string(pdf, x, top, organisation, BOLD, 9)
        pdf.setFont(FONT, 8)
        draw_string(pdf, MARGIN, 10 * mm, title, FONT, 8)
        pdf.setStrokeColor(RULE)
        pdf.setLineWidth(0.5)
        pdf.line(MARGIN, A4[1] - 16 * mm, A4[0] - MARGIN, A4[1] - 16 * mm)
        pdf.restoreState()

    return draw


def template(target: Any, title: str, branding: Branding) -> Template:
    register_fonts()
    doc = Template(target, pagesize=A4, title=clean(title), author=clean(branding.organisation or "Wijkkit"),
                   lang=LANGUAGE_TAGS.get(current_language(), "en-GB"), creator=f"Wijkkit {__version__}",
                   displayDocTitle=True,  # the catalog's /ViewerPreferences: the title, not 'x.pdf'
                   leftMargin=MARGIN, rightMargin=MARGIN, topMargin=22 * mm, bottomMargin=18 * mm)  # fmt: skip
    frame = BodyFrame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=_decorate(branding, title))])
    return doc


def build(story: list, title: str, branding: Branding, multi: bool = False) -> bytes:
    """The PDF of a story as bytes (multi: it has a table of contents, ``Template.contents_build``)."""
    buffer = io.BytesIO()
    doc = template(buffer, title, branding)
    if multi:
        doc.contents_build(story, canvasmaker=NumberedCanvas)
    else:
        doc.build(story, canvasmaker=NumberedCanvas)
    return buffer.getvalue()
