"""The core/ui boundary: wijkkit/ works without Qt and never imports PySide6, shiboken6 or ui.

Three independent checks: every core module imports in a Python where Qt cannot be
imported at all; the import-linter contracts in pyproject.toml hold (and really
catch a violation); and no file in wijkkit/ has a static import of the forbidden
packages, not even inside a function.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "wijkkit"
FORBIDDEN = {"PySide6", "shiboken6", "ui"}
EXPECTED_CORE_MODULES = {
    "wijkkit.kit", "wijkkit.store", "wijkkit.schema", "wijkkit.hlc", "wijkkit.ids", "wijkkit.jsonio",
    "wijkkit.demo", "wijkkit.cli", "wijkkit.errors", "wijkkit.i18n", "wijkkit.people", "wijkkit.sessions",
    "wijkkit.agreements", "wijkkit.neighbourhoods", "wijkkit.templates", "wijkkit.dates", "wijkkit.paths",
}  # fmt: skip

WITHOUT_QT = textwrap.dedent(
    """
    import importlib.abc
    import sys

    BLOCKED = ("PySide6", "shiboken6")


    class NoQt(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ImportError(f"No module named {name!r} (blocked: Qt is not installed here)")
            return None


    sys.meta_path.insert(0, NoQt())

    import importlib
    import json
    import pkgutil
    import tempfile
    from pathlib import Path

    try:
        import PySide6  # noqa: F401
        qt_blocked = False
    except ImportError:
        qt_blocked = True

    import wijkkit

    imported, failed = [], {}
    # __main__ is skipped: importing it runs the command (and would try to start the app)
    for info in pkgutil.walk_packages(wijkkit.__path__, "wijkkit.", onerror=lambda n: failed.update({n: "walk"})):
        if info.name == "wijkkit.__main__":
            continue
        try:
            importlib.import_module(info.name)
            imported.append(info.name)
        except Exception as exc:
            failed[info.name] = f"{type(exc).__name__}: {exc}"

    loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "ui"))

    # the command-line jobs work without Qt; only the app itself needs it
    from wijkkit import cli

    with tempfile.TemporaryDirectory() as folder:
        db, out = Path(folder) / "demo.sqlite", Path(folder) / "demo.json"
        demo_rc = cli.main(["demo", "--db", str(db)])
        export_rc = cli.main(["export", "--db", str(db), "--json", str(out)])
        exported = json.loads(out.read_text(encoding="utf-8"))["format"]
    import wijkkit_launcher  # the entry point above both: without Qt it says so

    app_rc = wijkkit_launcher.main([])

    print(json.dumps({
        "qt_blocked": qt_blocked, "imported": imported, "failed": failed, "loaded": loaded,
        "demo_rc": demo_rc, "export_rc": export_rc, "exported": exported, "app_rc": app_rc,
    }))
    """
)


def test_every_core_module_imports_and_the_cli_works_without_qt(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_QT],
        cwd=ROOT,
        capture_output=True,
        encoding="utf-8",
        timeout=120,
        # keys in the temp folder, not the OS keystore; Python on Windows cannot start without SYSTEMROOT
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "WIJKKIT_DATA_DIR": str(tmp_path / "data"),
             "WIJKKIT_CONFIG_DIR": str(tmp_path / "config"), "WIJKKIT_KEYSTORE": "file", "QT_QPA_PLATFORM": "offscreen",
             **{name: os.environ[name] for name in ("SYSTEMROOT",) if name in os.environ}},  # fmt: skip
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["qt_blocked"], "the test did not manage to hide PySide6"
    assert report["failed"] == {}
    assert EXPECTED_CORE_MODULES <= set(report["imported"])
    assert report["loaded"] == [], "importing the core pulled in Qt or the ui package"
    assert (report["demo_rc"], report["export_rc"], report["exported"]) == (0, 0, "wijkkit")
    assert report["app_rc"] == 3
    assert "the desktop app cannot start here" in done.stderr and "Is PySide6 installed?" in done.stderr
    assert "Traceback" not in done.stderr


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    runner = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"
    return subprocess.run(
        [sys.executable, "-c", runner, "--no-logo", "--no-cache"],
        cwd=cwd,
        capture_output=True,
        encoding="utf-8",
        timeout=120,
    )


def test_the_import_linter_contracts_are_kept():
    done = lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "The core never imports Qt or the ui package KEPT" in done.stdout
    assert "ui sits on top of the core KEPT" in done.stdout
    assert "0 broken" in done.stdout


def test_the_import_linter_contract_catches_a_core_module_importing_ui(tmp_path):
    """Against a copy with one forbidden import added, the same configuration must fail."""
    shutil.copytree(CORE, tmp_path / "wijkkit", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "ui", tmp_path / "ui", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    victim = tmp_path / "wijkkit" / "dates.py"
    victim.write_text(victim.read_text(encoding="utf-8") + "\n\ndef _sneaky():\n    import ui.app  # noqa\n", encoding="utf-8")
    done = lint_imports(tmp_path)
    assert done.returncode != 0
    assert "The core never imports Qt or the ui package BROKEN" in done.stdout
    assert "wijkkit.dates" in done.stdout


def forbidden_imports(path: Path, root: Path = ROOT) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module]
        else:
            continue
        found += [f"{path.relative_to(root)}:{node.lineno} {m}" for m in modules if m.split(".")[0] in FORBIDDEN]
    return found


def test_no_core_file_imports_qt_or_ui_statically():
    files = sorted(CORE.rglob("*.py"))
    assert len(files) >= len(EXPECTED_CORE_MODULES)
    offenders = [hit for path in files for hit in forbidden_imports(path)]
    assert offenders == []


def test_the_scan_recognises_every_form_of_forbidden_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import os\nimport PySide6.QtCore\nfrom ui import app\nfrom .ui import x\n"
        "def f():\n    import shiboken6 as s\n    from ui.pages import people\nimport uikit\n",
        encoding="utf-8",
    )
    hits = forbidden_imports(sample, root=tmp_path)
    assert [h.split(" ", 1)[1] for h in hits] == ["PySide6.QtCore", "ui", "shiboken6", "ui.pages"]
