"""``wijkkit invite`` and ``wijkkit feedback``: a meeting's invitation or feedback for one channel, for scripts.

The same material as the app's Uitnodigingen and Opvolging screens (wijkkit.outreach): ``--channel
email`` writes the draft .eml (Bcc to the people with Contact consent only) and records it as
prepared; ``message`` and ``newsletter`` write the text as UTF-8, or print it with ``--out -``.
Writing the feedback of a channel records it as prepared, as the app does. The texts are in the
language of ``--lang`` (Dutch by default: they go to residents); what the command says about them
is English, like the rest of the command line, and every failure is a sentence, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from wijkkit.errors import KitError
from wijkkit.i18n import N_
from wijkkit.ids import is_row_id

CHANNELS = ("email", "message", "newsletter")  # outreach.TEXT_CHANNELS, named here: the app's start-up parses
# the command line and need not load the outreach module for it (tests/core/test_cli_outreach.py holds them equal)
HELP = {"invite": "a meeting's invitation: e-mail draft (.eml), short message or newsletter text",
        "feedback": "a meeting's feedback to the neighbourhood: e-mail draft (.eml), short message or newsletter text"}  # fmt: skip


def add_parsers(sub: argparse._SubParsersAction, commands: dict[str, Callable[[argparse.Namespace], int]]) -> None:
    """Add ``invite`` and ``feedback`` to the parser and their handler to ``commands`` (cli.COMMANDS)."""
    for purpose, words in HELP.items():
        command = sub.add_parser(purpose, help=words)
        command.add_argument("--db", required=True)
        command.add_argument("--session", required=True, help="the meeting's id (see 'wijkkit sessions')")
        command.add_argument("--channel", required=True, choices=CHANNELS,
                             help="email: a draft .eml to open in Outlook or Thunderbird; message: a few lines "
                                  "for WhatsApp or the neighbourhood app; newsletter: a text for the local paper")  # fmt: skip
        command.add_argument("--out", required=True,
                             help="the file to write; '-' prints the text of message or newsletter")  # fmt: skip
        commands[purpose] = run


def run(args: argparse.Namespace) -> int:
    from wijkkit import cli
    from wijkkit.kit import Kit

    purpose = "invite" if args.command == "invite" else "feedback"
    cli.existing(args.db)
    if not is_row_id(args.session):
        raise KitError(N_("'{id}' is not a meeting id: 'wijkkit sessions --db {db}' lists the meetings and their "
                          "ids."), id=args.session[:80], db=args.db)  # fmt: skip
    if args.channel == "email" and args.out == "-":
        raise KitError(N_("An e-mail draft is a file: give --out a file name ending in .eml."))
    with Kit.open(args.db) as kit:
        if kit.row("session", args.session) is None:
            raise KitError(N_("There is no meeting {id} in this database: 'wijkkit sessions --db {db}' lists the "
                              "meetings and their ids."), id=args.session, db=args.db)  # fmt: skip
        made = kit.outreach.material(args.session, purpose)
        gaps = made.gaps
        if args.channel == "email":
            draft = kit.outreach.write_email(args.session, purpose, Path(args.out), subject=made.subject,
                                             body=made.body)  # fmt: skip
            print(f"wrote {draft.path} (a draft for {draft.recipients} "
                  f"{'person' if draft.recipients == 1 else 'people'} in Bcc: open it in your mail program to send it)")  # fmt: skip
            if draft.warning:
                print(f"warning: {draft.warning}", file=sys.stderr)
        else:
            text = made.text(args.channel)
            if args.out == "-":
                print(text)
            else:
                _write(Path(args.out), text)
                print(f"wrote {args.out}")
            if purpose == "feedback":
                kit.outreach.mark_feedback(args.session, args.channel, prepared_on=date.today())
    if gaps:
        print(f"note: the meeting has no {' and no '.join(gaps)} yet; the texts say so", file=sys.stderr)
    return 0


def _write(path: Path, text: str) -> None:
    from wijkkit.atomic import write_atomically

    try:
        write_atomically(path, (text + "\n").encode("utf-8"))
    except OSError as error:
        raise KitError(N_("The file {path} could not be written: {reason}"), path=str(path),
                       reason=error.strerror or str(error)) from error  # fmt: skip
