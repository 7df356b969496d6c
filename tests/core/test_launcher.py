"""The one entry point above the core and the app (issue 15, build item 1 and problem 1).

``wijkkit_launcher.main`` runs subcommands through ``wijkkit.cli`` and hands everything else to
the app; the core itself no longer looks up ``ui.app``. A file that the operating system asks
Wijkkit to open (a file association starts ``wijkkit.exe "C:\\...\\x.wijksync"``) goes to the
app, never to argparse as an unknown command. Without Qt nothing is imported here.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import wijkkit_launcher
from tests.test_core_boundary import lint_imports
from wijkkit import __version__, cli

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def app_runs(monkeypatch) -> list:
    """The app replaced by a recorder of the arguments it got."""
    runs: list = []
    monkeypatch.setattr(wijkkit_launcher, "run_app", lambda args: runs.append(args) or 0)
    return runs


def test_the_core_no_longer_names_the_app():
    tree = ast.parse((ROOT / "wijkkit" / "cli.py").read_text(encoding="utf-8"))
    names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)
             for alias in node.names} | {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}  # fmt: skip
    assert "importlib" not in names and not any(str(name).startswith("ui") for name in names)
    assert "ui.app" not in (ROOT / "wijkkit" / "cli.py").read_text(encoding="utf-8")


def test_the_wijkkit_command_starts_at_the_launcher():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert config["project"]["scripts"]["wijkkit"] == "wijkkit_launcher:main"
    assert "wijkkit_launcher" in config["tool"]["setuptools"]["py-modules"]


def test_no_subcommand_starts_the_app(app_runs):
    assert wijkkit_launcher.main(["--data-dir", "somewhere", "--lang", "en"]) == 0
    [args] = app_runs
    assert (args.command, args.data_dir, args.lang, args.open_path) == (None, "somewhere", "en", None)


def test_the_process_serial_number_of_older_macos_is_no_argument(app_runs):
    assert wijkkit_launcher.main(["-psn_0_1234567"]) == 0
    assert app_runs[0].command is None


def test_a_subcommand_runs_without_the_app(app_runs, tmp_path, capsys):
    database = tmp_path / "demo.sqlite"
    assert wijkkit_launcher.main(["demo", "--db", str(database)]) == 0
    assert app_runs == [] and database.is_file()
    assert capsys.readouterr().out.strip() == f"demo village written to {database}"


@pytest.mark.parametrize("name", ["avond.wijksync", "gemeente.wijkhub", "AVOND.WIJKSYNC"])
def test_a_file_from_a_file_association_is_opened_by_the_app(app_runs, tmp_path, name):
    given = tmp_path / "Mijn bestanden" / name
    given.parent.mkdir()
    given.write_bytes(b"x")
    assert wijkkit_launcher.main([str(given)]) == 0
    assert app_runs[0].open_path == given and app_runs[0].command is None
    assert wijkkit_launcher.main(["--lang", "nl", str(given)]) == 0
    assert app_runs[1].open_path == given and app_runs[1].lang == "nl"


def test_a_file_for_a_subcommand_stays_with_the_subcommand(tmp_path):
    bundle = tmp_path / "avond.wijksync"
    bundle.write_bytes(b"x")
    words = ["sync", "import", "--db", "x.sqlite", str(bundle)]
    assert wijkkit_launcher.file_to_open(words) == (None, words)
    assert wijkkit_launcher.file_to_open(["sesions"]) == (None, ["sesions"])  # a typo: argparse lists the commands


@pytest.mark.parametrize("name", ["gone.wijksync", "notitie.txt"])
def test_a_missing_or_foreign_file_goes_to_the_app_which_says_so(app_runs, tmp_path, name):
    """A windowed start has no console for argparse's error: the app's dialog tells instead (ui/open_file.py)."""
    given = tmp_path / name
    assert wijkkit_launcher.main(["--data-dir", str(tmp_path), str(given)]) == 0
    assert app_runs[0].open_path == given and app_runs[0].data_dir == str(tmp_path)


def test_python_dash_m_wijkkit_runs_commands_and_points_to_the_app(capsys):
    assert cli.main([]) == 2  # what `python -m wijkkit` runs without a subcommand
    err = capsys.readouterr().err
    assert "the desktop app starts with 'wijkkit'" in err and "Traceback" not in err


def test_the_launcher_runs_as_a_script_and_as_a_module(tmp_path):
    for command in ([sys.executable, str(ROOT / "wijkkit_launcher.py"), "--version"],
                    [sys.executable, "-m", "wijkkit_launcher", "--version"]):  # fmt: skip
        done = subprocess.run(command, cwd=tmp_path if command[1] != "-m" else ROOT, capture_output=True,
                              text=True, encoding="utf-8", timeout=60)  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == f"wijkkit {__version__}"


def test_missing_console_streams_become_quiet_ones(monkeypatch):
    """A windowed start has no stdout, stderr or stdin: writes and reads must not raise."""
    for name in ("stdout", "stderr", "stdin"):
        monkeypatch.setattr(sys, name, None)
    wijkkit_launcher.quiet_missing_streams()
    try:
        sys.stderr.write("error: nobody reads this\n")
        print("nor this")
        assert sys.stdin.read() == ""
    finally:
        for name in ("stdout", "stderr", "stdin"):
            getattr(sys, name).close()


def test_the_import_contract_keeps_the_launcher_on_top(tmp_path):
    """Neither ``wijkkit`` nor ``ui`` may import the launcher; a copy with such an import fails."""
    for package in ("wijkkit", "ui"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "wijkkit_launcher.py"):
        shutil.copy(ROOT / name, tmp_path / name)
    victim = tmp_path / "ui" / "errors.py"
    victim.write_text(victim.read_text(encoding="utf-8") + "\n\ndef _sneaky():\n    import wijkkit_launcher  # noqa\n",
                      encoding="utf-8")  # fmt: skip
    done = lint_imports(tmp_path)
    assert done.returncode != 0
    assert "Neither the core nor ui imports the launcher BROKEN" in done.stdout
