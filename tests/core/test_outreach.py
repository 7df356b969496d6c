"""wijkkit.outreach: invitations and feedback per channel, the e-mail draft to the right people only (issue 18)."""

from __future__ import annotations

import email.policy
from dataclasses import dataclass
from datetime import date, datetime
from email.parser import BytesParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from tests.core.pdf_text import text_of, words
from wijkkit import branding
from wijkkit.errors import KitError, ValidationError
from wijkkit.i18n import _
from wijkkit.kit import Kit
from wijkkit.outreach import PURPOSES, TEXT_CHANNELS, FeedbackState, NoRecipientsError

TODAY = date(2026, 11, 20)
SECRET = ("Henk Oosterhuis", "henk@oosterhuis.example", "06-12345678", "Geheimorg Zorg BV")


@dataclass
class Meeting:
    kit: Kit
    session: str
    ids: dict[str, str]


def make_meeting(kit: Kit) -> Meeting:
    """A held meeting in Ellerveen with everyone the rules tell apart, and Henk Oosterhuis (no "Delen")
    named in every free text that feedback could print."""
    here = kit.neighbourhoods.add("Ellerveen", kind="kern")
    there = kit.neighbourhoods.add("Anderdorp", kind="kern")
    branding.save(kit, "Welzijn Veldhorst", None, "privacy@welzijn.example")
    session = kit.sessions.add("Samen zorgen in Ellerveen", "2026-11-12T19:30", "2026-11-12T22:00",
                               neighbourhood_id=here, theme="Naar elkaar omzien", location_name="Dorpshuis De Schakel",
                               location_address="Brinkweg 4", facilitator="Ingrid Veenstra", status="held")  # fmt: skip
    kit.sessions.add_step(session, "Welkom", 15)
    add = kit.people.add
    ids = {
        "anna": add("Anna de Vries", neighbourhood_id=here, consent_contact=1, consent_share=1, email="anna@example.org"),
        "cagla": add("Çağla Öztürk, jr.", neighbourhood_id=here, consent_contact=1, email="cagla@example.org"),
        "henk": add(SECRET[0], neighbourhood_id=here, consent_contact=1, email=SECRET[1], phone=SECRET[2],
                    organisation=SECRET[3], role="gemeente"),
        "piet": add("Piet Zonderlijst", neighbourhood_id=here),  # no consent to be contacted: no address either
        "noemail": add("Noor Zonderpost", neighbourhood_id=here, consent_contact=1, phone="0612121212"),
        "away": add("Bram Afwezig", neighbourhood_id=here, consent_contact=1, email="bram@example.org"),
        "other": add("Olga Elders", neighbourhood_id=there, consent_contact=1, email="olga@example.org"),
        "nowhere": add("Nina Nergens", consent_contact=1, email="nina@example.org"),
    }  # fmt: skip
    # a row written around the rules (an old import, a merge): an address without consent is never used
    kit.conn.execute("UPDATE person SET email = 'piet@example.org' WHERE id = ?", [ids["piet"]])
    for key in ("anna", "cagla", "henk", "piet", "noemail"):
        kit.attendance.mark(session, ids[key])
    kit.attendance.mark(session, ids["other"])
    kit.attendance.unmark(kit.attendance.mark(session, ids["nowhere"]))  # checked in by mistake, undone
    at = datetime(2026, 11, 12, 20, 0)
    for kind, text in (("dream", "Henk Oosterhuis droomt van een moestuin achter De Schakel."),
                       ("idea", "Bel Henk via 06 1234 5678 of henk@oosterhuis.example over de bus."),
                       ("quote", "Oosterhuis zei: zonder buren red je het niet."),
                       ("note", "Henks buurvrouw kookt elke week voor drie mensen.")):  # fmt: skip
        kit.live.capture(session, kind, text, at)
    kit.exchange.add_obstacle(session, "Henk Oosterhuis heeft geen auto meer.", addressed_by="Henk Oosterhuis")
    kit.agreements.add("Moestuin starten met Henk Oosterhuis", session_id=session, owner_person_id=ids["henk"],
                       description="Henk Oosterhuis (06-12345678) vraagt de gemeente om grond.",
                       due_on="2027-03-01")  # fmt: skip
    kit.agreements.add("Koffieochtend elke dinsdag", session_id=session, owner_person_id=ids["anna"],
                       due_on="2026-12-15")  # fmt: skip
    kit.agreements.add("Buurtbus op zaterdag", session_id=session, owner_party="Gemeente en Henk Oosterhuis")
    return Meeting(kit, session, ids)


@pytest.fixture
def meeting(tmp_path):
    with Kit.open(tmp_path / "wijk.sqlite") as kit:
        yield make_meeting(kit)


def parsed(path: Path):
    return BytesParser(policy=email.policy.strict).parsebytes(path.read_bytes())


def bcc(message) -> set[str]:
    return {a.addr_spec for a in message["Bcc"].addresses}


# -- who gets the e-mail ---------------------------------------------------------------------------


def test_the_invitation_goes_to_the_neighbourhood_with_contact_consent_and_an_address(meeting):
    found = meeting.kit.outreach.recipients(meeting.session, "invite")
    assert meeting.kit.outreach.nobody(meeting.session, "invite") is None
    assert {r.email for r in found} == {"anna@example.org", "cagla@example.org", SECRET[1], "bram@example.org"}


def test_the_feedback_goes_to_who_attended_with_contact_consent_and_an_address(meeting):
    found = meeting.kit.outreach.recipients(meeting.session, "feedback")
    # Olga attended but lives elsewhere: she came, so she hears back; Nina's check-in was undone
    assert {r.email for r in found} == {"anna@example.org", "cagla@example.org", SECRET[1], "olga@example.org"}


def test_the_invitation_e_mail_in_bcc_only_with_both_attachments(meeting, tmp_path):
    out = tmp_path / "uitnodiging.eml"
    draft = meeting.kit.outreach.write_email(meeting.session, "invite", out, today=TODAY)
    assert draft.path == out and draft.recipients == 4
    message = parsed(out)
    assert not message.defects
    assert bcc(message) == {"anna@example.org", "cagla@example.org", SECRET[1], "bram@example.org"}
    assert "Çağla Öztürk, jr." in {a.display_name for a in message["Bcc"].addresses}
    assert message["To"] is None and message["Cc"] is None
    raw = out.read_bytes().decode("ascii")
    for nobody in ("piet@", "olga@", "nina@"):
        assert nobody not in raw
    assert message["Subject"] == meeting.kit.outreach.material(meeting.session, "invite").subject
    assert "Samen zorgen in Ellerveen" in message["Subject"]
    pdf, calendar = list(message.iter_attachments())
    assert pdf.get_content_type() == "application/pdf" and pdf.get_content().startswith(b"%PDF")
    assert pdf.get_filename().endswith(".pdf")
    assert calendar.get_content_type() == "text/calendar" and calendar.get_filename().endswith(".ics")
    event = Calendar.from_ical(calendar.get_content()).walk("VEVENT")[0]
    assert str(event["summary"]) == "Samen zorgen in Ellerveen"
    assert event.decoded("dtstart").replace(tzinfo=None) == datetime(2026, 11, 12, 19, 30)


def test_the_feedback_e_mail_carries_the_report(meeting, tmp_path):
    out = tmp_path / "terugkoppeling.eml"
    draft = meeting.kit.outreach.write_email(meeting.session, "feedback", out, today=TODAY)
    message = parsed(out)
    assert draft.recipients == 4 and bcc(message) == {"anna@example.org", "cagla@example.org", SECRET[1],
                                                      "olga@example.org"}  # fmt: skip
    parts = {p.get_content_type(): p for p in message.iter_attachments()}
    assert parts["application/pdf"].get_content().startswith(b"%PDF")
    assert "text/calendar" not in parts


def test_edited_texts_are_what_goes_out(meeting, tmp_path):
    out = tmp_path / "x.eml"
    meeting.kit.outreach.write_email(meeting.session, "invite", out, subject="Kom ook!", body="Tot dan,\nIngrid")
    message = parsed(out)
    assert message["Subject"] == "Kom ook!"
    assert message.get_body(("plain",)).get_content().replace("\r\n", "\n") == "Tot dan,\nIngrid\n"


@pytest.mark.parametrize("purpose", PURPOSES)
def test_nobody_with_consent_writes_nothing_and_says_why(meeting, tmp_path, purpose):
    kit = meeting.kit
    for person in ("anna", "cagla", "henk", "away", "other"):
        kit.people.edit(meeting.ids[person], email="", phone="", consent_contact=0)
    out = tmp_path / "niemand.eml"
    with pytest.raises(NoRecipientsError) as raised:
        kit.outreach.write_email(meeting.session, purpose, out)
    assert kit.outreach.nobody(meeting.session, purpose).english() == raised.value.english()  # for the screens
    assert "no e-mail was written" in raised.value.english()
    assert raised.value.localized()  # a sentence for the app too
    assert not out.exists() and not list(tmp_path.glob("niemand*"))
    assert kit.outreach.invitation_prepared(meeting.session) is None
    assert kit.outreach.feedback_state(meeting.session)["email"].prepared_on is None


def test_a_meeting_without_neighbourhood_has_nobody_to_invite(meeting, tmp_path):
    kit = meeting.kit
    kit.sessions.edit(meeting.session, neighbourhood_id=None)
    assert kit.outreach.recipients(meeting.session, "invite") == []
    with pytest.raises(NoRecipientsError, match="no neighbourhood"):
        kit.outreach.write_email(meeting.session, "invite", tmp_path / "x.eml")


def test_an_unwritable_path_is_a_message_and_nothing_is_recorded(meeting, tmp_path):
    with pytest.raises(KitError, match="could not be written"):
        meeting.kit.outreach.write_email(meeting.session, "invite", tmp_path / "no" / "such" / "x.eml")
    assert meeting.kit.outreach.invitation_prepared(meeting.session) is None


# -- what was prepared and sent -----------------------------------------------------------------------


def test_the_invitation_e_mail_is_recorded_as_prepared(meeting, tmp_path):
    kit = meeting.kit
    kit.outreach.write_email(meeting.session, "invite", tmp_path / "a.eml", today=TODAY)
    assert kit.outreach.invitation_prepared(meeting.session) == "2026-11-20"
    rows = kit.query("SELECT * FROM invitation WHERE session_id = ?", [meeting.session])
    assert [(r["channel"], r["prepared_on"]) for r in rows] == [("email", "2026-11-20")]
    kit.preparation.set_invitation(meeting.session, "email", planned_on="2026-11-01")  # the existing row, kept
    kit.outreach.write_email(meeting.session, "invite", tmp_path / "b.eml", today=date(2026, 11, 21))
    rows = kit.query("SELECT * FROM invitation WHERE session_id = ?", [meeting.session])
    assert [(r["planned_on"], r["prepared_on"]) for r in rows] == [("2026-11-01", "2026-11-21")]


def test_feedback_prepared_and_sent_per_channel(meeting, tmp_path):
    kit = meeting.kit
    assert kit.outreach.feedback_state(meeting.session) == {c: FeedbackState(c) for c in TEXT_CHANNELS}
    kit.outreach.write_email(meeting.session, "feedback", tmp_path / "f.eml", today=TODAY)
    kit.outreach.mark_feedback(meeting.session, "email", sent_on=date(2026, 11, 22), reach=4)
    kit.outreach.mark_feedback(meeting.session, "newsletter", prepared_on="2026-11-23")
    state = kit.outreach.feedback_state(meeting.session)
    assert state["email"] == FeedbackState("email", "2026-11-20", "2026-11-22", 4)
    assert state["newsletter"] == FeedbackState("newsletter", "2026-11-23", None, None)
    assert state["message"] == FeedbackState("message")
    kit.outreach.mark_feedback(meeting.session, "email", sent_on=None)  # None clears, the rest stays
    assert kit.outreach.feedback_state(meeting.session)["email"] == FeedbackState("email", "2026-11-20", None, 4)
    assert len(kit.query("SELECT id FROM feedback WHERE session_id = ?", [meeting.session])) == 2


def test_feedback_overview_of_many_meetings(meeting):
    kit = meeting.kit
    other = kit.sessions.add("Tweede avond", "2026-12-10T19:30", "2026-12-10T21:30")
    kit.outreach.mark_feedback(other, "message", sent_on=date(2026, 12, 11))
    # two rows of one channel (two laptops before a sync) count as one
    kit.insert("feedback", {"session_id": other, "channel": "message", "prepared_on": "2026-12-10"})
    overview = kit.outreach.feedback_overview([meeting.session, other])
    assert overview[meeting.session] == {c: FeedbackState(c) for c in TEXT_CHANNELS}
    assert overview[other]["message"] == FeedbackState("message", "2026-12-10", "2026-12-11", None)
    assert kit.outreach.feedback_overview([]) == {}


@pytest.mark.parametrize(("change", "field"), [({"channel": "fax"}, "channel"), ({"reach": -3}, "reach"),
                                               ({"sent_on": "gisteren"}, "sent_on")])  # fmt: skip
def test_bad_feedback_records_are_refused(meeting, change, field):
    fields = {"channel": "email", **change}
    with pytest.raises(ValidationError) as raised:
        meeting.kit.outreach.mark_feedback(meeting.session, fields.pop("channel"), **fields)
    assert raised.value.field == field


# -- the texts ---------------------------------------------------------------------------------------


def test_the_invitation_texts_say_when_where_and_what(meeting):
    made = meeting.kit.outreach.material(meeting.session, "invite")
    for text in (made.body, made.message, made.newsletter):
        assert "Samen zorgen in Ellerveen" in text and "12 november 2026" in text
        assert "Dorpshuis De Schakel, Brinkweg 4" in text
    assert made.missing == () and made.gaps == ()
    assert "privacy@welzijn.example" in made.body and "Ingrid Veenstra" in made.body
    assert len(made.message.splitlines()) <= 6
    assert made.text("message") == made.message and made.text("email") == made.body


def test_a_meeting_without_date_or_place_says_what_is_missing(tmp_path, meeting):
    kit = meeting.kit
    bare = kit.insert("session", {"title": "Nog te plannen", "neighbourhood_id": kit.people.get(meeting.ids["anna"])
                                  .neighbourhood_id})  # fmt: skip
    made = kit.outreach.material(bare, "invite")
    assert made.missing == (_("date"), _("place")) and made.gaps == ("date", "place")
    for text in (made.body, made.message, made.newsletter):
        assert _("date to follow") in text and _("place to follow") in text
        assert "Wanneer: \n" not in text and not any(line.rstrip().endswith(":") for line in text.splitlines())
    out = tmp_path / "bare.eml"
    kit.outreach.write_email(bare, "invite", out)
    types = [p.get_content_type() for p in parsed(out).iter_attachments()]
    assert types == ["application/pdf"]  # no date, no calendar file
    feedback = kit.outreach.material(bare, "feedback")
    assert feedback.missing == (_("date"), _("place"))
    assert _("date unknown") in feedback.newsletter


def test_feedback_texts_tell_what_was_agreed_and_learnt(meeting):
    made = meeting.kit.outreach.material(meeting.session, "feedback")
    assert "Koffieochtend elke dinsdag (Anna de Vries, " in made.body  # she agreed to share her name
    assert "15-12-2026" in made.body
    assert "Buurtbus op zaterdag" in made.message and "Koffieochtend elke dinsdag" in made.newsletter
    assert "moestuin achter De Schakel" in made.body and "geen auto meer" in made.body
    assert len(made.message.splitlines()) <= 6


def test_no_name_of_a_person_without_share_in_any_feedback_text(meeting, tmp_path):
    """Henk Oosterhuis did not agree to share: his name, e-mail address, phone number and organisation
    appear in none of the texts and not in the e-mail's text, though they are in captures, agreements'
    titles and descriptions, an obstacle and an owner. (His address is in the Bcc: he agreed to be contacted.)"""
    kit = meeting.kit
    made = kit.outreach.material(meeting.session, "feedback")
    out = tmp_path / "f.eml"
    kit.outreach.write_email(meeting.session, "feedback", out)
    message = parsed(out)
    body = message.get_body(("plain",)).get_content()
    attached = {p.get_content_type(): p.get_content() for p in message.iter_attachments()}
    report = words(text_of(attached["application/pdf"]))  # the report itself, as PDF and as HTML
    invite = kit.outreach.material(meeting.session, "invite")
    forbidden = ("Henk", "Oosterhuis", SECRET[1], "12345678", "1234 5678", "Geheimorg")
    texts = (made.subject, made.body, made.message, made.newsletter, body, invite.body, invite.newsletter)
    for text in (*texts, attached["text/html"], report):
        for word in forbidden:
            assert word not in text, (word, text)
    for text in (*texts, attached["text/html"], report):  # nor his role
        assert "gemeente (" not in text
    assert "(naam niet gedeeld)" in made.body or "(name not shared)" in made.body


person_st = st.fixed_dictionaries({
    "name": st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30).filter(str.strip),
    "here": st.booleans(), "contact": st.booleans(), "address": st.booleans(), "came": st.booleans(),
})  # fmt: skip


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people=st.lists(person_st, min_size=1, max_size=8))
def test_the_bcc_is_exactly_who_may_be_mailed(tmp_path, people):
    """Whatever the names and whoever agreed: the draft's Bcc holds exactly the people of the neighbourhood
    (invite) or who came (feedback) with Contact consent and an address, and nothing else addresses anyone."""
    with Kit.memory() as kit:
        here, there = kit.neighbourhoods.add("Hier"), kit.neighbourhoods.add("Daar")
        session = kit.sessions.add("Avond", "2026-11-12T19:30", "2026-11-12T22:00", neighbourhood_id=here)
        expected: dict[str, set[str]] = {"invite": set(), "feedback": set()}
        for n, p in enumerate(people):
            address = f"p{n}@example.org" if p["contact"] and p["address"] else ""
            person = kit.people.add(p["name"], neighbourhood_id=here if p["here"] else there,
                                    consent_contact=int(p["contact"]), email=address)  # fmt: skip
            if p["came"]:
                kit.attendance.mark(session, person)
            if address and p["here"]:
                expected["invite"].add(address)
            if address and p["came"]:
                expected["feedback"].add(address)
        for purpose in PURPOSES:
            out = tmp_path / f"{purpose}.eml"
            out.unlink(missing_ok=True)
            if not expected[purpose]:
                with pytest.raises(NoRecipientsError):
                    kit.outreach.write_email(session, purpose, out)
                assert not out.exists()
                continue
            kit.outreach.write_email(session, purpose, out)
            message = parsed(out)
            assert bcc(message) == expected[purpose]
            assert all(message[field] is None for field in ("To", "Cc", "From", "Reply-To"))


def test_the_sync_rules_know_every_feedback_channel():
    from wijkkit import validate
    from wijkkit.outreach import TEXT_CHANNELS

    assert validate.FEEDBACK_CHANNELS == TEXT_CHANNELS
