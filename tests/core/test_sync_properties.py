"""Sync as a state machine: three laptops with wrong and jumping clocks, a hub, bundles in any order.

Hypothesis edits on the laptops (insert, update, delete, erase), exports bundles, delivers
them to the hub in any order and sometimes twice, lets the hub edit and answer, and the
laptops import their answers in any order. At the end everybody syncs until nothing is
left in transit, and then:

* every replica holds the same content in every synced table (names and contact details
  of people who did not agree to share them stay on the laptop that has them);
* the hub's content does not depend on the order its bundles arrived in (the same bundles
  replayed on copies of the hub in two orders give the same tables);
* a bundle applied twice equals once;
* every value a laptop ever exported is current, was replaced knowingly (by a write that
  had seen it), belongs to a deleted row, or is kept in the hub's ``_sync_conflict``;
* an erased person never comes back: no row, no conflict copy, no value anywhere.

Conflicts are resolved now and then, on the laptops and at the hub, with each of the three choices.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sqlite3
import sys
import tempfile
from datetime import datetime
from pathlib import Path

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from wijkkit import privacy, schema
from wijkkit.errors import StillReferencedError
from wijkkit.hlc import wall_ms
from wijkkit.kit import Kit
from wijkkit.sync import bundle, exchange, keys, merge
from wijkkit.sync.bundle import Payload

LAPTOPS = 3
HOUR = 3600 * 1000
PRIVATE = merge.PRIVATE_PERSON_FIELDS
STATUSES = ("open", "in_progress", "done", "stalled", "dropped")
TEXT = st.text(alphabet="abcdeéëŞıß '-", max_size=8)
FIELDS = {
    "neighbourhood": {"name": TEXT, "notes": TEXT, "kind": st.sampled_from(["wijk", "kern", "buurt"])},
    "person": {"name": TEXT, "notes": TEXT, "role": st.sampled_from(["inwoner", "vrijwilliger"]),
               "email": TEXT, "consent_share": st.sampled_from([0, 1])},
    "agreement": {"title": TEXT, "description": TEXT, "status": st.sampled_from(STATUSES)},
}  # fmt: skip


# -- a hub and three joined, trusted laptops, made once and copied for every example ---------------------


_TEMPLATE: list[Path] = []


def template() -> Path:
    """Made through the real protocol, one command at a time (a fresh Kit for every step, as the
    command line does); laptop 0's first rows are on every replica already."""
    if not _TEMPLATE:
        folder = Path(tempfile.mkdtemp(prefix="wijkkit-sync-template-"))
        atexit.register(shutil.rmtree, folder, True)
        inbox, outbox = folder / "inbox", folder / "outbox"
        hub_path, laptops = folder / "hub.sqlite", [folder / f"laptop{n}.sqlite" for n in range(LAPTOPS)]
        with Kit.open(hub_path) as hub:
            keys.export_hub_key(hub, folder / "hub.key", "Hub")
        replicas = []
        for path in laptops:
            with Kit.open(path) as laptop:
                keys.join(laptop, folder / "hub.key")
                replicas.append(laptop.replica_id)
        with Kit.open(laptops[0]) as first:
            wijken = [first.insert("neighbourhood", {"name": name}) for name in ("Ellerveen", "Esweg")]
            people = [first.insert("person", {"name": f"Buur Zaad{n}", "email": f"b{n}@example.nl",
                                               "consent_share": int(n != 1), "neighbourhood_id": wijken[n % 2]})
                      for n in range(3)]  # fmt: skip
            for n, title in enumerate(("Koffieochtend", "Buurtbus")):
                first.insert("agreement", {"title": title, "status": "open", "owner_person_id": people[n]})
        for round_ in range(3):
            for path in laptops:
                with Kit.open(path) as laptop:
                    exchange.export(laptop, inbox)
            with Kit.open(hub_path) as hub:
                if round_ == 0:
                    assert exchange.merge_inbox(hub, inbox).waiting
                    for replica in replicas:
                        keys.trust(hub, replica)
                exchange.merge_inbox(hub, inbox, outbox)
            for path in inbox.iterdir():
                path.unlink()
            for path, replica in zip(laptops, replicas, strict=True):
                with Kit.open(path) as laptop:
                    exchange.import_files(laptop, sorted((outbox / replica).glob("*.wijksync")))
                shutil.rmtree(outbox / replica)
        with Kit.open(hub_path) as hub:
            seed = synced_tables(hub, masked=True)
        for path in laptops:
            with Kit.open(path) as laptop:
                assert synced_tables(laptop, masked=True) == seed, f"the seed did not reach {path.name}"
        shutil.rmtree(inbox)
        (folder / "made_at").write_text(str(wall_ms()))
        _TEMPLATE.append(folder)
    return _TEMPLATE[0]


class World:
    """Virtual time (ms) shared by everybody; each laptop's clock is off by its own offset.

    It starts just after the template was made, the same for every example of a run, so that
    a replayed example stamps exactly as before (Hypothesis needs every run of it to behave alike).
    """

    def __init__(self) -> None:
        self.now = int((template() / "made_at").read_text()) + 60_000
        self.offsets = [0] * LAPTOPS

    def hub_clock(self) -> int:
        return self.now

    def laptop_clock(self, n: int):
        return lambda: self.now + self.offsets[n]


def synced_tables(kit: Kit, masked: bool) -> dict[str, list[tuple]]:
    found = {}
    for table in kit.tables:
        cursor = kit.conn.execute(f"SELECT * FROM [{table}] ORDER BY id")
        columns = [c[0] for c in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor]
        if masked and table == "person":
            for row in rows:
                if not row["consent_share"]:
                    row.update(dict.fromkeys(PRIVATE))
        found[table] = [tuple(row.values()) for row in rows]
    return found


def versions_of(kit: Kit) -> list[tuple]:
    return kit.conn.execute("SELECT * FROM _field_version ORDER BY tbl, row_id, field").fetchall()


def every_cell(kit: Kit) -> list[tuple[str, object]]:
    cells = []
    for (table,) in kit.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
        for row in kit.conn.execute(f"SELECT * FROM [{table}]"):
            cells += [(table, cell) for cell in row if isinstance(cell, str)]
    return cells


class SyncMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="wijkkit-sync-prop-"))
        for path in template().glob("*.sqlite"):
            shutil.copy(path, self.dir / path.name)
        self.world = World()
        self.hub = Kit.open(self.dir / "hub.sqlite", clock=self.world.hub_clock)
        self.laptops = [Kit.open(self.dir / f"laptop{n}.sqlite", clock=self.world.laptop_clock(n))
                        for n in range(LAPTOPS)]  # fmt: skip
        self.sent, self.inbox, self.outbox = self.dir / "sent", self.dir / "inbox", self.dir / "outbox"
        self.inbox.mkdir()
        self.pending: list[Path] = []  # exported, not yet at the hub
        self.delivered: list[Path] = []  # at the hub (merged or refused), in arrival order
        self.exported: dict[tuple, object] = {}  # (tbl, row_id, field, hlc, replica) -> value
        self.versions: dict[tuple, tuple] = {}  # every version seen anywhere -> its base
        self.erased: dict[str, str] = {}  # person id -> the name it had where it was erased
        self.answers: list[list[Path]] = [[] for _ in range(LAPTOPS)]  # return bundles, in the order written
        self.names = self.rows = 0

    def teardown(self) -> None:
        try:
            if sys.exc_info()[0] is None:  # a step failed: that failure is the one to report
                self.check_everything()
        finally:
            for kit in (self.hub, *self.laptops):
                kit.close()
            shutil.rmtree(self.dir, ignore_errors=True)

    # -- helpers ------------------------------------------------------------------------------------

    def ids(self, kit: Kit, table: str) -> list[str]:
        return [r[0] for r in kit.conn.execute(f"SELECT id FROM [{table}] ORDER BY id")]

    def note_versions(self) -> None:
        for kit in (self.hub, *self.laptops):
            for tbl, row_id, field, stamp, replica, base_hlc, base_replica in versions_of(kit):
                self.versions[(tbl, row_id, field, stamp, replica)] = (base_hlc, base_replica)

    def export(self, n: int) -> None:
        path = exchange.export(self.laptops[n], self.sent)
        envelope = bundle.open_envelope(path)
        plain = bundle.decrypt(path, envelope, keys.age_identity(self.hub))
        payload = bundle.parse(path, plain, {t: self.hub.columns(t) for t in self.hub.tables},
                               schema.schema_version(), wall_ms())  # fmt: skip
        for tbl, row_id, field, value, stamp, replica, _bh, _br in payload.changes:
            self.exported[(tbl, row_id, field, stamp, replica)] = value
        self.pending.append(path)

    def deliver(self, path: Path, name: str | None = None) -> exchange.Report:
        target = self.inbox / (name or path.name)
        shutil.copy(path, target)
        try:
            report = exchange.merge_inbox(self.hub, self.inbox)
        finally:
            target.unlink()
        assert report.refused == [], [e.english() for e in report.refused]
        assert report.waiting == []
        return report

    def take_return(self, n: int, path: Path) -> None:
        report = exchange.import_files(self.laptops[n], [path])
        path.unlink()
        assert report.refused == [], [e.english() for e in report.refused]

    def new_id(self) -> str:
        """Row ids in creation order (random ids would make a replayed example pick other rows)."""
        self.rows += 1
        return f"01900000-0000-7000-8000-{self.rows:012d}"

    def write_returns(self) -> None:
        for path in exchange.write_returns(self.hub, self.outbox):
            n = next(i for i, kit in enumerate(self.laptops) if kit.replica_id == path.parent.name)
            if path not in self.answers[n]:  # the same contents get the same name: written once
                self.answers[n].append(path)

    def returns(self, n: int) -> list[Path]:
        return [path for path in self.answers[n] if path.exists()]

    # -- rules: time --------------------------------------------------------------------------------

    @rule(ms=st.integers(1, 120_000))
    def time_passes(self, ms):
        self.world.now += ms

    @rule(n=st.integers(0, LAPTOPS - 1), offset=st.integers(-2 * HOUR, 2 * HOUR))
    def a_laptop_clock_jumps(self, n, offset):
        self.world.offsets[n] = offset

    # -- rules: edits on a laptop ---------------------------------------------------------------------

    @rule(n=st.integers(0, LAPTOPS - 1), name=TEXT, kind=st.sampled_from(["wijk", "kern"]))
    def insert_neighbourhood(self, n, name, kind):
        self.laptops[n].insert("neighbourhood", {"name": name, "kind": kind}, self.new_id())
        self.note_versions()

    @rule(n=st.integers(0, LAPTOPS - 1), name=TEXT, share=st.sampled_from([0, 1]), data=st.data())
    def insert_person(self, n, name, share, data):
        kit = self.laptops[n]
        self.names += 1
        wijken = self.ids(kit, "neighbourhood")
        wijk = data.draw(st.sampled_from(wijken)) if wijken and data.draw(st.booleans()) else None
        kit.insert("person", {"name": f"{name} Persoon{self.names:03d}", "email": f"p{self.names:03d}@example.nl",
                              "consent_share": share, "neighbourhood_id": wijk}, self.new_id())  # fmt: skip
        self.note_versions()

    @rule(n=st.integers(0, LAPTOPS - 1), title=TEXT, status=st.sampled_from(STATUSES), data=st.data())
    def insert_agreement(self, n, title, status, data):
        kit = self.laptops[n]
        people = self.ids(kit, "person")
        owner = data.draw(st.sampled_from(people)) if people and data.draw(st.booleans()) else None
        kit.insert("agreement", {"title": title, "status": status, "owner_person_id": owner}, self.new_id())
        self.note_versions()

    @rule(n=st.integers(0, LAPTOPS - 1), table=st.sampled_from(sorted(FIELDS)), data=st.data())
    def update_a_field(self, n, table, data):
        kit = self.laptops[n]
        rows = self.ids(kit, table)
        if not rows:
            return
        row_id = data.draw(st.sampled_from(rows))
        field = data.draw(st.sampled_from(sorted(FIELDS[table])))
        kit.update(table, row_id, {field: data.draw(FIELDS[table][field])})
        self.note_versions()

    @rule(n=st.integers(0, LAPTOPS - 1), table=st.sampled_from(sorted(FIELDS)), data=st.data())
    def delete_a_row(self, n, table, data):
        kit = self.laptops[n]
        rows = self.ids(kit, table)
        if not rows:
            return
        try:
            kit.delete(table, data.draw(st.sampled_from(rows)))
        except StillReferencedError:
            pass
        self.note_versions()

    @rule(n=st.integers(0, LAPTOPS - 1), data=st.data())
    def erase_a_person(self, n, data):
        kit = self.laptops[n]
        people = self.ids(kit, "person")
        if not people:
            return
        person = data.draw(st.sampled_from(people))
        name = kit.row("person", person)["name"] or ""
        self.erased[person] = name if "Persoon" in name or "Zaad" in name else ""  # not a name edited to a few letters
        privacy.erase_person(kit, person)
        self.note_versions()

    # -- rules: moving bundles ------------------------------------------------------------------------

    @rule(n=st.integers(0, LAPTOPS - 1))
    def a_laptop_exports(self, n):
        self.export(n)

    @precondition(lambda self: self.pending)
    @rule(data=st.data())
    def a_bundle_reaches_the_hub(self, data):
        path = self.pending.pop(data.draw(st.integers(0, len(self.pending) - 1)))
        report = self.deliver(path)
        assert [n for n, _r in report.applied] + report.already == [path.name]
        self.delivered.append(path)
        self.note_versions()

    @precondition(lambda self: self.delivered)
    @rule(data=st.data())
    def a_bundle_reaches_the_hub_again(self, data):
        path = data.draw(st.sampled_from(self.delivered))
        before = "\n".join(self.hub.conn.iterdump())
        report = self.deliver(path, name=f"{path.stem} (conflict copy){path.suffix}")
        assert report.already == [f"{path.stem} (conflict copy){path.suffix}"]
        assert "\n".join(self.hub.conn.iterdump()) == before

    @rule(data=st.data(), status=st.sampled_from(STATUSES))
    def the_hub_changes_an_agreement(self, data, status):
        agreements = self.ids(self.hub, "agreement")
        if not agreements:
            return
        self.world.now += 1_000  # the latest status is the one with the latest time (in seconds)
        moment = datetime.fromtimestamp(self.world.now / 1000)
        self.hub.agreements.update_status(data.draw(st.sampled_from(agreements)), status, "hub", at=moment)
        self.note_versions()

    @rule(n=st.integers(0, LAPTOPS - 1))
    def a_laptop_syncs_at_once(self, n):
        """Export, merge, answer, import: the usual end of a meeting evening."""
        self.export(n)
        path = self.pending.pop()
        self.deliver(path)
        self.delivered.append(path)
        self.write_returns()
        for answer in self.returns(n):
            self.take_return(n, answer)
        self.note_versions()

    @rule()
    def the_hub_answers(self):
        self.write_returns()

    @rule(n=st.integers(0, LAPTOPS - 1), data=st.data())
    def a_laptop_imports_an_answer(self, n, data):
        waiting = self.returns(n)
        if waiting:
            self.take_return(n, data.draw(st.sampled_from(waiting)))
            self.note_versions()

    @rule(who=st.integers(0, LAPTOPS), keep=st.sampled_from(["mine", "theirs", "resolved"]), data=st.data())
    def a_conflict_is_resolved(self, who, keep, data):
        """On a laptop (0..2) or at the hub (3)."""
        kit = self.hub if who == LAPTOPS else self.laptops[who]
        waiting = merge.open_conflicts(kit)
        if waiting:
            merge.resolve(kit, data.draw(st.sampled_from([c["id"] for c in waiting])), keep)
            self.note_versions()

    @invariant()
    def an_erased_person_has_no_row_at_the_hub(self):
        erased = self.hub.conn.execute("SELECT row_id FROM _tombstone WHERE erased = 1 AND tbl = 'person'").fetchall()
        for (person,) in erased:
            assert self.hub.row("person", person) is None
            assert self.hub.query("SELECT id FROM _sync_conflict WHERE row_id = ?", [person]) == []

    # -- the end: sync everything, then check ---------------------------------------------------------

    def sync_everything(self) -> None:
        for path in reversed(self.pending):  # what was still on its way arrives, newest first
            self.deliver(path)
            self.delivered.append(path)
        self.pending = []
        for _ in range(3):
            for n in range(LAPTOPS):
                self.world.now += 10
                self.export(n)
                path = self.pending.pop()
                self.deliver(path)
                self.delivered.append(path)
            self.write_returns()
            for n in range(LAPTOPS):
                for path in reversed(self.returns(n)):  # answers in any order: newest first
                    self.take_return(n, path)
        self.note_versions()

    def check_everything(self) -> None:
        self.sync_everything()
        hub = synced_tables(self.hub, masked=True)
        for n, laptop in enumerate(self.laptops):
            mine = synced_tables(laptop, masked=True)
            for table in hub:
                assert mine[table] == hub[table], f"laptop {n} differs from the hub in {table}"
        self.check_order_does_not_matter()
        self.check_no_value_lost()
        self.check_erased_stay_erased()

    def replay(self, order: list[Path]) -> Kit:
        """A copy of the hub as it was before the first bundle, fed ``order`` one file at a time."""
        folder = Path(tempfile.mkdtemp(dir=self.dir))
        shutil.copy(template() / "hub.sqlite", folder / "hub.sqlite")
        copy = Kit.open(folder / "hub.sqlite")
        (folder / "inbox").mkdir()
        for path in order:
            target = folder / "inbox" / path.name
            shutil.copy(path, target)
            report = exchange.merge_inbox(copy, folder / "inbox")
            target.unlink()
            assert report.refused == []
        return copy

    def check_order_does_not_matter(self) -> None:
        distinct = list(dict.fromkeys(self.delivered))
        with self.replay(distinct) as forward, self.replay(distinct[::-1]) as backward:
            assert synced_tables(forward, masked=False) == synced_tables(backward, masked=False)
            assert versions_of(forward) == versions_of(backward)
            # applied once more, bypassing the bookkeeping of applied bundles: nothing changes
            before = synced_tables(forward, masked=False), versions_of(forward)
            for n, path in enumerate(distinct):
                envelope = bundle.open_envelope(path)
                plain = bundle.decrypt(path, envelope, keys.age_identity(forward))
                payload = bundle.parse(path, plain, {t: forward.columns(t) for t in forward.tables},
                                       schema.schema_version(), wall_ms())  # fmt: skip
                again = Payload({**payload.manifest, "bundle_id": f"again-{n}"}, payload.changes, payload.tombstones)
                result = merge.apply(forward, again, f"again-{n}", f"again-{n}")
                assert (result.applied, result.deleted) == (0, 0)
            assert (synced_tables(forward, masked=False), versions_of(forward)) == before

    def check_no_value_lost(self) -> None:
        hub = self.hub
        current = {(r[0], r[1], r[2]): (r[3], r[4]) for r in versions_of(hub)}
        kept = {(c["tbl"], c["row_id"], c["field"], c["hlc"], c["replica"]): c["value"]
                for c in hub.query("SELECT * FROM _sync_conflict")}  # fmt: skip
        bases = {(key[:3], base) for key, base in self.versions.items()}
        for key, value in self.exported.items():
            tbl, row_id, field, stamp, replica = key
            if hub.is_deleted(tbl, row_id):
                continue
            if current.get((tbl, row_id, field)) == (stamp, replica):
                assert hub.row(tbl, row_id)[field] == value
                continue
            if ((tbl, row_id, field), (stamp, replica)) in bases:
                continue  # replaced by a write that had seen it
            if any(k[:3] == key[:3] and k[4] == replica and k[3] > stamp for k in self.versions):
                continue  # replaced by its own writer
            assert key in kept and kept[key] == value, f"value {value!r} of {tbl}.{field} lost without a trace"

    def check_erased_stay_erased(self) -> None:
        for person, name in self.erased.items():
            for kit in (self.hub, *self.laptops):
                assert kit.row("person", person) is None, f"erased person back on {kit.replica_id}"
                assert kit.query("SELECT id FROM _sync_conflict WHERE row_id = ?", [person]) == [], (
                    f"conflict copy of an erased person on {kit.replica_id}")  # fmt: skip
                leftovers = [(table, cell) for table, cell in every_cell(kit) if name and name in cell]
                assert leftovers == [], f"the erased name is still on {kit.replica_id}: {leftovers}"


# Shrinking a failing run of this machine can take minutes; it is off unless asked for with
# WIJKKIT_SYNC_SHRINK=1 (the failing run is printed step by step either way).
SyncMachine.TestCase.settings = settings(
    max_examples=40, stateful_step_count=30, deadline=None,
    phases=list(Phase) if os.environ.get("WIJKKIT_SYNC_SHRINK") else [Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)  # fmt: skip
TestSync = SyncMachine.TestCase


def test_the_template_is_a_hub_with_three_trusted_laptops():
    with Kit.open(template() / "hub.sqlite") as hub:
        assert [p.trusted for p in keys.peers(hub)] == [1] * LAPTOPS
    with sqlite3.connect(template() / "laptop0.sqlite") as conn:
        assert conn.execute("SELECT value FROM _meta WHERE key = 'sync_role'").fetchone() == ("laptop",)
