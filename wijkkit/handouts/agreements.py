"""The agreements of one meeting, on paper to take home."""

from __future__ import annotations

from wijkkit.handouts.common import agreements_table, context_title, gap, meeting_heading
from wijkkit.handouts.style import para
from wijkkit.i18n import _


def document_title(context) -> str:
    return context_title(context, "agreements")


def story(context) -> list:
    from wijkkit.handouts.render import title

    session = context.session
    from wijkkit.handouts.feedback import discreet_for

    discreet = discreet_for(context)  # names only of people who agreed to share them
    items = [discreet.agreement(a) for a in context.kit.agreements.for_session(session.id)]
    parts = meeting_heading(session, title("agreements"))
    parts += [para(_("What we agreed tonight: who does what, with whom, and by when."), "muted"), gap(2),
              agreements_table(items, with_status=False), gap(6),
              para(_("We look back on these agreements at the next meeting."), "muted")]  # fmt: skip
    return parts
