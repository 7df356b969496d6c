"""The ``wijkkit`` command line: jobs for scripts, English messages, exit code 2 and no tracebacks."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from wijkkit import __version__, jsonio, schema, store
from wijkkit.cli import main
from wijkkit.kit import Kit

ROOT = Path(__file__).resolve().parents[2]


def test_version(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.strip() == f"wijkkit {__version__}"


def test_python_dash_m_wijkkit_version():
    done = subprocess.run(
        [sys.executable, "-m", "wijkkit", "--version"], cwd=ROOT, capture_output=True, encoding="utf-8", timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"wijkkit {__version__}"
    assert done.stderr == ""


def test_demo_writes_a_new_database(tmp_path, capsys):
    target = tmp_path / "sub" / "demo.sqlite"
    assert main(["demo", "--db", str(target)]) == 0
    assert capsys.readouterr().out.strip() == f"demo village written to {target}"
    assert sorted(p.name for p in target.parent.iterdir()) == ["demo.sqlite"]
    with Kit.open(target) as kit:
        assert kit.people.count() == 12
        assert len(kit.sessions.list()) == 2


def test_demo_refuses_an_existing_file(demo_file, tmp_path, capsys):
    target = tmp_path / "mine.sqlite"
    shutil.copy(demo_file, target)
    before = target.read_bytes()
    assert main(["demo", "--db", str(target)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("error: ") and str(target) in captured.err and "already exists" in captured.err
    assert target.read_bytes() == before


def test_demo_without_db_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["demo"])
    assert exited.value.code == 2
    assert "--db" in capsys.readouterr().err


def test_export_then_import_round_trip(demo_file, tmp_path, capsys):
    source = tmp_path / "source.sqlite"
    shutil.copy(demo_file, source)
    out = tmp_path / "export.json"
    assert main(["export", "--db", str(source), "--json", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"exported {source} to {out}"
    exported = json.loads(out.read_text(encoding="utf-8"))
    rows = sum(len(r) for r in exported["tables"].values())

    target = tmp_path / "target.sqlite"
    assert main(["import", "--db", str(target), str(out)]) == 0
    assert capsys.readouterr().out.strip() == (
        f"imported {out}: {rows} new, 0 updated, 0 unchanged, 0 skipped (deleted here)"
    )
    with Kit.open(target) as kit:
        assert jsonio.export_data(kit) == exported

    assert main(["import", "--db", str(target), str(out)]) == 0
    assert f"0 new, 0 updated, {rows} unchanged" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("{ dit is geen json", "it is not valid JSON."),
        ('{"format": "iets anders"}', "it is not a Wijkkit export."),
        ('{"format": "wijkkit", "version": 1, "tables": {"person": [{"naam": "x"}]}}', "row 1 of person has no id."),
        (None, "the file does not exist."),
    ],
)
def test_import_of_a_bad_file_is_an_english_error_without_traceback(tmp_path, capsys, content, reason):
    db = tmp_path / "wijkkit.sqlite"
    with Kit.open(db) as kit:
        kit.neighbourhoods.add("Ellerveen")
        before = jsonio.export_data(kit)
    bad = tmp_path / "bad.json"
    if content is not None:
        bad.write_text(content, encoding="utf-8")
    # the autouse fixture has switched the language to Dutch: the command line stays English
    assert main(["import", "--db", str(db), str(bad)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"error: The file {bad} cannot be imported: {reason}\n"
    assert "Traceback" not in captured.err
    with Kit.open(db) as kit:
        assert jsonio.export_data(kit) == before


def test_import_of_a_file_with_dangling_references_is_an_error_without_traceback(tmp_path, capsys):
    db = tmp_path / "wijkkit.sqlite"
    bad = tmp_path / "dangling.json"
    bad.write_text(
        json.dumps(
            {
                "format": "wijkkit",
                "version": 1,
                "tables": {"session": [{"id": "s1", "title": "Los", "neighbourhood_id": "does-not-exist"}]},
            }
        ),
        encoding="utf-8",
    )
    assert main(["import", "--db", str(db), str(bad)]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith(f"error: The file {bad} cannot be imported: ")
    with Kit.open(db) as kit:
        assert kit.query("SELECT * FROM session") == []


@pytest.mark.parametrize("command", ["export", "import"])
def test_a_db_that_is_not_sqlite_is_a_clear_error(tmp_path, capsys, command):
    db = tmp_path / "notes.sqlite"
    db.write_text("boodschappen: melk, brood\n", encoding="utf-8")
    before = db.read_bytes()
    other = tmp_path / "x.json"
    args = ["--json", str(other)] if command == "export" else [str(other)]
    assert main([command, "--db", str(db), *args]) == 2
    captured = capsys.readouterr()
    assert captured.err == f"error: The file {db} is not a Wijkkit database (it is not an SQLite file).\n"
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.sqlite"]


def test_export_to_a_folder_that_does_not_exist_is_an_os_error_message(demo_file, tmp_path, capsys):
    source = tmp_path / "source.sqlite"
    shutil.copy(demo_file, source)
    out = tmp_path / "missing" / "export.json"
    assert main(["export", "--db", str(source), "--json", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: No such file or directory (")
    assert "export.json" in err
    assert not out.parent.exists()


def test_a_newer_database_is_refused_with_exit_2(tmp_path, capsys):
    db = tmp_path / "newer.sqlite"
    with Kit.open(db):
        pass
    conn = store.raw_connection(db)  # through the file's key
    newer = schema.schema_version() + 1
    conn.execute(f"PRAGMA user_version = {newer}")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    assert main(["export", "--db", str(db), "--json", str(tmp_path / "x.json")]) == 2
    err = capsys.readouterr().err
    assert f"was made by a newer version of Wijkkit (schema {newer}, this version knows up to" in err
    assert db.read_bytes() == before
    assert not (tmp_path / "x.json").exists()


def test_export_of_a_mistyped_database_path_creates_nothing(tmp_path, capsys):
    missing = tmp_path / "typo.sqlite"
    assert main(["export", "--db", str(missing), "--json", str(tmp_path / "out.json")]) == 2
    assert "There is no database at" in capsys.readouterr().err
    assert not missing.exists()
    assert not (tmp_path / "out.json").exists()
