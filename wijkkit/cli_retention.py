"""``wijkkit hub retention``: the municipality sets how long the laptops keep data.

A separate module so the sync commands (cli_sync.py) only register it. Without a number
it shows the period the hub sends; with one it sets it, checked as the app checks it
(1 to 120 months). The laptops take it over with their next return bundle.
"""

from __future__ import annotations

import argparse
import json


def add_parser(steps: argparse._SubParsersAction) -> None:
    step = steps.add_parser(
        "retention", help="show or set the retention period the laptops take over"
    )
    step.add_argument("--db", required=True)
    step.add_argument(
        "months", nargs="?", type=int, help="1 to 120; leave out to show the current period"
    )
    step.add_argument("--json", action="store_true")


def run(args: argparse.Namespace, kit) -> int:
    from wijkkit import retention

    if args.months is not None:
        retention.set_for_laptops(kit, args.months)
    sent = retention.for_laptops(kit)
    data = {"months": retention.retention_months(kit), "sent_to_laptops": sent is not None}
    if args.json:
        print(json.dumps(data))
    elif args.months is not None:
        print(
            f"retention period set to {args.months} months; the laptops take it over with their next return bundle"
        )
    else:
        print(f"retention period: {data['months']} months"
              + ("" if sent else " (this hub's own; not set for the laptops yet)"))  # fmt: skip
    return 0
