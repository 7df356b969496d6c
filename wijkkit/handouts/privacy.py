"""The privacy sheet for residents: what is written down at a dialogue, and what they can ask.

The AVG says people must be told, in plain words, what is kept about them, why, who
sees it, how long, and how to see, correct or erase it. This one A4 lies on the door
table beside the sign-in sheet and is part of the session pack. The retention period
comes from the database (the municipality's, when the hub set one) and the contact from
the settings, so the sheet says what this installation actually does. It is the same
for every meeting, so it reads the same alone and in the pack.
"""

from __future__ import annotations

from functools import cache

from reportlab.lib.styles import ParagraphStyle

from wijkkit.handouts.common import gap
from wijkkit.handouts.page import Context
from wijkkit.handouts.style import FONT, Para, para, styles, text
from wijkkit.i18n import N_, _

WRITTEN_DOWN = (
    N_("Your name, when you sign in. That is the only thing you must give."),
    N_("If you wish: your role (for example resident, volunteer or carer) and your organisation."),
    N_("Your e-mail address and phone number, but only if you agree that we contact you."),
    N_(
        "Your three answers, with the date: may we contact you, may we share your name, may we take photos. "
        "A 'no' is written down too, so that we respect it."
    ),
    N_("That you came to the meeting, and at which table you sat."),
    N_(
        "What is said and agreed at the tables: notes, ideas, what people can offer, what they need, and "
        "agreements. What you need can say something about your health or care. You decide what you tell; "
        "we do not ask about illness."
    ),
)
WHO_SEES = (
    N_("The facilitator keeps everything on his or her own laptop, in a locked (encrypted) file."),
    N_(
        "The municipality receives the results in a locked file that only the municipality can open. It sees "
        "your name and role only if you ticked 'Share'. If you did not, it sees that someone took part, but "
        "not who: no name, role, organisation, contact details or notes, and your name is left out of the "
        "texts."
    ),
    N_(
        "On paper, such as the list of agreements and the report to the neighbourhood, names appear only of "
        "people who ticked 'Share'. Others appear by their role."
    ),
)


def document_title(context: Context) -> str:
    from wijkkit.handouts.render import title

    return title("privacy")  # the same for every meeting: the sheet does not name one


@cache
def compact() -> dict[str, ParagraphStyle]:
    """The house styles a little tighter: the whole sheet fits one A4, also in Dutch."""
    body = ParagraphStyle("sheet", styles()["body"], fontSize=10, leading=13.2, spaceAfter=2.5)
    return {"body": body, "bullet": ParagraphStyle("sheet-bullet", body, leftIndent=11, bulletIndent=1, bulletFontName=FONT),
            "h2": ParagraphStyle("sheet-h2", styles()["h2"], spaceBefore=6, spaceAfter=2.5)}  # fmt: skip


def _para(markup: str, style: str = "body", bullet: str | None = None) -> Para:
    return Para(markup, compact()[style], bulletText=bullet)


def story(context: Context) -> list:
    from wijkkit import retention

    months = retention.retention_months(context.kit)
    branding = context.branding
    organisation = branding.organisation if branding else ""
    parts = [para(_("Your privacy: what we keep about you"), "title"),
             _para(text(_("At this dialogue we write down a few things about the people who take part. Here you "
                          "read what, why, who sees it, how long we keep it, and what you can ask of us.")))]  # fmt: skip
    parts += [_para(text(_("What we write down")), "h2")]
    parts += [_para(text(_(line)), "bullet", "•") for line in WRITTEN_DOWN]
    parts += [_para(text(_("Why")), "h2"),
              _para(text(_("To prepare and lead the conversation, to keep the agreements and follow them up, to "
                            "invite you again if you want that, and to tell the neighbourhood and the municipality "
                            "what came of it. We use your data for nothing else, and we do not sell it.")))]  # fmt: skip
    parts += [
        _para(text(_("Who sees it")), "h2"),
        *(_para(text(_(line)), "bullet", "•") for line in WHO_SEES),
    ]
    parts += [_para(text(_("How long we keep it")), "h2"),
              _para(text(_("We keep your data for {months} months after the last meeting you came to; then we "
                           "erase it. Notes, offers and needs from the tables are erased when they are older than "
                           "{months} months.")).format(months=f"<b>{months}</b>"))]  # fmt: skip
    parts += [_para(text(_("What you can ask")), "h2"),
              _para(text(_("You may always ask to see what we keep about you (inzage), to correct it, or to have "
                            "it erased. You can also take back a 'yes' at any time. Ask the facilitator, or "
                            "contact us:")))]  # fmt: skip
    parts += [*contact(organisation, branding.privacy_contact if branding else ""), gap(2)]
    parts += [para(_("Are you not satisfied with how we handle your data? You can complain to the "
                     "Autoriteit Persoonsgegevens (autoriteitpersoonsgegevens.nl)."), "muted")]  # fmt: skip
    return parts


def contact(organisation: str, privacy_contact: str) -> list:
    """Who to ask: the organisation and its privacy contact from the settings."""
    if not privacy_contact:
        who = organisation or _("The organisation of this meeting")
        return [
            _para(
                f"<b>{text(_('{who}, through the facilitator of this meeting.').format(who=who))}</b>"
            )
        ]
    lines = [f"<b>{text(organisation)}</b>"] if organisation else []
    return [_para("<br/>".join([*lines, text(privacy_contact)]), "bullet")]
