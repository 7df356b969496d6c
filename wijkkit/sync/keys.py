"""Who is who in sync: each database's own keys, the hub's public key, trusted laptops.

Every database (laptop or hub) gets, on first use, an Ed25519 key to sign what it
sends and an age X25519 identity to receive encrypted bundles. They are kept in
``_meta``, which never leaves the computer. The hub exports a small public key
file; a laptop imports it once (``join``). A laptop's first bundle makes it known
to the hub as *pending*; the coordinator trusts it (``trust``) before its bundles
are merged.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wijkkit.errors import ImportFormatError, KitError, Message
from wijkkit.i18n import N_

if TYPE_CHECKING:
    from wijkkit.kit import Kit

KEY_FILE_FORMAT = "wijkkit-hub-key"


@dataclass(frozen=True)
class HubKey:
    replica: str
    name: str
    sign_key: str  # Ed25519 public key, base64
    age_recipient: str  # age1...


@dataclass(frozen=True)
class Peer:
    replica: str
    name: str
    sign_key: str
    age_recipient: str
    trusted: int
    first_seen: str | None
    last_bundle: str | None
    last_bundle_at: str | None
    known: dict[str, int]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _meta(kit: Kit, key: str) -> str | None:
    return kit._meta(key)


class Signer:
    """This database's Ed25519 key, signing with PyNaCl: ``sign`` gives the 64 raw bytes."""

    def __init__(self, seed: bytes) -> None:
        from nacl.signing import SigningKey

        self._key = SigningKey(seed)

    def sign(self, message: bytes) -> bytes:
        return self._key.sign(message).signature

    def public_bytes(self) -> bytes:
        return bytes(self._key.verify_key)


def ensure_keys(kit: Kit) -> None:
    """Make this database's signing key and age identity, once.

    The signing key is kept as its raw 32-byte Ed25519 seed (RFC 8032), the form any
    Ed25519 library reads: decision 0012 swapped cryptography for PyNaCl without
    touching a stored key.
    """
    if _meta(kit, "sync_sign_key") and _meta(kit, "sync_age_identity"):
        return
    from nacl.signing import SigningKey
    from pyrage import x25519

    with kit.transaction():
        kit._set_meta("sync_sign_key", _b64(bytes(SigningKey.generate())))
        kit._set_meta("sync_age_identity", str(x25519.Identity.generate()))


def signing_key(kit: Kit) -> Signer:
    ensure_keys(kit)
    return Signer(base64.b64decode(_meta(kit, "sync_sign_key")))


def public_sign_key(kit: Kit) -> str:
    return _b64(signing_key(kit).public_bytes())


def age_identity(kit: Kit):
    from pyrage import x25519

    ensure_keys(kit)
    return x25519.Identity.from_str(_meta(kit, "sync_age_identity"))


def age_recipient(kit: Kit) -> str:
    return str(age_identity(kit).to_public())


# -- the hub's key file ---------------------------------------------------------------


def export_hub_key(kit: Kit, path: Path, name: str = "") -> Path:
    """Write the hub's public key file for the laptops (nothing secret is in it)."""
    ensure_keys(kit)
    with kit.transaction():
        kit._set_meta("sync_role", "hub")
        if name:
            kit._set_meta("sync_name", name)
    data = {"format": KEY_FILE_FORMAT, "version": 1, "replica": kit.replica_id,
            "name": name or _meta(kit, "sync_name") or "", "sign_key": public_sign_key(kit),
            "age_recipient": age_recipient(kit)}  # fmt: skip
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)
    return path


def read_hub_key(path: Path) -> HubKey:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportFormatError(path=str(path), reason=Message(N_("it is not a hub key file."))) from exc
    if not isinstance(data, dict) or data.get("format") != KEY_FILE_FORMAT or not all(
        isinstance(data.get(k), str) and data.get(k) for k in ("replica", "sign_key", "age_recipient")
    ):
        raise ImportFormatError(path=str(path), reason=Message(N_("it is not a hub key file.")))
    try:
        from pyrage import x25519

        x25519.Recipient.from_str(data["age_recipient"])
        if len(base64.b64decode(data["sign_key"], validate=True)) != 32:
            raise ValueError("bad key length")
    except Exception as exc:  # noqa: BLE001 - any malformed key is the same problem for the user
        raise ImportFormatError(path=str(path), reason=Message(N_("the keys in it are damaged."))) from exc
    return HubKey(data["replica"], str(data.get("name") or ""), data["sign_key"], data["age_recipient"])


def join(kit: Kit, path: Path) -> HubKey:
    """A laptop takes the hub's key file: from now on its bundles go to that hub."""
    hub = read_hub_key(path)
    if is_hub(kit):
        raise KitError(N_("This database is the municipality's hub; a hub key is imported on the laptops."))
    if hub.replica == kit.replica_id:
        raise KitError(N_("This is the hub's own key: import it on a laptop, not on the hub."))
    ensure_keys(kit)
    with kit.transaction():
        for key, value in (("hub_replica", hub.replica), ("hub_name", hub.name), ("hub_sign_key", hub.sign_key),
                           ("hub_age_recipient", hub.age_recipient), ("sync_role", "laptop")):  # fmt: skip
            kit._set_meta(key, value)
    return hub


def hub_of(kit: Kit) -> HubKey | None:
    replica = _meta(kit, "hub_replica")
    if not replica:
        return None
    return HubKey(replica, _meta(kit, "hub_name") or "", _meta(kit, "hub_sign_key") or "",
                  _meta(kit, "hub_age_recipient") or "")  # fmt: skip


def is_hub(kit: Kit) -> bool:
    return _meta(kit, "sync_role") == "hub"


# -- laptops known at the hub -------------------------------------------------------------


def peers(kit: Kit) -> list[Peer]:
    rows = kit.query("SELECT * FROM _sync_peer ORDER BY trusted, first_seen")
    return [Peer(r["replica"], r["name"] or "", r["sign_key"], r["age_recipient"], r["trusted"], r["first_seen"],
                 r["last_bundle"], r["last_bundle_at"], json.loads(r["known"] or "{}")) for r in rows]  # fmt: skip


def peer(kit: Kit, replica: str) -> Peer | None:
    return next((p for p in peers(kit) if p.replica == replica), None)


def note_pending(kit: Kit, replica: str, sign_key: str, recipient: str, name: str) -> None:
    with kit.transaction():
        kit.conn.execute(
            "INSERT INTO _sync_peer (replica, name, sign_key, age_recipient, trusted, first_seen) "
            "VALUES (?, ?, ?, ?, 0, ?) ON CONFLICT (replica) DO NOTHING",
            [replica, name, sign_key, recipient, datetime.now().isoformat(timespec="seconds")],
        )


def trust(kit: Kit, replica: str, name: str | None = None) -> Peer:
    """The coordinator trusts a waiting laptop: its bundles are merged from now on."""
    found = peer(kit, replica) or next((p for p in peers(kit) if p.replica.startswith(replica)), None)
    if found is None:
        raise KitError(N_("No laptop {replica} is waiting for approval."), replica=replica)
    with kit.transaction():
        kit.conn.execute("UPDATE _sync_peer SET trusted = 1, name = coalesce(?, name) WHERE replica = ?",
                         [name, found.replica])  # fmt: skip
    return peer(kit, found.replica)


def record_peer_bundle(kit: Kit, replica: str, bundle: str, known: dict[str, Any]) -> None:
    kit.conn.execute("UPDATE _sync_peer SET last_bundle = ?, last_bundle_at = ?, known = ? WHERE replica = ?",
                     [bundle, datetime.now().isoformat(timespec="seconds"), json.dumps(known), replica])  # fmt: skip
