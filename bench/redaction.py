"""What redaction (wijkkit.redact) costs a laptop's export: merge.collect with and without it.

    .venv/bin/python bench/redaction.py

One laptop database: 500 people (a third share their name) and 20,000 agreements x 10 fields
(about 191,000 field changes, 80,000 of them free text; one agreement in 20 names someone).
``merge.collect`` runs three times with the real Redactor and three times with an empty one
(nobody to hide); the best CPU time of each is printed.
"""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

from wijkkit.kit import Kit
from wijkkit.redact import Redactor
from wijkkit.sync import merge, outgoing

FIRST = ["Henk", "Anneke", "Piet", "Fatma", "Şükrü", "Jan", "Zoë", "Ingrid", "Kees", "Marie"]
LAST = ["Oosterhuis", "Visser", "van der Berg", "Jansen", "Öztürk", "de Vries", "Bakker", "Smit", "Mulder", "'t Hart"]
WORDS = "de bus rijdt niet op zaterdag en de buurt wil vervoer naar de markt met hulp van".split()


def fill(kit: Kit) -> None:
    random.seed(1)
    with kit.transaction():
        for n in range(500):
            kit.people.add(f"{random.choice(FIRST)} {random.choice(LAST)}{n}", consent_share=n % 3 == 0)
        for n in range(20_000):
            text = " ".join(random.choices(WORDS, k=12))
            if n % 20 == 0:
                text += f" {random.choice(FIRST)} {random.choice(LAST)}{n % 500}"
            kit.insert("agreement", {"title": text[:100], "description": text, "owner_party": "Dorpsbelang",
                                     "partners": "Gemeente", "status": "open", "due_on": "2027-01-01",
                                     "review_on": "2027-02-01", "created_at": "2026-12-01T10:00", "table_no": 1})  # fmt: skip


def best(kit: Kit, runs: int = 3) -> tuple[float, int]:
    times = []
    for _ in range(runs):
        start = time.process_time()
        changes, _tombstones = merge.collect(kit, {})
        times.append(time.process_time() - start)
    return min(times), len(changes)


def main() -> None:
    with Kit.open(Path(tempfile.mkdtemp()) / "laptop.sqlite") as kit:
        fill(kit)
        real = outgoing.laptop_redactor
        outgoing.laptop_redactor = lambda _kit: Redactor([])
        plain, count = best(kit)
        outgoing.laptop_redactor = real
        redacted, _count = best(kit)
        print(f"{count} field changes: {plain:.2f} s without redaction, {redacted:.2f} s with ({redacted / plain:.2f}x)")


if __name__ == "__main__":
    main()
