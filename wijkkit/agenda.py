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


MIN_STEP_MINUTES = 5
MIN_HARVEST_MINUTES = 10


def propose(minutes: Sequence[int], minimums: Sequence[int], available: int) -> list[int]:
    """New minutes for the remaining steps so that they fit in ``available`` minutes.

    Each step gives up time in proportion to what it has above its minimum; no step
    goes below its minimum. When even the minimums do not fit, every step gets its
    minimum (the caller then reports what is still over).
    """
    total = sum(minutes)
    if total <= available:
        return list(minutes)
    spare = [max(0, m - low) for m, low in zip(minutes, minimums, strict=True)]
    cut_needed = min(total - available, sum(spare))
    if not sum(spare):
        return list(minutes)
    cuts = [cut_needed * s // sum(spare) for s in spare]
    # hand out what integer division left over, to the steps with the most spare time
    for index in sorted(range(len(spare)), key=lambda i: spare[i] - cuts[i], reverse=True):
        if sum(cuts) >= cut_needed:
            break
        if cuts[index] < spare[index]:
            cuts[index] += 1
    return [m - c for m, c in zip(minutes, cuts, strict=True)]
