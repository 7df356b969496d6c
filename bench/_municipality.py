"""A municipality's hub database after three years of dialogues, for the benchmarks.

The demo village is small; the figures users feel at scale are those of a
gemeente's hub that has merged every laptop for three years. This makes one:
100 neighbourhoods, 600 meetings (six per neighbourhood, two a year, the last ones
still planned) with the 7-step agenda, 30,000 people (300 per neighbourhood, a
mix of consents), 18,000 attendances, 12,000 captures, 20,000 agreements with a
status line each, and offers and needs. Every row goes through the Kit, so field
versions, consent records and validation are exactly those of real use.

    WIJKKIT_CONFIG_DIR=DIR WIJKKIT_KEYSTORE=file \\
        .venv/bin/python bench/_municipality.py PATH/wijkkit.sqlite [--scale 1.0]

The database is encrypted like every Wijkkit database; its key goes to the key
store the environment chooses (the benches keep it in their own folder). Names,
texts and dates are generated from a fixed seed, so every build is the same
apart from ids and stamps. ``--scale`` shrinks everything for a quick try.

Made through the Kit, the full size takes 25-45 minutes on 2 cores, so the benches call
``copy_to``: it builds the database once into a cache folder (one per schema
version and ``VERSION`` below) and copies it and its key from there.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

NEIGHBOURHOODS, MEETINGS_EACH, PEOPLE_EACH = 100, 6, 300
ATTENDING, CAPTURES_EACH, AGREEMENTS_TOTAL = 30, 20, 20_000
FIRST = ("Anneke", "Henk", "Fatima", "Jan", "Greetje", "Pieter", "Marieke", "Şükrü", "Łucja", "Zoë", "Mohamed",
         "Sanne", "Kees", "Ingrid", "Ahmet", "Wim", "Truus", "Daan", "Noor", "Bram")  # fmt: skip
LAST = ("Bosma", "Oosterhuis", "El Amrani", "de Vries", "Kuipers", "Hoekstra", "Smit", "Yılmaz", "Wójcik",
        "van 't Hof", "Visser", "Mulder", "de Boer", "Veenstra", "Dijkstra", "Bakker", "Jansen", "Meijer")  # fmt: skip
ROLES = ("inwoner", "inwoner", "inwoner", "inwoner", "vrijwilliger", "mantelzorger", "wijkteam", "gemeente",
         "zorgaanbieder", "welzijnsorganisatie", "ondernemer")  # fmt: skip
WORDS = ("koffieochtend", "buurtbus", "zaterdag", "hulplijst", "bakker", "spreekuur", "digitaal", "mantelzorg",
         "respijtzorg", "dorpshuis", "eenzaamheid", "vervoer", "boodschappen", "jongeren", "speeltuin", "groen")  # fmt: skip
STATUSES = ("open", "in_progress", "done", "stalled", "dropped", "done")
KINDS = ("note", "quote", "dream", "idea")
VERSION = 1  # of the data made here: raise it when ``build`` changes, so cached copies are made again


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize()


def build(path: Path, scale: float = 1.0, seed: int = 3) -> dict[str, int]:
    """Write the hub database at ``path`` (which must not exist); returns the rows made per table."""
    from wijkkit import templates
    from wijkkit.kit import Kit
    from wijkkit.sync import keys

    rng = random.Random(seed)
    today = date.today()
    start = today - timedelta(days=3 * 365)
    areas = max(1, round(NEIGHBOURHOODS * scale))
    agreements_each = max(1, round(AGREEMENTS_TOTAL * scale) // (areas * MEETINGS_EACH))
    template = templates.builtin()
    with Kit.open(path) as kit, tempfile.TemporaryDirectory() as temp:
        keys.export_hub_key(kit, Path(temp) / "hub.key", "Gemeente Veldhorst")
        for area in range(areas):  # a transaction per neighbourhood, as laptops' merges would write them
            with kit.transaction():
                _neighbourhood(kit, rng, area, start, today, agreements_each, template)
        counts = {table: kit.conn.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]
                  for table in ("neighbourhood", "session", "person", "attendance", "capture", "agreement",
                                "agreement_update", "offer", "need", "_field_version")}  # fmt: skip
    return counts


def _neighbourhood(kit, rng: random.Random, area: int, start: date, today: date, agreements_each: int,
                   template) -> None:  # fmt: skip
    from wijkkit import templates

    wijk = kit.neighbourhoods.add(f"Wijk {area + 1:03d}", "Veldhorst", "wijk" if area % 3 else "kern",
                                  f"Wijk {area + 1} met {rng.randint(800, 6000)} inwoners.")  # fmt: skip
    people = []
    for n in range(PEOPLE_EACH):
        share, contact = rng.random() < 0.6, rng.random() < 0.5
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        people.append(kit.people.add(
            name, role=rng.choice(ROLES), neighbourhood_id=wijk, consent_share=int(share),
            consent_contact=int(contact), email=f"p{area}.{n}@example.nl" if contact else "",
        ))  # fmt: skip
    for number in range(MEETINGS_EACH):
        day = start + timedelta(days=(number * 365) // 2 + area % 60)
        held = day < today
        at = datetime.combine(day, datetime.min.time()).replace(hour=19, minute=30)
        meeting = kit.sessions.add(
            f"Wijkdialoog {number + 1} in wijk {area + 1}", at.isoformat(timespec="minutes"),
            (at + timedelta(hours=2, minutes=30)).isoformat(timespec="minutes"), neighbourhood_id=wijk,
            status="held" if held else "planned", location_name="Buurthuis", theme=sentence(rng, 3),
        )  # fmt: skip
        templates.apply(kit, meeting, template)
        if not held:
            continue
        steps = kit.sessions.steps(meeting)
        for person in rng.sample(people, ATTENDING):
            kit.insert("attendance", {"session_id": meeting, "person_id": person, "present": 1,
                                      "table_no": rng.randint(1, 6)})  # fmt: skip
        for n in range(CAPTURES_EACH):
            kit.insert("capture", {"session_id": meeting, "step_id": rng.choice(steps).id, "kind": rng.choice(KINDS),
                                   "text": sentence(rng, 12), "table_no": 1 + n % 6,
                                   "created_at": (at + timedelta(minutes=5 * n)).isoformat(timespec="seconds")})  # fmt: skip
        for n in range(agreements_each):
            owner = {"owner_person_id": rng.choice(people)} if n % 2 else {"owner_party": "Gemeente Veldhorst"}
            agreement = kit.agreements.add(
                sentence(rng, 6), meeting, partners="Welzijn Veldhorst", description=sentence(rng, 20),
                due_on=(day + timedelta(days=rng.randint(14, 120))).isoformat(),
                review_on=(day + timedelta(days=180)).isoformat(), **owner,
            )  # fmt: skip
            kit.agreements.update_status(agreement, rng.choice(STATUSES), sentence(rng, 8),
                                         at=at + timedelta(days=rng.randint(7, 90)))  # fmt: skip
        kit.exchange.add_offer(meeting, sentence(rng, 10), person_id=rng.choice(people))
        kit.exchange.add_need(meeting, sentence(rng, 10), person_id=rng.choice(people))


def copy_to(database: Path, config_dir: Path) -> Path:
    """Copy the cached full-size database to ``database`` and its key file into ``config_dir``
    (the folder WIJKKIT_CONFIG_DIR names, with WIJKKIT_KEYSTORE=file); built first when missing.
    Built in a folder of its own and renamed when complete, so two benches starting at once
    never see, or remove, each other's half-made database."""
    from wijkkit import schema

    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "wijkkit-bench"
    cache = root / f"municipality-s{schema.schema_version()}-v{VERSION}"
    if not (cache / "wijkkit.sqlite").exists():
        root.mkdir(parents=True, exist_ok=True)
        making = Path(tempfile.mkdtemp(prefix="making-", dir=root))
        print(f"building the three-year municipality database in {making} (25-45 minutes, once)...", flush=True)
        env = {**os.environ, "WIJKKIT_CONFIG_DIR": str(making / "config"), "WIJKKIT_KEYSTORE": "file"}
        subprocess.run([sys.executable, __file__, str(making / "wijkkit.sqlite")], check=True, env=env)
        try:
            making.rename(cache)
        except OSError:  # another bench finished first: use its copy
            shutil.rmtree(making, ignore_errors=True)
    database.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(cache / "wijkkit.sqlite", database)
    (config_dir / "keys").mkdir(parents=True, exist_ok=True)
    for key in (cache / "config" / "keys").glob("*.key"):
        shutil.copy2(key, config_dir / "keys" / key.name)
    return database


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database", type=Path, help="the database file to write (must not exist)")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full size (default 1)")
    args = parser.parse_args(argv)
    if args.database.exists():
        parser.error(f"{args.database} exists already")
    started = time.perf_counter()
    counts = build(args.database, args.scale)
    print(f"made {args.database} in {time.perf_counter() - started:.1f} s: "
          + ", ".join(f"{table} {count:,}" for table, count in counts.items()))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
