"""Planning meetings: the rules (nothing saved when one is broken), agendas from a template,
reordering steps with minimal stamping, the series of a neighbourhood, and neighbourhoods."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wijkkit import preparation, templates
from wijkkit.errors import ValidationError
from wijkkit.i18n import gettext
from wijkkit.kit import Kit

NOW = datetime(2026, 11, 29, 20, 0)  # the demo's today, in the evening
TABLES = ("session", "step", "checklist_item", "invitation", "_field_version", "_tombstone")


def counts(kit: Kit) -> dict[str, int]:
    return {t: kit.db.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0] for t in TABLES}


def position_stamps(kit: Kit, session_id: str) -> dict[str, int]:
    rows = kit.query(
        "SELECT f.row_id, f.hlc FROM _field_version f JOIN step s ON s.id = f.row_id "
        "WHERE f.tbl = 'step' AND f.field = 'position' AND s.session_id = ?",
        [session_id],
    )
    return {r["row_id"]: r["hlc"] for r in rows}


@pytest.fixture
def meeting(kit):
    """A planned evening 19:30-22:00 with the 7-step agenda."""
    return kit.sessions.plan(
        "Samen zorgen",
        "2026-12-15T19:30",
        "2026-12-15T22:00",
        template=templates.builtin(),
        now=NOW,
    )


@pytest.fixture
def bare(kit):
    """A meeting without any steps."""
    return kit.sessions.add("Kaal", "2026-12-15T19:30", "2026-12-15T22:00")


def positions(kit: Kit, session_id: str) -> list[int]:
    return [s.position for s in kit.sessions.steps(session_id)]


# -- meeting rules ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "starts", "ends", "field"),
    [
        ("", "2026-12-15T19:30", "2026-12-15T22:00", "title"),
        ("   ", "2026-12-15T19:30", "2026-12-15T22:00", "title"),
        ("Avond", "2026-12-15T19:30", "2026-12-15T19:00", "ends_at"),
        ("Avond", "2026-12-15T19:30", "2026-12-15T19:30", "ends_at"),
        ("Avond", "2026-12-15T19:30", "2026-12-14T23:00", "ends_at"),
        ("Avond", "morgen", "2026-12-15T22:00", "starts_at"),
        ("Avond", "", "2026-12-15T22:00", "starts_at"),
        ("Avond", "2026-12-15T19:30", "22:00", "ends_at"),
        ("Avond", "2026-12-15T19:30", "", "ends_at"),
        ("Avond", "2027-02-30T19:30", "2027-03-01T22:00", "starts_at"),
        ("Avond", "2027-02-28T19:30", "2027-02-30T22:00", "ends_at"),
        ("Avond", "2026-12-15T25:00", "2026-12-15T22:00", "starts_at"),
    ],
)
@pytest.mark.parametrize("how", ["add", "plan"])
def test_a_broken_rule_is_refused_and_nothing_is_saved(kit, how, title, starts, ends, field):
    before = counts(kit)
    with pytest.raises(ValidationError) as caught:
        if how == "add":
            kit.sessions.add(title, starts, ends)
        else:
            kit.sessions.plan(title, starts, ends, template=templates.builtin(), now=NOW)
    assert caught.value.field == field
    assert counts(kit) == before
    assert kit.sessions.list() == []


def test_plan_refuses_a_meeting_in_the_past_but_add_records_one(kit):
    before = counts(kit)
    with pytest.raises(ValidationError) as caught:
        kit.sessions.plan(
            "Te laat", "2026-11-29T19:59", "2026-11-29T22:00", template=templates.builtin(), now=NOW
        )
    assert caught.value.field == "starts_at"
    assert counts(kit) == before
    typed_in = kit.sessions.add(
        "Vorige maand", "2026-10-01T19:30", "2026-10-01T22:00", status="held"
    )
    assert kit.sessions.get(typed_in).status == "held"


def test_plan_accepts_a_meeting_starting_this_very_minute(kit):
    now = datetime(2026, 11, 29, 20, 0, 42)
    session_id = kit.sessions.plan("Nu meteen", "2026-11-29T20:00", "2026-11-29T21:00", now=now)
    assert kit.sessions.get(session_id).starts_at == "2026-11-29T20:00"


def test_add_refuses_an_unknown_status(kit):
    with pytest.raises(ValidationError) as caught:
        kit.sessions.add("Avond", "2026-12-15T19:30", "2026-12-15T22:00", status="bijna")
    assert caught.value.field == "status"
    assert kit.sessions.list() == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_at": "2026-12-15T19:00"}, "ends_at"),
        ({"ends_at": "2026-12-15T19:30"}, "ends_at"),
        ({"starts_at": "2026-12-15T22:30"}, "ends_at"),
        ({"starts_at": "straks"}, "starts_at"),
        ({"ends_at": "2026-13-01T22:00"}, "ends_at"),
        ({"title": "  "}, "title"),
        ({"title": None}, "title"),
        ({"status": "misschien"}, "status"),
    ],
)
def test_edit_keeps_the_rules(kit, meeting, changes, field):
    session = kit.sessions.get(meeting)
    before = counts(kit)
    with pytest.raises(ValidationError) as caught:
        kit.sessions.edit(meeting, **changes)
    assert caught.value.field == field
    assert kit.sessions.get(meeting) == session
    assert counts(kit) == before


def test_edit_moving_both_times_together_is_fine(kit, meeting):
    changed = kit.sessions.edit(meeting, starts_at="2026-12-16T09:00", ends_at="2026-12-16T11:30")
    assert sorted(changed) == ["ends_at", "starts_at"]
    assert kit.sessions.fit(meeting).spare == 10


def test_a_meeting_cannot_follow_itself(kit, meeting):
    before = counts(kit)
    with pytest.raises(ValidationError) as caught:
        kit.sessions.edit(meeting, follows_session_id=meeting)
    assert caught.value.field == "follows_session_id"
    assert kit.sessions.get(meeting).follows_session_id is None
    assert kit.sessions.previous(meeting) is None
    assert counts(kit) == before


# -- step rules -----------------------------------------------------------------------

BAD_STEPS = [
    ({"minutes": 0}, "minutes"),
    ({"minutes": -5}, "minutes"),
    ({"minutes": "tien"}, "minutes"),
    ({"minutes": ""}, "minutes"),
    ({"minutes": None}, "minutes"),
    ({"minutes": "2.5"}, "minutes"),
    ({"minutes": 10**20}, "minutes"),  # too big for SQLite: must be a message, not a crash
    ({"title": ""}, "title"),
    ({"title": "  \n "}, "title"),
    ({"title": None}, "title"),
    ({"group_form": "circus"}, "group_form"),
    ({"kind": "lunch"}, "kind"),
]


@pytest.mark.parametrize(("bad", "field"), BAD_STEPS)
def test_add_step_refuses_bad_input_and_saves_nothing(kit, meeting, bad, field):
    values = {"title": "Extra ronde", "minutes": 10, **bad}
    before, steps = counts(kit), kit.sessions.steps(meeting)
    with pytest.raises(ValidationError) as caught:
        kit.sessions.add_step(
            meeting, values.pop("title"), values.pop("minutes"), position=0, **values
        )
    assert caught.value.field == field
    assert counts(kit) == before
    assert kit.sessions.steps(meeting) == steps


@pytest.mark.parametrize(("bad", "field"), BAD_STEPS)
def test_edit_step_refuses_bad_input_and_saves_nothing(kit, meeting, bad, field):
    step = kit.sessions.steps(meeting)[2]
    before = counts(kit)
    with pytest.raises(ValidationError) as caught:
        kit.sessions.edit_step(step.id, **bad)
    assert caught.value.field == field
    assert kit.sessions.step(step.id) == step
    assert counts(kit) == before


def test_edit_step_accepts_minutes_typed_as_text(kit, meeting):
    step = kit.sessions.steps(meeting)[0]
    assert sorted(kit.sessions.edit_step(step.id, minutes=" 20 ", title=" Welkom ")) == [
        "minutes",
        "title",
    ]
    assert (kit.sessions.step(step.id).minutes, kit.sessions.step(step.id).title) == (20, "Welkom")


# -- planning from a template ------------------------------------------------------------


def test_plan_with_the_seven_steps(kit, meeting):
    template = templates.builtin("zevenstappen")
    session = kit.sessions.get(meeting)
    steps = kit.sessions.steps(meeting)
    assert len(steps) == 8
    assert [s.kind for s in steps].count("step") == 7
    assert [s.kind for s in steps].count("break") == 1
    assert [s.position for s in steps] == list(range(8))
    assert [s.title for s in steps] == [t.title for t in template.steps]
    assert [s.prompt_list for s in steps] == [list(t.prompts) for t in template.steps]
    assert session.method == template.name
    assert session.status == "planned"
    checklist = kit.preparation.checklist(meeting)
    assert len(checklist) == len(preparation.DEFAULT_MATERIALS)
    assert [c.label for c in checklist] == [gettext(m) for m in preparation.DEFAULT_MATERIALS]
    assert [c.position for c in checklist] == list(range(len(checklist)))
    assert not any(c.done for c in checklist)


def test_plan_without_a_template_still_gets_the_checklist(kit):
    session_id = kit.sessions.plan("Open avond", "2026-12-15T19:30", "2026-12-15T21:00", now=NOW)
    assert kit.sessions.steps(session_id) == []
    assert kit.sessions.get(session_id).method == ""
    assert len(kit.preparation.checklist(session_id)) == len(preparation.DEFAULT_MATERIALS)


def test_the_seven_steps_fit_an_evening_until_they_do_not(kit, meeting):
    fit = kit.sessions.fit(meeting)
    assert (fit.planned_minutes, fit.available_minutes) == (140, 150)
    assert fit.fits and fit.spare == 10 and fit.over_by == 0
    longest = kit.sessions.steps(meeting)[2]
    kit.sessions.edit_step(longest.id, minutes=longest.minutes + 25)
    fit = kit.sessions.fit(meeting)
    assert not fit.fits
    assert fit.over_by == 15 and fit.spare == 0


def test_replace_agenda_starts_again_from_another_template(kit, meeting):
    repeat = templates.builtin("vervolg")
    kit.sessions.replace_agenda(meeting, repeat)
    steps = kit.sessions.steps(meeting)
    assert [s.title for s in steps] == [t.title for t in repeat.steps]
    assert [s.position for s in steps] == list(range(len(repeat.steps)))
    assert kit.sessions.get(meeting).method == repeat.name


def test_schedule_pairs_each_step_with_its_time(kit, meeting):
    pairs = kit.sessions.schedule(meeting)
    assert [step.id for step, _ in pairs] == [s.id for s in kit.sessions.steps(meeting)]
    assert [(f"{slot.starts:%H:%M}", step.title) for step, slot in pairs] == [
        ("19:30", "Welkom en bedoeling"),
        ("19:45", "Kennismaken"),
        ("20:00", "Ervaringen delen"),
        ("20:25", "Pauze"),
        ("20:35", "Dromen"),
        ("20:55", "Verkennen"),
        ("21:15", "Doen en afspraken"),
        ("21:35", "Oogsten en terugkoppelen"),
    ]
    assert pairs[-1][1].ends == datetime(2026, 12, 15, 21, 50)
    assert all(slot.minutes == step.minutes for step, slot in pairs)


def test_schedule_follows_a_moved_step(kit, meeting):
    pause = kit.sessions.steps(meeting)[3]
    kit.sessions.move_step(pause.id, 0)
    step, slot = kit.sessions.schedule(meeting)[0]
    assert (step.id, slot.starts, slot.minutes) == (pause.id, datetime(2026, 12, 15, 19, 30), 10)


# -- reordering steps ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moved", "to_index", "expected"),
    [
        (1, 3, [0, 2, 3, 1, 4, 5, 6, 7]),  # forward
        (5, 2, [0, 1, 5, 2, 3, 4, 6, 7]),  # backward
        (4, 0, [4, 0, 1, 2, 3, 5, 6, 7]),  # to the front
        (2, 7, [0, 1, 3, 4, 5, 6, 7, 2]),  # to the end
        (2, 99, [0, 1, 3, 4, 5, 6, 7, 2]),  # past the end
        (3, -4, [3, 0, 1, 2, 4, 5, 6, 7]),  # before the front
        (6, 6, [0, 1, 2, 3, 4, 5, 6, 7]),  # nowhere
    ],
)
def test_move_step_renumbers_and_stamps_only_what_moved(kit, meeting, moved, to_index, expected):
    ids = [s.id for s in kit.sessions.steps(meeting)]
    before = position_stamps(kit, meeting)
    kit.sessions.move_step(ids[moved], to_index)
    assert [s.id for s in kit.sessions.steps(meeting)] == [ids[i] for i in expected]
    assert positions(kit, meeting) == list(range(8))
    after = position_stamps(kit, meeting)
    restamped = {step_id for step_id in ids if after[step_id] != before[step_id]}
    assert restamped == {ids[i] for new, i in enumerate(expected) if new != i}
    assert all(after[s] > before[s] for s in restamped)


def test_a_move_stamps_nothing_but_position(kit, meeting):
    ids = [s.id for s in kit.sessions.steps(meeting)]
    versions = kit.query(
        "SELECT * FROM _field_version WHERE field != 'position' ORDER BY tbl, row_id, field"
    )
    kit.sessions.move_step(ids[0], 7)
    assert (
        kit.query(
            "SELECT * FROM _field_version WHERE field != 'position' ORDER BY tbl, row_id, field"
        )
        == versions
    )


def test_add_step_at_the_front_shifts_the_rest(kit, meeting):
    ids = [s.id for s in kit.sessions.steps(meeting)]
    before = position_stamps(kit, meeting)
    first = kit.sessions.add_step(meeting, "Inloop met koffie", 15, position=0, kind="break")
    steps = kit.sessions.steps(meeting)
    assert [s.id for s in steps] == [first, *ids]
    assert [s.position for s in steps] == list(range(9))
    assert (steps[0].title, steps[0].kind, steps[0].group_form) == (
        "Inloop met koffie",
        "break",
        "plenary",
    )
    after = position_stamps(kit, meeting)
    assert all(after[i] > before[i] for i in ids)


def test_add_step_in_the_middle_and_at_the_end(kit, meeting):
    ids = [s.id for s in kit.sessions.steps(meeting)]
    before = position_stamps(kit, meeting)
    middle = kit.sessions.add_step(meeting, "Stelling", 5, position=4, group_form="pairs")
    last = kit.sessions.add_step(meeting, "Nazit", 10)
    assert [s.id for s in kit.sessions.steps(meeting)] == [*ids[:4], middle, *ids[4:], last]
    assert positions(kit, meeting) == list(range(10))
    after = position_stamps(kit, meeting)
    assert {i for i in ids if after[i] != before[i]} == set(ids[4:])


def test_remove_step_closes_the_gap(kit, meeting):
    ids = [s.id for s in kit.sessions.steps(meeting)]
    before = position_stamps(kit, meeting)
    kit.sessions.remove_step(ids[3])
    assert [s.id for s in kit.sessions.steps(meeting)] == ids[:3] + ids[4:]
    assert positions(kit, meeting) == list(range(7))
    assert kit.is_deleted("step", ids[3])
    after = position_stamps(kit, meeting)
    assert ids[3] not in after
    assert {i for i in after if after[i] != before[i]} == set(ids[4:])


def test_a_step_the_clock_has_been_in_cannot_be_removed(kit, meeting):
    steps = kit.sessions.steps(meeting)
    start = datetime(2026, 12, 15, 19, 30).astimezone()
    kit.live.press(meeting, "start", start)
    kit.live.press(meeting, "next", start + timedelta(minutes=15))
    before = kit.live.state(meeting, start + timedelta(minutes=20))
    for remove in (lambda: kit.sessions.remove_step(steps[0].id), lambda: kit.sessions.remove_step(steps[1].id),
                   lambda: kit.sessions.replace_agenda(meeting, templates.builtin())):  # fmt: skip
        with pytest.raises(ValidationError, match="already led"):
            remove()
    assert kit.sessions.steps(meeting) == steps
    kit.sessions.remove_step(steps[5].id)  # a step still to come may go
    after = kit.live.state(meeting, start + timedelta(minutes=20))
    assert (after.current, after.remaining) == (before.current, before.remaining)


def test_reordering_one_meeting_leaves_another_alone(kit, meeting):
    other = kit.sessions.plan("Andere wijk", "2026-12-20T10:00", "2026-12-20T12:30",
                              template=templates.builtin(), now=NOW)  # fmt: skip
    other_before = kit.sessions.steps(other)
    kit.sessions.move_step(kit.sessions.steps(meeting)[0].id, 7)
    kit.sessions.remove_step(kit.sessions.steps(meeting)[0].id)
    kit.sessions.add_step(meeting, "Nieuw", 5, position=0)
    assert kit.sessions.steps(other) == other_before


operations = st.lists(
    st.one_of(
        st.tuples(st.just("move"), st.integers(0, 30), st.integers(-3, 30)),
        st.tuples(st.just("remove"), st.integers(0, 30)),
        st.tuples(st.just("add"), st.one_of(st.none(), st.integers(-3, 30))),
    ),
    max_size=15,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 6), operations)
def test_any_sequence_of_edits_matches_a_plain_list(start_with, ops):
    with Kit.memory() as kit:
        session_id = kit.sessions.add("Model", "2026-12-15T19:30", "2026-12-15T22:00")
        model = [kit.sessions.add_step(session_id, f"Stap {n}", 10) for n in range(start_with)]
        for op in ops:
            if op[0] == "move" and model:
                step_id = model[op[1] % len(model)]
                kit.sessions.move_step(step_id, op[2])
                model.remove(step_id)
                model.insert(max(0, min(op[2], len(model))), step_id)
            elif op[0] == "remove" and model:
                step_id = model.pop(op[1] % len(model))
                kit.sessions.remove_step(step_id)
            elif op[0] == "add":
                at = op[1]
                step_id = kit.sessions.add_step(session_id, "Erbij", 5, position=at)
                model.insert(len(model) if at is None else max(0, min(at, len(model))), step_id)
            steps = kit.sessions.steps(session_id)
            assert [s.position for s in steps] == list(range(len(steps)))
            assert [s.id for s in steps] == model
        assert sorted(s.id for s in kit.sessions.steps(session_id)) == sorted(model)


# -- the series of a neighbourhood -----------------------------------------------------------


def test_a_neighbourhood_lists_only_its_own_meetings_in_date_order(kit):
    east, west = kit.neighbourhoods.add("Oost"), kit.neighbourhoods.add("West")
    third = kit.sessions.add(
        "Oost 3", "2027-03-01T19:30", "2027-03-01T22:00", neighbourhood_id=east
    )
    first = kit.sessions.add(
        "Oost 1", "2026-09-01T19:30", "2026-09-01T22:00", neighbourhood_id=east
    )
    kit.sessions.add("West 1", "2026-10-01T19:30", "2026-10-01T22:00", neighbourhood_id=west)
    second = kit.sessions.add(
        "Oost 2", "2026-12-01T09:30", "2026-12-01T12:00", neighbourhood_id=east
    )
    kit.sessions.add("Zonder wijk", "2026-11-01T19:30", "2026-11-01T22:00")
    series = kit.sessions.list(east)
    assert [s.id for s in series] == [first, second, third]
    assert {s.neighbourhood_name for s in series} == {"Oost"}
    assert [s.title for s in kit.sessions.list(west)] == ["West 1"]
    assert len(kit.sessions.list()) == 5
    assert [s.starts_at for s in kit.sessions.list()] == sorted(
        s.starts_at for s in kit.sessions.list()
    )


def test_the_series_is_in_time_order_whatever_iso_spelling_was_typed(kit):
    # dates.parse accepts every ISO spelling; the series must still come out in time order
    hood = kit.neighbourhoods.add("Oost")
    evening = kit.sessions.add(
        "Avond", "2026-12-01 20:00", "2026-12-01 22:00", neighbourhood_id=hood
    )
    morning = kit.sessions.add(
        "Ochtend", "2026-12-01T09:00", "2026-12-01T11:00", neighbourhood_id=hood
    )
    assert [s.id for s in kit.sessions.list(hood)] == [morning, evening]


def test_a_date_with_a_utc_offset_is_a_validation_error_not_a_crash(kit):
    # the offset form parses, but cannot be compared with the local, naive times around it
    with pytest.raises(ValidationError):
        kit.sessions.add("Avond", "2026-12-15T19:30+01:00", "2026-12-15T22:00")
    with pytest.raises(ValidationError):
        kit.sessions.plan("Avond", "2026-12-15T19:30+01:00", "2026-12-15T22:00+01:00", now=NOW)
    assert kit.sessions.list() == []


def test_previous_is_the_meeting_followed_up(kit):
    first = kit.sessions.add("Eerste", "2026-09-01T19:30", "2026-09-01T22:00", status="held")
    second = kit.sessions.plan(
        "Tweede", "2026-12-15T19:30", "2026-12-15T22:00", now=NOW, follows_session_id=first
    )
    assert kit.sessions.previous(second).id == first
    assert kit.sessions.previous(first) is None
    third = kit.sessions.add("Derde", "2027-03-01T19:30", "2027-03-01T22:00")
    kit.sessions.edit(third, follows_session_id=second)
    assert kit.sessions.previous(third).title == "Tweede"


def test_the_demo_follow_up_points_back_to_the_held_meeting(demo_kit):
    held, planned = demo_kit.sessions.list()
    hood = held.neighbourhood_id
    assert [s.id for s in demo_kit.sessions.list(hood)] == [held.id, planned.id]
    assert demo_kit.sessions.previous(planned.id) == held


# -- neighbourhoods ------------------------------------------------------------------


def test_archiving_hides_a_neighbourhood_until_asked_for(kit):
    ids = {
        name: kit.neighbourhoods.add(name, "Veldhorst") for name in ("Zuid", "Ellerveen", "Noord")
    }
    kit.neighbourhoods.set_archived(ids["Ellerveen"])
    assert [n.name for n in kit.neighbourhoods.list()] == ["Noord", "Zuid"]
    everything = kit.neighbourhoods.list(include_archived=True)
    assert [n.name for n in everything] == ["Noord", "Zuid", "Ellerveen"]
    assert [bool(n.archived) for n in everything] == [False, False, True]
    kit.neighbourhoods.set_archived(ids["Ellerveen"], False)
    assert [n.name for n in kit.neighbourhoods.list()] == ["Ellerveen", "Noord", "Zuid"]


def test_an_archived_neighbourhood_keeps_its_meetings(kit):
    hood = kit.neighbourhoods.add("Oost")
    session_id = kit.sessions.add(
        "Avond", "2026-09-01T19:30", "2026-09-01T22:00", neighbourhood_id=hood
    )
    kit.neighbourhoods.set_archived(hood)
    assert [s.id for s in kit.sessions.list(hood)] == [session_id]


def test_edit_a_neighbourhood(kit):
    hood = kit.neighbourhoods.add("Oost", "Veldhorst")
    kit.neighbourhoods.edit(hood, "  Oost-Centrum ", " Veldhorst ", "buurt", "Nieuwbouw")
    edited = kit.neighbourhoods.get(hood)
    assert (edited.name, edited.municipality, edited.kind, edited.notes) == (
        "Oost-Centrum",
        "Veldhorst",
        "buurt",
        "Nieuwbouw",
    )


@pytest.mark.parametrize(
    ("name", "kind", "field"),
    [("", "wijk", "name"), ("  ", "kern", "name"), ("Oost", "stad", "kind"), ("Oost", "", "kind")],
)
def test_a_neighbourhood_needs_a_name_and_a_known_kind(kit, name, kind, field):
    with pytest.raises(ValidationError) as caught:
        kit.neighbourhoods.add(name, kind=kind)
    assert caught.value.field == field
    hood = kit.neighbourhoods.add("Echt", "Veldhorst", "kern")
    before = counts(kit)
    with pytest.raises(ValidationError) as caught:
        kit.neighbourhoods.edit(hood, name, kind=kind)
    assert caught.value.field == field
    assert kit.neighbourhoods.get(hood).name == "Echt"
    assert kit.neighbourhoods.get(hood).kind == "kern"
    assert counts(kit) == before
