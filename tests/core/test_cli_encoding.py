"""The command line prints names such as "Şükrü Doğan" into any stream without stopping (issue 15, 13).

On Windows, output redirected to a pipe or a file is written in cp1252, where "Ş" and "ğ" do not
exist, and the command stopped with UnicodeEncodeError. That cannot happen on Linux by itself, so
these tests make the stream cp1252: in a child process through PYTHONIOENCODING, and in-process
with a cp1252 TextIOWrapper as sys.stdout (also as Windows with no encoding chosen, which gets UTF-8).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from wijkkit import console
from wijkkit.cli import main
from wijkkit.kit import Kit

ROOT = Path(__file__).resolve().parents[2]
NAME, TITLE = "Şükrü Doğan", "Buurtavond Çarşı 🎉"


@pytest.fixture
def village(tmp_path):
    path = tmp_path / "wijkkit.sqlite"
    with Kit.open(path) as kit:
        kit.people.add(NAME)
        kit.sessions.add(TITLE, "2027-01-12T19:30", "2027-01-12T21:30")
    return path


def run_cli(*args: str, encoding: str = "cp1252") -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": encoding, "PYTHONPATH": str(ROOT)}
    env.pop("PYTHONUTF8", None)
    return subprocess.run([sys.executable, "-m", "wijkkit", *args], cwd=ROOT, env=env, capture_output=True,
                          timeout=60)  # fmt: skip


def cp1252_streams(monkeypatch) -> io.TextIOWrapper:
    """sys.stdout and sys.stderr as a pipe gives them on Windows: cp1252, strict. Set in the test
    itself: pytest puts its own capture back between a fixture and the test."""
    stream = io.TextIOWrapper(io.BytesIO(), encoding="cp1252")
    monkeypatch.setattr(sys, "stdout", stream)
    monkeypatch.setattr(sys, "stderr", io.TextIOWrapper(io.BytesIO(), encoding="cp1252"))
    return stream


def written(stream: io.TextIOWrapper) -> bytes:
    stream.flush()
    return stream.buffer.getvalue()


def test_sessions_and_people_print_into_a_cp1252_pipe(village):
    """Still cp1252, as the user asked: what it lacks is written as an escape, the rest as it is."""
    for args, shown in ((["sessions", "--db", str(village)], "Buurtavond Çar\\u015f\\u0131 \\ud83c\\udf89"),
                        (["person", "list", "--db", str(village)], "\\u015eükrü Do\\u011fan")):  # fmt: skip
        done = run_cli(*args)
        assert done.returncode == 0, done.stderr.decode("cp1252", errors="replace")
        assert shown in done.stdout.decode("cp1252")


def test_json_into_a_cp1252_pipe_is_valid_json_with_the_same_names(village):
    sessions = run_cli("sessions", "--db", str(village), "--json")
    assert sessions.returncode == 0, sessions.stderr
    assert [m["title"] for m in json.loads(sessions.stdout.decode("cp1252"))] == [TITLE]  # 🎉 as a surrogate pair
    people = run_cli("person", "list", "--db", str(village), "--json")
    assert people.returncode == 0, people.stderr
    assert [p["name"] for p in json.loads(people.stdout.decode("cp1252"))] == [NAME]


def test_an_error_naming_a_path_reaches_a_cp1252_stderr(tmp_path):
    missing = tmp_path / "Şehir" / "wijkkit.sqlite"
    done = run_cli("sessions", "--db", str(missing))
    assert done.returncode == 2
    err = done.stderr.decode("cp1252")
    assert err.startswith("error: ") and "\\u015eehir" in err and "Traceback" not in err


def test_in_process_the_stream_keeps_cp1252_and_escapes_the_rest(village, monkeypatch):
    cp1252_stdout = cp1252_streams(monkeypatch)
    assert main(["sessions", "--db", str(village), "--json"]) == 0
    assert sys.stdout.encoding == "cp1252"
    assert [m["title"] for m in json.loads(written(cp1252_stdout).decode("cp1252"))] == [TITLE]


def test_on_windows_a_redirected_stream_nobody_chose_an_encoding_for_becomes_utf8(monkeypatch):
    cp1252_stdout = cp1252_streams(monkeypatch)
    monkeypatch.delenv("PYTHONIOENCODING", raising=False)
    console.prepare_streams(windows=True)
    print(NAME)
    assert written(cp1252_stdout).decode("utf-8") == NAME + "\n"


@pytest.mark.parametrize("stdout", [None, "console-utf8", "chosen-errors"])
def test_streams_that_need_nothing_are_left_alone(monkeypatch, stdout):
    """The windowed app has no streams; a UTF-8 stream or one with the user's error handler stays."""
    if stdout == "console-utf8":
        stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    elif stdout == "chosen-errors":
        stdout = io.TextIOWrapper(io.BytesIO(), encoding="cp1252", errors="replace")
    monkeypatch.setattr(sys, "stdout", stdout)
    monkeypatch.setattr(sys, "stderr", None)
    console.prepare_streams(windows=True)
    assert sys.stdout is stdout and sys.stderr is None
    if stdout is not None:
        assert (stdout.encoding, stdout.errors) in (("utf-8", "strict"), ("cp1252", "replace"))
