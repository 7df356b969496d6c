"""Inzage on paper: everything Wijkkit holds about one person, in words that person can read.

The AVG gives everyone the right to see what is kept about them. ``privacy.export_person``
collects it (the person, the consent history, attendance, offers, needs, agreements, the
texts that mention the name, conflict copies from sync, which fields were not shared and on
which days the data went to the municipality's hub); the JSON file is the machine-readable
copy, and this PDF is the one a coordinator hands over. It prints the same data, field by field, with meetings
named instead of their ids, so nothing is left out by making it readable.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

from reportlab.lib.units import mm

from wijkkit.exchange import CATEGORIES, OBSTACLE_CATEGORIES
from wijkkit.handouts.common import gap, grid
from wijkkit.handouts.style import para
from wijkkit.i18n import N_, _, gettext
from wijkkit.models import AGREEMENT_STATUSES, ROLES, TABLE_LABELS
from wijkkit.people import CONSENT_LABELS

if TYPE_CHECKING:
    from wijkkit.kit import Kit

LABELS = {
    "name": N_("Name"), "role": N_("Role"), "organisation": N_("Organisation"), "email": N_("E-mail"),
    "phone": N_("Phone"), "notes": N_("Notes"), "consent_contact": N_("Consent to be contacted"),
    "consent_share": N_("Consent to share name and role"), "consent_photos": N_("Consent for photos"),
    "consent_at": N_("Consents last changed"), "created_at": N_("Recorded on"), "last_seen_at": N_("Last seen"),
    "session_id": N_("Meeting"), "kind": N_("Kind"), "given": N_("Given"), "wording": N_("Wording"),
    "at": N_("Moment"), "table_no": N_("Table"), "text": N_("Text"), "category": N_("Category"),
    "status": N_("Status"), "title": N_("Title"), "description": N_("Description"), "due_on": N_("Due date"),
    "partners": N_("Together with"), "owner_party": N_("Organisation responsible"), "note": N_("Note"),
    "addressed_by": N_("Who could take it up"), "present": N_("Present"), "review_on": N_("Review on"),
}  # fmt: skip
WIDTHS = (50 * mm, 124 * mm)
HIDDEN = {"id", "person_id", "owner_person_id", "step_id", "agreement_id", "offer_id", "need_id", "matched_offer_id",
          "matched_need_id", "neighbourhood_id"}  # fmt: skip
ISO_MOMENT = re.compile(r"\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d(\.\d+)?)?([+-]\d\d:\d\d|Z)?)?")
YES_NO = {"consent_contact", "consent_share", "consent_photos", "given", "present"}


def document_title(name: str) -> str:
    return _("Inzage: what Wijkkit holds about {name}").format(name=name)


def pdf_for_person(kit: Kit, person_id: str, today: date | None = None) -> bytes:
    from wijkkit import privacy
    from wijkkit.handouts.page import Context, build

    data = privacy.export_person(kit, person_id)
    name = data["person"].get("name") or gettext(N_("(name not shared)"))
    context = Context(kit, None, today or date.today())
    story = [para(document_title(name), "title"),
             para(_("Made on {day} for the person it is about, as the AVG (GDPR) allows. It holds every "
                    "record about this person in this Wijkkit database and every text that mentions "
                    "their name, e-mail address or phone number.").format(day=f"{context.today:%d-%m-%Y}"),
                  "muted"), gap(4)]  # fmt: skip
    story += [
        para(_("Personal details"), "h2"),
        grid(_fields(kit, data["person"]), WIDTHS, header=False),
        gap(4),
    ]
    story += _section(
        _("Consent history"), [_fields(kit, r) for r in data.get("consent_history", [])]
    )
    for table, rows in data["related"].items():
        if table != "consent_record":  # the consent history above
            story += _section(
                gettext(TABLE_LABELS.get(table, table)).capitalize(),
                [_fields(kit, r) for r in rows],
            )
    mentioned = [(t, r) for t, rows in data["mentions"].items() for r in rows]
    story += _section(
        _("Texts that mention this person"),
        [
            [(gettext(TABLE_LABELS.get(t, t)).capitalize(), ""), *_fields(kit, r)]
            for t, r in mentioned
        ],
    )
    story += _section(
        _("Conflict copies from sync"), [_conflict(kit, c) for c in data.get("conflicts", [])]
    )
    return build([*story, *_where_it_went(data)], document_title(name), context.branding)


def _conflict(kit: Kit, conflict: dict[str, Any]) -> list[tuple[str, str]]:
    """Two versions of one field written at the same time on two computers; both are kept."""
    return [(gettext(TABLE_LABELS.get(conflict["tbl"], conflict["tbl"])).capitalize(),
             gettext(LABELS.get(conflict["field"], conflict["field"]))),
            (_("Other version"), _value(kit, conflict["field"], conflict["value"] if conflict["value"] is not None else "")),
            (_("Version kept"), _value(kit, conflict["field"], conflict["kept_value"] if conflict["kept_value"] is not None
                                       else "")),
            (_("Found on"), _value(kit, "at", conflict["found_at"] or ""))]  # fmt: skip


def _where_it_went(data: dict[str, Any]) -> list:
    """Which fields stayed on this computer, and on which days data went to the municipality's hub."""
    parts = [para(_("Where the data went"), "h2")]
    held = [gettext(LABELS.get(f, f)).lower() for f in data.get("not_shared", [])]
    if held:
        parts.append(para(_("Not shared with the municipality (kept on this computer only): {fields}.").format(
            fields=", ".join(held))))  # fmt: skip
    days = [_value(None, "at", d) for d in data.get("sent_to_hub", [])]  # type: ignore[arg-type]
    parts.append(
        para(
            _("Sent to the municipality's hub on: {days}.").format(days=", ".join(days))
            if days
            else _(
                "Nothing about this person was sent to the municipality's hub from this computer."
            )
        )
    )
    return [*parts, gap(3)]


def _section(heading: str, records: list[list[tuple[str, str]]]) -> list:
    parts = [para(f"{heading} ({len(records)})", "h2")]
    if not records:
        return [*parts, para(_("Nothing recorded."), "muted"), gap(3)]
    for fields in records:
        parts += [grid(fields, WIDTHS, header=False), gap(2)]
    return [*parts, gap(2)]


def _fields(kit: Kit, row: dict[str, Any]) -> list[tuple[str, str]]:
    return [(gettext(LABELS.get(key, key)), _value(kit, key, value)) for key, value in row.items()
            if key not in HIDDEN and value not in (None, "")]  # fmt: skip


def _value(kit: Kit, key: str, value: Any) -> str:
    if key in YES_NO:
        return _("yes") if value else _("no")
    if key == "role":
        return gettext(ROLES.get(value, value))
    if key == "category":
        return gettext({**CATEGORIES, **OBSTACLE_CATEGORIES}.get(value, value))
    if key == "status":
        return gettext({**AGREEMENT_STATUSES, "matched": N_("matched")}.get(value, value))
    if key == "kind" and value in CONSENT_LABELS:
        return gettext(CONSENT_LABELS[value])
    if key == "session_id":
        found = kit.query("SELECT title, starts_at FROM session WHERE id = ?", [value])
        return (
            f"{found[0]['title']} ({_value(kit, 'at', str(found[0]['starts_at'])[:10])})"
            if found
            else str(value)
        )
    if isinstance(value, str) and ISO_MOMENT.fullmatch(value):  # 2026-11-29 or 2026-11-29T06:23:23
        return f"{value[8:10]}-{value[5:7]}-{value[:4]}" + (
            f" {value[11:16]}" if len(value) > 10 else ""
        )
    return str(value)
