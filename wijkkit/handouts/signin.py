"""The sign-in sheet (presentielijst) on the table by the door, for people who sign in on paper.

Some people will not stand in line at a laptop, and sometimes there is no laptop at
the door. The sheet asks what the registration form asks, in the same words: name,
role or organisation, contact details, and the three separate consents, each a
box to tick. People already known to be there (and who agreed to share their name) are
printed on it with the consents they gave ticked; the rest is blank rows tall enough for
handwriting. Typed in afterwards, it goes through the
same registration as the form (``kit.people`` and ``kit.attendance``).
"""

from __future__ import annotations

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Paragraph

from wijkkit.handouts.common import context_title, gap, grid, meeting_heading
from wijkkit.handouts.page import Context
from wijkkit.handouts.style import BOLD, INK, Para, para, rich, styles, text
from wijkkit.i18n import _, gettext
from wijkkit.models import ROLES
from wijkkit.people import CONSENT_LABELS, CONSENTS

ROW_HEIGHT = 9.5 * mm  # room for handwriting
PADDING = 8  # the grid's top and bottom padding together, in points
BLANK_SHEET_ROWS = 15  # a sheet without expected people: a page of rows, with the legend below
MIN_BLANK_ROWS = 10  # after the expected people
WIDTHS = [42 * mm, 40 * mm, 38 * mm, 14 * mm, 14 * mm, 14 * mm, 12 * mm]
TIGHT = 1  # side padding of the narrow columns, in points


def document_title(context: Context) -> str:
    return context_title(context, "signin")


TICK = "✓"  # in DejaVu Sans; drawn as text, so the printed sheet (and a test) reads which boxes are ticked


class TickBox(Flowable):
    """A square to tick, ticked already for a consent that is recorded; its height also keeps the row
    tall enough to write in."""

    def __init__(self, height: float = ROW_HEIGHT - PADDING, side: float = 4.2 * mm, ticked: bool = False) -> None:
        super().__init__()
        self.box_height, self.side, self.ticked = height, side, ticked

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width, self.height = avail_width, self.box_height
        return self.width, self.height

    def draw(self) -> None:
        self.canv.setStrokeColor(INK)
        self.canv.setLineWidth(0.7)
        self.canv.rect((self.width - self.side) / 2, (self.height - self.side) / 2, self.side, self.side)
        if self.ticked:
            self.canv.setFillColor(INK)
            self.canv.setFont(BOLD, self.side / mm * 2.4)
            self.canv.drawCentredString(self.width / 2, (self.height - self.side) / 2 + 0.7, TICK)


def _heading(words: str, width: float) -> Paragraph:
    """A short column heading on one line: smaller type when a translation is longer."""
    size = min(7.5, 7.5 * (width - 3) / max(1.0, stringWidth(words, BOLD, 7.5)))
    return Para(text(words), ParagraphStyle("tickhead", styles()["cellbold"], fontSize=size,
                                            leading=size * 1.2, alignment=TA_CENTER))  # fmt: skip


def role_and_organisation(role: str, organisation: str) -> list[str]:
    """['Inwoner', 'Dorpsbelang Ellerveen'] (printed on two lines); the organisation alone when it already
    names the role (['Gemeente Veldhorst'], not 'Gemeente' above 'Gemeente Veldhorst')."""
    label = gettext(ROLES[role]) if role in ROLES else role
    label = label[:1].upper() + label[1:]
    if not organisation or label.casefold() == organisation.casefold():
        return [label or organisation] if label or organisation else []
    if not label or label.casefold() in organisation.casefold().split():
        return [organisation]
    return [label, organisation]


def _row(name: str = "", role: str = "", organisation: str = "", table_no: int | None = None,
         consents: frozenset[str] = frozenset()) -> list[object]:  # fmt: skip
    who = "<br/>".join(text(line) for line in role_and_organisation(role or "", organisation or ""))
    table = "" if table_no is None else str(table_no)
    return [name, Para(who, styles()["cell"]) if who else "", "", *[TickBox(ticked=kind in consents) for kind in CONSENTS],
            Para(text(table), ParagraphStyle("tablecell", styles()["cell"], alignment=TA_CENTER)) if table
            else ""]  # fmt: skip


def recorded_consents(kit, person_id: str) -> frozenset[str]:
    """The consents a person gave (CONSENTS keys), ticked on their row."""
    person = kit.people.get(person_id)
    return frozenset(kind for kind in CONSENTS if getattr(person, f"consent_{kind}", 0))


def rows(context: Context) -> list[list[object]]:
    """The expected people (alphabetical), then blank rows: at least a page's worth on a blank sheet.

    The sheet lies on the door table for everyone to read, so only people who agreed
    to share their name are printed; the others sign in on a blank row. A printed person's recorded
    consents are ticked, so they only check them (and can cross one out to withdraw it).
    """
    expected = [a for a in context.kit.attendance.attendees(context.session.id) if a.consent_share]
    filled = [_row(a.name, a.role, a.organisation, a.table_no, recorded_consents(context.kit, a.person_id))
              for a in expected]  # fmt: skip
    blank = max(MIN_BLANK_ROWS, BLANK_SHEET_ROWS - len(filled))
    return filled + [_row() for _n in range(blank)]


def story(context: Context) -> list:
    from wijkkit.handouts.render import title

    session = context.session
    parts = meeting_heading(session, title("signin"))
    parts.append(para(_("Please write your name and tick what you agree to. Leave your e-mail address or "
                        "phone number only if you tick 'Contact'."), "muted"))  # fmt: skip
    header: list[object] = [_("Name"), _("Role or organisation"), _("E-mail or phone")]
    header += [_heading(gettext(CONSENT_LABELS[kind]), WIDTHS[3] - 2 * TIGHT) for kind in CONSENTS]
    header.append(_heading(_("Table"), WIDTHS[6] - 2 * TIGHT))
    table = grid([header, *rows(context)], WIDTHS)
    table.setStyle([("VALIGN", (0, 1), (-1, -1), "MIDDLE"), ("VALIGN", (3, 0), (-1, 0), "MIDDLE"),
                    ("LEFTPADDING", (3, 0), (-1, -1), TIGHT), ("RIGHTPADDING", (3, 0), (-1, -1), TIGHT),
                    ("LINEBEFORE", (3, 0), (3, -1), 0.4, styles()["muted"].textColor)])  # fmt: skip
    legend = [rich(f"<b>{text(_('What the boxes mean'))}</b>", "body")]
    legend += [rich(f"<b>{text(gettext(CONSENT_LABELS[kind]))}</b>: {text(gettext(wording))}", "small")
               for kind, wording in CONSENTS.items()]  # fmt: skip
    legend += [para(_("Each box is a separate choice; an empty box means no. You can change your mind at "
                      "any time by telling the organisers."), "small"), gap(1),
               para(_("People counted at the door who did not sign in: ________"), "muted")]  # fmt: skip
    return parts + [gap(2), table, gap(3), KeepTogether(legend)]

