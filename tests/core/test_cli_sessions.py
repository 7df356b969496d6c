"""``wijkkit sessions`` lists the meetings and their ids (issue 14, 21), and ``handout`` points to it."""

from __future__ import annotations

import json
import shutil

import pytest

from wijkkit.cli import main
from wijkkit.kit import Kit


@pytest.fixture
def village(demo_file, tmp_path):
    """The demo village with a third meeting planned before the others, to show the date order."""
    copy = tmp_path / "village.sqlite"
    shutil.copy(demo_file, copy)
    with Kit.open(copy) as kit:
        kit.sessions.add("Vooroverleg", "2026-01-05T19:30", "2026-01-05T21:00", status="held")
        expected = [(s.id, s.starts_at[:10], s.title) for s in sorted(kit.sessions.list(), key=lambda s: s.starts_at)]
    return copy, expected


def test_sessions_as_json_in_date_order_with_every_field(village, capsys):
    path, expected = village
    assert main(["sessions", "--db", str(path), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(m["id"], m["date"], m["title"]) for m in listed] == expected
    assert all(set(m) == {"id", "date", "time", "title", "neighbourhood", "status"} for m in listed)
    first = listed[0]
    assert (first["title"], first["time"], first["status"], first["neighbourhood"]) == (
        "Vooroverleg", "19:30-21:00", "held", "")  # fmt: skip
    assert any(m["neighbourhood"] for m in listed)


def test_sessions_as_a_table_with_english_headers(village, capsys):
    path, expected = village
    assert main(["sessions", "--db", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["ID", "DATE", "TIME", "TITLE", "NEIGHBOURHOOD", "STATUS"]
    assert [line.split()[0] for line in out[1:-1]] == [meeting_id for meeting_id, _d, _t in expected]
    assert out[-1] == f"{len(expected)} meetings"


def test_sessions_without_a_database_is_a_message(tmp_path, capsys):
    assert main(["sessions", "--db", str(tmp_path / "none.sqlite")]) == 2
    assert capsys.readouterr().err.startswith("error: There is no database at")
    assert not (tmp_path / "none.sqlite").exists()


def test_a_handout_without_session_points_to_the_sessions_command(village, tmp_path, capsys):
    path, _expected = village
    assert main(["handout", "programme", "--db", str(path), "--out", str(tmp_path / "p.pdf")]) == 2
    err = capsys.readouterr().err
    assert "--session" in err and f"wijkkit sessions --db {path}" in err
    assert not (tmp_path / "p.pdf").exists()
