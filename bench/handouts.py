"""Budget: a session pack in under 0.5 s and at most 3x its floor; a progress report over 1,000 agreements in
under 1 s and at most 2x its floor (issue 19).

The organiser presses 'Print everything' the afternoon before a meeting, and the
preview renders the PDF while they wait; the gemeente's progress report reads the
whole database. Both are reportlab documents, so the floor is reportlab itself:
plain reportlab (SimpleDocTemplate, one Table in its default font, no Paragraphs)
building the same number of table rows into a BytesIO, measured in the same run.
That default font is the handouts' embedded DejaVu Sans once they have registered
it (the warm-up), as it has been in every figure since issue 8, not Helvetica (see
``floor``). The ratio shows what the house style, the Paragraphs, the charts, the
cards and the pack's table of contents add.

    .venv/bin/python bench/handouts.py [--runs 5] [--agreements 1000] [--profile]

The scratch Kit is the demo village (wijkkit.demo.populate on Kit.memory()) with
extra held meetings over the past two years in both neighbourhoods and
``--agreements`` agreements spread over those meetings (mixed statuses, many
overdue), so the progress report has long tables. The pack is that of the demo's
held meeting, as an organiser would print it. Everything runs in one process:
one unmeasured warm-up of each (fonts, imports, caches), then the four builds alternate
``--runs`` times. Prints the medians, the ratio of the medians to the floor's
median, and the verdict against both budgets of each; exits 1 when any figure is
over its budget. ``--profile`` adds a cProfile of one (warm) build of each, sorted by
cumulative time and by own time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

STATUSES = ("open", "in_progress", "done", "stalled", "dropped")
WORDS = ("koffieochtend", "buurtbus", "zaterdag", "hulplijst", "bakker", "spreekuur", "digitaal", "mantelzorg",
         "respijtzorg", "wandeling", "moestuin", "klussen", "vervoer", "weekmarkt", "gezelschap")  # fmt: skip


def build(count: int, today: date):
    """The demo village, more meetings, and ``count`` agreements spread over those meetings."""
    from wijkkit import demo
    from wijkkit.kit import Kit

    rng = random.Random(11)
    kit = Kit.memory()
    demo.populate(kit, today)
    neighbourhoods = [n.id for n in kit.neighbourhoods.list()]
    people = [p.id for p in kit.people.list()]
    with kit.transaction():
        meetings = []
        for n in range(24):
            day = today - timedelta(days=30 + 30 * n)
            meetings.append((kit.sessions.add(
                f"Wijkdialoog {n + 1}: {rng.choice(WORDS)}", f"{day}T19:30", f"{day}T22:00", status="held",
                neighbourhood_id=neighbourhoods[n % len(neighbourhoods)]), day))  # fmt: skip
        for n in range(count):
            session, day = meetings[n % len(meetings)]
            owner = {"owner_person_id": rng.choice(people)} if n % 3 else {"owner_party": "Gemeente Veldhorst"}
            kit.agreements.add(" ".join(rng.sample(WORDS, 3)).capitalize() + f" {n}", session,
                               due_on=(day + timedelta(days=rng.randint(7, 90))).isoformat(),
                               status=rng.choice(STATUSES), partners=rng.choice(("", "Welzijn Veldhorst")),
                               **owner)  # fmt: skip
    held = next(s.id for s in kit.sessions.list() if s.title == "Samen zorgen in Ellerveen")
    return kit, held


def table_rows(kind: str, kit, session_id: str | None, today: date) -> int:
    """How many table rows the document's story holds (nested tables and kept-together ones too)."""
    import importlib

    from reportlab.platypus import Table

    from wijkkit.handouts.page import Context

    story = importlib.import_module(f"wijkkit.handouts.{kind}").story(Context(kit, session_id, today))
    rows, todo = 0, list(story)
    while todo:
        item = todo.pop()
        if isinstance(item, Table):
            rows += len(item._cellvalues)
            todo += [cell for row in item._cellvalues for cell in row if not isinstance(cell, str)]
        elif isinstance(item, list | tuple):
            todo += list(item)
        todo += list(getattr(item, "_content", None) or []) + list(getattr(item, "parts", None) or [])
    return rows


def floor(rows: int) -> bytes:
    """Plain reportlab: one Table of ``rows`` short rows, default font, into memory.

    The default font is reportlab's Helvetica until the handouts' fonts are registered; from
    then on (the warm-up) it is their DejaVu Sans, embedded (``style.register_fonts``), as in
    every measurement since issue 8. reportlab keeps one font object per face, the handouts'
    own (``shaping.HouseFont``): its remembered string widths are set aside here, so the
    floor measures reportlab's own work.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate, Table

    from wijkkit.handouts.shaping import HouseFont

    cells = [["Agreement", "Who", "With whom", "Due", "Status"]]
    cells += [[f"Agreement {n}", "Gemeente", "Welzijn", "01-02-2027", "open"] for n in range(rows - 1)]
    buffer = io.BytesIO()
    HouseFont.remember_widths = False
    try:
        SimpleDocTemplate(buffer, pagesize=A4).build([Table(cells, repeatRows=1)])
    finally:
        HouseFont.remember_widths = True
    return buffer.getvalue()


def timed(job) -> float:
    started = time.perf_counter()
    job()
    return time.perf_counter() - started


def profiled(name: str, job) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    job()
    profiler.disable()
    for order in ("cumulative", "tottime"):
        print(f"\nprofile of one {name} ({order}):")
        pstats.Stats(profiler).sort_stats(order).print_stats(25)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--agreements", type=int, default=1000)
    parser.add_argument("--pack-budget", type=float, default=0.5, help="seconds")
    parser.add_argument("--progress-budget", type=float, default=1.0, help="seconds")
    parser.add_argument("--pack-ratio", type=float, default=3.0, help="times the floor (median to median)")
    parser.add_argument("--progress-ratio", type=float, default=2.0, help="times the floor (median to median)")
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of one build of each")
    args = parser.parse_args(argv)

    from pypdf import PdfReader

    from wijkkit import i18n
    from wijkkit.handouts import pdf_bytes

    i18n.set_language("nl")
    today = date.today()
    kit, held = build(args.agreements, today)
    jobs = {
        "pack": (lambda: pdf_bytes("pack", kit, held, today), table_rows("pack", kit, held, today),
                 (args.pack_budget, args.pack_ratio)),
        "progress": (lambda: pdf_bytes("progress", kit, None, today), table_rows("progress", kit, None, today),
                     (args.progress_budget, args.progress_ratio)),
    }  # fmt: skip
    times: dict[str, list[float]] = {}
    for name, (job, rows, _budget) in jobs.items():  # warm-up: fonts, imports, caches
        pages = len(PdfReader(io.BytesIO(job())).pages)
        floor_pages = len(PdfReader(io.BytesIO(floor(rows))).pages)
        print(f"{name}: {pages} pages, {rows} table rows (floor: {floor_pages} pages)")
    if args.profile:
        for name, (job, _rows, _budget) in jobs.items():
            profiled(name, job)
    for _ in range(args.runs):  # alternate, so all see the same machine load
        for name, (job, rows, _budget) in jobs.items():
            times.setdefault(name, []).append(timed(job))
            times.setdefault(f"{name} floor", []).append(timed(lambda rows=rows: floor(rows)))

    over = False
    print(f"{len(kit.agreements.list())} agreements in {len(kit.sessions.list())} meetings; "
          f"{args.runs} runs, medians:")  # fmt: skip
    for name, (_job, rows, (budget, most)) in jobs.items():
        median, base = statistics.median(times[name]), statistics.median(times[f"{name} floor"])
        ratio = median / base
        verdict = "within" if median <= budget and ratio <= most else "OVER"
        over |= verdict == "OVER"
        print(f"{name:9s} {median * 1000:7.1f} ms (worst {max(times[name]) * 1000:7.1f} ms); "
              f"plain reportlab, {rows} rows: {base * 1000:6.1f} ms; ratio {ratio:.2f}x; "
              f"{verdict} the budgets of {budget * 1000:.0f} ms and {most:.1f}x"
              + ("" if median <= budget else " (over the time)") + ("" if ratio <= most else " (over the ratio)"))  # fmt: skip
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
