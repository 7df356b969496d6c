"""The ``wijkkit person`` commands: what an AVG request needs without opening the app.

``list`` shows who is registered (``--json`` for scripts), ``inzage`` writes everything held
about one person (PDF or JSON, as the Mensen tab does) and ``erase`` forgets a person: on this
database at once, and on every other replica when the erasure arrives there by sync (a laptop
may erase only people it registered; the hub carries out the rest, see decision 0014). Ids are
checked before they touch the database; every failure is a sentence, never a traceback.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

from wijkkit.errors import KitError
from wijkkit.i18n import N_
from wijkkit.ids import is_row_id


def add_parsers(
    sub: argparse._SubParsersAction, commands: dict[str, Callable[[argparse.Namespace], int]]
) -> None:
    """Add ``person`` to the parser and its handler to ``commands`` (cli.COMMANDS)."""
    person = sub.add_parser("person", help="registered people: list, inzage, erase (AVG)")
    steps = person.add_subparsers(dest="person_command", metavar="STEP", required=True)
    listing = steps.add_parser("list", help="the people in this database, with their consents")
    listing.add_argument("--db", required=True)
    listing.add_argument("--json", action="store_true")
    inzage = steps.add_parser(
        "inzage", help="write everything held about one person (.pdf or .json)"
    )
    inzage.add_argument("--db", required=True)
    inzage.add_argument("person_id")
    inzage.add_argument(
        "--out", required=True, help="the file to write: .pdf for the person, else JSON"
    )
    erase = steps.add_parser(
        "erase", help="forget a person here and, through sync, on every replica"
    )
    erase.add_argument("--db", required=True)
    erase.add_argument("person_id")
    commands["person"] = run


def run(args: argparse.Namespace) -> int:
    from wijkkit.kit import Kit

    if not Path(args.db).is_file():
        raise KitError(N_("There is no database at {path}."), path=args.db)
    if args.person_command != "list" and not is_row_id(args.person_id):
        raise KitError(N_("'{id}' is not a person id: ids look like 0f8c2d3e-...-... (see 'wijkkit person list')."),
                       id=args.person_id[:80])  # fmt: skip
    with Kit.open(args.db) as kit:
        return STEPS[args.person_command](args, kit)


def _list(args: argparse.Namespace, kit) -> int:
    people = [{"id": p.id, "name": p.name, "role": p.role, "consent_contact": bool(p.consent_contact),
               "consent_share": bool(p.consent_share), "consent_photos": bool(p.consent_photos)}
              for p in kit.people.list()]  # fmt: skip
    if args.json:
        print(json.dumps(people, ensure_ascii=False, indent=1))
        return 0
    for p in people:
        consents = (
            ", ".join(k for k in ("contact", "share", "photos") if p[f"consent_{k}"])
            or "no consents"
        )
        print(f"{p['id']}  {p['name'] or '(name not shared)'}  ({p['role'] or '-'}; {consents})")
    print(f"{len(people)} people")
    return 0


def _known(kit, person_id: str) -> None:
    if kit.row("person", person_id) is None:
        if kit.is_deleted("person", person_id):
            raise KitError(N_("Person {id} was removed from this database already."), id=person_id)
        raise KitError(N_("There is no person {id} in this database."), id=person_id)


def _inzage(args: argparse.Namespace, kit) -> int:
    from wijkkit import privacy

    _known(kit, args.person_id)
    print(f"wrote {privacy.write_export(kit, args.person_id, Path(args.out))}")
    return 0


def _erase(args: argparse.Namespace, kit) -> int:
    from wijkkit import privacy

    _known(kit, args.person_id)
    touched = privacy.erase_person(kit, args.person_id)
    print(f"erased person {args.person_id}; {touched} other records changed or removed\n"
          "the erasure reaches the hub and the other laptops with the next sync")  # fmt: skip
    return 0


STEPS = {"list": _list, "inzage": _inzage, "erase": _erase}
