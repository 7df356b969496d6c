"""Rehearsal mode's core: a throwaway copy of one meeting without people, and a sped-up clock.

A whole rehearsal (start, every kind of capture, the agreements review, a re-plan, the end)
must leave the real database file byte for byte as it was, with not one row changed; the copy
holds the meeting and its agenda re-planned to start now, and nothing about people. The sped-up
clock is monotonic and runs exactly ``factor`` times faster than its base.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wijkkit import clock, demo
from wijkkit.kit import Kit
from wijkkit.live import CAPTURE_KINDS
from wijkkit.rehearsal import FAST, SpedUpClock, copy_meeting

NOW = datetime(2026, 12, 3, 14, 7, 30, tzinfo=UTC)
PERSONAL = ("person", "attendance", "consent_record", "capture", "timer_event", "offer", "need", "obstacle",
            "agreement_update", "invitation", "checklist_item")  # fmt: skip


class Base:
    """A base clock in microseconds that the test moves by hand."""

    def __init__(self, micros: int) -> None:
        self.value = micros

    def __call__(self) -> int:
        return self.value


def _meetings(kit: Kit):
    first, follow_up = kit.sessions.list()
    assert follow_up.follows_session_id == first.id
    return first, follow_up


def _count(kit: Kit, table: str) -> int:
    return kit.query(f"SELECT count(*) AS n FROM [{table}]")[0]["n"]


def test_the_copy_holds_the_meeting_planned_now_and_nobody(kit):
    demo.populate(kit)
    first, _ = _meetings(kit)
    copy = copy_meeting(kit, first.id, NOW)
    try:
        meeting = copy.kit.sessions.get(copy.session_id)
        local = NOW.astimezone().replace(tzinfo=None)
        assert meeting.starts_at == local.isoformat(timespec="minutes")
        assert meeting.ends_at == (local.replace(second=0) + timedelta(minutes=150)).isoformat(timespec="minutes")
        assert meeting.status == "planned" and meeting.title == first.title == copy.title
        assert meeting.facilitator == "" and meeting.notes == ""
        assert meeting.neighbourhood_name == first.neighbourhood_name
        steps, originals = copy.kit.sessions.steps(copy.session_id), kit.sessions.steps(first.id)
        assert [(s.title, s.minutes, s.prompts, s.purpose, s.kind) for s in steps] == \
            [(s.title, s.minutes, s.prompts, s.purpose, s.kind) for s in originals]  # fmt: skip
        assert {table: _count(copy.kit, table) for table in PERSONAL} == dict.fromkeys(PERSONAL, 0)
        assert [s.id for s in copy.kit.sessions.list()] == [copy.session_id]
    finally:
        copy.close()


def test_a_follow_up_copy_brings_the_agreements_to_review_without_owners(kit):
    demo.populate(kit)
    _, follow_up = _meetings(kit)
    copy = copy_meeting(kit, follow_up.id, NOW)
    try:
        meeting = copy.kit.sessions.get(copy.session_id)
        assert meeting.follows_session_id is not None
        review = copy.kit.agreements.to_review(copy.session_id)
        assert sorted(a.title for a in review) == sorted(a.title for a in kit.agreements.to_review(follow_up.id))
        assert all(a.owner_person_id is None for a in review)
        assert _count(copy.kit, "person") == 0
        earlier = copy.kit.sessions.get(meeting.follows_session_id)
        assert earlier.starts_at < meeting.starts_at and earlier.status == "held"
    finally:
        copy.close()


def test_names_that_may_not_be_shown_are_replaced_in_the_copy(kit):
    """The copy has no people to redact by, so the projector's texts are redacted on the way in."""
    demo.populate(kit)
    first, _ = _meetings(kit)
    kit.people.add("Gerrit Zwanenburg", consent_share=False)
    step = kit.sessions.steps(first.id)[0]
    kit.sessions.edit_step(step.id, prompts="Wat zei Gerrit Zwanenburg vorige keer?")
    copy = copy_meeting(kit, first.id, NOW)
    try:
        prompts = copy.kit.sessions.steps(copy.session_id)[0].prompts
        assert "Zwanenburg" not in prompts and prompts.startswith("Wat zei ")
    finally:
        copy.close()


def _snapshot(kit: Kit) -> dict[str, object]:
    return {"rows": {table: _count(kit, table) for table in kit.tables},
            "versions": kit.query("SELECT count(*) AS n, max(hlc) AS top FROM _field_version")[0],
            "meta": kit.query("SELECT key, value FROM _meta ORDER BY key")}  # fmt: skip


@pytest.mark.parametrize("which", [0, 1])
def test_a_whole_rehearsal_writes_nothing_to_the_real_database(tmp_path, which):
    path = tmp_path / "wijkkit.sqlite"
    demo.create(path)
    files_before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    with Kit.open(path) as real:
        before = _snapshot(real)
        changes_before = real.conn.total_changes
        meeting = real.sessions.list()[which]
        base = Base(clock.to_micros(NOW))
        fast = SpedUpClock(base, FAST)
        copy = copy_meeting(real, meeting.id, fast.now())
        live, session = copy.kit.live, copy.session_id
        live.press(session, "start", fast.now())
        steps = copy.kit.sessions.steps(session)
        for n, kind in enumerate(CAPTURE_KINDS):
            base.value += 5 * clock.SECOND  # a minute of the rehearsal
            live.capture(session, kind, f"Geoefend: {kind}", fast.now(), steps[0].id, table_no=n + 1)
        for agreement in copy.kit.agreements.to_review(session):
            copy.kit.agreements.update_status(agreement.id, "done", "geoefend", session_id=session)
        live.press(session, "next", fast.now())
        live.press(session, "adjust", fast.now(), 60)
        base.value += 5 * 60 * clock.SECOND  # an hour of the rehearsal: now it runs late
        if (proposal := live.proposal(session, fast.now())) is not None:
            live.accept(proposal)
        live.press(session, "end", fast.now())
        assert live.state(session, fast.now()).ended
        copy.close()
        assert real.conn.total_changes == changes_before
        assert _snapshot(real) == before
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == files_before


# -- the sped-up clock ---------------------------------------------------------------------------

starts = st.integers(min_value=0, max_value=4_000_000_000 * clock.SECOND)


@given(start=starts, factor=st.integers(min_value=1, max_value=120),
       steps=st.lists(st.integers(min_value=0, max_value=10**12), max_size=30))  # fmt: skip
def test_the_sped_up_clock_is_monotonic_and_scales_exactly(start, factor, steps):
    base = Base(start)
    fast = SpedUpClock(base, factor)
    steady = fast.steady()
    seen = [fast.micros()]
    assert seen[0] == start
    for step in steps:
        base.value += step
        now = fast.micros()
        assert now - fast.start == (base.value - start) * factor
        assert steady.micros() == now and steady.drift_seconds() == 0
        assert clock.to_micros(fast.now()) == now
        seen.append(now)
    assert seen == sorted(seen)


def test_a_sped_up_minute_lasts_five_seconds():
    base = Base(clock.to_micros(NOW))
    steady = SpedUpClock(base, FAST).steady()
    base.value += 5 * clock.SECOND
    assert steady.now() - NOW == timedelta(minutes=1)


@pytest.mark.parametrize("factor", [0, -3, 1.5])
def test_the_speed_up_is_a_whole_number_of_at_least_one(factor):
    with pytest.raises(ValueError):
        SpedUpClock(Base(0), factor)
