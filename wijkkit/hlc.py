"""Hybrid logical clock: the version stamp of every field write.

A stamp is one integer: wall-clock milliseconds shifted left 16 bits plus a
counter. It never goes backwards on one replica, even when the system clock
does, and after seeing a remote stamp a replica's next stamp is larger than it.
Ties between replicas are broken by the replica id, so (hlc, replica) orders
every write in the world the same way on every machine.

The wall clock is injected, so tests can run a whole meeting in microseconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable

COUNTER_BITS = 16
COUNTER_MAX = (1 << COUNTER_BITS) - 1


def wall_ms() -> int:
    return int(time.time() * 1000)


def pack(ms: int, counter: int) -> int:
    return (ms << COUNTER_BITS) | counter


def unpack(stamp: int) -> tuple[int, int]:
    return stamp >> COUNTER_BITS, stamp & COUNTER_MAX


def stamp_ms(stamp: int) -> int:
    """The wall-clock milliseconds part of a stamp."""
    return stamp >> COUNTER_BITS


class HybridClock:
    """Issues strictly increasing stamps; ``last`` is persisted by the Kit. (A plain class: the
    dataclasses module would cost every start a few milliseconds before its first frame.)"""

    __slots__ = ("last", "clock")

    def __init__(self, last: int = 0, clock: Callable[[], int] = wall_ms) -> None:
        self.last, self.clock = last, clock

    def __repr__(self) -> str:
        return f"HybridClock(last={self.last}, clock={self.clock!r})"

    def now(self) -> int:
        last_ms, counter = unpack(self.last)
        physical = self.clock()
        if physical > last_ms:
            self.last = pack(physical, 0)
        elif counter < COUNTER_MAX:
            self.last = pack(last_ms, counter + 1)
        else:
            self.last = pack(last_ms + 1, 0)
        return self.last

    def observe(self, remote: int) -> None:
        """Take a stamp seen from elsewhere into account: later stamps sort after it."""
        if remote > self.last:
            self.last = remote
