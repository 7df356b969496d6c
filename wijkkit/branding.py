"""The organisation's name and logo on every handout, kept with this database.

Stored in ``_meta`` (a local setting, not synced): each laptop prints for its own
organisation. A logo file that has gone missing is simply left out.
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


@dataclass(frozen=True)
class Branding:
    organisation: str = ""
    logo: Path | None = None

    @classmethod
    def of(cls, kit: Kit) -> Branding:
        rows = dict(kit.conn.execute("SELECT key, value FROM _meta WHERE key IN ('org_name', 'org_logo')"))
        logo = Path(rows["org_logo"]) if rows.get("org_logo") else None
        return cls(rows.get("org_name") or "", logo if logo and logo.is_file() else None)


def save(kit: Kit, organisation: str, logo: str | Path | None) -> None:
    logo_text = str(logo or "").strip()
    if logo_text and Path(logo_text).suffix.lower() not in LOGO_TYPES:
        raise ValidationError(N_("A logo must be a PNG or JPEG picture."), field="logo")
    with kit.transaction():
        kit._set_meta("org_name", (organisation or "").strip())
        kit._set_meta("org_logo", logo_text)
