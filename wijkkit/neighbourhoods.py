"""Neighbourhoods (wijk, buurt or kern): the place a dialogue series belongs to."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wijkkit.errors import ValidationError
from wijkkit.i18n import N_
from wijkkit.models import NEIGHBOURHOOD_KINDS, Neighbourhood, NeighbourhoodId, not_found
from wijkkit.text import sort_key

if TYPE_CHECKING:
    from wijkkit.kit import Kit


class Neighbourhoods:
    def __init__(self, kit: Kit) -> None:
        self.kit = kit

    def add(self, name: str, municipality: str = "", kind: str = "wijk", notes: str = "") -> NeighbourhoodId:
        name = name.strip()
        if not name:
            raise ValidationError(N_("A neighbourhood needs a name."), field="name")
        if kind not in NEIGHBOURHOOD_KINDS:
            raise ValidationError(N_("Unknown kind of neighbourhood: {kind}."), field="kind", kind=kind)
        values = {"name": name, "municipality": municipality.strip(), "kind": kind, "notes": notes}
        return NeighbourhoodId(self.kit.insert("neighbourhood", values))

    def get(self, neighbourhood_id: str) -> Neighbourhood:
        row = self.kit.row("neighbourhood", neighbourhood_id)
        if row is None:
            raise not_found("neighbourhood", neighbourhood_id)
        return Neighbourhood.from_row(row)

    def list(self) -> list[Neighbourhood]:
        rows = self.kit.query("SELECT * FROM neighbourhood")
        return sorted((Neighbourhood.from_row(r) for r in rows), key=lambda n: sort_key(n.name))
