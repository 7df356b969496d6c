"""The version a release build carries, in the two forms the installers need, for the release workflow.

``python -m tools.release_version [--tag v1.2.3]`` prints ``version=1.2.3`` (wijkkit.__version__,
shown and registered by the installer) and ``numeric=1.2.3.0`` (four numbers, what a Windows
version resource takes, so "1.0rc1" becomes 1.0.0.0), lines for ``$GITHUB_OUTPUT``. Given the
tag that triggered the build, it refuses a tag that does not name the package's version, so a
release never ships a build that calls itself something else.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tools.buildinfo import dotted, version_numbers  # noqa: E402
from wijkkit import __version__  # noqa: E402 - after the checkout's root is on the path


def numeric(version: str) -> str:
    """The four numbers the exe's version resource carries too (tools.buildinfo), dotted."""
    return dotted(version_numbers(version))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.release_version", description=__doc__.splitlines()[0])
    parser.add_argument("--tag", default="", help="the git tag of a release build (v<version>); checked")
    args = parser.parse_args(argv)
    if args.tag and args.tag != f"v{__version__}":
        print(f"error: the tag {args.tag} does not match wijkkit.__version__ {__version__}", file=sys.stderr)
        return 1
    print(f"version={__version__}\nnumeric={numeric(__version__)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
