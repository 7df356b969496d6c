"""The progress report for the municipality: every neighbourhood's dialogues and agreements on a few pages.

The gemeente funds the dialogues and asks, a few times a year, what they bring: how
many meetings, how many people, which agreements are done and which are stuck or
late. This report answers from the whole database, not one meeting. It reads each
table once (all agreements in one call, grouped here in Python), so a municipality
with thousands of agreements still gets its report in a blink; long tables run on
over pages with their header repeated. Owners' names follow the consent to share,
as in the feedback report.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, Table

from wijkkit import dates
from wijkkit.handouts.charts import STATUS_COLOURS, pie, stacked_bars
from wijkkit.handouts.common import ZEBRA, gap, grid, styled
from wijkkit.handouts.fallback import printable_in_base
from wijkkit.handouts.feedback import Discreet, heading
from wijkkit.handouts.page import Context
from wijkkit.handouts.quicktable import QuickLongTable
from wijkkit.handouts.style import (
    ACCENT,
    ACCENT_LIGHT,
    BOLD,
    FONT,
    INK,
    RULE,
    Para,
    clean,
    para,
    shaped,
    styles,
    text,
    visual_line,
)
from wijkkit.i18n import _, gettext
from wijkkit.models import (
    AGREEMENT_STATUSES,
    OPEN_AGREEMENT_STATUSES,
    SESSION_STATUSES,
    Agreement,
    Session,
)

HELD = ("held", "running")
SMALL = 8  # the type size of the long overdue list
NOWHERE = ""  # the key of meetings and agreements without a neighbourhood


def document_title(context: Context) -> str:
    from wijkkit.handouts.render import title

    return title("progress")


def _fitted(words: str, width: float, size: float = 9) -> Paragraph:
    """A header cell whose longest word fits the column (smaller type rather than a broken word)."""
    widest = max([stringWidth(w, BOLD, size) for w in words.split()] + [1])
    size = max(6.0, min(size, size * (width - 12) / widest))
    return Para(text(words), ParagraphStyle("fithead", styles()["cellbold"], fontSize=size, leading=size * 1.25))


class Figures:
    """Everything the report counts, from one read of each table."""

    def __init__(self, context: Context) -> None:
        kit = context.kit
        self.today = context.today
        self.neighbourhoods = kit.neighbourhoods.list(include_archived=True)
        self.sessions: list[Session] = kit.sessions.list()
        self.agreements: list[Agreement] = kit.agreements.list()
        self.discreet = Discreet(kit.people.list())
        self.names = {n.id: n.name + (f" ({_('archived')})" if n.archived else "") for n in self.neighbourhoods}
        place = {s.id: s.neighbourhood_id or NOWHERE for s in self.sessions}
        self.present = {s.id: kit.attendance.total(s.id) for s in self.sessions if s.status in HELD}
        self.meetings: dict[str, Counter] = defaultdict(Counter)
        self.people: Counter = Counter()
        for s in self.sessions:
            self.meetings[place[s.id]][s.status] += 1
            self.people[place[s.id]] += self.present.get(s.id, 0)
        self.by_status: dict[str, Counter] = defaultdict(Counter)
        for a in self.agreements:
            self.by_status[place.get(a.session_id or "", NOWHERE)][a.status] += 1
        self.place_of = {a.id: place.get(a.session_id or "", NOWHERE) for a in self.agreements}
        self.overdue = sorted((a for a in self.agreements if a.status in OPEN_AGREEMENT_STATUSES and a.due_on
                               and a.due_on < self.today.isoformat()), key=lambda a: (a.due_on, a.title))  # fmt: skip
        self.keys = [n.id for n in self.neighbourhoods]
        if self.meetings.get(NOWHERE) or self.by_status.get(NOWHERE):
            self.keys.append(NOWHERE)

    def name(self, key: str) -> str:
        return self.names.get(key) or _("no neighbourhood")


def summary_rows(f: Figures) -> list[list[object]]:
    """The figures at the top of the report: a header row and one row of numbers."""
    statuses = Counter(a.status for a in f.agreements)
    held = sum(m[s] for m in f.meetings.values() for s in HELD)
    return [[_("Neighbourhoods"), _("Meetings held"), _("Meetings planned"), _("Attendance"), _("Agreements"),
             _("Done"), _("Overdue")],
            [len(f.neighbourhoods), held, sum(m["planned"] for m in f.meetings.values()), sum(f.people.values()),
             len(f.agreements), statuses["done"], len(f.overdue)]]  # fmt: skip


def summary(f: Figures) -> list:
    rows = summary_rows(f)
    figure = ParagraphStyle("figure", styles()["cellbold"], fontSize=16, leading=20)
    widths = [30 * mm] + [24 * mm] * 6
    return [grid([[_fitted(h, w) for h, w in zip(rows[0], widths, strict=True)],
                  [Para(str(v), figure) for v in rows[1]]], widths, zebra=False)]  # fmt: skip


def neighbourhood_rows(f: Figures) -> list[list[object]]:
    """Meetings, attendance and agreements per neighbourhood, header first."""
    rows: list[list[object]] = [[_("Neighbourhood"), _("Meetings held"), _("Meetings planned"), _("Attendance"),
                                 _("Agreements")]]  # fmt: skip
    for key in f.keys:
        meetings = f.meetings.get(key, Counter())
        rows.append([f.name(key), sum(meetings[s] for s in HELD), meetings["planned"], f.people.get(key, 0),
                     sum(f.by_status.get(key, Counter()).values())])  # fmt: skip
    return rows


def status_rows(f: Figures, keys: list[str] | None = None) -> list[list[object]]:
    """Agreements per neighbourhood (of ``keys``, default all) by status, header first."""
    statuses = list(AGREEMENT_STATUSES)
    rows: list[list[object]] = [[_("Neighbourhood")] + [gettext(AGREEMENT_STATUSES[s]) for s in statuses]]
    rows += [[f.name(key)] + [f.by_status.get(key, Counter())[s] for s in statuses] for key in
             (f.keys if keys is None else keys)]  # fmt: skip
    return rows


def _fitted_header(rows: list[list[object]], widths: list[float]) -> list[list[object]]:
    return [[_fitted(str(h), w) for h, w in zip(rows[0], widths, strict=True)], *rows[1:]]


def per_neighbourhood(f: Figures) -> list:
    widths = [66 * mm, 27 * mm, 27 * mm, 27 * mm, 27 * mm]
    table = grid(_fitted_header(neighbourhood_rows(f), widths), widths)
    widths = [64 * mm] + [22 * mm] * len(AGREEMENT_STATUSES)
    by_status = grid(_fitted_header(status_rows(f), widths), widths)
    return [heading(_("Per neighbourhood")), table, gap(4), heading(_("Agreements by status"), "h2"), by_status]


def charted_keys(f: Figures) -> list[str]:
    """The neighbourhoods in the bar chart: those with agreements."""
    return [k for k in f.keys if f.by_status.get(k)]


def charts(f: Figures) -> list:
    statuses = list(AGREEMENT_STATUSES)
    labels = [gettext(AGREEMENT_STATUSES[s]) for s in statuses]
    fills = [STATUS_COLOURS[s] for s in statuses]
    total = Counter(a.status for a in f.agreements)
    parts = [heading(_("Agreements at a glance"))]
    drawing = pie([total[s] for s in statuses], labels, fills)
    if drawing is None:
        return parts + [para(_("No agreements have been recorded."), "muted")]
    parts += [heading(_("All agreements by status"), "h2"), drawing]
    keys = charted_keys(f)
    if keys:
        series = [[f.by_status[k][s] for k in keys] for s in statuses]
        parts += [heading(_("Agreements per neighbourhood"), "h2"),
                  stacked_bars([f.name(k) for k in keys], series, labels, fills)]  # fmt: skip
    return parts


def meeting_rows(f: Figures) -> list[list[object]]:
    """Every meeting, the latest first, header first."""
    rows: list[list[object]] = [[_("Date"), _("Meeting"), _("Neighbourhood"), _("Status"), _("Present")]]
    rows += [[dates.short_date(s.starts_at), s.title, f.name(s.neighbourhood_id or NOWHERE),
              gettext(SESSION_STATUSES.get(s.status, s.status)),
              f.present[s.id] if s.id in f.present else ""] for s in reversed(f.sessions)]  # fmt: skip
    return rows


def meetings(f: Figures) -> list:
    parts = [heading(_("Meetings"))]
    if not f.sessions:
        return parts + [para(_("No meetings have been planned yet."), "muted")]
    widths = [24 * mm, 66 * mm, 42 * mm, 24 * mm, 18 * mm]
    return parts + [grid(_fitted_header(meeting_rows(f), widths), widths)]


def wrapped(value: object, width: float, font: str = FONT, size: float = SMALL) -> str | Para:
    """``value`` broken into lines that fit ``width`` points (long words broken too), for a plain cell.

    A text with characters DejaVu lacks (a name in Chinese) becomes a Paragraph, whose
    runs can each have their own font.
    """
    if isinstance(value, str) and value.isascii() and value.isprintable() \
            and stringWidth(value, font, size) <= width:  # fmt: skip
        return value  # most cells: one short line of plain text, as the steps below would leave it
    typed, value = value, shaped(clean(value))  # broken in reading order, each line drawn in display order
    if not printable_in_base(value):
        return Para(text(typed), ParagraphStyle("plaincell", styles()["cell"], fontName=font, fontSize=size,
                                                leading=size * 1.25))  # fmt: skip
    if "\n" not in value and stringWidth(value, font, size) <= width:
        return visual_line(value)  # most cells: one short line
    lines = []
    for line in simpleSplit(value, font, size, width):
        while " " not in line and len(line) > 1 and stringWidth(line, font, size) > width:  # one long word
            cut = max(1, int(len(line) * width / stringWidth(line, font, size)))
            lines.append(line[:cut])
            line = line[cut:]
        lines.append(line)
    return visual_line("\n".join(lines))


def plain_grid(header: list[str], rows: list[list[str]], widths: list[float]) -> Table:
    """Like ``common.grid``, but with plain wrapped text instead of a Paragraph per cell.

    A Paragraph per cell is what makes a table of a thousand rows slow; the overdue list
    has only short, unformatted texts, so lines broken here are drawn directly.
    """
    inner = [w - 12 for w in widths]  # the grid's 6-point side padding
    cells: list[list[object]] = [[_fitted(h, w) for h, w in zip(header, widths, strict=True)]]
    lines: dict[tuple[str, float, str], str] = {}  # a plain text wraps the same in every row (statuses, dates)

    def cell(value: object, width: float, font: str) -> str | Para:
        if type(value) is not str:
            return wrapped(value, width, font)
        made = lines.get((value, width, font))
        if made is None:
            made = wrapped(value, width, font)
            if type(made) is str:  # a Paragraph is a flowable of one cell: made anew each time
                lines[value, width, font] = made
        return made

    cells += [[cell(v, inner[n], BOLD if n == 0 else FONT) for n, v in enumerate(row)] for row in rows]
    return styled(QuickLongTable, cells, [
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONT", (0, 1), (-1, -1), FONT, SMALL, SMALL * 1.25),
        ("FONT", (0, 1), (0, -1), BOLD, SMALL, SMALL * 1.25), ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE), ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4), ("BACKGROUND", (0, 0), (-1, 0), ACCENT_LIGHT),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT), ("ROWBACKGROUNDS", (0, 1), (-1, -1), [None, ZEBRA]),
    ], colWidths=widths, repeatRows=1)  # fmt: skip


def overdue_rows(f: Figures) -> list[list[str]]:
    """The overdue agreements, owners' names as the feedback report shows them, header first."""
    rows = [[_("Agreement"), _("Neighbourhood"), _("Who"), _("Due"), _("Days late"), _("Status")]]
    for item in f.overdue:
        shown = f.discreet.agreement(item)
        late = (f.today - date.fromisoformat(item.due_on[:10])).days
        rows.append([shown.title, f.name(f.place_of[item.id]), shown.owner_label, dates.short_date(item.due_on),
                     str(late), gettext(AGREEMENT_STATUSES.get(item.status, item.status))])  # fmt: skip
    return rows


def overdue_intro(f: Figures) -> str:
    return _("Open, in progress or stalled, with a due date before {day}.").format(day=dates.long_date(f.today))


def overdue(f: Figures) -> list:
    parts = [heading(_("Overdue agreements"))]
    if not f.overdue:
        return parts + [para(_("No agreement is overdue."), "muted")]
    parts.append(para(overdue_intro(f), "muted"))
    widths = [56 * mm, 30 * mm, 30 * mm, 22 * mm, 14 * mm, 22 * mm]
    rows = overdue_rows(f)
    return parts + [plain_grid(rows[0], rows[1:], widths)]


def story(context: Context) -> list:
    from wijkkit.handouts.render import title

    f = Figures(context)
    organisation = context.branding.organisation if context.branding else ""
    parts = [para(title("progress"), "muted"), para(organisation or _("All neighbourhoods"), "title"),
             para(_("Situation on {day}").format(day=dates.long_date(context.today)), "subtitle")]  # fmt: skip
    parts += summary(f)
    if not f.neighbourhoods and not f.sessions:
        return parts + [gap(4), para(_("There are no neighbourhoods or meetings yet."), "muted")]
    parts += per_neighbourhood(f) + charts(f) + meetings(f) + overdue(f)
    return parts
