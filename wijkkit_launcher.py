"""The one entry point: the ``wijkkit`` command, both bundle executables and ``python -m wijkkit_launcher``.

It sits above the Qt-free core (``wijkkit``) and the desktop app (``ui``), so neither has to
name the other (decision 0001): a subcommand runs in ``wijkkit.cli``; without one the app
starts (``ui.app.run``), and where Qt is missing that is said in one English line.

A file given by the operating system is opened by the app: a file association on Windows
starts ``wijkkit.exe "C:\\...\\avond.wijksync"``, so when the only word that is no option
names a file, the app starts and opens it once its window shows (``ui/open_file.py``, which
also tells when the file is missing or of another kind). macOS sends a QFileOpenEvent instead, handled by the app.

The windowed Windows executable (and a macOS app started from the Finder) has no console:
``sys.stdout``, ``sys.stderr`` and ``sys.stdin`` are None there, and any ``write`` on them
would raise on exactly the paths that report an error. They are replaced by the null device:
what the app has to say it says in a dialog, and unexpected errors go to ``wijkkit.log``
(ui/errors.py), which holds no personal data; a copy of raw stderr could not promise that.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

VALUE_OPTIONS = ("--data-dir", "--lang")  # options of the app that take the next word


def quiet_missing_streams() -> None:
    """Give a windowed start streams that exist: writes vanish, reads find nothing."""
    for name, mode in (("stdout", "w"), ("stderr", "w"), ("stdin", "r")):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, mode, encoding="utf-8"))  # noqa: SIM115 - lives as long as the process


def file_to_open(argv: Sequence[str]) -> tuple[Path | None, list[str]]:
    """The file the app is asked to open, and ``argv`` without it.

    Only when no subcommand is given: ``wijkkit sync import --db x.sqlite avond.wijksync`` is a job
    for the command line, not a file for the app. A lone word that names a file (a separator or a
    suffix: ``avond.wijksync``, ``C:\\...\\notitie.txt``) goes to the app even when it is missing or
    of a kind the app does not open, so a windowed start says so in a dialog instead of argparse
    writing its error to a console that is not there."""
    from wijkkit import cli

    words = list(argv)
    if any(word in cli.COMMANDS for word in words):
        return None, words
    found = positional(words)
    if len(found) != 1:
        return None, words
    word = words[found[0]]
    path = Path(word)
    if not (path.suffix or os.sep in word or "/" in word or path.exists()):
        return None, words  # a mistyped subcommand: argparse says which ones exist
    return path, words[: found[0]] + words[found[0] + 1 :]


def positional(words: Sequence[str]) -> list[int]:
    """Where the words that are no option (nor an option's value) are: a subcommand, or a file to open."""
    found, skip = [], False
    for i, word in enumerate(words):
        if skip:
            skip = False
        elif word.startswith("-"):
            skip = word in VALUE_OPTIONS  # --data-dir DIR, --lang nl
        else:
            found.append(i)
    return found


def run_app(args: argparse.Namespace) -> int:
    """The desktop app; an English line (and exit code 3) where Qt or the ui package is missing."""
    from wijkkit import assets, kit  # noqa: F401 - before Qt: see below

    # PySide reads the source file of every module imported after it (to see whether it uses PySide's
    # __feature__ switches); the core's modules the app opens its database with are imported first.
    try:
        from ui import app
    except ImportError as exc:
        print(f"error: the desktop app cannot start here ({exc}). Is PySide6 installed?", file=sys.stderr)
        return 3
    return app.run(args)


def main(argv: Sequence[str] | None = None) -> int:
    quiet_missing_streams()
    from wijkkit import cli

    words = [word for word in (sys.argv[1:] if argv is None else argv) if not word.startswith("-psn_")]
    opened, rest = file_to_open(words)  # (-psn_0_123: the process serial number older macOS adds)
    if positional(rest):  # a subcommand; the app installs the shaper itself, after its first frame
        use_qt_shaper()
    return cli.main(rest, run_app=run_app, open_path=opened)


def use_qt_shaper() -> None:
    """Handouts made by a subcommand shape complex scripts with Qt's HarfBuzz too (ui/shaping.py), if Qt is here.
    Only for a subcommand: it imports the handouts' code, which the app's first window does without."""
    try:
        from ui import shaping
    except ImportError:
        return
    shaping.install()


if __name__ == "__main__":
    sys.exit(main())
