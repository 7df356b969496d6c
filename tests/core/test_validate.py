"""Every value checked against its column (wijkkit.validate): each kind of rule with good and bad
values, the app's own data passing every rule, and a bundle with a bad value refused whole."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.core.sync_hub import DAMAGED, hostile_id, payload_db, seal_raw
from wijkkit import errors, hlc, jsonio, templates, validate
from wijkkit.errors import Message
from wijkkit.hlc import wall_ms
from wijkkit.ids import new_id
from wijkkit.kit import Kit
from wijkkit.sync.bundle import BundleError

ROW = "01900000-0000-7000-8000-00000000beef"
WIJK = "01900000-0000-7000-8000-00000000b001"

NOT_TEXT = "it is not text."
NOT_WHOLE = "it is not a whole number."
NOT_ALLOWED = "it is not one of the allowed values."
NOT_DATE = "it is not a date."
NOT_TIME = "it is not a date and time."
NOT_ROW_ID = "it is not the id of a row."

GOOD = {
    "text": [("person", "name", "Zoë van 't Hof-Dijkstra"), ("person", "name", "x" * 200), ("person", "name", None),
             ("person", "notes", ""), ("session", "title", "=1+1"), ("session", "title", "x" * validate.LINE),
             ("agreement", "description", "x" * validate.TEXT), ("step", "prompts", "Wat?\nWie?"),
             ("offer", "status", "matched"), ("follow_up", "kind", "next_meeting")],
    "enumeration": [("session", "status", "held"), ("agreement", "status", "in_progress"),
                    ("agreement_update", "status", "dropped"), ("neighbourhood", "kind", "kern"),
                    ("step", "group_form", "pairs"), ("step", "kind", "break"), ("person", "role", "mantelzorger"),
                    ("person", "role", ""), ("capture", "kind", "dream"), ("timer_event", "kind", "adjust"),
                    ("invitation", "channel", "whatsapp"), ("consent_record", "kind", "photos"),
                    ("offer", "category", "digitale_hulp"), ("need", "category", ""),
                    ("obstacle", "category", "vertrouwen"), ("session", "status", None)],
    "flag": [("person", "consent_share", 0), ("person", "consent_photos", 1), ("attendance", "present", True),
             ("checklist_item", "done", False), ("neighbourhood", "archived", None), ("consent_record", "given", 1)],
    "range": [("step", "minutes", 0), ("step", "minutes", 600), ("attendance", "table_no", 1),
              ("capture", "table_no", 999), ("agreement", "table_no", None), ("invitation", "reach", 0),
              ("invitation", "reach", 900), ("timer_event", "seconds", -60), ("timer_event", "seconds", 60),
              ("step", "position", 0), ("checklist_item", "position", 8), ("session", "anonymous_count", 6)],
    "date": [("agreement", "due_on", "2026-12-01"), ("agreement", "review_on", None), ("agreement", "due_on", ""),
             ("invitation", "planned_on", "2028-02-29"), ("follow_up", "done_on", "2026-11-29")],
    "local time": [("session", "starts_at", "2026-12-01T19:30"), ("capture", "created_at", "2026-11-08T20:10:00"),
                   ("agreement_update", "at", "2026-11-08T20:10:05.123456"), ("person", "consent_at", None),
                   ("session", "ends_at", "")],
    "moment": [("timer_event", "at", "2026-12-01T18:30:00+00:00"),
               ("timer_event", "at", "2026-12-01T18:30:00.250000+00:00"),
               ("timer_event", "at", "2026-12-01T19:30:00+01:00")],
    "row id": [("session", "neighbourhood_id", new_id()), ("session", "follows_session_id", None),
               ("agreement", "offer_id", ROW), ("timer_event", "step_id", ROW)],
    "elsewhere": [("nonsense", "name", b"x"), ("person", "colour", b"x"), ("person", "id", b"x")],
}  # fmt: skip

BAD = {
    "text": [("person", "name", b"Anneke", NOT_TEXT), ("person", "name", 7, NOT_TEXT),
             ("person", "notes", ["a"], NOT_TEXT), ("person", "name", "x" * 201, "it is longer than 200 characters."),
             ("session", "title", "x" * (validate.LINE + 1), f"it is longer than {validate.LINE} characters."),
             ("session", "notes", "x" * (validate.TEXT + 1), f"it is longer than {validate.TEXT} characters.")],
    "enumeration": [("session", "status", "exploded", NOT_ALLOWED), ("session", "status", "", NOT_ALLOWED),
                    ("session", "status", b"held", NOT_ALLOWED), ("agreement", "status", "Open", NOT_ALLOWED),
                    ("agreement_update", "status", 1, NOT_ALLOWED), ("person", "role", "koning", NOT_ALLOWED),
                    ("timer_event", "kind", "explode", NOT_ALLOWED), ("invitation", "channel", "pigeon", NOT_ALLOWED),
                    ("neighbourhood", "kind", "stad", NOT_ALLOWED), ("step", "group_form", "", NOT_ALLOWED),
                    ("offer", "category", "vertrouwen", NOT_ALLOWED), ("capture", "kind", ["note"], NOT_ALLOWED)],
    "flag": [("person", "consent_share", 2, "it is not a number from 0 to 1."),
             ("person", "consent_contact", -1, "it is not a number from 0 to 1."),
             ("attendance", "present", 1.0, NOT_WHOLE), ("checklist_item", "done", "1", NOT_WHOLE)],
    "range": [("step", "minutes", 601, "it is not a number from 0 to 600."), ("step", "minutes", 30.0, NOT_WHOLE),
              ("step", "minutes", True, NOT_WHOLE), ("step", "minutes", "30", NOT_WHOLE),
              ("step", "minutes", b"\x1e", NOT_WHOLE),
              ("attendance", "table_no", 0, "it is not a number from 1 to 999."),
              ("capture", "table_no", 1000, "it is not a number from 1 to 999."),
              ("invitation", "reach", -1, f"it is not a number from 0 to {validate.MAX_REACH}."),
              ("timer_event", "seconds", validate.MAX_ADJUST + 1,
               f"it is not a number from {-validate.MAX_ADJUST} to {validate.MAX_ADJUST}."),
              ("step", "position", -1, f"it is not a number from 0 to {validate.MAX_POSITION}."),
              ("session", "anonymous_count", 2**63 - 1, "it is not a number from 0 to 100000.")],
    "date": [("agreement", "due_on", "not-a-date", NOT_DATE), ("agreement", "due_on", "2026-02-30", NOT_DATE),
             ("agreement", "review_on", "31-12-2026", NOT_DATE), ("follow_up", "due_on", "2026-12-01T19:30", NOT_DATE),
             ("invitation", "done_on", "20261201", NOT_DATE), ("invitation", "done_on", "2026-W48-1", NOT_DATE),
             ("agreement", "due_on", "２０２６-12-01", NOT_DATE), ("agreement", "due_on", " 2026-12-01", NOT_DATE),
             ("agreement", "due_on", 20261201, NOT_DATE), ("agreement", "due_on", b"2026-12-01", NOT_DATE)],
    "local time": [("session", "starts_at", "not-a-date", NOT_TIME), ("session", "starts_at", "2026-12-01", NOT_TIME),
                   ("session", "starts_at", "2026-12-01 19:30", NOT_TIME),
                   ("session", "ends_at", "2026-12-01T25:00", NOT_TIME),
                   ("session", "ends_at", "2026-13-01T22:00", NOT_TIME),
                   ("capture", "created_at", "2026-12-01T19:30:00+01:00", NOT_TIME),
                   ("agreement_update", "at", 1764617400, NOT_TIME), ("person", "consent_at", b"2026", NOT_TIME)],
    "moment": [("timer_event", "at", None, NOT_TIME), ("timer_event", "at", "", NOT_TIME),
               ("timer_event", "at", "2026-12-01T18:30:00", NOT_TIME),
               ("timer_event", "at", "2026-12-01T18:30+00:00", NOT_TIME)],
    "row id": [("session", "neighbourhood_id", "no-such-neighbourhood", NOT_ROW_ID),
               ("session", "neighbourhood_id", "", NOT_ROW_ID), ("agreement", "need_id", ROW.upper(), NOT_ROW_ID),
               ("attendance", "person_id", "{" + ROW + "}", NOT_ROW_ID),
               ("capture", "step_id", ROW.encode(), NOT_ROW_ID), ("offer", "person_id", 7, NOT_ROW_ID)],
}  # fmt: skip


def cases(table: dict[str, list[tuple]]) -> list:
    return [pytest.param(*case, id=f"{kind}-{n}") for kind, found in table.items() for n, case in enumerate(found)]


@pytest.mark.parametrize(("table", "field", "value"), cases(GOOD))
def test_good_values_pass(table, field, value):
    assert validate.problem(table, field, value) is None


@pytest.mark.parametrize(("table", "field", "value", "reason"), cases(BAD))
def test_bad_values_are_refused_with_a_reason(table, field, value, reason):
    found = validate.problem(table, field, value)
    assert isinstance(found, Message)
    assert str(found) == reason


def test_every_column_of_every_synced_table_has_a_rule(kit):
    """A migration that adds a column must say how its values are checked."""
    assert set(validate.RULES) == set(kit.tables)
    for table in kit.tables:
        assert set(validate.RULES[table]) == set(kit.columns(table)) - {"id"}, table


def rows_with_problems(kit: Kit) -> list[tuple]:
    return [(table, row["id"], field, value) for table, rows in jsonio.export_data(kit)["tables"].items()
            for row in rows for field, value in row.items() if validate.problem(table, field, value)]  # fmt: skip


def test_the_demo_village_passes_every_rule(demo_kit):
    assert rows_with_problems(demo_kit) == []


def test_an_evening_led_with_the_clock_passes_every_rule(kit):
    """What the live page, the door and the preparation write, as they write it."""
    wijk = kit.neighbourhoods.add("Ellerveen", "Veldhorst", "kern")
    meeting = kit.sessions.plan("Samen zorgen", "2027-01-12T19:30", "2027-01-12T22:00", templates.builtin(),
                                now=datetime(2026, 11, 29), neighbourhood_id=wijk)  # fmt: skip
    start = datetime(2027, 1, 12, 19, 30).astimezone().astimezone(UTC)
    for minute, (kind, seconds) in enumerate([("start", 0), ("adjust", 60), ("pause", 0), ("resume", 0),
                                              ("adjust", -60), ("next", 0), ("back", 0), ("end", 0)]):  # fmt: skip
        kit.live.press(meeting, kind, start + timedelta(minutes=minute, microseconds=250_000), seconds)
    for kind in ("note", "quote", "dream", "idea", "obstacle", "offer", "need", "agreement"):
        kit.live.capture(meeting, kind, f"Een {kind}", start + timedelta(minutes=9), table_no=3)
    person = kit.people.add("Anneke Bosma", role="", email="anneke@example.nl", consent_contact=1,
                            consent_session_id=meeting)  # fmt: skip
    kit.attendance.mark(meeting, person, 2)
    kit.attendance.set_anonymous(meeting, 4)
    kit.preparation.set_invitation(meeting, "letter", planned_on="2026-12-20", done_on="", reach="420")
    agreement = kit.agreements.add("Koffieochtend", meeting, due_on=datetime(2027, 2, 1, 10, 0), owner_person_id=person)
    kit.agreements.update_status(agreement, "stalled", "Geen ruimte")
    kit.followups.add_usual(meeting, datetime(2027, 1, 12).date())
    assert kit.query("SELECT count(*) AS n FROM timer_event")[0]["n"] == 8
    assert rows_with_problems(kit) == []


def test_a_reason_inside_a_reason_is_translated_too(monkeypatch):
    monkeypatch.setattr(errors, "gettext", lambda text: f"<{text}>")  # a catalogue that marks what it translated
    error = BundleError(path="x.wijksync", reason=Message(validate.INVALID_VALUE, field="name", table="person",
                                                           row=ROW, problem=validate.problem("person", "name", 7)))  # fmt: skip
    assert error.localized() == (f"<The bundle x.wijksync was refused: <the value of name in person row {ROW} "
                                 "is not valid: <it is not text.>>>")  # fmt: skip


# -- a bundle with a bad value, properly sealed by the trusted laptop ------------------------------------

BAD_IN_A_BUNDLE = {
    "bytes as a name": ("person", "name", b"Anneke", "Anneke", NOT_TEXT),
    "not-a-date as a start": ("session", "starts_at", "not-a-date", "2026-12-15T19:30", NOT_TIME),
    "an exploded status": ("agreement", "status", "exploded", "done", NOT_ALLOWED),
}


def sealed_changes(hub, *changes: tuple) -> bytes:
    laptop = hub.laptop
    return seal_raw(payload_db(laptop, changes=list(changes)), laptop.replica_id, hostile_id(laptop), laptop)


@pytest.mark.parametrize("case", list(BAD_IN_A_BUNDLE))
def test_a_bundle_with_a_bad_value_is_refused_naming_table_row_and_field(hub, case):
    table, field, bad, good, reason = BAD_IN_A_BUNDLE[case]
    now, me = hlc.pack(wall_ms(), 0), hub.laptop.replica_id
    wijk = ("neighbourhood", WIJK, "name", "Ellerveen", now, me, None, None)  # a good change before the bad one
    before = hub.digest()
    report = hub.merge({"bad.wijksync": sealed_changes(hub, wijk, (table, ROW, field, bad, now + 1, me, None, None))})
    assert (report.applied, report.waiting, report.already) == ([], [], [])
    [error] = report.refused
    assert error.english() == (f"The bundle bad.wijksync was refused: the value of {field} in {table} row {ROW} "
                               f"is not valid: {reason}")  # fmt: skip
    assert hub.digest() == before, "a refused bundle changed the hub database"
    with Kit.open(hub.path) as opened:
        assert opened.row("neighbourhood", WIJK) is None
    # the very same bundle with a good value is no refusal: it was the value
    report = hub.merge({"good.wijksync": sealed_changes(hub, wijk, (table, ROW, field, good, now + 1, me, None, None))})
    assert report.refused == [] and len(report.applied) == 1


@pytest.mark.parametrize(("row", "replica"), [("ROW", None), ("r0000001", None), (ROW.upper(), None),
                                              (ROW, "laptop"), (ROW, "ABCDEF0123456789")])  # fmt: skip
def test_a_change_or_tombstone_whose_ids_are_not_ids_is_damaged(hub, row, replica):
    now, me = hlc.pack(wall_ms(), 0), replica or hub.laptop.replica_id
    laptop = hub.laptop
    for plain in (payload_db(laptop, changes=[("neighbourhood", row, "name", "Ellerveen", now, me, None, None)]),
                  payload_db(laptop, tombstones=[("neighbourhood", row, now, me, 0)])):  # fmt: skip
        before = hub.digest()
        report = hub.merge({"ids.wijksync": seal_raw(plain, laptop.replica_id, hostile_id(laptop), laptop)})
        [error] = report.refused
        assert error.english().endswith(DAMAGED) and hub.digest() == before
