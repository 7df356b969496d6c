"""Checks the startup budget: Wijkkit shows its first window within 1.5x a bare PySide6 app.

Absolute startup times depend on the machine, so the budget is relative to the
bare window of bench/_bare_window.py, timed on the same machine in the same way:

    .venv/bin/python bench/startup.py [--runs 7] [--bundle] [--budget 1.5] [--data demo|municipality]

(a) the app: ``python -m wijkkit_launcher --data-dir DIR``, exactly what the
    ``wijkkit`` command does, on the demo village (made once with ``wijkkit demo``) or, with
    ``--data municipality``, on a municipality's hub after three years (bench/_municipality.py:
    100 neighbourhoods, 600 meetings, 20,000 agreements, 30,000 people; built once into a
    cache folder, 25-45 minutes the first time on 2 cores); every run gets a fresh copy of the
    database, all made and flushed before the first timed run, and a fresh, empty Qt settings
    folder. Both are encrypted, their keys in a key file;
(b) the bare window: ``python bench/_bare_window.py``.
They run alternately, N times each after one unmeasured warm-up of each (which
also writes the .pyc files, also where PYTHONDONTWRITEBYTECODE is set: the children
run without it), offscreen (QT_QPA_PLATFORM=offscreen).

What is measured: wall time from just before the child is spawned to the moment
its first window has been painted, the same for (a) and (b). The child is not
changed to report this: Qt is asked to log its widget painting
(QT_LOGGING_RULES=qt.widgets.painting.debug=true) and the parent notes the time
it reads the first "Flushing ... to QWidgetWindow" line on the child's stderr,
i.e. when a window's first frame went to the screen, then kills the child. That
covers interpreter start-up, imports, opening the database and building the
window, but not the shutdown, which the user does not wait for. Before that line
Qt logs a couple of lines at most, so the logging costs both sides the same ~0.

--bundle times the PyInstaller bundles instead: dist/Wijkkit/wijkkit (built by
``make bundle`` when missing; otherwise used as it is) against the bare window
bundled in a temp dir the way build.spec bundles the app (see bench/_bundles.py).
Because the measurement needs nothing inside the child, both bundles run as
shipped.

Prints every run, the medians, the ratio of the medians and the median of the
ratios of each (a, b) pair; the budget applies to the ratio of the medians.
Exits 1 when it is over budget.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from pathlib import Path

from _bundles import (
    APP_EXECUTABLE,
    BARE_SCRIPT,
    ROOT,
    bare_executable,
    build_bare_bundle,
    ensure_app_bundle,
)

FIRST_FRAME = b"qt.widgets.painting: Flushing"
DATABASE = "wijkkit.sqlite"


def child_env(config_dir: Path) -> dict[str, str]:
    # PYTHONDONTWRITEBYTECODE (set in some shells and CI) would have the app compile every module
    # whose .pyc is missing or stale from source on every run, which no installed copy does
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("WIJKKIT_", "QT_")) and k != "PYTHONDONTWRITEBYTECODE"}  # fmt: skip
    env.update(
        QT_QPA_PLATFORM="offscreen",
        QT_LOGGING_RULES="qt.widgets.painting.debug=true",
        XDG_CONFIG_HOME=str(config_dir),  # no QSettings of the user (language, geometry)
    )
    return env


def time_to_first_frame(command: list[str], env: dict[str, str], timeout: float) -> float:
    """Seconds from spawning ``command`` until it has painted its first window."""
    started = time.monotonic()
    child = subprocess.Popen(
        command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    watchdog = threading.Timer(timeout, child.kill)
    watchdog.start()
    tail: deque[bytes] = deque(maxlen=20)
    try:
        for line in child.stderr:
            if line.startswith(FIRST_FRAME):
                return time.monotonic() - started
            tail.append(line)
        code = child.wait()
        log = b"".join(tail).decode(errors="replace")
        raise SystemExit(f"{' '.join(command)} ended ({code}) without painting a window:\n{log}")
    finally:
        watchdog.cancel()
        child.kill()
        child.wait()
        child.stderr.close()


class Runner:
    """Runs (a) or (b) once, each time in a fresh data folder and settings folder.

    The data folders are all copied before the first timed run (``prepare``) and flushed to the
    disk: copying the 323 MB municipality just before a run left the kernel writing it back and
    reclaiming memory while the app started, tens of milliseconds a user's start never pays."""

    def __init__(self, workdir: Path, database: Path, timeout: float) -> None:
        self.workdir, self.database, self.timeout = workdir, database, timeout
        self.count = 0
        self.prepared: list[Path] = []

    def prepare(self, runs: int) -> None:
        for number in range(len(self.prepared) + 1, len(self.prepared) + runs + 1):
            folder = self.workdir / f"data-{number}"
            folder.mkdir()
            copy = shutil.copy2(self.database, folder / DATABASE)
            with open(copy, "rb+") as written:
                os.fsync(written.fileno())
            self.prepared.append(folder)

    def run(self, command: list[str], with_data: bool) -> float:
        self.count += 1
        folder = self.workdir / f"run-{self.count}"
        (folder / "config").mkdir(parents=True)
        if with_data:
            if not self.prepared:
                self.prepare(1)
            command = [*command, "--data-dir", str(self.prepared.pop(0))]
        return time_to_first_frame(command, {**child_env(folder / "config"), **key_env(self.workdir)}, self.timeout)


def key_env(workdir: Path) -> dict[str, str]:
    """The demo database is encrypted: its key file stays in the run's folder (the same for every
    run, as a user's configuration folder), never the user's own keys or keystore."""
    return {"WIJKKIT_CONFIG_DIR": str(workdir / "keys"), "WIJKKIT_KEYSTORE": "file"}


def make_database(workdir: Path, data: str) -> Path:
    """The database the app starts on, made once per bench run (its key in ``key_env``'s folder)."""
    if data == "municipality":
        from _municipality import copy_to

        return copy_to(workdir / "municipality" / DATABASE, workdir / "keys")
    database = workdir / "demo" / DATABASE
    database.parent.mkdir(parents=True)
    subprocess.run(
        [sys.executable, "-m", "wijkkit", "demo", "--db", str(database)],
        cwd=ROOT, check=True, stdout=subprocess.DEVNULL, env={**os.environ, **key_env(workdir)},
    )
    return database


def commands(bundle: bool, workdir: Path) -> tuple[list[str], list[str]]:
    if not bundle:
        return [sys.executable, "-m", "wijkkit_launcher"], [sys.executable, str(BARE_SCRIPT)]
    ensure_app_bundle()
    print("building the bare bundle...", flush=True)
    bare = build_bare_bundle(workdir / "bare-bundle")
    return [str(APP_EXECUTABLE)], [str(bare_executable(bare))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=7, help="measured runs of each (default 7)")
    parser.add_argument("--bundle", action="store_true", help="time the PyInstaller bundles")
    parser.add_argument("--budget", type=float, default=1.5, help="largest allowed ratio app/bare (default 1.5)")
    parser.add_argument("--data", choices=["demo", "municipality"], default="demo",
                        help="the database to start on: the demo village (default) or a municipality's hub after three years")  # fmt: skip
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before a run fails")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="wijkkit-startup-") as temp:
        workdir = Path(temp)
        app_command, bare_command = commands(args.bundle, workdir)
        runner = Runner(workdir, make_database(workdir, args.data), args.timeout)
        runner.prepare(args.runs + 1)
        runner.run(app_command, with_data=True)  # warm-up: .pyc files, OS file cache
        runner.run(bare_command, with_data=False)
        app, bare = [], []
        for number in range(1, args.runs + 1):
            app.append(runner.run(app_command, with_data=True))
            bare.append(runner.run(bare_command, with_data=False))
            print(f"run {number}: app {app[-1] * 1000:6.0f} ms   bare {bare[-1] * 1000:6.0f} ms")

    kind = "bundles" if args.bundle else "source, " + Path(sys.executable).name
    app_median, bare_median = statistics.median(app), statistics.median(bare)
    ratio = app_median / bare_median
    pair_ratio = statistics.median(a / b for a, b in zip(app, bare, strict=True))
    verdict = "within" if ratio <= args.budget else "OVER"
    print(f"start to first window ({kind}, {args.data} data, {args.runs} runs each, offscreen)")
    print(f"median app:  {app_median * 1000:6.0f} ms")
    print(f"median bare: {bare_median * 1000:6.0f} ms")
    print(f"ratio of the medians app/bare: {ratio:.2f}x, {verdict} the budget of {args.budget:.1f}x")
    print(f"median of the per-pair ratios: {pair_ratio:.2f}x")
    return 0 if ratio <= args.budget else 1


if __name__ == "__main__":
    sys.exit(main())
