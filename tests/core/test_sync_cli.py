"""Sync through the real command line: a hub and three laptops around one shared folder.

One laptop holds the demo village, the two others start empty with a meeting of their
own. Every step is a ``wijkkit`` command (``wijkkit.cli.main``), as the municipality's
scripts would run it; the checks read the databases afterwards.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from wijkkit.cli import main
from wijkkit.kit import Kit
from wijkkit.sync import merge

ROOT = Path(__file__).resolve().parents[2]
PRIVATE = merge.PRIVATE_PERSON_FIELDS


class Shared:
    """The shared folder (USB stick, Syncthing, Nextcloud) and the databases around it."""

    def __init__(self, root: Path, capsys) -> None:
        self.root, self.capsys = root, capsys
        self.folder = root / "gedeeld"
        self.inbox, self.outbox, self.key = self.folder / "inbox", self.folder / "outbox", self.folder / "hub.key"
        self.folder.mkdir()  # the shared folder exists; its inbox and outbox are made by the commands
        self.hub = root / "hub.sqlite"
        self.replicas: dict[Path, str] = {}

    def run(self, *args: str | Path, code: int = 0) -> tuple[str, str]:
        self.capsys.readouterr()
        got = main([str(a) for a in args])
        out, err = self.capsys.readouterr()
        assert got == code, f"wijkkit {' '.join(map(str, args))} gave {got}\n{out}\n{err}"
        return out, err

    def export(self, laptop: Path) -> Path:
        out, _ = self.run("sync", "export", "--db", laptop, "--to", self.inbox)
        assert out.startswith("wrote ")
        path = Path(out.strip().removeprefix("wrote "))
        self.replicas[laptop] = path.name.rsplit("-", 1)[0]
        return path

    def merge(self) -> str:
        out, err = self.run("hub", "merge", "--db", self.hub, "--inbox", self.inbox, "--outbox", self.outbox)
        assert err == ""
        return out

    def take_returns(self, laptop: Path) -> str:
        files = sorted((self.outbox / self.replicas[laptop]).glob("*.wijksync"))
        assert files, f"no return bundle for {laptop.name}"
        out, err = self.run("sync", "import", "--db", laptop, *files)
        assert err == ""
        for path in files:  # the laptop's sync tool cleans up what it imported
            path.unlink()
        return out

    def clear_inbox(self) -> None:
        for path in self.inbox.iterdir():
            path.unlink()

    def round(self, laptops: list[Path]) -> None:
        for laptop in laptops:
            self.export(laptop)
        self.merge()
        self.clear_inbox()
        for laptop in laptops:
            self.take_returns(laptop)


def content(path: Path) -> dict[str, list[tuple]]:
    """Every synced table; names and contact details only of people who agreed to share them."""
    with Kit.open(path) as kit:
        found = {}
        for table in kit.tables:
            cursor = kit.conn.execute(f"SELECT * FROM [{table}] ORDER BY id")
            columns = [c[0] for c in cursor.description]
            rows = [dict(zip(columns, row, strict=True)) for row in cursor]
            if table == "person":
                for row in rows:
                    if not row["consent_share"]:
                        row.update(dict.fromkeys(PRIVATE))
            found[table] = [tuple(sorted(row.items())) for row in rows]
        return found


def meetings(path: Path) -> dict[str, tuple[str, str | None]]:
    with Kit.open(path) as kit:
        return {s["id"]: (s["title"], s["neighbourhood_id"]) for s in kit.query("SELECT * FROM session")}


@pytest.fixture
def shared(tmp_path, capsys):
    return Shared(tmp_path, capsys)


def new_laptop(path: Path, title: str, neighbourhood: str | None = None) -> str:
    with Kit.open(path) as kit:
        return kit.sessions.add(title, "2027-01-12T19:30", "2027-01-12T21:30", neighbourhood_id=neighbourhood)


def test_three_laptops_and_a_hub_converge_through_the_command_line(shared, demo_file, tmp_path):
    out, _ = shared.run("hub", "init", "--db", shared.hub, "--key-out", shared.key, "--name", "Gemeente Veldhorst")
    assert out.strip() == f"hub keys ready; give {shared.key} to the laptops"
    village, west, noord = tmp_path / "village.sqlite", tmp_path / "west.sqlite", tmp_path / "noord.sqlite"
    shutil.copy(demo_file, village)
    west_meeting = new_laptop(west, "Buurtavond West")
    noord_meeting = new_laptop(noord, "Buurtavond Noord")
    laptops = [village, west, noord]
    for laptop in laptops:
        out, _ = shared.run("sync", "join", "--db", laptop, shared.key)
        assert out.strip() == "this laptop now sends to hub Gemeente Veldhorst"
        shared.export(laptop)

    # first merge: three unknown laptops wait for the coordinator
    out = shared.merge()
    waiting = [line for line in out.splitlines() if line.startswith("waiting ")]
    assert len(waiting) == 3 and not [line for line in out.splitlines() if line.startswith("merged ")]
    for laptop in laptops:
        assert any(f"laptop {shared.replicas[laptop]} is not trusted yet" in line for line in waiting)
    out, _ = shared.run("hub", "pending", "--db", shared.hub)
    assert out.count("WAITING") == 3
    for n, laptop in enumerate(laptops):
        replica = shared.replicas[laptop]
        out, _ = shared.run("hub", "trust", "--db", shared.hub, replica[:8] if n == 0 else replica, "--name", laptop.stem)
        assert out.strip() == f"trusted laptop {replica}"
    out, _ = shared.run("hub", "pending", "--db", shared.hub)
    assert out.count("trusted") == 3 and "WAITING" not in out

    # second merge: the waiting bundles are merged, every laptop gets an answer
    out = shared.merge()
    assert len([line for line in out.splitlines() if line.startswith("merged ")]) == 3
    assert len([line for line in out.splitlines() if line.startswith("wrote ")]) == 3
    shared.clear_inbox()
    for laptop in laptops:
        assert shared.take_returns(laptop).startswith("merged ")
    for laptop in laptops:
        found = meetings(laptop)
        assert found[west_meeting][0] == "Buurtavond West" and found[noord_meeting][0] == "Buurtavond Noord"
        assert len(found) == 4  # the demo's two meetings as well

    # now the empty laptops plan meetings in the village's neighbourhood
    with Kit.open(west) as kit:
        ellerveen = next(n for n in kit.neighbourhoods.list() if n.name == "Ellerveen")
        kit.sessions.edit(west_meeting, neighbourhood_id=ellerveen.id)
    second = new_laptop(noord, "Tweede avond in Ellerveen", ellerveen.id)
    shared.round(laptops)
    shared.round(laptops)
    for laptop in laptops:
        found = meetings(laptop)
        assert found[west_meeting] == ("Buurtavond West", ellerveen.id)
        assert found[second] == ("Tweede avond in Ellerveen", ellerveen.id)
    expected = content(shared.hub)
    for laptop in laptops:
        assert content(laptop) == expected, f"{laptop.name} differs from the hub"

    # the coordinator closes an agreement at the hub; the village laptop hears of it
    with Kit.open(shared.hub) as hub:
        agreement = next(a for a in hub.agreements.list() if a.status == "open")
        hub.agreements.update_status(agreement.id, "done", "Afgerond volgens de gemeente")
    shared.merge()  # nothing in the inbox, but every laptop gets its answer
    shared.take_returns(village)
    with Kit.open(village) as kit:
        assert kit.agreements.get(agreement.id).status == "done"
        assert "Afgerond volgens de gemeente" in [h["note"] for h in kit.agreements.history(agreement.id)]
    shared.round(laptops)
    for laptop in laptops:
        assert content(laptop) == content(shared.hub)


def test_a_refused_file_makes_hub_merge_exit_1_with_the_reason_in_english(shared, tmp_path):
    shared.run("hub", "init", "--db", shared.hub, "--key-out", shared.key)
    laptop = tmp_path / "laptop.sqlite"
    new_laptop(laptop, "Avond")
    shared.run("sync", "join", "--db", laptop, shared.key)
    good = shared.export(laptop)
    shared.merge()
    shared.run("hub", "trust", "--db", shared.hub, shared.replicas[laptop])
    (shared.inbox / "kapot.wijksync").write_bytes(b"WIJKSYN1 but not much more")
    out, err = shared.run("--lang", "nl", "hub", "merge", "--db", shared.hub, "--inbox", shared.inbox,
                          "--outbox", shared.outbox, code=1)  # fmt: skip
    assert err.strip() == (
        "refused The bundle kapot.wijksync was refused: it is not a Wijkkit bundle, or it is cut short."
    )
    assert f"merged {good.name}" in out  # the good bundle next to it is merged all the same
    assert "wrote " in out


def test_python_dash_m_wijkkit_hub_merge_exits_1_on_a_refused_file(tmp_path):
    hub, key, inbox = tmp_path / "hub.sqlite", tmp_path / "hub.key", tmp_path / "inbox"
    assert main(["hub", "init", "--db", str(hub), "--key-out", str(key)]) == 0
    inbox.mkdir()
    (inbox / "ruis.wijksync").write_bytes(bytes(range(256)) * 4)
    done = subprocess.run([sys.executable, "-m", "wijkkit", "hub", "merge", "--db", str(hub), "--inbox", str(inbox)],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.startswith("refused The bundle ruis.wijksync was refused: ")
    assert "Traceback" not in done.stderr


def test_sync_commands_explain_a_missing_hub_key_and_database(shared, tmp_path):
    laptop = tmp_path / "laptop.sqlite"
    new_laptop(laptop, "Avond")
    _, err = shared.run("sync", "export", "--db", laptop, "--to", shared.inbox, code=2)
    assert err.strip() == ("error: This laptop does not know the municipality's hub yet: "
                           "import the hub key file first.")  # fmt: skip
    _, err = shared.run("sync", "join", "--db", laptop, tmp_path / "missing.key", code=2)
    assert err.startswith("error: The file ") and "cannot be imported: it is not a hub key file." in err
    _, err = shared.run("hub", "merge", "--db", tmp_path / "nohub.sqlite", "--inbox", shared.inbox, code=2)
    assert err.strip() == f"error: There is no database at {tmp_path / 'nohub.sqlite'}."
    assert not (tmp_path / "nohub.sqlite").exists()
