"""The programme for participants: the evening at a glance, with the ground rules."""

from __future__ import annotations

from wijkkit.handouts.common import agenda_table, context_title, gap, meeting_heading
from wijkkit.handouts.page import Context
from wijkkit.handouts.style import para
from wijkkit.i18n import N_, _

GROUND_RULES = (
    N_("Let each other finish."),
    N_("Speak for yourself, from your own experience."),
    N_("Listen to understand, not to answer."),
    N_("Ask for examples."),
    N_("Silence is allowed."),
)


def document_title(context: Context) -> str:
    return context_title(context, "programme")


def story(context: Context) -> list:
    from wijkkit.handouts.render import title

    session = context.session
    parts = meeting_heading(session, title("programme"))
    parts += [agenda_table(session, context.kit.sessions.steps(session.id)), gap(6),
              para(_("Ground rules for the conversation"), "h2")]  # fmt: skip
    parts += [para(f"• {_(rule)}") for rule in GROUND_RULES]
    parts += [gap(4), para(_("Everything written down tonight comes back to you in a short report."), "muted")]
    return parts
