"""Registering people: three separate consents recorded with their wording, contact details
only with consent, names in any script stored exactly, and namesakes never merged."""

from __future__ import annotations

import unicodedata
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wijkkit.errors import NotFoundError, ValidationError
from wijkkit.i18n import gettext
from wijkkit.kit import Kit
from wijkkit.people import CONSENTS, MAX_NAME

NAMES = [
    "Şükrü Yılmaz",
    "Łucja Wójcik",
    "Zoë van 't Hof-Dijkstra",
    "Nguyễn Thị Minh Khai",
    "مريم الحسيني",
    "王秀英",
    "Ørjan Æsøy",
    "D'Angelo O'Neill-Smith",
]


def rows(kit: Kit, table: str) -> int:
    return kit.conn.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]


def snapshot(kit: Kit) -> tuple[int, int, int]:
    return rows(kit, "person"), rows(kit, "consent_record"), rows(kit, "_field_version")


# -- consents -------------------------------------------------------------------------


def test_every_consent_is_recorded_at_registration_with_its_wording_and_moment(kit):
    before = datetime.now().replace(microsecond=0)
    meeting = kit.sessions.add("Avond", "2026-12-15T19:30", "2026-12-15T22:00")
    person = kit.people.add("Anneke Bosma", consent_share=1, consent_session_id=meeting)
    after = datetime.now()
    records = kit.people.consents(person)
    assert sorted(r["kind"] for r in records) == sorted(CONSENTS) == ["contact", "photos", "share"]
    by_kind = {r["kind"]: r for r in records}
    assert {k: r["given"] for k, r in by_kind.items()} == {"contact": 0, "share": 1, "photos": 0}
    for kind, record in by_kind.items():
        assert record["wording"] == gettext(CONSENTS[kind])
        assert record["wording"]
        assert record["person_id"] == person
        assert record["session_id"] == meeting
        assert before <= datetime.fromisoformat(record["at"]) <= after
    stored = kit.people.get(person)
    assert (stored.consent_contact, stored.consent_share, stored.consent_photos) == (0, 1, 0)
    assert stored.consent_at == records[0]["at"]


def test_no_consent_given_is_still_recorded_as_three_refusals(kit):
    person = kit.people.add("Nguyễn Thị Minh Khai")
    records = kit.people.consents(person)
    assert len(records) == 3
    assert all(r["given"] == 0 and r["session_id"] is None for r in records)
    stored = kit.people.get(person)
    assert (stored.consent_contact, stored.consent_share, stored.consent_photos) == (0, 0, 0)


def test_consent_wording_is_the_one_in_the_language_shown(kit):
    from wijkkit.i18n import set_language

    set_language("en")
    person = kit.people.add("Henk", consent_photos=True)
    wording = {r["kind"]: r["wording"] for r in kit.people.consents(person)}
    assert wording == CONSENTS
    assert kit.people.get(person).consent_photos == 1


@pytest.mark.parametrize("kind", sorted(CONSENTS))
def test_withdrawing_one_consent_records_exactly_one_new_refusal(kit, kind):
    key = f"consent_{kind}"
    person = kit.people.add("Henk Oosterhuis", consent_contact=1, consent_share=1, consent_photos=1)
    first = kit.people.consents(person)
    changes = {key: 0}
    changed = kit.people.edit(person, **changes)
    assert key in changed
    records = kit.people.consents(person)
    assert len(records) == len(first) + 1
    (new,) = [r for r in records if r["id"] not in {f["id"] for f in first}]
    assert (new["kind"], new["given"], new["wording"]) == (kind, 0, gettext(CONSENTS[kind]))
    assert getattr(kit.people.get(person), key) == 0
    assert kit.people.get(person).consent_at == new["at"]


def test_share_from_one_to_zero_records_one_record_with_given_zero(kit):
    person = kit.people.add("Fatima El Amrani", role="wijkteam", consent_share=1)
    kit.people.edit(person, consent_share=0, consent_session_id=None)
    share = [r for r in kit.people.consents(person) if r["kind"] == "share"]
    assert [r["given"] for r in share] == [1, 0]
    assert len(kit.people.consents(person)) == 4


def test_an_edit_that_does_not_change_consents_records_nothing(kit):
    person = kit.people.add("Greetje Kuipers", consent_share=1)
    kit.people.edit(person, organisation="Thuiszorg De Linde", consent_share=True)
    kit.people.edit(person, name="Greetje Kuipers-de Boer")
    assert len(kit.people.consents(person)) == 3
    assert kit.people.get(person).name == "Greetje Kuipers-de Boer"


# -- contact details only with consent ------------------------------------------------


@pytest.mark.parametrize(
    "details",
    [
        {"email": "jan@example.nl"},
        {"phone": "06-12345678"},
        {"email": "jan@example.nl", "phone": "0512-123456", "consent_share": 1},
        {"email": "jan@example.nl", "consent_contact": 0},
        {"phone": "06-12345678", "consent_contact": False},
    ],
)
def test_contact_details_without_consent_to_contact_are_refused_and_nothing_saved(kit, details):
    kit.people.add("Iemand anders")
    before = snapshot(kit)
    with pytest.raises(ValidationError) as caught:
        kit.people.add("Jan de Vries", **details)
    assert caught.value.field == "consent_contact"
    assert snapshot(kit) == before


def test_contact_details_with_consent_are_kept(kit):
    person = kit.people.add(
        "Jan de Vries", email=" jan@x.nl ", phone="06-12345678", consent_contact=1
    )
    stored = kit.people.get(person)
    assert (stored.email, stored.phone, stored.consent_contact) == ("jan@x.nl", "06-12345678", 1)


def test_withdrawing_contact_consent_while_keeping_details_is_refused(kit):
    person = kit.people.add("Jan de Vries", email="jan@x.nl", consent_contact=1)
    before = snapshot(kit)
    with pytest.raises(ValidationError) as caught:
        kit.people.edit(person, consent_contact=0)
    assert caught.value.field == "consent_contact"
    assert snapshot(kit) == before
    kit.people.edit(person, consent_contact=0, email="")
    stored = kit.people.get(person)
    assert (stored.email, stored.consent_contact) == ("", 0)


@pytest.mark.parametrize("email", ["jan", "jan@", "@x.nl", "jan @x.nl", "jan@x .nl", "@"])
def test_malformed_email_is_refused_and_nothing_saved(kit, email):
    before = snapshot(kit)
    with pytest.raises(ValidationError) as caught:
        kit.people.add("Jan", email=email, consent_contact=1)
    assert caught.value.field == "email"
    assert email.strip() in caught.value.localized()
    assert snapshot(kit) == before


def test_a_proper_email_is_accepted(kit):
    person = kit.people.add("Jan", email="jan@x.nl", consent_contact=1)
    assert kit.people.get(person).email == "jan@x.nl"


def test_malformed_email_on_edit_changes_nothing(kit):
    person = kit.people.add("Jan", email="jan@x.nl", consent_contact=1)
    before = snapshot(kit)
    with pytest.raises(ValidationError) as caught:
        kit.people.edit(person, email="jan@")
    assert caught.value.field == "email"
    assert snapshot(kit) == before
    assert kit.people.get(person).email == "jan@x.nl"


# -- other validation -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "details", "field"),
    [
        ("", {}, "name"),
        ("   ", {}, "name"),
        ("x" * (MAX_NAME + 1), {}, "name"),
        ("Jan", {"role": "burgemeester"}, "role"),
        ("Jan", {"role": "Inwoner"}, "role"),
        ("Jan", {"notes": "x" * 2001}, "notes"),
    ],
)
def test_bad_person_input_is_refused_and_nothing_saved(kit, name, details, field):
    kit.people.add("Al geregistreerd")
    before = snapshot(kit)
    with pytest.raises(ValidationError) as caught:
        kit.people.add(name, **details)
    assert caught.value.field == field
    assert snapshot(kit) == before


def test_a_name_of_exactly_the_maximum_length_is_accepted(kit):
    person = kit.people.add("x" * MAX_NAME)
    assert len(kit.people.get(person).name) == MAX_NAME


def test_default_role_is_resident(kit):
    assert kit.people.get(kit.people.add("Jan")).role == "inwoner"


def test_editing_an_unknown_person_raises_not_found(kit):
    with pytest.raises(NotFoundError):
        kit.people.edit("no-such-id", name="Jan")


# -- names in any script ------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES, ids=range(len(NAMES)))
def test_names_in_any_script_are_stored_exactly(kit, name):
    person = kit.people.add(name)
    assert kit.people.get(person).name == name
    (raw,) = kit.conn.execute("SELECT name FROM person WHERE id = ?", [person]).fetchone()
    assert raw.encode("utf-8") == name.encode("utf-8")
    assert [p.id for p in kit.people.namesakes(name)] == [person]


def test_a_decomposed_name_is_stored_composed(kit):
    decomposed = "Zoe\u0308 van 't Hof"
    assert not unicodedata.is_normalized("NFC", decomposed)
    person = kit.people.add(decomposed)
    stored = kit.people.get(person).name
    assert stored == "Zoë van 't Hof" == unicodedata.normalize("NFC", decomposed)
    assert "\u0308" not in stored
    assert [p.id for p in kit.people.namesakes("Zoë van 't Hof")] == [person]


@settings(max_examples=40, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60))
def test_any_name_comes_back_as_its_nfc_form(name):
    expected = unicodedata.normalize("NFC", name.strip())
    with Kit.memory() as kit:
        if not expected:
            with pytest.raises(ValidationError):
                kit.people.add(name)
            assert rows(kit, "person") == 0
            return
        person = kit.people.add(name)
        assert kit.people.get(person).name == expected


# -- namesakes ---------------------------------------------------------------------------------


def test_two_people_with_the_same_name_are_two_rows_and_both_namesakes(kit):
    gemeente = kit.people.add(
        "Jan de Vries", role="gemeente", email="j.devries@example.nl", consent_contact=1
    )
    inwoner = kit.people.add("Jan de Vries")
    kit.people.add("Jan de Vries-Bakker")
    kit.people.add("Jannie de Vries")
    assert gemeente != inwoner
    assert rows(kit, "person") == 4
    for query in ("jan de vries", "Jan de Vriés", "  JAN DE VRIES ", "Jan de Vries"):
        assert {p.id for p in kit.people.namesakes(query)} == {gemeente, inwoner}, query
    assert kit.people.namesakes("Jan de Vr") == []


def test_namesakes_ignore_accents_and_special_letters(kit):
    lucja = kit.people.add("Łucja Wójcik")
    sukru = kit.people.add("Şükrü Yılmaz")
    assert [p.id for p in kit.people.namesakes("lucja wojcik")] == [lucja]
    assert [p.id for p in kit.people.namesakes("SUKRU YILMAZ")] == [sukru]


def test_list_is_sorted_by_name_ignoring_accents(kit):
    for name in ("Zoë", "Łucja", "anneke", "Şükrü", "Lars", "Marieke"):
        kit.people.add(name)
    assert [p.name for p in kit.people.list()] == [
        "anneke",
        "Lars",
        "Łucja",
        "Marieke",
        "Şükrü",
        "Zoë",
    ]
    assert kit.people.count() == 6


# -- last seen -----------------------------------------------------------------------------------


def test_last_seen_is_the_latest_meeting_attended(kit):
    meetings = [
        kit.sessions.add(f"Avond {day}", f"{day}T19:30", f"{day}T21:30")
        for day in ("2026-03-01", "2026-03-31", "2026-04-30")
    ]
    anneke, henk, nobody = (kit.people.add(n) for n in ("Anneke", "Henk", "Niemand"))
    kit.attendance.mark(meetings[0], anneke)
    kit.attendance.mark(meetings[2], anneke)
    kit.attendance.mark(meetings[1], henk)
    seen = kit.people.last_seen()
    assert seen == {anneke: "2026-04-30T19:30", henk: "2026-03-31T19:30"}
    assert nobody not in seen


def test_a_person_whose_name_was_not_shared_can_still_be_edited_at_the_hub(kit):
    """A visitor without consent to share reaches the hub without a name; the coordinator can
    still correct the role, but cannot blank a name that is there. Only a hub takes a new person
    without a name (a JSON file of the hub's people, say); a laptop refuses one."""
    with pytest.raises(ValidationError, match="needs a name"):
        kit.insert("person", {"name": None, "role": "inwoner", "consent_share": 0})
    with kit.transaction():
        kit._set_meta("sync_role", "hub")  # as sync.keys leaves a hub
    nameless = kit.insert("person", {"name": None, "role": "inwoner", "consent_share": 0})
    assert kit.people.edit(nameless, role="vrijwilliger") == ["role"]
    assert kit.people.get(nameless).role == "vrijwilliger" and kit.people.get(nameless).name is None
    with pytest.raises(ValidationError, match="needs a name"):
        kit.people.edit(nameless, name="  ")
    named = kit.people.add("Henk Oosterhuis")
    with pytest.raises(ValidationError, match="needs a name"):
        kit.people.edit(named, name="")
    assert kit.people.get(named).name == "Henk Oosterhuis"


def test_many_people_in_one_transaction_do_not_pass_every_pending_consent_to_sqlite(kit):
    """An import registers thousands of people in one transaction. Finding the consents already
    recorded for one person must not send SQLite the ids of every record written so far: that grew
    quadratically and fails past SQLite's 32,766 parameters (about 10,000 people)."""
    statements: list[str] = []
    with kit.transaction():
        kit.conn.set_trace_callback(statements.append)
        try:
            for n in range(60):
                kit.people.add(f"Inwoner {n}", consent_contact=n % 2, consent_share=1)
        finally:
            kit.conn.set_trace_callback(None)
    consent_reads = [s for s in statements if s.lstrip().upper().startswith("SELECT") and "consent_record" in s]
    assert consent_reads
    assert max(len(s) for s in consent_reads) < 400, max(consent_reads, key=len)[:200]
    assert kit.conn.execute("SELECT count(*) FROM consent_record").fetchone()[0] == 60 * len(CONSENTS)
