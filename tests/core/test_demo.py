"""The demo village: what it holds, stored exactly, and that making it never leaves a half file."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, timedelta

import pytest

from wijkkit import demo, templates
from wijkkit.kit import Kit

DEMO_TODAY = date(2026, 11, 29)  # as in tests/conftest.py
SPECIAL_NAMES = ["Şükrü Yılmaz", "Łucja Wójcik", "Zoë van 't Hof-Dijkstra", "Nguyễn Thị Minh Khai"]


def count(kit: Kit, table: str) -> int:
    return kit.db.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]


def test_two_neighbourhoods(demo_kit):
    hoods = demo_kit.neighbourhoods.list()
    assert [(n.name, n.municipality, n.kind) for n in hoods] == [
        ("Ellerveen", "Veldhorst", "kern"),
        ("Veldhorst-Oost", "Veldhorst", "wijk"),
    ]


def test_one_held_and_one_planned_meeting_relative_to_today(demo_kit):
    held, planned = demo_kit.sessions.list()
    assert held.status == "held" and planned.status == "planned"
    assert held.starts_at == "2026-11-08T19:30" and held.ends_at == "2026-11-08T22:00"
    assert planned.starts_at == "2026-12-27T19:30"
    assert planned.follows_session_id == held.id
    assert held.neighbourhood_name == planned.neighbourhood_name == "Ellerveen"
    assert demo_kit.sessions.next_planned(now=datetime(2026, 11, 29, 20, 0)).id == planned.id


def test_the_held_meeting_follows_the_seven_steps_and_the_next_one_the_repeat_template(demo_kit):
    held, planned = demo_kit.sessions.list()
    first = demo_kit.sessions.steps(held.id)
    assert [s.kind for s in first].count("step") == 7
    assert [s.kind for s in first].count("break") == 1
    repeat = templates.builtin("vervolg")
    assert [s.title for s in demo_kit.sessions.steps(planned.id)] == [t.title for t in repeat.steps]
    assert planned.method == repeat.name
    for session, template in ((held, templates.builtin("zevenstappen")), (planned, repeat)):
        steps = demo_kit.sessions.steps(session.id)
        assert [s.position for s in steps] == list(range(len(template.steps)))
        assert [s.title for s in steps] == [t.title for t in template.steps]
        assert [s.minutes for s in steps] == [t.minutes for t in template.steps]
        assert all(s.session_id == session.id for s in steps)
        assert session.method == template.name


def test_twelve_people_with_their_names_stored_exactly(demo_kit):
    people = demo_kit.people.list()
    assert len(people) == 12
    names = [p.name for p in people]
    for name in SPECIAL_NAMES:
        assert name in names
        assert unicodedata.is_normalized("NFC", name)
    # byte-exact, straight from SQLite
    stored = {r[0].encode("utf-8") for r in demo_kit.db.execute("SELECT name FROM person")}
    assert {n.encode("utf-8") for n in SPECIAL_NAMES} <= stored
    assert sorted(names) == sorted(p[0] for p in demo.PEOPLE)


def test_two_different_people_are_both_called_jan_de_vries(demo_kit):
    jans = [p for p in demo_kit.people.list() if p.name == "Jan de Vries"]
    assert len(jans) == 2
    assert jans[0].id != jans[1].id
    assert {j.role for j in jans} == {"gemeente", "inwoner"}


def test_contact_details_only_with_consent(demo_kit):
    for person in demo_kit.people.list():
        if person.email or person.phone:
            assert person.consent_contact == 1, person.name
        if person.consent_contact or person.consent_share or person.consent_photos:
            assert person.consent_at


def test_everyone_attended_the_held_meeting(demo_kit):
    held, _planned = demo_kit.sessions.list()
    rows = demo_kit.query("SELECT person_id, present, table_no FROM attendance WHERE session_id = ?", [held.id])
    assert len(rows) == 12
    assert {r["person_id"] for r in rows} == {p.id for p in demo_kit.people.list()}
    assert {r["table_no"] for r in rows} == {1, 2, 3, 4}


def test_captures_belong_to_steps_of_the_held_meeting(demo_kit):
    held, planned = demo_kit.sessions.list()
    captures = demo_kit.query("SELECT * FROM capture")
    assert len(captures) == len(demo.CAPTURES) == 9
    held_steps = {s.id for s in demo_kit.sessions.steps(held.id)}
    assert all(c["session_id"] == held.id and c["step_id"] in held_steps for c in captures)
    assert {c["kind"] for c in captures} == {"note", "quote", "dream", "idea"}
    assert all(c["created_at"].startswith("2026-11-08T") for c in captures)


def test_agreements_with_owners_and_due_dates(demo_kit):
    held, planned = demo_kit.sessions.list()
    agreements = demo_kit.agreements.for_session(held.id)
    assert len(agreements) == len(demo.AGREEMENTS) == 6
    by_title = {a.title: a for a in agreements}
    for title, owner, partners, due_days, status in demo.AGREEMENTS:
        made = by_title[title]
        expected_owner = owner if isinstance(owner, str) else demo.PEOPLE[owner][0]
        assert made.owner_label == expected_owner, title
        assert (made.owner_person_id is None) == isinstance(owner, str), title
        assert made.partners == partners
        assert made.due_on == (DEMO_TODAY + timedelta(days=due_days)).isoformat()
        assert made.review_on == planned.starts_at[:10]
        assert made.status == status
    assert by_title["Hulplijst bij Bakkerij Smit ophangen"].owner_label == "Marieke Smit"
    assert any(a.due_on < DEMO_TODAY.isoformat() and a.status == "open" for a in agreements), "no overdue example"
    assert {a.status for a in agreements} == {"open", "in_progress", "done", "stalled"}
    assert len(demo_kit.agreements.open()) == 5


def test_every_demo_row_is_stamped_by_one_replica_and_nothing_dangles(demo_kit):
    for table in demo_kit.tables:
        unstamped = demo_kit.query(
            f"SELECT id FROM [{table}] WHERE id NOT IN (SELECT row_id FROM _field_version WHERE tbl = ?)", [table]
        )
        assert unstamped == [], table
    replicas = demo_kit.query("SELECT DISTINCT replica FROM _field_version")
    assert len(replicas) == 1
    assert demo_kit.db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert count(demo_kit, "step") == 15


def test_demo_file_is_a_complete_closed_database(demo_file):
    folder = demo_file.parent
    assert sorted(p.name for p in folder.iterdir()) == ["demo.sqlite"]


@pytest.mark.parametrize("name", ["demo.sqlite", "demo [kopie].sqlite", "wijk*2.sqlite"])
def test_a_failing_demo_leaves_no_file_behind(tmp_path, monkeypatch, name):
    def broken(kit, today=None):
        kit.neighbourhoods.add("Half")
        raise RuntimeError("boom")

    monkeypatch.setattr(demo, "populate", broken)
    target = tmp_path / name
    with pytest.raises(RuntimeError, match="boom"):
        demo.create(target, today=DEMO_TODAY)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == [], "a half-made demo or its .making files were left behind"


def test_a_failing_demo_keeps_an_existing_file_untouched(tmp_path, monkeypatch):
    target = tmp_path / "wijkkit.sqlite"
    with Kit.open(target) as kit:
        kit.neighbourhoods.add("Mijn echte wijk")
    before = target.read_bytes()
    monkeypatch.setattr(demo, "populate", lambda kit, today=None: (_ for _ in ()).throw(RuntimeError("boom")))
    with pytest.raises(RuntimeError):
        demo.create(target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["wijkkit.sqlite"]


def test_leftovers_of_a_crashed_earlier_attempt_are_cleared(tmp_path):
    target = tmp_path / "demo.sqlite"
    (tmp_path / "demo.sqlite.making").write_text("half a database from a crash", encoding="utf-8")
    (tmp_path / "demo.sqlite.making-wal").write_bytes(b"\x00" * 32)
    demo.create(target, today=DEMO_TODAY)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.sqlite"]
    with Kit.open(target) as kit:
        assert kit.people.count() == 12
