"""The ``wijkkit`` command: opens the app, or runs one job from the command line.

Subcommands are the municipality's automation surface and speak English. With
no subcommand the desktop app starts; it lives in the separate ``ui`` package,
which the core never imports statically: ``_run_app`` looks it up at run time,
so every command-line job works where Qt is not installed.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

from wijkkit import __version__
from wijkkit.errors import KitError
from wijkkit.i18n import N_


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wijkkit", description="Wijkkit: a desktop kit for neighbourhood dialogues."
    )
    parser.add_argument("--version", action="version", version=f"wijkkit {__version__}")
    parser.add_argument("--data-dir", help="folder of the database (also $WIJKKIT_DATA_DIR)")
    parser.add_argument("--lang", choices=["nl", "en"], help="language of the app (default: nl)")
    parser.add_argument(
        "--demo", action="store_true", help="open the demo village (made first when the data dir has no database)"
    )
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="open every page offscreen on a temporary copy of the demo data, then exit",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser("demo", help="create a database holding the demo village")
    demo.add_argument("--db", required=True, help="the new database file")

    export = sub.add_parser("export", help="write the whole database as JSON")
    export.add_argument("--db", required=True)
    export.add_argument("--json", required=True, dest="out", help="the JSON file to write")

    imp = sub.add_parser("import", help="merge a JSON export into a database, by id")
    imp.add_argument("--db", required=True)
    imp.add_argument("file", help="the JSON file to read")
    handout = sub.add_parser("handout", help="write one of the printed handouts as PDF")
    handout.add_argument("kind", choices=["invitation", "poster", "programme", "script", "cards", "signin",
                                          "agreements", "feedback", "progress", "pack"])  # fmt: skip
    handout.add_argument("--db", required=True)
    handout.add_argument("--session", help="the meeting's id (all handouts but 'progress' need one)")
    handout.add_argument("--out", required=True, help="the PDF file to write")
    sync = sub.add_parser("sync", help="send results to the municipality's hub, take its updates")
    sync_sub = sync.add_subparsers(dest="sync_command", metavar="STEP", required=True)
    join = sync_sub.add_parser("join", help="import the hub's public key file (once per laptop)")
    join.add_argument("--db", required=True)
    join.add_argument("key_file")
    sync_export = sync_sub.add_parser("export", help="write a bundle for the hub into a folder")
    sync_export.add_argument("--db", required=True)
    sync_export.add_argument("--to", required=True, help="the outbox folder (USB stick, Syncthing, Nextcloud...)")
    sync_import = sync_sub.add_parser("import", help="apply return bundles from the hub")
    sync_import.add_argument("--db", required=True)
    sync_import.add_argument("files", nargs="+")

    hub = sub.add_parser("hub", help="the municipality's hub: keys, trust, merging")
    hub_sub = hub.add_subparsers(dest="hub_command", metavar="STEP", required=True)
    init = hub_sub.add_parser("init", help="create the hub's keys and write its public key file")
    init.add_argument("--db", required=True)
    init.add_argument("--key-out", required=True, help="the public key file to give to the laptops")
    init.add_argument("--name", default="", help="e.g. 'Gemeente Veldhorst'")
    pending = hub_sub.add_parser("pending", help="list laptops waiting for approval")
    pending.add_argument("--db", required=True)
    trust = hub_sub.add_parser("trust", help="trust a waiting laptop (its id, or the start of it)")
    trust.add_argument("--db", required=True)
    trust.add_argument("replica")
    trust.add_argument("--name", help="a name for the laptop, e.g. the facilitator's")
    merge = hub_sub.add_parser("merge", help="merge every bundle in the inbox; write return bundles")
    merge.add_argument("--db", required=True)
    merge.add_argument("--inbox", required=True)
    merge.add_argument("--outbox", help="where each laptop finds its return bundle (a folder per laptop)")
    return parser


def _sync(args: argparse.Namespace) -> int:
    from wijkkit.kit import Kit
    from wijkkit.sync import exchange, keys

    _existing(args.db)
    with Kit.open(args.db) as kit:
        if args.sync_command == "join":
            hub = keys.join(kit, Path(args.key_file))
            print(f"this laptop now sends to hub {hub.name or hub.replica}")
            return 0
        if args.sync_command == "export":
            path = exchange.export(kit, Path(args.to))
            print(f"wrote {path}")
            return 0
        return _print_report(exchange.import_files(kit, [Path(f) for f in args.files]))


def _hub(args: argparse.Namespace) -> int:
    from wijkkit.kit import Kit
    from wijkkit.sync import exchange, keys

    if args.hub_command != "init":
        _existing(args.db)
    with Kit.open(args.db) as kit:
        if args.hub_command == "init":
            keys.export_hub_key(kit, Path(args.key_out), args.name)
            print(f"hub keys ready; give {args.key_out} to the laptops")
            return 0
        if args.hub_command == "pending":
            for peer in keys.peers(kit):
                state = "trusted" if peer.trusted else "WAITING"
                print(f"{peer.replica}  {state}  first seen {peer.first_seen}  {peer.name}")
            return 0
        if args.hub_command == "trust":
            peer = keys.trust(kit, args.replica, args.name)
            print(f"trusted laptop {peer.replica}")
            return 0
        return _print_report(exchange.merge_inbox(kit, Path(args.inbox), Path(args.outbox) if args.outbox else None))


def _print_report(report) -> int:
    for name, result in report.applied:
        print(f"merged {name}: {result.applied} changes, {result.conflicts} conflicts kept for review, "
              f"{result.deleted} deletions")  # fmt: skip
    for name in report.already:
        print(f"skipped {name}: already merged")
    for name, replica in report.waiting:
        print(f"waiting {name}: laptop {replica} is not trusted yet (wijkkit hub trust --db ... {replica})")
    for error in report.refused:
        print(f"refused {error.english()}", file=sys.stderr)
    for path in report.written:
        print(f"wrote {path}")
    for path in report.unchanged:
        print(f"unchanged {path}: that laptop's latest return bundle is still there")
    for path in report.superseded:
        print(f"removed {path}: an older return bundle, replaced by the latest")
    return 1 if report.refused else 0


def _handout(args: argparse.Namespace) -> int:
    from wijkkit import handouts
    from wijkkit.kit import Kit

    _existing(args.db)
    with Kit.open(args.db) as kit:
        handouts.render(args.kind, kit, args.out, args.session)
    print(f"wrote {args.out}")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from wijkkit import demo

    if Path(args.db).exists() and Path(args.db).stat().st_size > 0:
        print(f"error: {args.db} already exists; choose a new file for the demo", file=sys.stderr)
        return 2
    demo.create(args.db)
    print(f"demo village written to {args.db}")
    return 0


def _existing(db: str) -> None:
    if not Path(db).is_file():
        raise KitError(N_("There is no database at {path}."), path=db)


def _export(args: argparse.Namespace) -> int:
    from wijkkit import jsonio
    from wijkkit.kit import Kit

    _existing(args.db)
    with Kit.open(args.db) as kit:
        jsonio.export_file(kit, args.out)
    print(f"exported {args.db} to {args.out}")
    return 0


def _import(args: argparse.Namespace) -> int:
    from wijkkit import jsonio
    from wijkkit.kit import Kit

    with Kit.open(args.db) as kit:  # a new file is fine: that is restoring a backup
        result = jsonio.import_file(kit, args.file)
    print(
        f"imported {args.file}: {result.inserted} new, {result.updated} updated, "
        f"{result.unchanged} unchanged, {result.skipped_deleted} skipped (deleted here)"
    )
    return 0


def _run_app(args: argparse.Namespace) -> int:
    try:
        app = importlib.import_module("ui.app")
    except ImportError as exc:
        print(f"error: the desktop app cannot start here ({exc}). Is PySide6 installed?", file=sys.stderr)
        return 3
    return app.run(args)


COMMANDS = {"demo": _demo, "export": _export, "import": _import, "handout": _handout, "sync": _sync, "hub": _hub}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command:
        from wijkkit import i18n

        i18n.set_language(args.lang)  # data made here (demo texts, checklists) is in the user's language
    handler = COMMANDS.get(args.command, _run_app)
    try:
        return handler(args)
    except KitError as exc:
        print(f"error: {exc.english()}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {exc.strerror or exc} ({exc.filename or ''})", file=sys.stderr)
        return 2
