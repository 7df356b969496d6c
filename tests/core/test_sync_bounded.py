"""Bounded input at the hub: no bundle file is held in memory whole, a file too large is not read.

Why this module exists: a trusted 285 MB bundle once took 7.2 GB of memory, and a stranger's
1 GB file in the shared inbox was read whole on every merge. So: a file over ``MAX_BUNDLE`` is
refused from its size alone; the signature is checked over a hash streamed in chunks (and still
catches every flipped byte); the ciphertext is decrypted from the file into a temporary file
that is always removed; the inbox remembers files refused before their sender was trusted, so
they are not read again. The last test merges an inbox holding a sparse 1 GiB file in a child
process and checks its peak memory (Linux: VmHWM).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.core.sync_hub import (
    BAD_HEADER,
    BAD_SIGNATURE,
    CUT_SHORT,
    DAMAGED,
    ROOT,
    flip,
    header_span,
    seal_raw,
    valid_bundle,
)
from wijkkit import schema
from wijkkit.hlc import wall_ms
from wijkkit.kit import Kit
from wijkkit.sync import bundle, exchange, inbox, keys
from wijkkit.sync.bundle import BundleError

GIB = 1024**3
TOO_LARGE = "it is larger than 64 MB; a bundle that large is not read"
NOT_DECRYPTED = "it cannot be decrypted with this database's key."
PEAK_BUDGET_MB = 300


@pytest.fixture
def pair(tmp_path):
    """A hub database and a laptop that joined it, without merging anything (the merge loop is
    not what these tests are about): ``hub`` (open Kit), ``laptop`` and ``root``."""
    with Kit.open(tmp_path / "hub.sqlite") as hub:
        keys.export_hub_key(hub, tmp_path / "hub.key", "Gemeente Veldhorst")
        with Kit.open(tmp_path / "laptop.sqlite") as laptop:
            keys.join(laptop, tmp_path / "hub.key")
            yield SimpleNamespace(hub=hub, laptop=laptop, root=tmp_path)


@pytest.fixture
def spool(tmp_path, monkeypatch):
    """The temporary folder decrypted payloads go to, watched."""
    folder = tmp_path / "spool"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def put(pair, name: str, data: bytes) -> Path:
    path = pair.root / "in" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    return path


def valid_file(pair) -> Path:
    """A new valid bundle of the laptop, with a little of everything in it."""
    return put(pair, *valid_bundle(pair))


def receive(pair, path: Path):
    envelope = bundle.open_envelope(path)
    bundle.verify(path, envelope, keys.public_sign_key(pair.laptop))
    plain = bundle.decrypt(path, envelope, keys.age_identity(pair.hub))
    return envelope, bundle.parse(path, plain, {t: pair.hub.columns(t) for t in pair.hub.tables},
                                  schema.schema_version(), wall_ms())  # fmt: skip


def refusal(call, *args) -> str:
    with pytest.raises(BundleError) as caught:
        call(*args)
    return caught.value.english()


def sparse(path: Path, size: int) -> Path:
    with open(path, "wb") as file:
        file.truncate(size)  # no blocks on disk: a gigabyte costs nothing to make
    return path


# -- too large: refused from its size --------------------------------------------------------------


def test_a_file_over_the_limit_is_refused_without_reading_a_byte(tmp_path, monkeypatch):
    path = sparse(tmp_path / "x.wijksync", GIB)
    opened: list[object] = []
    monkeypatch.setattr(bundle, "open", lambda *a, **k: opened.append(a) or open(*a, **k), raising=False)
    message = refusal(bundle.open_envelope, path)
    assert message.startswith("The bundle x.wijksync was refused: " + TOO_LARGE), message
    assert opened == []


def test_the_limit_is_exact(tmp_path):
    assert bundle.MAX_BUNDLE == 64 * 1024 * 1024
    assert TOO_LARGE in refusal(bundle.open_envelope, sparse(tmp_path / "over.wijksync", bundle.MAX_BUNDLE + 1))
    assert CUT_SHORT in refusal(bundle.open_envelope, sparse(tmp_path / "at.wijksync", bundle.MAX_BUNDLE))


def test_a_file_that_grows_after_its_size_was_read_is_refused_while_read(pair, monkeypatch):
    path = valid_file(pair)
    monkeypatch.setattr(bundle, "MAX_BUNDLE", path.stat().st_size - 1)
    real = bundle.os
    monkeypatch.setattr(bundle, "os", SimpleNamespace(stat=lambda p: SimpleNamespace(
        st_mode=real.stat(p).st_mode, st_size=10)))  # fmt: skip
    assert "was refused: it is larger than 0 MB" in refusal(bundle.open_envelope, path)


def test_a_folder_or_a_missing_file_is_refused(tmp_path):
    (tmp_path / "folder.wijksync").mkdir()
    assert CUT_SHORT in refusal(bundle.open_envelope, tmp_path / "folder.wijksync")
    assert "the file cannot be read" in refusal(bundle.open_envelope, tmp_path / "gone.wijksync")


# -- streamed verification --------------------------------------------------------------------------


@pytest.mark.parametrize("chunk", [7, bundle.CHUNK], ids=["chunks-of-7", "chunks-of-1MiB"])
def test_a_valid_bundle_verifies_decrypts_and_parses(pair, spool, monkeypatch, chunk):
    monkeypatch.setattr(bundle, "CHUNK", chunk)
    path = valid_file(pair)
    data = path.read_bytes()
    envelope, payload = receive(pair, path)
    assert envelope.sha256 == hashlib.sha256(data).hexdigest()
    assert envelope.ciphertext == data[envelope.offset:]
    assert envelope.offset + envelope.length == len(data)
    assert (payload.sender, payload.bundle_id) == (envelope.header["sender"], envelope.header["bundle_id"])
    assert {change[0] for change in payload.changes} >= {"neighbourhood", "person", "session", "agreement"}
    assert payload.tombstones
    assert list(spool.iterdir()) == [], "the decrypted payload was left behind"


def test_parse_still_takes_bytes(pair, spool):
    path = valid_file(pair)
    envelope = bundle.open_envelope(path)
    with bundle.decrypt(path, envelope, keys.age_identity(pair.hub)) as plain:
        data = bytes(plain)
    assert list(spool.iterdir()) == []
    synced = {t: pair.hub.columns(t) for t in pair.hub.tables}
    from_bytes = bundle.parse(path, data, synced, schema.schema_version(), wall_ms())
    assert from_bytes.changes == receive(pair, path)[1].changes


@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_a_flipped_byte_in_the_ciphertext_is_refused(pair, monkeypatch, where):
    monkeypatch.setattr(bundle, "CHUNK", 1000)
    data = valid_file(pair).read_bytes()
    _, end = header_span(data)
    at = {"first": end + 64, "middle": (end + 64 + len(data)) // 2, "last": len(data) - 1}[where]
    path = put(pair, "flipped.wijksync", flip(data, at))
    envelope = bundle.open_envelope(path)
    assert BAD_SIGNATURE in refusal(bundle.verify, path, envelope, keys.public_sign_key(pair.laptop))


@pytest.mark.parametrize("where", ["header", "signature-first", "signature-last"])
def test_a_flipped_byte_in_the_header_or_signature_is_refused(pair, where):
    data = valid_file(pair).read_bytes()
    start, end = header_span(data)
    header = data[start:end]
    at = {"header": start + header.index(b'"bundle_id": "') + len(b'"bundle_id": "') + 3,
          "signature-first": end, "signature-last": end + 63}[where]  # fmt: skip
    path = put(pair, "flipped.wijksync", flip(data, at))
    envelope = bundle.open_envelope(path)
    assert BAD_SIGNATURE in refusal(bundle.verify, path, envelope, keys.public_sign_key(pair.laptop))


def test_a_damaged_header_or_a_file_cut_short_is_refused(pair):
    data = valid_file(pair).read_bytes()
    start, end = header_span(data)
    assert BAD_HEADER in refusal(bundle.open_envelope, put(pair, "h.wijksync", flip(data, start)))
    assert CUT_SHORT in refusal(bundle.open_envelope, put(pair, "c.wijksync", data[: end + 30]))


# -- decryption into a temporary file ----------------------------------------------------------------


def test_a_file_changed_after_its_signature_was_checked_is_not_decrypted(pair, spool):
    import pyrage
    from pyrage import x25519

    path = valid_file(pair)
    data = path.read_bytes()
    envelope = bundle.open_envelope(path)
    bundle.verify(path, envelope, keys.public_sign_key(pair.laptop))
    with bundle.decrypt(path, envelope, keys.age_identity(pair.hub)) as plain:
        payload, recipient = bytes(plain), x25519.Recipient.from_str(keys.age_recipient(pair.hub))
    for _ in range(20_000):  # age adds a random "grease" stanza: try until the length is the same
        other = pyrage.encrypt(payload, [recipient])
        if len(other) == envelope.length:
            break
    assert len(other) == envelope.length and other != data[envelope.offset:]
    path.write_bytes(data[: envelope.offset] + other)  # same size, decrypts fine, but not what was signed
    assert BAD_SIGNATURE in refusal(bundle.decrypt, path, envelope, keys.age_identity(pair.hub))
    assert BAD_SIGNATURE in refusal(lambda: envelope.ciphertext)
    assert list(spool.iterdir()) == []


def test_the_temporary_file_is_removed_on_every_error(pair, spool):
    path = valid_file(pair)
    envelope = bundle.open_envelope(path)
    with Kit.memory() as stranger:
        keys.ensure_keys(stranger)
        assert NOT_DECRYPTED in refusal(bundle.decrypt, path, envelope, keys.age_identity(stranger))
    assert NOT_DECRYPTED in refusal(bundle.decrypt, path, envelope, None)
    sealed = seal_raw(b"not an SQLite database", pair.laptop.replica_id, f"{pair.laptop.replica_id}-9", pair.laptop)
    junk = put(pair, "junk.wijksync", sealed)
    junk_envelope = bundle.open_envelope(junk)
    plain = bundle.decrypt(junk, junk_envelope, keys.age_identity(pair.hub))
    assert plain.path.parent == spool and plain.path.exists()
    assert DAMAGED in refusal(bundle.parse, junk, plain, {}, schema.schema_version(), wall_ms())
    path.unlink()
    assert "the file cannot be read" in refusal(bundle.decrypt, path, envelope, keys.age_identity(pair.hub))
    assert list(spool.iterdir()) == []


def test_a_payload_nobody_parses_is_removed_when_closed_or_dropped(pair, spool):
    path = valid_file(pair)
    envelope = bundle.open_envelope(path)
    plain = bundle.decrypt(path, envelope, keys.age_identity(pair.hub))
    plain.close()
    assert list(spool.iterdir()) == []
    bundle.decrypt(path, envelope, keys.age_identity(pair.hub))  # dropped at once
    assert list(spool.iterdir()) == []


def test_payload_files_left_by_a_killed_merge_are_swept(spool):
    from wijkkit.sync import spool as spooling

    old, fresh, other = spool / "wijkkit-payload-old.sqlite", spool / "wijkkit-payload-new.sqlite", spool / "notes.sqlite"
    for path in (old, fresh, other):
        path.write_bytes(b"personal data")
        os.utime(path, (0, 0) if path != fresh else None)
    assert spooling.sweep(spool) == 1
    assert sorted(p.name for p in spool.iterdir()) == ["notes.sqlite", "wijkkit-payload-new.sqlite"]


# -- the inbox ----------------------------------------------------------------------------------------


def test_only_complete_bundles_that_are_regular_files_are_listed(tmp_path):
    for name in ("b-2.wijksync", "a-1.wijksync", ".a-3.wijksync.part", "~syncthing~c.wijksync.tmp", "notes.txt"):
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "folder.wijksync").mkdir()
    if hasattr(os, "symlink") and sys.platform != "win32":
        os.symlink(tmp_path / "a-1.wijksync", tmp_path / "link.wijksync")
        os.mkfifo(tmp_path / "pipe.wijksync")
    assert [p.name for p in inbox.bundles(tmp_path)] == ["a-1.wijksync", "b-2.wijksync"]
    assert inbox.bundles(tmp_path)[0] == tmp_path / "a-1.wijksync"


def test_a_refused_file_is_remembered_until_it_changes_or_goes(tmp_path):
    first, second = tmp_path / "x.wijksync", tmp_path / "y.wijksync"
    first.write_bytes(b"stranger")
    second.write_bytes(b"damaged")
    with Kit.memory() as hub:
        assert inbox.remembered(hub, first) is None
        inbox.remember(hub, first, "it is larger than 64 MB", None)
        inbox.remember(hub, second, "its signature does not match", "ab" * 32)
        assert inbox.remembered(hub, first) == "it is larger than 64 MB"
        assert inbox.remembered(hub, second) == "its signature does not match"
        assert inbox.forget_missing(hub, tmp_path) == 0
        inbox.remember(hub, first, "it is not a Wijkkit bundle", None)  # the same file again: one entry
        assert inbox.remembered(hub, first) == "it is not a Wijkkit bundle"

        info = first.stat()
        os.utime(first, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))  # the sender sent it again
        assert inbox.remembered(hub, first) is None
        second.unlink()
        assert inbox.remembered(hub, second) is None
        inbox.remember(hub, second, "gone before it was remembered", None)
        assert inbox.forget_missing(hub, tmp_path) == 2
        rows = hub.conn.execute("SELECT name, size, mtime_ns, sha256, reason FROM _sync_rejected_file").fetchall()
        assert rows == []
        inbox.remember(hub, first, "again", "cd" * 32)
        rows = hub.conn.execute("SELECT name, size, mtime_ns, sha256, reason, at FROM _sync_rejected_file").fetchall()
        assert [row[:5] for row in rows] == [("x.wijksync", 8, first.stat().st_mtime_ns, "cd" * 32, "again")]
        assert rows[0][5]


def test_only_a_refusal_about_the_file_itself_is_worth_remembering(tmp_path):
    def error_of(path: Path) -> BundleError:
        with pytest.raises(BundleError) as caught:
            bundle.open_envelope(path)
        return caught.value

    assert inbox.lasting(error_of(sparse(tmp_path / "big.wijksync", GIB)))
    assert inbox.lasting(error_of(sparse(tmp_path / "zeros.wijksync", 100)))
    assert not inbox.lasting(error_of(tmp_path / "gone.wijksync"))  # maybe locked by another program
    assert not inbox.lasting(bundle.refuse("x.wijksync", bundle.NO_ROOM, error="No space left on device"))


# -- the whole merge, in a child process ---------------------------------------------------------------

MERGE_CHILD = textwrap.dedent(
    """
    import sys
    from tests.portable import peak_memory_mb
    from wijkkit.cli import main
    code = main(["hub", "merge", "--db", sys.argv[1], "--inbox", sys.argv[2]])
    print(f"[peak {peak_memory_mb()} MB]", flush=True)
    sys.exit(code)
    """
)


def merge_in_child(db: Path, folder: Path) -> tuple[subprocess.CompletedProcess, int]:
    done = subprocess.run([sys.executable, "-c", MERGE_CHILD, str(db), str(folder)], capture_output=True,
                          encoding="utf-8", errors="replace", timeout=120, cwd=ROOT)  # fmt: skip
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    return done, int(done.stdout.rsplit("[peak ", 1)[1].split()[0])


def test_a_merge_with_a_gigabyte_in_the_inbox_stays_small(hub, valid):
    name, data = valid
    folder = hub.root / "big-inbox"
    folder.mkdir()
    (folder / name).write_bytes(data)
    sparse(folder / "x.wijksync", GIB)
    done, peak = merge_in_child(hub.path, folder)
    assert f"merged {name}" in done.stdout, done.stdout + done.stderr
    assert "The bundle x.wijksync was refused: " + TOO_LARGE in done.stderr, done.stderr
    print(f"peak memory of the merge: {peak} MB")
    assert peak < PEAK_BUDGET_MB


def test_a_file_refused_before_its_sender_is_known_is_not_read_again(hub, valid, monkeypatch):
    name, data = valid
    folder = hub.root / "big-inbox"
    folder.mkdir()
    (folder / name).write_bytes(data)
    sparse(folder / "x.wijksync", GIB)
    (folder / "junk.wijksync").write_bytes(b"junk" * 100)
    opened: list[str] = []
    real = exchange.open_envelope
    monkeypatch.setattr(exchange, "open_envelope", lambda path: opened.append(Path(path).name) or real(path))
    with Kit.open(hub.path) as opened_hub:
        first = exchange.merge_inbox(opened_hub, folder)
        assert sorted(e.params["path"] for e in first.refused) == ["junk.wijksync", "x.wijksync"]
        assert inbox.remembered(opened_hub, folder / "x.wijksync"), "the merge loop does not remember refusals yet"
        assert inbox.remembered(opened_hub, folder / "junk.wijksync")
        assert not inbox.remembered(opened_hub, folder / name)
        opened.clear()
        exchange.merge_inbox(opened_hub, folder)
        assert "x.wijksync" not in opened and "junk.wijksync" not in opened
        (folder / "junk.wijksync").unlink()
        exchange.merge_inbox(opened_hub, folder)
        names = [n for (n,) in opened_hub.conn.execute("SELECT name FROM _sync_rejected_file")]
        assert names == ["x.wijksync"], "entries of files that are gone are not forgotten"
