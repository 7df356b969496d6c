"""Sync of deletes, erasure and consent: deletes are final, an erasure scrubs every copy (also
conflict copies, also of other rows) and an older edit never brings a person back; persons
without consent to share travel without name and contact details until they give it.
"""

from __future__ import annotations

from tests.core.sync_village import (
    PRIVATE,
    conflicts,
    everywhere,
    laptop_bundle,
    who,
)
from wijkkit import privacy
from wijkkit.kit import Kit

# -- deletes and erasure ----------------------------------------------------------------------


def meeting(kit: Kit, village) -> str:
    """A meeting in the village's neighbourhood, which every laptop serves."""
    return kit.sessions.add("Avond", "2026-12-15T19:30", "2026-12-15T22:00", neighbourhood_id=village.wijk)


def test_a_deleted_row_stays_deleted_and_a_later_edit_of_it_is_kept_as_a_conflict(village):
    a, b = village.a, village.b
    row = meeting(a, village)
    village.sync()
    a.delete("session", row)
    b.update("session", row, {"notes": "Nieuwe wijkagent"})  # b has not heard of the delete
    village.export(a)
    village.merge()
    village.export(b)
    village.merge()
    hub = village.hub
    assert hub.row("session", row) is None and hub.is_deleted("session", row)
    [conflict] = conflicts(hub)
    assert (conflict["row_id"], conflict["field"], conflict["value"], conflict["reason"]) == (
        row, "notes", "Nieuwe wijkagent", "deleted")  # fmt: skip
    assert conflict["replica"] == b.replica_id
    village.sync()
    for kit in everywhere(village):
        assert kit.row("session", row) is None
        assert kit.is_deleted("session", row)
        assert kit.conn.execute("SELECT count(*) FROM _field_version WHERE row_id = ?", [row]).fetchone()[0] == 0


def test_an_edit_arriving_before_the_delete_is_deleted_with_the_row(village):
    a, b = village.a, village.b
    row = meeting(a, village)
    village.sync()
    a.delete("session", row)
    b.update("session", row, {"notes": "Nieuwe wijkagent"})
    village.export(b)
    village.merge()
    village.export(a)
    village.merge()
    village.sync()
    for kit in everywhere(village):
        assert kit.row("session", row) is None and kit.is_deleted("session", row)


NAME, EMAIL, PHONE = "Zoë van 't Hof-Dijkstra", "zoe.vthof@example.nl", "06-12345678"


def name_anywhere(kit: Kit, values: tuple[str, ...] = (NAME, EMAIL, PHONE)) -> list[tuple[str, str, object]]:
    """Every (table, column, cell) of the whole database, sync bookkeeping included, holding one of the values."""
    found = []
    for (table,) in kit.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
        cursor = kit.conn.execute(f"SELECT * FROM [{table}]")
        columns = [c[0] for c in cursor.description]
        for row in cursor.fetchall():
            found += [(table, column, cell) for column, cell in zip(columns, row, strict=True)
                      if isinstance(cell, str) and any(v in cell for v in values)]  # fmt: skip
    return found


def test_an_erasure_reaches_the_hub_scrubs_conflicts_and_an_older_edit_never_brings_the_person_back(make_village):
    village = make_village(a=5_000)  # a's notes win: b and the hub keep b's notes as a conflict copy
    a, b = village.a, village.b
    person = a.people.add(NAME, email=EMAIL, phone=PHONE, consent_contact=1, consent_share=1,
                          neighbourhood_id=village.wijk)  # fmt: skip
    village.sync()
    # a conflict about the person at the hub: both laptops changed the notes at the same time
    a.update("person", person, {"notes": f"{NAME} komt graag"})
    b.update("person", person, {"notes": f"Bel {PHONE}"})
    village.sync()
    assert conflicts(village.hub, person)
    # b edits the name, then a erases the person; a's erasure reaches the hub first
    b.update("person", person, {"name": NAME + " (Zoë)"})
    privacy.erase_person(a, person)
    village.export(a)
    village.merge()
    hub = village.hub
    assert hub.row("person", person) is None
    assert hub.query("SELECT erased FROM _tombstone WHERE row_id = ?", [person]) == [{"erased": 1}]
    assert conflicts(hub, person) == []
    # the older edit arrives afterwards: ignored, not even kept as a conflict copy
    village.export(b)
    village.merge()
    assert hub.row("person", person) is None
    assert conflicts(hub, person) == []
    village.sync()
    for kit in everywhere(village):
        assert kit.row("person", person) is None
        assert conflicts(kit, person) == []
        assert name_anywhere(kit) == [], who(village, kit)


def test_erasing_on_a_laptop_removes_that_laptops_own_conflict_copies_at_once(make_village):
    village = make_village(b=5_000)  # b's notes win: a keeps its own text as a conflict copy
    a, b = village.a, village.b
    person = a.people.add(NAME, email=EMAIL, consent_contact=1, consent_share=1, neighbourhood_id=village.wijk)
    village.sync()
    a.update("person", person, {"notes": f"{NAME} komt graag"})
    b.update("person", person, {"notes": "Bel haar op dinsdag"})
    village.sync()
    assert conflicts(a, person)  # a lost the notes to b and keeps its own text for review
    privacy.erase_person(a, person)
    assert conflicts(a, person) == []
    assert name_anywhere(a) == []


def test_an_erasure_scrubs_the_persons_name_from_conflict_copies_of_other_rows(make_village):
    """erase_person scrubs the name from free text; conflict copies of that text hold it too."""
    village = make_village(b=5_000)
    a, b = village.a, village.b
    person = a.people.add(NAME, email=EMAIL, consent_contact=1, consent_share=1, neighbourhood_id=village.wijk)
    agreement = a.agreements.add("Koffieochtend", meeting(a, village))
    village.sync()
    a.agreements.edit(agreement, description=f"{NAME} zet de koffie")
    b.agreements.edit(agreement, description=f"{NAME} en Henk zetten koffie")
    village.sync()
    assert conflicts(village.hub, agreement)
    privacy.erase_person(a, person)
    village.sync()
    for kit in everywhere(village):
        assert kit.row("person", person) is None
        assert name_anywhere(kit) == [], who(village, kit)


def delete_plainly(kit: Kit, person: str) -> None:
    """A plain delete of a person (a duplicate, say), not an erasure: their consent records, which
    refer to them, go first."""
    with kit.transaction():
        for record in kit.people.consents(person):
            kit.delete("consent_record", record["id"])
        kit.delete("person", person)


def test_an_erasure_scrubs_conflict_copies_where_the_person_was_already_deleted_plainly(make_village):
    """The coordinator deleted the person (a duplicate) at the hub before a, who registered them,
    erased them on request; conflict copies at the hub and on b name them.

    Where the plain delete arrived first (the hub, and b, which synced in between) the row is gone
    when the erasure arrives, so its name is not known there to scrub from conflict copies unless
    it was remembered at the delete. Only the registering laptop or the hub may delete or erase a
    person (authority.py), so the plain delete is the hub's."""
    village = make_village(a=5_000)  # a's text wins: b and the hub keep b's as a conflict copy
    a, b, hub = village.a, village.b, village.hub
    person = a.people.add(NAME, email=EMAIL, consent_contact=1, consent_share=1, neighbourhood_id=village.wijk)
    agreement = a.agreements.add("Koffieochtend", meeting(a, village))
    village.sync()
    assert b.row("person", person)["name"] == NAME
    b.agreements.edit(agreement, description=f"{NAME} zet de koffie")
    a.agreements.edit(agreement, description=f"{NAME} en Henk zetten koffie")
    village.sync()
    for kit in (b, hub):
        assert [c for c in conflicts(kit, agreement) if NAME in str(c["value"]) + str(c["kept_value"])], who(village, kit)
    delete_plainly(hub, person)
    village.sync(b, rounds=1)  # b hears of the plain delete
    assert b.is_deleted("person", person) and b.row("person", person) is None
    privacy.erase_person(a, person)  # a had not heard of that delete yet
    village.sync()
    for kit in everywhere(village):
        assert kit.row("person", person) is None
        assert kit.query("SELECT erased FROM _tombstone WHERE row_id = ?", [person]) == [{"erased": 1}], who(village, kit)
    assert {who(village, kit): name_anywhere(kit) for kit in everywhere(village) if name_anywhere(kit)} == {}


def test_an_erasure_also_reaches_a_laptop_that_already_had_a_plain_delete(make_village):
    """c heard of the hub's plain delete first; b's erasure of the same person, stamped earlier, must
    still reach c. (b registered the person: only it or the hub may delete or erase them.)"""
    village = make_village(("a", "b", "c"), b=-3_600_000)  # b's clock runs an hour behind
    b, c = village.b, village.c
    person = b.people.add(NAME, email=EMAIL, consent_contact=1, consent_share=1, neighbourhood_id=village.wijk)
    village.sync()
    assert c.row("person", person)["name"] == NAME
    b.update("person", person, {"notes": "Van b"})  # concurrent notes: a conflict copy
    c.update("person", person, {"notes": "Van c"})
    village.sync(b, c, rounds=1)
    village.sync(b, c, rounds=1)
    assert conflicts(c, person) or conflicts(b, person)
    delete_plainly(village.hub, person)  # plain delete, stamped after b's erasure below
    village.sync(c, rounds=1)  # c learns of the plain delete
    assert c.is_deleted("person", person)
    privacy.erase_person(b, person)  # b had not heard of the delete yet
    assert village.hub.query("SELECT hlc FROM _tombstone WHERE row_id = ?", [person])[0]["hlc"] > \
        b.query("SELECT hlc FROM _tombstone WHERE row_id = ?", [person])[0]["hlc"]  # fmt: skip
    village.sync(rounds=2)
    for kit in everywhere(village):
        assert kit.query("SELECT erased FROM _tombstone WHERE row_id = ?", [person]) == [{"erased": 1}], (
            "erasure lost on " + who(village, kit))  # fmt: skip
        assert conflicts(kit, person) == []
        assert name_anywhere(kit) == [], who(village, kit)


# -- privacy -------------------------------------------------------------------------------------


def test_a_person_without_consent_travels_without_name_and_contact_details_until_consent(village):
    a, hub = village.a, village.hub
    person = a.people.add(NAME, email=EMAIL, phone=PHONE, role="mantelzorger", consent_contact=1, consent_share=0)
    a.update("person", person, {"notes": "Woont aan de Esweg"})
    payload = laptop_bundle(village, a)
    assert {c[2] for c in payload.changes if c[1] == person}.isdisjoint(PRIVATE)
    assert not [c for c in payload.changes if c[3] in (NAME, EMAIL, PHONE, "Woont aan de Esweg")]
    village.merge()
    village.take_returns(a)
    at_hub = hub.row("person", person)
    assert (at_hub["name"], at_hub["email"] or None, at_hub["phone"] or None, at_hub["notes"] or None) == (None,) * 4
    assert at_hub["role"] == (None if "role" in PRIVATE else "mantelzorger")  # role travels only with "Delen"
    assert name_anywhere(hub) == []
    held = a.query("SELECT field FROM _sync_withheld WHERE row_id = ? ORDER BY field", [person])
    assert [r["field"] for r in held] == sorted(set(PRIVATE) - {"organisation"})  # all but the one left empty

    a.people.edit(person, consent_share=1)
    payload = laptop_bundle(village, a)
    sent = {c[2]: c[3] for c in payload.changes if c[1] == person}
    assert (sent["name"], sent["email"], sent["phone"], sent["notes"]) == (NAME, EMAIL, PHONE, "Woont aan de Esweg")
    village.merge()
    village.take_returns(a)
    assert hub.row("person", person)["name"] == NAME
    assert hub.row("person", person)["notes"] == "Woont aan de Esweg"
    # sent once: acknowledged by the hub, nothing of the person travels again
    assert [c[2] for c in laptop_bundle(village, a).changes if c[1] == person] == []
    assert a.query("SELECT * FROM _sync_withheld") == []


def test_a_name_shared_after_consent_reaches_the_other_laptops_too(village):
    a, b, hub = village.a, village.b, village.hub
    person = a.people.add(NAME, email=EMAIL, consent_contact=1, consent_share=0, neighbourhood_id=village.wijk)
    village.sync()
    assert b.row("person", person)["name"] is None
    a.people.edit(person, consent_share=1)
    village.sync(rounds=3)
    assert hub.row("person", person)["name"] == NAME
    assert b.row("person", person)["consent_share"] == 1
    assert b.row("person", person)["name"] == NAME, "the hub has the name, laptop b never gets it"
    assert b.row("person", person)["email"] == EMAIL


def test_an_edit_on_another_laptop_of_a_person_without_consent_keeps_the_name_at_home(village):
    a, b, hub = village.a, village.b, village.hub
    person = a.people.add(NAME, consent_share=0, role="inwoner", neighbourhood_id=village.wijk)
    village.sync()
    b.update("person", person, {"role": "vrijwilliger"})  # a private field too: it stays on b
    village.sync()
    assert a.row("person", person)["name"] == NAME and a.row("person", person)["role"] == "inwoner"
    assert hub.row("person", person)["name"] is None and b.row("person", person)["name"] is None
    assert hub.row("person", person)["role"] is None and b.row("person", person)["role"] == "vrijwilliger"
