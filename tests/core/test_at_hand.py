"""sessions.at_hand: the meeting Leiden, Aanmelden and the Overzicht choose after a (re)start.

Issue 14 problem 16: after a restart Leiden and Aanmelden preselected a cancelled meeting,
because the last fallback was simply the latest meeting. A cancelled meeting is never at
hand: the latest one that was not cancelled is, and None when every meeting was cancelled.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wijkkit.models import SESSION_STATUSES, Session, SessionId
from wijkkit.sessions import FORGOTTEN, at_hand

NOW = datetime(2026, 12, 3, 20, 15)


def meeting(number: int, status: str, days: float, hours: float = 2.0) -> Session:
    """A meeting starting ``days`` from NOW (negative: in the past), lasting ``hours``."""
    starts = NOW + timedelta(days=days)
    return Session(id=SessionId(f"s{number}"), title=f"Meeting {number}", status=status,
                   starts_at=starts.isoformat(timespec="minutes"),
                   ends_at=(starts + timedelta(hours=hours)).isoformat(timespec="minutes"))  # fmt: skip


def in_order(sessions: list[Session]) -> list[Session]:
    return sorted(sessions, key=lambda s: s.starts_at or "")


@pytest.mark.parametrize(
    ("statuses_and_days", "expected"),
    [
        # the case: held three weeks ago, the next one cancelled: the held one, not the cancelled
        ([("held", -21), ("cancelled", 7)], "s0"),
        ([("held", -21), ("held", -7), ("cancelled", 14), ("cancelled", 21)], "s1"),
        # tonight's meeting was cancelled and an older one ran: the older one
        ([("held", -14), ("cancelled", -0.1)], "s0"),
        # only cancelled meetings: none is at hand
        ([("cancelled", -7), ("cancelled", 7)], None),
        ([], None),
        # the choices before the fallback are unchanged
        ([("held", -7), ("running", -0.5), ("cancelled", 7)], "s1"),
        ([("held", -7), ("planned", 7), ("cancelled", 14)], "s1"),
        ([("cancelled", -0.1), ("planned", -0.05)], "s1"),
    ],
)
def test_the_meeting_at_hand_is_never_a_cancelled_one(statuses_and_days, expected):
    sessions = in_order([meeting(n, status, days) for n, (status, days) in enumerate(statuses_and_days)])
    found = at_hand(sessions, NOW)
    assert (found.id if found else None) == expected


def test_a_recent_held_meeting_is_chosen_before_a_later_cancelled_one():
    sessions = [meeting(0, "held", -3), meeting(1, "cancelled", 2)]
    assert at_hand(sessions, NOW, recent_held=timedelta(days=7)).id == "s0"
    assert at_hand(sessions, NOW, recent_held=timedelta(days=1)).id == "s0"  # by the fallback


def test_a_running_meeting_left_running_is_still_preferred_to_the_latest():
    forgotten = meeting(0, "running", -(FORGOTTEN + timedelta(days=2)).days)
    assert at_hand([forgotten, meeting(1, "cancelled", 3)], NOW).id == "s0"


a_meeting = st.tuples(st.sampled_from(sorted(SESSION_STATUSES)), st.floats(-60, 60), st.floats(0.25, 30))


@settings(max_examples=300, deadline=None)
@given(st.lists(a_meeting, max_size=8), st.sampled_from([None, timedelta(days=1), timedelta(days=7)]))
def test_at_hand_never_returns_a_cancelled_meeting(drawn, recent_held):
    sessions = in_order([meeting(n, status, days, hours) for n, (status, days, hours) in enumerate(drawn)])
    found = at_hand(sessions, NOW, recent_held=recent_held)
    if any(s.status != "cancelled" for s in sessions):
        assert found is not None and found.status != "cancelled"
        assert found in sessions
    else:
        assert found is None
