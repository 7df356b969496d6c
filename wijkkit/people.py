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
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from wijkkit.errors import ValidationError
from wijkkit.i18n import N_, gettext
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
        """Register a person; consents given here are recorded with their wording."""
        values = self._checked({"name": name, **details})
        for kind in CONSENTS:  # every consent is asked, so every answer (also 'no') is recorded
            values.setdefault(f"consent_{kind}", 0)
        with self.kit.transaction():
            person_id = PersonId(self.kit.insert("person", values))
            self._record_consents(person_id, {}, values, details.get("consent_session_id"))
        return person_id

    def edit(self, person_id: str, **changes: Any) -> list[str]:
        current = self.get(person_id)
        merged = {**{k: getattr(current, k) for k in ("name", "role", "email", "phone", "consent_contact")}, **changes}
        # at the hub a person whose name was not shared has none: the other fields stay editable
        values = self._checked(merged, need_name="name" in changes or bool(current.name))
        values = {k: v for k, v in values.items() if k in changes or k == "consent_at"}
        with self.kit.transaction():
            changed = self.kit.update("person", person_id, values)
            self._record_consents(person_id, current.__dict__, values, changes.get("consent_session_id"))
        return changed

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
        unknown = set(typed) - {*DOOR_FIELDS, *(f"consent_{kind}" for kind in CONSENTS)}
        if unknown:
            raise TypeError(f"sign_in_again() got unexpected fields: {', '.join(sorted(unknown))}")
        current = self.get(person_id)
        filled = {k: v for k, v in typed.items() if k in DOOR_FIELDS and (v.strip() if isinstance(v, str) else v)}
        answers = {k: v for k, v in typed.items() if k.startswith("consent_") and v is not None}
        stored = {k: getattr(current, k) for k in ("name", *DOOR_FIELDS, "consent_contact")}
        values = self._checked({**stored, **filled, **answers})
        values = {k: v for k, v in values.items() if k in filled or k in answers}
        with self.kit.transaction():
            changed = self.kit.update("person", person_id, values)
            self._record_consents(person_id, {}, {k: values[k] for k in answers}, consent_session_id)
        return changed

    def _checked(self, values: dict[str, Any], need_name: bool = True) -> dict[str, Any]:
        values = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items() if k != "consent_session_id"}
        if need_name and not values.get("name"):
            raise ValidationError(N_("A person needs a name."), field="name")
        if len(values.get("name") or "") > MAX_NAME:
            raise ValidationError(N_("A name can be {max} characters at most."), field="name", max=MAX_NAME)
        if len(values.get("notes") or "") > MAX_TEXT:
            raise ValidationError(N_("This text is longer than {max} characters."), field="notes", max=MAX_TEXT)
        role = values.get("role") or "inwoner"
        if role not in ROLES:
            raise ValidationError(N_("Unknown role: {role}."), field="role", role=role)
        email = values.get("email") or ""
        if email and ("@" not in email or email.startswith("@") or email.endswith("@") or " " in email):
            raise ValidationError(N_("The e-mail address {email} is not valid: it needs a name, an @ and a domain."),
                                  field="email", email=email)  # fmt: skip
        if any(values.get(f) for f in CONTACT_FIELDS) and not values.get("consent_contact"):
            raise ValidationError(
                N_("Contact details can only be kept when the person agrees to be contacted."),
                field="consent_contact",
            )
        for key in ("consent_contact", "consent_share", "consent_photos"):
            if key in values:
                values[key] = int(bool(values[key]))
        return values

    def _record_consents(self, person_id: str, before: dict[str, Any], after: dict[str, Any],
                         session_id: str | None) -> None:  # fmt: skip
        """One consent_record per consent given or changed, with the wording shown."""
        moment = datetime.now().isoformat(timespec="seconds")
        recorded = False
        for kind, wording in CONSENTS.items():
            key = f"consent_{kind}"
            if key not in after:
                continue
            new, old = int(after[key]), before.get(key)
            if old is None or int(old) != new:
                self.kit.insert("consent_record", {"person_id": person_id, "kind": kind, "given": new,
                                                   "wording": gettext(wording), "at": moment,
                                                   "session_id": session_id})  # fmt: skip
                recorded = True
        if recorded:
            self.kit.update("person", person_id, {"consent_at": moment})

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
