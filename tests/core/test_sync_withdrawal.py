"""Withdrawal of "Delen" and erasure reach every replica and every free text (issue 13 point 4).

Three replicas (the hub and laptops a and b): the person is registered on a; the name is typed
into an agreement title on b, a capture on a and a note at the hub. After a withdraws "Delen" or
erases the person, and the bundles go round in any order, the name is nowhere on the other
replicas (in any column of any table, bookkeeping included) and in no bundle; after an erasure
it is nowhere on a either, nor among the bytes of any database file, its WAL or its shm.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.core.sync_village import PRIVATE, Village, laptop_bundle, read_bundle, who
from tests.core.test_sync_erasure import EMAIL, NAME, PHONE, name_anywhere
from wijkkit import i18n, privacy, store
from wijkkit.kit import Kit
from wijkkit.sync import bundle, keys


def texts_with_the_name(village: Village) -> tuple[str, str]:
    """The person on a (sharing), the name in free text on every replica; synced. Returns (person, agreement)."""
    a, b, hub = village.a, village.b, village.hub
    person = a.people.add(NAME, email=EMAIL, phone=PHONE, role="mantelzorger", consent_contact=1, consent_share=1,
                          neighbourhood_id=village.wijk)  # fmt: skip
    meeting = a.sessions.add(
        "Avond", "2026-12-15T19:30", "2026-12-15T22:00", neighbourhood_id=village.wijk
    )
    a.insert("capture", {"session_id": meeting, "text": f"{NAME} wil meedoen, bel {PHONE}"})
    village.sync()
    agreement = b.agreements.add(f"{NAME} helpt met vervoer", meeting)
    hub.update("neighbourhood", village.wijk, {"notes": f"Contact via {EMAIL} ({NAME})"})
    village.sync()
    assert [who(village, k) for k in (a, b, hub) if not name_anywhere(k)] == [], (
        "setup: the name is everywhere"
    )
    return person, agreement


def outside_home(village: Village) -> dict[str, list]:
    """Where the name (or e-mail, phone) is on the hub and on b."""
    return {who(village, k): name_anywhere(k) for k in (village.hub, village.b) if name_anywhere(k)}


def bundles_carry_nothing(village: Village) -> None:
    """Every bundle from now on: a's and b's to the hub, the hub's return bundles."""
    for kit in (village.a, village.b):
        payload = laptop_bundle(village, kit)
        assert not [
            c for c in payload.changes if any(v in str(c[3]) for v in (NAME, EMAIL, PHONE))
        ], who(village, kit)
    village.merge()
    for kit in (village.a, village.b):
        for path in sorted((village.outbox / kit.replica_id).glob("*" + bundle.SUFFIX)):
            payload = read_bundle(kit, path, keys.public_sign_key(village.hub))
            found = [
                c for c in payload.changes if any(v in str(c[3]) for v in (NAME, EMAIL, PHONE))
            ]
            assert found == [], who(village, kit)
            assert NAME not in repr(payload.manifest)


def deliver(village: Village, steps: list[str]) -> None:
    """Bundles in the given order: 'a'/'b' export, 'hub' merges, 'a<'/'b<' take the hub's returns."""
    for step in steps:
        if step == "hub":
            village.merge()
        elif step.endswith("<"):
            village.take_returns(village.laptops[step[0]])
        else:
            village.export(village.laptops[step])


# -- withdrawal -------------------------------------------------------------------------------


def test_withdrawing_delen_clears_the_person_and_the_name_in_free_text_on_the_hub_and_other_laptops(
    village,
):
    a, b, hub = village.a, village.b, village.hub
    person, agreement = texts_with_the_name(village)
    a.people.edit(person, consent_share=0)
    village.sync(rounds=3)
    assert outside_home(village) == {}
    for kit in (hub, b):
        row = kit.row("person", person)
        assert {f: row[f] or None for f in PRIVATE} == dict.fromkeys(PRIVATE), who(village, kit)
        assert row["consent_share"] == 0
    assert hub.row("agreement", agreement)["title"] == "(naam niet gedeeld) helpt met vervoer"
    # the registering laptop keeps what the person gave it, and its own capture
    assert a.row("person", person)["name"] == NAME
    assert {(t, c) for t, c, _v in name_anywhere(a)} <= {("person", "name"), ("person", "email"), ("person", "phone"),
                                                           ("capture", "text")}  # fmt: skip
    bundles_carry_nothing(village)


def test_a_name_sent_before_the_withdrawal_but_arriving_after_it_is_kept_out_as_well(village):
    a, b, hub = village.a, village.b, village.hub
    person, agreement = texts_with_the_name(village)
    b.agreements.edit(agreement, description=f"Met {NAME}")  # b's draft, not sent yet
    b.update("person", person, {"notes": f"{NAME} heeft een rolstoel"})
    a.people.edit(person, consent_share=0)
    village.sync(a, rounds=1)  # the hub hears of the withdrawal first
    village.export(b)  # then b's older text and notes arrive
    village.merge()
    assert not hub.row("person", person)["notes"], "a late copy of a private field is not written"
    village.sync(rounds=3)
    assert outside_home(village) == {}
    assert hub.row("agreement", agreement)["description"] == "Met (naam niet gedeeld)"


def test_sharing_again_after_a_withdrawal_brings_the_name_back_everywhere(village):
    a, b, hub = village.a, village.b, village.hub
    person, _agreement = texts_with_the_name(village)
    a.people.edit(person, consent_share=0)
    village.sync(rounds=3)
    assert hub.row("person", person)["name"] is None
    a.people.edit(person, consent_share=1)
    village.sync(rounds=3)
    for kit in (hub, b):
        row = kit.row("person", person)
        assert (row["name"], row["email"], row["phone"], row["role"]) == (NAME, EMAIL, PHONE, "mantelzorger"), who(
            village, kit)  # fmt: skip
    assert a.row("person", person)["name"] == NAME


# -- erasure --------------------------------------------------------------------------------------


def test_an_erasure_reaches_every_free_text_also_drafts_not_yet_sent(village):
    a, b, hub = village.a, village.b, village.hub
    person, agreement = texts_with_the_name(village)
    b.agreements.edit(
        agreement, description=f"Bel {NAME} op {PHONE}"
    )  # b's draft: never sent before the erasure
    privacy.erase_person(a, person)
    village.sync(rounds=3)
    for kit in (a, b, hub):
        assert kit.row("person", person) is None
        assert name_anywhere(kit) == [], who(village, kit)
    assert b.row("agreement", agreement)["description"] == "Bel [verwijderd] op [verwijderd]"
    bundles_carry_nothing(village)


def test_the_erasure_marker_travels_in_dutch_when_the_screens_speak_english(village):
    """The marker followed the screen: a laptop (or the CLI) in English wrote "[removed]" into
    text that travels. The data is Dutch whatever the screen speaks."""
    a, b, hub = village.a, village.b, village.hub
    person, agreement = texts_with_the_name(village)
    i18n.set_language("en")
    try:
        privacy.erase_person(a, person)
        village.sync(rounds=3)
    finally:
        i18n.set_language("nl")
    for kit in (a, b, hub):
        assert kit.row("agreement", agreement)["title"] == "[verwijderd] helpt met vervoer", who(
            village, kit
        )


def file_bytes(kit: Kit) -> bytes:
    path = Path(kit.path)
    return b"".join(
        p.read_bytes() for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()
    )


def plain_files(monkeypatch) -> None:
    """Databases made from here on are not encrypted (store.py finds no key), so their bytes can be read."""
    if hasattr(store, "_key_for"):
        monkeypatch.setattr(store, "_key_for", lambda path: None)


def test_after_an_erasure_the_name_is_not_among_the_bytes_of_any_database_file(
    make_village, monkeypatch
):
    """Read with encryption off: the name is in every file before, and in none after (local erasure on
    a, applied from bundles on the hub and b; each checkpoints the WAL and compacts the file)."""
    plain_files(monkeypatch)
    village = make_village()
    person, _agreement = texts_with_the_name(village)
    kits = (village.a, village.b, village.hub)
    for kit in kits:
        assert Path(kit.path).read_bytes()[:16] == b"SQLite format 3\x00", (
            "encryption off for this test"
        )
        assert NAME.encode() in file_bytes(kit), "the test would prove nothing"
    privacy.erase_person(village.a, person)
    village.sync(rounds=3)
    for kit in kits:
        for value in (NAME, EMAIL, PHONE):
            assert value.encode() not in file_bytes(kit), (who(village, kit), value)


def test_erasing_several_people_compacts_the_file_once(make_village, monkeypatch):
    plain_files(monkeypatch)
    village = make_village()
    a = village.a
    people = [
        a.people.add(f"{NAME} {n}", consent_share=1, neighbourhood_id=village.wijk)
        for n in range(3)
    ]
    calls = []
    original = privacy.compact
    monkeypatch.setattr(
        privacy, "compact", lambda kit: calls.append(kit.conn.in_transaction) or original(kit)
    )
    privacy.erase_people(a, people)
    assert calls.count(False) == 1, "one VACUUM for the batch, after its transaction"
    village.sync(rounds=1)
    assert all(NAME.encode() not in file_bytes(k) for k in (a, village.hub))


# -- any delivery order -------------------------------------------------------------------------

STEPS = st.lists(st.sampled_from(["a", "b", "hub", "a<", "b<"]), min_size=3, max_size=10)


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(before=STEPS, after=STEPS, erase=st.booleans())
def test_withdrawal_and_erasure_in_any_delivery_order(before, after, erase):
    with tempfile.TemporaryDirectory() as folder:
        village = Village(Path(folder))
        try:
            a, b = village.a, village.b
            person, agreement = texts_with_the_name(village)
            b.agreements.edit(agreement, description=f"Samen met {NAME}")
            deliver(village, before)
            privacy.erase_person(a, person) if erase else a.people.edit(person, consent_share=0)
            deliver(village, after)
            village.sync(rounds=3)
            assert outside_home(village) == {}
            if erase:
                assert name_anywhere(a) == []
            bundles_carry_nothing(village)
        finally:
            village.close()


# -- inzage -------------------------------------------------------------------------------------


def test_the_inzage_lists_consent_history_conflicts_what_was_not_shared_and_when_data_went_to_the_hub(
    make_village, tmp_path
):
    from pypdf import PdfReader

    village = make_village(b=5_000)  # b's notes win: a keeps its own as a conflict copy
    a, b = village.a, village.b
    person = a.people.add(
        NAME, email=EMAIL, consent_contact=1, consent_share=1, neighbourhood_id=village.wijk
    )
    village.sync()
    a.update("person", person, {"notes": "Van a"})
    b.update("person", person, {"notes": "Van b"})
    village.sync()
    a.people.edit(person, consent_share=0)
    data = privacy.export_person(a, person)
    assert [(r["kind"], r["given"]) for r in data["consent_history"] if r["kind"] == "share"] == [
        ("share", 1),
        ("share", 0),
    ]
    assert [(c["field"], c["value"]) for c in data["conflicts"]] == [("notes", "Van a")]
    assert {"name", "email", "notes"} <= set(data["not_shared"])
    assert data["sent_to_hub"] and all(len(day) == 10 for day in data["sent_to_hub"])
    i18n.set_language("en")  # the Dutch texts come with the next catalogue update
    text = " ".join(
        p.extract_text()
        for p in PdfReader(privacy.write_export(a, person, tmp_path / "i.pdf")).pages
    )
    for wanted in ("Consent history", "Conflict copies from sync", "Van a", "Where the data went",
                   "Sent to the municipality's hub on"):  # fmt: skip
        assert wanted in text, wanted
