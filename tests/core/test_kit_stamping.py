"""The Kit's stamped writes: field versions, tombstones, transactions and change listeners."""

from __future__ import annotations

import pytest

from wijkkit.errors import NotFoundError
from wijkkit.hlc import pack
from wijkkit.kit import Kit


def versions(kit: Kit, table: str, row_id: str) -> dict[str, dict]:
    rows = kit.query(
        "SELECT field, hlc, replica, base_hlc, base_replica FROM _field_version "
        "WHERE tbl = ? AND row_id = ?",
        [table, row_id],
    )
    return {r.pop("field"): r for r in rows}


def tombstone(kit: Kit, table: str, row_id: str) -> dict | None:
    rows = kit.query("SELECT * FROM _tombstone WHERE tbl = ? AND row_id = ?", [table, row_id])
    return rows[0] if rows else None


def snapshot(kit: Kit) -> dict[str, list]:
    """Everything a write could touch: synced rows, field versions, tombstones, metadata."""
    state = {t: kit.query(f"SELECT * FROM [{t}] ORDER BY id") for t in kit.tables}
    state["_field_version"] = kit.query("SELECT * FROM _field_version ORDER BY tbl, row_id, field")
    state["_tombstone"] = kit.query("SELECT * FROM _tombstone ORDER BY tbl, row_id")
    state["_meta"] = kit.query("SELECT * FROM _meta ORDER BY key")
    return state


class StuckClock:
    """A wall clock that can be set, also backwards."""

    def __init__(self, ms: int) -> None:
        self.ms = ms

    def __call__(self) -> int:
        return self.ms


# -- insert ----------------------------------------------------------------------------


def test_insert_stamps_every_given_field_with_this_replica(kit):
    values = {"name": "Ellerveen", "municipality": "Veldhorst", "kind": "kern"}
    row_id = kit.insert("neighbourhood", values)
    stamped = versions(kit, "neighbourhood", row_id)
    assert set(stamped) == set(values), "exactly the given fields are stamped (not id, not defaults)"
    hlcs = {v["hlc"] for v in stamped.values()}
    assert len(hlcs) == 1, "one insert is one stamp"
    for version in stamped.values():
        assert version["replica"] == kit.replica_id
        assert version["base_hlc"] is None and version["base_replica"] is None
    assert kit.row("neighbourhood", row_id) == {"id": row_id, "notes": "", "archived": 0, **values}


def test_successive_writes_get_increasing_stamps_even_when_the_wall_clock_stands_still():
    with Kit.memory(clock=StuckClock(5_000)) as kit:
        first = kit.insert("neighbourhood", {"name": "A"})
        second = kit.insert("neighbourhood", {"name": "B"})
        kit.update("neighbourhood", first, {"name": "A2"})
        kit.delete("neighbourhood", second)
        a = versions(kit, "neighbourhood", first)["name"]
        stone = tombstone(kit, "neighbourhood", second)
        # insert A, insert B, update A, delete B: four stamps in one frozen millisecond
        assert a["base_hlc"] is None  # the insert never left this laptop: still no base
        assert a["hlc"] == pack(5_000, 2)
        assert stone["hlc"] == pack(5_000, 3)


def test_insert_with_an_explicit_id_and_an_id_among_the_values(kit):
    row_id = kit.insert("neighbourhood", {"id": "ignored", "name": "X"}, row_id="my-id")
    assert row_id == "my-id"
    assert kit.row("neighbourhood", "ignored") is None
    assert set(versions(kit, "neighbourhood", "my-id")) == {"name"}


@pytest.mark.parametrize(
    ("table", "fields"),
    [
        ("neighbourhood", {"name": "X", "colour": "red"}),
        ("person", {"name": "X", "Name": "Y"}),
        ("session", {"neighbourhood": "n"}),
    ],
)
def test_unknown_fields_raise_and_write_nothing(kit, table, fields):
    before = snapshot(kit)
    with pytest.raises(ValueError, match="unknown fields"):
        kit.insert(table, fields)
    existing = kit.insert(table, {k: v for k, v in fields.items() if k in kit.columns(table)})
    middle = snapshot(kit)
    with pytest.raises(ValueError, match="unknown fields"):
        kit.update(table, existing, fields)
    assert snapshot(kit) == middle
    assert before != middle


def test_unknown_tables_are_refused(kit):
    with pytest.raises(KeyError):
        kit.insert("_meta", {"key": "x"})
    with pytest.raises(KeyError):
        kit.delete("sqlite_master", "x")
    assert "_meta" not in kit.tables and "_field_version" not in kit.tables


# -- update ----------------------------------------------------------------------------


def test_update_stamps_only_changed_fields_and_records_the_previous_version(kit):
    row_id = kit.insert("neighbourhood", {"name": "Ellerveen", "municipality": "Veldhorst", "notes": "a"})
    before = versions(kit, "neighbourhood", row_id)
    changed = kit.update("neighbourhood", row_id, {"name": "Ellerveen", "municipality": "Oosterveld", "notes": "a"})
    assert changed == ["municipality"]
    after = versions(kit, "neighbourhood", row_id)
    assert after["name"] == before["name"]
    assert after["notes"] == before["notes"]
    assert after["municipality"]["hlc"] > before["municipality"]["hlc"]
    assert after["municipality"]["replica"] == kit.replica_id
    # the replaced version never left this laptop: the base stays what it was (none)
    assert after["municipality"]["base_hlc"] == before["municipality"]["base_hlc"] is None
    assert kit.row("neighbourhood", row_id)["municipality"] == "Oosterveld"
    kit.sent_watermark = kit.hlc.last  # once sent, the next edit bases on the sent version
    kit.update("neighbourhood", row_id, {"municipality": "Veldhorst"})
    latest = versions(kit, "neighbourhood", row_id)["municipality"]
    assert (latest["base_hlc"], latest["base_replica"]) == (after["municipality"]["hlc"], kit.replica_id)


def test_a_second_update_before_a_sync_keeps_the_first_updates_base(kit):
    """Drafts that never left the laptop are not versions anyone else can have built on."""
    row_id = kit.insert("neighbourhood", {"name": "A"})
    kit.sent_watermark = kit.hlc.last  # 'A' has been sent
    inserted = versions(kit, "neighbourhood", row_id)["name"]
    kit.update("neighbourhood", row_id, {"name": "B"})
    first = versions(kit, "neighbourhood", row_id)["name"]
    kit.update("neighbourhood", row_id, {"name": "C"})
    second = versions(kit, "neighbourhood", row_id)["name"]
    assert first["base_hlc"] == second["base_hlc"] == inserted["hlc"]
    assert second["hlc"] > first["hlc"]


def test_updating_a_field_that_was_never_stamped_creates_its_first_version(kit):
    row_id = kit.insert("neighbourhood", {"name": "A"})  # notes has only its default
    assert kit.update("neighbourhood", row_id, {"notes": "nieuw"}) == ["notes"]
    notes = versions(kit, "neighbourhood", row_id)["notes"]
    assert notes["base_hlc"] is None and notes["replica"] == kit.replica_id


def test_an_update_that_changes_nothing_stamps_nothing_and_tells_no_one(kit):
    row_id = kit.insert("person", {"name": "Zoë", "consent_contact": 1})
    heard = []
    kit.on_change(heard.append)
    before = snapshot(kit)
    # the same values, once as NFD text and as a bool: normalised, they are equal
    assert kit.update("person", row_id, {"name": "Zoe\u0308", "consent_contact": True}) == []
    assert snapshot(kit) == before
    assert heard == []


def test_update_of_a_missing_row_is_not_found(kit):
    with pytest.raises(NotFoundError) as caught:
        kit.update("person", "no-such-id", {"name": "X"})
    assert "no-such-id" in caught.value.english()
    assert kit.query("SELECT * FROM _field_version") == []


# -- delete ------------------------------------------------------------------------------


def test_delete_removes_row_and_versions_and_leaves_a_tombstone(kit):
    keep = kit.insert("neighbourhood", {"name": "Keep"})
    gone = kit.insert("neighbourhood", {"name": "Gone", "notes": "x"})
    last_stamp = kit.hlc.last
    kit.delete("neighbourhood", gone)
    assert kit.row("neighbourhood", gone) is None
    assert versions(kit, "neighbourhood", gone) == {}
    assert set(versions(kit, "neighbourhood", keep)) == {"name"}
    stone = tombstone(kit, "neighbourhood", gone)
    assert stone["replica"] == kit.replica_id
    assert stone["hlc"] > last_stamp
    assert stone["erased"] == 0
    assert kit.is_deleted("neighbourhood", gone)
    assert not kit.is_deleted("neighbourhood", keep)
    assert not kit.is_deleted("person", gone), "a tombstone belongs to one table"


def test_erase_marks_the_tombstone_and_a_later_plain_delete_keeps_the_mark(kit):
    person = kit.insert("person", {"name": "Łucja Wójcik"})
    kit.delete("person", person, erase=True)
    first = tombstone(kit, "person", person)
    assert first["erased"] == 1
    kit.delete("person", person)
    second = tombstone(kit, "person", person)
    assert second["erased"] == 1, "an AVG erasure was undone by a plain delete"
    assert second["hlc"] > first["hlc"]
    assert kit.query("SELECT count(*) AS n FROM _tombstone")[0]["n"] == 1


def test_a_plain_delete_followed_by_erase_becomes_an_erasure(kit):
    person = kit.insert("person", {"name": "X"})
    kit.delete("person", person)
    kit.delete("person", person, erase=True)
    assert tombstone(kit, "person", person)["erased"] == 1


# -- transactions and listeners ----------------------------------------------------------


def test_a_failed_transaction_leaves_nothing_and_tells_no_one(kit):
    kit.insert("neighbourhood", {"name": "Before"})
    heard = []
    kit.on_change(heard.append)
    before = snapshot(kit)
    with pytest.raises(RuntimeError, match="boom"), kit.transaction():
        new = kit.insert("neighbourhood", {"name": "Lost"})
        kit.insert("person", {"name": "Lost too", "neighbourhood_id": new})
        kit.update("neighbourhood", new, {"notes": "x"})
        raise RuntimeError("boom")
    assert snapshot(kit) == before
    assert heard == []
    # the next transaction reports only its own change, nothing left over from the failed one
    after = kit.insert("neighbourhood", {"name": "After"})
    assert heard == [{"neighbourhood": {after}}]


def test_listeners_hear_once_per_outermost_transaction_with_every_table_and_id(kit):
    calls = []
    kit.on_change(calls.append)
    with kit.transaction():
        n = kit.insert("neighbourhood", {"name": "N"})
        with kit.transaction():
            p1 = kit.insert("person", {"name": "P1", "neighbourhood_id": n})
            p2 = kit.insert("person", {"name": "P2"})
        kit.update("person", p1, {"name": "P1b"})
        assert calls == [], "listeners heard before the commit"
    assert calls == [{"neighbourhood": {n}, "person": {p1, p2}}]
    kit.delete("person", p2)
    assert calls[-1] == {"person": {p2}}
    assert len(calls) == 2


def test_every_listener_hears_and_unsubscribing_stops_it(kit):
    first, second = [], []
    stop_first = kit.on_change(first.append)
    kit.on_change(second.append)
    a = kit.insert("neighbourhood", {"name": "A"})
    stop_first()
    b = kit.insert("neighbourhood", {"name": "B"})
    assert first == [{"neighbourhood": {a}}]
    assert second == [{"neighbourhood": {a}}, {"neighbourhood": {b}}]


def test_listeners_do_not_hear_about_a_rolled_back_inner_transaction(kit):
    """An inner transaction that fails is rolled back to its savepoint; the outer one commits.

    Only what was committed may be reported: a listener that reloads the rolled-back
    id would look for a row that does not exist.
    """
    calls = []
    kit.on_change(calls.append)
    with kit.transaction():
        kept = kit.insert("neighbourhood", {"name": "Kept"})
        with pytest.raises(RuntimeError), kit.transaction():
            lost = kit.insert("neighbourhood", {"name": "Lost"})
            raise RuntimeError
    assert kit.row("neighbourhood", lost) is None
    assert versions(kit, "neighbourhood", lost) == {}
    assert calls == [{"neighbourhood": {kept}}]


# -- persistence -------------------------------------------------------------------------


def all_stamps(kit: Kit) -> list[int]:
    rows = kit.query("SELECT hlc FROM _field_version UNION ALL SELECT hlc FROM _tombstone")
    return [r["hlc"] for r in rows]


def test_hlc_and_replica_survive_reopening_and_stamps_continue_above_the_old_ones(tmp_path):
    path = tmp_path / "wijkkit.sqlite"
    with Kit.open(path, clock=StuckClock(9_000_000)) as kit:
        replica = kit.replica_id
        row_id = kit.insert("neighbourhood", {"name": "A"})
        kit.delete("neighbourhood", kit.insert("neighbourhood", {"name": "B"}))
        last = kit.hlc.last
        assert int(kit._meta("hlc_last")) == last == max(all_stamps(kit))
    # the machine's clock is now an hour behind
    with Kit.open(path, clock=StuckClock(9_000_000 - 3_600_000)) as kit:
        assert kit.replica_id == replica
        assert kit.hlc.last == last
        kit.update("neighbourhood", row_id, {"name": "A2"})
        new = versions(kit, "neighbourhood", row_id)["name"]
        assert new["hlc"] > last
        assert new["base_hlc"] is None or new["base_hlc"] < new["hlc"]
    with Kit.open(path) as kit:
        assert int(kit._meta("hlc_last")) == new["hlc"]


def test_replica_ids_are_stable_per_file_and_differ_between_files(tmp_path):
    with Kit.open(tmp_path / "a.sqlite") as a, Kit.open(tmp_path / "b.sqlite") as b:
        first_a, first_b = a.replica_id, b.replica_id
    with Kit.open(tmp_path / "a.sqlite") as a:
        assert a.replica_id == first_a
    assert first_a != first_b
    assert len(first_a) == 16 and int(first_a, 16) >= 0


def test_a_failed_transaction_does_not_persist_its_clock(tmp_path):
    path = tmp_path / "wijkkit.sqlite"
    with Kit.open(path, clock=StuckClock(1_000)) as kit:
        kit.insert("neighbourhood", {"name": "A"})
        stored = kit._meta("hlc_last")
        with pytest.raises(RuntimeError), kit.transaction():
            kit.insert("neighbourhood", {"name": "B"})
            raise RuntimeError
        assert kit._meta("hlc_last") == stored


# -- text --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("Zoe\u0308", "Zoë"),
        ("S\u0327u\u0308kru\u0308 Y\u0131lmaz", "Şükrü Yılmaz"),
        ("Nguye\u0302\u0303n Thi\u0323 Minh Khai", "Nguyễn Thị Minh Khai"),
        ("Łucja Wójcik", "Łucja Wójcik"),
    ],
)
def test_text_is_stored_in_nfc(kit, given, stored):
    row_id = kit.insert("person", {"name": given, "notes": given})
    row = kit.row("person", row_id)
    assert row["name"] == stored and row["notes"] == stored
    assert kit.update("person", row_id, {"name": stored}) == []
    other = kit.insert("person", {"name": "x"})
    kit.update("person", other, {"name": given})
    assert kit.row("person", other)["name"] == stored


def test_booleans_are_stored_as_integers(kit):
    row_id = kit.insert("person", {"name": "X", "consent_share": True, "consent_photos": False})
    row = kit.row("person", row_id)
    assert row["consent_share"] == 1 and type(row["consent_share"]) is int
    assert row["consent_photos"] == 0


def test_deleting_a_row_that_others_refer_to_fails_as_a_kit_error_and_changes_nothing(kit):
    """A person who attended a meeting cannot simply vanish: attendance still points at them.

    Whatever the rule (refuse, or delete the references too), the caller must get a
    KitError it can show, not a raw sqlite3.IntegrityError, and nothing may change.
    """
    from wijkkit.errors import KitError

    person = kit.insert("person", {"name": "Henk"})
    session = kit.insert("session", {"title": "Avond", "starts_at": "2026-12-01T19:30", "ends_at": "2026-12-01T22:00"})
    kit.insert("attendance", {"session_id": session, "person_id": person})
    heard = []
    kit.on_change(heard.append)
    before = snapshot(kit)
    with pytest.raises(KitError):
        kit.delete("person", person, erase=True)
    assert snapshot(kit) == before
    assert heard == []
