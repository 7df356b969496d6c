"""Rules about whole rows in the Kit (wijkkit.rules): every local write meets them, not only the
forms; a consent change gets one record whichever way it is written; sync's apply meets neither."""

from __future__ import annotations

import pytest

from tests.core.sync_village import everywhere
from wijkkit.errors import ValidationError
from wijkkit.kit import Kit


def dump(kit: Kit) -> list:
    return [kit.query(f"SELECT * FROM [{t}] ORDER BY id") for t in kit.tables] + [
        kit.query("SELECT * FROM _field_version ORDER BY tbl, row_id, field")]  # fmt: skip


@pytest.mark.parametrize("details", [{"email": "jan@example.nl"}, {"phone": "06-12345678", "consent_contact": 0},
                                     {"email": "jan@example.nl", "consent_contact": False, "consent_share": 1}])  # fmt: skip
def test_contact_details_without_consent_are_refused_on_insert_with_nothing_written(kit, details):
    before = dump(kit)
    with pytest.raises(ValidationError) as caught:
        kit.insert("person", {"name": "Jan", **details})
    assert caught.value.field == "consent_contact"
    assert dump(kit) == before


def test_withdrawing_contact_consent_is_refused_while_details_are_kept(kit):
    jan = kit.insert("person", {"name": "Jan", "phone": "06-1234", "consent_contact": 1})
    before = dump(kit)
    for changes in ({"consent_contact": 0}, {"consent_contact": 0, "email": ""}):
        with pytest.raises(ValidationError) as caught:
            kit.update("person", jan, changes)
        assert caught.value.field == "consent_contact"
    assert dump(kit) == before
    assert kit.update("person", jan, {"consent_contact": 0, "phone": ""}) == [
        "consent_contact",
        "phone",
    ]


def test_a_row_from_before_the_rule_can_still_be_edited_in_its_other_fields(kit):
    jan = kit.insert("person", {"name": "Jan"})
    kit.conn.execute(
        "UPDATE person SET email = 'jan@example.nl' WHERE id = ?", [jan]
    )  # an import of old
    assert kit.update("person", jan, {"notes": "Komt graag"}) == ["notes"]
    with pytest.raises(ValidationError):
        kit.update("person", jan, {"phone": "06-1234"})
    assert kit.update("person", jan, {"email": "", "phone": "06-1234", "consent_contact": 1})


@pytest.mark.parametrize("name", [None, "", "   "])
def test_a_person_needs_a_name(kit, name):
    with pytest.raises(ValidationError) as caught:
        kit.insert("person", {"name": name, "role": "inwoner"})
    assert caught.value.field == "name"
    jan = kit.insert("person", {"name": "Jan"})
    with pytest.raises(ValidationError):
        kit.update("person", jan, {"name": name})
    assert kit.row("person", jan)["name"] == "Jan"


def test_an_e_mail_address_needs_a_name_an_at_and_a_domain(kit):
    with pytest.raises(ValidationError) as caught:
        kit.insert("person", {"name": "Jan", "email": "jan@", "consent_contact": 1})
    assert caught.value.field == "email"


@pytest.mark.parametrize(("starts", "ends"), [("2026-12-01T19:30", "2026-12-01T19:30"),
                                             ("2026-12-01T19:30", "2026-12-01T18:00:00")])  # fmt: skip
def test_a_meeting_ends_after_it_starts_and_does_not_follow_itself(kit, starts, ends):
    with pytest.raises(ValidationError) as caught:
        kit.insert("session", {"title": "Avond", "starts_at": starts, "ends_at": ends})
    assert caught.value.field == "ends_at"
    meeting = kit.insert(
        "session", {"title": "Avond", "starts_at": starts, "ends_at": "2026-12-01T22:00"}
    )
    with pytest.raises(ValidationError):
        kit.update("session", meeting, {"ends_at": ends})
    with pytest.raises(ValidationError) as caught:
        kit.update("session", meeting, {"follows_session_id": meeting})
    assert caught.value.field == "follows_session_id"


# -- the consent history ----------------------------------------------------------------------------


def kinds(kit: Kit, person: str) -> list[tuple[str, int]]:
    return [(r["kind"], r["given"]) for r in kit.people.consents(person)]


def test_a_consent_changed_through_the_kit_is_recorded_with_its_wording_and_moment(kit):
    jan = kit.insert("person", {"name": "Jan"})  # nothing was asked: nothing to record
    assert kinds(kit, jan) == []
    kit.update("person", jan, {"consent_photos": True})
    [record] = kit.people.consents(jan)
    assert (record["kind"], record["given"], record["session_id"]) == ("photos", 1, None)
    assert (
        record["wording"].startswith("Foto's")
        and kit.row("person", jan)["consent_at"] == record["at"]
    )
    kit.update("person", jan, {"consent_photos": 1, "notes": "x"})  # the same answer: no change
    assert kinds(kit, jan) == [("photos", 1)]


def test_the_forms_write_one_record_per_change_not_two(kit):
    meeting = kit.sessions.add("Avond", "2026-12-01T19:30", "2026-12-01T22:00")
    jan = kit.people.add("Jan", consent_share=1, consent_session_id=meeting)
    assert sorted(kinds(kit, jan)) == [("contact", 0), ("photos", 0), ("share", 1)]
    assert {r["session_id"] for r in kit.people.consents(jan)} == {meeting}
    kit.people.edit(jan, consent_share=0, notes="Wil niet genoemd worden")
    assert sorted(kinds(kit, jan)) == [("contact", 0), ("photos", 0), ("share", 0), ("share", 1)]
    kit.people.sign_in_again(
        jan, meeting, consent_share=False, consent_photos=True
    )  # a repeat is recorded too
    assert len(kit.people.consents(jan)) == 6


def test_a_consent_changed_back_in_one_transaction_keeps_every_answer(kit):
    with kit.transaction():
        jan = kit.people.add("Jan")
        kit.people.edit(jan, consent_photos=1)
        kit.people.edit(jan, consent_photos=0)
    assert [g for k, g in kinds(kit, jan) if k == "photos"] == [0, 1, 0]


def test_sync_apply_writes_no_records_of_its_own(village):
    a = village.a
    person = a.people.add("Anneke Bosma", consent_share=0, neighbourhood_id=village.wijk)
    village.sync()
    a.people.edit(person, consent_share=1, consent_photos=1)
    village.sync(rounds=3)
    ids = sorted(r["id"] for r in a.people.consents(person))
    assert len(ids) == 5
    for kit in everywhere(village):
        assert sorted(r["id"] for r in kit.people.consents(person)) == ids, (
            "records travel, none are made"
        )
        assert kit.row("person", person)["consent_share"] == 1
