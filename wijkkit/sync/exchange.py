"""The two sides of sync: a laptop exports and imports, the hub merges an inbox.

Laptop: ``export`` writes ``<replica>-<seq>.wijksync`` with every change the hub
has not acknowledged; ``import_files`` applies the hub's return bundles (and
remembers what the hub acknowledged). Hub: ``merge_inbox`` verifies and merges
each complete bundle from trusted laptops, puts unknown laptops in the approval
queue, refuses bad files with a reason, and writes each laptop a return bundle;
``send_updates`` writes the return bundles alone (after edits at the hub). A
return bundle already in a laptop's outbox folder is not written again.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from wijkkit import hlc, schema
from wijkkit.errors import KitError
from wijkkit.i18n import N_
from wijkkit.sync import keys, merge
from wijkkit.sync.bundle import (
    SUFFIX,
    BundleError,
    Payload,
    decrypt,
    is_bundle_name,
    open_envelope,
    parse,
    refuse,
    seal,
    verify,
    write_file,
)

if TYPE_CHECKING:
    from wijkkit.kit import Kit


@dataclass
class Report:
    """What happened to each file, for the screen and the command line."""

    applied: list[tuple[str, merge.Result]] = field(default_factory=list)
    waiting: list[tuple[str, str]] = field(default_factory=list)  # (file, replica)
    refused: list[BundleError] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)  # return bundles still in the outbox, not written again
    superseded: list[Path] = field(default_factory=list)  # older return bundles removed: the new one holds it all


def _next_name(kit: Kit) -> tuple[str, str]:
    seq = int(kit._meta("sync_seq") or 0) + 1
    with kit.transaction():
        kit._set_meta("sync_seq", str(seq))
    bundle_id = f"{kit.replica_id}-{seq:06d}"
    return bundle_id, bundle_id + SUFFIX


def _payload(kit: Kit, since: dict[str, int], bundle_id: str) -> Payload:
    changes, tombstones = merge.collect(kit, since)
    if kit.hlc.last > kit.sent_watermark:
        with kit.transaction():  # local versions up to now have been sent: later edits get a fresh base
            kit.sent_watermark = kit.hlc.last
            kit._set_meta("sync_sent_hlc", str(kit.sent_watermark))
    manifest = {"format": 1, "sender": kit.replica_id, "bundle_id": bundle_id,
                "schema_version": schema.schema_version(), "created_at": datetime.now().isoformat(timespec="seconds"),
                "known": merge.known_vector(kit)}  # fmt: skip
    return Payload(manifest, changes, tombstones)


# -- laptop --------------------------------------------------------------------------------


def export(kit: Kit, folder: Path) -> Path:
    """Write one bundle with everything the hub has not acknowledged yet."""
    hub = keys.hub_of(kit)
    if hub is None:
        raise KitError(N_("This laptop does not know the municipality's hub yet: import the hub key file first."))
    acked = json.loads(kit._meta("hub_acked") or "{}")
    bundle_id, name = _next_name(kit)
    payload = _payload(kit, acked, bundle_id)
    data = seal(payload, keys.signing_key(kit), keys.public_sign_key(kit), keys.age_recipient(kit), hub.age_recipient)
    return write_file(data, Path(folder), name)


def _receive(kit: Kit, path: Path, sign_key: str) -> tuple[Payload, str]:
    envelope = open_envelope(path)
    verify(path, envelope, sign_key)
    plain = decrypt(path, envelope, keys.age_identity(kit))
    payload = parse(path, plain, {t: kit.columns(t) for t in kit.tables}, schema.schema_version(), hlc.wall_ms())
    if (payload.sender, payload.bundle_id) != (envelope.header["sender"], envelope.header["bundle_id"]) \
            or not payload.bundle_id.startswith(payload.sender + "-"):  # ids are '<sender>-...': no one
        raise refuse(path, N_("its contents do not belong to its sender."))  # can claim another's
    return payload, envelope.sha256


def import_files(kit: Kit, files: list[Path]) -> Report:
    """A laptop applies the hub's return bundles."""
    hub = keys.hub_of(kit)
    if hub is None:
        raise KitError(N_("This laptop does not know the municipality's hub yet: import the hub key file first."))
    report = Report()
    for path in files:
        try:
            header = open_envelope(path).header
            if header["sender"] != hub.replica:
                raise refuse(path, N_("it does not come from this laptop's hub."))
            payload, sha = _receive(kit, path, hub.sign_key)
            result = merge.apply(kit, payload, Path(path).name, sha)
        except BundleError as error:
            report.refused.append(error)
            continue
        acked = json.loads(kit._meta("hub_acked") or "{}")
        for replica, stamp in payload.known.items():
            if isinstance(stamp, int):
                acked[replica] = max(acked.get(replica, 0), stamp)
        with kit.transaction():
            kit._set_meta("hub_acked", json.dumps(acked))
        (report.already.append(Path(path).name) if result.already else report.applied.append((Path(path).name, result)))
    return report


# -- hub -------------------------------------------------------------------------------------


def merge_inbox(kit: Kit, inbox: Path, outbox: Path | None = None) -> Report:
    """Verify and merge every complete bundle in ``inbox``; write return bundles to ``outbox``."""
    keys.ensure_keys(kit)
    report = Report()
    if not Path(inbox).is_dir():
        raise KitError(N_("The inbox folder {path} does not exist."), path=str(inbox))
    for path in sorted(p for p in Path(inbox).iterdir() if p.is_file() and is_bundle_name(p)):
        try:
            envelope = open_envelope(path)
            sender = envelope.header["sender"]
            peer = keys.peer(kit, sender)
            if peer is None:  # a stranger: at least the file must be intact and signed by the key it names
                verify(path, envelope, envelope.header["sign_key"])
            if peer is None or not peer.trusted:
                if peer is None:
                    keys.note_pending(kit, sender, envelope.header["sign_key"], envelope.header["age_recipient"], "")
                report.waiting.append((path.name, sender))
                continue
            payload, sha = _receive(kit, path, peer.sign_key)
            record = functools.partial(keys.record_peer_bundle, kit, sender, path.name, payload.known)
            result = merge.apply(kit, payload, path.name, sha, then=record)  # one transaction: a crash keeps both or neither
        except BundleError as error:
            report.refused.append(error)
            continue
        if result.already:
            report.already.append(path.name)
            continue
        report.applied.append((path.name, result))
    if outbox is not None:
        _answer(kit, Path(outbox), report)
    return report


def send_updates(kit: Kit, outbox: Path) -> Report:
    """Write every trusted laptop its return bundle without merging anything (e.g. after edits at the hub)."""
    report = Report()
    _answer(kit, Path(outbox), report)
    return report


def write_returns(kit: Kit, outbox: Path) -> list[Path]:
    """For every trusted laptop, a bundle with what it has not seen yet; the bundles written."""
    return send_updates(kit, outbox).written


def _answer(kit: Kit, outbox: Path, report: Report) -> None:
    for peer in keys.peers(kit):
        if not peer.trusted:
            continue
        # Named after its contents, not a stored counter: a run that only refused files leaves
        # the hub database exactly as it was, and the same contents get the same name.
        payload = _payload(kit, peer.known, "")  # also when empty: it acknowledges what arrived
        digest = hashlib.sha256(repr((payload.changes, payload.tombstones, sorted(payload.known.items()))).encode())
        payload.manifest["bundle_id"] = bundle_id = f"{kit.replica_id}-{digest.hexdigest()[:16]}"
        target = outbox / peer.replica / (bundle_id + SUFFIX)
        if _still_there(kit, target, bundle_id):
            report.unchanged.append(target)  # rewriting it would only make Syncthing or Nextcloud copy it again
        else:
            data = seal(payload, keys.signing_key(kit), keys.public_sign_key(kit), keys.age_recipient(kit),
                        peer.age_recipient)  # fmt: skip
            report.written.append(write_file(data, target.parent, target.name))
        report.superseded += _clear_superseded(kit, target)


def _clear_superseded(kit: Kit, newest: Path) -> list[Path]:
    """Remove this hub's older return bundles beside ``newest``: it holds all they held that the
    laptop has not acknowledged, so they only pile up and cost the laptop a decryption each."""
    removed = []
    for path in sorted(newest.parent.iterdir()):
        if path == newest or not path.is_file() or not is_bundle_name(path):
            continue
        try:
            envelope = open_envelope(path)
            verify(path, envelope, keys.public_sign_key(kit))  # only the hub's own files, never a stranger's
            path.unlink()
        except (BundleError, OSError):
            continue
        removed.append(path)
    return removed


def _still_there(kit: Kit, path: Path, bundle_id: str) -> bool:
    """Whether ``path`` is this hub's intact bundle ``bundle_id``: the name stands for its contents
    (their hash), and the signature proves the file is whole and ours, so it need not be written again."""
    if not path.is_file():
        return False
    try:
        envelope = open_envelope(path)
        verify(path, envelope, keys.public_sign_key(kit))
    except BundleError:
        return False
    return (envelope.header["sender"], envelope.header["bundle_id"]) == (kit.replica_id, bundle_id)
