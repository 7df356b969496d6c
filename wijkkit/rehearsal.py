"""Rehearsal (Oefenen): practise a meeting's evening on a throwaway copy, if wanted sped up.

Why it exists: the School van de Dialoog trains facilitators. They run a meeting's agenda with
the clock, the prompts and the projector as on the evening itself, but nothing they press or
type may reach the real data, and an evening of two and a half hours should fit in a lesson.

``copy_meeting`` only reads the real Kit; everything is written to a new in-memory Kit
(``Kit.memory``) that is thrown away when the rehearsal ends. The copy holds the one meeting,
re-planned to start now with its own length, its agenda with purposes and prompts, and its
neighbourhood. A follow-up meeting also gets the meeting it follows and the open agreements to
review, so the review at the start can be practised; their meetings are kept as a title and a
time only. Nothing about people is copied: no people, attendance, consents or captures, no
facilitator and no notes, no agreement owners. Because the copy has no people to redact by, the
free texts that can reach the projector (titles, purposes, prompts, places, agreements) are
passed through the real database's Redactor on the way in: a name of someone who did not agree
to share is replaced in the copy already.

``SpedUpClock`` makes time run ``factor`` times faster from the moment it was made
(``FAST``: one minute in five seconds). It is built on a real steady clock's microseconds, so a
change of the computer's clock does not disturb it either. ``steady()`` gives a
``clock.SteadyClock`` whose wall clock and monotonic clock are both the sped-up time: the
Leiden page then runs countdowns, step ends, chimes and the expected end sped up, and sees no
drift between the two.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from wijkkit import agenda, clock, dates
from wijkkit.kit import Kit
from wijkkit.redact import Redactor

FAST = 12  # one minute in five seconds
DEFAULT_MINUTES = 120  # the length of a copied meeting whose own times cannot be read
EARLIER = timedelta(days=1)  # an earlier meeting that would lie after the new start moves back to this


class SpedUpClock:
    """Time running ``factor`` times faster than ``base`` from the moment this clock is made.

    ``base`` returns microseconds since the epoch and must not go back (a SteadyClock's
    ``micros``). ``micros() - start == (base() - base_at_start) * factor``, exactly.
    """

    def __init__(self, base: Callable[[], int], factor: int = FAST) -> None:
        if factor < 1 or int(factor) != factor:
            raise ValueError("the speed-up factor must be a whole number of at least 1")
        self.base, self.factor = base, int(factor)
        self.start = base()

    def micros(self) -> int:
        return self.start + (self.base() - self.start) * self.factor

    def now(self) -> datetime:
        return clock.from_micros(self.micros())

    def monotonic_ns(self) -> int:
        return self.micros() * 1000

    def steady(self) -> clock.SteadyClock:
        """A SteadyClock on this time, for the Leiden page: its wall and monotonic clocks agree."""
        return clock.SteadyClock(wall=self.now, monotonic_ns=self.monotonic_ns)


@dataclass(frozen=True)
class Rehearsal:
    """The throwaway copy: an in-memory Kit and the id of the meeting in it."""

    kit: Kit
    session_id: str
    title: str

    def close(self) -> None:
        self.kit.close()


def _minute(moment: datetime) -> datetime:
    return moment.astimezone().replace(tzinfo=None, second=0, microsecond=0)


def _length(starts_at: str | None, ends_at: str | None, steps: list) -> timedelta:
    start, end = dates.parse(starts_at), dates.parse(ends_at)
    if start is not None and end is not None and end > start:
        return end - start
    return timedelta(minutes=sum(s.minutes for s in steps) or DEFAULT_MINUTES)


def copy_meeting(real: Kit, session_id: str, now: datetime) -> Rehearsal:
    """A throwaway copy of meeting ``session_id`` of ``real``, planned to start at ``now``.

    ``real`` is only read. ``now`` is an aware moment (the rehearsal clock's start).
    """
    meeting = real.sessions.get(session_id)
    steps = real.sessions.steps(session_id)
    public = Redactor.for_kit(real).text
    start = _minute(now)
    copy = Kit.memory()
    try:
        with copy.transaction():
            area = _copy_neighbourhood(real, copy, meeting.neighbourhood_id)
            follows = _copy_review(real, copy, meeting, area, start, public)
            new_id = copy.sessions.add(
                public(meeting.title) or meeting.title, start.isoformat(timespec="minutes"),
                (start + _length(meeting.starts_at, meeting.ends_at, steps)).isoformat(timespec="minutes"),
                neighbourhood_id=area, theme=public(meeting.theme), location_name=public(meeting.location_name),
                location_address=public(meeting.location_address), method=meeting.method, status="planned",
                follows_session_id=follows,
            )  # fmt: skip
            for position, step in enumerate(steps):
                minutes = max(1, min(step.minutes or 0, agenda.MAX_STEP_MINUTES))  # an odd old step still runs
                copy.sessions.add_step(new_id, public(step.title) or "…", minutes, position,
                                       purpose=public(step.purpose), prompts=public(step.prompts),
                                       group_form=step.group_form, kind=step.kind)  # fmt: skip
    except BaseException:
        copy.close()
        raise
    return Rehearsal(copy, new_id, copy.sessions.get(new_id).title)


def _copy_neighbourhood(real: Kit, copy: Kit, neighbourhood_id: str | None) -> str | None:
    if not neighbourhood_id:
        return None
    area = real.neighbourhoods.get(neighbourhood_id)
    return copy.neighbourhoods.add(area.name, area.municipality or "", area.kind or "wijk")


def _copy_review(real: Kit, copy: Kit, meeting, area: str | None, start: datetime,
                 public: Callable[[str], str]) -> str | None:  # fmt: skip
    """The meeting this one follows and the open agreements to review, with their meetings as
    stubs (a title and a time); returns the copy's id of the meeting followed, if any."""
    agreements = real.agreements.to_review(meeting.id)
    earlier = [a.session_id for a in agreements if a.session_id]
    if meeting.follows_session_id:
        earlier.append(meeting.follows_session_id)
    stubs: dict[str, str] = {}
    for old_id in dict.fromkeys(earlier):
        stubs[old_id] = _copy_stub(real.sessions.get(old_id), copy, area, start, public)
    for agreement in agreements:
        copy.agreements.add(
            public(agreement.title) or "…", session_id=stubs.get(agreement.session_id),
            description=public(agreement.description), owner_party=public(agreement.owner_party),
            partners=public(agreement.partners), due_on=agreement.due_on, review_on=agreement.review_on,
            status=agreement.status,
        )  # fmt: skip
    return stubs.get(meeting.follows_session_id) if meeting.follows_session_id else None


def _copy_stub(old, copy: Kit, area: str | None, start: datetime, public: Callable[[str], str]) -> str:
    """An earlier meeting as a title and a time, before the rehearsal's start."""
    length = _length(old.starts_at, old.ends_at, [])
    begins = dates.parse(old.starts_at)
    if begins is None or begins >= start:
        begins = start - EARLIER
    return copy.sessions.add(public(old.title) or old.title, begins.isoformat(timespec="minutes"),
                             (begins + length).isoformat(timespec="minutes"), neighbourhood_id=area,
                             status="held")  # fmt: skip
