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
"""

from __future__ import annotations

import base64
import hashlib
import json
import sqlite3
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wijkkit import hlc
from wijkkit.atomic import write_atomically
from wijkkit.errors import KitError, Message
from wijkkit.i18n import N_

MAGIC = b"WIJKSYN1"
SUFFIX = ".wijksync"
MAX_HEADER = 16_384
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


@dataclass(frozen=True)
class Envelope:
    header: dict[str, Any]
    raw_header: bytes
    signature: bytes
    ciphertext: bytes
    sha256: str


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
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise refuse(path, N_("the file cannot be read ({error})."), error=exc.strerror or exc) from exc
    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + 4 + 64:
        raise refuse(path, N_("it is not a Wijkkit bundle, or it is cut short."))
    (length,) = struct.unpack(">I", data[len(MAGIC): len(MAGIC) + 4])
    start = len(MAGIC) + 4
    if not 0 < length <= MAX_HEADER or len(data) < start + length + 64:
        raise refuse(path, N_("it is not a Wijkkit bundle, or it is cut short."))
    raw_header = data[start: start + length]
    signature = data[start + length: start + length + 64]
    ciphertext = data[start + length + 64:]
    try:
        header = json.loads(raw_header.decode("utf-8"))
        if not isinstance(header, dict) or header.get("format") != 1:
            raise ValueError("format")
        for key in ("sender", "sign_key", "age_recipient", "bundle_id"):
            if not isinstance(header.get(key), str) or not header[key] or len(header[key]) > 200:
                raise ValueError(key)
    except (ValueError, RecursionError) as exc:  # also JSON and Unicode errors, and JSON nested too deep
        raise refuse(path, N_("its header is damaged.")) from exc
    return Envelope(header, raw_header, signature, ciphertext, hashlib.sha256(data).hexdigest())


def verify(path: Path, envelope: Envelope, expected_key: str) -> None:
    """The signature must be by ``expected_key`` over exactly these bytes."""
    from nacl.exceptions import CryptoError
    from nacl.signing import VerifyKey

    if envelope.header["sign_key"] != expected_key:
        raise refuse(path, N_("it is signed with another key than the one known for {sender}."),
                     sender=envelope.header["sender"])  # fmt: skip
    try:
        key = VerifyKey(base64.b64decode(expected_key, validate=True))
        key.verify(MAGIC + envelope.raw_header + hashlib.sha256(envelope.ciphertext).digest(), envelope.signature)
    except (CryptoError, ValueError, TypeError) as exc:
        raise refuse(path, N_("its signature does not match: the file was changed or damaged.")) from exc


def decrypt(path: Path, envelope: Envelope, identity) -> bytes:
    import pyrage

    try:
        return pyrage.decrypt(envelope.ciphertext, [identity])
    except Exception as exc:  # noqa: BLE001 - pyrage raises its own error types
        raise refuse(path, N_("it cannot be decrypted with this database's key.")) from exc


def _payload_rows(conn: sqlite3.Connection, table: str, columns: str) -> list[tuple]:
    return conn.execute(f"SELECT {columns} FROM {table}").fetchall()


def parse(path: Path, plain: bytes, synced: dict[str, tuple[str, ...]], schema_version: int,
          now_ms: int) -> Payload:  # fmt: skip
    """The payload of a decrypted bundle, every row checked against this database's schema."""
    conn = sqlite3.connect(":memory:")
    try:
        try:
            conn.deserialize(plain)
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
        conn.close()
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
    for tbl, row_id, name, value, stamp, replica, base_hlc, base_replica in changes:
        _check_row(path, synced, tbl, row_id, stamp, replica, limit, name)
        if name == "id" or name not in synced[tbl]:
            raise refuse(path, N_("it changes an unknown field {field} of {table}."), field=str(name)[:60],
                         table=str(tbl)[:60])  # fmt: skip
        if isinstance(value, str | bytes) and len(value) > MAX_VALUE:
            raise refuse(path, N_("a value in it is too large."))
        if (base_hlc is not None and not isinstance(base_hlc, int)) or not (
            base_replica is None or isinstance(base_replica, str) and len(base_replica) <= MAX_ID
        ):
            raise refuse(path, N_("its contents are damaged."))
    for tbl, row_id, stamp, replica, erased in tombstones:
        _check_row(path, synced, tbl, row_id, stamp, replica, limit)
        if erased not in (0, 1):
            raise refuse(path, N_("its contents are damaged."))
    return Payload(manifest, changes, tombstones)


def _check_row(path: Path, synced: dict, tbl: Any, row_id: Any, stamp: Any, replica: Any, limit: int,
               name: Any = None) -> None:  # fmt: skip
    if tbl not in synced:
        raise refuse(path, N_("it names an unknown table {table}."), table=str(tbl)[:60])
    if not all(isinstance(text, str) and 0 < len(text) <= MAX_ID for text in (row_id, replica)):
        raise refuse(path, N_("its contents are damaged."))
    if not isinstance(stamp, int) or isinstance(stamp, bool) or not 0 < stamp <= MAX_STAMP:
        raise refuse(path, N_("its contents are damaged."))
    if stamp > limit:
        raise refuse(path, N_("its clock lies more than a day ahead of this computer's: the date of the sender "
                              "or of this computer is wrong."))
