"""The two sides of sync: a laptop exports and imports, the hub merges an inbox.

Laptop: ``export`` writes ``<replica>-<seq>.wijksync`` with every change the hub
has not acknowledged; ``import_files`` applies the hub's return bundles (and
remembers what the hub acknowledged, never more than this laptop sent). Hub:
``merge_inbox`` verifies each complete bundle, merges what a trusted laptop may
write (authority.py) and logs the rest, puts unknown keys in the approval queue,
refuses bad files with a reason (and does not read a refused file again), and
writes each laptop a return bundle of its own neighbourhoods (returns.py).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from wijkkit import hlc, schema
from wijkkit.errors import KitError
from wijkkit.i18n import N_
from wijkkit.ids import is_bundle_id, is_replica_id
from wijkkit.sync import authority, inbox, keys, merge
from wijkkit.sync.bundle import (
    SUFFIX,
    BundleError,
    Payload,
    decrypt,
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
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, reason): refused before, not read again
    refusals: list[tuple] = field(default_factory=list)  # changes refused from trusted laptops (authority.py)
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)  # return bundles still in the outbox, not written again
    superseded: list[Path] = field(default_factory=list)  # older return bundles removed: the new one holds it all


def _next_name(kit: Kit) -> tuple[str, str]:
    seq = int(kit._meta("sync_seq") or 0) + 1
    with kit.transaction():
        kit._set_meta("sync_seq", str(seq))
    bundle_id = f"{kit.replica_id}-{seq:06d}"
    return bundle_id, bundle_id + SUFFIX


def _payload(kit: Kit, since: dict[str, int], bundle_id: str, peer: str | None = None) -> Payload:
    changes, tombstones = merge.collect(kit, since, peer)
    high = merge.own_high(kit)
    if high > kit.sent_watermark:
        with kit.transaction():  # local versions up to now have been sent: later edits get a fresh base
            kit.sent_watermark = high
            kit._set_meta("sync_sent_hlc", str(kit.sent_watermark))
    manifest = {"format": 1, "sender": kit.replica_id, "bundle_id": bundle_id,
                "schema_version": schema.schema_version(), "created_at": datetime.now().isoformat(timespec="seconds"),
                "known": merge.known_vector(kit)}  # fmt: skip
    hub = keys.hub_of(kit) if peer is None else None
    if hub is not None:  # the hub's return bundles this laptop applied: the hub learns what reached it
        manifest["returns"] = [r for (r,) in kit.conn.execute(
            "SELECT bundle_id FROM _sync_applied WHERE sender = ? ORDER BY rowid DESC LIMIT 20", [hub.replica])]
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
    written = write_file(data, Path(folder), name)
    from wijkkit.sync import forget

    forget.note_sent(kit, payload)  # the days each person's data went to the hub, for the inzage
    return written


def unsent(kit: Kit) -> int:
    """How many field changes and deletions wait to be sent to the hub (what ``export`` would carry,
    less the names and contact details held back for want of consent)."""
    acked = json.loads(kit._meta("hub_acked") or "{}")
    conn = kit.conn
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS _acked (replica TEXT PRIMARY KEY, hlc INTEGER)")
    conn.execute("DELETE FROM temp._acked")
    conn.executemany("INSERT INTO temp._acked VALUES (?, ?)", list(acked.items()))
    private = ", ".join(f"'{f}'" for f in merge.PRIVATE_PERSON_FIELDS)
    fields = conn.execute(
        "SELECT count(*) FROM _field_version fv LEFT JOIN temp._acked a ON a.replica = fv.replica "
        "WHERE fv.hlc > coalesce(a.hlc, 0) AND NOT (fv.tbl = 'person' AND fv.field IN (" + private + ") AND "
        "NOT EXISTS (SELECT 1 FROM person p WHERE p.id = fv.row_id AND p.consent_share))").fetchone()[0]
    deletions = conn.execute("SELECT count(*) FROM _tombstone t LEFT JOIN temp._acked a ON a.replica = t.replica "
                             "WHERE t.hlc > coalesce(a.hlc, 0)").fetchone()[0]  # fmt: skip
    return fields + deletions


def _receive(kit: Kit, path: Path, sign_key: str) -> tuple[Payload, str]:
    envelope = open_envelope(path)
    verify(path, envelope, sign_key)
    plain = decrypt(path, envelope, keys.age_identity(kit))
    payload = parse(path, plain, {t: kit.columns(t) for t in kit.tables}, schema.schema_version(), hlc.wall_ms())
    if (payload.sender, payload.bundle_id) != (envelope.header["sender"], envelope.header["bundle_id"]) \
            or not is_bundle_id(payload.bundle_id, payload.sender):  # ids are '<sender>-...': no one
        raise refuse(path, N_("its contents do not belong to its sender."))  # can claim another's
    return payload, envelope.sha256


def _sender(path: Path, envelope) -> str:
    """The sender's id, checked before it names a folder, a log line or a database row."""
    sender = envelope.header["sender"]
    if not is_replica_id(sender) or not is_bundle_id(envelope.header["bundle_id"], sender):
        raise refuse(path, N_("its sender's id is not valid."))
    return sender


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
            restore = functools.partial(_restore_and_overrule, kit, payload.manifest.get("restore"),
                                        payload.manifest.get("overrule"))
            result = merge.apply(kit, payload, Path(path).name, sha, before=restore)
        except BundleError as error:
            report.refused.append(error)
            continue
        _note_acknowledged(kit, payload.known)
        from wijkkit import retention  # the hub's retention period, checked before it is taken

        retention.receive(kit, payload.manifest.get("retention"))
        (report.already.append(Path(path).name) if result.already else report.applied.append((Path(path).name, result)))
    return report


def _note_acknowledged(kit: Kit, known: dict[str, int]) -> None:
    """Remember what the hub says it has, but never more than this laptop has sent or seen: an
    acknowledgement beyond that (a fake or broken hub) would stop it from ever sending again."""
    acked = json.loads(kit._meta("hub_acked") or "{}")
    mine = merge.known_vector(kit)
    mine[kit.replica_id] = kit.sent_watermark
    for replica, stamp in known.items():
        if isinstance(stamp, int) and replica in mine:
            acked[replica] = max(acked.get(replica, 0), min(stamp, mine[replica]))
    with kit.transaction():
        kit._set_meta("hub_acked", json.dumps(acked))


def _restore_and_overrule(kit: Kit, rows: object, overrule: object) -> None:
    """Changes of this laptop the hub refused: its own version goes, the hub's value (and version) comes."""
    _restore(kit, rows)
    if not isinstance(overrule, list):
        return
    for item in overrule[: merge.MAX_RESTORE]:
        if not (isinstance(item, list) and len(item) == 7 and item[0] in kit.tables and item[2] in kit.columns(item[0])
                and item[2] != "id" and isinstance(item[3], int)):
            continue
        tbl, row_id, field, refused, value, hub_hlc, hub_replica = item
        mine = kit.conn.execute("SELECT hlc FROM _field_version WHERE tbl = ? AND row_id = ? AND field = ? AND replica = ?",
                                [tbl, row_id, field, kit.replica_id]).fetchone()
        if mine is None or mine[0] > refused:
            continue  # written again since: that write is judged when it comes
        kit.conn.execute(f"UPDATE [{tbl}] SET [{field}] = ? WHERE id = ?", [value, row_id])
        kit.conn.execute("DELETE FROM _field_version WHERE tbl = ? AND row_id = ? AND field = ?", [tbl, row_id, field])
        if isinstance(hub_hlc, int) and isinstance(hub_replica, str):
            kit.conn.execute("INSERT INTO _field_version VALUES (?, ?, ?, ?, ?, NULL, NULL)",
                             [tbl, row_id, field, hub_hlc, hub_replica])
        kit._touched(tbl, row_id)


def _restore(kit: Kit, rows: object) -> None:
    """Deletions of this laptop that the hub refused: lift them, so the hub's rows come back."""
    if not isinstance(rows, list):
        return
    for row in rows[: merge.MAX_RESTORE]:
        if isinstance(row, list) and len(row) == 2 and row[0] in kit.tables and isinstance(row[1], str):
            kit.conn.execute("DELETE FROM _tombstone WHERE tbl = ? AND row_id = ? AND replica = ? AND erased = 0",
                             [row[0], row[1], kit.replica_id])  # fmt: skip


# -- hub -------------------------------------------------------------------------------------


def merge_inbox(kit: Kit, folder: Path, outbox: Path | None = None) -> Report:
    """Verify and merge every complete bundle in ``folder``; write return bundles to ``outbox``."""
    keys.ensure_keys(kit)
    if not Path(folder).is_dir():
        raise KitError(N_("The inbox folder {path} does not exist."), path=str(folder))
    inbox.forget_missing(kit, Path(folder))
    return merge_files(kit, inbox.bundles(Path(folder)), outbox)


def merge_files(kit: Kit, files: list[Path], outbox: Path | None = None) -> Report:
    """Verify and merge the bundles ``files`` as ``merge_inbox`` does (e.g. one the coordinator opened
    by double-clicking it); write return bundles to ``outbox``."""
    keys.ensure_keys(kit)
    report = Report()
    for path in files:
        if reason := inbox.remembered(kit, path):
            report.skipped.append((path.name, reason))
            continue
        try:
            _merge_one(kit, path, report)
        except BundleError as error:
            report.refused.append(error)
    if outbox is not None and kit._meta("sync_outbox") != str(Path(outbox).resolve()):
        with kit.transaction():  # where a revoked laptop's return bundles are to be removed
            kit._set_meta("sync_outbox", str(Path(outbox).resolve()))
    if outbox is not None:
        _answer(kit, Path(outbox), report)
    return report


def _merge_one(kit: Kit, path: Path, report: Report) -> None:
    envelope = None
    try:
        envelope = open_envelope(path)
        header_key = (envelope.header["sign_key"], envelope.header["age_recipient"])
        verify(path, envelope, header_key[0])  # intact and signed by the key it names, before anything else
        sender = _sender(path, envelope)
        if sender == kit.replica_id:  # its own return bundle (double-clicked in the outbox): not a laptop waiting
            raise refuse(path, N_("this hub wrote it itself, for a laptop that fetches it."))
        peer = keys.trusted_peer(kit, sender)
        if keys.is_revoked(kit, keys.fingerprint(*header_key)):
            raise refuse(path, N_("it is signed with a key that was revoked at this hub."))
    except BundleError as error:
        if inbox.lasting(error):  # damaged or a stranger's: not read again (a locked file is, next time)
            inbox.remember(kit, path, error.english(), envelope.sha256 if envelope is not None else None)
        raise
    if peer is None or peer.sign_key != header_key[0]:
        try:
            keys.note_claim(kit, sender, *header_key)
        except KitError as error:
            raise refuse(path, error.template, **error.params) from error
        if peer is not None:
            error = refuse(path, N_("it is signed with another key than the one known for {sender}; both keys "
                                    "are listed with a warning."), sender=sender)  # fmt: skip
            inbox.remember(kit, path, error.english(), envelope.sha256)
            raise error
        report.waiting.append((path.name, sender))
        return
    if kit.conn.execute("SELECT 1 FROM _sync_applied WHERE sha256 = ?", [envelope.sha256]).fetchone():
        report.already.append(path.name)  # this very file was merged before: no need to open it again
        return
    payload, sha = _receive(kit, path, peer.sign_key)
    before = kit.conn.execute("SELECT sha256 FROM _sync_applied WHERE bundle_id = ?", [payload.bundle_id]).fetchone()
    if before is not None and before[0] != sha:
        keys.mark_copied(kit, sender)
        raise refuse(path, N_("its id {bundle} came before with other contents: this laptop's data was copied "
                              "to another computer. Revoke the laptop and give it a new key."),
                     bundle=payload.bundle_id)  # fmt: skip
    verdict = authority.judge(kit, sender, payload)
    returns = payload.manifest.get("returns") if isinstance(payload.manifest.get("returns"), list) else []

    def bookkeeping() -> None:  # in the merge's transaction: a crash keeps all of it or none
        keys.record_peer_bundle(kit, sender, path.name, payload.known)
        authority.settle(kit, sender, verdict, path.name, returns)

    result = merge.apply(kit, verdict.payload(payload.manifest), path.name, sha, then=bookkeeping)
    if result.already:
        report.already.append(path.name)
        return
    report.applied.append((path.name, result))
    report.refusals += [(path.name, *r) for r in verdict.refused]


def send_updates(kit: Kit, outbox: Path) -> Report:
    """Write every trusted laptop its return bundle without merging anything (e.g. after edits at the hub)."""
    report = Report()
    _answer(kit, Path(outbox), report)
    return report


def write_returns(kit: Kit, outbox: Path) -> list[Path]:
    """For every trusted laptop, a bundle with what it has not seen yet; the bundles written."""
    return send_updates(kit, outbox).written


def _answer(kit: Kit, outbox: Path, report: Report) -> None:
    from wijkkit.sync import returns

    returns.answer(kit, outbox, report, functools.partial(_payload, kit))
