"""Invitations and feedback that go out: the texts per channel, the e-mail draft, and what went out.

The method asks to invite through many channels and to tell the neighbourhood afterwards what
was agreed and learnt (terugkoppeling). This manager makes, from a meeting's own data, the texts
for each text channel (an e-mail, a few lines for WhatsApp, Facebook or the neighbourhood app, an
announcement for the local paper), writes the e-mail as a draft .eml (wijkkit.maildraft) and
records per channel when the material was prepared and sent.

Two rules hold whatever is typed:

- The e-mail goes in Bcc to people who gave Contact consent and an e-mail address, and to nobody
  else: for an invitation the people of the meeting's neighbourhood, for feedback the people who
  attended. When there is nobody, no file is written and the error says why.
- Feedback tells what was agreed and learnt, never who said what: every free text passes through
  the Redactor (wijkkit.redact), and an agreement's owner without consent to share is shown as
  "(name not shared)", without role or organisation.

A meeting without a date or a place says so in the texts ("datum volgt"), and ``Material.missing``
lists it, so nobody sends an invitation with an empty line. The feedback texts reuse what the
feedback report prints (wijkkit.handouts.feedback); that module loads reportlab, so it is imported
only when feedback is asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wijkkit import dates
from wijkkit.branding import Branding
from wijkkit.errors import KitError, ValidationError
from wijkkit.i18n import N_, _
from wijkkit.models import Session, shown_name
from wijkkit.redact import Redactor

if TYPE_CHECKING:
    from wijkkit.kit import Kit
    from wijkkit.maildraft import Attachment

PURPOSES = ("invite", "feedback")
TEXT_CHANNELS = ("email", "message", "newsletter")
LEARNT_KINDS = ("dream", "idea", "quote", "note")  # captures that tell what was learnt
SHORT = 140  # characters of one captured line in the texts; the report has them whole
MESSAGE_AGREEMENTS = 3  # agreements named in the short message; the rest are counted


class NoRecipientsError(KitError):
    """Nobody may receive the e-mail: nothing was written."""


class _Keep:
    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = _Keep()  # mark_feedback: leave this field as it is (None clears it)


@dataclass(frozen=True)
class Material:
    """The texts for one meeting and purpose, in the user's language (Dutch), ready to edit."""

    subject: str  # e-mail subject
    body: str  # e-mail body (plain text)
    message: str  # a few lines for WhatsApp / Facebook / the neighbourhood app
    newsletter: str  # a short announcement for the local paper or newsletter
    missing: tuple[str, ...]  # what the meeting lacks, in words ("datum", "plaats"); the texts say so
    gaps: tuple[str, ...] = ()  # the same as codes, "date" and "place" (for the English command line)

    def text(self, channel: str) -> str:
        """The text of a text channel: the e-mail's body, the message or the newsletter text."""
        return {"email": self.body, "message": self.message, "newsletter": self.newsletter}[channel]


@dataclass(frozen=True)
class Recipient:
    name: str
    email: str


@dataclass(frozen=True)
class EmailDraft:
    path: Path
    recipients: int
    warning: str = ""  # texts in an attached PDF that no font could print (see handouts.Handout.warning)


@dataclass(frozen=True)
class FeedbackState:
    channel: str
    prepared_on: str | None = None
    sent_on: str | None = None
    reach: int | None = None


def _check(purpose: str) -> None:
    if purpose not in PURPOSES:
        raise ValueError(f"unknown purpose {purpose!r}: one of {', '.join(PURPOSES)}")


def _day(value: Any, field: str) -> str | None:
    from wijkkit.preparation import _iso_day

    return _iso_day(value, field)


def _short(value: str) -> str:
    """The first line of a (redacted) text, at most SHORT characters."""
    line = " ".join((value or "").strip().splitlines()[0].split()) if (value or "").strip() else ""
    return line if len(line) <= SHORT else line[: SHORT - 1].rstrip() + "…"


def _bullets(lines: list[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


def _paragraphs(*parts: str) -> str:
    return "\n\n".join(p for p in parts if p)


class _Facts:
    """What every text says about a meeting: when, where, for whom, from whom; each free text redacted."""

    def __init__(self, kit: Kit, session: Session, purpose: str) -> None:
        self.redactor = Redactor.for_kit(kit)
        red = self.redactor.text
        self.session, self.branding = session, Branding.of(kit)
        self.title, self.theme = red(session.title), red(session.theme)
        self.neighbourhood = red(session.neighbourhood_name) or _("your neighbourhood")  # "Dear residents of"
        self.area = red(session.neighbourhood_name) or _("the neighbourhood")  # "everyone in"
        when = dates.meeting_time(session.starts_at, session.ends_at)
        place = ", ".join(red(p) for p in (session.location_name, session.location_address) if (p or "").strip())
        held = purpose == "feedback"  # a meeting that was: its date is not "to follow"
        self.when = when or (_("date unknown") if held else _("date to follow"))
        self.place = place or (_("place unknown") if held else _("place to follow"))
        self.gaps = tuple(code for code, known in (("date", when), ("place", place)) if not known)
        self.missing = tuple({"date": _("date"), "place": _("place")}[code] for code in self.gaps)
        start = dates.parse(session.starts_at)
        self.day = dates.long_date(start.date()) if start else ""
        organisation = red(self.branding.organisation)
        facilitator = red(session.facilitator)
        # a facilitator whose name may not leave signs as the organisation instead
        self.signature = facilitator if facilitator and facilitator == session.facilitator else organisation

    def closing(self) -> str:
        """The end of every e-mail: greeting, and why the reader gets it (with the privacy contact)."""
        why = _("You receive this e-mail because you agreed that we may contact you about the neighbourhood "
                "dialogue. If you would rather not, let us know and we will not mail you again.")  # fmt: skip
        contact = self.branding.privacy_contact
        if contact:
            why += " " + _("Questions about your details: {contact}.").format(contact=contact)
        greeting = _("Kind regards,") + (f"\n{self.signature}" if self.signature else "")
        return _paragraphs(greeting, why)


# -- invitation ---------------------------------------------------------------------------------


def _invite(kit: Kit, session: Session) -> Material:
    facts = _Facts(kit, session, "invite")
    subject = (_("Invitation: {title}, {date}").format(title=facts.title, date=facts.day) if facts.day
               else _("Invitation: {title}").format(title=facts.title))  # fmt: skip
    theme = _("Theme: {theme}").format(theme=facts.theme) if facts.theme else ""
    when_where = "\n".join([_("When: {when}").format(when=facts.when), _("Where: {place}").format(place=facts.place)])
    attached = (_("Attached you will find the invitation with the programme, and the meeting for your calendar.")
                if session.starts_at and session.ends_at
                else _("Attached you will find the invitation with the programme."))  # fmt: skip
    body = _paragraphs(
        _("Dear residents of {place},").format(place=facts.neighbourhood),
        _("We warmly invite you to a neighbourhood dialogue: an evening in which residents, the "
          "municipality, the neighbourhood team, care providers, informal carers and volunteers talk "
          "about how we look after each other here."),
        f"{facts.title}\n{when_where}" + (f"\n{theme}" if theme else ""),
        _("We talk in small groups at tables, about what goes well, what you dream of for the "
          "neighbourhood and what you could do together. Everyone can join in; you do not need to "
          "prepare anything. Coffee and tea are ready."),
        attached, _("We hope to see you there."), facts.closing(),
    )  # fmt: skip
    message = "\n".join(line for line in (
        _("Invitation: {title}").format(title=facts.title),
        _("When: {when}").format(when=facts.when),
        _("Where: {place}").format(place=facts.place),
        theme,
        _("Everyone is welcome: come and talk with us about our neighbourhood."),
    ) if line)  # fmt: skip
    host = facts.branding.organisation and facts.redactor.text(facts.branding.organisation)
    invites = (_("{organisation} invites everyone in {place} to a neighbourhood dialogue.") if host
               else _("Everyone in {place} is invited to a neighbourhood dialogue."))  # fmt: skip
    newsletter = _paragraphs(
        facts.title,
        " ".join(p for p in (invites.format(organisation=host, place=facts.area),
                             _("When: {when}.").format(when=facts.when), _("Where: {place}.").format(place=facts.place),
                             f"{theme}." if theme else "") if p),  # fmt: skip
        _("Residents, the municipality, the neighbourhood team, care providers, informal carers and volunteers "
          "talk in small groups about how we look after each other. Everyone is welcome; you do not need to "
          "prepare anything."),
    )  # fmt: skip
    return Material(subject, body, message, newsletter, facts.missing, facts.gaps)


# -- feedback -----------------------------------------------------------------------------------


def _joined(items: list[str]) -> str:
    """'a; b; c' of short lines, without the full stop each may end in (the sentence has its own)."""
    return "; ".join(item.rstrip(" .;") for item in items)


def _agreement_lines(kit: Kit, session: Session, redactor: Redactor, details: bool = True) -> list[str]:
    """One line per agreement: its title; with ``details`` who (a name only with consent to share),
    when it is due, and its description on a line of its own."""
    people = {p["id"]: p for p in kit.query("SELECT id, name, consent_share FROM person")}
    lines = []
    for item in kit.agreements.for_session(session.id):
        if not details:
            lines.append(_short(redactor.text(item.title)))
            continue
        if item.owner_person_id:
            person = people.get(item.owner_person_id) or {}
            who = person["name"] if person.get("consent_share") and person.get("name") else shown_name(None)
        else:
            who = redactor.text(item.owner_party)
        about = [who] if who else []
        if item.due_on:
            about.append(_("by {date}").format(date=dates.short_date(item.due_on)))
        line = _short(redactor.text(item.title)) + (f" ({', '.join(about)})" if about else "")
        if (item.description or "").strip():
            line += "\n  " + _short(redactor.text(item.description))
        lines.append(line)
    return lines


def _feedback(kit: Kit, session: Session) -> Material:
    from wijkkit.handouts import feedback as report
    from wijkkit.handouts.page import Context

    facts = _Facts(kit, session, "feedback")
    discreet = report.Discreet(kit.people.list())  # the report's redaction: the same engine and people
    captures = [c for c in kit.live.captures(session.id) if c.kind in LEARNT_KINDS]
    learnt = [(title, [_short(t) for t in texts if t.strip()]) for _kind, title, texts
              in report.said_texts(captures, discreet)]  # fmt: skip
    obstacles = [_short(discreet.text(o.text)) for o in kit.exchange.obstacles(session.id)]
    agreements = _agreement_lines(kit, session, facts.redactor)
    following = report.next_meeting(Context(kit, session.id), session)
    if following is None:
        next_line = _("No next meeting has been planned yet. We will let you know.")
    else:
        where = ", ".join([facts.redactor.text(following.title), *report.meeting_lines(following)])
        next_line = _("The next meeting: {meeting}. Everyone is welcome.").format(meeting=where)
    total = kit.attendance.total(session.id)

    subject = _("Feedback: {title}").format(title=facts.title)
    sections = [_("What we agreed") + "\n" + (_bullets(agreements) if agreements else _("No agreements have been "
                                                                                        "recorded."))]  # fmt: skip
    sections += [f"{title}\n{_bullets(lines)}" for title, lines in learnt if lines]
    if obstacles:
        sections.append(_("Obstacles") + "\n" + _bullets(obstacles))
    if not learnt and not obstacles:
        sections.append(_("Nothing was written down during this meeting."))
    body = _paragraphs(
        _("Dear participant,"),
        _("Thank you for taking part in {title} on {when} in {place}. Here is what we agreed and learnt "
          "together.").format(title=facts.title, when=facts.when, place=facts.place),
        *sections, next_line,
        _("Attached you will find the whole feedback report, also for neighbours who could not be there."),
        facts.closing(),
    )  # fmt: skip

    titles = _agreement_lines(kit, session, facts.redactor, details=False)
    named = titles[:MESSAGE_AGREEMENTS]
    agreed = _joined(named)
    if len(titles) > len(named):
        agreed = _("{agreements} and {n} more").format(agreements=agreed, n=len(titles) - len(named))
    message = "\n".join(line for line in (
        _("Feedback: {title}").format(title=facts.title),
        _("Thank you to the {n} people who took part!").format(n=total) if total else _("Thank you for taking part!"),
        _("We agreed: {agreements}.").format(agreements=agreed) if titles else _("No agreements have been recorded."),
        next_line,
    ) if line)  # fmt: skip
    said = [line for _title, lines in learnt for line in lines][:3]
    day = facts.day or facts.when
    came = (_("On {day} {n} people from {neighbourhood} came together in {place} for a neighbourhood dialogue: "
              "{title}.") if total else _("On {day} people from {neighbourhood} came together in {place} for a "
                                          "neighbourhood dialogue: {title}."))  # fmt: skip
    newsletter = _paragraphs(
        subject,
        came.format(day=day, n=total, neighbourhood=facts.area, place=facts.place, title=facts.title),
        (_("They agreed: {agreements}.").format(agreements=_joined(titles[:5])) if titles
         else _("No agreements have been recorded.")),
        _("Among what was said: {said}.").format(said=_joined(said)) if said else "",
        next_line,
    )  # fmt: skip
    return Material(subject, body, message, newsletter, facts.missing, facts.gaps)


# -- the manager -----------------------------------------------------------------------------------


class Outreach:
    """``kit.outreach``: the material of a meeting's invitation and feedback, and what of it went out."""

    def __init__(self, kit: Kit) -> None:
        self.kit = kit

    def material(self, session_id: str, purpose: str) -> Material:
        """The texts of every channel for a meeting's invitation ('invite') or feedback ('feedback')."""
        _check(purpose)
        session = self.kit.sessions.get(session_id)
        return _invite(self.kit, session) if purpose == "invite" else _feedback(self.kit, session)

    def recipients(self, session_id: str, purpose: str) -> list[Recipient]:
        """Who the e-mail goes to (Bcc), by name: for 'invite' the people of the meeting's neighbourhood,
        for 'feedback' the people who attended it; in both only people with Contact consent and an
        e-mail address. Each address once."""
        _check(purpose)
        session = self.kit.sessions.get(session_id)
        if purpose == "invite":
            if not session.neighbourhood_id:
                return []
            sql, params = "SELECT name, email FROM person p WHERE p.neighbourhood_id = ?", [session.neighbourhood_id]
        else:
            sql = ("SELECT name, email FROM person p WHERE p.id IN "
                   "(SELECT person_id FROM attendance WHERE session_id = ? AND present)")  # fmt: skip
            params = [session_id]
        rows = self.kit.query(sql + " AND p.consent_contact AND trim(coalesce(p.email, '')) LIKE '%_@_%'", params)
        found: dict[str, Recipient] = {}
        for row in sorted(rows, key=lambda r: ((r["name"] or "").casefold(), r["email"])):
            found.setdefault(row["email"].strip().casefold(), Recipient(row["name"] or "", row["email"].strip()))
        return list(found.values())

    def nobody(self, session_id: str, purpose: str) -> NoRecipientsError | None:
        """Why no e-mail can be made (the error ``write_email`` would raise, with ``localized()`` for the
        screen), or None when someone may receive it."""
        if self.recipients(session_id, purpose):
            return None
        return _nobody(self.kit.sessions.get(session_id), purpose)

    def write_email(self, session_id: str, purpose: str, path: Path, *, subject: str | None = None,
                    body: str | None = None, today: date | None = None) -> EmailDraft:  # fmt: skip
        """Write the draft .eml (see wijkkit.maildraft) with the edited ``subject`` and ``body`` (None: from
        ``material``) and record it as prepared ``today``: the invitation's 'email' channel, or the
        feedback's. NoRecipientsError, and nothing written, when nobody may receive it."""
        from wijkkit import maildraft
        from wijkkit.atomic import write_atomically

        _check(purpose)
        session = self.kit.sessions.get(session_id)
        people = self.recipients(session_id, purpose)
        if not people:
            raise _nobody(session, purpose)
        if subject is None or body is None:
            made = self.material(session_id, purpose)
            subject = made.subject if subject is None else subject
            body = made.body if body is None else body
        today = today or date.today()
        attachments, warning = self._attachments(session, purpose, today)
        bcc = []
        for person in people:
            try:
                bcc.append(maildraft.address(person.name, person.email))
            except ValueError:
                continue  # an address the parser cannot take: left out, never mangled
        if not bcc:
            raise _nobody(session, purpose)
        data = maildraft.build(subject, body, bcc, attachments)
        try:
            write_atomically(Path(path), data)
        except OSError as error:
            raise KitError(N_("The file {path} could not be written: {reason}"), path=str(path),
                           reason=error.strerror or str(error)) from error  # fmt: skip
        if purpose == "invite":
            self._invitation_prepared(session_id, today)
        else:
            self.mark_feedback(session_id, "email", prepared_on=today)
        return EmailDraft(Path(path), len(bcc), warning)

    def _attachments(self, session: Session, purpose: str, today: date) -> tuple[list[Attachment], str]:
        """invite: the invitation letter and the meeting's .ics (when it has a date); feedback: the
        feedback report, as PDF and as accessible HTML (how the report is shared digitally)."""
        from wijkkit import handouts, ics
        from wijkkit.filenames import safe_name
        from wijkkit.handouts.render import title
        from wijkkit.maildraft import Attachment

        kind = "invitation" if purpose == "invite" else "feedback"
        made = handouts.make(kind, self.kit, session.id, today, with_html=kind == "feedback")
        stem = safe_name(f"{title(kind)} - {session.title}")
        found = [Attachment(f"{stem}.pdf", "application/pdf", made.data)]
        if made.html is not None:
            found.append(Attachment(f"{stem}.html", "text/html", made.html.encode("utf-8")))
        if purpose == "invite" and session.starts_at and session.ends_at:
            calendar = ics.meeting_calendar(session, self.kit.sessions.steps(session.id))
            found.append(Attachment(f"{safe_name(session.title)}.ics", "text/calendar", calendar))
        return found, made.warning()

    def _invitation_prepared(self, session_id: str, today: date) -> None:
        rows = self.kit.query("SELECT id FROM invitation WHERE session_id = ? AND channel = 'email' ORDER BY id",
                              [session_id])  # fmt: skip
        if rows:
            self.kit.update("invitation", rows[0]["id"], {"prepared_on": today.isoformat()})
        else:
            self.kit.insert("invitation", {"session_id": session_id, "channel": "email",
                                           "prepared_on": today.isoformat()})  # fmt: skip

    def invitation_prepared(self, session_id: str) -> str | None:
        """When the invitation's e-mail draft was last prepared (ISO date), or None."""
        row = self.kit.conn.execute("SELECT max(prepared_on) FROM invitation WHERE session_id = ? AND channel = "
                                    "'email'", [session_id]).fetchone()  # fmt: skip
        return row[0] if row else None

    def mark_feedback(self, session_id: str, channel: str, *, prepared_on: date | None = KEEP,
                      sent_on: date | None = KEEP, reach: int | None = KEEP) -> None:  # fmt: skip
        """Record when the feedback of a text channel was prepared or sent, and how many it reached.
        A field not given stays as it is; None clears it. Dates may be ``date`` or ISO text."""
        if channel not in TEXT_CHANNELS:
            raise ValidationError(N_("Unknown channel: {channel}."), field="channel", channel=channel)
        self.kit.sessions.get(session_id)
        values: dict[str, Any] = {}
        for key, value in (("prepared_on", prepared_on), ("sent_on", sent_on)):
            if value is not KEEP:
                values[key] = _day(value, key)
        if reach is not KEEP:
            if reach not in (None, "") and (not str(reach).isdecimal() or not str(reach).isascii()):
                raise ValidationError(N_("Reach is a number of people or addresses."), field="reach")
            values["reach"] = int(reach) if reach not in (None, "") else None
        rows = self.kit.query("SELECT id FROM feedback WHERE session_id = ? AND channel = ? ORDER BY id",
                              [session_id, channel])  # fmt: skip
        with self.kit.transaction():
            if rows:
                self.kit.update("feedback", rows[0]["id"], values)
            else:
                self.kit.insert("feedback", {"session_id": session_id, "channel": channel, **values})

    def feedback_state(self, session_id: str) -> dict[str, FeedbackState]:
        """Per text channel (also those without a row: all None) when the feedback was prepared and sent."""
        return self.feedback_overview([session_id])[session_id]

    def feedback_overview(self, sessions: list[str]) -> dict[str, dict[str, FeedbackState]]:
        """``feedback_state`` of many meetings in one query, for a list view. Two rows of one channel
        (made on two laptops before a sync) count as one: the latest dates, the largest reach."""
        found: dict[str, dict[str, FeedbackState]] = {s: {c: FeedbackState(c) for c in TEXT_CHANNELS}
                                                      for s in sessions}  # fmt: skip
        ids = list(found)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            rows = self.kit.query(
                "SELECT session_id, channel, max(prepared_on) AS prepared_on, max(sent_on) AS sent_on, "
                f"max(reach) AS reach FROM feedback WHERE session_id IN ({', '.join('?' * len(chunk))}) "
                "GROUP BY session_id, channel", chunk)  # fmt: skip
            for row in rows:
                if row["channel"] in TEXT_CHANNELS:
                    found[row["session_id"]][row["channel"]] = FeedbackState(
                        row["channel"], row["prepared_on"], row["sent_on"], row["reach"])
        return found


def _nobody(session: Session, purpose: str) -> NoRecipientsError:
    if purpose == "feedback":
        return NoRecipientsError(N_("Nobody who attended this meeting agreed to be contacted and gave an e-mail "
                                    "address, so no e-mail was written. Use the message or the newsletter text."))  # fmt: skip
    if not session.neighbourhood_id:
        return NoRecipientsError(N_("This meeting has no neighbourhood, so there is nobody to invite by e-mail; no "
                                    "e-mail was written. Choose the meeting's neighbourhood first."))  # fmt: skip
    return NoRecipientsError(N_("Nobody in {neighbourhood} agreed to be contacted and gave an e-mail address, so no "
                                "e-mail was written. Use the letter, the poster or the message instead."),
                             neighbourhood=session.neighbourhood_name or "")  # fmt: skip
