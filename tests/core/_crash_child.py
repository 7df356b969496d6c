"""Child process for the crash tests: writes in a tight loop, or merges at the hub, until killed.

    python _crash_child.py capture|clock DATABASE SESSION_ID SEED
    python _crash_child.py merge DATABASE INBOX

Every line goes to stdout, flushed, only after the write it reports has been committed:

    event KIND ISO-TIME SECONDS     a clock press (the start, the first steps, and in
                                    'clock' mode a burst of next/back/adjust/pause/resume)
    item NUMBER TABLE ID            in 'capture' mode: one quick-captured item
    edit NUMBER TABLE ID            in 'capture' mode: item NUMBER's text edited in the list

'capture' makes the calls the lead page's capture panel makes (ui/pages/lead/capture_panel.py):
the current step from the clock's state, ``live.capture`` with the table number or None
("no table"), then the list reloaded (``live.captures``, ``sessions.steps``); every fifth
item an earlier one is edited in place (``live.edit_capture``), as in the list model.

'merge' prints ``ready`` once everything but the merge itself is loaded, then runs
``wijkkit hub merge --db DATABASE --inbox INBOX`` through the real command line, so the
parent can time its kill from the start of the merge.
"""

from __future__ import annotations

import random
import sys

from wijkkit.clock import SteadyClock
from wijkkit.errors import ValidationError
from wijkkit.kit import Kit
from wijkkit.live import CAPTURE_KINDS

BURST = ("next", "next", "back", "adjust", "adjust", "pause", "resume")
EDIT_EVERY, EDIT_BACK = 5, 3  # every fifth item, the one three items earlier is edited


def lead(path: str, session_id: str, mode: str, seed: str) -> None:
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
            step_id = kit.live.state(session_id, clock.now()).current_step_id  # the lead view's current step
            item = kit.live.capture(session_id, kinds[number % len(kinds)], f"item {number}", clock.now(), step_id,
                                    number % 41 or None)  # fmt: skip
            print("item", number, item.table, item.id, flush=True)
            listed = kit.live.captures(session_id)  # the panel reloads its list
            kit.sessions.steps(session_id)
            if number % EDIT_EVERY == 0:
                earlier = next(c for c in listed if c.text == f"item {number - EDIT_BACK}")
                kit.live.edit_capture(earlier, f"item {number - EDIT_BACK} edited")
                print("edit", number - EDIT_BACK, earlier.table, earlier.id, flush=True)
        else:
            kind = rnd.choice(BURST)
            press(kind, rnd.choice((60, -60)) if kind == "adjust" else 0)


def merge(path: str, inbox: str) -> None:
    from pathlib import Path

    from wijkkit.cli import main
    from wijkkit.sync.bundle import BundleError, Envelope, decrypt, parse, verify

    nothing = Envelope({"sign_key": "", "sender": ""}, b"", bytes(64), b"", "")
    for step in (lambda: verify(Path("w"), nothing, ""), lambda: decrypt(Path("w"), nothing, None),
                 lambda: parse(Path("w"), b"", {}, 0, 0)):  # fmt: skip
        try:
            step()  # refused at once, having loaded what it needs (signatures, age, SQLite)
        except BundleError:
            pass
    print("ready", flush=True)
    sys.exit(main(["hub", "merge", "--db", path, "--inbox", inbox]))


if __name__ == "__main__":
    if sys.argv[1] == "merge":
        merge(*sys.argv[2:4])
    else:
        lead(sys.argv[2], sys.argv[3], sys.argv[1], sys.argv[4])
