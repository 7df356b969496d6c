"""Per-OS constraint files: the Linux pins of constraints.txt, plus pins for what only Windows or macOS installs.

constraints.txt is frozen on Linux, so the packages only another OS needs (pefile and
pywin32-ctypes for PyInstaller and keyring on Windows, macholib on macOS, colorama for
pytest on Windows...) would float on the release runners. ``python -m tools.constraints_for``
resolves ``.[test,build]`` for Python 3.12 on win_amd64, macosx_14_0_arm64 and
macosx_14_0_x86_64 and writes constraints-windows.txt and constraints-macos.txt (the two Mac
architectures must resolve to the same pins; the tool stops when they do not).

pip's ``--platform`` picks wheels for the target but evaluates environment markers for the
machine it runs on (pip issue 11664): from Linux it would pull SecretStorage (whose
cryptography has no macOS x86_64 wheel) and miss pywin32-ctypes. So pip runs here with its
marker environment replaced by the target's (``PIP_FOR_TARGET``, a patch of pip's vendored
``packaging``), and the result is checked by walking every requirement with the target's
markers (``packaging.markers``): a package missing or left over stops the tool. Every package
also in constraints.txt keeps its Linux pin (pip is given it with ``-c``). Needs the package index.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PYTHON = "3.12"
EXTRAS = ("test", "build")

# Marker environments of the release runners (PEP 508 names), Python 3.12.
TARGETS = {
    "win_amd64": {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt",
                  "platform_machine": "AMD64"},
    "macosx_14_0_arm64": {"sys_platform": "darwin", "platform_system": "Darwin", "os_name": "posix",
                          "platform_machine": "arm64"},
    "macosx_14_0_x86_64": {"sys_platform": "darwin", "platform_system": "Darwin", "os_name": "posix",
                           "platform_machine": "x86_64"},
}  # fmt: skip
# pip with the marker environment of the target (json in argv[1]); the rest of argv is pip's.
PIP_FOR_TARGET = """
import json, sys
from pip._vendor.packaging import markers
target = json.loads(sys.argv[1])
markers.default_environment = lambda: dict(target)
from pip._internal.cli.main import main
sys.exit(main(sys.argv[2:]))
"""
# pip is the installer itself: the runner's own pip meets sqlite-utils' bare "pip" requirement,
# and a pin would have pip replace itself in the middle of the install.
UNPINNED = {"pip"}
FILES = {"windows": ("win_amd64",), "macos": ("macosx_14_0_arm64", "macosx_14_0_x86_64")}


def environment(platform: str) -> dict[str, str]:
    return {"implementation_name": "cpython", "platform_python_implementation": "CPython",
            "python_version": PYTHON, "python_full_version": f"{PYTHON}.0", "implementation_version": f"{PYTHON}.0",
            "platform_release": "", "platform_version": "", **TARGETS[platform]}  # fmt: skip


def project_requirements() -> list[str]:
    """The project's own requirements with the test and build extras, as in ``pip install -e ".[test,build]"``."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [*project["dependencies"], *(r for extra in EXTRAS for r in project["optional-dependencies"][extra])]


def pip_resolve(requirements: list[str], platform: str) -> dict[str, dict]:
    """name -> the metadata pip reports for a dry-run install of ``requirements`` on ``platform``."""
    with tempfile.TemporaryDirectory(prefix="wijkkit-constraints-") as folder:
        report = Path(folder) / "report.json"
        command = [sys.executable, "-c", PIP_FOR_TARGET, json.dumps(environment(platform)),
                   "install", "--dry-run", "--ignore-installed", "--quiet", "--report", str(report), "--platform", platform, "--python-version", PYTHON,
                   "--only-binary=:all:", "--target", str(Path(folder) / "target"),
                   "-c", str(ROOT / "constraints.txt"), *requirements]  # fmt: skip
        subprocess.run(command, check=True)
        installs = json.loads(report.read_text(encoding="utf-8"))["install"]
    return {canonicalize_name(item["metadata"]["name"]): item["metadata"] for item in installs}


def needed(roots: list[str], resolved: dict[str, dict], env: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """What the target installs (name -> version, walking requirements with its markers), and the requirements
    it needs that pip left out because their markers were false on this machine."""
    pins: dict[str, str] = {}
    missing: set[str] = set()
    done: set[tuple[str, str]] = set()  # (name, extra) whose requirements were walked
    todo = [(Requirement(text), "") for text in roots]
    while todo:
        requirement, extra = todo.pop()
        if requirement.marker and not requirement.marker.evaluate({**env, "extra": extra}):
            continue
        name = canonicalize_name(requirement.name)
        if name not in resolved:
            missing.add(f"{requirement.name}{requirement.specifier}")
            continue
        pins[name] = resolved[name]["version"]
        for wanted in {"", *requirement.extras} - {e for n, e in done if n == name}:
            done.add((name, wanted))
            todo += [(Requirement(text), wanted) for text in resolved[name].get("requires_dist") or []]
    return pins, sorted(missing)


def resolve(platform: str) -> dict[str, str]:
    """name -> version of every distribution ``.[test,build]`` installs on ``platform``."""
    roots = project_requirements()
    resolved = pip_resolve(roots, platform)
    pins, missing = needed(roots, resolved, environment(platform))
    if missing or pins.keys() != resolved.keys():
        extra = sorted(resolved.keys() - pins.keys())
        raise SystemExit(f"error: {platform}: pip's markers were not the target's: missing {missing}, extra {extra}")
    return pins


def render(kind: str, pins: dict[str, str]) -> str:
    linux = {canonicalize_name(line.split("==")[0]): line.split("==")[0]
             for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").split()}  # fmt: skip
    header = (f"# {kind}, Python {PYTHON} ({', '.join(FILES[kind])}): made by `python -m tools.constraints_for`.\n"
              "# Linux pins from constraints.txt for what this OS installs, plus pins for the rest; do not edit.\n")  # fmt: skip
    names = sorted((name for name in pins if name not in UNPINNED), key=lambda name: linux.get(name, name).lower())
    return header + "".join(f"{linux.get(name, name)}=={pins[name]}\n" for name in names)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.constraints_for", description=__doc__.splitlines()[0])
    parser.add_argument("kinds", nargs="*", help=f"some of {sorted(FILES)} (default: all)")
    args = parser.parse_args(argv)
    if unknown := set(args.kinds) - set(FILES):
        parser.error(f"unknown: {sorted(unknown)}")
    for kind in args.kinds or sorted(FILES):
        results = {platform: resolve(platform) for platform in FILES[kind]}
        first, *others = results.values()
        for platform, pins in zip(FILES[kind][1:], others, strict=True):
            if pins != first:
                differ = sorted(set(pins.items()) ^ set(first.items()))
                raise SystemExit(f"error: {platform} and {FILES[kind][0]} differ: {differ}; write separate files")
        path = ROOT / f"constraints-{kind}.txt"
        text = render(kind, first)
        path.write_text(text, encoding="utf-8")
        print(f"{path.name}: {sum(not line.startswith('#') for line in text.splitlines())} pins")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
