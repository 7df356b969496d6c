"""JSON export and import: a faithful round trip, merges as local edits, bad files change nothing."""

from __future__ import annotations

import copy
import errno
import json
import os

import pytest

from wijkkit import jsonio, schema
from wijkkit.errors import ImportFormatError
from wijkkit.kit import Kit


def stamps(kit: Kit, table: str, row_id: str) -> dict[str, dict]:
    rows = kit.query(
        "SELECT field, hlc, replica, base_hlc, base_replica FROM _field_version WHERE tbl = ? AND row_id = ?",
        [table, row_id],
    )
    return {r.pop("field"): r for r in rows}


def full_state(kit: Kit) -> dict:
    state = jsonio.export_data(kit)
    for table in ("_field_version", "_tombstone", "_meta"):
        state[table] = kit.query(f"SELECT * FROM {table} ORDER BY 1, 2")
    return state


@pytest.fixture
def exported(demo_kit) -> dict:
    return jsonio.export_data(demo_kit)


def test_export_holds_every_synced_table_and_row(demo_kit, exported):
    assert exported["format"] == "wijkkit"
    assert exported["version"] == schema.schema_version()
    assert set(exported["tables"]) == set(demo_kit.tables)
    for table, rows in exported["tables"].items():
        assert len(rows) == demo_kit.db.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]
        assert [r["id"] for r in rows] == sorted(r["id"] for r in rows)
        assert all(list(r) == list(demo_kit.columns(table)) for r in rows)
    json.dumps(exported)  # plain JSON types only


def test_export_then_import_into_an_empty_kit_gives_identical_tables(exported, kit):
    total = sum(len(rows) for rows in exported["tables"].values())
    result = jsonio.import_data(kit, json.loads(json.dumps(exported)))
    assert result == jsonio.ImportResult(inserted=total, updated=0, unchanged=0, skipped_deleted=0)
    assert jsonio.export_data(kit) == exported
    assert kit.db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_imported_rows_are_stamped_as_edits_of_the_importing_replica(demo_kit, exported, kit):
    jsonio.import_data(kit, exported)
    person = exported["tables"]["person"][0]
    mine = stamps(kit, "person", person["id"])
    assert set(mine) == set(person) - {"id"}
    assert {v["replica"] for v in mine.values()} == {kit.replica_id}
    assert kit.replica_id != demo_kit.replica_id


def test_importing_the_same_file_again_changes_nothing(exported, kit):
    jsonio.import_data(kit, exported)
    before = full_state(kit)
    heard = []
    kit.on_change(heard.append)
    total = sum(len(rows) for rows in exported["tables"].values())
    result = jsonio.import_data(kit, exported)
    assert result == jsonio.ImportResult(inserted=0, updated=0, unchanged=total, skipped_deleted=0)
    assert full_state(kit) == before
    assert heard == []


def test_import_merges_by_id_stamping_only_the_changed_fields(exported, kit):
    jsonio.import_data(kit, exported)
    person = exported["tables"]["person"][0]
    before = stamps(kit, "person", person["id"])
    edited = copy.deepcopy(exported)
    edited["tables"]["person"][0]["notes"] = "Verhuisd naar Veldhorst-Oost"
    edited["tables"]["neighbourhood"].append(
        {"id": "0190a000-0000-7000-8000-000000000001", "name": "Nieuwe buurt", "kind": "buurt"}
    )
    del edited["tables"]["step"]  # a file may hold only some tables
    heard = []
    kit.on_change(heard.append)
    result = jsonio.import_data(kit, edited)
    unchanged = sum(len(r) for t, r in exported["tables"].items() if t != "step") - 1
    assert result == jsonio.ImportResult(inserted=1, updated=1, unchanged=unchanged, skipped_deleted=0)
    after = stamps(kit, "person", person["id"])
    assert after["notes"]["replica"] == kit.replica_id
    assert after["notes"]["hlc"] > before["notes"]["hlc"]
    assert after["notes"]["base_hlc"] == before["notes"]["base_hlc"]  # the earlier import never left: no new base
    assert {f: v for f, v in after.items() if f != "notes"} == {f: v for f, v in before.items() if f != "notes"}
    assert kit.row("person", person["id"])["notes"] == "Verhuisd naar Veldhorst-Oost"
    assert len(kit.query("SELECT * FROM step")) == len(exported["tables"]["step"])
    assert heard == [{"person": {person["id"]}, "neighbourhood": {"0190a000-0000-7000-8000-000000000001"}}]


def test_a_row_missing_some_columns_only_changes_the_given_ones(exported, kit):
    jsonio.import_data(kit, exported)
    person = exported["tables"]["person"][0]
    partial = {"format": "wijkkit", "version": 1, "tables": {"person": [{"id": person["id"], "role": "anders"}]}}
    assert jsonio.import_data(kit, partial).updated == 1
    row = kit.row("person", person["id"])
    assert row == {**person, "role": "anders"}


@pytest.mark.parametrize("erase", [False, True], ids=["deleted", "erased"])
def test_rows_deleted_here_are_skipped_and_counted(exported, kit, erase):
    jsonio.import_data(kit, exported)
    capture = exported["tables"]["capture"][3]  # nothing refers to a capture
    kit.delete("capture", capture["id"], erase=erase)
    before = full_state(kit)
    result = jsonio.import_data(kit, exported)
    assert result.skipped_deleted == 1
    assert result.inserted == 0 and result.updated == 0
    assert kit.row("capture", capture["id"]) is None
    assert stamps(kit, "capture", capture["id"]) == {}
    assert full_state(kit) == before


def test_a_tombstoned_id_is_skipped_when_imported_into_a_kit_that_never_had_it(kit):
    kit.delete("person", "0190a000-0000-7000-8000-0000000000aa", erase=True)
    data = {
        "format": "wijkkit",
        "version": 1,
        "tables": {"person": [{"id": "0190a000-0000-7000-8000-0000000000aa", "name": "Weg"}, {"id": "0190a000-0000-7000-8000-0000000000ab", "name": "Blijft"}]},
    }
    result = jsonio.import_data(kit, data)
    assert (result.inserted, result.skipped_deleted) == (1, 1)
    assert [p.name for p in kit.people.list()] == ["Blijft"]


def valid(**tables) -> dict:
    return {"format": "wijkkit", "version": 1, "tables": tables}


GOOD_ROW = {"id": "0190a000-0000-7000-8000-0000000000bb", "name": "Goed"}

BAD_DATA = {
    "top-level-list": ([GOOD_ROW], "it is not a Wijkkit export."),
    "no-format": ({"version": 1, "tables": {}}, "it is not a Wijkkit export."),
    "wrong-format": ({"format": "wijkkit-template", "version": 1, "tables": {}}, "it is not a Wijkkit export."),
    "newer-version": (
        {"format": "wijkkit", "version": schema.schema_version() + 1, "tables": {"neighbourhood": [GOOD_ROW]}},
        "it comes from a newer version of Wijkkit.",
    ),
    "version-as-text": ({"format": "wijkkit", "version": "1", "tables": {}}, "it comes from a newer version of Wijkkit."),
    "tables-missing": ({"format": "wijkkit", "version": 1}, "the tables are missing."),
    "tables-a-list": ({"format": "wijkkit", "version": 1, "tables": []}, "the tables are missing."),
    "unknown-table": (valid(neighbourhood=[GOOD_ROW], _meta=[{"id": "x"}]), "unknown table _meta."),
    "rows-not-a-list": (valid(neighbourhood=[GOOD_ROW], person={"id": "x"}), "the rows of person are not a list of objects."),
    "row-not-an-object": (valid(neighbourhood=[GOOD_ROW, "x"]), "the rows of neighbourhood are not a list of objects."),
    "unknown-column": (
        valid(neighbourhood=[GOOD_ROW, {"id": "0190a000-0000-7000-8000-0000000000bc", "name": "X", "colour": "rood"}]),
        "unknown column colour in neighbourhood row 0190a000-0000-7000-8000-0000000000bc.",
    ),
    "row-without-id": (valid(neighbourhood=[GOOD_ROW, {"name": "Zonder id"}]), "row 2 of neighbourhood has no id."),
    "row-with-empty-id": (valid(neighbourhood=[GOOD_ROW, {"id": "", "name": "Leeg"}]), "row 2 of neighbourhood has no id."),
    "row-with-number-id": (valid(neighbourhood=[GOOD_ROW, {"id": 7, "name": "Getal"}]), "row 2 of neighbourhood has no id."),
}


@pytest.mark.parametrize(("data", "reason"), list(BAD_DATA.values()), ids=list(BAD_DATA))
def test_bad_data_raises_import_format_error_and_changes_nothing(demo_kit, tmp_path, data, reason):
    before = full_state(demo_kit)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ImportFormatError) as caught:
        jsonio.import_file(demo_kit, path)
    assert caught.value.english() == f"The file {path} cannot be imported: {reason}"
    assert full_state(demo_kit) == before


BAD_VALUES = {
    "a number as a name": ("person", "name", 7, "it is not text."),
    "not-a-date as a start": ("session", "starts_at", "not-a-date", "it is not a date and time."),
    "an exploded status": ("agreement", "status", "exploded", "it is not one of the allowed values."),
    "half a table": ("capture", "table_no", 1.5, "it is not a whole number."),
    "a name as a reference": ("session", "neighbourhood_id", "Ellerveen", "it is not the id of a row."),
    "a list as notes": ("neighbourhood", "notes", ["x"], "it is not text."),
}


@pytest.mark.parametrize("case", list(BAD_VALUES))
def test_one_bad_value_imports_nothing_and_names_table_row_and_field(demo_kit, exported, case):
    """Every value passes its column's rule (wijkkit.validate), as in a bundle; one that does not stops the file."""
    table, field, value, reason = BAD_VALUES[case]
    data = copy.deepcopy(exported)
    data["tables"]["neighbourhood"].append({"id": "0190a000-0000-7000-8000-0000000000ee", "name": "Nieuw"})
    row = data["tables"][table][-1]
    row[field] = value
    before = full_state(demo_kit)
    with pytest.raises(ImportFormatError) as caught:
        jsonio.import_data(demo_kit, data, "bad.json")
    assert caught.value.english() == (f"The file bad.json cannot be imported: the value of {field} in {table} "
                                      f"row {row['id']} is not valid: {reason}")  # fmt: skip
    assert full_state(demo_kit) == before


@pytest.mark.parametrize("row_id", ["n2", "ROW", "0190A000-0000-7000-8000-0000000000BB", " " + GOOD_ROW["id"]])
def test_a_row_whose_id_is_not_a_row_id_imports_nothing(demo_kit, row_id):
    before = full_state(demo_kit)
    data = valid(neighbourhood=[GOOD_ROW, {"id": row_id, "name": "X"}])
    with pytest.raises(ImportFormatError) as caught:
        jsonio.import_data(demo_kit, data, "ids.json")
    assert caught.value.english() == ("The file ids.json cannot be imported: the id of row 2 in neighbourhood "
                                      "is not valid: it is not the id of a row.")  # fmt: skip
    assert full_state(demo_kit) == before


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        pytest.param(b'{"format": "wijkkit", "version": 1, "tables": {', "it is not valid JSON.", id="truncated-json"),
        pytest.param(b"naam;rol\nAnneke;inwoner\n", "it is not valid JSON.", id="csv"),
        pytest.param(b"\xff\xfe\x00{\x00}", "it is not valid JSON.", id="not-utf8"),
        pytest.param(b"", "it is not valid JSON.", id="empty"),
        pytest.param(None, "the file does not exist.", id="missing"),
    ],
)
def test_bad_files_raise_import_format_error_and_change_nothing(demo_kit, tmp_path, content, reason):
    before = full_state(demo_kit)
    path = tmp_path / "in.json"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ImportFormatError) as caught:
        jsonio.import_file(demo_kit, path)
    assert caught.value.english() == f"The file {path} cannot be imported: {reason}"
    assert full_state(demo_kit) == before


def test_a_row_referring_to_something_that_does_not_exist_is_a_format_error(demo_kit):
    """A valid-looking file whose session points at a missing neighbourhood.

    Nothing may be imported (true today: the deferred foreign key fails the commit),
    and the caller must get an ImportFormatError like any other bad file, not a raw
    sqlite3.IntegrityError that the command line shows as a traceback.
    """
    before = full_state(demo_kit)
    data = valid(
        neighbourhood=[GOOD_ROW],
        session=[{"id": "0190a000-0000-7000-8000-0000000000cd", "title": "Los",
                  "neighbourhood_id": "0190a000-0000-7000-8000-00000000dead"}],  # no such neighbourhood
    )
    with pytest.raises(ImportFormatError):
        jsonio.import_data(demo_kit, data, "dangling.json")
    assert full_state(demo_kit) == before


@pytest.fixture
def out_dir(tmp_path):
    """An empty folder for exports (tmp_path itself holds demo_kit's database)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def test_import_file_round_trip_through_disk(demo_kit, kit, out_dir):
    out = out_dir / "export.json"
    jsonio.export_file(demo_kit, out)
    jsonio.import_file(kit, out)
    assert jsonio.export_data(kit) == jsonio.export_data(demo_kit)


def test_export_file_is_utf8_json_and_leaves_no_part_file(demo_kit, out_dir):
    out = out_dir / "export.json"
    jsonio.export_file(demo_kit, out)
    assert [p.name for p in out_dir.iterdir()] == ["export.json"]
    text = out.read_text(encoding="utf-8")
    assert "Şükrü Yılmaz" in text, "names should be readable in the file, not \\u-escaped"
    assert json.loads(text) == jsonio.export_data(demo_kit)


def test_export_file_replaces_an_older_export(demo_kit, out_dir):
    out = out_dir / "export.json"
    out.write_text("old", encoding="utf-8")
    jsonio.export_file(demo_kit, out)
    assert json.loads(out.read_text(encoding="utf-8"))["format"] == "wijkkit"
    assert [p.name for p in out_dir.iterdir()] == ["export.json"]


def test_a_failed_export_keeps_the_previous_file_and_leaves_no_part_file(demo_kit, out_dir, monkeypatch):
    """The disk fills up while the export is flushed: the old export stays, nothing else is left."""
    out = out_dir / "export.json"
    out.write_text('{"previous": true}', encoding="utf-8")

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)  # the flush in wijkkit.atomic
    with pytest.raises(OSError):
        jsonio.export_file(demo_kit, out)
    assert out.read_text(encoding="utf-8") == '{"previous": true}'
    assert [p.name for p in out_dir.iterdir()] == ["export.json"]
