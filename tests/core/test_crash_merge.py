"""A hub merge killed hard (SIGKILL, TerminateProcess on Windows) at fifty random moments: every bundle is in whole or not at all.

Why this module exists: a merge at the hub runs for a while over many laptops' bundles, on a
computer that may be switched off or killed halfway (a scheduled job, a full disk, a
coordinator closing the lid). Each bundle must be applied all-or-nothing, and running the
merge again must end exactly where an uninterrupted merge ends.

Four laptops send three rounds of real bundles (new rows, edits of shared rows that conflict,
deletions) to a hub that already knows their first work; the first laptop's neighbourhoods are
assigned to all of them, so they all work in those (a laptop writes only in the neighbourhoods
it serves). The module first times an
uninterrupted ``python -m wijkkit hub merge`` (in ``_crash_child.py``) and records, for every
k, the hub's state after the first k bundles (in the order the merge takes them), each
merged on its own. Then, fifty times: a copy of the hub, the real command line merging the
inbox, SIGKILL at a moment spread over the measured duration. Afterwards the file must pass
``PRAGMA integrity_check``; the bundles recorded as applied must be the first k, and the
whole state (every synced table, field versions, tombstones, conflicts kept for review, the
applied-bundle log, what the hub has seen of each replica and what each laptop has sent, who
brought each row, what each laptop was given and confirmed, refused changes, the scopes and
the keys) must be exactly the state after k whole bundles; the merge run again to the end
must give exactly the state of the uninterrupted merge. Left out of the comparison: the hub's
own ``_meta`` (its clock), ``_sync_withheld`` (written with return bundles, which this command
does not write: no ``--outbox``), and the wall-clock times of a merge.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.core.sync_hub import ROOT, Hub, open_hub
from tests.portable import KILLED, kill_hard
from wijkkit.kit import Kit
from wijkkit.sync import bundle, exchange, keys, scope

CHILD = Path(__file__).with_name("_crash_child.py")
KILLS = 50
ROWS = 20  # of each kind, per laptop and round: an uninterrupted merge then takes about 0.3 s
VOLATILE = {"id", "applied_at", "found_at", "last_bundle_at"}  # autoincrement ids and wall-clock times
VOLATILE_IN = {"_sync_refusal": {"at"}, "_sync_scope": {"at"}}  # wall-clock times of these tables only
BOOKKEEPING = ("_field_version", "_tombstone", "_sync_seen", "_sync_applied", "_sync_conflict", "_sync_peer",
               "_sync_origin", "_sync_given", "_sync_refusal", "_sync_scope", "_sync_claim")  # fmt: skip


def state(path: Path) -> dict[str, list[tuple]]:
    """The hub's contents, canonical: rows sorted, volatile columns left out."""
    with Kit.open(path) as kit:
        found = {}
        for table in (*kit.tables, *BOOKKEEPING):
            cursor = kit.conn.execute(f"SELECT * FROM [{table}]")
            volatile = VOLATILE | VOLATILE_IN.get(table, set())
            keep = [n for n, c in enumerate(cursor.description) if c[0] not in volatile]
            found[table] = sorted((tuple(row[n] for n in keep) for row in cursor), key=repr)
        return found


def differences(found: dict, expected: dict) -> str:
    return ", ".join(f"{t}: {len(found[t])} rows, expected {len(expected[t])}" for t in expected
                     if found[t] != expected[t]) or "none"  # fmt: skip


def work(kit: Kit, rnd: random.Random, shared: dict[str, list[str]], own: list[tuple[str, str]], n: int) -> None:
    """A laptop's evening: new rows of several kinds, edits of shared rows, a few deletions."""
    with kit.transaction():
        for i in range(ROWS):
            meeting = rnd.choice(shared["session"])
            wijk = rnd.choice(shared["neighbourhood"])
            kit.people.add(f"Bewoner {n}-{i}", consent_share=i % 3 != 0, neighbourhood_id=wijk)
            own.append(("agreement", kit.agreements.add(f"Afspraak {n}-{i}", meeting, owner_party="gemeente")))
            # tables 1 to 9: a table number is 1 to 999, as the forms allow and the hub checks
            own.append(("capture", kit.insert("capture", {"session_id": meeting, "kind": "note",
                                                          "text": f"Notitie {n}-{i} " * 5, "table_no": i % 9 + 1})))
        for table in ("neighbourhood", "session"):
            for row_id in rnd.sample(shared[table], 2):
                kit.update(table, row_id, {"notes": f"{kit.replica_id} round {n}"})
        for table, row_id in rnd.sample(own, 8):
            if kit.row(table, row_id) is not None:
                kit.delete(table, row_id)


@dataclass
class World:
    hub: Path  # the hub before the merge (closed)
    inbox: Path
    bundles: list[str]  # in the order the merge takes them
    after: list[dict]  # after[k]: the hub's state after the first k bundles
    duration: float  # seconds from the child's 'ready' to its exit, uninterrupted
    outcomes: list[tuple[float, int, bool]] = field(default_factory=list)  # (delay, bundles in, killed)


def run_merge(world: World, db: Path, delay: float | None) -> tuple[float, bool]:
    """The real command line merging the inbox into ``db``; SIGKILL ``delay`` seconds after 'ready'.
    Returns the seconds from 'ready' to the end and whether it was killed."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, str(CHILD), "merge", str(db), str(world.inbox)],
                             cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    watchdog = threading.Timer(60, child.kill)
    watchdog.start()
    try:
        assert child.stdout.readline() == b"ready\n", child.stderr.read().decode(errors="replace")
        start = time.perf_counter()
        if delay is not None:
            time.sleep(delay)
            kill_hard(child)
        child.wait()
        took = time.perf_counter() - start
    finally:
        watchdog.cancel()
    out, errors = child.stdout.read(), child.stderr.read().decode(errors="replace")
    child.stdout.close()
    child.stderr.close()
    assert child.returncode in ((0, KILLED) if delay is not None else (0,)), f"{out}\n{errors}"
    return took, child.returncode == KILLED


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    root = tmp_path_factory.mktemp("hub-crash")
    rnd = random.Random(31)
    inbox = root / "inbox"
    with open_hub(root) as hub:
        laptops = [hub.laptop, *(hub.join(f"laptop{n}") for n in range(1, 4))]
        first = hub.laptop
        shared = {"neighbourhood": [first.insert("neighbourhood", {"name": f"Wijk {n}"}) for n in range(4)]}
        shared["session"] = [first.sessions.add(f"Avond {n}", "2027-01-12T19:30", "2027-01-12T21:30",
                                                neighbourhood_id=shared["neighbourhood"][n]) for n in range(4)]  # fmt: skip
        everyone_knows(hub, laptops, shared)
        own: dict[str, list] = {kit.replica_id: [] for kit in laptops}
        for n in range(3):
            for kit in laptops:
                work(kit, rnd, shared, own[kit.replica_id], n)
                exchange.export(kit, inbox)
        for kit in laptops[1:]:
            kit.close()
    bundles = sorted(p.name for p in inbox.iterdir())
    after = [state(hub.path)]
    stepwise = root / "stepwise.sqlite"
    shutil.copy(hub.path, stepwise)
    for name in bundles:
        alone = root / f"alone-{name}"
        alone.mkdir()
        shutil.copy(inbox / name, alone / name)
        with Kit.open(stepwise) as kit:
            report = exchange.merge_inbox(kit, alone)
        assert [n for n, _ in report.applied] == [name], report
        after.append(state(stepwise))
    made = World(hub.path, inbox, bundles, after, duration=0.0)
    durations = []
    for n in range(2):  # the shorter of two: the kills should come before the end
        whole = root / f"whole{n}.sqlite"
        shutil.copy(hub.path, whole)
        durations.append(run_merge(made, whole, None)[0])
        assert state(whole) == after[-1], "merging all at once differs from merging one by one"
    made.duration = min(durations)
    print(f"{len(bundles)} bundles; an uninterrupted merge takes {made.duration:.3f} s")
    assert made.duration > 0.1, "the merge is too short to be killed halfway"
    assert after[-1]["_sync_conflict"] and after[-1]["_tombstone"], "conflicts and deletions are merged too"
    assert after[-1]["_sync_refusal"] == [], "every change of the laptops' evenings is theirs to make"
    return made


def everyone_knows(hub: Hub, laptops: list[Kit], shared: dict[str, list[str]]) -> None:
    """One round through the hub, so that every laptop has the shared rows: the coordinator assigns
    the first laptop's neighbourhoods to the others (a laptop receives only those it serves)."""
    files = {}
    for kit in laptops:
        path = exchange.export(kit, hub.root / "round0")
        files[path.name] = path.read_bytes()
    report = hub.merge(files)
    assert not report.refused and len(report.applied) == len(laptops)
    with Kit.open(hub.path) as opened:
        for kit in laptops[1:]:
            assert scope.assign(opened, kit.replica_id, shared["neighbourhood"]) == shared["neighbourhood"]
    hub.merge({}, outbox=True)
    for kit in laptops:
        returns = sorted((hub.root / f"outbox{hub.runs}" / kit.replica_id).glob("*" + bundle.SUFFIX))
        assert not exchange.import_files(kit, returns).refused
        for table, ids in shared.items():
            assert all(kit.row(table, row_id) is not None for row_id in ids), f"{table} did not reach every laptop"


@pytest.mark.parametrize("run", range(KILLS))
def test_a_merge_killed_at_a_random_moment_leaves_whole_bundles_and_finishes_the_same(world, run, tmp_path):
    seed = random.SystemRandom().randrange(2**32)
    delay = (run + random.Random(seed).random()) / KILLS * world.duration  # one moment in each fiftieth
    print(f"seed {seed}: kill {delay:.3f} s into a merge of {world.duration:.3f} s")
    db = tmp_path / "hub.sqlite"
    shutil.copy(world.hub, db)
    _, killed = run_merge(world, db, delay)
    with Kit.open(db) as kit:
        assert kit.conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        applied = {r["bundle_id"] + bundle.SUFFIX for r in kit.query("SELECT bundle_id FROM _sync_applied")}
    done = [name for name in world.bundles if name in applied]
    k = len(done)
    world.outcomes.append((delay, k, killed))
    print(f"{'killed' if killed else 'finished'} with {k} of {len(world.bundles)} bundles in")
    assert done == world.bundles[:k], "the bundles are applied in the merge's order, none skipped"
    found = state(db)
    assert found == world.after[k], f"not the state after {k} whole bundles: {differences(found, world.after[k])}"
    with Kit.open(db) as kit:
        report = exchange.merge_inbox(kit, world.inbox)
    assert report.refused == [] and sorted(report.already) == done
    assert [n for n, _ in report.applied] == world.bundles[k:]
    found = state(db)
    assert found == world.after[-1], f"merged again, not the uninterrupted end: {differences(found, world.after[-1])}"


def test_the_kills_landed_all_over_the_merge(world):
    if len(world.outcomes) < KILLS:
        pytest.skip("runs after the fifty kills")
    killed = [k for _delay, k, was_killed in world.outcomes if was_killed]
    print(sorted(killed))
    assert len(killed) >= KILLS * 0.7, "most kills came before the merge had finished"
    assert len({k for k in killed if 0 < k < len(world.bundles)}) >= 3, "kills landed between bundles, not just before"


def test_a_merge_stopped_right_after_a_bundle_still_records_what_its_laptop_has_seen(tmp_path, monkeypatch):
    """Regression: what the laptop has seen was recorded in a second transaction. Killed in
    between, the bundle counted as merged and was skipped next time, so its laptop's known
    vector (what the hub sends back) and its last bundle were never recorded."""
    with open_hub(tmp_path) as hub:
        hub.laptop.insert("neighbourhood", {"name": "Ellerveen"})
        path = exchange.export(hub.laptop, tmp_path / "out")
        replica = hub.laptop.replica_id

        def killed(*args: object) -> None:
            raise KeyboardInterrupt  # the process stops here, as under SIGKILL

        monkeypatch.setattr(keys, "record_peer_bundle", killed)
        with pytest.raises(KeyboardInterrupt):
            hub.merge({path.name: path.read_bytes()})
        monkeypatch.undo()
        report = hub.merge({path.name: path.read_bytes()})
        assert [n for n, _ in report.applied] == [path.name], "the bundle counted as merged, half recorded"
        with Kit.open(hub.path) as opened:
            peer = keys.peer(opened, replica)
        assert peer.last_bundle == path.name and peer.known[replica] > 0
