"""Who is who in sync: each database's own keys, the hub's signed key file, trusted laptops.

Every database (laptop or hub) gets, on first use, an Ed25519 key to sign what it
sends and an age X25519 identity to receive encrypted bundles. They are kept in
``_meta``, which never leaves the computer. Identity is the key, shown as a
fingerprint (identity.py) that people compare aloud.

The hub exports a small public key file signed with its own key; a laptop imports it
once (``join``), and changing hubs takes an explicit ``replace``. At the hub, every key
that sends a bundle in a laptop's name is recorded as a *claim*; one id can be claimed
by several keys (a stranger may copy a real laptop's id), so nothing is trusted by id
alone: the coordinator trusts one claim by its fingerprint (``trust``), the id is bound
to that key from then on, and any other key for it is refused and shown with a
warning. ``revoke`` ends a key's trust for good; the laptop comes back only with a new
key (``new_keys``).
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wijkkit.atomic import write_atomically
from wijkkit.errors import ImportFormatError, KitError, Message
from wijkkit.i18n import N_
from wijkkit.ids import is_replica_id
from wijkkit.sync.identity import fingerprint, normalise

if TYPE_CHECKING:
    from wijkkit.kit import Kit

KEY_FILE_FORMAT = "wijkkit-hub-key"
KEY_FILE_VERSION = 2  # version 1 had no signature
MAX_WAITING = 50  # keys waiting for approval at once: a folder full of strangers cannot grow the hub


@dataclass(frozen=True)
class HubKey:
    replica: str
    name: str
    sign_key: str  # Ed25519 public key, base64
    age_recipient: str  # age1...

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.sign_key, self.age_recipient)


@dataclass(frozen=True)
class Peer:
    """A laptop the coordinator trusted (``trusted`` 1), or whose trust was revoked (0, ``revoked_at``)."""

    replica: str
    name: str
    sign_key: str
    age_recipient: str
    trusted: int
    first_seen: str | None
    last_bundle: str | None
    last_bundle_at: str | None
    known: dict[str, int]
    fingerprint: str = ""
    revoked_at: str | None = None
    copied_at: str | None = None  # a bundle id came twice with other contents: the database was copied


@dataclass(frozen=True)
class Claim:
    """A key that sent bundles in a laptop's name and is not (or no longer) trusted for it."""

    replica: str
    fingerprint: str
    sign_key: str
    age_recipient: str
    first_seen: str | None
    last_seen: str | None
    rivals: int  # other keys claiming the same id (the trusted one included): never merge silently
    id_trusted: bool  # the id is already trusted with another key: this one is refused


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


# -- own identity ----------------------------------------------------------------------


def own_fingerprint(kit: Kit) -> str:
    return fingerprint(public_sign_key(kit), age_recipient(kit))


def new_keys(kit: Kit) -> str:
    """Fresh keys for this database (after a lost or copied laptop was revoked); its new fingerprint.

    The hub will see the new key as a new claim for this laptop's id, to be compared and trusted."""
    from nacl.signing import SigningKey
    from pyrage import x25519

    if is_hub(kit):
        raise KitError(N_("This database is the municipality's hub; its keys are not renewed this way."))
    with kit.transaction():
        kit._set_meta("sync_sign_key", _b64(bytes(SigningKey.generate())))
        kit._set_meta("sync_age_identity", str(x25519.Identity.generate()))
    return own_fingerprint(kit)


# -- the hub's key file: signed by the hub, so no key in it can be swapped ------------------


def _key_file_body(data: dict[str, Any]) -> bytes:
    fields = {k: data[k] for k in ("format", "version", "replica", "name", "sign_key", "age_recipient")}
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def export_hub_key(kit: Kit, path: Path, name: str = "") -> Path:
    """Write the hub's public key file for the laptops (nothing secret is in it), signed by the hub."""
    ensure_keys(kit)
    with kit.transaction():
        kit._set_meta("sync_role", "hub")
        if name:
            kit._set_meta("sync_name", name)
    data = {"format": KEY_FILE_FORMAT, "version": KEY_FILE_VERSION, "replica": kit.replica_id,
            "name": name or _meta(kit, "sync_name") or "", "sign_key": public_sign_key(kit),
            "age_recipient": age_recipient(kit)}  # fmt: skip
    data["signature"] = _b64(signing_key(kit).sign(_key_file_body(data)))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_atomically(path, json.dumps(data, indent=1, ensure_ascii=False).encode("utf-8"))


def read_hub_key(path: Path) -> HubKey:
    """The hub's key file, checked: its own signature must hold, or one key in it was swapped."""
    not_a_key = ImportFormatError(path=str(path), reason=Message(N_("it is not a hub key file.")))
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise not_a_key from exc
    if not isinstance(data, dict) or data.get("format") != KEY_FILE_FORMAT or not all(
        isinstance(data.get(k), str) and data.get(k) for k in ("replica", "sign_key", "age_recipient")
    ) or not isinstance(data.get("name", ""), str):
        raise not_a_key
    if data.get("version") == 1 or "signature" not in data:
        raise ImportFormatError(path=str(path), reason=Message(N_(
            "it was made by an older Wijkkit without a signature; make it again at the hub (wijkkit hub init).")))
    if data.get("version") != KEY_FILE_VERSION or not is_replica_id(data["replica"]) or len(data["name"]) > 200:
        raise not_a_key
    try:
        from nacl.signing import VerifyKey
        from pyrage import x25519

        x25519.Recipient.from_str(data["age_recipient"])
        VerifyKey(base64.b64decode(data["sign_key"], validate=True)).verify(
            _key_file_body({**data, "name": data.get("name", "")}), base64.b64decode(data["signature"], validate=True))
    except Exception as exc:  # noqa: BLE001 - a damaged key and a swapped one are the same problem for the user
        raise ImportFormatError(path=str(path), reason=Message(N_(
            "its keys do not match its signature: the file was changed or damaged. Ask the municipality "
            "for the file again and compare the fingerprint."))) from exc
    return HubKey(data["replica"], data.get("name", ""), data["sign_key"], data["age_recipient"])


def join(kit: Kit, path: Path, replace: bool = False) -> HubKey:
    """A laptop takes the hub's key file: from now on its bundles go to that hub.

    Another hub than the current one only with ``replace``: then the laptop forgets what it
    believed the old hub had received, so the new hub gets everything."""
    hub = read_hub_key(path)
    if is_hub(kit):
        raise KitError(N_("This database is the municipality's hub; a hub key is imported on the laptops."))
    if hub.replica == kit.replica_id:
        raise KitError(N_("This is the hub's own key: import it on a laptop, not on the hub."))
    current = hub_of(kit)
    other = current is not None and (current.replica, current.fingerprint) != (hub.replica, hub.fingerprint)
    if other and not replace:
        raise KitError(N_("This laptop already sends to hub {name} (fingerprint {fingerprint}). To send to "
                          "another hub from now on, join it with 'replace'."),
                       name=current.name or current.replica, fingerprint=current.fingerprint)  # fmt: skip
    ensure_keys(kit)
    with kit.transaction():
        for key, value in (("hub_replica", hub.replica), ("hub_name", hub.name), ("hub_sign_key", hub.sign_key),
                           ("hub_age_recipient", hub.age_recipient), ("sync_role", "laptop")):  # fmt: skip
            kit._set_meta(key, value)
        if other:
            kit._set_meta("hub_acked", "{}")
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


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


def peers(kit: Kit) -> list[Peer]:
    """Trusted laptops, and those whose trust was revoked (``trusted`` 0)."""
    rows = kit.query("SELECT * FROM _sync_peer ORDER BY trusted DESC, first_seen")
    return [Peer(r["replica"], r["name"] or "", r["sign_key"], r["age_recipient"], r["trusted"], r["first_seen"],
                 r["last_bundle"], r["last_bundle_at"], json.loads(r["known"] or "{}"), r["fingerprint"] or "",
                 r["revoked_at"], r["copied_at"]) for r in rows]  # fmt: skip


def peer(kit: Kit, replica: str) -> Peer | None:
    return next((p for p in peers(kit) if p.replica == replica), None)


def trusted_peer(kit: Kit, replica: str) -> Peer | None:
    found = peer(kit, replica)
    return found if found is not None and found.trusted else None


def is_revoked(kit: Kit, key_fingerprint: str) -> bool:
    return kit.conn.execute("SELECT 1 FROM _sync_revoked WHERE fingerprint = ?", [key_fingerprint]).fetchone() is not None


def note_claim(kit: Kit, replica: str, sign_key: str, recipient: str) -> str:
    """Record that this key sent a bundle as ``replica``; its fingerprint. A new claim is refused
    (KitError) while ``MAX_WAITING`` keys already wait."""
    found = fingerprint(sign_key, recipient)
    with kit.transaction():
        seen = kit.conn.execute("UPDATE _sync_claim SET last_seen = ? WHERE replica = ? AND fingerprint = ?",
                                [_now(), replica, found]).rowcount  # fmt: skip
        if not seen:
            if len(pending(kit)) >= MAX_WAITING:
                raise KitError(N_("{count} laptops are already waiting for approval; approve or remove them first."),
                               count=MAX_WAITING)  # fmt: skip
            kit.conn.execute("INSERT INTO _sync_claim VALUES (?, ?, ?, ?, ?, ?)",
                             [replica, found, sign_key, recipient, _now(), _now()])  # fmt: skip
    return found


def pending(kit: Kit) -> list[Claim]:
    """Keys waiting for approval: every claim that is not the trusted key of its id, nor revoked."""
    rows = kit.query(
        "SELECT c.*, (SELECT count(*) FROM _sync_claim o WHERE o.replica = c.replica) AS claims, "
        "p.trusted AS id_trusted FROM _sync_claim c LEFT JOIN _sync_peer p ON p.replica = c.replica "
        "WHERE c.fingerprint NOT IN (SELECT fingerprint FROM _sync_revoked) "
        "AND NOT (coalesce(p.trusted, 0) = 1 AND p.fingerprint = c.fingerprint) ORDER BY c.first_seen, c.replica"
    )
    return [Claim(r["replica"], r["fingerprint"], r["sign_key"], r["age_recipient"], r["first_seen"], r["last_seen"],
                  r["claims"] - 1, bool(r["id_trusted"])) for r in rows]  # fmt: skip


def forget_claim(kit: Kit, replica: str, key_fingerprint: str) -> bool:
    """Remove a waiting key (a stranger's) from the queue; it comes back if it sends again."""
    with kit.transaction():
        return bool(kit.conn.execute(
            "DELETE FROM _sync_claim WHERE replica = ? AND fingerprint = ? AND NOT EXISTS (SELECT 1 FROM _sync_peer p "
            "WHERE p.replica = _sync_claim.replica AND p.fingerprint = _sync_claim.fingerprint AND p.trusted)",
            [replica, normalise(key_fingerprint)]).rowcount)  # fmt: skip


def trust(kit: Kit, replica: str, key_fingerprint: str, name: str | None = None) -> Peer:
    """The coordinator trusts the key of a waiting laptop, by the fingerprint they compared:
    from now on this id belongs to that key, and its bundles are merged."""
    wanted = normalise(key_fingerprint)
    if not wanted:
        raise KitError(N_("'{fingerprint}' is not a fingerprint: it has 6 groups of 4 letters and digits."),
                       fingerprint=key_fingerprint)  # fmt: skip
    claim = next((c for c in pending(kit) if c.replica == replica and c.fingerprint == wanted), None)
    if claim is None:
        if is_revoked(kit, wanted):
            raise KitError(N_("The key {fingerprint} was revoked; that laptop needs a new key first."),
                           fingerprint=wanted)  # fmt: skip
        current = trusted_peer(kit, replica)
        if current is not None and current.fingerprint == wanted:
            return current
        raise KitError(N_("No laptop {replica} with fingerprint {fingerprint} is waiting for approval."),
                       replica=replica, fingerprint=wanted)  # fmt: skip
    if claim.id_trusted:
        raise KitError(N_("Laptop {replica} is already trusted with another key. If that laptop was lost or "
                          "copied, revoke it first."), replica=replica)  # fmt: skip
    with kit.transaction():
        kit.conn.execute(
            "INSERT INTO _sync_peer (replica, name, sign_key, age_recipient, trusted, first_seen, fingerprint) "
            "VALUES (?, coalesce(?, ''), ?, ?, 1, ?, ?) ON CONFLICT (replica) DO UPDATE SET trusted = 1, "
            "name = coalesce(?, name), sign_key = excluded.sign_key, age_recipient = excluded.age_recipient, "
            "fingerprint = excluded.fingerprint, revoked_at = NULL, copied_at = NULL",
            [replica, name, claim.sign_key, claim.age_recipient, claim.first_seen, wanted, name])  # fmt: skip
    return peer(kit, replica)


def revoke(kit: Kit, replica: str) -> Peer:
    """A lost or copied laptop: its key's bundles are refused from now on, it gets no return bundles,
    and it can be trusted again only with a new key."""
    found = trusted_peer(kit, replica)
    if found is None:
        raise KitError(N_("Laptop {replica} is not trusted here, so it cannot be revoked."), replica=replica)
    with kit.transaction():
        kit.conn.execute("UPDATE _sync_peer SET trusted = 0, revoked_at = ? WHERE replica = ?", [_now(), replica])
        kit.conn.execute("INSERT OR IGNORE INTO _sync_revoked VALUES (?, ?, ?)", [found.fingerprint, replica, _now()])
        kit.conn.execute("DELETE FROM _sync_given WHERE replica = ?", [replica])  # a new key gets everything again
    return peer(kit, replica)


def mark_copied(kit: Kit, replica: str) -> None:
    with kit.transaction():
        kit.conn.execute("UPDATE _sync_peer SET copied_at = coalesce(copied_at, ?) WHERE replica = ?", [_now(), replica])


def record_peer_bundle(kit: Kit, replica: str, bundle: str, known: dict[str, Any]) -> None:
    kit.conn.execute("UPDATE _sync_peer SET last_bundle = ?, last_bundle_at = ?, known = ? WHERE replica = ?",
                     [bundle, _now(), json.dumps(known), replica])  # fmt: skip
