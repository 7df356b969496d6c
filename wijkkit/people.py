"""People who take part: residents, partners, carers, volunteers.

Contact details are personal data under the AVG: they are only kept with the
person's consent to be contacted, which this module enforces.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from wijkkit.errors import ValidationError
from wijkkit.i18n import N_
from wijkkit.models import ROLES, Person, PersonId, not_found
from wijkkit.text import sort_key

if TYPE_CHECKING:
    from wijkkit.kit import Kit


class People:
    def __init__(self, kit: Kit) -> None:
        self.kit = kit

    def add(self, name: str, **details: Any) -> PersonId:
        values = self._checked({"name": name, **details})
        if any(values.get(k) for k in ("consent_contact", "consent_share", "consent_photos")):
            values.setdefault("consent_at", datetime.now().isoformat(timespec="seconds"))
        return PersonId(self.kit.insert("person", values))

    def _checked(self, values: dict[str, Any]) -> dict[str, Any]:
        values = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}
        if not values.get("name"):
            raise ValidationError(N_("A person needs a name."), field="name")
        role = values.get("role", "inwoner")
        if role not in ROLES:
            raise ValidationError(N_("Unknown role: {role}."), field="role", role=role)
        email = values.get("email") or ""
        if email and "@" not in email:
            raise ValidationError(N_("The e-mail address {email} has no @."), field="email", email=email)
        if (email or values.get("phone")) and not values.get("consent_contact"):
            raise ValidationError(
                N_("Contact details can only be kept when the person agrees to be contacted."),
                field="consent_contact",
            )
        return values

    def get(self, person_id: str) -> Person:
        row = self.kit.row("person", person_id)
        if row is None:
            raise not_found("person", person_id)
        return Person.from_row(row)

    def list(self) -> list[Person]:
        people = [Person.from_row(r) for r in self.kit.query("SELECT * FROM person")]
        return sorted(people, key=lambda p: sort_key(p.name))

    def count(self) -> int:
        return self.kit.conn.execute("SELECT count(*) FROM person").fetchone()[0]
