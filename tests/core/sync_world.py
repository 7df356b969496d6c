"""The world of the sync state machine (tests/core/test_sync_properties.py): its seed of a hub and four
laptops, virtual time, ways to read the databases, and the checks made at the end of every run.

It exists so that the machine's rules stay in one readable file; nothing here is collected as a test.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from hypothesis import strategies as st

import wijkkit.kit as kit_module
from wijkkit import schema
from wijkkit.hlc import wall_ms
from wijkkit.kit import Kit
from wijkkit.sync import authority, bundle, exchange, keys, merge, scope
from wijkkit.sync.bundle import Payload

HONEST = 3
HOSTILE = HONEST  # the hostile laptop's index in SyncMachine.laptops
LAPTOPS = HONEST + 1
HOUR = 3600 * 1000
PRIVATE = merge.PRIVATE_PERSON_FIELDS
STATUSES = ("open", "in_progress", "done", "stalled", "dropped")
TEXT = st.text(alphabet="abcdeéëŞıß '-", max_size=8)
FIELDS = {
    "neighbourhood": {"name": TEXT, "notes": TEXT, "kind": st.sampled_from(["wijk", "kern", "buurt"])},
    "session": {"title": TEXT, "notes": TEXT},
    "person": {"name": TEXT, "notes": TEXT, "role": st.sampled_from(["inwoner", "vrijwilliger"]), "email": TEXT},
    "agreement": {"title": TEXT, "description": TEXT, "status": st.sampled_from(STATUSES)},
}  # fmt: skip
LINKS = {"session": "neighbourhood_id", "person": "neighbourhood_id", "agreement": "session_id"}
HONEST_N = st.integers(0, HONEST - 1)
HOW = st.lists(st.sampled_from(["write", "move", "consent", "remove", "register", "link"]), min_size=1, max_size=3)
ANY_N = st.integers(0, LAPTOPS - 1)


@contextlib.contextmanager
def counted_ids(prefix: str):
    """Row ids (and the replica ids made from them) in creation order instead of random."""
    counter = itertools.count(1)
    original = kit_module.new_id
    kit_module.new_id = lambda now_ms=None: f"{prefix}-0000-7000-8000-{next(counter):012d}"
    try:
        yield
    finally:
        kit_module.new_id = original


# -- a hub, three honest laptops and a hostile one, made once and copied for every example ---------------


@dataclass(frozen=True)
class Seed:
    folder: Path
    made_at: int
    hub: str
    replicas: tuple[str, ...]  # laptop 0..3, the last the hostile one
    wijken: tuple[str, ...]  # laptop 0's neighbourhoods, served by every honest laptop
    hostile_rows: frozenset[tuple[str, str]]  # what the hostile laptop made itself


_SEED: list[Seed] = []


def seed() -> Seed:
    """Made through the real protocol, one command at a time (a fresh Kit for every step, as the
    command line does)."""
    if not _SEED:
        folder = Path(tempfile.mkdtemp(prefix="wijkkit-sync-template-"))
        atexit.register(shutil.rmtree, folder, True)
        with counted_ids("01800000"):
            _SEED.append(_make_seed(folder))
    return _SEED[0]


def _make_seed(folder: Path) -> Seed:
    inbox, outbox = folder / "inbox", folder / "outbox"
    hub_path, laptops = folder / "hub.sqlite", [folder / f"laptop{n}.sqlite" for n in range(LAPTOPS)]
    with Kit.open(hub_path) as hub:
        keys.export_hub_key(hub, folder / "hub.key", "Hub")
        hub_replica = hub.replica_id
    replicas, prints = [], []
    for path in laptops:
        with Kit.open(path) as laptop:
            keys.join(laptop, folder / "hub.key")
            replicas.append(laptop.replica_id)
            prints.append(keys.own_fingerprint(laptop))
    with Kit.open(laptops[0]) as first:
        wijken = [first.insert("neighbourhood", {"name": name, "kind": "wijk"}) for name in ("Ellerveen", "Esweg")]
        meetings = [first.sessions.add(f"Buurtavond {n}", "2026-03-02T19:30", "2026-03-02T21:30", neighbourhood_id=wijk)
                    for n, wijk in enumerate(wijken)]  # fmt: skip
        people = [first.people.add(f"Buur Zaad{n}", email=f"b{n}@example.nl", consent_contact=1,
                                   consent_share=int(n != 1), neighbourhood_id=wijken[n % 2]) for n in range(3)]  # fmt: skip
        people.append(first.insert("person", {"name": "Buur Zaad3", "neighbourhood_id": wijken[0]}))  # no consents
        for n, title in enumerate(("Koffieochtend", "Buurtbus")):
            first.insert("agreement", {"title": title, "status": "open", "session_id": meetings[n],
                                       "owner_person_id": people[n]})  # fmt: skip
    with Kit.open(laptops[HOSTILE]) as hostile:
        own = hostile.insert("neighbourhood", {"name": "Buitenhof", "kind": "buurt"})
        meeting = hostile.sessions.add("Avond Buitenhof", "2026-03-03T19:30", "2026-03-03T21:30", neighbourhood_id=own)
        person = hostile.people.add("Mal Loot", consent_share=1, neighbourhood_id=own)
        hostile.insert("agreement", {"title": "Bankje", "status": "open", "session_id": meeting, "owner_person_id": person})
        hostile_rows = frozenset(all_rows(hostile))
    for round_ in range(3):
        for path in laptops:
            with Kit.open(path) as laptop:
                exchange.export(laptop, inbox)
        with Kit.open(hub_path) as hub:
            if round_ == 0:
                assert {r for _f, r in exchange.merge_inbox(hub, inbox).waiting} == set(replicas)
                for replica, fingerprint in zip(replicas, prints, strict=True):
                    keys.trust(hub, replica, fingerprint)
                exchange.merge_inbox(hub, inbox)
                for replica in replicas[1:HONEST]:
                    assert scope.assign(hub, replica, wijken) == wijken
                exchange.write_returns(hub, outbox)
            else:
                exchange.merge_inbox(hub, inbox, outbox)
        for path in inbox.iterdir():
            path.unlink()
        for path, replica in zip(laptops, replicas, strict=True):
            with Kit.open(path) as laptop:
                exchange.import_files(laptop, sorted((outbox / replica).glob("*.wijksync")))
            shutil.rmtree(outbox / replica)
    with Kit.open(hub_path) as hub:
        assert [p.trusted for p in keys.peers(hub)] == [1] * LAPTOPS
        for n, path in enumerate(laptops):
            with Kit.open(path) as laptop:
                assert not differences(hub, laptop), f"the seed did not reach laptop {n}"
        assert {r for (r,) in hub.conn.execute("SELECT id FROM person")} >= set(people)
    shutil.rmtree(inbox)
    return Seed(folder, wall_ms(), hub_replica, tuple(replicas), tuple(wijken), hostile_rows)


class World:
    """Virtual time (ms) shared by everybody; each laptop's clock is off by its own offset.

    It starts just after the seed was made, the same for every example of a run, so that
    a replayed example stamps exactly as before (Hypothesis needs every run of it to behave alike).
    """

    def __init__(self) -> None:
        self.start = self.now = seed().made_at + 60_000
        self.offsets = [0] * LAPTOPS

    def hub_clock(self) -> int:
        return self.now

    def laptop_clock(self, n: int):
        return lambda: self.now + self.offsets[n]


# -- reading databases -----------------------------------------------------------------------------------


def rows_of(kit: Kit, masked: bool, redactor=None) -> dict[tuple[str, str], tuple]:
    """Every synced row by (table, id); masked: without the private fields of people who did not consent;
    ``redactor``: free text as a laptop sends it, names of people who did not consent replaced (redact.py)."""
    from wijkkit.privacy import FREE_TEXT
    from wijkkit.sync.outgoing import as_sent

    found = {}
    for table in kit.tables:
        cursor = kit.conn.execute(f"SELECT * FROM [{table}] ORDER BY id")
        columns = [c[0] for c in cursor.description]
        for values in cursor:
            row = dict(zip(columns, values, strict=True))
            if masked and table == "person" and not row["consent_share"]:
                row.update(dict.fromkeys(PRIVATE))
            for column in FREE_TEXT.get(table, ()) if redactor else ():
                if isinstance(row[column], str) and row[column]:
                    row[column] = as_sent(redactor, table, column, row[column])
            found[(table, row["id"])] = tuple(row.values())
    return found


def all_rows(kit: Kit) -> list[tuple[str, str]]:
    return [(table, row_id) for table in kit.tables for (row_id,) in kit.conn.execute(f"SELECT id FROM [{table}]")]


def scope_at_hub(hub: Kit, replica: str) -> set[tuple[str, str]]:
    scope.fill(hub, replica)
    return set(hub.conn.execute("SELECT tbl, row_id FROM temp._scope"))


def differences(hub: Kit, laptop: Kit) -> list[str]:
    """How a laptop differs from the hub on the laptop's scope, and rows it has that it should not: outside
    its scope only a stale copy of another's row that left it, or a new row of its own the hub refused."""
    mine = scope_at_hub(hub, laptop.replica_id)
    from wijkkit.sync.outgoing import laptop_redactor

    redactor = laptop_redactor(laptop)  # the laptop keeps its own text; what it sent has names replaced
    at_hub, here = rows_of(hub, masked=True, redactor=redactor), rows_of(laptop, masked=True, redactor=redactor)
    refused = set(hub.conn.execute("SELECT tbl, row_id FROM _sync_refusal WHERE replica = ?", [laptop.replica_id]))
    found = [f"{key} is {here.get(key)} here and {at_hub[key]} at the hub" for key in sorted(mine)
             if here.get(key) != at_hub[key]]  # fmt: skip
    for key in sorted(set(here) - mine):
        if key not in at_hub and key not in refused:
            found.append(f"{key} is here but not at the hub")
        elif scope.origin(hub, *key) == laptop.replica_id:
            found.append(f"{key} was brought by this laptop but lies outside its scope")
    return found


def versions_of(kit: Kit) -> list[tuple]:
    return kit.conn.execute("SELECT * FROM _field_version ORDER BY tbl, row_id, field").fetchall()


def every_cell(kit: Kit) -> list[tuple[str, object]]:
    cells = []
    for (table,) in kit.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
        for row in kit.conn.execute(f"SELECT * FROM [{table}]"):
            cells += [(table, cell) for cell in row if isinstance(cell, str)]
    return cells


def read_payload(kit: Kit, path: Path) -> Payload:
    envelope = bundle.open_envelope(path)
    plain = bundle.decrypt(path, envelope, keys.age_identity(kit))
    return bundle.parse(path, plain, {t: kit.columns(t) for t in kit.tables}, schema.schema_version(), wall_ms())


@dataclass
class Attack:
    """What one hand-made bundle of the hostile laptop tried that the hub must refuse."""

    changes: dict[tuple, object]  # (tbl, row_id, field, hlc, replica) -> value
    tombstones: set[tuple]  # (tbl, row_id, hlc, replica, erased)




class EndChecks:
    """The checks after everybody synced: mixed into SyncMachine, whose state they read."""

    # -- the end: sync everything, then check ---------------------------------------------------------

    def sync_everything(self) -> None:
        for path in reversed(self.pending):  # what was still on its way arrives, newest first
            self.arrive(path)
        self.pending = []
        for _ in range(3):
            for n in range(LAPTOPS):
                self.world.now += 10
                self.pending.remove(path := self.export(n))
                self.arrive(path)
            for request in self.erasure_requests():  # the coordinator does what the honest laptops asked
                assert authority.carry_out_erasure(self.hub, request)
            self.write_returns()
            for n in range(LAPTOPS):
                for path in reversed(self.returns(n)):  # answers in any order: newest first
                    self.take_return(n, path)
        self.note_versions()

    def check_everything(self) -> None:
        self.sync_everything()
        for n, laptop in enumerate(self.laptops[:HONEST]):  # the hostile one lacks what it forged by hand
            found = differences(self.hub, laptop)
            assert not found, f"laptop {n} differs from the hub on its scope:\n" + "\n".join(found[:10])
        for attack, path in ((a, p) for p, a in self.attacks.items() if p in self.merged):
            self.check_refused(attack, path.name)
        self.check_nothing_unsent()
        self.check_no_value_lost()
        self.check_erased_stay_erased()
        self.check_order_does_not_matter()

    def replay(self, order: list[Path]) -> Kit:
        """A copy of the hub as it was before the first bundle, fed ``order`` one file at a time."""
        folder = Path(tempfile.mkdtemp(dir=self.dir))
        shutil.copy(seed().folder / "hub.sqlite", folder / "hub.sqlite")
        copy = Kit.open(folder / "hub.sqlite", clock=lambda: self.world.start)
        (folder / "inbox").mkdir()
        for path in order:
            target = folder / "inbox" / path.name
            shutil.copy(path, target)
            report = exchange.merge_inbox(copy, folder / "inbox")
            target.unlink()
            assert report.refused == []
        return copy

    def causal_reverse(self) -> list[Path]:
        """The latest bundle first, as far as cause allows: each after every bundle its sender had heard of."""
        order: list[Path] = []
        left = list(self.merged)
        while left:
            path = next(p for p in reversed(left) if self.after[p] <= set(order))
            order.append(path)
            left.remove(path)
        return order

    def check_order_does_not_matter(self) -> None:
        def state(kit: Kit) -> tuple:
            return sorted(rows_of(kit, masked=False).items()), versions_of(kit)

        with self.replay(self.merged) as forward, self.replay(self.causal_reverse()) as backward:
            first, second = state(forward), state(backward)
            for part, name in zip(range(2), ("rows", "versions"), strict=True):
                assert first[part] == second[part], f"the hub's {name} depend on the order of arrival"
            # applied once more, bypassing the bookkeeping of applied bundles: nothing changes
            before = rows_of(forward, masked=False), versions_of(forward)
            for n, path in enumerate(self.merged):
                payload = read_payload(forward, path)
                again = Payload({**payload.manifest, "bundle_id": f"again-{n}"}, payload.changes, payload.tombstones)
                verdict = authority.judge(forward, payload.sender, again)
                result = merge.apply(forward, verdict.payload(again.manifest), f"again-{n}", f"again-{n}")
                assert (result.applied, result.deleted) == (0, 0), f"{path.name} changed the hub a second time"
            assert (rows_of(forward, masked=False), versions_of(forward)) == before

    def check_nothing_unsent(self) -> None:
        """No forged stamp or bragging acknowledgement made an honest laptop hold anything back."""
        for n, kit in enumerate(self.laptops[:HONEST]):
            assert exchange.unsent(kit) == 0, f"laptop {n} still has {exchange.unsent(kit)} changes to send"
            withheld = {tuple(r) for r in kit.conn.execute("SELECT tbl, row_id, field FROM _sync_withheld")}
            for tbl, row_id, field, stamp, replica, *_base in versions_of(kit):
                key = (tbl, row_id, field, stamp, replica)
                if replica == kit.replica_id and (tbl, row_id, field) not in withheld and key not in self.seeded:
                    assert key in self.exported, (
                        f"laptop {n} never sent its {tbl}.{field} of {row_id}")  # fmt: skip

    def check_no_value_lost(self) -> None:
        hub = self.hub
        forged = {key for attack in self.attacks.values() for key in attack.changes}
        forged_removals = {(t[0], t[1], t[2], t[3]) for attack in self.attacks.values() for t in attack.tombstones}
        current = {(r[0], r[1], r[2]): (r[3], r[4]) for r in versions_of(hub)}
        kept = {(c["tbl"], c["row_id"], c["field"], c["hlc"], c["replica"]): c["value"]
                for c in hub.query("SELECT * FROM _sync_conflict")}  # fmt: skip
        refused = {(r["tbl"], r["row_id"], r["field"], r["hlc"], r["stamped_by"]): r["value"]
                   for r in authority.refusals(hub, open_only=False)}  # fmt: skip
        removals = {(t, r): (t, r, h, p) for t, r, h, p in hub.conn.execute("SELECT tbl, row_id, hlc, replica FROM _tombstone")}
        versions = {key: base for key, base in self.versions.items() if key not in forged}
        bases = {(key[:3], base) for key, base in versions.items()}
        for key, value in self.exported.items():
            tbl, row_id, field, stamp, replica = key
            if (tbl, row_id) in removals:
                assert removals[(tbl, row_id)] not in forged_removals, f"{tbl} {row_id} was removed by the hostile laptop"
                continue
            if tbl == "person" and field in PRIVATE and not (hub.row(tbl, row_id) or {}).get("consent_share"):
                continue  # not shared, or withdrawn: the hub keeps none of it (sync/forget.py)
            if current.get((tbl, row_id, field)) == (stamp, replica):
                assert hub.row(tbl, row_id)[field] == value
                continue
            if ((tbl, row_id, field), (stamp, replica)) in bases:
                continue  # replaced by a write that had seen it
            if any(k[:3] == key[:3] and k[4] == replica and k[3] > stamp for k in versions):
                continue  # replaced by its own writer
            if key in refused and refused[key] == value:
                continue  # refused, and logged with its value for the coordinator
            assert key in kept and kept[key] == value, f"value {value!r} of {tbl}.{field} lost without a trace"

    def check_erased_stay_erased(self) -> None:
        for person, values in self.erased.items():
            for kit in (self.hub, *self.laptops[:HONEST]):
                assert kit.row("person", person) is None, f"erased person back on {kit.replica_id}"
                assert kit.query("SELECT id FROM _sync_conflict WHERE row_id = ?", [person]) == [], (
                    f"conflict copy of an erased person on {kit.replica_id}")  # fmt: skip
                leftovers = [(table, cell) for table, cell in every_cell(kit) if any(v in cell for v in values)]
                assert leftovers == [], f"the erased name or address is still on {kit.replica_id}: {leftovers}"
