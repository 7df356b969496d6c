"""Agenda arithmetic: when each step starts, and whether the agenda fits the slot.

Pure functions over minutes, shared by the agenda builder, the handouts and the
live console. No database, no clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

MAX_STEP_MINUTES = 600  # ten hours: longer is a typing mistake, not a step


@dataclass(frozen=True)
class Slot:
    """One agenda item placed in time."""

    index: int
    starts: datetime
    ends: datetime
    minutes: int


@dataclass(frozen=True)
class Fit:
    """How an agenda compares with the meeting's time slot."""

    planned_minutes: int
    available_minutes: int

    @property
    def over_by(self) -> int:
        """Minutes the agenda runs past the end (0 when it fits)."""
        return max(0, self.planned_minutes - self.available_minutes)

    @property
    def spare(self) -> int:
        """Minutes left over at the end (0 when it does not fit)."""
        return max(0, self.available_minutes - self.planned_minutes)

    @property
    def fits(self) -> bool:
        return self.over_by == 0


def schedule(starts_at: datetime, minutes: Sequence[int]) -> list[Slot]:
    """Start and end of each item, back to back from the meeting's start."""
    slots, moment = [], starts_at
    for index, length in enumerate(minutes):
        end = moment + timedelta(minutes=length)
        slots.append(Slot(index, moment, end, length))
        moment = end
    return slots


def fit(starts_at: datetime, ends_at: datetime, minutes: Sequence[int]) -> Fit:
    available = int((ends_at - starts_at).total_seconds() // 60)
    return Fit(planned_minutes=sum(minutes), available_minutes=available)
