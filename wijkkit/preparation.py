"""Getting ready for a meeting: invitations through every channel, and the materials.

Residents are reached through many channels at once (a letter door to door, a
poster at the bakery, the village paper, the WhatsApp group, personally via the
wijkteam). Per meeting each channel has a planned date, a done date and a reach;
``to_send`` is what still has to go out. The materials checklist starts from a
sensible default list that the facilitator can change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from wijkkit.errors import ValidationError
from wijkkit.i18n import N_, gettext
from wijkkit.models import Record, not_found

if TYPE_CHECKING:
    from wijkkit.kit import Kit

CHANNELS = {
    "letter": N_("letter door to door"),
    "poster": N_("poster"),
    "flyer": N_("flyer"),
    "village_paper": N_("village paper"),
    "email": N_("e-mail"),
    "social_media": N_("social media"),
    "whatsapp": N_("WhatsApp group"),
    "personal": N_("personally via the neighbourhood team"),
    "website": N_("website"),
}
DEFAULT_MATERIALS = (
    N_("Beamer, screen and cables"),
    N_("Laptop with charger"),
    N_("Extension cord"),
    N_("Name badges and markers"),
    N_("Question cards for every table"),
    N_("Sign-in sheets"),
    N_("Pens, paper and sticky notes"),
    N_("Flip chart"),
    N_("Coffee, tea and something sweet"),
)


@dataclass(frozen=True)
class Invitation(Record):
    id: str
    session_id: str
    channel: str
    planned_on: str | None = None
    done_on: str | None = None
    reach: int | None = None
    notes: str = ""

    @property
    def label(self) -> str:
        return gettext(CHANNELS.get(self.channel, self.channel))


@dataclass(frozen=True)
class ChecklistItem(Record):
    id: str
    session_id: str
    label: str
    done: int = 0
    position: int = 0


def _iso_day(value: Any, field: str) -> str | None:
    if value in (None, ""):
        return None
    try:
        return (value if isinstance(value, date) else date.fromisoformat(str(value))).isoformat()
    except ValueError as exc:
        raise ValidationError(N_("This is not a valid date."), field=field) from exc


class Preparation:
    def __init__(self, kit: Kit) -> None:
        self.kit = kit

    # -- invitations -----------------------------------------------------------

    def invitations(self, session_id: str) -> list[Invitation]:
        rows = self.kit.query("SELECT * FROM invitation WHERE session_id = ?", [session_id])
        order = list(CHANNELS)
        items = [Invitation.from_row(r) for r in rows]
        return sorted(items, key=lambda i: order.index(i.channel) if i.channel in order else len(order))

    def set_invitation(self, session_id: str, channel: str, **fields: Any) -> str:
        """Create or change the invitation of one channel for a meeting."""
        if channel not in CHANNELS:
            raise ValidationError(N_("Unknown channel: {channel}."), field="channel", channel=channel)
        values: dict[str, Any] = {}
        for key in ("planned_on", "done_on"):
            if key in fields:
                values[key] = _iso_day(fields[key], key)
        if "reach" in fields:
            reach = fields["reach"]
            if reach not in (None, "") and (not str(reach).isdecimal() or not str(reach).isascii()):
                raise ValidationError(N_("Reach is a number of people or addresses."), field="reach")
            values["reach"] = int(reach) if reach not in (None, "") else None
        if "notes" in fields:
            values["notes"] = fields["notes"] or ""
        existing = [i for i in self.invitations(session_id) if i.channel == channel]
        if existing:
            self.kit.update("invitation", existing[0].id, values)
            return existing[0].id
        return self.kit.insert("invitation", {"session_id": session_id, "channel": channel, **values})

    def remove_invitation(self, invitation_id: str) -> None:
        self.kit.delete("invitation", invitation_id)

    def to_send(self, session_id: str) -> list[Invitation]:
        """Invitations not sent yet, the earliest planned first."""
        pending = [i for i in self.invitations(session_id) if not i.done_on]
        return sorted(pending, key=lambda i: i.planned_on or "9999")

    def sent(self, session_id: str) -> list[Invitation]:
        """Invitations marked as gone out: moving the meeting now needs a correction to people."""
        return [i for i in self.invitations(session_id) if i.done_on]

    # -- materials checklist ---------------------------------------------------

    def checklist(self, session_id: str) -> list[ChecklistItem]:
        rows = self.kit.query("SELECT * FROM checklist_item WHERE session_id = ? ORDER BY position, id", [session_id])
        return [ChecklistItem.from_row(r) for r in rows]

    def add_material(self, session_id: str, label: str) -> str:
        label = label.strip()
        if not label:
            raise ValidationError(N_("Say what needs to be there."), field="label")
        position = len(self.checklist(session_id))
        return self.kit.insert("checklist_item", {"session_id": session_id, "label": label, "position": position})

    def add_default_materials(self, session_id: str) -> None:
        with self.kit.transaction():
            for label in DEFAULT_MATERIALS:
                self.add_material(session_id, gettext(label))

    def set_done(self, item_id: str, done: bool = True) -> None:
        if self.kit.row("checklist_item", item_id) is None:
            raise not_found("checklist_item", item_id)
        self.kit.update("checklist_item", item_id, {"done": int(done)})

    def remove_material(self, item_id: str) -> None:
        self.kit.delete("checklist_item", item_id)
