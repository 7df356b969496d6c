"""The plain, frozen records that the core hands to the UI and the handouts.

No SQL rows and no Qt types leave the core: each manager turns rows into these
dataclasses with ``from_row``, which ignores columns a record does not name (so
a later migration can add columns without breaking older records).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, NewType, Self

from wijkkit.errors import Message, NotFoundError
from wijkkit.i18n import N_, gettext

NeighbourhoodId = NewType("NeighbourhoodId", str)
SessionId = NewType("SessionId", str)
StepId = NewType("StepId", str)
PersonId = NewType("PersonId", str)
AgreementId = NewType("AgreementId", str)

NEIGHBOURHOOD_KINDS = {"wijk": N_("district"), "buurt": N_("neighbourhood"), "kern": N_("village")}
SESSION_STATUSES = {
    "planned": N_("planned"),
    "running": N_("running"),
    "held": N_("held"),
    "cancelled": N_("cancelled"),
}
AGREEMENT_STATUSES = {
    "open": N_("open"),
    "in_progress": N_("in progress"),
    "done": N_("done"),
    "stalled": N_("stalled"),
    "dropped": N_("dropped"),
}
OPEN_AGREEMENT_STATUSES = ("open", "in_progress", "stalled")
GROUP_FORMS = {"plenary": N_("plenary"), "tables": N_("at tables"), "pairs": N_("in pairs")}
ROLES = {
    "inwoner": N_("resident"),
    "mantelzorger": N_("informal carer"),
    "vrijwilliger": N_("volunteer"),
    "gemeente": N_("municipality"),
    "wijkteam": N_("neighbourhood team"),
    "zorgaanbieder": N_("care provider"),
    "welzijnsorganisatie": N_("welfare organisation"),
    "ondernemer": N_("entrepreneur"),
    "anders": N_("other"),
}


TABLE_LABELS = {
    "neighbourhood": N_("neighbourhood"),
    "session": N_("meeting"),
    "step": N_("agenda item"),
    "person": N_("person"),
    "attendance": N_("attendance"),
    "capture": N_("note"),
    "agreement": N_("agreement"),
    "invitation": N_("invitation"),
    "checklist_item": N_("checklist item"),
    "timer_event": N_("clock event"),
    "obstacle": N_("obstacle"),
    "offer": N_("offer"),
    "need": N_("need"),
    "consent_record": N_("consent"),
    "agreement_update": N_("agreement update"),
    "follow_up": N_("follow-up task"),
}

NAME_NOT_SHARED = N_("(name not shared)")


def shown_name(name: str | None) -> str:
    """A person's name for the screen. A missing name was not shared with this database (a person
    without consent to share travels to the hub without it) and says so. Display only: never store
    it; handouts print the person's role instead (handouts.feedback.Discreet)."""
    return name or gettext(NAME_NOT_SHARED)


def not_found(table: str, row_id: str) -> NotFoundError:
    """The error for a row that does not exist, naming its kind in the user's language."""
    return NotFoundError(what=Message(TABLE_LABELS.get(table, table)), id=row_id)


class Record:
    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Self:
        names = _FIELD_NAMES.get(cls)
        if names is None:  # once per class: a progress report makes a thousand agreements
            names = _FIELD_NAMES[cls] = frozenset(f.name for f in fields(cls))  # type: ignore[arg-type]
        return cls(**{k: v for k, v in row.items() if k in names})


_FIELD_NAMES: dict[type, frozenset[str]] = {}


@dataclass(frozen=True)
class Neighbourhood(Record):
    id: NeighbourhoodId
    name: str
    municipality: str | None = None
    kind: str = "wijk"
    notes: str = ""
    archived: int = 0


@dataclass(frozen=True)
class Session(Record):
    id: SessionId
    title: str
    neighbourhood_id: NeighbourhoodId | None = None
    theme: str = ""
    starts_at: str | None = None
    ends_at: str | None = None
    location_name: str = ""
    location_address: str = ""
    facilitator: str = ""
    status: str = "planned"
    method: str = ""
    follows_session_id: SessionId | None = None
    notes: str = ""
    neighbourhood_name: str | None = None


@dataclass(frozen=True)
class Step(Record):
    id: StepId
    session_id: SessionId
    position: int
    title: str
    purpose: str = ""
    minutes: int = 0
    prompts: str = ""
    group_form: str = "plenary"
    kind: str = "step"

    @property
    def prompt_list(self) -> list[str]:
        return [p for p in (self.prompts or "").splitlines() if p.strip()]


@dataclass(frozen=True)
class Person(Record):
    id: PersonId
    name: str
    neighbourhood_id: NeighbourhoodId | None = None
    role: str = "inwoner"
    organisation: str = ""
    email: str = ""
    phone: str = ""
    consent_contact: int = 0
    consent_share: int = 0
    consent_photos: int = 0
    consent_at: str | None = None
    notes: str = ""


@dataclass(frozen=True)
class Agreement(Record):
    id: AgreementId
    title: str
    session_id: SessionId | None = None
    description: str = ""
    owner_person_id: PersonId | None = None
    owner_party: str = ""
    partners: str = ""
    due_on: str | None = None
    review_on: str | None = None
    status: str = "open"
    offer_id: str | None = None
    need_id: str | None = None
    owner_name: str | None = None
    neighbourhood_name: str | None = None

    @property
    def owner_label(self) -> str:
        return self.owner_name or self.owner_party or ""

    @property
    def owner_shown(self) -> str:
        """Who, for the screen: an owner whose name was not shared says so (see shown_name)."""
        return shown_name(None) if self.owner_person_id and not self.owner_name else self.owner_label
