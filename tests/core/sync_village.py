"""A hub and laptops as file databases, for the sync merge tests: the village, its
clocks, and helpers to read bundles and the synced state. Shared by test_sync_merge.py,
test_sync_erasure.py, test_sync_returns.py and the hub's UI tests."""

from __future__ import annotations

from pathlib import Path

from wijkkit import schema, store
from wijkkit.hlc import wall_ms
from wijkkit.kit import Kit
from wijkkit.sync import bundle, exchange, keys, merge, scope
from wijkkit.sync.bundle import Payload

PRIVATE = merge.PRIVATE_PERSON_FIELDS


class Clock:
    """Real time plus an offset the test can move (ms): the laptops' own wall clocks."""

    def __init__(self, offset: int = 0, frozen: int | None = None) -> None:
        self.offset, self.frozen = offset, frozen

    def __call__(self) -> int:
        return self.frozen if self.frozen is not None else wall_ms() + self.offset


class Village:
    """A hub and laptops sharing one folder: ``inbox`` for bundles, ``outbox/<replica>`` for returns.

    Each laptop receives only the neighbourhoods it serves (scope.py), so the hub makes one
    neighbourhood, ``wijk`` ("Ellerveen"), and assigns it to every laptop: what the laptops
    make in it (meetings, people, agreements on its meetings) reaches all of them. A
    neighbourhood a laptop creates itself is that laptop's alone unless the hub assigns it."""

    def __init__(self, root: Path, laptops: tuple[str, ...] = ("a", "b"), clocks: dict[str, Clock] | None = None):
        self.root, self.inbox, self.outbox = root, root / "inbox", root / "outbox"
        self.hub = Kit.open(root / "hub.sqlite")
        keys.export_hub_key(self.hub, root / "hub.key", "Gemeente Veldhorst")
        self.wijk = self.hub.insert("neighbourhood", {"name": "Ellerveen", "municipality": "Veldhorst"})
        self.clocks = clocks or {}
        self.laptops: dict[str, Kit] = {}
        for name in laptops:
            self.clocks.setdefault(name, Clock())
            kit = Kit.open(root / f"{name}.sqlite", clock=self.clocks[name])
            keys.join(kit, root / "hub.key")
            self.laptops[name] = kit
            exchange.export(kit, self.inbox)
        report = exchange.merge_inbox(self.hub, self.inbox)
        assert sorted(r for _f, r in report.waiting) == sorted(k.replica_id for k in self.laptops.values())
        for kit in self.laptops.values():
            keys.trust(self.hub, kit.replica_id, keys.own_fingerprint(kit))
            scope.assign(self.hub, kit.replica_id, [self.wijk])
        self.merge()
        for kit in self.laptops.values():
            self.take_returns(kit)
            assert kit.row("neighbourhood", self.wijk) is not None, "the shared neighbourhood did not arrive"

    def __getattr__(self, name: str) -> Kit:
        try:
            return self.__dict__["laptops"][name]
        except KeyError:
            raise AttributeError(name) from None

    def close(self) -> None:
        for kit in (self.hub, *self.laptops.values()):
            kit.close()

    def export(self, kit: Kit) -> Path:
        return exchange.export(kit, self.inbox)

    def merge(self) -> exchange.Report:
        report = exchange.merge_inbox(self.hub, self.inbox, self.outbox)
        assert not report.refused, [e.english() for e in report.refused]
        for path in self.inbox.iterdir():  # a merged bundle leaves the shared folder
            path.unlink()
        return report

    def take_returns(self, kit: Kit) -> exchange.Report:
        files = sorted((self.outbox / kit.replica_id).glob("*" + bundle.SUFFIX))
        report = exchange.import_files(kit, files)
        assert not report.refused, [e.english() for e in report.refused]
        for path in files:
            path.unlink()
        return report

    def sync(self, *kits: Kit, rounds: int = 2) -> None:
        """Everybody exports, the hub merges and answers, everybody imports; ``rounds`` times."""
        kits = kits or tuple(self.laptops.values())
        for _ in range(rounds):
            for kit in kits:
                self.export(kit)
            self.merge()
            for kit in kits:
                self.take_returns(kit)


def read_bundle(receiver: Kit, path: Path, sign_key: str) -> Payload:
    """What a bundle file holds, opened the way the receiver opens it."""
    envelope = bundle.open_envelope(path)
    bundle.verify(path, envelope, sign_key)
    plain = bundle.decrypt(path, envelope, keys.age_identity(receiver))
    return bundle.parse(path, plain, {t: receiver.columns(t) for t in receiver.tables}, schema.schema_version(),
                        wall_ms())  # fmt: skip


def laptop_bundle(village: Village, kit: Kit) -> Payload:
    """Export ``kit`` and read the bundle as the hub would (the file stays in the inbox)."""
    return read_bundle(village.hub, village.export(kit), keys.public_sign_key(kit))


def dump(kit: Kit) -> str:
    return "\n".join(store.iterdump(kit.conn))


def synced(kit: Kit) -> dict[str, list[tuple]]:
    return {t: kit.conn.execute(f"SELECT * FROM [{t}] ORDER BY id").fetchall() for t in kit.tables}


def version(kit: Kit, table: str, row_id: str, field: str) -> tuple[int, str] | None:
    found = kit.conn.execute("SELECT hlc, replica FROM _field_version WHERE tbl = ? AND row_id = ? AND field = ?",
                             [table, row_id, field]).fetchone()  # fmt: skip
    return tuple(found) if found else None


def conflicts(kit: Kit, row_id: str | None = None) -> list[dict]:
    found = kit.query("SELECT * FROM _sync_conflict ORDER BY id")
    return [c for c in found if row_id is None or c["row_id"] == row_id]


def value(kit: Kit, table: str, row_id: str, field: str):
    row = kit.row(table, row_id)
    return None if row is None else row[field]


def everywhere(village: Village) -> list[Kit]:
    return [village.hub, *village.laptops.values()]


def who(village: Village, kit: Kit) -> str:
    return "the hub" if kit is village.hub else "laptop " + next(n for n, k in village.laptops.items() if k is kit)
