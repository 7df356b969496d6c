"""Sorting out offers and needs afterwards: a quick capture arrives as 'other' without a
person; an edit gives it a category, a person and better words, checked as when it was
added, stamped for sync, all or nothing, and the matches follow. 'Other' matches nothing."""

from __future__ import annotations

from datetime import datetime

import pytest

from wijkkit import privacy
from wijkkit.errors import NotFoundError, ValidationError
from wijkkit.exchange import MAX_TEXT
from wijkkit.kit import Kit

EVENING = datetime(2026, 12, 15, 20, 10).astimezone()


@pytest.fixture
def meeting(kit):
    return kit.sessions.add("Avond", "2026-12-15T19:30", "2026-12-15T22:00", status="running")


def pairs(kit: Kit) -> set[tuple[str, str]]:
    return {(m.offer.id, m.need.id) for m in kit.exchange.matches()}


def state(kit: Kit) -> dict[str, list]:
    return {t: kit.query(f"SELECT * FROM [{t}] ORDER BY 1, 2") for t in ("offer", "need", "_field_version")}


def stamped(kit: Kit, table: str, row_id: str) -> dict[str, int]:
    rows = kit.query("SELECT field, hlc FROM _field_version WHERE tbl = ? AND row_id = ?", [table, row_id])
    return {r["field"]: r["hlc"] for r in rows}


@pytest.mark.parametrize("table", ["offer", "need"])
def test_a_captured_item_gets_its_category_person_and_words_stamped_for_sync(kit, meeting, table):
    henk = kit.people.add("Henk Oosterhuis")
    captured = kit.live.capture(meeting, table, "aanhanger", EVENING)
    assert (kit.exchange.item(table, captured.id).category, kit.exchange.item(table, captured.id).person_id) == (
        "anders", None)  # fmt: skip
    before = stamped(kit, table, captured.id)
    changed = kit.exchange.edit(table, captured.id, text="  Aanhanger te leen voor een verhuizing ",
                                category="klussen", person_id=henk)  # fmt: skip
    assert sorted(changed) == ["category", "person_id", "text"]
    item = kit.exchange.item(table, captured.id)
    assert (item.text, item.category, item.person_id, item.person_name) == (
        "Aanhanger te leen voor een verhuizing", "klussen", henk, "Henk Oosterhuis")  # fmt: skip
    assert (item.session_id, item.status) == (meeting, "open")  # the rest stays
    after = stamped(kit, table, captured.id)
    assert all(after[f] > before.get(f, 0) for f in changed)
    assert after["session_id"] == before["session_id"]  # only what changed is stamped again


def test_an_edit_without_changes_stamps_nothing(kit, meeting):
    offer = kit.exchange.add_offer(meeting, "Klussen", "klussen")
    before = state(kit)
    assert kit.exchange.edit("offer", offer, text="Klussen", category="klussen", person_id=None) == []
    assert state(kit) == before


def test_the_person_can_be_taken_off_again(kit, meeting):
    zoe = kit.people.add("Zoë van 't Hof")
    need = kit.exchange.add_need(meeting, "Naar de markt", "vervoer", zoe)
    assert kit.exchange.edit("need", need, person_id=None) == ["person_id"]
    assert kit.exchange.item("need", need).person_name is None


def test_changing_a_captured_offer_to_transport_makes_it_match_a_transport_need(kit, meeting):
    offer = kit.live.capture(meeting, "offer", "Ik kan rijden", EVENING).id
    need = kit.exchange.add_need(meeting, "Vervoer naar de markt", "vervoer")
    assert pairs(kit) == set()
    kit.exchange.edit("offer", offer, category="vervoer")
    assert pairs(kit) == {(offer, need)}
    kit.exchange.edit("need", need, category="boodschappen")  # and an edit can also undo a match
    assert pairs(kit) == set()


def test_other_does_not_match_other(kit, meeting):
    for n in range(3):
        kit.live.capture(meeting, "offer", f"Aanbod {n}", EVENING)
        kit.live.capture(meeting, "need", f"Vraag {n}", EVENING)
    kit.exchange.add_offer(meeting, "Nog iets", "anders")
    kit.exchange.add_need(meeting, "Nog iets anders", "")
    assert kit.exchange.matches() == []
    offer = kit.exchange.add_offer(meeting, "Klussen", "klussen")
    need = kit.exchange.add_need(meeting, "Lamp ophangen", "klussen")
    assert pairs(kit) == {(offer, need)}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"text": "   "}, "text"),
        ({"text": None}, "text"),
        ({"text": "x" * (MAX_TEXT + 1)}, "text"),
        ({"category": "gezondheid"}, "category"),
        ({"category": "ontmoeten"}, "category"),  # an obstacle category
        ({"person_id": "no-such-person"}, "person_id"),
        ({"text": "Goed", "category": "vervoer", "person_id": "no-such-person"}, "person_id"),
        ({"text": "", "category": "vervoer"}, "text"),
    ],
)
@pytest.mark.parametrize("table", ["offer", "need"])
def test_a_refused_edit_saves_nothing_at_all(kit, meeting, table, changes, field):
    item = kit.live.capture(meeting, table, "Iets", EVENING).id
    kit.exchange.add_need(meeting, "Vervoer", "vervoer")
    before = state(kit)
    with pytest.raises(ValidationError) as caught:
        kit.exchange.edit(table, item, **changes)
    assert caught.value.field == field
    assert state(kit) == before


def test_a_person_forgotten_meanwhile_cannot_be_chosen(kit, meeting):
    henk = kit.people.add("Henk")
    offer = kit.exchange.add_offer(meeting, "Klussen", "klussen")
    privacy.erase_person(kit, henk)
    before = state(kit)
    with pytest.raises(ValidationError) as caught:
        kit.exchange.edit("offer", offer, person_id=henk)
    assert caught.value.field == "person_id" and "no longer known" in caught.value.template
    with pytest.raises(ValidationError):
        kit.exchange.add_need(meeting, "Vervoer", "vervoer", henk)
    assert state(kit) == before


def test_an_empty_category_is_other_as_when_adding(kit, meeting):
    offer = kit.exchange.add_offer(meeting, "Klussen", "klussen")
    kit.exchange.edit("offer", offer, category="")
    assert kit.exchange.item("offer", offer).category == "anders"


def test_editing_an_unknown_item_is_not_found_and_writes_nothing(kit, meeting):
    before = state(kit)
    with pytest.raises(NotFoundError):
        kit.exchange.edit("need", "no-such-need", text="Iets", category="vervoer")
    assert state(kit) == before
