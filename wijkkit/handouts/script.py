"""The facilitator's script (draaiboek): every step with its times, purpose, form and questions."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether

from wijkkit.handouts.common import agenda_rows, context_title, gap, grid, meeting_heading
from wijkkit.handouts.style import para, rich, text
from wijkkit.i18n import _, gettext
from wijkkit.models import GROUP_FORMS


def document_title(context) -> str:
    return context_title(context, "script")


def story(context) -> list:
    from wijkkit.handouts.render import title

    session = context.session
    steps = context.kit.sessions.steps(session.id)
    parts = meeting_heading(session, title("script"))
    if session.facilitator:
        parts.append(para(_("Facilitator: {name}").format(name=session.facilitator)))
    total = sum(s.minutes for s in steps)
    parts.append(para(_("{n} agenda items, {minutes} minutes in all.").format(n=len(steps), minutes=total), "muted"))
    if not steps:
        parts.append(para(_("The agenda of this meeting has not been made yet."), "muted"))
    for start, step in agenda_rows(session, steps):
        form = gettext(GROUP_FORMS.get(step.group_form, step.group_form))
        block = [rich(f"{text(start)} · {text(step.title)} "
                      f"<font size=9 color='#55605c'>({step.minutes} min, {text(form)})</font>", "h2")]  # fmt: skip
        if step.purpose:
            block.append(para(step.purpose))
        prompts = step.prompt_list
        if prompts:
            block.append(grid([[_("Questions")]] + [[f"• {p}"] for p in prompts], [174 * mm], zebra=False))
        block.append(grid([[_("Notes")], [""], [""]], [174 * mm], zebra=False, row_height=9 * mm))
        parts += [KeepTogether(block), gap(3)]
    return parts
