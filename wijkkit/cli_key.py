"""``wijkkit key ...`` and how every command asks for a passphrase.

``key sheet`` prints a database's recovery sheet; ``key restore`` takes the words of a
sheet back (from the terminal or stdin) and keeps the key in this computer's keystore
(or wrapped with a passphrase, with ``--passphrase`` or in portable mode), after
checking that they open the file. ``configure`` is called once by ``wijkkit.cli.main``
so that every ``--db`` command finds keys the same way: a passphrase comes from
``$WIJKKIT_PASSPHRASE``, else from the terminal; without either the command stops
with a clear error instead of waiting for input that cannot come.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from wijkkit import keystore, recovery
from wijkkit.errors import KitError
from wijkkit.i18n import N_


def add_parsers(sub: argparse._SubParsersAction) -> None:
    key = sub.add_parser(
        "key", help="the database key: print its recovery sheet, or restore it from one"
    )
    steps = key.add_subparsers(dest="key_command", metavar="STEP", required=True)
    sheet = steps.add_parser(
        "sheet", help="write the recovery sheet (the key as words and a QR code) as PDF"
    )
    sheet.add_argument("--db", required=True)
    sheet.add_argument("--out", required=True, help="the PDF file to write")
    restore = steps.add_parser(
        "restore", help="keep a database's key again, typed from its recovery sheet (stdin)"
    )
    restore.add_argument("--db", required=True)


def ask_passphrase(database: Path, new: bool) -> str | None:
    """$WIJKKIT_PASSPHRASE, else typed in the terminal (twice for a new one); None without either."""
    from_env = os.environ.get("WIJKKIT_PASSPHRASE")
    if from_env:
        return from_env
    if not sys.stdin.isatty():
        return None
    typed = getpass.getpass(f"Passphrase for {database}: ")
    if new and typed and getpass.getpass("The same passphrase again: ") != typed:
        raise KitError(N_("The two passphrases differ; nothing was changed."))
    return typed


def configure(args: argparse.Namespace) -> None:
    keystore.configure(prompt=ask_passphrase, wrap_new=bool(getattr(args, "passphrase", False)))


def print_notices() -> None:
    for notice in keystore.take_notices():
        print(f"warning: {notice}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    if args.key_command == "sheet":
        return _sheet(args)
    return _restore(args)


def _sheet(args: argparse.Namespace) -> int:
    from wijkkit.atomic import write_atomically
    from wijkkit.handouts import pdf_bytes
    from wijkkit.kit import Kit

    if not Path(args.db).is_file():
        raise KitError(N_("There is no database at {path}."), path=args.db)
    with Kit.open(args.db) as kit:
        write_atomically(args.out, pdf_bytes("recovery", kit), private=True)  # it holds the key
    print(f"wrote {args.out}: keep it locked away, apart from the laptop")
    return 0


def _restore(args: argparse.Namespace) -> int:
    database = Path(args.db)
    if keystore.salt_of(database) is None:
        recovery.restore(database, "")  # says it is not an encrypted database
    typed = (
        input("The 14 groups of the recovery sheet: ") if sys.stdin.isatty() else sys.stdin.read()
    )
    recovery.restore(database, typed)
    print(f"the key of {database} is kept on this computer again")
    return 0
