"""The poster for the notice board: one page that says what, when, where, and that everyone is welcome.

It hangs in the dorpshuis, the supermarket and the library, so it is read from a
few metres away: large type, few words, and the whole page used. When the meeting's
notes hold a web address, a QR code points to it. The page is one flowable
(``PageFill``) that spreads its parts over the frame, and shrinks them instead
of spilling onto a second page when a long title or address would not fit.
"""

from __future__ import annotations

import re

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table, TableStyle

from wijkkit import dates
from wijkkit.handouts.charts import UncheckedDrawing
from wijkkit.handouts.common import context_title
from wijkkit.handouts.page import Context
from wijkkit.handouts.style import ACCENT, BOLD, MUTED, Para, styles, text
from wijkkit.i18n import _

URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
QR_SIZE = 42 * mm
MIN_HEIGHT = 150 * mm


def document_title(context: Context) -> str:
    return context_title(context, "poster")


def link(notes: str | None) -> str | None:
    """The first web address in the meeting's notes (without a full stop or bracket after it)."""
    found = URL.search(notes or "")
    return found.group(0).rstrip(".,;:!?)]}") if found else None


def qr_code(value: str, size: float = QR_SIZE) -> Drawing:
    widget = QrCodeWidget(value, barLevel="M", barFillColor=ACCENT)
    left, bottom, right, top = widget.getBounds()
    drawing = UncheckedDrawing(size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0])
    drawing.add(widget)
    drawing.hAlign = "CENTER"
    return drawing


class PageFill(Flowable):
    """Its parts stacked over the whole height left on the page, centred, the spare room shared out.

    ``weights`` says how much of the spare room goes above each part (and, last, below the
    final one). Parts that do not fit are drawn smaller, so the poster stays one page.
    """

    def __init__(self, parts: list[Flowable], weights: list[float]) -> None:
        super().__init__()
        self.parts, self.weights = parts, weights

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        # on a page already partly used, ask for a page of its own
        self.width, self.height = avail_width, avail_height - 1 if avail_height >= MIN_HEIGHT else MIN_HEIGHT
        self._sizes = [part.wrap(avail_width, avail_height) for part in self.parts]
        return self.width, self.height

    def draw(self) -> None:
        used = sum(h for _w, h in self._sizes)
        scale = min(1.0, self.height / used) if used else 1.0
        spare = max(0.0, self.height - used * scale)
        share = [spare * w / (sum(self.weights) or 1) for w in self.weights]
        canvas = self.canv
        canvas.saveState()
        canvas.scale(scale, scale)
        y = self.height / scale
        for part, (width, height), room in zip(self.parts, self._sizes, share, strict=False):
            y -= room / scale + height
            part.drawOn(canvas, (self.width / scale - width) / 2, y)
        canvas.restoreState()


def _style(name: str, size: float, bold: bool = False, colour=None) -> ParagraphStyle:
    return ParagraphStyle(name, styles()["centre"], fontName=BOLD if bold else styles()["centre"].fontName,
                          fontSize=size, leading=size * 1.22, alignment=TA_CENTER,
                          textColor=colour or styles()["centre"].textColor, spaceAfter=0)  # fmt: skip


def _when(session) -> list[str]:
    """The day on one line and the hours on the next, so neither breaks in the middle."""
    start, end = dates.parse(session.starts_at), dates.parse(session.ends_at)
    if start is None:
        return [_("Date to be announced")]
    return [dates.long_date(start.date()), f"{start:%H:%M}" + (f"–{end:%H:%M}" if end else "")]


def _band(words: str, width: float) -> Table:
    band = Table([[Para(text(words), _style("band", 20, True, colors.white))]], colWidths=[width])
    band.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), ACCENT), ("TOPPADDING", (0, 0), (-1, -1), 10),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 12)]))  # fmt: skip
    return band


def story(context: Context) -> list:
    session = context.session
    width = 166 * mm
    neighbourhood = session.neighbourhood_name or _("your neighbourhood")
    place = [p for p in (session.location_name, session.location_address) if p]
    parts: list[Flowable] = [_band(_("Neighbourhood dialogue in {place}").format(place=neighbourhood), width),
                             Para(text(session.title), _style("title", 38, True, ACCENT))]  # fmt: skip
    weights = [0.0, 1.2]
    if session.theme:
        parts.append(Para(text(session.theme), _style("theme", 20, colour=MUTED)))
        weights.append(0.3)
    parts.append(Para("<br/>".join(text(line) for line in _when(session)), _style("when", 24, True)))
    weights.append(1.2)
    parts.append(Para("<br/>".join(text(p) for p in place) or text(_("Place to be announced")),
                      _style("where", 20)))  # fmt: skip
    weights.append(0.4)
    parts.append(Para(text(_("Come and talk with your neighbours, the municipality, care providers, "
                             "informal carers and volunteers about how we look after each other here.")),
                      _style("invite", 15)))  # fmt: skip
    weights.append(1.2)
    parts.append(Para(text(_("Everyone is welcome")), _style("welcome", 34, True, ACCENT)))
    weights.append(0.8)
    parts.append(Para(text(_("Coffee and tea are ready. You do not need to sign up or prepare anything.")),
                      _style("coffee", 13, colour=MUTED)))  # fmt: skip
    weights.append(0.3)
    address = link(session.notes)
    if address:
        parts += [qr_code(address), Para(text(_("More information: {link}").format(link=address)),
                                         _style("link", 10, colour=MUTED))]  # fmt: skip
        weights += [1.0, 0.1]
    organisation = context.branding.organisation if context.branding else ""
    if organisation or session.facilitator:
        who = " · ".join(p for p in (organisation, session.facilitator) if p)
        parts.append(Para(text(who), _style("who", 11, colour=MUTED)))
        weights.append(0.8)
    weights.append(0.6)
    return [PageFill(parts, weights)]
