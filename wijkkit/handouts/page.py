"""Pages of a handout: the A4 frame, the header with the organisation, 'pagina x van y'.

``Context`` carries what every document needs (the Kit, the meeting, the branding,
today's date). ``build`` lays out a story on A4 pages; the page count in the
footer needs the total, so the canvas keeps each page until the end
(``NumberedCanvas``) and then writes 'pagina x van y' on all of them.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from wijkkit.branding import Branding
from wijkkit.handouts.style import BOLD, FONT, MARGIN, MUTED, RULE, clean, register_fonts
from wijkkit.i18n import _

if TYPE_CHECKING:
    from wijkkit.kit import Kit
    from wijkkit.models import Session

LOGO_HEIGHT = 12 * mm


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
        return self.kit.sessions.get(self.session_id)


class NumberedCanvas(canvas.Canvas):
    """Holds every page until the end, so the footer can say how many there are."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initialFontName", FONT)  # else Helvetica is listed, though never used
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont(FONT, 8)
            self.setFillColor(MUTED)
            self.drawRightString(A4[0] - MARGIN, 10 * mm,
                                 _("page {n} of {total}").format(n=self._pageNumber, total=total))  # fmt: skip
            super().showPage()
        super().save()


def _decorate(branding: Branding, title: str):
    def draw(pdf: canvas.Canvas, doc: BaseDocTemplate) -> None:
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
        pdf.drawString(x, top, clean(branding.organisation or "Wijkkit"))
        pdf.setFont(FONT, 8)
        pdf.drawString(MARGIN, 10 * mm, clean(title))
        pdf.setStrokeColor(RULE)
        pdf.setLineWidth(0.5)
        pdf.line(MARGIN, A4[1] - 16 * mm, A4[0] - MARGIN, A4[1] - 16 * mm)
        pdf.restoreState()

    return draw


def template(target: Any, title: str, branding: Branding) -> BaseDocTemplate:
    register_fonts()
    doc = BaseDocTemplate(target, pagesize=A4, title=clean(title), author=clean(branding.organisation or "Wijkkit"),
                          leftMargin=MARGIN, rightMargin=MARGIN, topMargin=22 * mm, bottomMargin=18 * mm)  # fmt: skip
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=_decorate(branding, title))])
    return doc


def build(story: list, title: str, branding: Branding, multi: bool = False) -> bytes:
    """The PDF of a story as bytes (multi: two passes, for a table of contents)."""
    buffer = io.BytesIO()
    doc = template(buffer, title, branding)
    if multi:
        doc.multiBuild(story, canvasmaker=NumberedCanvas)
    else:
        doc.build(story, canvasmaker=NumberedCanvas)
    return buffer.getvalue()
