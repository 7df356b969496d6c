"""The organisation on every handout, kept with this database: its name, logo and privacy contact.

Stored in ``_meta`` (a local setting, not synced): each laptop prints for its own
organisation. A logo file that has gone missing is simply left out. The privacy
contact (e-mail, phone or address of whoever handles inzage and erasure requests)
is printed on the residents' privacy sheet.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from wijkkit.errors import ValidationError
from wijkkit.i18n import N_

if TYPE_CHECKING:
    from wijkkit.kit import Kit

LOGO_TYPES = (".png", ".jpg", ".jpeg")
MAX_CONTACT = 300
MAX_ORGANISATION = 200  # one line on a handout's header


@dataclass(frozen=True)
class Branding:
    organisation: str = ""
    logo: Path | None = None
    privacy_contact: str = ""

    @classmethod
    def of(cls, kit: Kit) -> Branding:
        rows = dict(kit.conn.execute(
            "SELECT key, value FROM _meta WHERE key IN ('org_name', 'org_logo', 'privacy_contact')"))  # fmt: skip
        logo = Path(rows["org_logo"]) if rows.get("org_logo") else None
        return cls(rows.get("org_name") or "", logo if logo and logo.is_file() else None,
                   rows.get("privacy_contact") or "")  # fmt: skip


def save(
    kit: Kit, organisation: str, logo: str | Path | None, privacy_contact: str | None = None
) -> None:
    """Save the name and logo; the privacy contact too when given (None leaves it as it is)."""
    logo_text = str(logo or "").strip()
    if logo_text and Path(logo_text).suffix.lower() not in LOGO_TYPES:
        raise ValidationError(N_("A logo must be a PNG or JPEG picture."), field="logo")
    contact = None if privacy_contact is None else " ".join(str(privacy_contact).split())
    if contact is not None and len(contact) > MAX_CONTACT:
        raise ValidationError(
            N_("The privacy contact is too long: at most 300 characters."), field="privacy_contact"
        )
    name = _organisation(organisation)
    with kit.transaction():
        kit._set_meta("org_name", name)
        kit._set_meta("org_logo", logo_text)
        if contact is not None:
            kit._set_meta("privacy_contact", contact)


def save_organisation(kit: Kit, organisation: str) -> None:
    """Save only the name (the first-run setup asks for it); logo and privacy contact stay."""
    name = _organisation(organisation)
    with kit.transaction():
        kit._set_meta("org_name", name)


def _organisation(organisation: str | None) -> str:
    name = " ".join((organisation or "").split())
    if len(name) > MAX_ORGANISATION:
        raise ValidationError(N_("The organisation's name is too long: at most {max} characters."),
                              field="organisation", max=MAX_ORGANISATION)  # fmt: skip
    return name
