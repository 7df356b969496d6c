"""Someone already known signs in at the door again: what was typed there is kept, nothing
stored is erased, and each consent answered there is added to the history as a new record."""

from __future__ import annotations

from datetime import datetime

import pytest

from wijkkit.errors import NotFoundError, ValidationError
from wijkkit.i18n import gettext
from wijkkit.kit import Kit
from wijkkit.people import CONSENTS


@pytest.fixture
def meeting(kit):
    return kit.sessions.add("Avond", "2026-12-15T19:30", "2026-12-15T22:00", status="running")


def state(kit: Kit) -> dict[str, list]:
    return {t: kit.query(f"SELECT * FROM [{t}] ORDER BY 1, 2") for t in ("person", "consent_record", "_field_version")}


def test_typed_details_fill_in_and_empty_fields_keep_what_is_stored(kit, meeting):
    jan = kit.people.add("Jan de Vries", role="gemeente", organisation="Gemeente Veldhorst",
                         email="jan@veldhorst.nl", consent_contact=1)  # fmt: skip
    changed = kit.people.sign_in_again(jan, meeting, role="wijkteam", organisation="", email="  ", phone="06-1234")
    assert sorted(changed) == ["phone", "role"]
    stored = kit.people.get(jan)
    assert (stored.name, stored.role, stored.organisation, stored.email, stored.phone) == (
        "Jan de Vries", "wijkteam", "Gemeente Veldhorst", "jan@veldhorst.nl", "06-1234")  # fmt: skip
    kit.people.sign_in_again(jan, meeting, organisation=" Wijkteam Noord ", role=None, email=None)
    assert (kit.people.get(jan).organisation, kit.people.get(jan).role) == ("Wijkteam Noord", "wijkteam")


def test_nothing_typed_changes_nothing_and_records_nothing(kit, meeting):
    jan = kit.people.add("Jan de Vries", organisation="Dorpsbelang", consent_share=1)
    before = state(kit)
    assert kit.people.sign_in_again(jan, meeting, role="", organisation="", email="", phone="") == []
    assert state(kit) == before


def test_consents_answered_at_the_door_are_added_with_wording_moment_and_meeting(kit, meeting):
    jan = kit.people.add("Jan de Vries")  # three refusals on record
    first = kit.people.consents(jan)
    started = datetime.now().replace(microsecond=0)
    kit.people.sign_in_again(jan, meeting, consent_photos=True, consent_share=False)
    records = kit.people.consents(jan)
    assert records[: len(first)] == first  # history: added, never overwritten
    new = {r["kind"]: r for r in records[len(first):]}
    assert sorted(new) == ["photos", "share"]  # the contact consent was not answered: left as it is
    assert (new["photos"]["given"], new["share"]["given"]) == (1, 0)  # a repeated 'no' is recorded too
    for kind, record in new.items():
        assert record["wording"] == gettext(CONSENTS[kind]) and record["session_id"] == meeting
        assert started <= datetime.fromisoformat(record["at"]) <= datetime.now()
    stored = kit.people.get(jan)
    assert (stored.consent_contact, stored.consent_share, stored.consent_photos) == (0, 0, 1)
    assert stored.consent_at == new["photos"]["at"]


def test_a_consent_withdrawn_at_the_door_is_a_new_refusal(kit, meeting):
    jan = kit.people.add("Jan de Vries", consent_photos=1)
    kit.people.sign_in_again(jan, meeting, consent_photos=0)
    assert [r["given"] for r in kit.people.consents(jan) if r["kind"] == "photos"] == [1, 0]
    assert kit.people.get(jan).consent_photos == 0


def test_contact_details_typed_at_the_door_come_with_consent_to_be_contacted(kit, meeting):
    jan = kit.people.add("Jan de Vries", organisation="Dorpsbelang")
    before = state(kit)
    for typed in ({"email": "jan@x.nl"}, {"phone": "06-1234", "consent_contact": False},
                  {"email": "jan@x.nl", "consent_share": True, "role": "vrijwilliger"}):  # fmt: skip
        with pytest.raises(ValidationError) as caught:
            kit.people.sign_in_again(jan, meeting, **typed)
        assert caught.value.field == "consent_contact"
        assert state(kit) == before  # nothing half-saved: no role, no share record
    kit.people.sign_in_again(jan, meeting, email="jan@x.nl", consent_contact=True)
    assert (kit.people.get(jan).email, kit.people.get(jan).consent_contact) == ("jan@x.nl", 1)
    kit.people.sign_in_again(jan, meeting, phone="06-1234")  # consent given earlier still holds
    assert kit.people.get(jan).phone == "06-1234"


def test_withdrawing_contact_consent_while_details_are_stored_is_refused(kit, meeting):
    jan = kit.people.add("Jan de Vries", email="jan@x.nl", consent_contact=1)
    before = state(kit)
    with pytest.raises(ValidationError) as caught:
        kit.people.sign_in_again(jan, meeting, consent_contact=False)
    assert caught.value.field == "consent_contact"
    assert state(kit) == before


@pytest.mark.parametrize(("typed", "field"), [({"email": "jan@"}, "email"), ({"role": "burgemeester"}, "role")])
def test_bad_details_are_refused_and_nothing_saved(kit, meeting, typed, field):
    jan = kit.people.add("Jan de Vries", consent_contact=1)
    before = state(kit)
    with pytest.raises(ValidationError) as caught:
        kit.people.sign_in_again(jan, meeting, consent_photos=True, **typed)
    assert caught.value.field == field
    assert state(kit) == before


def test_an_unknown_person_or_field_is_refused(kit, meeting):
    jan = kit.people.add("Jan de Vries")
    before = state(kit)
    with pytest.raises(NotFoundError):
        kit.people.sign_in_again("no-such-person", meeting, organisation="X")
    with pytest.raises(TypeError):
        kit.people.sign_in_again(jan, meeting, name="Jan")  # the name is not changed at the door
    assert state(kit) == before
