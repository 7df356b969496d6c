"""A hub with trusted laptops, and bundle-making tools, shared by the bundle, fuzz and crash tests;
and the ``wijkkit`` command line, shared by the command-line sync tests.

It exists so that the refusal tests (``test_sync_bundles``), the fuzzing (``test_sync_fuzz``)
and the hub-merge crash test (``test_crash_merge``) build hubs, laptops and hand-made bundles
the same way instead of each keeping a copy, and so that ``test_sync_cli`` and
``test_sync_trust_scenario`` run commands the same way (``CommandLine``). Nothing here is
collected as a test.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
import struct
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from wijkkit import schema, store
from wijkkit.cli import main
from wijkkit.hlc import wall_ms
from wijkkit.kit import Kit
from wijkkit.sync import exchange, keys, merge
from wijkkit.sync.bundle import MAGIC, PAYLOAD_SCHEMA

ROOT = Path(__file__).resolve().parents[2]
LEFTOVERS = ("-wal", "-journal", "-shm")


# why a bundle is refused, as the English messages say it
CUT_SHORT = "it is not a Wijkkit bundle, or it is cut short."
BAD_SIGNATURE = "its signature does not match: the file was changed or damaged."
BAD_HEADER = "its header is damaged."
DAMAGED = "its contents are damaged."
OTHER_KEY = "it is signed with another key than the one known for"


class CommandLine:
    """``wijkkit`` commands run as the municipality's scripts run them (``wijkkit.cli.main``), with
    what each printed (caught by pytest's ``capsys``)."""

    def __init__(self, capsys) -> None:
        self.capsys = capsys

    def run(self, *args: str | Path, code: int = 0) -> tuple[str, str]:
        """One command: its output and error text, once it gave exit code ``code``."""
        self.capsys.readouterr()
        got = main([str(a) for a in args])
        out, err = self.capsys.readouterr()
        assert got == code, f"wijkkit {' '.join(map(str, args))} gave {got}\n{out}\n{err}"
        return out, err

    def json(self, *args: str | Path) -> object:
        """What a command printed with ``--json``."""
        return json.loads(self.run(*args, "--json")[0])


class Clock:
    """Real time plus a fixed offset (ms): a laptop whose date is wrong."""

    def __init__(self, offset: int = 0) -> None:
        self.offset = offset

    def __call__(self) -> int:
        return wall_ms() + self.offset


@dataclass
class Hub:
    """A hub database that stays closed between merges, and one trusted laptop (kept open)."""

    root: Path
    path: Path
    key_file: Path
    laptop: Kit
    runs: int = 0

    def bytes(self) -> bytes:
        """The whole hub database: after a clean close SQLite leaves no -wal or journal file."""
        for suffix in LEFTOVERS:
            leftover = self.path.with_name(self.path.name + suffix)
            assert not leftover.exists(), f"the hub left a {suffix} file behind"
        return self.path.read_bytes()

    def digest(self) -> str:
        """The hub's logical state: every table but the memory of refused files (which exists so that
        a refused file is not read again) and the folder the last merge wrote return bundles to (each
        merge with an outbox records it, ``sync_outbox``), after a clean close (no -wal or journal file)."""
        self.bytes()
        with contextlib.closing(store.raw_connection(self.path)) as conn:  # through the file's key
            dump = [line for line in store.iterdump(conn) if '"_sync_rejected_file"' not in line
                    and not line.startswith("INSERT INTO \"_meta\" VALUES('sync_outbox',")]  # fmt: skip
        conn.close()
        return hashlib.sha256("\n".join(dump).encode()).hexdigest()

    def merge(self, files: dict[str, bytes], outbox: bool = False) -> exchange.Report:
        """Merge exactly these files from a fresh inbox; the hub is closed again afterwards."""
        self.runs += 1
        inbox = self.root / f"inbox{self.runs}"
        inbox.mkdir()
        for name, data in files.items():
            (inbox / name).write_bytes(data)
        with Kit.open(self.path) as hub:
            return exchange.merge_inbox(hub, inbox, self.root / f"outbox{self.runs}" if outbox else None)

    def join(self, name: str, clock: Clock | None = None) -> Kit:
        """A new laptop, known and trusted at the hub."""
        kit = Kit.open(self.root / f"{name}.sqlite", clock=clock or Clock())
        keys.join(kit, self.key_file)
        first = exchange.export(kit, self.root / f"first-{name}")
        report = self.merge({first.name: first.read_bytes()})
        assert report.waiting == [(first.name, kit.replica_id)]
        with Kit.open(self.path) as hub:
            keys.trust(hub, kit.replica_id, keys.own_fingerprint(kit))
        return kit


@contextlib.contextmanager
def open_hub(root: Path) -> Iterator[Hub]:
    """A fresh hub in ``root`` with one trusted laptop, closed afterwards."""
    path, key_file = root / "hub.sqlite", root / "hub.key"
    with Kit.open(path) as opened:
        keys.export_hub_key(opened, key_file, "Gemeente Veldhorst")
    made = Hub(root, path, key_file, laptop=None)  # type: ignore[arg-type]
    made.laptop = made.join("laptop")
    try:
        yield made
    finally:
        made.laptop.close()


def export(kit: Kit, folder: Path) -> tuple[str, bytes]:
    path = exchange.export(kit, folder)
    return path.name, path.read_bytes()


def valid_bundle(hub: Hub) -> tuple[str, bytes]:
    """One good bundle of the trusted laptop, with a little of everything in it."""
    kit = hub.laptop
    wijk = kit.insert("neighbourhood", {"name": "Ellerveen", "municipality": "Veldhorst"})
    kit.people.add("Anneke Bosma", consent_share=1, neighbourhood_id=wijk)
    kit.people.add("Nguyễn Thị Minh Khai", consent_share=0)
    meeting = kit.sessions.add("Eerste avond", "2026-12-15T19:30", "2026-12-15T22:00", neighbourhood_id=wijk)
    kit.agreements.add("Koffieochtend", meeting)
    gone = kit.insert("neighbourhood", {"name": "Weg"})
    kit.delete("neighbourhood", gone)
    return export(kit, hub.root / "valid")


def header_span(data: bytes) -> tuple[int, int]:
    """Start and end of the header JSON in a bundle."""
    start = len(MAGIC) + 4
    (length,) = struct.unpack(">I", data[len(MAGIC): start])
    return start, start + length


def flip(data: bytes, at: int) -> bytes:
    changed = bytearray(data)
    changed[at] ^= 0x01
    return bytes(changed)


def seal_raw(plain: bytes, sender: str, bundle_id: str, signer: Kit, header_key: str | None = None,
             to: Kit | str | None = None) -> bytes:  # fmt: skip
    """A bundle around any plaintext, signed by ``signer`` (its key named in the header unless told)."""
    import pyrage
    from pyrage import x25519

    recipient = to if isinstance(to, str) else keys.hub_of(signer).age_recipient if to is None else keys.age_recipient(to)
    ciphertext = pyrage.encrypt(plain, [x25519.Recipient.from_str(recipient)])
    header = json.dumps({"format": 1, "sender": sender, "bundle_id": bundle_id,
                         "sign_key": header_key or keys.public_sign_key(signer),
                         "age_recipient": keys.age_recipient(signer)}).encode()  # fmt: skip
    signature = keys.signing_key(signer).sign(MAGIC + header + hashlib.sha256(ciphertext).digest())
    return MAGIC + struct.pack(">I", len(header)) + header + signature + ciphertext


def hostile_id(kit: Kit) -> str:
    """The bundle id ``payload_db`` writes unless told: a bundle's id starts with its sender's."""
    return f"{kit.replica_id}-hostile"


def manifest(kit: Kit, bundle_id: str, **changes: object) -> dict:
    found = {"format": 1, "sender": kit.replica_id, "bundle_id": bundle_id,
             "schema_version": schema.schema_version(), "known": merge.known_vector(kit)}  # fmt: skip
    found.update(changes)
    return found


def payload_db(kit: Kit, *, script: str = PAYLOAD_SCHEMA, manifest_rows: dict | None = None,
               changes: list[tuple] = (), tombstones: list[tuple] = (), raw_manifest: list[tuple] = (),
               after: str = "") -> bytes:  # fmt: skip
    """A payload database made by hand; ``after`` is SQL run once the rows are in."""
    conn = sqlite3.connect(":memory:")
    conn.executescript(script)
    rows = manifest_rows if manifest_rows is not None else manifest(kit, hostile_id(kit))
    conn.executemany("INSERT INTO manifest VALUES (?, ?)", [(k, json.dumps(v)) for k, v in rows.items()])
    conn.executemany("INSERT INTO manifest VALUES (?, ?)", list(raw_manifest))
    if changes:
        conn.executemany(f"INSERT INTO change VALUES ({', '.join('?' * len(changes[0]))})", changes)
    if tombstones:
        conn.executemany(f"INSERT INTO tombstone VALUES ({', '.join('?' * len(tombstones[0]))})", tombstones)
    if after:
        conn.executescript(after)
    conn.commit()
    data = conn.serialize()
    conn.close()
    return data


# A payload that stands for far more than its bytes is parsed in a child process with a
# memory limit (on Linux; elsewhere the timeout): a regression shows as a refusal that never
# comes, not as a swapping machine.
PARSE_CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from tests.portable import limit_memory, peak_memory_mb
    limit_memory(1_500_000_000)
    from wijkkit import schema
    from wijkkit.hlc import wall_ms
    from wijkkit.kit import Kit
    from wijkkit.sync.bundle import BundleError, parse
    plain = Path(sys.argv[1]).read_bytes()
    kit = Kit.memory()
    try:
        parse(Path("view.wijksync"), plain, {t: kit.columns(t) for t in kit.tables}, schema.schema_version(),
              wall_ms())
    except BundleError as error:
        print("refused:", error.english(), end="")
    except MemoryError:
        print("MemoryError", end="")
    else:
        print("accepted", end="")
    print(f" [peak {peak_memory_mb()} MB]")
    """
)


def parse_in_child(plain: bytes, folder: Path, timeout: float = 20) -> str:
    """What ``bundle.parse`` makes of this payload in a child with 1.5 GB of memory (on Linux), and the
    child's peak memory: ``refused: <reason> [peak 80 MB]``."""
    path = folder / "payload.sqlite"
    path.write_bytes(plain)
    try:
        done = subprocess.run([sys.executable, "-c", PARSE_CHILD, str(path)], capture_output=True, encoding="utf-8",
                              errors="replace", timeout=timeout, cwd=ROOT)  # fmt: skip
    except subprocess.TimeoutExpired:
        return f"still reading after {timeout:g} s"
    return done.stdout.strip() or done.stderr.strip()[-300:]
