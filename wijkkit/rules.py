"""Rules about a whole row, for every local write, and the consent history they keep.

Why this module exists: validate.py holds each value to its column, but some rules are about
a row as a whole: contact details only with consent to be contacted, a person needs a name,
a meeting ends after it starts. Forms, a JSON import and the command line all write through
``Kit.insert`` and ``Kit.update``, which call ``check`` with the row as it will be after the
write, so they all meet the same rules (STYLE.md point 11; issue 13). A rule runs when the
write touches one of its fields (a new row: always), so a row kept from before a rule existed
can still be edited in its other fields.

Sync's merge does not come here: it writes winning versions its own way (sync/merge.py
``_write``), because a version from another replica may legitimately be partial, and the hub
judges what a laptop may change with sync/authority.py.

Every change of a consent is documented by a ``consent_record`` with the wording shown and the
moment (decision 0009). ``after_write`` is the Kit's hook for that: a consent that a local write
changed is recorded once, unless the latest record of that kind written in the same transaction
already holds that answer (a JSON file brings the history it documents; jsonio writes those
records before the people).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from wijkkit.errors import ValidationError
from wijkkit.i18n import N_, gettext
from wijkkit.people import CONSENTS, CONTACT_FIELDS

if TYPE_CHECKING:
    from wijkkit.kit import Kit

Row = dict[str, Any]
Rule = Callable[["Kit", Row, bool], None]  # (kit, the row after the write, whether it is new)


def _filled(value: object) -> bool:
    return bool(value.strip()) if isinstance(value, str) else value is not None and value != 0


def _person_name(kit: Kit, row: Row, new: bool) -> None:
    """A person needs a name; at the hub a person whose name was not shared has none."""
    if _filled(row.get("name")):
        return
    from wijkkit.sync.keys import is_hub

    if not (new and is_hub(kit)):
        raise ValidationError(N_("A person needs a name."), field="name")


def _email_shape(_kit: Kit, row: Row, _new: bool) -> None:
    email = (row.get("email") or "").strip() if isinstance(row.get("email"), str) else ""
    if email and ("@" not in email or email.startswith("@") or email.endswith("@") or " " in email):
        raise ValidationError(N_("The e-mail address {email} is not valid: it needs a name, an @ and a domain."),
                              field="email", email=email)  # fmt: skip


def _contact_needs_consent(_kit: Kit, row: Row, _new: bool) -> None:
    """Contact details only with consent to be contacted: withdrawing it is refused while they are kept
    (the facilitator clears them, so nothing disappears unseen)."""
    if any(_filled(row.get(f)) for f in CONTACT_FIELDS) and not row.get("consent_contact"):
        raise ValidationError(N_("Contact details can only be kept when the person agrees to be contacted."),
                              field="consent_contact")  # fmt: skip


def _moment(value: object) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) and value else None
    except ValueError:  # a spelling validate.py refuses anyway
        return None
    return moment if moment is None or moment.tzinfo is None else None


def _meeting_times(_kit: Kit, row: Row, _new: bool) -> None:
    starts, ends = _moment(row.get("starts_at")), _moment(row.get("ends_at"))
    if starts and ends and ends <= starts:
        raise ValidationError(N_("The meeting ends before it starts."), field="ends_at")


def _meeting_follows(_kit: Kit, row: Row, _new: bool) -> None:
    if row.get("follows_session_id") and row.get("follows_session_id") == row.get("id"):
        raise ValidationError(N_("A meeting cannot follow itself."), field="follows_session_id")


# per table: (the fields a rule reads, the rule), in the order the forms report them
RULES: dict[str, tuple[tuple[frozenset[str], Rule], ...]] = {
    "person": ((frozenset({"name"}), _person_name), (frozenset({"email"}), _email_shape),
               (frozenset({*CONTACT_FIELDS, "consent_contact"}), _contact_needs_consent)),
    "session": ((frozenset({"starts_at", "ends_at"}), _meeting_times),
                (frozenset({"follows_session_id"}), _meeting_follows)),
}  # fmt: skip


def check(kit: Kit, table: str, row: Row, written: set[str] | None) -> None:
    """Raise ValidationError (with ``field``) when ``row``, as it will be after a local write, breaks a
    rule whose fields the write touches; ``written`` None means a new row, which meets every rule."""
    rules = RULES.get(table)
    if not rules:
        return
    for fields, rule in rules:
        if written is None or not fields.isdisjoint(written):
            rule(kit, row, written is None)


def after_write(kit: Kit, table: str, row_id: str, changed: Row, session_id: str | None) -> None:
    """Document the consents a local write of a person changed (``session_id``: the meeting where
    they were asked, when at the door)."""
    if table != "person":
        return
    # "Delen" withdrawn: see sync/forget.py
    if "consent_share" in changed and not changed["consent_share"]:
        from wijkkit.sync import forget

        forget.hold_back(kit, row_id)
    answers = {
        kind: int(changed[f"consent_{kind}"]) for kind in CONSENTS if f"consent_{kind}" in changed
    }
    if answers:
        latest = _latest_written_now(kit, row_id)
        record_consents(
            kit, row_id, {k: v for k, v in answers.items() if latest.get(k) != v}, session_id
        )


def _latest_written_now(kit: Kit, person_id: str) -> dict[str, int]:
    """Per kind, the latest answer of this person among the consent records written in this transaction:
    an answer that one documents needs no second record (a JSON file brings its own history)."""
    fresh = kit.pending("consent_record")
    if not fresh:
        return {}
    # the person's own records, filtered here: an import of thousands of people in one transaction
    # would otherwise pass every pending id as a parameter (quadratic, and past SQLite's limit)
    rows = kit.conn.execute("SELECT id, kind, given FROM consent_record WHERE person_id = ? ORDER BY at, id",
                            [person_id]).fetchall()  # fmt: skip
    return {kind: int(given or 0) for row_id, kind, given in rows if row_id in fresh}  # the last of each kind wins


def record_consents(
    kit: Kit, person_id: str, answers: dict[str, int], session_id: str | None
) -> None:
    """One consent_record per answer (kind -> 0 or 1) with the wording shown and the moment; the
    person's ``consent_at`` becomes that moment."""
    if not answers:
        return
    moment = datetime.now().isoformat(timespec="seconds")
    with kit.transaction():
        for kind, given in answers.items():
            kit.insert("consent_record", {"person_id": person_id, "kind": kind, "given": int(given),
                                          "wording": gettext(CONSENTS[kind]), "at": moment,
                                          "session_id": session_id})  # fmt: skip
        kit.update("person", person_id, {"consent_at": moment})
