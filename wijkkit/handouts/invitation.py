"""The invitation letter, for the letterbox or to hand out personally."""

from __future__ import annotations

from wijkkit import dates
from wijkkit.handouts.common import agenda_table, context_title, gap
from wijkkit.handouts.page import Context
from wijkkit.handouts.style import para
from wijkkit.i18n import _


def document_title(context: Context) -> str:
    return context_title(context, "invitation")


def story(context: Context) -> list:
    session = context.session
    place = ", ".join(p for p in (session.location_name, session.location_address) if p)
    neighbourhood = session.neighbourhood_name or _("your neighbourhood")
    when = dates.meeting_time(session.starts_at, session.ends_at)
    parts = [
        para(dates.long_date(context.today), "muted"),
        gap(6),
        para(_("Dear residents of {place},").format(place=neighbourhood)),
        gap(2),
        para(_("We warmly invite you to a neighbourhood dialogue: an evening in which residents, the "
               "municipality, the neighbourhood team, care providers, informal carers and volunteers talk "
               "about how we look after each other here.")),  # fmt: skip
        para(session.title, "h1"),
        para(_("When: {when}").format(when=when)),
        para(_("Where: {place}").format(place=place or _("to be announced"))),
    ]
    if session.theme:
        parts.append(para(_("Theme: {theme}").format(theme=session.theme)))
    parts += [
        gap(3),
        para(_("What you can expect"), "h2"),
        para(_("We talk in small groups at tables, about what goes well, what you dream of for the "
               "neighbourhood and what you could do together. Everyone can join in; you do not need to "
               "prepare anything. Coffee and tea are ready.")),  # fmt: skip
        para(_("The programme"), "h2"),
        agenda_table(session, context.kit.sessions.steps(session.id), with_purpose=False),
        gap(6),
        para(_("We hope to see you there.")),
        para(_("Kind regards,")),
        para(session.facilitator or (context.branding.organisation if context.branding else "")),
    ]
    return parts
