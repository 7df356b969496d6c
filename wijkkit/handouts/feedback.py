"""The feedback report (terugkoppeling) to the whole neighbourhood, after a meeting.

A dialogue is only trusted when people hear back what happened to their words. This
report gives what was said, the obstacles and who could take them up, offers and
needs counted per category, the dreams and ideas the room chose with dots (only when
it did), the agreements, the next meeting, and a summary along
the six aims of a wijkdialoog made from counts, not prose. It goes to people who
were not there, so a person's name is printed only when that person agreed to
share it (consent_share): ``Discreet`` replaces the others, also inside free text
(with wijkkit.redact, the engine sync and the projector use too).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table

from wijkkit import dates
from wijkkit.exchange import CATEGORIES, OBSTACLE_CATEGORIES
from wijkkit.handouts.charts import paired_bars
from wijkkit.handouts.common import agreements_table, context_title, gap, grid, meeting_heading
from wijkkit.handouts.page import Context
from wijkkit.handouts.style import Para, clean, para, rich, styles, text
from wijkkit.i18n import N_, _, gettext
from wijkkit.models import NAME_NOT_SHARED, ROLES, Agreement, Person, Session
from wijkkit.redact import Redactor

SAID = (("dream", N_("Dreams")), ("idea", N_("Ideas")), ("note", N_("What we noticed")),
        ("quote", N_("In people's own words")))
HELPERS = ("inwoner", "mantelzorger", "vrijwilliger")
PARTNERS = ("gemeente", "wijkteam", "zorgaanbieder", "welzijnsorganisatie", "mantelzorger", "vrijwilliger")


def document_title(context: Context) -> str:
    return context_title(context, "feedback")


class Discreet:
    """Prints a person's name only when they agreed to share it; others become "(naam niet gedeeld)"."""

    def __init__(self, people: list[Person]) -> None:
        self.people = {p.id: p for p in people}
        self.redactor = Redactor(people)  # the one engine that also guards sync and the projector

    def text(self, value: str | None) -> str:
        return self.redactor.text(clean(value))

    def role(self, person_id: str | None) -> str:
        person = self.people.get(person_id or "")
        return gettext(ROLES.get(person.role, person.role)) if person else ""

    def agreement(self, item: Agreement) -> Agreement:
        owner = item.owner_name
        person = self.people.get(item.owner_person_id or "")
        if item.owner_person_id and not (person and person.consent_share):
            owner = gettext(NAME_NOT_SHARED)  # nor the role: in a village "de mantelzorger" names someone too
        return replace(item, owner_name=owner, owner_party=self.text(item.owner_party), title=self.text(item.title),
                       description=self.text(item.description), partners=self.text(item.partners))  # fmt: skip


def discreet_for(context: Context) -> Discreet:
    """The handout's ``Discreet``, made once per handout (the pack's agreements and feedback share it:
    the people are read and the name finder built once)."""
    made = context.__dict__.get("_discreet")
    if made is None:
        made = context.__dict__["_discreet"] = Discreet(context.kit.people.list())
    return made


def counted(counter: Counter, labels: dict[str, str]) -> str:
    """'transport 2, trust 1' in the order of ``labels``; '–' for nothing."""
    parts = [f"{gettext(labels.get(k, k))} {counter[k]}" for k in [*labels, *sorted(set(counter) - set(labels))]
             if counter.get(k)]  # fmt: skip
    return ", ".join(parts) or "–"


def next_meeting(context: Context, session: Session) -> Session | None:
    """The planned meeting that follows this one, else the next planned one in the same neighbourhood."""
    everything = context.kit.sessions.list()
    planned = [s for s in everything if s.status == "planned" and s.id != session.id]
    follows = [s for s in planned if s.follows_session_id == session.id]
    later = [s for s in planned if session.neighbourhood_id and s.neighbourhood_id == session.neighbourhood_id
             and (s.starts_at or "") > (session.starts_at or "")]  # fmt: skip
    return (follows or later or [None])[0]


def heading(words: str, level: str = "h1") -> Paragraph:
    """A heading that never stands alone at the foot of a page."""
    return Para(text(words), ParagraphStyle(f"{level}-keep", styles()[level], keepWithNext=1))


def long_rows(table: Flowable) -> Flowable:
    """Lets a row taller than a page (an agreement of 2,000 characters) go on over the next page."""
    if isinstance(table, Table):
        table.splitInRow = 1  # a tall row may split anywhere: a minimum left rows that could not be placed
    return table


def _bullets(lines: list[str], style: str = "body") -> list:
    return [para(f"• {line}", style) for line in lines]


def said_texts(captures: list, discreet: Discreet) -> list[tuple[str, str, list[str]]]:
    """What was said, per kind that has any: (kind, its heading, the texts with names replaced)."""
    found = [(kind, _(title), [discreet.text(c.text) for c in captures if c.kind == kind]) for kind, title in SAID]
    return [(kind, title, texts) for kind, title, texts in found if texts]


def said(captures: list, discreet: Discreet) -> list:
    parts = [heading(_("What was said"))]
    for kind, title, found in said_texts(captures, discreet):
        parts.append(heading(title, "h2"))
        if kind == "quote":
            parts += [rich(f"<i>“{text(q)}”</i>") for q in found]
        else:
            parts += _bullets(found)
    if len(parts) == 1:
        parts.append(para(_("Nothing was written down during this meeting."), "muted"))
    return parts


def obstacle_rows(obstacles: list, discreet: Discreet) -> list[list[str]]:
    """The obstacles table, its header first (the PDF and the HTML report print the same cells)."""
    rows = [[_("Obstacle"), _("Kind"), _("Who could take it up")]]
    rows += [[discreet.text(o.text), gettext(OBSTACLE_CATEGORIES.get(o.category, o.category)),
              discreet.text(o.addressed_by) or _("nobody yet")] for o in obstacles]  # fmt: skip
    return rows


def obstacles_part(obstacles: list, discreet: Discreet) -> list:
    parts = [heading(_("Obstacles"))]
    if not obstacles:
        return parts + [para(_("No obstacles were written down."), "muted")]
    return parts + [long_rows(grid(obstacle_rows(obstacles, discreet), [100 * mm, 30 * mm, 44 * mm]))]


def exchange_rows(offers: list, needs: list) -> list[list[object]]:
    """Offers and needs counted per kind of help, header first and a total last; [] for none."""
    if not offers and not needs:
        return []
    given, asked = Counter(o.category for o in offers), Counter(n.category for n in needs)
    given_matched = Counter(o.category for o in offers if o.status == "matched")
    asked_matched = Counter(n.category for n in needs if n.status == "matched")
    kinds = [k for k in CATEGORIES if given[k] or asked[k]] + sorted((set(given) | set(asked)) - set(CATEGORIES))
    rows: list[list[object]] = [[_("Kind of help"), _("Offers"), _("of which matched"), _("Needs"),
                                 _("of which matched")]]  # fmt: skip
    rows += [[gettext(CATEGORIES.get(k, k)), given[k], given_matched[k], asked[k], asked_matched[k]] for k in kinds]
    rows.append([_("Total"), len(offers), given_matched.total(), len(needs), asked_matched.total()])
    return rows


def exchange_intro() -> str:
    return _("What people can give and what they need, counted per kind of help. Names are not printed; "
             "the organisers bring offers and needs together.")  # fmt: skip


def exchange_part(offers: list, needs: list) -> list:
    parts = [heading(_("Offers and needs")), para(exchange_intro(), "muted")]
    rows = exchange_rows(offers, needs)
    if not rows:
        return parts + [para(_("No offers or needs were written down."), "muted")]
    body = rows[1:-1]  # the chart: offers and needs of each kind, without the total
    chart = paired_bars([str(r[0]) for r in body], [int(r[1]) for r in body], [int(r[3]) for r in body],
                        (_("Offers"), _("Needs")))  # fmt: skip
    return parts + [grid(rows, [58 * mm, 29 * mm, 29 * mm, 29 * mm, 29 * mm]), gap(3), chart]


def ranking_rows(ranking: list, discreet: Discreet) -> list[list[object]]:
    """A dot ranking (wijkkit.dots), header first: place, the dream or idea, its dots, whether it became an
    agreement (the PDF and the HTML report print the same cells)."""
    rows: list[list[object]] = [[_("Rank"), _("Dream or idea"), _("Dots"), _("Agreement")]]
    rows += [[c.rank, discreet.text(c.text), c.dots, _("yes") if c.chosen else ""] for c in ranking]
    return rows


def chosen_intro() -> str:
    return _("The dreams and ideas the room put dots on, most dots first; the chosen ones became agreements.")


def chosen_part(groups: list, discreet: Discreet) -> list:
    """'Chosen together': the dot ranking (per step when dots were counted in more than one); nothing without."""
    if not groups:
        return []
    parts = [heading(_("Chosen together")), para(chosen_intro(), "muted")]
    for title, ranking in groups:
        if title:
            parts.append(heading(title, "h2"))
        parts.append(long_rows(grid(ranking_rows(ranking, discreet), [16 * mm, 114 * mm, 18 * mm, 26 * mm])))
    return parts


def aims(context: Context, data: dict) -> list[tuple[str, list[str]]]:
    """The six aims of a wijkdialoog, each with a few lines counted from the meeting's data."""
    roles, agreements = Counter(a.role for a in data["attendees"]), data["agreements"]
    kinds = Counter(c.kind for c in data["captures"])
    owners = Counter(data["discreet"].people[a.owner_person_id].role if a.owner_person_id in data["discreet"].people
                     else "party" for a in agreements)  # fmt: skip
    tables: dict[int, set[str]] = {}
    for person in data["attendees"]:
        if person.table_no is not None:
            tables.setdefault(person.table_no, set()).add(person.role)
    offers, needs, obstacles = data["offers"], data["needs"], data["obstacles"]
    waiting = sum(1 for o in offers if o.status == "open")
    party_labels = {**ROLES, "party": _("organisations and parties")}
    return [
        (_("Active participation in the neighbourhood"), [
            _("Taking part: {n} people ({roles}).").format(n=data["total"], roles=counted(roles, ROLES)),
            _("Dreams: {dreams}; ideas: {ideas}; offers of help: {offers}.").format(
                dreams=kinds["dream"], ideas=kinds["idea"], offers=len(offers)),
        ]),
        (_("Obstacles, and what residents who can help will do"), [
            _("Obstacles named: {n}; with someone to take them up: {m}.").format(
                n=len(obstacles), m=sum(1 for o in obstacles if o.addressed_by)),
            _("Agreements carried by residents, informal carers and volunteers: {n}.").format(
                n=sum(owners[r] for r in HELPERS)),
        ]),
        (_("Working together: municipality, care providers, informal carers and volunteers"), [
            _("Present: {roles}.").format(roles=counted(Counter({r: roles[r] for r in PARTNERS}), ROLES)),
            _("Agreements: {n}; made together with a partner: {m}.").format(
                n=len(agreements), m=sum(1 for a in agreements if a.partners)),
        ]),
        (_("What residents who help need"), [
            _("Needs written down: {n} ({kinds}).").format(
                n=len(needs), kinds=counted(Counter(n.category for n in needs), CATEGORIES)),
            _("Offers of help still waiting for a match: {n}.").format(n=waiting),
        ]),
        (_("The relationships that were built"), [
            _("Tables: {n}; with people in different roles: {m}.").format(
                n=len(tables), m=sum(1 for t in tables.values() if len(t) > 1)),
            _("Offers and needs brought together: {n}.").format(
                n=sum(1 for i in offers if i.status == "matched")),
        ]),
        (_("What each party needs to take part"), [
            _("Agreements per party: {parties}.").format(parties=counted(owners, party_labels)),
            _("Obstacles by kind: {kinds}.").format(
                kinds=counted(Counter(o.category for o in obstacles), OBSTACLE_CATEGORIES)),
        ]),
    ]  # fmt: skip


def meeting_data(context: Context) -> dict:
    """Everything the report says about one meeting, read once (the PDF and the HTML report share it)."""
    kit, session = context.kit, context.session
    return {
        "discreet": discreet_for(context), "attendees": kit.attendance.attendees(session.id),
        "total": kit.attendance.total(session.id), "captures": kit.live.captures(session.id),
        "offers": [o for o in kit.exchange.offers() if o.session_id == session.id],
        "needs": [n for n in kit.exchange.needs() if n.session_id == session.id],
        "obstacles": kit.exchange.obstacles(session.id), "agreements": kit.agreements.for_session(session.id),
        "ranking": kit.dots.by_step(session.id),
    }  # fmt: skip


def thanks(session: Session) -> str:
    neighbourhood = session.neighbourhood_name or _("the neighbourhood")
    return _("Thank you to everyone who came. This is what we heard and agreed, for everyone in {place}, "
             "also for those who could not be there.").format(place=neighbourhood)  # fmt: skip


def meeting_lines(session: Session) -> list[str]:
    """When and where a meeting is: the lines under its title."""
    place = ", ".join(p for p in (session.location_name, session.location_address) if p)
    return [p for p in (dates.meeting_time(session.starts_at, session.ends_at), place) if p]


def story(context: Context) -> list:
    from wijkkit.handouts.render import title

    session = context.session
    data = meeting_data(context)
    discreet = data["discreet"]
    parts = meeting_heading(session, title("feedback"))
    parts += [para(thanks(session)), para(_("{n} people took part.").format(n=data["total"]), "muted")]
    parts += said(data["captures"], discreet)
    parts += obstacles_part(data["obstacles"], discreet)
    parts += exchange_part(data["offers"], data["needs"])
    parts += chosen_part(data["ranking"], discreet)
    parts += [heading(_("Agreements")),
              long_rows(agreements_table([discreet.agreement(a) for a in data["agreements"]]))]  # fmt: skip
    parts.append(heading(_("The next meeting")))
    following = next_meeting(context, session)
    if following is None:
        parts.append(para(_("No next meeting has been planned yet. We will let you know."), "muted"))
    else:
        parts += [rich(f"<b>{text(following.title)}</b>"), para("\n".join(meeting_lines(following))),
                  para(_("Everyone is welcome."), "muted")]  # fmt: skip
    first = [para(_("In short: the six aims of the dialogue"), "h1")]
    for n, (aim, lines) in enumerate(aims(context, data)):
        parts.append(KeepTogether([*(first if n == 0 else []), para(aim, "h2"), *_bullets(lines)]))
    return parts
