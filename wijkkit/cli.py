"""The ``wijkkit`` command line: one job per subcommand, for the municipality's scripts.

Subcommands are the municipality's automation surface and speak English. With no
subcommand the desktop app starts, but the core never names the app: ``main`` takes
the app's runner from its caller, ``wijkkit_launcher`` (above both ``wijkkit`` and
``ui``, decision 0001). So every command-line job works where Qt is not installed, and
``python -m wijkkit`` without a subcommand says where the app is instead of opening it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from wijkkit import __version__
from wijkkit.console import prepare_streams
from wijkkit.errors import KitError
from wijkkit.i18n import N_

AppRunner = Callable[[argparse.Namespace], int]


APP_FLAGS = {"--passphrase": "passphrase", "--demo": "demo", "--smoke-test": "smoke_test"}
APP_VALUES = {"--data-dir": "data_dir", "--lang": "lang"}
APP_LANGUAGES = ("nl", "en")


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The arguments. A start of the app (only its own options, spelt out: the usual case) is read
    here, as the whole parser reads it, without building that parser and importing the subcommands'
    modules (a tenth of the app's start); anything else (a subcommand, --help, an abbreviation, a
    value that starts with "-", an error) goes through the whole parser, which says what it always said."""
    words = list(sys.argv[1:] if argv is None else argv)
    found: dict[str, object] = {**dict.fromkeys(APP_VALUES.values()), **dict.fromkeys(APP_FLAGS.values(), False)}
    pending = None
    for word in words:
        option, equals, value = word.partition("=")
        if pending is not None and not word.startswith("-"):
            found[pending], pending = word, None
        elif pending is None and word in APP_FLAGS:
            found[APP_FLAGS[word]] = True
        elif pending is None and word in APP_VALUES:
            pending = APP_VALUES[word]
        elif pending is None and equals and option in APP_VALUES:
            found[APP_VALUES[option]] = value
        else:
            return _parser().parse_args(words)
    if pending is not None or found["lang"] not in (None, *APP_LANGUAGES):
        return _parser().parse_args(words)
    return argparse.Namespace(**found, command=None)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wijkkit", description="Wijkkit: a desktop kit for neighbourhood dialogues."
    )
    parser.add_argument("--version", action="version", version=f"wijkkit {__version__}")
    parser.add_argument("--data-dir", help="folder of the database (also $WIJKKIT_DATA_DIR)")
    parser.add_argument("--lang", choices=APP_LANGUAGES, help="language of the app (default: nl)")
    parser.add_argument("--passphrase", action="store_true",
                        help="wrap the key of a new database with a passphrase ($WIJKKIT_PASSPHRASE or asked)")  # fmt: skip
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
                                          "agreements", "feedback", "progress", "privacy", "pack"])  # fmt: skip
    handout.add_argument("--db", required=True)
    handout.add_argument("--session", help="the meeting's id (all handouts but 'progress' need one; see 'wijkkit sessions')")
    handout.add_argument("--out", required=True, help="the PDF file to write; feedback and progress also write an "
                         "accessible HTML file beside it (the same name, .html), for screen readers")  # fmt: skip
    from wijkkit import cli_key, cli_outreach, cli_person, cli_sessions, cli_sync

    cli_sync.add_parsers(sub)
    cli_key.add_parsers(sub)
    cli_person.add_parsers(sub, COMMANDS)  # 'wijkkit person': list, inzage, erase
    cli_sessions.add_parsers(sub, COMMANDS)  # 'wijkkit sessions': the meetings and their ids
    cli_outreach.add_parsers(sub, COMMANDS)  # 'wijkkit invite' and 'wijkkit feedback': texts and e-mail drafts
    return parser


def _sync(args: argparse.Namespace) -> int:
    from wijkkit import cli_sync
    from wijkkit.kit import Kit

    existing(args.db)
    with Kit.open(args.db) as kit:
        return cli_sync.run_sync(args, kit)


def _hub(args: argparse.Namespace) -> int:
    from wijkkit import cli_sync
    from wijkkit.kit import Kit

    if args.hub_command != "init":
        existing(args.db)
    with Kit.open(args.db) as kit:
        return cli_sync.run_hub(args, kit)


def _handout(args: argparse.Namespace) -> int:
    from wijkkit import handouts
    from wijkkit.handouts.render import NEEDS_SESSION
    from wijkkit.kit import Kit

    existing(args.db)
    if args.kind in NEEDS_SESSION and not args.session:
        raise KitError(N_("The handout '{kind}' is about one meeting: give its id with --session. "
                          "'wijkkit sessions --db {db}' lists the meetings and their ids."), kind=args.kind, db=args.db)  # fmt: skip
    with Kit.open(args.db) as kit:
        made = handouts.render(args.kind, kit, args.out, args.session)
    print(f"wrote {args.out}")
    if made.html_path:  # the reports shared digitally: always with their accessible HTML, never forgotten
        print(f"wrote {made.html_path}")
    if made.gaps:  # written all the same: the rest of the document is right
        print(f"warning: {made.warning(english=True)}", file=sys.stderr)
    return 0


def _demo(args: argparse.Namespace) -> int:
    from wijkkit import demo

    if Path(args.db).exists() and Path(args.db).stat().st_size > 0:
        print(f"error: {args.db} already exists; choose a new file for the demo", file=sys.stderr)
        return 2
    demo.create(args.db)
    print(f"demo village written to {args.db}")
    return 0


def existing(db: str) -> None:
    """Commands that read a database refuse a path with no file, instead of making an empty one."""
    if not Path(db).is_file():
        raise KitError(N_("There is no database at {path}."), path=db)



def _export(args: argparse.Namespace) -> int:
    from wijkkit import jsonio
    from wijkkit.kit import Kit

    existing(args.db)
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


def _key(args: argparse.Namespace) -> int:
    from wijkkit import cli_key

    return cli_key.run(args)


def _no_app(args: argparse.Namespace) -> int:
    """``python -m wijkkit`` without a subcommand: the core has no app to open."""
    _parser().print_usage(sys.stderr)
    print("error: give a command (see --help); the desktop app starts with 'wijkkit' "
          "or 'python -m wijkkit_launcher'", file=sys.stderr)  # fmt: skip
    return 2


COMMANDS = {"demo": _demo, "export": _export, "import": _import, "handout": _handout, "sync": _sync, "hub": _hub,
            "key": _key}  # fmt: skip


def main(argv: Sequence[str] | None = None, run_app: AppRunner | None = None,
         open_path: Path | None = None) -> int:  # fmt: skip
    """Run the subcommand in ``argv``; without one, ``run_app`` (the desktop app, given by
    ``wijkkit_launcher``), which gets ``open_path`` as ``args.open_path``."""
    prepare_streams()  # names such as "Ş" printed into a cp1252 pipe on Windows
    args = _parse(argv)
    args.open_path = open_path
    if args.command:
        from wijkkit import i18n

        i18n.set_language(args.lang)  # data made here (demo texts, checklists) is in the user's language
        from wijkkit import cli_key

        cli_key.configure(args)  # every --db command finds and asks for keys the same way
    handler = COMMANDS.get(args.command) or run_app or _no_app
    try:
        return handler(args)
    except KitError as exc:
        print(f"error: {exc.english()}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {exc.strerror or exc} ({exc.filename or ''})", file=sys.stderr)
        return 2
    finally:
        if args.command:
            from wijkkit import cli_key

            cli_key.print_notices()  # once: a key kept in a file, so the disk should be encrypted
