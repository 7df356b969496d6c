"""Checks the bundle-size budget: dist/Wijkkit at most 1.30x a bare PySide6 bundle (1.25x before SQLCipher, issue 13).

Most of a PySide6 bundle is Qt and Python whatever the app does, so an absolute
number says little; the budget is relative to the bare window of
bench/_bare_window.py, bundled in a temp dir with the same spec part (excludes,
plugin and translation filters) as the app; see bench/_bundles.py. dist/Wijkkit
is built with ``make bundle`` when it is missing, and used as it is otherwise:
rebuild it first after changing the code.

    .venv/bin/python bench/bundle_size.py [--budget 1.30] [--keep DIR]

Sizes are disk usage as ``du`` counts it. Exits 1 when the budget is exceeded.

dist/Wijkkit holds two executables, the windowed app and ``wijkkit-cli``. On Linux
they are the same file, so build.spec makes ``wijkkit-cli`` a link and it costs
nothing here; on Windows and macOS the second executable carries its own copy of
the PYZ (the byte-compiled Python code, about 7 MB), which this Linux measurement
does not see.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from _bundles import build_bare_bundle, disk_usage, ensure_app_bundle, mib


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--budget", type=float, default=1.30, help="largest allowed ratio app/bare")
    parser.add_argument("--keep", type=Path, help="build the bare bundle here and keep it")
    args = parser.parse_args(argv)

    app = ensure_app_bundle()
    with tempfile.TemporaryDirectory(prefix="wijkkit-bare-") as temp:
        started = time.monotonic()
        bare = build_bare_bundle(args.keep or Path(temp))
        print(f"bare bundle built in {time.monotonic() - started:.0f} s")
        bare_size = disk_usage(bare)
    app_size = disk_usage(app)

    ratio = app_size / bare_size
    verdict = "within" if ratio <= args.budget else "OVER"
    print(f"app  (dist/Wijkkit): {mib(app_size):>10}")
    print(f"bare (PySide6 window): {mib(bare_size):>8}")
    print(f"ratio app/bare: {ratio:.2f}x, {verdict} the budget of {args.budget:.2f}x")
    return 0 if ratio <= args.budget else 1


if __name__ == "__main__":
    sys.exit(main())
