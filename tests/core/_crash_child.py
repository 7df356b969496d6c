"""Child process for test_crash_resume: leads a meeting and writes in a tight loop until killed.

    python _crash_child.py DATABASE SESSION_ID MODE SEED

Every line goes to stdout, flushed, only after the write it reports has been committed:

    event KIND ISO-TIME SECONDS     a clock press (the start, the first steps, and in
                                    'clock' mode a burst of next/back/adjust/pause/resume)
    item NUMBER TABLE ID            in 'capture' mode: one quick-captured item
"""

from __future__ import annotations

import random
import sys

from wijkkit.clock import SteadyClock
from wijkkit.errors import ValidationError
from wijkkit.kit import Kit
from wijkkit.live import CAPTURE_KINDS

BURST = ("next", "next", "back", "adjust", "adjust", "pause", "resume")


def main() -> None:
    path, session_id, mode, seed = sys.argv[1:5]
    rnd = random.Random(int(seed))
    clock = SteadyClock()
    kit = Kit.open(path)

    def press(kind: str, seconds: int = 0) -> bool:
        moment = clock.now()
        try:
            kit.live.press(session_id, kind, moment, seconds)
        except ValidationError:
            return False
        print("event", kind, moment.isoformat(), seconds, flush=True)
        return True

    press("start")
    for _ in range(rnd.randrange(4)):
        press("next")
    kinds = list(CAPTURE_KINDS)
    number = 0
    while True:
        number += 1
        if mode == "capture":
            step_id = kit.live.state(session_id, clock.now()).current_step_id
            item = kit.live.capture(session_id, kinds[number % len(kinds)], f"item {number}", clock.now(),
                                    step_id=step_id, table_no=number % 40 + 1)  # fmt: skip
            print("item", number, item.table, item.id, flush=True)
        else:
            kind = rnd.choice(BURST)
            press(kind, rnd.choice((60, -60)) if kind == "adjust" else 0)


if __name__ == "__main__":
    main()
