"""People who take part: residents, partners, carers, volunteers.

Registration at the door asks three separate consents, each unticked until the
person says yes: to be contacted for follow-up, to have their details shared
with the gemeente and partners, and to appear in photos. Each answer is kept as
a ``consent_record`` with the moment and the exact wording that was shown, and
contact details are only kept with consent to be contacted.

Two people may share a name (two Jan de Vries are two people): ``namesakes``
lets the form ask, and nothing is ever merged silently. When someone already
known signs in again, ``sign_in_again`` keeps what was typed at the door: filled
fields replace the stored ones, empty fields keep them, and every consent
answered there is added to the history as a new record.

The rules that hold however a person is written (a name, a real e-mail address,
contact details only with consent to be contacted, a record of every consent that
changes) are the Kit's, in wijkkit/rules.py, so a JSON import or the command line
meets them too; this manager adds what only the forms need.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wijkkit.errors import ValidationError
from wijkkit.i18n import N_
from wijkkit.models import ROLES, Person, PersonId, not_found
from wijkkit.text import sort_key

if TYPE_CHECKING:
    from wijkkit.kit import Kit

CONSENTS = {
    "contact": N_("I may be contacted about the follow-up of this dialogue."),
    "share": N_("My name and role may be shared with the gemeente and the partners in this dialogue."),
    "photos": N_("Photos on which I appear may be used in reports about this dialogue."),
}
CONSENT_LABELS = {"contact": N_("Contact"), "share": N_("Share"), "photos": N_("Photos")}
CONTACT_FIELDS = ("email", "phone")
DOOR_FIELDS = ("role", "organisation", *CONTACT_FIELDS)  # what the sign-in form asks besides the name
MAX_NAME, MAX_TEXT = 200, 2000


class People:
    def __init__(self, kit: Kit) -> None:
        self.kit = kit

    # -- registering and editing ----------------------------------------------------

    def add(self, name: str, **details: Any) -> PersonId:
        """Register a person; every consent is asked, so every answer (also 'no') is recorded by the Kit."""
        session_id = details.pop("consent_session_id", None)
        values = self._checked({"name": name, **details})
        for kind in CONSENTS:
            values.setdefault(f"consent_{kind}", 0)
        return PersonId(self.kit.insert("person", values, consent_session_id=session_id))

    def edit(self, person_id: str, **changes: Any) -> list[str]:
        """Change a person; the Kit checks the person as they will be (at the hub a person whose name
        was not shared has none: the other fields stay editable) and records consents that change."""
        self.get(person_id)
        session_id = changes.pop("consent_session_id", None)
        return self.kit.update("person", person_id, self._checked(changes), consent_session_id=session_id)

    def sign_in_again(self, person_id: str, consent_session_id: str | None = None, **typed: Any) -> list[str]:
        """Someone already known signs in at the door: nothing typed there is lost, nothing stored is erased.

        ``typed`` holds the door form's fields (``DOOR_FIELDS``) and the consents
        that were answered. A filled field replaces the stored value, an empty one
        keeps it. Each consent answered (given or refused) becomes a new
        consent_record with its wording, the moment and the meeting, also when it
        repeats the stored answer; a consent not passed is left as it is. The rules
        are those for a new person: contact details only with consent to be
        contacted. All or nothing. Returns the person's fields that changed.
        """
        from wijkkit import rules

        unknown = set(typed) - {*DOOR_FIELDS, *(f"consent_{kind}" for kind in CONSENTS)}
        if unknown:
            raise TypeError(f"sign_in_again() got unexpected fields: {', '.join(sorted(unknown))}")
        self.get(person_id)
        filled = {k: v for k, v in typed.items() if k in DOOR_FIELDS and (v.strip() if isinstance(v, str) else v)}
        answers = {k: v for k, v in typed.items() if k.startswith("consent_") and v is not None}
        values = self._checked({**filled, **answers})
        with self.kit.transaction():
            changed = self.kit.update("person", person_id, values, consent_session_id=consent_session_id)
            repeated = {k.removeprefix("consent_"): values[k] for k in answers if k not in changed}
            rules.record_consents(self.kit, person_id, repeated, consent_session_id)  # the Kit recorded the rest
        return changed

    def _checked(self, values: dict[str, Any]) -> dict[str, Any]:
        """The form's own checks, with its wording; the rules about the whole person are the Kit's (rules.py)."""
        values = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}
        if len(values.get("name") or "") > MAX_NAME:
            raise ValidationError(N_("A name can be {max} characters at most."), field="name", max=MAX_NAME)
        if len(values.get("notes") or "") > MAX_TEXT:
            raise ValidationError(N_("This text is longer than {max} characters."), field="notes", max=MAX_TEXT)
        role = values.get("role") or "inwoner"
        if role not in ROLES:
            raise ValidationError(N_("Unknown role: {role}."), field="role", role=role)
        for key in ("consent_contact", "consent_share", "consent_photos"):
            if key in values:
                values[key] = int(bool(values[key]))
        return values

    # -- finding -------------------------------------------------------------------

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

    def namesakes(self, name: str) -> list[Person]:
        """Everyone with this name (ignoring case and accents): ask before adding another."""
        key = sort_key(name.strip())
        return [p for p in self.list() if sort_key(p.name) == key]

    def consents(self, person_id: str) -> list[dict[str, Any]]:
        return self.kit.query("SELECT * FROM consent_record WHERE person_id = ? ORDER BY at, id", [person_id])

    def last_seen(self) -> dict[str, str]:
        """For every person, the start of the last meeting they attended."""
        rows = self.kit.query(
            "SELECT a.person_id, max(s.starts_at) AS last FROM attendance a "
            "JOIN session s ON s.id = a.session_id WHERE a.present GROUP BY a.person_id"
        )
        return {r["person_id"]: r["last"] for r in rows}
