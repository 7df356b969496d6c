"""Budget: filtering a list of 10,000 agreements takes under 50 ms a keystroke.

Builds 10,000 agreements in a scratch database, shows them in the Afspraken tab's
own list (AgreementTableModel behind the SearchProxy, in a QTableView of 1366x768,
offscreen), then types search words one key at a time. Each keystroke is timed
from the filter change until the view has processed its events. The floor is
plain Python doing the same word matching over the same 10,000 folded strings,
measured in the same run; the ratio shows what Qt's proxy and view add.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

WORDS = ("koffie", "ochtend", "buurtbus", "zaterdag", "hulplijst", "bakker", "spreekuur", "digitaal",
         "mantelzorg", "respijt", "wandeling", "tuin", "klussen", "vervoer", "markt", "gezelschap")  # fmt: skip
QUERIES = ("koffie ochtend", "zaterdag bus", "lucja", "respijtzorg mantel")


def build(count: int):
    from wijkkit.kit import Kit

    rng = random.Random(7)
    kit = Kit.memory()
    session = kit.sessions.add("Bench", "2026-12-01T19:30", "2026-12-01T22:00")
    people = [kit.people.add(name) for name in ("Łucja Wójcik", "Şükrü Yılmaz", "Henk Oosterhuis", "Anneke Bosma")]
    statuses = ("open", "in_progress", "done", "stalled", "dropped")
    with kit.transaction():
        for n in range(count):
            title = " ".join(rng.sample(WORDS, 3)).capitalize() + f" {n}"
            kit.agreements.add(title, session, owner_person_id=rng.choice(people), status=rng.choice(statuses),
                               due_on=f"2027-{1 + n % 12:02d}-{1 + n % 28:02d}")  # fmt: skip
    return kit


def keystrokes(query: str) -> list[str]:
    return [query[: n + 1] for n in range(len(query))]


def time_view(kit, runs: int) -> list[float]:
    from PySide6.QtWidgets import QApplication, QTableView

    from ui.models.agreements import AgreementTableModel
    from ui.models.filtering import SearchProxy

    app = QApplication.instance() or QApplication([])
    model = AgreementTableModel(kit.agreements.list)
    proxy = SearchProxy(model)
    view = QTableView()
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.resize(1366, 768)
    view.show()
    app.processEvents()
    times = []
    for _ in range(runs):
        for query in QUERIES:
            for text in keystrokes(query) + [""]:
                started = time.perf_counter()
                proxy.set_search(text)
                app.processEvents()
                times.append(time.perf_counter() - started)
    return times


def time_floor(kit, runs: int) -> list[float]:
    from wijkkit.text import sort_key

    haystack = [sort_key(f"{a.title} {a.owner_label} {a.status}") for a in kit.agreements.list()]
    times = []
    for _ in range(runs):
        for query in QUERIES:
            for text in keystrokes(query) + [""]:
                started = time.perf_counter()
                words = sort_key(text).split()
                [h for h in haystack if all(w in h for w in words)]
                times.append(time.perf_counter() - started)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3, help="times each query is typed")
    parser.add_argument("--budget-ms", type=float, default=50.0)
    args = parser.parse_args(argv)
    kit = build(args.count)
    view, floor = [], []
    for _ in range(args.runs):  # alternate, so both see the same machine load
        view += time_view(kit, 1)
        floor += time_floor(kit, 1)
    median_view, worst = statistics.median(view) * 1000, max(view) * 1000
    median_floor = statistics.median(floor) * 1000
    verdict = "within" if median_view <= args.budget_ms else "OVER"
    print(f"filtering {args.count} agreements, {len(view)} keystrokes")
    print(f"median keystroke (proxy + view): {median_view:6.1f} ms   worst {worst:6.1f} ms")
    print(f"median keystroke (plain Python): {median_floor:6.1f} ms")
    print(f"ratio view/plain: {median_view / median_floor:.1f}x; {verdict} the budget of {args.budget_ms:.0f} ms")
    return 0 if median_view <= args.budget_ms else 1


if __name__ == "__main__":
    sys.exit(main())
