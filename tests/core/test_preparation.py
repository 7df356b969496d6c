"""Getting ready for a meeting: invitations per channel (one row each) and the materials checklist."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wijkkit import preparation
from wijkkit.errors import NotFoundError, ValidationError
from wijkkit.i18n import gettext, set_language
from wijkkit.kit import Kit


@pytest.fixture
def meeting(kit):
    return kit.sessions.add("Avond", "2026-12-15T19:30", "2026-12-15T22:00")


def rows(kit: Kit, table: str) -> int:
    return kit.db.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]


# -- invitations -------------------------------------------------------------------------


def test_set_invitation_twice_updates_the_same_row(kit, meeting):
    first = kit.preparation.set_invitation(meeting, "letter", planned_on="2026-12-01", reach="420")
    second = kit.preparation.set_invitation(
        meeting, "letter", done_on=date(2026, 12, 2), notes="Via de bezorgers"
    )
    assert first == second
    assert rows(kit, "invitation") == 1
    (letter,) = kit.preparation.invitations(meeting)
    assert (letter.planned_on, letter.done_on, letter.reach, letter.notes) == (
        "2026-12-01", "2026-12-02", 420, "Via de bezorgers",
    )  # fmt: skip
    assert letter.label == gettext(preparation.CHANNELS["letter"])


def test_one_row_per_channel_per_meeting(kit, meeting):
    other = kit.sessions.add("Andere avond", "2027-01-15T19:30", "2027-01-15T22:00")
    for channel in preparation.CHANNELS:
        kit.preparation.set_invitation(meeting, channel)
    kit.preparation.set_invitation(other, "letter")
    kit.preparation.set_invitation(meeting, "poster", reach=30)
    assert [i.channel for i in kit.preparation.invitations(meeting)] == list(preparation.CHANNELS)
    assert [i.channel for i in kit.preparation.invitations(other)] == ["letter"]
    assert rows(kit, "invitation") == len(preparation.CHANNELS) + 1


def test_clearing_fields_of_an_invitation(kit, meeting):
    kit.preparation.set_invitation(
        meeting, "email", planned_on="2026-12-01", done_on="2026-12-01", reach=80
    )
    kit.preparation.set_invitation(meeting, "email", done_on="", reach=None)
    (email,) = kit.preparation.invitations(meeting)
    assert (email.planned_on, email.done_on, email.reach) == ("2026-12-01", None, None)


@pytest.mark.parametrize(
    ("channel", "fields", "field"),
    [
        ("pigeon", {}, "channel"),
        ("Letter", {}, "channel"),
        ("", {}, "channel"),
        ("letter", {"planned_on": "volgende week"}, "planned_on"),
        ("letter", {"planned_on": "2026-02-30"}, "planned_on"),
        ("letter", {"done_on": "1-12-2026"}, "done_on"),
        ("letter", {"reach": -5}, "reach"),
        ("letter", {"reach": "-5"}, "reach"),
        ("letter", {"reach": "veel"}, "reach"),
        ("letter", {"reach": 2.5}, "reach"),
        ("letter", {"reach": "1e3"}, "reach"),
        ("letter", {"reach": "²"}, "reach"),  # str.isdigit() says yes, int() says no
        ("letter", {"reach": "4²"}, "reach"),
    ],
)
def test_bad_invitation_input_is_refused_and_nothing_saved(kit, meeting, channel, fields, field):
    kit.preparation.set_invitation(meeting, "letter", planned_on="2026-12-01", reach=10)
    before = kit.query("SELECT * FROM invitation")
    versions = rows(kit, "_field_version")
    with pytest.raises(ValidationError) as caught:
        kit.preparation.set_invitation(meeting, channel, **fields)
    assert caught.value.field == field
    assert kit.query("SELECT * FROM invitation") == before
    assert rows(kit, "_field_version") == versions


def test_to_send_lists_what_is_not_done_earliest_first(kit, meeting):
    kit.preparation.set_invitation(meeting, "website")  # no date yet: last
    kit.preparation.set_invitation(meeting, "poster", planned_on="2026-12-08")
    kit.preparation.set_invitation(
        meeting, "whatsapp", planned_on="2026-11-20", done_on="2026-11-20"
    )
    kit.preparation.set_invitation(meeting, "letter", planned_on="2026-12-01")
    kit.preparation.set_invitation(meeting, "village_paper", planned_on="2026-11-25")
    assert [i.channel for i in kit.preparation.to_send(meeting)] == [
        "village_paper",
        "letter",
        "poster",
        "website",
    ]
    kit.preparation.set_invitation(meeting, "letter", done_on="2026-12-01")
    assert [i.channel for i in kit.preparation.to_send(meeting)] == [
        "village_paper",
        "poster",
        "website",
    ]


@settings(max_examples=30, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(list(preparation.CHANNELS)),
        st.tuples(
            st.one_of(st.none(), st.dates(date(2026, 1, 1), date(2027, 12, 31))), st.booleans()
        ),
        max_size=len(preparation.CHANNELS),
    )
)
def test_to_send_is_every_pending_invitation_in_date_order(plan):
    with Kit.memory() as kit:
        session_id = kit.sessions.add("Avond", "2027-12-31T19:30", "2027-12-31T22:00")
        for channel, (day, done) in plan.items():
            kit.preparation.set_invitation(
                session_id, channel, planned_on=day, done_on=day if done and day else None
            )
        pending = kit.preparation.to_send(session_id)
        assert {i.channel for i in pending} == {
            c for c, (day, done) in plan.items() if not (done and day)
        }
        dated = [i.planned_on for i in pending if i.planned_on]
        assert dated == sorted(dated)
        assert [i.planned_on for i in pending] == dated + [None] * (len(pending) - len(dated))


def test_remove_invitation(kit, meeting):
    poster = kit.preparation.set_invitation(meeting, "poster")
    kit.preparation.set_invitation(meeting, "letter")
    kit.preparation.remove_invitation(poster)
    assert [i.channel for i in kit.preparation.invitations(meeting)] == ["letter"]
    assert kit.is_deleted("invitation", poster)


# -- materials checklist ---------------------------------------------------------------------


def test_checklist_add_tick_and_remove(kit, meeting):
    kit.preparation.add_default_materials(meeting)
    extra = kit.preparation.add_material(meeting, "  Verlengsnoer voor buiten  ")
    items = kit.preparation.checklist(meeting)
    assert len(items) == len(preparation.DEFAULT_MATERIALS) + 1
    assert items[-1].id == extra and items[-1].label == "Verlengsnoer voor buiten"
    assert [i.position for i in items] == list(range(len(items)))
    kit.preparation.set_done(items[0].id)
    kit.preparation.set_done(extra)
    assert [i.id for i in kit.preparation.checklist(meeting) if i.done] == [items[0].id, extra]
    kit.preparation.set_done(items[0].id, False)
    assert [i.id for i in kit.preparation.checklist(meeting) if i.done] == [extra]
    kit.preparation.remove_material(items[1].id)
    remaining = [i.id for i in kit.preparation.checklist(meeting)]
    assert remaining == [items[0].id, *[i.id for i in items[2:]]]
    assert kit.is_deleted("checklist_item", items[1].id)


def test_an_item_added_after_a_removal_goes_last(kit, meeting):
    first, second = (kit.preparation.add_material(meeting, label) for label in ("Koffie", "Thee"))
    kit.preparation.remove_material(first)
    third = kit.preparation.add_material(meeting, "Koek")
    assert [i.id for i in kit.preparation.checklist(meeting)] == [second, third]


@pytest.mark.parametrize("label", ["", "   ", "\n"])
def test_a_material_needs_a_label(kit, meeting, label):
    with pytest.raises(ValidationError) as caught:
        kit.preparation.add_material(meeting, label)
    assert caught.value.field == "label"
    assert kit.preparation.checklist(meeting) == []


def test_ticking_a_removed_item_says_it_is_gone(kit, meeting):
    item = kit.preparation.add_material(meeting, "Flip-over")
    kit.preparation.remove_material(item)
    with pytest.raises(NotFoundError):
        kit.preparation.set_done(item)


def test_default_materials_are_in_the_current_language(kit, meeting):
    set_language("en")
    kit.preparation.add_default_materials(meeting)
    assert [i.label for i in kit.preparation.checklist(meeting)] == list(
        preparation.DEFAULT_MATERIALS
    )


# -- the demo -----------------------------------------------------------------------


def test_the_demo_follow_up_is_being_prepared(demo_kit):
    held, planned = demo_kit.sessions.list()
    invitations = demo_kit.preparation.invitations(planned.id)
    assert [i.channel for i in invitations] == [
        "letter",
        "poster",
        "village_paper",
        "whatsapp",
        "personal",
    ]
    by_channel = {i.channel: i for i in invitations}
    assert by_channel["whatsapp"].done_on == "2026-11-27" and by_channel["whatsapp"].reach == 85
    assert by_channel["poster"].reach is None
    assert [i.channel for i in demo_kit.preparation.to_send(planned.id)] == [
        "village_paper", "letter", "poster", "personal",
    ]  # fmt: skip
    checklist = demo_kit.preparation.checklist(planned.id)
    assert len(checklist) == len(preparation.DEFAULT_MATERIALS)
    assert [bool(i.done) for i in checklist] == [True] * 3 + [False] * (len(checklist) - 3)
    assert demo_kit.preparation.invitations(held.id) == []
    assert demo_kit.preparation.checklist(held.id) == []
