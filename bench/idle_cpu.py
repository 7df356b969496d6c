"""Checks the idle budget: the running Leiden console uses under 2% of one core.

During a meeting the laptop stands on a table for two or three hours with the
countdown running and nobody touching it, often on battery. Its QTimer ticks
every 200 ms, and whatever a tick costs is paid 18,000 times an evening, so a
tick that repaints or re-styles too much shows up here long before anyone feels
it. The budget is absolute (CPU time of the whole process / wall time, in % of
one core), and a bare PySide6 window measured the same way in the same run
gives the floor, so the difference says what the app adds:

    .venv/bin/python bench/idle_cpu.py [--runs 3] [--seconds 10] [--budget 2.0]

Each run is a fresh child process, offscreen (QT_QPA_PLATFORM=offscreen) with a
fresh copy of the demo village and an empty Qt settings folder:
(a) app: MainWindow at 1366x768, the Lead page, the next planned meeting
    loaded and started (``page.act("toggle")``), so the countdown runs;
(b) projector: the same with the projector window open (``toggle_projector``);
(c) bare: QApplication + an empty QMainWindow of 1366x768, as bench/_bare_window.py.
They alternate, --runs times each. After --settle seconds of event loop the child
reads time.process_time() (user + system, all threads), lets the loop run for
--seconds more and reads it again. The budget applies to the medians of (a) and
(b): the projector is open for most of a real meeting. Exits 1 when over.

--profile app|projector runs one child under cProfile over the window instead
and prints where the time goes (profiling itself slows the run, so it prints no
verdict).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "wijkkit.sqlite"
KINDS = ("app", "projector", "bare")
LEAD_PAGE = 2

# -- the child: one window, one measured stretch of idle event loop ------------------


def build_app(folder: Path, projector: bool) -> tuple[object, object, object]:
    """The main window on the Lead page with the next meeting's countdown running."""
    sys.path.insert(0, str(ROOT))
    from wijkkit.kit import Kit

    from ui.app import make_application
    from ui.main_window import MainWindow

    kit = Kit.open(folder / DATABASE)
    app = make_application("nl")
    window = MainWindow(kit)
    window.resize(1366, 768)
    window.show()
    window.show_page(LEAD_PAGE)
    page = window.page(LEAD_PAGE)
    session = kit.sessions.next_planned()
    if session is None:
        raise SystemExit("the demo village has no planned meeting")
    # tonight's meeting, as on the evening itself (a start far from the planned time asks first)
    starts = datetime.now().replace(second=0, microsecond=0)
    kit.sessions.edit(session.id, starts_at=starts.isoformat(timespec="minutes"),
                      ends_at=(starts + timedelta(hours=2, minutes=30)).isoformat(timespec="minutes"))  # fmt: skip
    page.load(session.id)
    page.act("toggle")
    if page.view.state is None or not page.view.state.running:
        raise SystemExit("pressing start did not start the countdown")
    if projector:
        page.toggle_projector()
    return app, page, (kit, window)


def build_bare() -> tuple[object, None, object]:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1366, 768)
    window.show()
    return app, None, window


def child(kind: str, folder: Path, settle: float, seconds: float, profile: bool) -> None:
    app, page, _keep = build_bare() if kind == "bare" else build_app(folder, kind == "projector")
    from PySide6.QtCore import QTimer

    profiler = cProfile.Profile() if profile else None
    marks: dict[str, object] = {}

    def shown() -> str:
        return page.countdown.text() if page is not None else ""

    def begin() -> None:
        if page is not None and not page.timer.isActive():
            raise SystemExit("the countdown's timer is not running")
        marks.update(countdown=shown(), cpu=time.process_time(), wall=time.perf_counter())
        if profiler:
            profiler.enable()
        QTimer.singleShot(round(seconds * 1000), end)

    def end() -> None:
        cpu, wall = time.process_time(), time.perf_counter()
        if profiler:
            profiler.disable()
        marks.update(cpu=cpu - marks["cpu"], wall=wall - marks["wall"], countdown_end=shown())
        app.quit()

    QTimer.singleShot(round(settle * 1000), begin)
    app.exec()
    if profiler:
        stats = pstats.Stats(profiler, stream=sys.stdout).strip_dirs()
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(25)
        print(f"{kind}: {marks['cpu'] / marks['wall'] * 100:.2f} % of one core (with profiling), "
              f"countdown {marks['countdown']} -> {marks['countdown_end']}")  # fmt: skip
    else:
        print(json.dumps(marks))


# -- the parent: alternate the children, compare the medians -------------------------


def child_env(config_dir: Path, keys: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WIJKKIT_", "QT_"))}
    env.update(QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(config_dir), **keys)
    return env


def key_env(workdir: Path) -> dict[str, str]:
    """The demo database is encrypted: its key file stays in the bench's folder, never the user's
    own keys or keystore (as bench/startup.py does)."""
    return {"WIJKKIT_CONFIG_DIR": str(workdir / "keys"), "WIJKKIT_KEYSTORE": "file"}


class Runner:
    """Runs one child at a time, each in a fresh data folder and settings folder."""

    def __init__(self, workdir: Path, args: argparse.Namespace) -> None:
        self.workdir, self.args, self.count = workdir, args, 0
        self.database = workdir / "demo" / DATABASE
        self.database.parent.mkdir(parents=True)
        sys.path.insert(0, str(ROOT))
        from wijkkit import demo

        os.environ.update(key_env(workdir))
        demo.create(self.database)

    def command(self, kind: str, profile: bool) -> tuple[list[str], dict[str, str]]:
        self.count += 1
        folder = self.workdir / f"run-{self.count}"
        (folder / "config").mkdir(parents=True)
        shutil.copy2(self.database, folder / DATABASE)
        command = [sys.executable, __file__, "--child", kind, "--folder", str(folder),
                   "--settle", str(self.args.settle), "--seconds", str(self.args.seconds)]  # fmt: skip
        return command + (["--profile-child"] if profile else []), child_env(folder / "config", key_env(self.workdir))

    def run(self, kind: str) -> float:
        """CPU use of one child over its window, in % of one core."""
        command, env = self.command(kind, profile=False)
        timeout = self.args.settle + self.args.seconds + 60
        done = subprocess.run(command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=timeout)  # fmt: skip
        lines = done.stdout.strip().splitlines()
        if done.returncode != 0 or not lines:
            raise SystemExit(f"{kind} run failed ({done.returncode}):\n{done.stderr[-2000:]}")
        marks = json.loads(lines[-1])
        if kind != "bare" and marks["countdown"] == marks["countdown_end"]:
            raise SystemExit(f"{kind}: the countdown did not move ({marks['countdown']})")
        return marks["cpu"] / marks["wall"] * 100

    def profile(self, kind: str) -> int:
        command, env = self.command(kind, profile=True)
        return subprocess.run(command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL).returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=3, help="measured runs of each (default 3)")
    parser.add_argument("--seconds", type=float, default=10.0, help="measured wall time per run")
    parser.add_argument("--settle", type=float, default=2.0, help="seconds before measuring")
    parser.add_argument("--budget", type=float, default=2.0, help="largest allowed %% of one core")
    parser.add_argument("--profile", choices=KINDS[:2], help="profile one child instead")
    parser.add_argument("--child", choices=KINDS, help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--profile-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.folder, args.settle, args.seconds, args.profile_child)
        return 0

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="wijkkit-idle-") as temp:
        runner = Runner(Path(temp), args)
        if args.profile:
            return runner.profile(args.profile)
        results: dict[str, list[float]] = {kind: [] for kind in KINDS}
        for number in range(1, args.runs + 1):
            for kind in KINDS:
                results[kind].append(runner.run(kind))
            print(f"run {number}: " + "   ".join(f"{k} {v[-1]:5.2f} %" for k, v in results.items()))

    median = {kind: statistics.median(values) for kind, values in results.items()}
    print(f"CPU while the countdown runs, in % of one core ({args.runs} runs each, "
          f"{args.seconds:g} s after {args.settle:g} s settling, offscreen, "
          f"{time.monotonic() - started:.0f} s in all)")  # fmt: skip
    print(f"median app (Leiden console):   {median['app']:5.2f} %")
    print(f"median app, projector open:    {median['projector']:5.2f} %")
    print(f"median bare (PySide6 window):  {median['bare']:5.2f} %")
    over = False
    for kind, label in (("app", "console"), ("projector", "console + projector")):
        verdict = "within" if median[kind] <= args.budget else "OVER"
        over |= verdict == "OVER"
        print(f"{label}: {median[kind]:.2f} %, {verdict} the budget of {args.budget:g} % "
              f"({median[kind] - median['bare']:+.2f} % against the bare window)")  # fmt: skip
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
