"""The session pack: every document of one meeting in a single PDF, with a cover and a table of contents.

Before a meeting the organiser prints everything at once (invitation, poster,
programme, script, cards, sign-in sheet, the residents' privacy sheet, agreements,
feedback), or mails it to the printshop as one file. The pack reuses each document's ``story``; every document
starts on a new page, and the footer counts the pages of the whole pack. The table
of contents needs the page numbers (``MULTI_PASS``): it knows the chapters' titles
in advance and is drawn last, once ``Chapter`` has told the document template where
each one begins (contents.py; two passes, a layout-only sketch and the drawing, should that fail).
A table row taller than a page (a very long agreement) may run on over the next
page, so one odd text cannot stop the whole pack.
"""

from __future__ import annotations

import importlib

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, PageBreak

from wijkkit import dates
from wijkkit.handouts.common import context_title, gap, rule
from wijkkit.handouts.contents import LateContents
from wijkkit.handouts.feedback import long_rows
from wijkkit.handouts.page import Context
from wijkkit.handouts.style import FONT, INK, para, styles
from wijkkit.i18n import _

MULTI_PASS = True
DOCUMENTS = ("invitation", "poster", "programme", "script", "cards", "signin", "privacy", "agreements", "feedback")


def document_title(context: Context) -> str:
    return context_title(context, "pack")


class Chapter(Flowable):
    """Takes no room; tells the table of contents on which page a document starts."""

    sketch_draws = True  # also drawn in the layout-only first pass (page.Template): that is where it reports

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title = title

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        template = getattr(self.canv, "_doctemplate", None)
        if template is not None:
            template.notify("TOCEntry", (0, self.title, self.canv.getPageNumber()))


def contents() -> LateContents:
    from wijkkit.handouts.render import title

    toc = LateContents([(0, title(kind)) for kind in DOCUMENTS], dotsMinLevel=0)  # the chapters' titles, in order
    toc.levelStyles = [ParagraphStyle("toc", styles()["body"], fontName=FONT, fontSize=11.5, leading=20,
                                      textColor=INK, leftIndent=0, firstLineIndent=0)]  # fmt: skip
    return toc


def cover(context: Context) -> list:
    from wijkkit.handouts.render import title

    session = context.session
    place = ", ".join(p for p in (session.location_name, session.location_address) if p)
    organisation = context.branding.organisation if context.branding else ""
    parts = [para(title("pack"), "muted"), para(session.title, "title")]
    if session.theme:
        parts.append(para(session.theme, "h2"))
    neighbourhood = session.neighbourhood_name or ""
    lines = [dates.meeting_time(session.starts_at, session.ends_at), place,
             "" if neighbourhood in place else neighbourhood]  # fmt: skip
    parts.append(para("\n".join(line for line in lines if line), "subtitle"))
    if session.facilitator or organisation:
        who = " · ".join(p for p in (session.facilitator, organisation) if p)
        parts.append(para(_("Prepared by {who}").format(who=who), "muted"))
    parts += [para(_("Printed on {day}").format(day=dates.long_date(context.today)), "muted"), gap(4), rule(),
              para(_("Contents"), "h1"), contents()]  # fmt: skip
    return parts


def story(context: Context) -> list:
    from wijkkit.handouts.render import title

    parts = cover(context)
    for kind in DOCUMENTS:
        module = importlib.import_module(f"wijkkit.handouts.{kind}")
        parts += [PageBreak(), Chapter(title(kind)), *(long_rows(f) for f in module.story(context))]
    return parts
