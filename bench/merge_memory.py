"""Budget: a hub merge with a 1 GB file in the inbox peaks at most 300 MB of memory.

    .venv/bin/python bench/merge_memory.py [--size-mb 1024] [--runs 3] [--budget 300]

Why: the inbox is a shared folder, and a hub once read every file in it whole: a stranger's
1 GB file cost a gigabyte of memory on every merge, a trusted 285 MB bundle 7.2 GB. Bundles are
now bounded (``bundle.MAX_BUNDLE``) and streamed, so the peak should stay near that of a merge
of nothing at all.

(a) the merge: ``wijkkit hub merge`` (``wijkkit.cli.main``) in a fresh Python process, on a
    copy of a hub database, with an inbox holding a sparse file ``x.wijksync`` of
    ``--size-mb`` (made with ``truncate``: no disk blocks, but every read returns its bytes)
    and one real bundle of a laptop the hub does not know yet (so its signature is checked
    and it waits for approval).
(b) the floor: the same command on a copy of the same hub database with an empty inbox:
    what Python, Wijkkit, SQLite, PyNaCl and pyrage cost before any file is read.

The peak is the process's own high-water mark of resident memory: VmHWM from
/proc/self/status on Linux, ru_maxrss elsewhere (not on Windows). The two run alternately
(after one unmeasured warm-up of each); the medians, their difference and the verdict are
printed. Exits 1 when the merge's median peak is over the budget.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from wijkkit.cli import main
    code = main(["hub", "merge", "--db", sys.argv[1], "--inbox", sys.argv[2]])
    status = Path("/proc/self/status")
    if status.exists():
        peak = int(status.read_text().split("VmHWM:")[1].split()[0]) * 1024
    else:
        import resource
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    print(f"[peak {peak}]", flush=True)
    sys.exit(code)
    """
)


def make_hub(folder: Path) -> tuple[Path, Path]:
    """A hub database with its keys (closed), and a laptop's bundle for it: the laptop joined
    the hub but the hub has never seen it."""
    from wijkkit.kit import Kit
    from wijkkit.sync import exchange, keys

    hub_path, key_file = folder / "hub.sqlite", folder / "hub.key"
    with Kit.open(hub_path) as hub:
        keys.export_hub_key(hub, key_file, "Gemeente Veldhorst")
    with Kit.open(folder / "laptop.sqlite") as laptop:
        keys.join(laptop, key_file)
        wijk = laptop.insert("neighbourhood", {"name": "Ellerveen", "municipality": "Veldhorst"})
        for n in range(200):
            laptop.people.add(f"Bewoner {n}", consent_share=n % 2, neighbourhood_id=wijk)
        made = exchange.export(laptop, folder / "outbox")
    return hub_path, made


def make_inbox(folder: Path, size: int, laptop_bundle: Path | None) -> Path:
    folder.mkdir()
    if laptop_bundle is not None:
        shutil.copy(laptop_bundle, folder / laptop_bundle.name)
        with open(folder / "x.wijksync", "wb") as file:
            file.truncate(size)
    return folder


def peak_of_merge(hub: Path, inbox: Path, workdir: Path, show: bool = False) -> int:
    """Bytes: the peak memory of one ``hub merge`` of ``inbox`` on a fresh copy of ``hub``."""
    target = workdir / "run.sqlite"
    shutil.copy(hub, target)
    done = subprocess.run([sys.executable, "-c", CHILD, str(target), str(inbox)], capture_output=True, text=True,
                          cwd=ROOT)  # fmt: skip
    for extra in ("", "-wal", "-shm"):
        Path(f"{target}{extra}").unlink(missing_ok=True)
    if "[peak " not in done.stdout:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"the merge of {inbox.name} did not finish (exit {done.returncode})")
    if show:
        for line in (done.stdout.rsplit("[peak ", 1)[0] + done.stderr).strip().splitlines():
            print(f"  {inbox.name}: {line}")
    return int(done.stdout.rsplit("[peak ", 1)[1].split("]")[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=1024, help="size of the large file in the inbox (MiB)")
    parser.add_argument("--runs", type=int, default=3, help="measured runs of each (default 3)")
    parser.add_argument("--budget", type=float, default=300, help="largest allowed peak of the merge (MB)")
    args = parser.parse_args(argv)
    if sys.platform == "win32":
        print("this benchmark reads the peak memory on Linux or macOS only")
        return 2

    merged, floor = [], []
    with tempfile.TemporaryDirectory(prefix="wijkkit-merge-memory-") as temp:
        workdir = Path(temp)
        hub, laptop_bundle = make_hub(workdir)
        large = make_inbox(workdir / "large-inbox", args.size_mb * 2**20, laptop_bundle)
        empty = make_inbox(workdir / "empty-inbox", 0, None)
        peak_of_merge(hub, large, workdir, show=True)  # warm-up: OS file cache, compiled bytecode
        peak_of_merge(hub, empty, workdir)
        for number in range(1, args.runs + 1):
            merged.append(peak_of_merge(hub, large, workdir) / 1e6)
            floor.append(peak_of_merge(hub, empty, workdir) / 1e6)
            print(f"run {number}: merge with {args.size_mb} MiB in the inbox {merged[-1]:6.1f} MB   "
                  f"empty inbox {floor[-1]:6.1f} MB")  # fmt: skip

    merge_median, floor_median = statistics.median(merged), statistics.median(floor)
    verdict = "within" if merge_median <= args.budget else "OVER"
    print(f"median peak, merge with a {args.size_mb} MiB file: {merge_median:6.1f} MB")
    print(f"median peak, merge of an empty inbox:     {floor_median:6.1f} MB")
    print(f"difference: {merge_median - floor_median:+.1f} MB; {verdict} the budget of {args.budget:.0f} MB")
    return 0 if merge_median <= args.budget else 1


if __name__ == "__main__":
    sys.exit(main())
