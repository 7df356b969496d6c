"""An ``open()`` without an encoding in wijkkit/ or ui/ fails the test run (issue 15, build 6).

Why this module exists: without ``encoding=`` Python reads and writes in the locale's encoding,
cp1252 on most Windows laptops, so a file written here with "Ş" is unreadable there. ``make test``
runs pytest with PYTHONWARNDEFAULTENCODING=1, so every such call warns, and pyproject's
``filterwarnings`` turns an EncodingWarning raised from a ``wijkkit`` or ``ui`` module into an
error (a test's own or a library's stays a warning). These tests prove both halves.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROBE = """
import warnings

def warns():
    warnings.warn("'encoding' argument not specified", EncodingWarning)

def reads(path):
    with open(path) as handle:
        return handle.read()
"""


def probe_in(module: str) -> dict:
    """The probe's functions, as if they were defined in ``module``."""
    namespace = {"__name__": module}
    exec(compile(PROBE, module.replace(".", "/") + ".py", "exec"), namespace)
    return namespace


def test_make_test_runs_pytest_with_the_warning_on():
    lines = (ROOT / "Makefile").read_text(encoding="utf-8").splitlines()
    assert [line for line in lines if "-m pytest" in line and "PYTHONWARNDEFAULTENCODING=1" in line]


@pytest.mark.parametrize("module", ["wijkkit.probe", "wijkkit.sync.probe", "ui.pages.probe", "wijkkit_launcher"])
def test_an_encoding_warning_from_the_app_is_an_error(module, tmp_path):
    probe = probe_in(module)
    with pytest.raises(EncodingWarning):
        probe["warns"]()
    if sys.flags.warn_default_encoding:  # under make test: the real thing
        (tmp_path / "x.txt").write_bytes(b"x")
        with pytest.raises(EncodingWarning):
            probe["reads"](tmp_path / "x.txt")


@pytest.mark.parametrize("module", ["tests.core.probe", "openpyxl.probe", "uikit"])
def test_one_from_elsewhere_stays_a_warning(module):
    with warnings.catch_warnings(record=True) as caught:
        probe_in(module)["warns"]()
    assert [w.category for w in caught] == [EncodingWarning]
