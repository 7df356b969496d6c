"""Bundles through a real Syncthing: a laptop and the hub, two instances on loopback.

``tests/core/test_sync_cli.py`` moves bundles through one plain folder. In the field
the folder is synced by a tool, and Syncthing writes every incoming file under a
temporary name (``.syncthing.NAME.tmp``, ``~syncthing~NAME.tmp`` on Windows) before
renaming it. This test runs two real Syncthing instances: the laptop's outbox is
shared with the hub's inbox, the hub's outbox for this laptop with the laptop's
inbox. It checks that an exported bundle arrives and merges, that the hub, merging
again and again while a large bundle is on its way, never reads a temporary or
partial file (nor planted fake ones), and that the hub's answer gets back.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import string
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest

from tests.transport.syncthing import BINARY, Syncthing, wait_for
from wijkkit.cli import main
from wijkkit.kit import Kit
from wijkkit.sync import exchange
from wijkkit.sync.bundle import is_bundle_name

pytestmark = pytest.mark.only_on(
    "linux", reason="runs Debian's syncthing, which .ci/run installs (the release runners on Windows and macOS have "
    "none), and finds the Syncthing child its monitor leaves behind through /proc"
)

TO_HUB, FROM_HUB = "wijkkit-to-hub", "wijkkit-from-hub"
TEMP_PREFIXES = (".syncthing.", "~syncthing~")  # Linux and macOS; Windows
SEND_KIBPS = 1500  # the laptop's upload limit: a bundle of some MB takes seconds, long enough to watch
FIRST_ARRIVAL_S = 60  # Syncthing's first connection and index exchange can take a while
TRANSFER_S = 90


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def is_syncthing_temp(name: str) -> bool:
    return name.startswith(TEMP_PREFIXES) and name.endswith(".tmp")


@dataclass
class Pair:
    """A laptop and the hub, each with its database, folders and Syncthing."""

    root: Path
    capsys: pytest.CaptureFixture
    laptop_db: Path = field(init=False)
    hub_db: Path = field(init=False)

    def __post_init__(self) -> None:
        self.laptop_db, self.hub_db = self.root / "laptop.sqlite", self.root / "hub.sqlite"
        self.outbox, self.inbox = self.root / "laptop" / "naar-gemeente", self.root / "laptop" / "van-gemeente"
        self.hub_inbox, self.hub_outbox = self.root / "hub" / "inbox", self.root / "hub" / "outbox"
        self.instances: list[Syncthing] = []  # started ones, stopped by the fixture
        self.laptop_st: Syncthing | None = None
        self.hub_st: Syncthing | None = None

    def run(self, *args: str | Path, code: int = 0) -> str:
        """One ``wijkkit`` command, as the municipality's scripts would run it."""
        self.capsys.readouterr()
        got = main([str(a) for a in args])
        out, err = self.capsys.readouterr()
        assert got == code, f"wijkkit {' '.join(map(str, args))} gave {got}\n{out}\n{err}"
        return out

    def logs(self) -> str:
        return "\n\n".join(instance.log_tail() for instance in self.instances)

    def wait(self, condition, timeout: float, what: str):
        return wait_for(condition, timeout, what, self.instances)

    def arrived(self, sent: Path, folder: Path) -> Path | None:
        """``sent``'s copy in ``folder`` once it is there with exactly the same bytes."""
        copy = folder / sent.name
        return copy if copy.is_file() and sha256(copy) == sha256(sent) else None


@contextmanager
def explained(pair: Pair):
    """Any failure carries the tail of both Syncthing logs."""
    try:
        yield
    except AssertionError as error:
        if "--- syncthing" in str(error):
            raise
        raise AssertionError(f"{error}\n\n{pair.logs()}") from None


@pytest.fixture
def pair(tmp_path, capsys):
    if BINARY is None:
        if os.environ.get("CI"):
            pytest.fail("syncthing is missing on CI: .ci/run must apt-get install it (the transport test never skips there)")
        pytest.skip("install Debian's syncthing to run the transport test")
    pair = Pair(tmp_path, capsys)
    with Kit.open(pair.laptop_db) as kit:
        replica = kit.replica_id
    laptop = Syncthing(tmp_path / "st-laptop", "laptop", max_send_kbps=SEND_KIBPS)
    hub = Syncthing(tmp_path / "st-hub", "hub")
    laptop.add_device(hub)
    hub.add_device(laptop)
    laptop.add_folder(TO_HUB, pair.outbox, "sendonly", hub)
    hub.add_folder(TO_HUB, pair.hub_inbox, "receiveonly", laptop)
    hub.add_folder(FROM_HUB, pair.hub_outbox / replica, "sendonly", laptop)  # where hub merge writes its answer
    laptop.add_folder(FROM_HUB, pair.inbox, "receiveonly", hub)
    pair.laptop_st, pair.hub_st = laptop, hub
    try:
        for instance in (laptop, hub):
            pair.instances.append(instance)
            instance.start()
        pair.wait(lambda: laptop.connected(hub) and hub.connected(laptop), FIRST_ARRIVAL_S, "the two to connect")
        yield pair
    finally:
        for instance in pair.instances:
            instance.stop()


def noise(rng: random.Random, length: int) -> str:
    """Text that hardly compresses, shaped like words."""
    letters = rng.choices(string.ascii_lowercase + "      ", k=length)
    return "".join(letters).strip() or "x"


class RecordingReads:
    """Every path the hub's merge opens as a bundle."""

    def __init__(self, monkeypatch) -> None:
        self.paths: list[str] = []
        self.original = exchange.open_envelope
        monkeypatch.setattr(exchange, "open_envelope", self)

    def __call__(self, path):
        self.paths.append(Path(path).name)
        return self.original(path)


def test_bundles_travel_both_ways_through_syncthing_and_temp_files_are_never_read(pair, monkeypatch,
                                                                                  record_property):  # fmt: skip
    started = time.monotonic()
    with explained(pair):
        seen = _run(pair, monkeypatch)
    record_property("syncthing_temp_files_seen", seen)
    print(f"after Syncthing connected: {time.monotonic() - started:.1f} s; {seen}")  # shown by pytest -s or -rP


def _run(pair: Pair, monkeypatch) -> str:
    key = pair.root / "hub.wijkkey"
    pair.run("hub", "init", "--db", pair.hub_db, "--key-out", key, "--name", "Gemeente Veldhorst")
    with Kit.open(pair.laptop_db) as kit:
        meeting = kit.sessions.add("Buurtavond via Syncthing", "2027-01-12T19:30", "2027-01-12T21:30")
        agreement = kit.agreements.add("Bankje bij de speeltuin", meeting)
    pair.run("sync", "join", "--db", pair.laptop_db, key)

    # 1. a bundle written by `sync export` arrives through Syncthing and merges at the hub
    first = Path(pair.run("sync", "export", "--db", pair.laptop_db, "--to", pair.outbox).strip().removeprefix("wrote "))
    assert first.parent == pair.outbox
    pair.laptop_st.scan(TO_HUB)
    pair.wait(lambda: pair.arrived(first, pair.hub_inbox), FIRST_ARRIVAL_S, f"{first.name} in the hub's inbox")
    out = pair.run("hub", "merge", "--db", pair.hub_db, "--inbox", pair.hub_inbox)
    replica = first.name.rsplit("-", 1)[0]
    assert out.startswith(f"waiting {first.name}: laptop {replica} is not trusted yet"), out
    fingerprint = json.loads(pair.run("sync", "status", "--db", pair.laptop_db, "--json"))["fingerprint"]
    pair.run("hub", "trust", "--db", pair.hub_db, replica, "--fingerprint", fingerprint, "--name", "laptop Veldhorst")
    out = pair.run("hub", "merge", "--db", pair.hub_db, "--inbox", pair.hub_inbox, "--outbox", pair.hub_outbox)
    assert f"merged {first.name}: " in out, out
    with Kit.open(pair.hub_db) as hub:
        assert hub.sessions.get(meeting).title == "Buurtavond via Syncthing"
        assert hub.agreements.get(agreement).title == "Bankje bij de speeltuin"

    # 2. a bundle of some MB: the hub merges over and over while Syncthing writes it
    planted = {
        ".syncthing.planted-000007.wijksync.tmp": os.urandom(4096),
        "~syncthing~planted-000008.wijksync.tmp": b"garbage " * 512,
        # a real bundle's first half, as a stalled transfer leaves it behind
        f".syncthing.{replica}-000099.wijksync.tmp": first.read_bytes()[: first.stat().st_size // 2],
        f"~syncthing~{replica}-000098.wijksync.tmp": first.read_bytes()[: first.stat().st_size // 2],
    }
    for name, data in planted.items():
        (pair.hub_inbox / name).write_bytes(data)
    planted_stat = {name: (pair.hub_inbox / name).stat().st_mtime_ns for name in planted}
    rng = random.Random(8)
    texts = [noise(rng, 1950) for _ in range(2150)]  # about 4 MB of notes, each within live.MAX_TEXT
    with Kit.open(pair.laptop_db) as kit, kit.transaction():
        for n, text in enumerate(texts):
            kit.live.capture(meeting, "note", text, datetime(2027, 1, 12, 20, 0, n % 60).astimezone())
    big = Path(pair.run("sync", "export", "--db", pair.laptop_db, "--to", pair.outbox).strip().removeprefix("wrote "))
    assert big.stat().st_size > 3_500_000, big.stat().st_size
    reads = RecordingReads(monkeypatch)
    seen_temp: dict[str, int] = {}  # Syncthing's own temporary files seen during a poll, largest size
    polls = 0
    pair.laptop_st.scan(TO_HUB)
    deadline = time.monotonic() + TRANSFER_S
    with Kit.open(pair.hub_db) as hub:
        while True:
            for entry in os.scandir(pair.hub_inbox):
                if is_syncthing_temp(entry.name) and entry.name not in planted:
                    try:
                        seen_temp[entry.name] = max(seen_temp.get(entry.name, 0), entry.stat().st_size)
                    except FileNotFoundError:  # renamed in the meantime
                        pass
            report = exchange.merge_inbox(hub, pair.hub_inbox)
            polls += 1
            assert not report.refused, f"poll {polls} refused {[e.english() for e in report.refused]}"
            assert not report.waiting, report.waiting
            names = [n for n, _r in report.applied] + report.already
            assert sorted(names) == sorted(set(names)) and all(is_bundle_name(Path(n)) for n in names), names
            assert not [n for n in names if is_syncthing_temp(n)], names
            if [n for n, _r in report.applied if n == big.name]:
                break
            assert time.monotonic() < deadline, (
                f"{big.name} was not merged within {TRANSFER_S} s ({polls} polls); "
                f"inbox holds {sorted(os.listdir(pair.hub_inbox))}\n\n{pair.logs()}"
            )
        applied = dict(hub.conn.execute("SELECT bundle_id, sha256 FROM _sync_applied"))
        captured = {row["text"] for row in hub.query("SELECT text FROM capture WHERE session_id = ?", [meeting])}
    seen = (f"{polls} merges while {big.name} ({big.stat().st_size} bytes) travelled; Syncthing's temp files "
            f"seen mid-transfer (largest size): {seen_temp or 'none, the transfer was too quick'}")
    assert set(reads.paths) <= {first.name, big.name}, f"the merge opened {sorted(set(reads.paths))}"
    assert applied[big.name.removesuffix(".wijksync")] == sha256(big), "the hub merged other bytes than were sent"
    assert captured == set(texts)
    for name, data in planted.items():  # left alone: not read, not moved, not changed
        path = pair.hub_inbox / name
        assert path.read_bytes() == data and path.stat().st_mtime_ns == planted_stat[name], name
    for name, size in seen_temp.items():
        assert size <= big.stat().st_size, (name, size)
    assert not [n for n in os.listdir(pair.hub_inbox) if is_syncthing_temp(n) and n not in planted]
    out = pair.run("hub", "merge", "--db", pair.hub_db, "--inbox", pair.hub_inbox)  # the CLI agrees: exit 0
    assert sorted(out.splitlines()) == [f"skipped {first.name}: already merged", f"skipped {big.name}: already merged"]

    # 3. the way back: the coordinator closes the agreement, the laptop hears of it through Syncthing
    with Kit.open(pair.hub_db) as hub:
        hub.agreements.update_status(agreement, "done", "Geplaatst door de gemeente")
    out = pair.run("hub", "merge", "--db", pair.hub_db, "--inbox", pair.hub_inbox, "--outbox", pair.hub_outbox)
    written = [Path(line.removeprefix("wrote ")) for line in out.splitlines() if line.startswith("wrote ")]
    assert len(written) == 1 and written[0].parent == pair.hub_outbox / replica, out
    pair.hub_st.scan(FROM_HUB)
    pair.wait(lambda: pair.arrived(written[0], pair.inbox), FIRST_ARRIVAL_S, f"{written[0].name} on the laptop")
    returns = sorted(p for p in pair.inbox.iterdir() if p.is_file() and p.name.endswith(".wijksync"))
    out = pair.run("sync", "import", "--db", pair.laptop_db, *returns)
    assert f"merged {written[0].name}: " in out, out
    with Kit.open(pair.laptop_db) as kit:
        assert kit.agreements.get(agreement).status == "done"
        assert "Geplaatst door de gemeente" in [h["note"] for h in kit.agreements.history(agreement)]
    return seen
