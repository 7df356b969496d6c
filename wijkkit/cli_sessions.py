"""``wijkkit sessions``: the meetings in a database and their ids, for the commands that need one.

``handout`` and other jobs take a meeting's id (``--session``); without this list a script or
a coordinator had no way to find it outside the app. Meetings are listed in date order as a
plain table with English headers, or with ``--json`` as a list of objects with the same fields.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable

FIELDS = ("id", "date", "time", "title", "neighbourhood", "status")


def add_parsers(sub: argparse._SubParsersAction, commands: dict[str, Callable[[argparse.Namespace], int]]) -> None:
    """Add ``sessions`` to the parser and its handler to ``commands`` (cli.COMMANDS)."""
    sessions = sub.add_parser("sessions", help="list the meetings with their ids, in date order")
    sessions.add_argument("--db", required=True)
    sessions.add_argument("--json", action="store_true", help="a JSON list instead of a table")
    commands["sessions"] = run


def rows(kit) -> list[dict[str, str]]:
    """One dict per meeting (FIELDS), in date order."""
    found = []
    for session in kit.sessions.list():
        starts, ends = session.starts_at or "", session.ends_at or ""
        time = starts[11:16] + (f"-{ends[11:16]}" if ends[11:16] else "")
        found.append({"id": session.id, "date": starts[:10], "time": time, "title": session.title,
                      "neighbourhood": session.neighbourhood_name or "", "status": session.status})  # fmt: skip
    return found


def table(found: list[dict[str, str]]) -> str:
    """``found`` as columns under English headers, each as wide as its widest value."""
    lines = [[field.upper() for field in FIELDS]] + [[row[field] or "-" for field in FIELDS] for row in found]
    widths = [max(len(line[i]) for line in lines) for i in range(len(FIELDS))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip() for line in lines)


def run(args: argparse.Namespace) -> int:
    from wijkkit import cli
    from wijkkit.kit import Kit

    cli.existing(args.db)
    with Kit.open(args.db) as kit:
        found = rows(kit)
    if args.json:
        print(json.dumps(found, ensure_ascii=False, indent=1))
        return 0
    print(table(found))
    print(f"{len(found)} meeting{'' if len(found) == 1 else 's'}")
    return 0
