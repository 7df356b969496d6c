"""``wijkkit person``: list, inzage and erase from the command line, in English, never a traceback."""

from __future__ import annotations

import json

import pytest

from wijkkit.cli import main
from wijkkit.kit import Kit


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "laptop.sqlite"
    with Kit.open(path) as kit:
        person = kit.people.add(
            "Anneke Visser", email="anneke@example.nl", consent_contact=1, consent_share=1
        )
        meeting = kit.sessions.add("Avond", "2026-12-15T19:30", "2026-12-15T22:00")
        kit.agreements.add("Anneke Visser rijdt naar de markt", meeting)
    return path, person


def test_list_shows_people_and_json_gives_them_to_scripts(db, capsys):
    path, person = db
    assert main(["person", "list", "--db", str(path)]) == 0
    assert f"{person}  Anneke Visser  (inwoner; contact, share)" in capsys.readouterr().out
    assert main(["person", "list", "--db", str(path), "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert (row["id"], row["name"], row["consent_share"]) == (person, "Anneke Visser", True)


def test_erase_forgets_the_person_and_their_name_in_free_text(db, capsys):
    path, person = db
    assert main(["person", "erase", "--db", str(path), person]) == 0
    assert f"erased person {person}" in capsys.readouterr().out
    with Kit.open(path) as kit:
        assert kit.row("person", person) is None
        assert [r["title"] for r in kit.query("SELECT title FROM agreement")] == [
            "[verwijderd] rijdt naar de markt"
        ]


def test_inzage_writes_the_file(db, tmp_path, capsys):
    path, person = db
    assert (
        main(
            ["person", "inzage", "--db", str(path), person, "--out", str(tmp_path / "inzage.json")]
        )
        == 0
    )
    data = json.loads((tmp_path / "inzage.json").read_text(encoding="utf-8"))
    assert (
        data["person"]["name"] == "Anneke Visser"
        and "consent_history" in data
        and "sent_to_hub" in data
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["erase", "not-an-id"], "error: 'not-an-id' is not a person id"),
        (
            ["erase", "0f8c2d3e-1111-4222-8333-444455556666"],
            "error: There is no person 0f8c2d3e-1111",
        ),
        (["inzage", "../../etc/passwd", "--out", "x.pdf"], "is not a person id"),
    ],
)
def test_bad_ids_get_a_sentence_and_exit_2(db, capsys, args, message):
    path, _person = db
    assert main(["person", args[0], "--db", str(path), *args[1:]]) == 2
    assert message in capsys.readouterr().err


def test_erasing_twice_and_a_missing_database_are_explained(db, tmp_path, capsys):
    path, person = db
    assert main(["person", "erase", "--db", str(path), person]) == 0
    assert main(["person", "erase", "--db", str(path), person]) == 2
    assert "was removed from this database already" in capsys.readouterr().err
    assert main(["person", "list", "--db", str(tmp_path / "nope.sqlite")]) == 2
    assert "There is no database at" in capsys.readouterr().err
