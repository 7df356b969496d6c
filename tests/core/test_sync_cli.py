"""Sync through the real command line: a hub and three laptops around one shared folder.

One laptop holds the demo village, the two others start empty with a meeting of their
own. Every step is a ``wijkkit`` command (``wijkkit.cli.main``), as the municipality's
scripts would run it; the checks read the databases afterwards. A laptop receives only
the neighbourhoods it serves (those it brought, and those the coordinator assigns with
``wijkkit hub assign``): each ends with exactly its part of the hub.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.sync_hub import CommandLine
from wijkkit.cli import main
from wijkkit.kit import Kit
from wijkkit.sync import merge, scope

ROOT = Path(__file__).resolve().parents[2]
PRIVATE = merge.PRIVATE_PERSON_FIELDS


class Shared(CommandLine):
    """The shared folder (USB stick, Syncthing, Nextcloud) and the databases around it."""

    def __init__(self, root: Path, capsys) -> None:
        super().__init__(capsys)
        self.root = root
        self.folder = root / "gedeeld"
        self.inbox, self.outbox, self.key = self.folder / "inbox", self.folder / "outbox", self.folder / "hub.key"
        self.folder.mkdir()  # the shared folder exists; its inbox and outbox are made by the commands
        self.hub = root / "hub.sqlite"
        self.replicas: dict[Path, str] = {}

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


def content(path: Path, replica: str | None = None) -> dict[str, list[tuple]]:
    """Every synced table; names and contact details only of people who agreed to share them.
    With a laptop's ``replica`` (at the hub): only the rows that laptop serves."""
    with Kit.open(path) as kit:
        if replica is not None:
            scope.fill(kit, replica)
        found = {}
        for table in kit.tables:
            where = f"WHERE id IN (SELECT row_id FROM temp._scope WHERE tbl = '{table}') " if replica else ""
            cursor = kit.conn.execute(f"SELECT * FROM [{table}] {where}ORDER BY id")
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
    hub_fingerprint = shared.json("hub", "status", "--db", shared.hub)["fingerprint"]
    assert out.splitlines() == [f"hub keys ready; give {shared.key} to the laptops",
                                f"hub fingerprint: {hub_fingerprint}"]  # fmt: skip
    village, west, noord = tmp_path / "village.sqlite", tmp_path / "west.sqlite", tmp_path / "noord.sqlite"
    shutil.copy(demo_file, village)
    west_meeting = new_laptop(west, "Buurtavond West")
    noord_meeting = new_laptop(noord, "Buurtavond Noord")
    laptops = [village, west, noord]
    for laptop in laptops:
        out, _ = shared.run("sync", "join", "--db", laptop, shared.key)
        assert out.splitlines()[:2] == ["this laptop now sends to hub Gemeente Veldhorst",
                                        f"hub fingerprint: {hub_fingerprint}"]  # fmt: skip
        shared.export(laptop)

    # first merge: three unknown laptops wait for the coordinator
    out = shared.merge()
    waiting = [line for line in out.splitlines() if line.startswith("waiting ")]
    assert len(waiting) == 3 and not [line for line in out.splitlines() if line.startswith("merged ")]
    for laptop in laptops:
        assert any(f"laptop {shared.replicas[laptop]} is not trusted yet" in line for line in waiting)
    pending = {claim["id"]: claim for claim in shared.json("hub", "pending", "--db", shared.hub)}
    assert sorted(pending) == sorted(shared.replicas.values())
    fingerprints = {}
    for laptop in laptops:  # the fingerprint the facilitator reads out is the one the hub shows
        status = shared.json("sync", "status", "--db", laptop)
        replica = shared.replicas[laptop]
        assert status["id"] == replica and status["hub"]["fingerprint"] == hub_fingerprint
        assert pending[replica]["fingerprint"] == status["fingerprint"] and not pending[replica]["id_trusted"]
        fingerprints[laptop] = status["fingerprint"]
    replica = shared.replicas[village]
    _, err = shared.run("hub", "trust", "--db", shared.hub, replica[:8], "--fingerprint", fingerprints[village], code=2)
    assert err.strip() == f"error: '{replica[:8]}' is not a laptop id: it has 16 characters 0-9 and a-f."
    for n, laptop in enumerate(laptops):
        replica = shared.replicas[laptop]
        typed = fingerprints[laptop].lower().replace("-", " ") if n == 0 else fingerprints[laptop]  # as typed
        out, _ = shared.run("hub", "trust", "--db", shared.hub, replica, "--fingerprint", typed, "--name", laptop.stem)
        assert out.strip() == f"trusted laptop {replica} with fingerprint {fingerprints[laptop]}"
    out, _ = shared.run("hub", "pending", "--db", shared.hub)
    assert out.strip() == "no laptop is waiting"
    listed = {d["id"]: d for d in shared.json("hub", "laptops", "--db", shared.hub)}
    assert {r: (d["trusted"], d["name"]) for r, d in listed.items()} == {
        shared.replicas[laptop]: (True, laptop.stem) for laptop in laptops}  # fmt: skip

    # second merge: the waiting bundles are merged, every laptop gets an answer
    out = shared.merge()
    assert len([line for line in out.splitlines() if line.startswith("merged ")]) == 3
    assert len([line for line in out.splitlines() if line.startswith("wrote ")]) == 3
    shared.clear_inbox()
    for laptop in laptops:
        assert shared.take_returns(laptop).startswith("merged ")
    # each laptop serves what it brought: the demo's neighbourhoods are the village laptop's, and a
    # meeting without a neighbourhood stays with the laptop that planned it (and the hub)
    with Kit.open(shared.hub) as hub:
        demo_meetings = {s["id"] for s in hub.query("SELECT id FROM session")} - {west_meeting, noord_meeting}
        ellerveen = hub.query("SELECT id FROM neighbourhood WHERE name = 'Ellerveen'")[0]["id"]
    assert len(demo_meetings) == 2
    assert set(meetings(village)) == demo_meetings
    assert set(meetings(west)) == {west_meeting} and set(meetings(noord)) == {noord_meeting}
    listed = {d["id"]: d for d in shared.json("hub", "laptops", "--db", shared.hub)}
    assert sorted((n["name"], n["how"]) for n in listed[shared.replicas[village]]["neighbourhoods"]) == [
        ("Ellerveen", "created"), ("Veldhorst-Oost", "created")]  # fmt: skip
    assert listed[shared.replicas[west]]["neighbourhoods"] == listed[shared.replicas[noord]]["neighbourhoods"] == []

    # the coordinator lets the empty laptops serve the village's neighbourhood too
    for laptop in (west, noord):
        out, _ = shared.run("hub", "assign", "--db", shared.hub, shared.replicas[laptop], ellerveen)
        assert out.strip() == f"assigned 1 neighbourhoods for laptop {shared.replicas[laptop]}"
    shared.merge()  # nothing in the inbox, but the two get Ellerveen
    for laptop in (west, noord):
        shared.take_returns(laptop)
        assert set(meetings(laptop)) == demo_meetings | {west_meeting if laptop == west else noord_meeting}

    # now the empty laptops plan meetings in the village's neighbourhood
    with Kit.open(west) as kit:
        assert [n.name for n in kit.neighbourhoods.list()] == ["Ellerveen"]
        kit.sessions.edit(west_meeting, neighbourhood_id=ellerveen)
    second = new_laptop(noord, "Tweede avond in Ellerveen", ellerveen)
    shared.round(laptops)
    shared.round(laptops)
    for laptop in laptops:
        found = meetings(laptop)
        assert found[west_meeting] == ("Buurtavond West", ellerveen)
        assert found[second] == ("Tweede avond in Ellerveen", ellerveen)
        assert (noord_meeting in found) == (laptop == noord), "a meeting without a neighbourhood stays home"
    with Kit.open(shared.hub) as hub:
        assert not hub.query("SELECT * FROM _sync_refusal"), "nothing the laptops wrote was refused"
    for laptop in laptops:
        assert content(laptop) == content(shared.hub, shared.replicas[laptop]), f"{laptop.name} differs from the hub"

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
        assert content(laptop) == content(shared.hub, shared.replicas[laptop])


def test_a_refused_file_makes_hub_merge_exit_1_with_the_reason_in_english(shared, tmp_path):
    shared.run("hub", "init", "--db", shared.hub, "--key-out", shared.key)
    laptop = tmp_path / "laptop.sqlite"
    new_laptop(laptop, "Avond")
    shared.run("sync", "join", "--db", laptop, shared.key)
    good = shared.export(laptop)
    shared.merge()
    fingerprint = shared.json("sync", "status", "--db", laptop)["fingerprint"]
    shared.run("hub", "trust", "--db", shared.hub, shared.replicas[laptop], "--fingerprint", fingerprint)
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
                          cwd=ROOT, capture_output=True, encoding="utf-8", timeout=60)  # fmt: skip
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
