"""Building blocks shared by the handouts: the meeting heading, the agenda, tables."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle, tables

from wijkkit import agenda, dates
from wijkkit.handouts.quicktable import QuickTable
from wijkkit.handouts.style import (
    ACCENT,
    ACCENT_LIGHT,
    BOLD,
    FONT,
    INK,
    RULE,
    Para,
    para,
    styles,
    text,
)
from wijkkit.i18n import _, gettext
from wijkkit.models import AGREEMENT_STATUSES, GROUP_FORMS

if TYPE_CHECKING:
    from wijkkit.handouts.page import Context
    from wijkkit.models import Agreement, Session, Step

WIDTH = 174 * mm  # A4 width less the margins
ZEBRA = colors.toColor("#f6f8f6")  # every other row; a Color, not the text: reportlab parses text on every draw


def meeting_heading(session: Session, kind_title: str) -> list[Flowable]:
    place = ", ".join(p for p in (session.location_name, session.location_address) if p)
    lines = [dates.meeting_time(session.starts_at, session.ends_at), place]
    return [para(kind_title, "muted"), para(session.title, "title"),
            para("\n".join(line for line in lines if line), "subtitle")]  # fmt: skip


def grid(rows: Sequence[Sequence[object]], widths: Sequence[float], header: bool = True,
         zebra: bool = True, row_height: float | None = None) -> Table:  # fmt: skip
    """A table of paragraphs (so long texts wrap), with the house style.

    An empty cell holds no flowable at all (``()``): an empty paragraph takes no
    room and prints nothing either, but still costs a parse, a wrap and a draw.
    """
    if header and rows:
        widths = header_fitted(rows[0], widths)
    cells = [[cell if isinstance(cell, Flowable) else () if cell is None or cell == "" else Para(text(cell), styles()[
              "cellbold" if header and r == 0 else "cell"]) for cell in row] for r, row in enumerate(rows)]  # fmt: skip
    heights = None if row_height is None else [None] * (1 if header else 0) + [row_height] * (len(rows) - header)
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONT", (0, 0), (-1, -1), FONT, 9),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        commands += [("BACKGROUND", (0, 0), (-1, 0), ACCENT_LIGHT), ("FONT", (0, 0), (-1, 0), BOLD, 9),
                     ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT)]  # fmt: skip
    if zebra:
        commands += [("ROWBACKGROUNDS", (0, 1 if header else 0), (-1, -1), [None, ZEBRA])]
    # splitInRow: a row taller than a page (a 5,000-character text) splits instead of failing
    return styled(QuickTable, cells, commands, colWidths=list(widths), rowHeights=heights,
                  repeatRows=1 if header else 0, splitInRow=1)  # fmt: skip


# the commands reportlab keeps as commands (drawn or applied later); the others it sets on each cell
KEPT_AS_COMMANDS = ("BACKGROUND", "ROWBACKGROUNDS", "COLBACKGROUNDS", "SPAN", "NOSPLIT", "ROUNDEDCORNERS",
                    *tables.LINECOMMANDS)  # fmt: skip


def styled(kind: type[Table], cells: list[list[object]], commands: list[tuple], **options: object) -> Table:
    """``kind(cells, **options)`` styled with ``commands``, as ``setStyle(TableStyle(commands))`` styles it.

    reportlab sets a style command on every cell it covers, one attribute at a time: a table
    of 600 rows and nine commands is 30,000 calls. A command that covers whole rows (all of
    them, the first, or all but the first) gives every cell of a column the same style, so
    the first and second row are styled with reportlab's own ``_setCellStyle`` and the others
    get copies of the second row's styles (one ``CellStyle`` per cell, as reportlab makes
    them). Any other range, and short tables, are styled by reportlab.
    """
    rows, columns = len(cells), max((len(row) for row in cells), default=0)
    cell_commands = [cmd for cmd in commands if cmd[0] not in KEPT_AS_COMMANDS]
    spans = [_rows_covered(cmd, rows) for cmd in cell_commands]
    if rows < 3 or any(len(row) != columns for row in cells) or None in spans:
        table = kind(cells, **options)
        table.setStyle(TableStyle(commands))
        return table
    first = [tables.CellStyle(repr((0, j))) for j in range(columns)]
    second = [tables.CellStyle(repr((1, j))) for j in range(columns)]
    sample = [first, second]
    for (op, (sc, _sr), (ec, _er), *values), (header, body) in zip(cell_commands, spans, strict=True):
        sc, ec = max(0, sc + columns if sc < 0 else sc), min(columns - 1, ec + columns if ec < 0 else ec)
        for i in (0,) * header + (1,) * body:
            for j in range(sc, ec + 1):
                tables._setCellStyle(sample, i, j, op, values)
    made, kept = object.__new__, [(j, style.__dict__) for j, style in enumerate(second)]
    styles = [first, second]
    for i in range(2, rows):  # a CellStyle per cell with the second row's values, named as reportlab names it
        row = [made(tables.CellStyle) for _j in range(columns)]
        for style, (j, values) in zip(row, kept, strict=True):
            style.__dict__.update(values)
            style.name = f"({i}, {j})"
        styles.append(row)
    table = kind(cells, cellStyles=styles, **options)
    table.setStyle(TableStyle([cmd for cmd in commands if cmd[0] in KEPT_AS_COMMANDS]))
    return table


def _rows_covered(command: tuple, rows: int) -> tuple[bool, bool] | None:
    """Whether a cell command covers the first row and every other row; None when it covers only some."""
    (sc, sr), (ec, er) = command[1:3]
    if not all(type(n) is int for n in (sc, sr, ec, er)):
        return None  # a row named by reportlab ('splitlast'), or an error reportlab reports
    sr, er = max(0, sr + rows if sr < 0 else sr), min(rows - 1, er + rows if er < 0 else er)
    if sr > er:
        return False, False
    if sr > 1 or (er < rows - 1 and er > 0):
        return None
    return sr == 0, er == rows - 1


HEADER_SIZE = 9  # the header row's bold type ("cellbold")
CELL_PADDING = 6  # reportlab's default left and right padding of a table cell


def header_fitted(header: Sequence[object], widths: Sequence[float]) -> list[float]:
    """``widths`` with room for every header word on one line ("Einddatum", not "Einddatu m"): a column too
    narrow for its longest header word takes what it lacks from the widest column (a translation may be longer
    than the English the widths were chosen for). The table's total width stays the same."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    fitted = list(widths)
    for column, cell in enumerate(header):
        if not isinstance(cell, str) or not cell.split():
            continue
        needed = max(stringWidth(word, BOLD, HEADER_SIZE) for word in cell.split()) + 2 * CELL_PADDING + 1
        widest = max(range(len(fitted)), key=fitted.__getitem__)
        lacking = needed - fitted[column]
        if lacking > 0 and widest != column:
            fitted[widest] -= lacking
            fitted[column] += lacking
    return fitted


def agenda_rows(session: Session, steps: list[Step]) -> list[tuple[str, Step]]:
    start = dates.parse(session.starts_at)
    if start is None:
        return [("", step) for step in steps]
    slots = agenda.schedule(start, [s.minutes for s in steps])
    return [(f"{slot.starts:%H:%M}", step) for slot, step in zip(slots, steps, strict=True)]


def agenda_table(session: Session, steps: list[Step], with_purpose: bool = True) -> Flowable:
    if not steps:
        return para(_("The agenda of this meeting has not been made yet."), "muted")
    rows: list[list[object]] = [[_("Time"), _("What"), _("How")]]
    for start, step in agenda_rows(session, steps):
        what = f"<b>{text(step.title)}</b>" + (f"<br/>{text(step.purpose)}" if with_purpose and step.purpose else "")
        form = "" if step.kind == "break" else gettext(GROUP_FORMS.get(step.group_form, step.group_form))
        rows.append([start, Para(what, styles()["cell"]), form])
    return grid(rows, [18 * mm, 126 * mm, 30 * mm])


def agreements_table(items: list[Agreement], with_status: bool = True) -> Flowable:
    if not items:
        return para(_("No agreements have been recorded."), "muted")
    header = [_("Agreement"), _("Who"), _("With whom"), _("Due")] + ([_("Status")] if with_status else [])
    rows: list[list[object]] = [header]
    for item in items:
        title = f"<b>{text(item.title)}</b>" + (f"<br/>{text(item.description)}" if item.description else "")
        row: list[object] = [Para(title, styles()["cell"]), item.owner_label, item.partners or "",
                             dates.short_date(item.due_on)]  # fmt: skip
        if with_status:
            row.append(gettext(AGREEMENT_STATUSES.get(item.status, item.status)))
        rows.append(row)
    widths = [62 * mm, 30 * mm, 32 * mm, 23 * mm] + ([27 * mm] if with_status else [])
    if not with_status:
        widths[0] += 27 * mm
    return grid(rows, widths)


def gap(height_mm: float = 4) -> Spacer:
    return Spacer(1, height_mm * mm)


def rule() -> Flowable:
    line = Table([[""]], colWidths=[WIDTH], rowHeights=[2])
    line.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 1, ACCENT)]))
    return line


def context_title(context: Context, kind: str) -> str:
    from wijkkit.handouts.render import title

    if context.session_id:
        return f"{title(kind)} – {context.session.title}"
    return title(kind)
