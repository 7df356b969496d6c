"""Budget: the countdown is off by under 20 ms after a simulated 3-hour meeting.

A facilitator reads the countdown on the projector after three hours of presses:
next step, pause, resume, a minute more or less. Every press is a row in SQLite
(``kit.live.press``) and the countdown is worked out from those rows, so the
error can only come from how times are stored and added up. This simulates many
3-hour evenings with presses at random microsecond moments, reopens the database
each time (as after a restart), and compares the countdown the app shows with one
worked out independently in floating-point seconds from the same presses.

    .venv/bin/python bench/countdown.py [--evenings 200] [--seed 7] [--budget-ms 20]

It prints the largest error in milliseconds and how long working out the clock
from a whole evening's rows takes (what each 200 ms tick of the console pays).
Exits 1 when the budget is exceeded.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from wijkkit import templates  # noqa: E402
from wijkkit.clock import SECOND  # noqa: E402
from wijkkit.kit import Kit  # noqa: E402

START = datetime(2027, 1, 12, 18, 30, tzinfo=UTC)
EVENING = 3 * 3600  # seconds


def simulate(rnd: random.Random, steps: int) -> list[tuple[str, float, int]]:
    """Valid presses at random moments over three hours: (kind, seconds after start, adjust)."""
    presses, t, step, paused = [("start", 0.0, 0)], 0.0, 0, False
    while True:
        t += rnd.uniform(1, 900) + rnd.randrange(1_000_000) / 1e6
        if t >= EVENING - 1:
            break
        if paused:
            presses.append(("resume", t, 0))
            paused = False
            continue
        kind = rnd.choice(["next", "pause", "adjust", "adjust"] if step < steps - 1 else ["pause", "adjust"])
        if kind == "next":
            step += 1
            presses.append(("next", t, 0))
        elif kind == "pause":
            presses.append(("pause", t, 0))
            paused = True
        else:
            presses.append(("adjust", t, rnd.choice([-60, 60])))
    return presses


def reference(planned: list[int], presses: list[tuple[str, float, int]], now: float) -> float:
    """Seconds left in the current step, from the presses alone (float arithmetic)."""
    step, used, budget, since, paused = 0, 0.0, float(planned[0]), 0.0, False
    for kind, t, seconds in presses[1:]:
        if not paused:
            used += t - since
        since = t
        if kind == "next":
            step, used, budget = step + 1, 0.0, float(planned[step + 1])
        elif kind == "pause":
            paused = True
        elif kind == "resume":
            paused = False
        elif kind == "adjust":
            budget += seconds
    if not paused:
        used += now - since
    return budget - used


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--evenings", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--budget-ms", type=float, default=20.0)
    args = parser.parse_args(argv)
    rnd = random.Random(args.seed)
    template = templates.builtin()
    planned = [step.minutes * 60 for step in template.steps]
    worst, fold_times, presses_total = 0.0, [], 0
    with tempfile.TemporaryDirectory() as folder:
        for number in range(args.evenings):
            path = Path(folder) / f"evening-{number}.sqlite"
            presses = simulate(rnd, len(planned))
            presses_total += len(presses)
            with Kit.open(path) as kit:
                meeting = kit.sessions.plan("Avond", "2027-01-12T19:30", "2027-01-12T22:30", template,
                                            now=datetime(2026, 11, 29))  # fmt: skip
                for kind, t, seconds in presses:
                    kit.live.press(meeting, kind, START + timedelta(seconds=t), seconds=seconds)
            now = EVENING - rnd.random()
            with Kit.open(path) as kit:  # as after a restart: everything from the rows
                begin = time.perf_counter()
                state = kit.live.state(meeting, START + timedelta(seconds=now))
                fold_times.append(time.perf_counter() - begin)
            error_ms = abs(state.remaining / SECOND - reference(planned, presses, now)) * 1000
            worst = max(worst, error_ms)
    print(f"{args.evenings} simulated 3-hour evenings, {presses_total} presses (seed {args.seed})")
    print(f"largest countdown error: {worst:.6f} ms (budget {args.budget_ms:g} ms)")
    print(f"working out the clock from an evening's rows: median {statistics.median(fold_times) * 1000:.2f} ms")
    return 0 if worst < args.budget_ms else 1


if __name__ == "__main__":
    sys.exit(main())
