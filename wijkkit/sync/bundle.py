"""The bundle file: field changes in a small SQLite database, encrypted and signed.

Layout of a ``.wijksync`` file::

    MAGIC | header length (4 bytes) | header (JSON) | Ed25519 signature (64) | age ciphertext

The header names the sender, its signing key and its age recipient. The signature
covers the magic, the header and the SHA-256 of the ciphertext, so a receiver can
check who sent a file before it decrypts anything. Inside the ciphertext is an
SQLite database (``sqlite3.serialize``) with a manifest, the changes and the
tombstones. Everything read from a file is checked: a corrupt, truncated,
tampered, unknown, newer or clock-skewed bundle raises ``BundleError`` with the
reason, before a single row is merged.

Reading is bounded: a file over ``MAX_BUNDLE`` is refused from its size alone, the
ciphertext is hashed and decrypted in a stream (into a temporary file that SQLite
opens read-only), so no bundle file is ever held in memory whole.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import sqlite3
import stat
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wijkkit import hlc
from wijkkit.atomic import write_atomically
from wijkkit.errors import KitError, Message
from wijkkit.i18n import N_
from wijkkit.ids import is_replica_id, is_row_id
from wijkkit.sync.spool import Plain, Stream
from wijkkit.validate import INVALID_VALUE, problem

MAGIC = b"WIJKSYN1"
SUFFIX = ".wijksync"
MAX_HEADER = 16_384
MAX_BUNDLE = 64 * 1024 * 1024  # bytes in one file: a laptop's changes take far less; a larger file is not read
CHUNK = 1024 * 1024  # bytes read at a time while a file is hashed
MAX_VALUE = 1_000_000  # characters or bytes in one field
MAX_ROWS = 5_000_000  # changes or tombstones in one bundle
MAX_STAMP = (1 << 63) - 1  # what SQLite can store
MAX_ID = 64  # characters in a row id or replica id: a longer replica would travel on in every known vector
FUTURE_LIMIT_MS = 24 * 3600 * 1000  # a stamp more than a day ahead means a laptop with a wrong date
PAYLOAD_SCHEMA = """
CREATE TABLE manifest (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE change (tbl TEXT, row_id TEXT, field TEXT, value, hlc INTEGER, replica TEXT,
                     base_hlc INTEGER, base_replica TEXT);
CREATE TABLE tombstone (tbl TEXT, row_id TEXT, hlc INTEGER, replica TEXT, erased INTEGER);
"""


class BundleError(KitError):
    template = N_("The bundle {path} was refused: {reason}")


def refuse(path: Path | str, reason: str, **params: object) -> BundleError:
    return BundleError(path=Path(path).name, reason=Message(reason, **params))


@dataclass
class Payload:
    manifest: dict[str, Any]
    changes: list[tuple] = field(default_factory=list)  # (tbl, row_id, field, value, hlc, replica, base_hlc, base_replica)
    tombstones: list[tuple] = field(default_factory=list)  # (tbl, row_id, hlc, replica, erased)

    @property
    def sender(self) -> str:
        return str(self.manifest.get("sender", ""))

    @property
    def bundle_id(self) -> str:
        return str(self.manifest.get("bundle_id", ""))

    @property
    def known(self) -> dict[str, int]:
        return self.manifest.get("known") or {}


NOT_A_BUNDLE = N_("it is not a Wijkkit bundle, or it is cut short.")
CANNOT_READ = N_("the file cannot be read ({error}).")
TOO_LARGE = N_("it is larger than {limit} MB; a bundle that large is not read (a laptop's changes take far less).")
BAD_SIGNATURE = N_("its signature does not match: the file was changed or damaged.")
NO_ROOM = N_("it cannot be unpacked in the temporary folder ({error}).")


@dataclass(frozen=True)
class Envelope:
    """What a bundle file says about itself. The ciphertext stays in the file (``path``, from
    ``offset``, ``length`` bytes); only its SHA-256, which the signature covers, is kept."""

    header: dict[str, Any]
    raw_header: bytes
    signature: bytes
    ciphertext_sha256: bytes
    sha256: str  # of the whole file
    path: Path | None = None
    offset: int = 0
    length: int = 0

    @property
    def ciphertext(self) -> bytes:
        """The ciphertext itself, for a caller that needs bytes (at most ``MAX_BUNDLE`` of them)."""
        if self.path is None:
            return b""
        try:
            with open(self.path, "rb") as file:
                file.seek(self.offset)
                data = file.read(min(self.length, MAX_BUNDLE))
        except OSError as exc:
            raise refuse(self.path, CANNOT_READ, error=exc.strerror or exc) from exc
        if hashlib.sha256(data).digest() != self.ciphertext_sha256:
            raise refuse(self.path, BAD_SIGNATURE)  # the file changed since it was opened
        return data


# -- writing ---------------------------------------------------------------------------


def serialize(payload: Payload) -> bytes:
    conn = sqlite3.connect(":memory:")
    try:
        conn.executescript(PAYLOAD_SCHEMA)
        conn.executemany("INSERT INTO manifest VALUES (?, ?)",
                         [(k, json.dumps(v)) for k, v in payload.manifest.items()])  # fmt: skip
        conn.executemany("INSERT INTO change VALUES (?, ?, ?, ?, ?, ?, ?, ?)", payload.changes)
        conn.executemany("INSERT INTO tombstone VALUES (?, ?, ?, ?, ?)", payload.tombstones)
        conn.commit()
        return conn.serialize()
    finally:
        conn.close()


def seal(payload: Payload, signing_key, sign_key_b64: str, own_recipient: str, to_recipient: str) -> bytes:
    """Encrypt to the receiver and sign as the sender: the bytes of a bundle file."""
    import pyrage
    from pyrage import x25519

    ciphertext = pyrage.encrypt(serialize(payload), [x25519.Recipient.from_str(to_recipient)])
    header = json.dumps({"format": 1, "sender": payload.sender, "bundle_id": payload.bundle_id,
                         "sign_key": sign_key_b64, "age_recipient": own_recipient}).encode("utf-8")  # fmt: skip
    signature = signing_key.sign(MAGIC + header + hashlib.sha256(ciphertext).digest())
    return MAGIC + struct.pack(">I", len(header)) + header + signature + ciphertext


def write_file(data: bytes, folder: Path, name: str) -> Path:
    """Temporary name, fsync, rename: readers never see half a bundle."""
    folder.mkdir(parents=True, exist_ok=True)
    return write_atomically(folder / name, data, temporary=f".{name}.part")  # hidden while it is written


# -- reading ---------------------------------------------------------------------------


def is_bundle_name(path: Path) -> bool:
    """Complete bundles only: no hidden, temporary or partial files (ours or Syncthing's)."""
    name = path.name
    return name.endswith(SUFFIX) and not name.startswith((".", "~")) and ".tmp" not in name


def open_envelope(path: Path) -> Envelope:
    """The header and signature of a bundle file, and the SHA-256 of the file and of its ciphertext,
    read in chunks: a file over ``MAX_BUNDLE`` is refused from its size, before a byte is read."""
    path = Path(path)
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):  # a pipe or a device would block or never end
            raise refuse(path, NOT_A_BUNDLE)
        if info.st_size > MAX_BUNDLE:
            raise refuse(path, TOO_LARGE, limit=MAX_BUNDLE // (1024 * 1024))
        with open(path, "rb") as file:
            return _read_envelope(path, file)
    except OSError as exc:
        raise refuse(path, CANNOT_READ, error=exc.strerror or exc) from exc


def _read_envelope(path: Path, file) -> Envelope:
    start = len(MAGIC) + 4
    fixed = file.read(start)
    if len(fixed) < start or not fixed.startswith(MAGIC):
        raise refuse(path, NOT_A_BUNDLE)
    (length,) = struct.unpack(">I", fixed[len(MAGIC):])
    if not 0 < length <= MAX_HEADER:
        raise refuse(path, NOT_A_BUNDLE)
    rest = file.read(length + 64)
    if len(rest) < length + 64:
        raise refuse(path, NOT_A_BUNDLE)
    raw_header, signature = rest[:length], rest[length:]
    try:
        header = json.loads(raw_header.decode("utf-8"))
        if not isinstance(header, dict) or header.get("format") != 1:
            raise ValueError("format")
        for key in ("sender", "sign_key", "age_recipient", "bundle_id"):
            if not isinstance(header.get(key), str) or not header[key] or len(header[key]) > 200:
                raise ValueError(key)
    except (ValueError, RecursionError) as exc:  # also JSON and Unicode errors, and JSON nested too deep
        raise refuse(path, N_("its header is damaged.")) from exc
    whole, ciphertext = hashlib.sha256(fixed + rest), hashlib.sha256()
    offset = size = start + length + 64
    while chunk := file.read(CHUNK):
        size += len(chunk)
        if size > MAX_BUNDLE:  # it grew after its size was read
            raise refuse(path, TOO_LARGE, limit=MAX_BUNDLE // (1024 * 1024))
        whole.update(chunk)
        ciphertext.update(chunk)
    return Envelope(header, raw_header, signature, ciphertext.digest(), whole.hexdigest(), path, offset, size - offset)


def verify(path: Path, envelope: Envelope, expected_key: str) -> None:
    """The signature must be by ``expected_key`` over exactly these bytes (the ciphertext by its hash)."""
    from nacl.exceptions import CryptoError
    from nacl.signing import VerifyKey

    if envelope.header["sign_key"] != expected_key:
        raise refuse(path, N_("it is signed with another key than the one known for {sender}."),
                     sender=envelope.header["sender"])  # fmt: skip
    try:
        key = VerifyKey(base64.b64decode(expected_key, validate=True))
        key.verify(MAGIC + envelope.raw_header + envelope.ciphertext_sha256, envelope.signature)
    except (CryptoError, ValueError, TypeError) as exc:
        raise refuse(path, BAD_SIGNATURE) from exc


def decrypt(path: Path, envelope: Envelope, identity) -> Plain:
    """Decrypt the ciphertext, streamed from the file, into a temporary file for ``parse``. The bytes
    decrypted must be the ones ``open_envelope`` hashed: a file changed since is refused."""
    import pyrage

    source = envelope.path or Path(path)
    try:
        handle, plain = Plain.create()
    except OSError as exc:
        raise refuse(path, NO_ROOM, error=exc.strerror or exc) from exc
    try:
        with os.fdopen(handle, "wb") as out:
            reader, writer = Stream(None, envelope.length), Stream(out)
            try:
                with open(source, "rb") as file:
                    file.seek(envelope.offset)
                    reader.file = file
                    pyrage.decrypt_io(reader, writer, [identity])
                    while reader.read(CHUNK):  # what pyrage left unread still counts for the hash
                        pass
            except OSError as exc:
                if reader.error is not None or reader.file is None:
                    raise refuse(path, CANNOT_READ, error=exc.strerror or exc) from exc
                if writer.error is not None:
                    raise refuse(path, NO_ROOM, error=exc.strerror or exc) from exc
                raise refuse(path, N_("it cannot be decrypted with this database's key.")) from exc
            except Exception as exc:  # noqa: BLE001 - pyrage raises its own error types
                raise refuse(path, N_("it cannot be decrypted with this database's key.")) from exc
        if reader.digest.digest() != envelope.ciphertext_sha256:
            raise refuse(path, BAD_SIGNATURE)  # the file changed after its signature was checked
    except BaseException:
        plain.close()
        raise
    return plain


def _payload_rows(conn: sqlite3.Connection, table: str, columns: str) -> list[tuple]:
    return conn.execute(f"SELECT {columns} FROM {table}").fetchall()


def _payload_db(plain: bytes | Plain) -> sqlite3.Connection:
    if isinstance(plain, Plain):  # read-only, and nothing else writes it: no locks, no journal
        return sqlite3.connect(plain.path.as_uri() + "?mode=ro&immutable=1", uri=True)
    conn = sqlite3.connect(":memory:")
    try:
        conn.deserialize(plain)
    except BaseException:
        conn.close()
        raise
    return conn


def parse(path: Path, plain: bytes | Plain, synced: dict[str, tuple[str, ...]], schema_version: int,
          now_ms: int) -> Payload:  # fmt: skip
    """The payload of a decrypted bundle, every row checked against this database's schema.
    ``plain`` is the payload database as bytes or as ``decrypt`` left it (removed once read)."""
    conn = None
    try:
        try:
            conn = _payload_db(plain)
            # Only plain tables are read: a view, a generated column or a virtual table computes
            # while it is read, and a few kilobytes of SQL can stand for gigabytes of rows.
            tables = {name for (name,) in conn.execute(
                "SELECT m.name FROM sqlite_master m WHERE m.type = 'table' AND m.rootpage > 0 AND m.name IN "
                "('manifest', 'change', 'tombstone') AND NOT EXISTS "
                "(SELECT 1 FROM pragma_table_xinfo(m.name) c WHERE c.hidden)")}  # fmt: skip
            if tables != {"manifest", "change", "tombstone"}:
                raise ValueError("not the three plain tables of a bundle")
            for table in ("change", "tombstone"):
                if conn.execute(f"SELECT count(*) FROM (SELECT 1 FROM {table} LIMIT {MAX_ROWS + 1})").fetchone()[0] > MAX_ROWS:
                    raise ValueError("too many rows")
            manifest = {k: json.loads(v) for k, v in _payload_rows(conn, "manifest", "key, value")}
            changes = _payload_rows(conn, "change", "tbl, row_id, field, value, hlc, replica, base_hlc, base_replica")
            tombstones = _payload_rows(conn, "tombstone", "tbl, row_id, hlc, replica, erased")
        except (sqlite3.Error, ValueError, TypeError, RecursionError, MemoryError) as exc:
            raise refuse(path, N_("its contents are damaged.")) from exc
    finally:
        if conn is not None:
            conn.close()
        if isinstance(plain, Plain):
            plain.close()
    version = manifest.get("schema_version")
    if not isinstance(version, int):
        raise refuse(path, N_("its contents are damaged."))
    if version > schema_version:
        raise refuse(path, N_("it comes from a newer version of Wijkkit (schema {found}); update Wijkkit here first."),
                     found=version)  # fmt: skip
    known = manifest.get("known")
    if not isinstance(known, dict) or not isinstance(manifest.get("sender"), str) or not all(
        isinstance(r, str) and len(r) <= MAX_ID and isinstance(h, int) and not isinstance(h, bool) and 0 <= h <= MAX_STAMP
        for r, h in known.items()
    ):
        raise refuse(path, N_("its contents are damaged."))
    limit = hlc.pack(now_ms + FUTURE_LIMIT_MS, 0)
    checked = None  # the ids of the change before, which passed: a bundle lists a row's fields together
    for tbl, row_id, name, value, stamp, replica, base_hlc, base_replica in changes:
        _check_row(path, synced, tbl, row_id, stamp, replica, limit, name, ids_known=(row_id, replica) == checked)
        checked = row_id, replica
        if name == "id" or name not in synced[tbl]:
            raise refuse(path, N_("it changes an unknown field {field} of {table}."), field=str(name)[:60],
                         table=str(tbl)[:60])  # fmt: skip
        if isinstance(value, str | bytes) and len(value) > MAX_VALUE:
            raise refuse(path, N_("a value in it is too large."))
        reason = problem(tbl, name, value)  # checked as the forms check it (a known table, field and row id)
        if reason is not None:
            raise refuse(path, INVALID_VALUE, field=name, table=tbl, row=row_id, problem=reason)
        if (base_hlc is not None and not isinstance(base_hlc, int)) or not (
            base_replica is None or is_replica_id(base_replica)
        ):
            raise refuse(path, N_("its contents are damaged."))
    for tbl, row_id, stamp, replica, erased in tombstones:
        _check_row(path, synced, tbl, row_id, stamp, replica, limit)
        if erased not in (0, 1):
            raise refuse(path, N_("its contents are damaged."))
    return Payload(manifest, changes, tombstones)


def _check_row(path: Path, synced: dict, tbl: Any, row_id: Any, stamp: Any, replica: Any, limit: int,
               name: Any = None, ids_known: bool = False) -> None:  # fmt: skip
    if tbl not in synced:
        raise refuse(path, N_("it names an unknown table {table}."), table=str(tbl)[:60])
    if not ids_known and not (is_row_id(row_id) and is_replica_id(replica)):
        raise refuse(path, N_("its contents are damaged."))
    if not isinstance(stamp, int) or isinstance(stamp, bool) or not 0 < stamp <= MAX_STAMP:
        raise refuse(path, N_("its contents are damaged."))
    if stamp > limit:
        raise refuse(path, N_("its clock lies more than a day ahead of this computer's: the date of the sender "
                              "or of this computer is wrong."))
