"""Neighbourhoods (wijk, buurt or kern): the place a dialogue series belongs to.

A neighbourhood is archived rather than deleted when its dialogue ends, so its
meetings and agreements stay in the reports and in sync.
"""

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

    def _checked(self, name: str, municipality: str, kind: str, notes: str) -> dict[str, str]:
        name = name.strip()
        if not name:
            raise ValidationError(N_("A neighbourhood needs a name."), field="name")
        if kind not in NEIGHBOURHOOD_KINDS:
            raise ValidationError(N_("Unknown kind of neighbourhood: {kind}."), field="kind", kind=kind)
        return {"name": name, "municipality": municipality.strip(), "kind": kind, "notes": notes}

    def add(self, name: str, municipality: str = "", kind: str = "wijk", notes: str = "") -> NeighbourhoodId:
        return NeighbourhoodId(self.kit.insert("neighbourhood", self._checked(name, municipality, kind, notes)))

    def edit(self, neighbourhood_id: str, name: str, municipality: str = "", kind: str = "wijk", notes: str = "") -> None:
        self.get(neighbourhood_id)
        self.kit.update("neighbourhood", neighbourhood_id, self._checked(name, municipality, kind, notes))

    def set_archived(self, neighbourhood_id: str, archived: bool = True) -> None:
        self.get(neighbourhood_id)
        self.kit.update("neighbourhood", neighbourhood_id, {"archived": int(archived)})

    def get(self, neighbourhood_id: str) -> Neighbourhood:
        row = self.kit.row("neighbourhood", neighbourhood_id)
        if row is None:
            raise not_found("neighbourhood", neighbourhood_id)
        return Neighbourhood.from_row(row)

    def list(self, include_archived: bool = False) -> list[Neighbourhood]:
        sql = "SELECT * FROM neighbourhood" + ("" if include_archived else " WHERE NOT coalesce(archived, 0)")
        rows = self.kit.query(sql)
        return sorted((Neighbourhood.from_row(r) for r in rows), key=lambda n: (n.archived or 0, sort_key(n.name)))
