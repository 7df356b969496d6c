"""Every value checked against its column, as the forms check it.

Why this module exists: the forms and managers check what a person types, but rows
also arrive whole from outside, in a sync bundle from a laptop and in a JSON file on
the command line. ``problem(table, field, value)`` holds those values to one rule per
column of every synced table: the type the app writes (text or a whole number, never
bytes or a real number), a bounded length for text, the allowed values of an
enumeration, the spelling of the dates and times the app writes, row ids for
references, and the ranges the forms allow for small numbers. ``None`` passes every
rule except the clock's moment (a field may arrive alone, and the schema allows NULL).

Rules about a row as a whole (contact details only with consent, a person's name, a meeting's
times) are not here but in wijkkit/rules.py: they hold for local writes, not for a partial
version arriving in a bundle.

The rules are lenient where the app is: an empty text where the schema's default is
'', no date as '' or None. They run for every field of every bundle the hub merges, so
each is a closure with its messages and patterns made once, found with two dict lookups,
and the costlier ones (ids, dates, times) remember the texts that passed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime

from wijkkit import agenda, clock
from wijkkit.attendance import MAX_ANONYMOUS, MAX_TABLE_NO
from wijkkit.dots import MAX_DOTS
from wijkkit.errors import Message
from wijkkit.exchange import CATEGORIES, OBSTACLE_CATEGORIES
from wijkkit.i18n import N_
from wijkkit.ids import is_row_id
from wijkkit.live import CAPTURE_KINDS
from wijkkit.models import (
    AGREEMENT_STATUSES,
    GROUP_FORMS,
    NEIGHBOURHOOD_KINDS,
    ROLES,
    SESSION_STATUSES,
)
from wijkkit.people import CONSENTS, MAX_NAME
from wijkkit.preparation import CHANNELS
from wijkkit.sessions import STEP_KINDS

Check = Callable[[object], Message | None]

LINE = 32_767  # a one-line field: what a Qt line edit holds (most forms set no lower limit)
TEXT = 50_000  # free text: the forms allow 2,000 to 5,000 characters where they limit it at all, and an
#                agreement's description also takes the part of a long title that does not fit
CODE = 64  # an internal word the app writes itself, such as an offer's status or a task's kind
MAX_POSITION = 10_000  # far more agenda items or materials than one meeting has
FEEDBACK_CHANNELS = ("email", "message", "newsletter")  # wijkkit.outreach.TEXT_CHANNELS, kept out of start-up
MAX_REACH = 100_000_000  # people or addresses an invitation reached (the form stops at a million)
MAX_ADJUST = agenda.MAX_STEP_MINUTES * 60  # seconds one press of the clock adds or takes (the buttons: 60)

# why a row from outside is refused (a bundle, a JSON file), with one of the reasons below
INVALID_VALUE = N_("the value of {field} in {table} row {row} is not valid: {problem}")
NOT_TEXT = Message(N_("it is not text."))
NOT_WHOLE = Message(N_("it is not a whole number."))
NOT_ALLOWED = Message(N_("it is not one of the allowed values."))
NOT_DATE = Message(N_("it is not a date."))
NOT_TIME = Message(N_("it is not a date and time."))
NOT_ROW_ID = Message(N_("it is not the id of a row."))
OUT_OF_RANGE = N_("it is not a number from {low} to {high}.")
TOO_LONG = N_("it is longer than {max} characters.")

# the spellings the app writes: date.isoformat(), datetime.isoformat(timespec="minutes" or "seconds")
# for local wall-clock times, and live.utc_iso (with microseconds and +00:00) for the clock's events
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_LOCAL = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?")
_MOMENT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?(?:[+-][0-9]{2}:[0-9]{2}|Z)")


def text(limit: int) -> Check:
    """Text of at most ``limit`` characters."""
    too_long = Message(TOO_LONG, max=limit)

    def check(value: object) -> Message | None:
        if type(value) is str:
            return too_long if len(value) > limit else None
        return None if value is None else NOT_TEXT

    return check


def one_of(allowed: Iterable[str], *also: str) -> Check:
    """One of the keys of an enumeration (or ``also``, e.g. '' where the app stores that)."""
    choices = frozenset((*allowed, *also))

    def check(value: object) -> Message | None:
        if value is None or type(value) is str and value in choices:
            return None
        return NOT_ALLOWED

    return check


def whole(low: int, high: int) -> Check:
    """A whole number from ``low`` to ``high`` (a bool or a real number is not one)."""
    out_of_range = Message(OUT_OF_RANGE, low=low, high=high)

    def check(value: object) -> Message | None:
        if type(value) is int:
            return None if low <= value <= high else out_of_range
        return None if value is None else NOT_WHOLE

    return check


_ZERO_OR_ONE = Message(OUT_OF_RANGE, low=0, high=1)


def _flag(value: object) -> Message | None:
    """0 or 1; True and False too (the Kit stores them as 1 and 0)."""
    if value is None or type(value) in (int, bool) and (value == 0 or value == 1):
        return None
    return _ZERO_OR_ONE if type(value) is int else NOT_WHOLE


def remembered(check: Check, size: int = 4096) -> Check:
    """``check``, remembering up to ``size`` texts that passed: a bundle repeats its ids, dates and
    times, and a set lookup costs a fraction of a pattern and a calendar."""
    passed: set[str] = set()

    def check_once(value: object) -> Message | None:
        if type(value) is str and value in passed:
            return None
        found = check(value)
        if found is None and type(value) is str and len(passed) < size:
            passed.add(value)
        return found

    return check_once


def _is_row_id(value: object) -> Message | None:
    return None if value is None or is_row_id(value) else NOT_ROW_ID


def _calendar(value: str, parse: Callable[[str], object]) -> bool:
    try:
        parse(value)
    except ValueError:  # the pattern fits, the calendar does not: 2026-02-30, 25:00
        return False
    return True


def _is_day(value: object) -> Message | None:
    """A date as 2026-12-01; '' is no date, as the forms take it."""
    if type(value) is str:
        return None if not value or _DAY.fullmatch(value) and _calendar(value, date.fromisoformat) else NOT_DATE
    return None if value is None else NOT_DATE


def _is_local(value: object) -> Message | None:
    """A local wall-clock time as 2026-12-01T19:30 or 2026-12-01T19:30:05, without a zone."""
    if type(value) is str:
        return None if not value or _LOCAL.fullmatch(value) and _calendar(value, datetime.fromisoformat) else NOT_TIME
    return None if value is None else NOT_TIME


def _is_moment(value: object) -> Message | None:
    """A clock event's moment with its zone (2026-12-01T18:30:00.250000+00:00): the clock reads
    every event's moment, so an event has one."""
    if type(value) is str and _MOMENT.fullmatch(value) and _calendar(value, datetime.fromisoformat):
        return None
    return NOT_TIME


_line, _text, _code = text(LINE), text(TEXT), text(CODE)
_row_id, _day = remembered(_is_row_id), remembered(_is_day)
_local, _moment = remembered(_is_local), remembered(_is_moment)
_table_no = whole(1, MAX_TABLE_NO)
_position = whole(0, MAX_POSITION)
_agreement_status = one_of(AGREEMENT_STATUSES)
_captured = {"session_id": _row_id, "step_id": _row_id, "table_no": _table_no, "created_at": _local}
_exchange = {**_captured, "text": _text, "status": _code}  # offers, needs and obstacles
_help = {**_exchange, "person_id": _row_id, "category": one_of(CATEGORIES, "")}  # offers and needs

RULES: dict[str, dict[str, Check]] = {
    "neighbourhood": {"name": _line, "municipality": _line, "kind": one_of(NEIGHBOURHOOD_KINDS), "notes": _text,
                      "archived": _flag},
    "session": {"neighbourhood_id": _row_id, "title": _line, "theme": _line, "starts_at": _local, "ends_at": _local,
                "location_name": _line, "location_address": _line, "facilitator": _line,
                "status": one_of(SESSION_STATUSES), "method": _line, "follows_session_id": _row_id, "notes": _text,
                "anonymous_count": whole(0, MAX_ANONYMOUS)},
    "step": {"session_id": _row_id, "position": _position, "title": _line, "purpose": _text,
             "minutes": whole(0, agenda.MAX_STEP_MINUTES), "prompts": _text, "group_form": one_of(GROUP_FORMS),
             "kind": one_of(STEP_KINDS)},
    # e-mail and phone are only bounded here: the shape of an address and the consent to be contacted are
    # rules about the whole row, met by every local write (wijkkit/rules.py) and judged in a bundle by the hub
    "person": {"name": text(MAX_NAME), "neighbourhood_id": _row_id, "role": one_of(ROLES, ""),
               "organisation": _line, "email": _line, "phone": _line, "consent_contact": _flag,
               "consent_share": _flag, "consent_photos": _flag, "consent_at": _local, "notes": _text},
    "attendance": {"session_id": _row_id, "person_id": _row_id, "present": _flag, "table_no": _table_no},
    "capture": {**_captured, "kind": one_of(CAPTURE_KINDS), "text": _text, "dots": whole(0, MAX_DOTS),
                "agreement_id": _row_id},
    "agreement": {**_captured, "title": _line, "description": _text, "owner_person_id": _row_id,
                  "owner_party": _line, "partners": _line, "due_on": _day, "review_on": _day,
                  "status": _agreement_status, "offer_id": _row_id, "need_id": _row_id},
    "invitation": {"session_id": _row_id, "channel": one_of(CHANNELS), "planned_on": _day, "done_on": _day,
                   "reach": whole(0, MAX_REACH), "notes": _text, "prepared_on": _day},
    "feedback": {"session_id": _row_id, "channel": one_of(FEEDBACK_CHANNELS), "prepared_on": _day, "sent_on": _day,
                 "reach": whole(0, MAX_REACH), "notes": _text},
    "checklist_item": {"session_id": _row_id, "label": _line, "done": _flag, "position": _position},
    "timer_event": {"session_id": _row_id, "step_id": _row_id, "kind": one_of(clock.KINDS), "at": _moment,
                    "seconds": whole(-MAX_ADJUST, MAX_ADJUST)},
    "obstacle": {**_exchange, "category": one_of(OBSTACLE_CATEGORIES, ""), "addressed_by": _line},
    "offer": _help,
    "need": _help,
    "consent_record": {"person_id": _row_id, "kind": one_of(CONSENTS), "given": _flag, "wording": _text,
                       "at": _local, "session_id": _row_id},
    "agreement_update": {"agreement_id": _row_id, "session_id": _row_id, "status": _agreement_status,
                         "note": _text, "at": _local},
    "follow_up": {"session_id": _row_id, "kind": _code, "title": _line, "due_on": _day, "done_on": _day,
                  "owner": _line},
}  # fmt: skip

_NO_RULES: dict[str, Check] = {}


def problem(table: str, field: str, value: object) -> Message | None:
    """Why ``value`` cannot be the ``field`` of a ``table`` row, or None when it can.

    An unknown table or field is None too: whether it exists is checked where the row arrives.
    """
    check = RULES.get(table, _NO_RULES).get(field)
    return None if check is None else check(value)
