"""Bad input in a JSON import (issue 13): one bad row refuses the whole file, the message names the
row and the field, and the database stays as it was, also through ``wijkkit import`` on the command
line. The rules about whole rows are the Kit's (wijkkit.rules), so an import meets them like a form;
a consent that a file changes gets its record, once."""

from __future__ import annotations

import copy
import json

import pytest

from wijkkit import jsonio
from wijkkit.cli import main
from wijkkit.errors import ImportFormatError
from wijkkit.kit import Kit

PERSON = "0190a000-0000-7000-8000-00000000a001"
OTHER = "0190a000-0000-7000-8000-00000000a002"
AGREEMENT = "0190a000-0000-7000-8000-00000000a003"
CAPTURE = "0190a000-0000-7000-8000-00000000a004"
RECORD = "0190a000-0000-7000-8000-00000000a005"


def dump(kit: Kit) -> dict:
    """Every synced row and the sync bookkeeping: what 'nothing changed' means."""
    state = jsonio.export_data(kit)
    for table in ("_field_version", "_tombstone", "_meta"):
        state[table] = kit.query(f"SELECT * FROM {table} ORDER BY 1, 2")
    return state


def export(**tables) -> dict:
    return {"format": "wijkkit", "version": 1, "tables": tables}


def person(**values) -> dict:
    return {"id": PERSON, "name": "Anneke Visser", **values}


# case -> (tables of the file, the reason after "cannot be imported: ")
BAD_INPUT = {
    "contact data without contact consent": (
        {"person": [person(email="anneke@example.nl", phone="06-12345678", consent_contact=0)]},
        f"person row {PERSON}, field consent_contact: "
        "Contact details can only be kept when the person agrees to be contacted.",
    ),
    "a phone number without any consent": (
        {"person": [{"id": OTHER, "name": "Henk", "phone": "06-12345678"}]},
        f"person row {OTHER}, field consent_contact: "
        "Contact details can only be kept when the person agrees to be contacted.",
    ),
    "a 10 MB string": (
        {"person": [person(notes="x" * 10_000_000)]},
        f"the value of notes in person row {PERSON} is not valid: it is longer than 50000 characters.",
    ),
    "a dict where a string belongs": (
        {"person": [person(organisation={"naam": "Thuiszorg Oost"})]},
        f"the value of organisation in person row {PERSON} is not valid: it is not text.",
    ),
    "an unknown agreement status": (
        {"agreement": [{"id": AGREEMENT, "title": "Bankje", "status": "half af"}]},
        f"the value of status in agreement row {AGREEMENT} is not valid: it is not one of the allowed values.",
    ),
    "duplicate ids in one table": (
        {"person": [person(), {"id": PERSON, "name": "Henk Oosterhuis"}]},
        f"row {{number}} of person repeats the id {PERSON} of an earlier row.",  # the last row of the table
    ),
    "a list where a number belongs": (
        {"capture": [{"id": CAPTURE, "kind": "idea", "text": "Bankje", "table_no": [3]}]},
        f"the value of table_no in capture row {CAPTURE} is not valid: it is not a whole number.",
    ),
    "an unknown column": (
        {"person": [person(colour="rood")]},
        f"unknown column colour in person row {PERSON}.",
    ),
    "a consent flag of 2": (
        {"person": [person(consent_share=2)]},
        f"the value of consent_share in person row {PERSON} is not valid: it is not a number from 0 to 1.",
    ),
    "a consent flag in words": (
        {"person": [person(consent_photos="ja")]},
        f"the value of consent_photos in person row {PERSON} is not valid: it is not a whole number.",
    ),
    "a person without a name": (
        {"person": [person(name="  ")]},
        f"person row {PERSON}, field name: A person needs a name.",
    ),
    "an e-mail address without a domain": (
        {"person": [person(email="anneke@", consent_contact=1)]},
        f"person row {PERSON}, field email: "
        "The e-mail address anneke@ is not valid: it needs a name, an @ and a domain.",
    ),
}


@pytest.mark.parametrize("case", list(BAD_INPUT))
def test_one_bad_row_imports_nothing_and_names_row_and_field(demo_kit, case):
    tables, reason = BAD_INPUT[case]
    data = jsonio.export_data(demo_kit)
    good = {"id": "0190a000-0000-7000-8000-00000000a0ff", "name": "Nieuwe buurt", "kind": "buurt"}
    data["tables"]["neighbourhood"].append(good)  # a good row before the bad one is not kept either
    for table, rows in copy.deepcopy(tables).items():
        data["tables"][table].extend(rows)
    reason = reason.replace("{number}", str(len(data["tables"]["person"])))
    before = dump(demo_kit)
    with pytest.raises(ImportFormatError) as caught:
        jsonio.import_data(demo_kit, data, "bad.json")
    assert caught.value.english() == f"The file bad.json cannot be imported: {reason}"
    assert dump(demo_kit) == before


def test_withdrawing_contact_consent_in_a_file_while_keeping_the_details_is_refused(demo_kit):
    anneke = demo_kit.people.add("Anneke Visser", email="anneke@example.nl", consent_contact=1)
    before = dump(demo_kit)
    with pytest.raises(ImportFormatError, match=f"person row {anneke}, field consent_contact: "):
        jsonio.import_data(
            demo_kit, export(person=[{"id": anneke, "consent_contact": 0}]), "withdraw.json"
        )
    assert dump(demo_kit) == before
    jsonio.import_data(demo_kit, export(person=[{"id": anneke, "consent_contact": 0, "email": ""}]))
    assert (
        demo_kit.row("person", anneke)["email"],
        demo_kit.row("person", anneke)["consent_contact"],
    ) == ("", 0)


def test_a_consent_changed_by_a_file_is_recorded_once(kit):
    jsonio.import_data(kit, export(person=[person(consent_share=1)]))
    [record] = kit.people.consents(PERSON)
    assert (record["kind"], record["given"], record["session_id"]) == ("share", 1, None)
    assert (
        record["wording"].startswith("Mijn naam en rol")
        and kit.row("person", PERSON)["consent_at"] == record["at"]
    )
    jsonio.import_data(
        kit, export(person=[person(consent_share=1, notes="Komt graag")])
    )  # no consent changed
    assert len(kit.people.consents(PERSON)) == 1
    jsonio.import_data(kit, export(person=[person(consent_share=0, consent_photos=1)]))
    assert sorted((r["kind"], r["given"]) for r in kit.people.consents(PERSON)) == [
        ("photos", 1), ("share", 0), ("share", 1)]  # fmt: skip


def test_a_file_that_brings_its_consent_records_gets_no_second_one(demo_kit, kit):
    exported = jsonio.export_data(demo_kit)
    jsonio.import_data(kit, exported)
    assert jsonio.export_data(kit) == exported  # a backup comes back as it was, no records added
    record = {"id": RECORD, "person_id": PERSON, "kind": "photos", "given": 1, "wording": "Foto's mogen.",
              "at": "2026-11-30T19:45:00", "session_id": None}  # fmt: skip
    jsonio.import_data(kit, export(person=[person(consent_photos=1)], consent_record=[record]))
    assert [r["id"] for r in kit.people.consents(PERSON)] == [RECORD]


def test_the_command_line_names_row_and_field_and_changes_nothing(tmp_path, capsys):
    db = tmp_path / "wijkkit.sqlite"
    with Kit.open(db) as kit:
        kit.neighbourhoods.add("Ellerveen")
        before = dump(kit)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(export(person=[person(email="anneke@example.nl")])), encoding="utf-8")
    assert main(["import", "--db", str(db), str(bad)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert (f"error: The file {bad} cannot be imported: person row {PERSON}, field consent_contact: "
            "Contact details can only be kept when the person agrees to be contacted.\n") in captured.err  # fmt: skip
    assert "Traceback" not in captured.err
    with Kit.open(db) as kit:
        assert dump(kit) == before


def test_a_file_nested_too_deep_is_not_valid_json_on_the_command_line(tmp_path, capsys):
    db, bad = tmp_path / "wijkkit.sqlite", tmp_path / "deep.json"
    bad.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    assert main(["import", "--db", str(db), str(bad)]) == 2
    err = capsys.readouterr().err
    assert (
        f"error: The file {bad} cannot be imported: it is not valid JSON.\n" in err
        and "Traceback" not in err
    )


def test_the_rule_reads_in_dutch_in_the_app(demo_kit):
    data = export(person=[person(email="anneke@example.nl")])
    with pytest.raises(ImportFormatError) as caught:
        jsonio.import_data(demo_kit, data, "bad.json")
    assert "Contactgegevens mogen alleen worden bewaard" in caught.value.localized()
    assert PERSON in caught.value.localized() and "consent_contact" in caught.value.localized()
