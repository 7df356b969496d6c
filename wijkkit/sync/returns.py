"""The hub's return bundles: for each trusted laptop, what it has not seen of its own scope.

A laptop gets only the rows of the neighbourhoods it serves and the people linked to
them (scope.py), with the privacy rules of every bundle. Rows that newly entered its
scope (an assignment, a person linked to one of its meetings, a deletion the hub
refused) are sent whole until the laptop confirms it applied a bundle that carried
them (``_sync_given``): a per-writer acknowledgement cannot tell that a laptop lacks an
old row that was never its business before. A revoked laptop gets nothing, and its
folder in the outbox is emptied.

Return bundles are named after their contents: a run that changes nothing writes
nothing, and an older return bundle is removed once a newer one holds all it held.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from wijkkit.sync import keys, scope
from wijkkit.sync.bundle import (
    SUFFIX,
    BundleError,
    Payload,
    is_bundle_name,
    open_envelope,
    seal,
    verify,
    write_file,
)

if TYPE_CHECKING:
    from wijkkit.kit import Kit
    from wijkkit.sync.exchange import Report

MakePayload = Callable[[dict[str, int], str, str], Payload]  # (since, bundle id, peer) -> payload


def answer(kit: Kit, outbox: Path, report: Report, make_payload: MakePayload) -> None:
    for peer in keys.peers(kit):
        if not peer.trusted:
            report.superseded += empty_folder(outbox / peer.replica)
            continue
        with kit.transaction():
            _mark_rows(kit, peer.replica)
            from wijkkit.sync.merge import PRIVATE_PERSON_FIELDS

            overrule = []
            for tbl, row_id, field, refused in kit.conn.execute(
                    "SELECT o.tbl, o.row_id, o.field, o.hlc FROM _sync_overrule o JOIN temp._scope s USING (tbl, row_id) "
                    "WHERE o.replica = ? ORDER BY 1, 2, 3", [peer.replica]).fetchall():
                row = kit.row(tbl, row_id)
                if row is None or tbl == "person" and field in PRIVATE_PERSON_FIELDS and not row["consent_share"]:
                    continue
                version = kit.conn.execute("SELECT hlc, replica FROM _field_version WHERE tbl = ? AND row_id = ? "
                                           "AND field = ?", [tbl, row_id, field]).fetchone() or (None, None)
                overrule.append([tbl, row_id, field, refused, row[field], *version])
            restore = [list(r) for r in kit.conn.execute(
                "SELECT g.tbl, g.row_id FROM _sync_given g JOIN temp._scope s USING (tbl, row_id) "
                "WHERE g.replica = ? AND g.restore = 1 AND g.confirmed = 0 ORDER BY g.tbl, g.row_id", [peer.replica])]
            payload = make_payload(peer.known, "", peer.replica)  # also when empty: it acknowledges what arrived
            from wijkkit import retention

            period = retention.for_laptops(kit)  # the municipality's retention period, when it set one
            if period is not None:
                payload.manifest["retention"] = period
            if restore:
                payload.manifest["restore"] = restore
            if overrule:
                payload.manifest["overrule"] = overrule
            digest = hashlib.sha256(repr((payload.changes, payload.tombstones, sorted(payload.known.items()),
                                          restore, overrule, *([period] if period else []))).encode())  # fmt: skip
            payload.manifest["bundle_id"] = bundle_id = f"{kit.replica_id}-{digest.hexdigest()[:16]}"
            kit.conn.execute("UPDATE _sync_overrule SET bundle_id = ? WHERE replica = ?", [bundle_id, peer.replica])
            kit.conn.execute(
                "INSERT INTO _sync_given (replica, tbl, row_id, bundle_id) SELECT ?, tbl, row_id, ? FROM temp._full "
                "WHERE true ON CONFLICT DO UPDATE SET bundle_id = excluded.bundle_id "
                "WHERE _sync_given.confirmed = 0 AND _sync_given.bundle_id IS NOT excluded.bundle_id",
                [peer.replica, bundle_id])  # fmt: skip
        target = outbox / peer.replica / (bundle_id + SUFFIX)
        if _still_there(kit, target, bundle_id):
            report.unchanged.append(target)  # rewriting it would only make Syncthing or Nextcloud copy it again
        else:
            data = seal(payload, keys.signing_key(kit), keys.public_sign_key(kit), keys.age_recipient(kit),
                        peer.age_recipient)  # fmt: skip
            report.written.append(write_file(data, target.parent, target.name))
        report.superseded += _clear_superseded(kit, target)


def _mark_rows(kit: Kit, replica: str) -> None:
    """``temp._scope``: the laptop's rows; ``temp._full``: those to send whole (not confirmed yet)."""
    scope.fill(kit, replica)
    kit.conn.execute("CREATE TEMP TABLE IF NOT EXISTS _full (tbl TEXT, row_id TEXT, PRIMARY KEY (tbl, row_id)) WITHOUT ROWID")
    kit.conn.execute("DELETE FROM temp._full")
    kit.conn.execute("INSERT INTO temp._full SELECT s.tbl, s.row_id FROM temp._scope s LEFT JOIN _sync_given g "
                     "ON g.replica = ? AND g.tbl = s.tbl AND g.row_id = s.row_id WHERE coalesce(g.confirmed, 0) = 0",
                     [replica])  # fmt: skip


def empty_folder(folder: Path) -> list[Path]:
    """Remove every bundle from a revoked laptop's folder in the outbox."""
    removed = []
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.is_file() and path.name.endswith(SUFFIX):
                try:
                    path.unlink()
                except OSError:
                    continue
                removed.append(path)
    return removed


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
