"""The feedback report and the progress report as accessible HTML, written beside their PDF.

Both reports are shared digitally (by e-mail, on the municipality's site), and a screen reader
cannot read a reportlab PDF in order: reportlab writes no structure tree (no tags), so headings,
tables and reading order are lost. Rather than tag the PDF by hand, each of these two reports
also comes as one self-contained HTML file (decision of issue 17): ``<html lang>``, a
``<title>``, one ``<h1>``, headings that never skip a level, real tables with a ``<caption>``
and header cells (``<th scope>``), no colour that carries meaning, UTF-8, no scripts and
nothing fetched from elsewhere (a short style sheet inside, sizes in em so it zooms).

The content is the PDF's, from the same functions: the rows of every table come from
``feedback.py`` and ``progress.py`` (``obstacle_rows``, ``summary_rows`` ...), and names pass
through the same ``Discreet`` (wijkkit.redact), so a person without "Delen" is not named here
either, also not inside free text. A chart of the PDF is given as the table of its numbers:
the pie of the progress report as agreements per status, its bars as agreements per
neighbourhood and status; the feedback report's bars are the offers and needs of the table
just above them, so that table is their text alternative.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from wijkkit import __version__, dates
from wijkkit.handouts import feedback, progress
from wijkkit.handouts.style import clean
from wijkkit.i18n import _, current_language, gettext
from wijkkit.models import AGREEMENT_STATUSES

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from wijkkit.handouts.page import Context
    from wijkkit.models import Agreement

STYLE = """
body { font-family: system-ui, "DejaVu Sans", sans-serif; line-height: 1.5; color: #1d2b27;
       background: #ffffff; max-width: 60em; margin: 0 auto; padding: 1em; }
h1, h2, h3 { line-height: 1.25; color: #1f6f5c; }
.muted { color: #55605c; }
table { border-collapse: collapse; margin: 0 0 1.5em; }
caption { text-align: left; font-weight: bold; padding: 0.25em 0; }
th, td { border: 1px solid #8a9690; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
thead th { background: #e3efe9; }
td.number { text-align: right; }
blockquote { margin: 0.5em 0 0.5em 1.5em; font-style: italic; }
"""


def _text(value: object) -> str:
    """Text as printed (NFC, no control characters), escaped; line breaks kept."""
    return escape(clean(value)).replace("\n", "<br>")


class Page:
    """An HTML document built from blocks in reading order."""

    def __init__(self, title: str, organisation: str) -> None:
        self.title, self.organisation = title, organisation
        self.blocks: list[str] = []

    def heading(self, level: int, words: str) -> None:
        self.blocks.append(f"<h{level}>{_text(words)}</h{level}>")

    def para(self, words: str, muted: bool = False) -> None:
        self.blocks.append(f'<p class="muted">{_text(words)}</p>' if muted else f"<p>{_text(words)}</p>")

    def lines(self, lines: Sequence[str], strong: bool = False) -> None:
        inner = "<br>".join(_text(line) for line in lines)
        self.blocks.append(f"<p><strong>{inner}</strong></p>" if strong else f"<p>{inner}</p>")

    def bullets(self, items: Sequence[str]) -> None:
        self.blocks.append("<ul>\n" + "\n".join(f"<li>{_text(i)}</li>" for i in items) + "\n</ul>")

    def quotes(self, items: Sequence[str]) -> None:
        self.blocks += [f"<blockquote><p>“{_text(q)}”</p></blockquote>" for q in items]

    def table(self, caption: str, rows: Sequence[Sequence[object]], row_header: int | None = 0) -> None:
        """A table: ``rows[0]`` is the header; column ``row_header`` of every other row names the row."""
        head = "".join(f'<th scope="col">{_text(h)}</th>' for h in rows[0])
        body = []
        for row in rows[1:]:
            cells = []
            for n, cell in enumerate(row):
                content = cell if isinstance(cell, Markup) else _text(cell)
                if n == row_header:
                    cells.append(f'<th scope="row">{content}</th>')
                elif isinstance(cell, int):
                    cells.append(f'<td class="number">{content}</td>')
                else:
                    cells.append(f"<td>{content}</td>")
            body.append("<tr>" + "".join(cells) + "</tr>")
        self.blocks.append(f"<table>\n<caption>{_text(caption)}</caption>\n<thead><tr>{head}</tr></thead>\n"
                           "<tbody>\n" + "\n".join(body) + "\n</tbody>\n</table>")  # fmt: skip

    def html(self) -> str:
        language = escape(current_language())
        author = f'<meta name="author" content="{escape(clean(self.organisation))}">\n' if self.organisation else ""
        header = f'<header><p class="muted">{_text(self.organisation)}</p></header>\n' if self.organisation else ""
        return (f'<!DOCTYPE html>\n<html lang="{language}">\n<head>\n<meta charset="utf-8">\n'
                f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                f"<title>{_text(self.title)}</title>\n{author}"
                f'<meta name="generator" content="Wijkkit {escape(__version__)}">\n'
                f"<style>{STYLE}</style>\n</head>\n<body>\n{header}<main>\n"
                + "\n".join(self.blocks) + "\n</main>\n</body>\n</html>\n")  # fmt: skip


class Markup(str):
    """A cell's content already escaped (a title with its description)."""


def _agreement_rows(items: list[Agreement]) -> list[list[object]]:
    """The agreements table of the PDF (common.agreements_table): title and description in the first cell."""
    rows: list[list[object]] = [[_("Agreement"), _("Who"), _("With whom"), _("Due"), _("Status")]]
    for item in items:
        title = Markup(f"<strong>{_text(item.title)}</strong>" + (
            f"<br>{_text(item.description)}" if item.description else ""))  # fmt: skip
        rows.append([title, item.owner_label, item.partners or "", dates.short_date(item.due_on),
                     gettext(AGREEMENT_STATUSES.get(item.status, item.status))])  # fmt: skip
    return rows


def feedback_report(context: Context) -> str:
    """The feedback report to the neighbourhood (feedback.story) as HTML."""
    from wijkkit.handouts.render import title

    session = context.session
    data = feedback.meeting_data(context)
    discreet = data["discreet"]
    page = Page(feedback.document_title(context), context.branding.organisation if context.branding else "")
    page.para(title("feedback"), muted=True)
    page.heading(1, session.title)
    page.lines(feedback.meeting_lines(session))
    page.para(feedback.thanks(session))
    page.para(_("{n} people took part.").format(n=data["total"]), muted=True)
    page.heading(2, _("What was said"))
    said = feedback.said_texts(data["captures"], discreet)
    for kind, heading, texts in said:
        page.heading(3, heading)
        (page.quotes if kind == "quote" else page.bullets)(texts)
    if not said:
        page.para(_("Nothing was written down during this meeting."), muted=True)
    page.heading(2, _("Obstacles"))
    if data["obstacles"]:
        page.table(_("Obstacles"), feedback.obstacle_rows(data["obstacles"], discreet))
    else:
        page.para(_("No obstacles were written down."), muted=True)
    page.heading(2, _("Offers and needs"))
    page.para(feedback.exchange_intro(), muted=True)
    exchange = feedback.exchange_rows(data["offers"], data["needs"])
    if exchange:
        page.table(_("Offers and needs"), exchange)
    else:
        page.para(_("No offers or needs were written down."), muted=True)
    _chosen(page, data["ranking"], discreet)
    page.heading(2, _("Agreements"))
    if data["agreements"]:
        page.table(_("Agreements"), _agreement_rows([discreet.agreement(a) for a in data["agreements"]]))
    else:
        page.para(_("No agreements have been recorded."), muted=True)
    page.heading(2, _("The next meeting"))
    following = feedback.next_meeting(context, session)
    if following is None:
        page.para(_("No next meeting has been planned yet. We will let you know."), muted=True)
    else:
        page.lines([following.title], strong=True)
        page.lines(feedback.meeting_lines(following))
        page.para(_("Everyone is welcome."), muted=True)
    page.heading(2, _("In short: the six aims of the dialogue"))
    for aim, lines in feedback.aims(context, data):
        page.heading(3, aim)
        page.bullets(lines)
    return page.html()


def _chosen(page: Page, groups: list, discreet: feedback.Discreet) -> None:
    """The dot ranking (feedback.chosen_part), only when the room chose with dots."""
    if not groups:
        return
    page.heading(2, _("Chosen together"))
    page.para(feedback.chosen_intro(), muted=True)
    for title, ranking in groups:
        if title:
            page.heading(3, title)
        page.table(title or _("Chosen together"), feedback.ranking_rows(ranking, discreet), row_header=1)


def progress_report(context: Context) -> str:
    """The progress report for the municipality (progress.story) as HTML."""
    from wijkkit.handouts.render import title

    f = progress.Figures(context)
    organisation = context.branding.organisation if context.branding else ""
    page = Page(progress.document_title(context), organisation)
    page.para(title("progress"), muted=True)
    page.heading(1, organisation or _("All neighbourhoods"))
    page.para(_("Situation on {day}").format(day=dates.long_date(context.today)))
    page.table(_("In figures"), progress.summary_rows(f), row_header=None)
    if not f.neighbourhoods and not f.sessions:
        page.para(_("There are no neighbourhoods or meetings yet."), muted=True)
        return page.html()
    page.heading(2, _("Per neighbourhood"))
    page.table(_("Per neighbourhood"), progress.neighbourhood_rows(f))
    page.heading(3, _("Agreements by status"))
    page.table(_("Agreements by status"), progress.status_rows(f))
    _charts(page, f)
    page.heading(2, _("Meetings"))
    if f.sessions:
        page.table(_("Meetings"), progress.meeting_rows(f), row_header=1)
    else:
        page.para(_("No meetings have been planned yet."), muted=True)
    page.heading(2, _("Overdue agreements"))
    if f.overdue:
        page.para(progress.overdue_intro(f), muted=True)
        page.table(_("Overdue agreements"), progress.overdue_rows(f))
    else:
        page.para(_("No agreement is overdue."), muted=True)
    return page.html()


def _charts(page: Page, f: progress.Figures) -> None:
    """The PDF's two charts as the tables of their numbers (the pie leaves out statuses with none)."""
    from collections import Counter

    page.heading(2, _("Agreements at a glance"))
    total = Counter(a.status for a in f.agreements)
    if sum(total[s] for s in AGREEMENT_STATUSES) <= 0:  # as charts.pie: nothing to draw
        page.para(_("No agreements have been recorded."), muted=True)
        return
    page.heading(3, _("All agreements by status"))
    rows: list[list[object]] = [[_("Status"), _("Agreements")]]
    rows += [[gettext(label), total[s]] for s, label in AGREEMENT_STATUSES.items() if total[s]]
    page.table(_("All agreements by status"), rows)
    keys = progress.charted_keys(f)
    if keys:
        page.heading(3, _("Agreements per neighbourhood"))
        page.table(_("Agreements per neighbourhood"), progress.status_rows(f, keys))


REPORTS: dict[str, Callable[[Context], str]] = {"feedback": feedback_report, "progress": progress_report}
