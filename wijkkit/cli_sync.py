"""The ``wijkkit sync`` and ``wijkkit hub`` commands: the municipality scripts these.

Laptop: join a hub (its signed key file), see its own identity, send and take bundles,
renew its keys. Hub: make its keys, list waiting keys with their fingerprints, trust one
by the fingerprint the coordinator compared, revoke a lost laptop, assign neighbourhoods,
merge the inbox, and export the overview. ``--json`` gives scripts the same facts. Ids
typed on the command line are checked before they touch the database or a path.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from wijkkit.errors import KitError
from wijkkit.i18n import N_
from wijkkit.ids import is_replica_id, is_row_id


def add_parsers(sub: argparse._SubParsersAction) -> None:
    sync = sub.add_parser("sync", help="send results to the municipality's hub, take its updates")
    steps = sync.add_subparsers(dest="sync_command", metavar="STEP", required=True)
    join = steps.add_parser("join", help="import the hub's signed public key file (once per laptop)")
    join.add_argument("--db", required=True)
    join.add_argument("key_file")
    join.add_argument("--replace", action="store_true", help="send to this hub instead of the current one")
    status = steps.add_parser("status", help="this laptop's id, fingerprint, hub and unsent changes")
    status.add_argument("--db", required=True)
    status.add_argument("--json", action="store_true")
    sync_export = steps.add_parser("export", help="write a bundle for the hub into a folder")
    sync_export.add_argument("--db", required=True)
    sync_export.add_argument("--to", required=True, help="the outbox folder (USB stick, Syncthing, Nextcloud...)")
    sync_import = steps.add_parser("import", help="apply return bundles from the hub")
    sync_import.add_argument("--db", required=True)
    sync_import.add_argument("files", nargs="+")
    new_key = steps.add_parser("new-key", help="make new keys (after this laptop was revoked at the hub)")
    new_key.add_argument("--db", required=True)
    preview = steps.add_parser("preview", help="what the next bundle would carry, names replaced (sends nothing)")
    preview.add_argument("--db", required=True)
    preview.add_argument("--json", action="store_true")

    hub = sub.add_parser("hub", help="the municipality's hub: keys, trust, scope, merging")
    steps = hub.add_subparsers(dest="hub_command", metavar="STEP", required=True)
    init = steps.add_parser("init", help="create the hub's keys and write its signed public key file")
    init.add_argument("--db", required=True)
    init.add_argument("--key-out", required=True, help="the public key file to give to the laptops")
    init.add_argument("--name", default="", help="e.g. 'Gemeente Veldhorst'")
    for name, text in (("status", "the hub's id, name and fingerprint"), ("pending", "keys waiting for approval"),
                       ("laptops", "trusted and revoked laptops with their neighbourhoods"),
                       ("refusals", "changes refused from trusted laptops")):  # fmt: skip
        step = steps.add_parser(name, help=text)
        step.add_argument("--db", required=True)
        step.add_argument("--json", action="store_true")
    trust = steps.add_parser("trust", help="trust a waiting laptop by the fingerprint you compared")
    trust.add_argument("--db", required=True)
    trust.add_argument("replica", help="the laptop's exact id")
    trust.add_argument("--fingerprint", required=True, help="as the facilitator read it out, e.g. ABCD-EFGH-...")
    trust.add_argument("--name", help="a name for the laptop, e.g. the facilitator's")
    revoke = steps.add_parser("revoke", help="refuse a lost or copied laptop from now on")
    revoke.add_argument("--db", required=True)
    revoke.add_argument("replica")
    revoke.add_argument("--outbox", help="the outbox folder (default: the one of the last merge)")
    for name, text in (("assign", "let a laptop serve neighbourhoods"), ("unassign", "take neighbourhoods away")):
        step = steps.add_parser(name, help=text)
        step.add_argument("--db", required=True)
        step.add_argument("replica")
        step.add_argument("neighbourhoods", nargs="+", metavar="NEIGHBOURHOOD_ID")
    merge = steps.add_parser("merge", help="merge every bundle in the inbox; write return bundles")
    merge.add_argument("--db", required=True)
    merge.add_argument("--inbox", required=True)
    merge.add_argument("--outbox", help="where each laptop finds its return bundle (a folder per laptop)")
    from wijkkit import cli_retention  # hub retention: the period the laptops take over

    cli_retention.add_parser(steps)
    report = steps.add_parser("report", help="write the overview tables of the hub page")
    report.add_argument("--db", required=True)
    report.add_argument("--xlsx", help="one workbook")
    report.add_argument("--csv", help="a folder for one CSV file per table")


def _replica(text: str) -> str:
    if not is_replica_id(text):
        raise KitError(N_("'{id}' is not a laptop id: it has 16 characters 0-9 and a-f."), id=text[:80])
    return text


def _show(args: argparse.Namespace, data: object, lines: list[str]) -> int:
    print(json.dumps(data, ensure_ascii=False, indent=1) if args.json else "\n".join(lines))
    return 0


def run_sync(args: argparse.Namespace, kit) -> int:
    from wijkkit.sync import exchange, keys

    if args.sync_command == "join":
        hub = keys.join(kit, Path(args.key_file), replace=args.replace)
        print(f"this laptop now sends to hub {hub.name or hub.replica}\nhub fingerprint: {hub.fingerprint}\n"
              "compare it with the fingerprint the municipality gives you")  # fmt: skip
        return 0
    if args.sync_command == "status":
        hub = keys.hub_of(kit)
        data = {"id": kit.replica_id, "fingerprint": keys.own_fingerprint(kit),
                "hub": None if hub is None else {"name": hub.name, "fingerprint": hub.fingerprint},
                "unsent": exchange.unsent(kit)}  # fmt: skip
        lines = [f"laptop id:   {data['id']}", f"fingerprint: {data['fingerprint']}",
                 "hub:         " + ("none yet (wijkkit sync join)" if hub is None else f"{hub.name or hub.replica} "
                                    f"({hub.fingerprint})"), f"unsent:      {data['unsent']} changes"]  # fmt: skip
        return _show(args, data, lines)
    if args.sync_command == "preview":
        from wijkkit.sync import preview

        found = preview.compute(kit)
        print(found.as_json() if args.json else "\n".join(preview_lines(found)))
        return 0
    if args.sync_command == "new-key":
        print(f"new keys made; fingerprint: {keys.new_keys(kit)}\nthe coordinator trusts this laptop again with it")
        return 0
    if args.sync_command == "export":
        print(f"wrote {exchange.export(kit, Path(args.to))}")
        return 0
    return print_report(exchange.import_files(kit, [Path(f) for f in args.files]))


def preview_lines(found) -> list[str]:
    """'wijkkit sync preview': the counts per kind, then every field as it would be sent."""
    from wijkkit.sync.preview import DELETED, ERASED, REDACTED, WITHHELD, marked

    counts = found.counts()
    if not counts:
        return ["the next bundle carries nothing new"]
    lines = ["the next bundle to the hub carries (rows per kind):"]
    lines += [f"  {table}: {n}" for table, n in sorted(counts.items())]
    lines.append(f"fields: {len(found.lines)}, names replaced in {found.count(REDACTED)}, "
                 f"held back (no consent to share) {found.count(WITHHELD)}")  # fmt: skip
    lines.append("replaced names are between « and »")
    current = None
    for line in found.lines:
        if (line.table, line.row_id) != current:
            current = (line.table, line.row_id)
            label = found.labels.get(current, "")
            lines.append(f"{line.table} {line.row_id}" + (f" ({label})" if label else ""))
        if line.status in (DELETED, ERASED):
            lines.append("  erased" if line.status == ERASED else "  deleted")
        elif line.status == WITHHELD:
            lines.append(f"  {line.field}: held back (no consent to share)")
        elif line.status == REDACTED:
            lines.append(f"  {line.field}: {json.dumps(marked(line), ensure_ascii=False)}  (names replaced)")
        else:
            lines.append(f"  {line.field}: {json.dumps(line.sent, ensure_ascii=False)}")
    return lines


def run_hub(args: argparse.Namespace, kit) -> int:
    from wijkkit.sync import authority, exchange, keys, returns, scope

    command = args.hub_command
    if command == "init":
        keys.export_hub_key(kit, Path(args.key_out), args.name)
        print(f"hub keys ready; give {args.key_out} to the laptops\nhub fingerprint: {keys.own_fingerprint(kit)}")
        return 0
    if command == "status":
        data = {"id": kit.replica_id, "name": kit._meta("sync_name") or "", "fingerprint": keys.own_fingerprint(kit)}
        return _show(args, data, [f"hub id:      {data['id']}", f"name:        {data['name']}",
                                  f"fingerprint: {data['fingerprint']}"])  # fmt: skip
    if command == "pending":
        claims = keys.pending(kit)
        data = [{"id": c.replica, "fingerprint": c.fingerprint, "first_seen": c.first_seen,
                 "other_keys": c.rivals, "id_trusted": c.id_trusted} for c in claims]  # fmt: skip
        lines = [f"{c.replica}  {c.fingerprint}  first seen {c.first_seen}" + _warning(c) for c in claims]
        return _show(args, data, lines or ["no laptop is waiting"])
    if command == "laptops":
        data = [{"id": p.replica, "name": p.name, "fingerprint": p.fingerprint, "trusted": bool(p.trusted),
                 "revoked_at": p.revoked_at, "copied_at": p.copied_at, "last_bundle_at": p.last_bundle_at,
                 "neighbourhoods": scope.neighbourhoods(kit, p.replica)} for p in keys.peers(kit)]  # fmt: skip
        lines = [f"{d['id']}  {d['fingerprint']}  {'trusted' if d['trusted'] else 'REVOKED'}  {d['name']}  "
                 f"neighbourhoods: {', '.join(n['name'] or n['id'] for n in d['neighbourhoods']) or '-'}"
                 + ("  WARNING: its database was copied" if d["copied_at"] else "") for d in data]  # fmt: skip
        return _show(args, data, lines or ["no laptop is trusted yet"])
    if command == "refusals":
        data = authority.refusals(kit)
        lines = [f"{r['at']}  laptop {r['replica']}  {r['tbl']} {r['row_id']} {r['field'] or '(deleted)'}: "
                 f"{r['reason_text']}" for r in data]  # fmt: skip
        return _show(args, data, lines or ["no refused changes"])
    if command == "trust":
        peer = keys.trust(kit, _replica(args.replica), args.fingerprint, args.name)
        print(f"trusted laptop {peer.replica} with fingerprint {peer.fingerprint}")
        return 0
    if command == "revoke":
        peer = keys.revoke(kit, _replica(args.replica))
        outbox = args.outbox or kit._meta("sync_outbox")
        removed = returns.empty_folder(Path(outbox) / peer.replica) if outbox else []
        print(f"revoked laptop {peer.replica} ({peer.fingerprint}); removed {len(removed)} return bundles")
        return 0
    if command in ("assign", "unassign"):
        ids = [n for n in args.neighbourhoods if is_row_id(n)]
        if len(ids) != len(args.neighbourhoods):
            raise KitError(N_("'{id}' is not a neighbourhood id."), id=next(n for n in args.neighbourhoods if n not in ids)[:80])
        done = (scope.assign if command == "assign" else scope.unassign)(kit, _replica(args.replica), ids)
        print(f"{command}ed {len(done)} neighbourhoods for laptop {args.replica}")
        return 0
    if command == "report":
        return _report(args, kit)
    if command == "retention":
        from wijkkit import cli_retention

        return cli_retention.run(args, kit)
    return print_report(exchange.merge_inbox(kit, Path(args.inbox), Path(args.outbox) if args.outbox else None))


def _warning(claim) -> str:
    if claim.id_trusted:
        return "  WARNING: this id is already trusted with another key; this key is refused"
    if claim.rivals:
        return f"  WARNING: {claim.rivals} other key(s) claim the same id; compare the fingerprint"
    return ""


def _report(args: argparse.Namespace, kit) -> int:
    from wijkkit import hub_report

    if not (args.xlsx or args.csv):
        raise KitError(N_("Say where the report goes: --xlsx FILE or --csv FOLDER."))
    overview = hub_report.overview(kit)
    if args.xlsx:
        print(f"wrote {hub_report.write_xlsx(overview, Path(args.xlsx))}")
    if args.csv:
        for path in hub_report.write_csv(overview, Path(args.csv)):
            print(f"wrote {path}")
    return 0


def print_report(report) -> int:
    for name, result in report.applied:
        print(f"merged {name}: {result.applied} changes, {result.conflicts} conflicts kept for review, "
              f"{result.deleted} deletions")  # fmt: skip
    from wijkkit.sync.authority import REASONS

    for name, table, row, field, _value, _stamp, stamped_by, reason in report.refusals:
        print(f"refused change in {name}: {table} {row} {field or '(deletion)'} stamped by {stamped_by}: "
              f"{REASONS.get(reason, reason)}", file=sys.stderr)  # fmt: skip
    for name in report.already:
        print(f"skipped {name}: already merged")
    for name, reason in report.skipped:
        print(f"skipped {name}: refused before ({reason})")
    for name, replica in report.waiting:
        print(f"waiting {name}: laptop {replica} is not trusted yet (wijkkit hub pending --db ...)")
    for error in report.refused:
        print(f"refused {error.english()}", file=sys.stderr)
    for path in report.written:
        print(f"wrote {path}")
    for path in report.unchanged:
        print(f"unchanged {path}: that laptop's latest return bundle is still there")
    for path in report.superseded:
        print(f"removed {path}: an older return bundle, replaced by the latest")
    return 1 if report.refused else 0
