"""The AVG in practice. Inzage: everything held about a person, written as readable JSON.
Vergeten: after erasure no value of the person (name, e-mail, phone) remains anywhere in the
database outside the tombstone. Bewaartermijn: who has not been seen for too long."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from wijkkit import privacy
from wijkkit.errors import NotFoundError, ValidationError
from wijkkit.i18n import gettext
from wijkkit.kit import Kit

NAME, EMAIL, PHONE = "Şükrü Yılmaz", "sukru@example.nl", "06-98765432"
FIELD_VERSION_COLUMNS = ("tbl", "row_id", "field", "hlc", "replica", "base_hlc", "base_replica")


def rows(kit: Kit, table: str) -> int:
    return kit.conn.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]


def every_table(kit: Kit) -> list[str]:
    return [
        r[0]
        for r in kit.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        )
    ]


def leftovers(kit: Kit, values: list[str]) -> list[tuple[str, str, object]]:
    """Every (table, column, cell) in the whole database that still holds one of the values."""
    wanted = [v.casefold() for v in values]
    found = []
    for table in every_table(kit):
        cursor = kit.conn.execute(f"SELECT * FROM [{table}]")
        columns = [c[0] for c in cursor.description]
        for row in cursor.fetchall():
            for column, cell in zip(columns, row, strict=True):
                text = (
                    cell.decode("utf-8", "replace") if isinstance(cell, bytes) else str(cell or "")
                )
                if any(v in text.casefold() for v in wanted):
                    found.append((table, column, cell))
    return found


def person_named(kit: Kit, name: str) -> str:
    (person,) = [p for p in kit.people.list() if p.name == name]
    return person.id


@pytest.fixture
def sukru(demo_kit):
    """Şükrü from the demo, with a phone number, and named in a note, a description and an update."""
    kit = demo_kit
    person = person_named(kit, NAME)
    kit.people.edit(person, phone=PHONE)
    held, _planned = kit.sessions.list()
    step = kit.sessions.steps(held.id)[3]
    capture = kit.insert("capture", {
        "session_id": held.id, "step_id": step.id, "kind": "note", "table_no": 1, "created_at": "2026-11-08T20:10:00",
        "text": f"{NAME} ({EMAIL}) helpt op dinsdag met de computer.",
    })  # fmt: skip
    owned = next(a for a in kit.agreements.for_session(held.id) if a.owner_person_id == person)
    kit.agreements.edit(owned.id, description=f"Bel {NAME} op {PHONE} of mail {EMAIL}.")
    other = next(a for a in kit.agreements.for_session(held.id) if a.owner_person_id != person)
    update = kit.agreements.update_status(other.id, "in_progress", f"Besproken met {NAME}; hij doet mee.",
                                          at=datetime(2026, 11, 20, 10, 0))  # fmt: skip
    return {"kit": kit, "person": person, "held": held.id, "capture": capture, "owned": owned.id,
            "other": other.id, "update": update}  # fmt: skip


# -- erasure ---------------------------------------------------------------------------------


def test_after_erasure_no_value_of_the_person_remains_anywhere(sukru):
    kit, person = sukru["kit"], sukru["person"]
    placed = {t for t, _c, _v in leftovers(kit, [NAME, EMAIL, PHONE])}
    assert placed >= {
        "person",
        "capture",
        "agreement",
        "agreement_update",
    }  # the setup did its work
    kit.people.get(person)
    privacy.erase_person(kit, person)
    assert leftovers(kit, [NAME, EMAIL, PHONE]) == []
    # _field_version holds names of fields, never values; nothing is left for the erased rows
    columns = tuple(c[1] for c in kit.conn.execute("PRAGMA table_info(_field_version)"))
    assert columns == FIELD_VERSION_COLUMNS
    assert kit.query("SELECT * FROM _field_version WHERE row_id = ?", [person]) == []
    known_fields = {f for t in kit.tables for f in kit.columns(t)}
    assert {
        r["field"] for r in kit.query("SELECT DISTINCT field FROM _field_version")
    } <= known_fields
    assert {r["tbl"] for r in kit.query("SELECT DISTINCT tbl FROM _field_version")} <= set(
        kit.tables
    )
    assert {r["key"] for r in kit.query("SELECT key FROM _meta")} <= {
        "replica_id",
        "hlc_last",
        "retention_months",
        "org_name",
        "org_logo",
    }


def test_erasure_removes_the_person_with_an_erased_tombstone_and_detaches_the_rest(sukru):
    kit, person = sukru["kit"], sukru["person"]
    attendance = [
        r["id"] for r in kit.query("SELECT id FROM attendance WHERE person_id = ?", [person])
    ]
    consents = [
        r["id"] for r in kit.query("SELECT id FROM consent_record WHERE person_id = ?", [person])
    ]
    offers = [r["id"] for r in kit.query("SELECT id FROM offer WHERE person_id = ?", [person])]
    assert (len(attendance), len(consents), len(offers)) == (1, 3, 1)
    others = {
        t: rows(kit, t)
        for t in ("person", "attendance", "consent_record", "offer", "agreement", "capture")
    }

    touched = privacy.erase_person(kit, person)

    assert touched >= len(attendance) + len(consents) + len(offers) + 1 + 3
    assert kit.row("person", person) is None
    assert kit.query(
        "SELECT erased FROM _tombstone WHERE tbl = 'person' AND row_id = ?", [person]
    ) == [{"erased": 1}]
    for table, ids in (("attendance", attendance), ("consent_record", consents)):
        for row_id in ids:
            assert kit.row(table, row_id) is None
            assert kit.query(
                "SELECT erased FROM _tombstone WHERE tbl = ? AND row_id = ?", [table, row_id]
            ) == [{"erased": 1}]
    assert kit.query("SELECT * FROM attendance WHERE person_id = ?", [person]) == []
    assert kit.query("SELECT * FROM consent_record WHERE person_id = ?", [person]) == []
    for offer in offers:
        assert kit.exchange.item("offer", offer).person_id is None
        assert kit.exchange.item("offer", offer).text  # the offer itself stays
    owned = kit.agreements.get(sukru["owned"])
    assert (owned.owner_person_id, owned.owner_name) == (None, None)
    assert {t: rows(kit, t) for t in others} == {
        "person": others["person"] - 1, "attendance": others["attendance"] - 1,
        "consent_record": others["consent_record"] - 3, "offer": others["offer"],
        "agreement": others["agreement"], "capture": others["capture"],
    }  # fmt: skip
    assert kit.db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert kit.db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def test_erasure_puts_the_placeholder_where_the_values_were(sukru):
    kit = sukru["kit"]
    privacy.erase_person(kit, sukru["person"])
    removed = gettext(privacy.REMOVED)
    assert (
        kit.row("capture", sukru["capture"])["text"]
        == f"{removed} ({removed}) helpt op dinsdag met de computer."
    )
    assert (
        kit.agreements.get(sukru["owned"]).description
        == f"Bel {removed} op {removed} of mail {removed}."
    )
    assert (
        kit.row("agreement_update", sukru["update"])["note"]
        == f"Besproken met {removed}; hij doet mee."
    )
    assert (
        kit.agreements.get(sukru["owned"]).title
        == "Digitaal spreekuur starten in de bibliotheekhoek"
    )


def test_the_placeholder_reads_verwijderd_in_dutch():
    assert gettext(privacy.REMOVED) == "[verwijderd]"


def test_erasure_leaves_everyone_else_alone(sukru):
    kit = sukru["kit"]
    before = {p.id: p for p in kit.people.list() if p.id != sukru["person"]}
    consents = {pid: kit.people.consents(pid) for pid in before}
    held_attendees = [a.person_id for a in kit.attendance.attendees(sukru["held"])]
    privacy.erase_person(kit, sukru["person"])
    assert {p.id: p for p in kit.people.list()} == before
    assert {pid: kit.people.consents(pid) for pid in before} == consents
    assert [a.person_id for a in kit.attendance.attendees(sukru["held"])] == [
        p for p in held_attendees if p != sukru["person"]
    ]
    assert kit.attendance.total(sukru["held"]) == 11 + 6


def test_erasing_twice_is_not_found_and_changes_nothing(sukru):
    kit, person = sukru["kit"], sukru["person"]
    privacy.erase_person(kit, person)
    versions, tombstones = rows(kit, "_field_version"), rows(kit, "_tombstone")
    with pytest.raises(NotFoundError):
        privacy.erase_person(kit, person)
    with pytest.raises(NotFoundError):
        privacy.export_person(kit, person)
    assert (rows(kit, "_field_version"), rows(kit, "_tombstone")) == (versions, tombstones)


def test_erasing_one_namesake_keeps_the_other(demo_kit):
    jans = [p for p in demo_kit.people.list() if p.name == "Jan de Vries"]
    gemeente = next(p for p in jans if p.role == "gemeente")
    inwoner = next(p for p in jans if p.role == "inwoner")
    privacy.erase_person(demo_kit, gemeente.id)
    assert demo_kit.people.get(inwoner.id).name == "Jan de Vries"
    assert [p.id for p in demo_kit.people.namesakes("Jan de Vries")] == [inwoner.id]
    assert leftovers(demo_kit, [gemeente.email]) == []


@pytest.mark.parametrize(
    ("name", "typed"),
    [
        (NAME, NAME),
        (NAME, "şükrü yılmaz"),  # typed quickly in lower case
        ("Łucja Wójcik", "łucja wójcik"),
        ("Zoë van 't Hof-Dijkstra", "ZOË VAN 'T HOF-DIJKSTRA"),
        ("Henk Oosterhuis", "HENK OOSTERHUIS"),
    ],
    ids=["as-written", "sukru-lower", "lucja-lower", "zoe-upper", "henk-upper"],
)
def test_a_name_typed_in_another_case_is_erased_too(demo_kit, name, typed):
    person = person_named(demo_kit, name)
    held, _planned = demo_kit.sessions.list()
    capture = demo_kit.insert(
        "capture", {"session_id": held.id, "kind": "note", "text": f"Vraag het {typed}."}
    )
    assert leftovers(demo_kit, [name])
    privacy.erase_person(demo_kit, person)
    assert demo_kit.row("capture", capture)["text"] == f"Vraag het {gettext(privacy.REMOVED)}."
    assert leftovers(demo_kit, [name]) == []


def test_an_email_typed_in_capitals_is_erased_too(sukru):
    kit = sukru["kit"]
    capture = kit.insert(
        "capture", {"session_id": sukru["held"], "kind": "note", "text": f"Mail: {EMAIL.upper()}"}
    )
    privacy.erase_person(kit, sukru["person"])
    assert kit.row("capture", capture)["text"] == f"Mail: {gettext(privacy.REMOVED)}"


TYPED_TEXTS = [
    ("obstacle", "addressed_by", NAME),
    ("follow_up", "owner", NAME),
    ("session", "facilitator", NAME),
    ("session", "notes", f"Zaalsleutel bij {NAME}"),
    ("checklist_item", "label", f"Koffie en thee: {NAME} neemt mee"),
    ("session", "location_name", f"Bij {NAME} thuis"),
    ("step", "prompts", f"Vraag {NAME} naar het Vrijwilligerspunt"),
]


@pytest.mark.parametrize(
    ("table", "column", "text"), TYPED_TEXTS, ids=[f"{t}.{c}" for t, c, _x in TYPED_TEXTS]
)
def test_the_name_is_erased_from_every_kind_of_typed_text(demo_kit, table, column, text):
    person = person_named(demo_kit, NAME)
    row_id = demo_kit.query(f"SELECT id FROM [{table}] LIMIT 1")[0]["id"]
    demo_kit.update(table, row_id, {column: text})
    privacy.erase_person(demo_kit, person)
    assert leftovers(demo_kit, [NAME]) == []
    assert gettext(privacy.REMOVED) in demo_kit.row(table, row_id)[column]


def test_erasure_replaces_whole_words_only_and_leaves_other_people(kit):
    """It replaced substrings: erasing Bas made "basisschool" "[verwijderd]isschool" and another
    person, Bas-Jan Mulder, "[verwijderd]-Jan Mulder", as an edit that travels."""
    bas = kit.people.add("Bas Janssen", phone="+31 6 1111 2222", consent_contact=1)
    kit.people.add("Bas-Jan Mulder")
    kit.people.add("Anna Bos")
    capture = kit.insert("capture", {"kind": "note", "text": (
        "Bas komt naar de basisschool; bas janssen ook; Bas-Jan Mulder en Bas-Jan helpen; "
        "Janssen belt 06 11112222 bij het bos")})  # fmt: skip
    privacy.erase_person(kit, bas)
    assert kit.row("capture", capture)["text"] == (
        "[verwijderd] komt naar de basisschool; [verwijderd] ook; Bas-Jan Mulder en Bas-Jan helpen; "
        "[verwijderd] belt [verwijderd] bij het bos"
    )


def test_erasing_a_surname_that_is_a_word_leaves_the_word(kit):
    kees = kit.people.add("Kees de Wit")
    capture = kit.insert(
        "capture", {"kind": "note", "text": "de wit geschilderde muur; de Wit belt"}
    )
    privacy.erase_person(kit, kees)
    assert kit.row("capture", capture)["text"] == "de wit geschilderde muur; [verwijderd] belt"


def test_the_placeholder_written_into_the_data_is_dutch_whatever_the_screen_speaks(kit):
    """It followed the screen: the CLI in English wrote "[removed]" into text that travels."""
    from wijkkit import i18n
    from wijkkit.models import NAME_NOT_SHARED

    henk = kit.people.add("Henk Oosterhuis")
    capture = kit.insert("capture", {"kind": "note", "text": "Henk Oosterhuis belt"})
    update = kit.insert("capture", {"kind": "note", "text": "Oosterhuis belt"})
    i18n.set_language("en")
    try:
        assert privacy.erased_replacement() == "[verwijderd]"
        # a caller passing the marker in the screen's language writes it in Dutch all the same
        privacy.scrub_free_text(
            kit, ["Oosterhuis"], None, i18n.gettext(NAME_NOT_SHARED), skip=("capture", capture)
        )
        privacy.erase_person(kit, henk)
    finally:
        i18n.set_language("nl")
    assert kit.row("capture", capture)["text"] == "[verwijderd] belt"
    assert kit.row("capture", update)["text"] == "(naam niet gedeeld) belt"


def test_every_synced_text_column_is_classified_as_free_text_or_not():
    """session.method was missing from FREE_TEXT and carried a name to the hub verbatim: a new text
    column must be put in privacy.FREE_TEXT or privacy.NOT_FREE_TEXT."""
    from wijkkit import validate
    from wijkkit.schema import synced_columns

    with Kit.memory() as fresh:
        texts = {(table, c[1]) for table in synced_columns(fresh.conn)
                 for c in fresh.conn.execute(f"PRAGMA table_info([{table}])") if c[2].upper() == "TEXT"}  # fmt: skip
    free = {(t, c) for t, columns in privacy.FREE_TEXT.items() for c in columns}
    other = {(t, c) for t, columns in privacy.NOT_FREE_TEXT.items() for c in columns}
    ids = {(t, c) for t, c in texts if c == "id" or c.endswith("_id")}
    assert free & other == set()
    assert free | other <= texts  # no typo, no column that is gone
    assert texts - ids - free - other == set(), (
        "classify these in privacy.FREE_TEXT or NOT_FREE_TEXT"
    )
    typed = {(t, c) for t, rules in validate.RULES.items() for c, check in rules.items()
             if check in (validate._line, validate._text)}  # fmt: skip
    assert typed - free == {("person", "organisation"), ("person", "email"), ("person", "phone"),
                            ("neighbourhood", "name"), ("neighbourhood", "municipality"),
                            ("consent_record", "wording")}  # fmt: skip
    assert ("session", "method") in free


# -- inzage ---------------------------------------------------------------------------------------


def test_export_holds_the_person_their_rows_and_the_mentions(sukru):
    kit, person = sukru["kit"], sukru["person"]
    export = privacy.export_person(kit, person)
    assert export["format"] == "wijkkit-inzage"
    assert datetime.fromisoformat(export["made_at"])
    assert (export["person"]["id"], export["person"]["name"], export["person"]["email"], export["person"]["phone"]) == (
        person, NAME, EMAIL, PHONE,
    )  # fmt: skip
    related = export["related"]
    assert sorted((r["kind"], r["given"]) for r in related["consent_record"]) == [
        ("contact", 1), ("photos", 0), ("share", 1),
    ]  # fmt: skip
    assert all(r["wording"] for r in related["consent_record"])
    assert [r["session_id"] for r in related["attendance"]] == [sukru["held"]]
    assert [r["category"] for r in related["offer"]] == ["digitale_hulp"]
    assert related["need"] == []
    assert [r["id"] for r in related["agreement"]] == [sukru["owned"]]
    mentions = export["mentions"]
    assert [r["id"] for r in mentions["capture"]] == [sukru["capture"]]
    assert [r["id"] for r in mentions["agreement"]] == [sukru["owned"]]
    assert [r["id"] for r in mentions["agreement_update"]] == [sukru["update"]]
    assert all(rows_ for rows_ in mentions.values())
    json.dumps(export)  # plain data only


def test_write_export_writes_readable_json_and_leaves_no_part_file(sukru, tmp_path):
    target = tmp_path / "inzage" / "inzage Şükrü.json"
    target.parent.mkdir()
    target.write_text("oud", encoding="utf-8")  # an earlier export is replaced whole
    assert privacy.write_export(sukru["kit"], sukru["person"], target) == target
    raw = target.read_bytes()
    assert NAME.encode("utf-8") in raw  # ensure_ascii=False: the name is readable as it is
    assert b"\\u015e" not in raw
    loaded = json.loads(raw.decode("utf-8"))
    assert loaded["person"]["name"] == NAME
    assert loaded == json.loads(
        json.dumps(privacy.export_person(sukru["kit"], sukru["person"]))
    ) | {"made_at": loaded["made_at"]}
    assert sorted(p.name for p in target.parent.iterdir()) == ["inzage Şükrü.json"]


def test_a_failed_export_leaves_no_file_at_all(kit, tmp_path):
    target = tmp_path / "inzage.json"
    with pytest.raises(NotFoundError):
        privacy.write_export(kit, "no-such-person", target)
    assert list(tmp_path.iterdir()) == []


# -- retention -------------------------------------------------------------------------------------


def seen_on(kit: Kit, name: str, day: str) -> str:
    meeting = kit.sessions.add(f"Avond {day}", f"{day}T19:30", f"{day}T22:00", status="held")
    person = kit.people.add(name)
    kit.attendance.mark(meeting, person)
    return person


def test_to_anonymise_lists_who_was_not_seen_for_longer_than_the_retention_period(kit):
    today = date(2026, 11, 29)
    long_ago = seen_on(kit, "Lang geleden", "2024-10-29")  # 25 months before today
    a_while = seen_on(kit, "Een tijdje", "2024-12-29")  # 23 months before today
    recent = seen_on(kit, "Onlangs", "2026-11-08")
    assert privacy.retention_months(kit) == privacy.DEFAULT_RETENTION_MONTHS == 24
    assert privacy.to_anonymise(kit, today) == [(long_ago, "Lang geleden", "2024-10-29T19:30")]
    privacy.set_retention_months(kit, 12)
    assert privacy.retention_months(kit) == 12
    assert {p for p, _n, _s in privacy.to_anonymise(kit, today)} == {long_ago, a_while}
    assert recent not in {p for p, _n, _s in privacy.to_anonymise(kit, today)}


def test_a_later_meeting_counts_as_seen(kit):
    person = seen_on(kit, "Terug", "2024-01-10")
    later = kit.sessions.add("Later", "2026-06-01T19:30", "2026-06-01T22:00")
    assert [p for p, _n, _s in privacy.to_anonymise(kit, date(2026, 11, 29))] == [person]
    kit.attendance.mark(later, person)
    assert privacy.to_anonymise(kit, date(2026, 11, 29)) == []


@pytest.mark.parametrize(
    ("today", "months", "seen", "listed"),
    [
        ("2026-11-15", 24, "2024-11-14", True),
        ("2026-11-15", 24, "2024-11-15", False),  # exactly the period: not longer
        ("2026-11-29", 24, "2024-11-28", True),
        ("2026-11-30", 24, "2024-11-29", True),
        ("2026-03-31", 1, "2026-02-27", True),
        ("2026-03-31", 1, "2026-02-28", False),  # there is no 31 February
        ("2026-01-10", 12, "2025-01-09", True),
        ("2026-01-10", 12, "2025-01-10", False),
    ],
)
def test_the_retention_period_ends_on_the_same_day_months_earlier(kit, today, months, seen, listed):
    person = seen_on(kit, "Iemand", seen)
    privacy.set_retention_months(kit, months)
    assert (
        person in {p for p, _n, _s in privacy.to_anonymise(kit, date.fromisoformat(today))}
    ) is listed


@pytest.mark.parametrize("months", [0, -1, 121, 1000])
def test_retention_outside_1_to_120_months_is_refused_and_nothing_saved(kit, months):
    privacy.set_retention_months(kit, 36)
    meta = kit.query("SELECT * FROM _meta ORDER BY key")
    with pytest.raises(ValidationError) as caught:
        privacy.set_retention_months(kit, months)
    assert caught.value.field == "retention"
    assert kit.query("SELECT * FROM _meta ORDER BY key") == meta
    assert privacy.retention_months(kit) == 36


@pytest.mark.parametrize("months", [1, 120])
def test_retention_of_1_and_120_months_is_accepted(kit, months):
    privacy.set_retention_months(kit, months)
    assert privacy.retention_months(kit) == months


def test_nobody_in_the_demo_is_due_for_anonymising(demo_kit):
    assert privacy.to_anonymise(demo_kit, date(2026, 11, 29)) == []


def test_the_inzage_as_a_pdf_holds_the_same_data_readably(sukru, tmp_path):
    from pypdf import PdfReader

    target = tmp_path / "inzage Şükrü.pdf"
    assert privacy.write_export(sukru["kit"], sukru["person"], target) == target
    text = "\n".join(page.extract_text() for page in PdfReader(target).pages)
    flat = " ".join(text.split())
    for expected in (NAME, EMAIL, PHONE, "Persoonsgegevens", "Toestemming", "Samen zorgen in Ellerveen",
                     "helpt op dinsdag met de computer", "Besproken met"):  # fmt: skip
        assert expected in flat, expected
    wording = sukru["kit"].query(
        "SELECT wording FROM consent_record WHERE person_id = ? LIMIT 1", [sukru["person"]]
    )
    assert " ".join(wording[0]["wording"].split())[:40] in flat
    assert not list(tmp_path.glob("*.part"))


def test_erasure_replaces_the_surname_alone_but_leaves_a_namesakes_full_name(kit):
    """The name is found loosely (redact.py: case, accents, the surname alone), yet someone else's
    full name with the same surname stays."""
    piet = kit.people.add("Piet Jansen", consent_share=1)
    kit.people.add("Marie Jansen", consent_share=1)
    meeting = kit.sessions.add("Avond", "2026-12-15T19:30", "2026-12-15T22:00")
    capture = kit.insert(
        "capture", {"session_id": meeting, "text": "JANSEN belt Marie Jansen; piet jansen komt"}
    )
    privacy.erase_person(kit, piet)
    assert (
        kit.row("capture", capture)["text"] == "[verwijderd] belt Marie Jansen; [verwijderd] komt"
    )
