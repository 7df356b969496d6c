"""PyInstaller bundles for the benchmarks: the app's, and a bare window's built alike.

Both budgets compare Wijkkit with a bare PySide6 window, and for the bundled
forms the comparison is only fair when the bare window is bundled the same way.
So the bare bundle's spec is not a copy of build.spec's slimming: it takes the
part of build.spec above its ``SHARED_PART_ENDS`` line verbatim (the excludes,
the plugin and translation filters, the library pruning) and adds only the
bare window's Analysis/EXE/COLLECT, with the same options as the app's.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "build.spec"
APP_BUNDLE = ROOT / "dist" / "Wijkkit"
APP_EXECUTABLE = APP_BUNDLE / ("wijkkit.exe" if os.name == "nt" else "wijkkit")
BARE_SCRIPT = ROOT / "bench" / "_bare_window.py"
MARKER = "# ---- SHARED_PART_ENDS"

BARE_TAIL = '''
a = Analysis([{script!r}], pathex=[], excludes=EXCLUDES, noarchive=False, optimize=0)
slim(a)
pyz = PYZ(a.pure)
exe = EXE(pyz, a.scripts, [], exclude_binaries=True, name="bare", debug=False,
          strip=STRIP, upx=False, console=True)
coll = COLLECT(exe, a.binaries, a.datas, strip=STRIP, upx=False, name="Bare")
'''


def shared_spec_part() -> str:
    text = SPEC.read_text(encoding="utf-8")
    if MARKER not in text:
        raise SystemExit(f"{SPEC} has no line starting with {MARKER!r}; cannot build alike")
    return text.split(MARKER, 1)[0]


def bare_spec_text() -> str:
    # The shared part reads SPECPATH (PyInstaller's: the spec's folder) to find the
    # checkout; the bare spec lives in a temp dir, so point it at the checkout.
    return f"SPECPATH = {str(ROOT)!r}\n" + shared_spec_part() + BARE_TAIL.format(
        script=str(BARE_SCRIPT)
    )


def build_bare_bundle(workdir: Path) -> Path:
    """Builds the bare window's onedir bundle below ``workdir``; returns its folder."""
    workdir.mkdir(parents=True, exist_ok=True)
    spec = workdir / "bare.spec"
    spec.write_text(bare_spec_text(), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "ERROR",
         "--distpath", str(workdir / "dist"), "--workpath", str(workdir / "build"), str(spec)],
        cwd=workdir, capture_output=True, text=True,
    )
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"building the bare bundle failed; its spec is {spec}")
    return workdir / "dist" / "Bare"


def bare_executable(bundle: Path) -> Path:
    return bundle / ("bare.exe" if os.name == "nt" else "bare")


def ensure_app_bundle() -> Path:
    """dist/Wijkkit, built with ``make bundle`` when it is missing."""
    if not APP_EXECUTABLE.exists():
        print("dist/Wijkkit is missing: running make bundle", flush=True)
        subprocess.run(["make", "bundle"], cwd=ROOT, check=True)
    return APP_BUNDLE


def disk_usage(folder: Path) -> int:
    """Bytes on disk below ``folder``, counted like ``du``: blocks, each inode once."""
    seen: set[tuple[int, int]] = set()
    total = 0
    for path in [folder, *folder.rglob("*")]:
        info = path.lstat()
        if (info.st_dev, info.st_ino) in seen:
            continue
        seen.add((info.st_dev, info.st_ino))
        total += getattr(info, "st_blocks", 0) * 512 or info.st_size
    return total


def mib(size: int) -> str:
    return f"{size / 2**20:.1f} MiB"
