"""Trust and scope through the real command line, as a municipality would run it.

A hub and three laptops around one shared folder: fingerprints are read from both sides
and compared, a squatter copies a real laptop's id before that laptop ever sends, one
laptop gets another's neighbourhood assigned, one writes outside its neighbourhoods, and
one is lost and revoked (and comes back with a new key). Every step is a ``wijkkit``
command (``wijkkit.cli.main``); the checks read the command output and the databases.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.sync_hub import CommandLine
from wijkkit.kit import Kit

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


class Folder(CommandLine):
    """The shared folder and the command line around it."""

    def __init__(self, root: Path, capsys) -> None:
        super().__init__(capsys)
        self.root = root
        self.inbox, self.outbox, self.key = root / "inbox", root / "outbox", root / "hub.key"
        self.hub = root / "hub.sqlite"

    def laptop(self, name: str) -> Path:
        path = self.root / f"{name}.sqlite"
        Kit.open(path).close()
        out, _ = self.run("sync", "join", "--db", path, self.key)
        assert self.hub_fingerprint() in out  # the facilitator compares it with what the municipality says
        return path

    def hub_fingerprint(self) -> str:
        return self.json("hub", "status", "--db", self.hub)["fingerprint"]

    def identity(self, laptop: Path) -> dict:
        return self.json("sync", "status", "--db", laptop)

    def send(self, laptop: Path) -> None:
        self.run("sync", "export", "--db", laptop, "--to", self.inbox)

    def merge(self, code: int = 0) -> tuple[str, str]:
        return self.run("hub", "merge", "--db", self.hub, "--inbox", self.inbox, "--outbox", self.outbox, code=code)

    def take(self, laptop: Path) -> None:
        files = sorted((self.outbox / self.identity(laptop)["id"]).glob("*.wijksync"))
        assert files, f"no return bundle for {laptop.name}"
        self.run("sync", "import", "--db", laptop, *files)


def rows(path: Path, sql: str, params: tuple = ()) -> list[tuple]:
    with Kit.open(path) as kit:
        return kit.conn.execute(sql, params).fetchall()


def a_neighbourhood_with_a_meeting(path: Path, name: str, resident: str) -> tuple[str, str]:
    with Kit.open(path) as kit:
        wijk = kit.neighbourhoods.add(name, "Veldhorst")
        meeting = kit.sessions.add(f"Avond in {name}", "2027-01-12T19:30", "2027-01-12T22:00", neighbourhood_id=wijk)
        kit.people.add(resident, neighbourhood_id=wijk, consent_share=1)
    return wijk, meeting


def test_fingerprints_squatter_assignment_scope_and_revocation(tmp_path, capsys):
    folder = Folder(tmp_path, capsys)
    out, _ = folder.run("hub", "init", "--db", folder.hub, "--key-out", folder.key, "--name", "Gemeente Veldhorst")
    hub_fp = folder.hub_fingerprint()
    assert hub_fp in out and len(hub_fp) == 29 and hub_fp.count("-") == 5
    anna, bram, cas = (folder.laptop(n) for n in ("anna", "bram", "cas"))
    ids = {p: folder.identity(p) for p in (anna, bram, cas)}
    assert all(i["hub"] == {"name": "Gemeente Veldhorst", "fingerprint": hub_fp} for i in ids.values())
    assert len({i["fingerprint"] for i in ids.values()}) == 3

    # a squatter copies Anna's id and sends before Anna ever does
    squatter = tmp_path / "squatter.sqlite"
    Kit.open(squatter).close()
    with Kit.open(squatter) as kit:
        kit._set_meta("replica_id", ids[anna]["id"])
        kit.conn.commit()
    folder.run("sync", "join", "--db", squatter, folder.key)
    assert folder.identity(squatter)["id"] == ids[anna]["id"] != ""
    with Kit.open(squatter) as kit:
        kit.neighbourhoods.add("Nepwijk", "Veldhorst")
    folder.send(squatter)
    [sent] = folder.inbox.iterdir()
    sent.rename(sent.with_name("nep.wijksync"))  # the name is free; Anna's own file will have the same one

    wijk_a, meeting_a = a_neighbourhood_with_a_meeting(anna, "Ellerveen", "Anneke Bosma")
    wijk_b, _meeting_b = a_neighbourhood_with_a_meeting(bram, "Esweg", "Bert Kamp")
    for laptop in (anna, bram, cas):
        folder.send(laptop)
    out, _ = folder.merge()
    assert out.count("waiting") == 4
    pending = folder.json("hub", "pending", "--db", folder.hub)
    claims_of_anna = [p for p in pending if p["id"] == ids[anna]["id"]]
    assert sorted(p["fingerprint"] for p in claims_of_anna) == sorted([ids[anna]["fingerprint"],
                                                                       folder.identity(squatter)["fingerprint"]])
    assert all(p["other_keys"] == 1 for p in claims_of_anna)  # two keys for one id: both shown with a warning
    assert "WARNING" in folder.run("hub", "pending", "--db", folder.hub)[0]

    # the coordinator trusts by the fingerprints read out over the phone; a prefix or a wrong one is no good
    folder.run("hub", "trust", "--db", folder.hub, ids[anna]["id"][:6], "--fingerprint", ids[anna]["fingerprint"],
               code=2)
    _, err = folder.run("hub", "trust", "--db", folder.hub, ids[anna]["id"], "--fingerprint",
                        ids[bram]["fingerprint"], code=2)
    assert "No laptop" in err
    for laptop in (anna, bram, cas):
        folder.run("hub", "trust", "--db", folder.hub, ids[laptop]["id"], "--fingerprint",
                   ids[laptop]["fingerprint"].lower().replace("-", " "))
    [left] = folder.json("hub", "pending", "--db", folder.hub)
    assert left["fingerprint"] == folder.identity(squatter)["fingerprint"] and left["id_trusted"] is True

    # the squatter's bundle is refused; Anna's, Bram's and Cas's are merged
    out, err = folder.merge(code=1)
    assert "signed with another key than the one known for" in err
    assert out.count("merged ") == 3
    assert rows(folder.hub, "SELECT name FROM neighbourhood ORDER BY name") == [("Ellerveen",), ("Esweg",)]

    # return bundles carry each laptop's own neighbourhoods: Bram never gets Anna's residents
    for laptop in (anna, bram, cas):
        folder.take(laptop)
    assert rows(bram, "SELECT name FROM person WHERE name = 'Anneke Bosma'") == []
    assert rows(cas, "SELECT count(*) FROM session") == [(0,)]

    # the coordinator assigns Ellerveen to Cas too: Cas gets all of it, and may work on it
    folder.run("hub", "assign", "--db", folder.hub, ids[cas]["id"], wijk_a)
    laptops = folder.json("hub", "laptops", "--db", folder.hub)
    assert [n["id"] for n in next(x for x in laptops if x["id"] == ids[cas]["id"])["neighbourhoods"]] == [wijk_a]
    folder.merge()
    folder.take(cas)
    assert rows(cas, "SELECT title FROM session") == [("Avond in Ellerveen",)]
    assert rows(cas, "SELECT name FROM person") == [("Anneke Bosma",)]
    with Kit.open(cas) as kit:
        kit.sessions.edit(meeting_a, title="Avond in Ellerveen (verzet)")

    # Bram writes into Anna's neighbourhood: refused and logged, the rest of his bundle is merged
    with Kit.open(bram) as kit:
        kit.conn.execute("PRAGMA foreign_keys = OFF")  # a laptop that has been tampered with
        foreign = kit.insert("session", {"title": "Stiekeme avond", "neighbourhood_id": wijk_a,
                                         "starts_at": "2027-02-01T19:30", "ends_at": "2027-02-01T21:00"})
        kit.sessions.edit(rows(bram, "SELECT id FROM session")[0][0], theme="Samen eten")
    for laptop in (bram, cas):
        folder.send(laptop)
    out, err = folder.merge()
    assert "refused change" in err and "outside the neighbourhoods" in err
    refusals = folder.json("hub", "refusals", "--db", folder.hub)
    assert {(r["replica"], r["tbl"], r["row_id"], r["reason"]) for r in refusals} == {
        (ids[bram]["id"], "session", foreign, "out_of_scope")}
    assert rows(folder.hub, "SELECT title FROM session WHERE id = ?", (foreign,)) == []
    assert rows(folder.hub, "SELECT title FROM session WHERE id = ?", (meeting_a,)) == [("Avond in Ellerveen (verzet)",)]
    assert rows(folder.hub, "SELECT theme FROM session WHERE neighbourhood_id = ?", (wijk_b,)) == [("Samen eten",)]

    # Bram's laptop is lost: revoked, its return bundles removed, its key refused from then on
    assert list((folder.outbox / ids[bram]["id"]).glob("*.wijksync"))
    out, _ = folder.run("hub", "revoke", "--db", folder.hub, ids[bram]["id"])
    assert "revoked" in out and not list((folder.outbox / ids[bram]["id"]).glob("*.wijksync"))
    with Kit.open(bram) as kit:
        kit.sessions.edit(rows(bram, "SELECT id FROM session WHERE neighbourhood_id = ?", (wijk_b,))[0][0],
                          theme="Na het verlies")
    folder.send(bram)
    out, err = folder.merge(code=1)
    assert "revoked" in err and not list((folder.outbox / ids[bram]["id"]).glob("*.wijksync"))
    assert rows(folder.hub, "SELECT theme FROM session WHERE neighbourhood_id = ?", (wijk_b,)) == [("Samen eten",)]
    folder.run("hub", "trust", "--db", folder.hub, ids[bram]["id"], "--fingerprint", ids[bram]["fingerprint"], code=2)

    # ... and comes back only with a new key, compared again
    out, _ = folder.run("sync", "new-key", "--db", bram)
    new_fp = folder.identity(bram)["fingerprint"]
    assert new_fp in out and new_fp != ids[bram]["fingerprint"]
    for path in folder.inbox.iterdir():
        path.unlink()
    folder.send(bram)
    folder.merge()
    folder.run("hub", "trust", "--db", folder.hub, ids[bram]["id"], "--fingerprint", new_fp)
    folder.merge()
    assert rows(folder.hub, "SELECT theme FROM session WHERE neighbourhood_id = ?", (wijk_b,)) == [("Na het verlies",)]

    # the overview as the municipality exports it
    folder.run("hub", "report", "--db", folder.hub, "--xlsx", tmp_path / "overzicht.xlsx", "--csv", tmp_path / "csv")
    assert (tmp_path / "overzicht.xlsx").stat().st_size > 0 and list((tmp_path / "csv").glob("*.csv"))
