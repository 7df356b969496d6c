"""Offers, needs and obstacles: categories checked, no empty text, matches only within a
real category (not 'other') and only while open, and a match turned into an agreement exactly once."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wijkkit.errors import NotFoundError, ValidationError
from wijkkit.exchange import CATEGORIES, HEALTH_NOTICE, MAX_TEXT, OBSTACLE_CATEGORIES
from wijkkit.i18n import gettext
from wijkkit.kit import Kit

WRITTEN = ("offer", "need", "obstacle", "agreement", "_field_version")


@pytest.fixture
def meeting(kit):
    return kit.sessions.add("Avond", "2026-12-15T19:30", "2026-12-15T22:00")


def rows(kit: Kit, table: str) -> int:
    return kit.conn.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]


def snapshot(kit: Kit) -> dict[str, object]:
    state: dict[str, object] = {t: rows(kit, t) for t in WRITTEN}
    for table in ("offer", "need", "obstacle"):
        state[f"{table} rows"] = kit.query(f"SELECT * FROM {table} ORDER BY id")
    return state


# -- adding -----------------------------------------------------------------------------


def test_offers_needs_and_obstacles_are_stored_with_their_category(kit, meeting):
    sukru = kit.people.add("Şükrü Yılmaz")
    offer = kit.exchange.add_offer(meeting, "  Hulp met de computer  ", "digitale_hulp", sukru)
    need = kit.exchange.add_need(meeting, "Formulieren invullen", "administratie")
    obstacle = kit.exchange.add_obstacle(
        meeting, "De bus rijdt niet op zaterdag", "vervoer", " Gemeente "
    )
    got = kit.exchange.item("offer", offer)
    assert (got.text, got.category, got.status, got.person_id, got.person_name, got.session_id) == (
        "Hulp met de computer", "digitale_hulp", "open", sukru, "Şükrü Yılmaz", meeting,
    )  # fmt: skip
    assert kit.exchange.item("need", need).person_id is None
    hobbel = kit.exchange.item("obstacle", obstacle)
    assert (hobbel.category, hobbel.addressed_by, hobbel.person_name) == (
        "vervoer",
        "Gemeente",
        None,
    )
    assert [o.id for o in kit.exchange.obstacles(meeting)] == [obstacle]
    assert [o.id for o in kit.exchange.obstacles()] == [obstacle]


def test_without_a_category_it_is_other(kit, meeting):
    offer = kit.exchange.add_offer(meeting, "Iets", "")
    obstacle = kit.exchange.add_obstacle(meeting, "Iets")
    assert kit.exchange.item("offer", offer).category == "anders"
    assert kit.exchange.item("obstacle", obstacle).category == "anders"


@pytest.mark.parametrize(
    ("method", "category"),
    [
        ("add_offer", "gezondheid"),
        ("add_offer", "ontmoeten"),  # an obstacle category, not one for offers
        ("add_need", "medicijnen"),
        ("add_need", "Vervoer"),
        ("add_obstacle", "boodschappen"),  # an offer category, not one for obstacles
        ("add_obstacle", "zorg"),
    ],
)
def test_unknown_categories_are_refused_and_nothing_saved(kit, meeting, method, category):
    kit.exchange.add_offer(meeting, "Al iets", "klussen")
    before = snapshot(kit)
    with pytest.raises(ValidationError) as caught:
        getattr(kit.exchange, method)(meeting, "Hulp", category)
    assert caught.value.field == "category"
    assert snapshot(kit) == before


@pytest.mark.parametrize("method", ["add_offer", "add_need", "add_obstacle"])
@pytest.mark.parametrize("text", ["", "   ", "\n\t", None, "x" * (MAX_TEXT + 1)])
def test_empty_or_too_long_text_is_refused_and_nothing_saved(kit, meeting, method, text):
    before = snapshot(kit)
    with pytest.raises(ValidationError) as caught:
        getattr(kit.exchange, method)(meeting, text, "anders")
    assert caught.value.field == "text"
    assert snapshot(kit) == before


def test_every_category_is_accepted_where_it_belongs(kit, meeting):
    for category in CATEGORIES:
        kit.exchange.add_offer(meeting, f"aanbod {category}", category)
        kit.exchange.add_need(meeting, f"vraag {category}", category)
    for category in OBSTACLE_CATEGORIES:
        kit.exchange.add_obstacle(meeting, f"hobbel {category}", category)
    assert {o.category for o in kit.exchange.offers()} == set(CATEGORIES)
    assert {n.category for n in kit.exchange.needs()} == set(CATEGORIES)
    assert {o.category for o in kit.exchange.obstacles(meeting)} == set(OBSTACLE_CATEGORIES)


def test_the_health_notice_exists_and_no_category_is_about_health():
    assert HEALTH_NOTICE.strip()
    assert gettext(HEALTH_NOTICE).strip()
    assert "health" in HEALTH_NOTICE.lower()
    for key in CATEGORIES:
        assert not any(word in key for word in ("zorg", "gezond", "medic", "ziek"))


# -- editing -------------------------------------------------------------------------------


def test_edit_checks_text_and_category(kit, meeting):
    offer = kit.exchange.add_offer(meeting, "Klusjes", "klussen")
    obstacle = kit.exchange.add_obstacle(meeting, "Niemand weet het", "informatie")
    assert kit.exchange.edit("offer", offer, text=" Kleine klusjes ", category="anders") == [
        "text",
        "category",
    ]
    assert kit.exchange.item("offer", offer).text == "Kleine klusjes"
    assert kit.exchange.edit("obstacle", obstacle, category="vertrouwen") == ["category"]
    before = snapshot(kit)
    for table, item, changes in [
        ("offer", offer, {"text": "  "}),
        ("offer", offer, {"category": "ontmoeten"}),
        ("obstacle", obstacle, {"category": "klussen"}),
        ("obstacle", obstacle, {"text": "x" * (MAX_TEXT + 1)}),
    ]:
        with pytest.raises(ValidationError):
            kit.exchange.edit(table, item, **changes)
    assert snapshot(kit) == before


def test_an_unknown_item_is_not_found(kit):
    with pytest.raises(NotFoundError):
        kit.exchange.item("offer", "no-such-id")


def test_offers_and_needs_by_status(kit, meeting):
    one = kit.exchange.add_offer(meeting, "Een", "klussen")
    two = kit.exchange.add_offer(meeting, "Twee", "klussen")
    kit.exchange.edit("offer", two, status="matched")
    assert [o.id for o in kit.exchange.offers()] == [one, two]
    assert [o.id for o in kit.exchange.offers("open")] == [one]
    assert [o.id for o in kit.exchange.offers("matched")] == [two]
    assert kit.exchange.needs("open") == []


# -- matches ------------------------------------------------------------------------------


def test_matches_pair_only_open_items_of_the_same_category(kit, meeting):
    rijden = kit.exchange.add_offer(meeting, "Ik rijd op zaterdag", "vervoer")
    rijden2 = kit.exchange.add_offer(meeting, "Ik kan ook rijden", "vervoer")
    computer = kit.exchange.add_offer(meeting, "Computerhulp", "digitale_hulp")
    markt = kit.exchange.add_need(meeting, "Naar de markt", "vervoer")
    formulieren = kit.exchange.add_need(meeting, "Formulieren", "administratie")
    gesloten = kit.exchange.add_need(meeting, "Naar de dokter", "vervoer")
    kit.exchange.edit("need", gesloten, status="matched")
    pairs = {(m.offer.id, m.need.id) for m in kit.exchange.matches()}
    assert pairs == {(rijden, markt), (rijden2, markt)}
    assert computer not in {o for o, _ in pairs} and formulieren not in {n for _, n in pairs}
    assert all(m.offer.category == m.need.category for m in kit.exchange.matches())


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["vervoer", "klussen", "anders"]), st.booleans()), max_size=6
    ),
    st.lists(
        st.tuples(st.sampled_from(["vervoer", "klussen", "anders"]), st.booleans()), max_size=6
    ),
)
def test_matches_are_exactly_the_open_pairs_of_one_real_category(offers, needs):
    with Kit.memory() as kit:
        made = {}
        for table, items in (("offer", offers), ("need", needs)):
            for i, (category, is_open) in enumerate(items):
                add = kit.exchange.add_offer if table == "offer" else kit.exchange.add_need
                item = add(None, f"{table} {i}", category)
                if not is_open:
                    kit.exchange.edit(table, item, status="matched")
                made[item] = (category, is_open)
        offer_ids = [i.id for i in kit.exchange.offers()]
        need_ids = [i.id for i in kit.exchange.needs()]
        expected = {(o, n) for o in offer_ids for n in need_ids  # 'other' says nothing: it matches nothing
                    if made[o][1] and made[n][1] and made[o][0] == made[n][0] != "anders"}  # fmt: skip
        assert {(m.offer.id, m.need.id) for m in kit.exchange.matches()} == expected


# -- agreements from matches ----------------------------------------------------------------


def test_make_agreement_links_both_and_marks_them_matched(kit, meeting):
    henk = kit.people.add("Henk Oosterhuis")
    zoe = kit.people.add("Zoë van 't Hof")
    offer = kit.exchange.add_offer(meeting, "Ik rijd op zaterdag", "vervoer", henk)
    need = kit.exchange.add_need(meeting, "Naar de markt", "vervoer", zoe)
    agreement_id = kit.exchange.make_agreement(
        offer, need, "Henk rijdt Zoë naar de markt", due_on="2026-12-19"
    )
    agreement = kit.agreements.get(agreement_id)
    assert (agreement.offer_id, agreement.need_id) == (offer, need)
    assert agreement.owner_person_id == henk and agreement.owner_name == "Henk Oosterhuis"
    assert agreement.session_id == meeting  # the meeting of the need
    assert (agreement.status, agreement.due_on) == ("open", "2026-12-19")
    assert kit.exchange.item("offer", offer).status == "matched"
    assert kit.exchange.item("need", need).status == "matched"
    assert kit.exchange.matches() == []


def test_make_agreement_with_an_explicit_owner_and_meeting(kit, meeting):
    later = kit.sessions.add("Later", "2027-01-15T19:30", "2027-01-15T22:00")
    henk = kit.people.add("Henk")
    offer = kit.exchange.add_offer(None, "Klussen", "klussen", henk)
    need = kit.exchange.add_need(None, "Lamp ophangen", "klussen")
    made = kit.agreements.get(kit.exchange.make_agreement(offer, need, "Lamp", later, owner_person_id=None,
                                                          owner_party="Dorpsbelang"))  # fmt: skip
    assert (made.owner_person_id, made.owner_party, made.session_id) == (None, "Dorpsbelang", later)


def test_an_offer_without_a_person_makes_an_agreement_without_owner(kit, meeting):
    offer = kit.exchange.add_offer(meeting, "Boodschappen meenemen", "boodschappen")
    need = kit.exchange.add_need(meeting, "Boodschappen", "boodschappen")
    assert (
        kit.agreements.get(kit.exchange.make_agreement(offer, need, "Boodschappen")).owner_person_id
        is None
    )


def test_a_second_agreement_for_the_same_offer_is_refused_and_nothing_written(kit, meeting):
    henk = kit.people.add("Henk")
    offer = kit.exchange.add_offer(meeting, "Ik rijd", "vervoer", henk)
    need = kit.exchange.add_need(meeting, "Naar de markt", "vervoer")
    other_need = kit.exchange.add_need(meeting, "Naar het ziekenhuis", "vervoer")
    kit.exchange.make_agreement(offer, need, "Rijden")
    before = snapshot(kit)
    for need_id in (other_need, need):
        with pytest.raises(ValidationError) as caught:
            kit.exchange.make_agreement(offer, need_id, "Nog eens rijden")
        assert caught.value.field == "match"
    assert snapshot(kit) == before
    assert kit.exchange.item("need", other_need).status == "open"
    assert len(kit.agreements.list()) == 1


def test_a_matched_need_cannot_be_matched_to_another_offer(kit, meeting):
    first = kit.exchange.add_offer(meeting, "Ik rijd", "vervoer")
    second = kit.exchange.add_offer(meeting, "Ik rijd ook", "vervoer")
    need = kit.exchange.add_need(meeting, "Naar de markt", "vervoer")
    kit.exchange.make_agreement(first, need, "Rijden")
    before = snapshot(kit)
    with pytest.raises(ValidationError):
        kit.exchange.make_agreement(second, need, "Rijden")
    assert snapshot(kit) == before
    assert kit.exchange.item("offer", second).status == "open"


@pytest.mark.parametrize(("title", "details"), [("", {}), ("Rijden", {"status": "klaar"}),
                                               ("Rijden", {"due_on": "2026-12-01"})])  # fmt: skip
def test_a_refused_agreement_leaves_offer_and_need_open(kit, meeting, title, details):
    offer = kit.exchange.add_offer(meeting, "Ik rijd", "vervoer")
    need = kit.exchange.add_need(meeting, "Naar de markt", "vervoer")
    before = snapshot(kit)
    with pytest.raises(ValidationError):
        kit.exchange.make_agreement(offer, need, title, **details)
    assert snapshot(kit) == before
    assert len(kit.exchange.matches()) == 1


def test_make_agreement_with_an_unknown_offer_is_not_found(kit, meeting):
    need = kit.exchange.add_need(meeting, "Naar de markt", "vervoer")
    before = snapshot(kit)
    with pytest.raises(NotFoundError):
        kit.exchange.make_agreement("no-such-offer", need, "Rijden")
    assert snapshot(kit) == before
