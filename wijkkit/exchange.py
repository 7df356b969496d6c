"""Offers and needs (aanbod en vraag), their matches, and obstacles (hobbels).

What residents can give and what they need, by everyday category. A match pairs
an open offer with an open need of the same category and becomes an agreement;
both are then marked as matched. "Other" (``anders``, also what quick capture
gives) says nothing about the help, so it matches nothing: every other offer
next to every other need would only bury the real matches. An item is sorted
out afterwards with ``edit``, which checks what ``add`` checks. No health
details are stored: the forms say so, and the categories are about practical
help only. The title a match proposes for its agreement never holds a name ("Help with transport"):
titles travel to the hub and show on the projector, and the people are named by the agreement's
links (its owner is the offer's person, and the need keeps its own).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from wijkkit.errors import ValidationError
from wijkkit.i18n import N_, gettext
from wijkkit.models import Record, not_found

if TYPE_CHECKING:
    from wijkkit.kit import Kit

CATEGORIES = {
    "boodschappen": N_("groceries"),
    "vervoer": N_("transport"),
    "gezelschap": N_("company"),
    "klussen": N_("odd jobs"),
    "digitale_hulp": N_("digital help"),
    "administratie": N_("paperwork"),
    "anders": N_("other"),
}
OBSTACLE_CATEGORIES = {
    "ontmoeten": N_("meeting each other"),
    "informatie": N_("information"),
    "vervoer": N_("transport"),
    "regels": N_("rules and procedures"),
    "geld": N_("money"),
    "vertrouwen": N_("trust"),
    "anders": N_("other"),
}
OTHER = "anders"  # the category that matches nothing
MATCH_TITLE = N_("Help with {topic}")
HEALTH_NOTICE = N_("Do not write down health details or diagnoses: describe only the practical help.")
MAX_TEXT = 2000


@dataclass(frozen=True)
class Item(Record):
    """An offer, a need or an obstacle."""

    id: str
    text: str
    session_id: str | None = None
    person_id: str | None = None
    category: str = ""
    status: str = "open"
    addressed_by: str = ""
    person_name: str | None = None


@dataclass(frozen=True)
class Match:
    offer: Item
    need: Item


def _category(category: str | None, categories: dict) -> str:
    category = category or OTHER
    if category not in categories:
        raise ValidationError(N_("Unknown category: {category}."), field="category", category=category)
    return category


def _text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError(N_("Describe it in a few words."), field="text")
    if len(text) > MAX_TEXT:
        raise ValidationError(N_("This text is longer than {max} characters."), field="text", max=MAX_TEXT)
    return text


class Exchange:
    def __init__(self, kit: Kit) -> None:
        self.kit = kit

    def _add(self, table: str, session_id: str | None, text: str, category: str, categories: dict,
             **extra: Any) -> str:  # fmt: skip
        values = {"session_id": session_id, "text": _text(text), "category": _category(category, categories),
                  "status": "open", "created_at": datetime.now().isoformat(timespec="seconds"), **extra}  # fmt: skip
        return self.kit.insert(table, values)

    def _person(self, person_id: str | None) -> str | None:
        """An offer or need belongs to nobody, or to someone still known (not forgotten meanwhile)."""
        if person_id and self.kit.row("person", person_id) is None:
            raise ValidationError(N_("This person is no longer known: choose someone else or nobody."),
                                  field="person_id")  # fmt: skip
        return person_id or None

    def add_offer(self, session_id: str | None, text: str, category: str = OTHER, person_id: str | None = None) -> str:
        return self._add("offer", session_id, text, category, CATEGORIES, person_id=self._person(person_id))

    def add_need(self, session_id: str | None, text: str, category: str = OTHER, person_id: str | None = None) -> str:
        return self._add("need", session_id, text, category, CATEGORIES, person_id=self._person(person_id))

    def add_obstacle(self, session_id: str | None, text: str, category: str = OTHER, addressed_by: str = "") -> str:
        return self._add("obstacle", session_id, text, category, OBSTACLE_CATEGORIES,
                         addressed_by=(addressed_by or "").strip())  # fmt: skip

    def edit(self, table: str, item_id: str, **changes: Any) -> list[str]:
        """Correct an offer, need or obstacle; checked as when it was added, all or nothing.

        Returns the fields that changed (each stamped by the Kit for sync).
        """
        if "text" in changes:
            changes["text"] = _text(changes["text"])
        if "category" in changes:
            changes["category"] = _category(changes["category"], OBSTACLE_CATEGORIES if table == "obstacle"
                                            else CATEGORIES)  # fmt: skip
        if "person_id" in changes:
            changes["person_id"] = self._person(changes["person_id"])
        if "addressed_by" in changes:
            changes["addressed_by"] = (changes["addressed_by"] or "").strip()
        return self.kit.update(table, item_id, changes)

    def _items(self, table: str, where: str = "", params: tuple = ()) -> list[Item]:
        person = "p.name" if table != "obstacle" else "NULL"
        join = "LEFT JOIN person p ON p.id = t.person_id" if table != "obstacle" else ""
        rows = self.kit.query(f"SELECT t.*, {person} AS person_name FROM {table} t {join} {where} "
                              "ORDER BY t.created_at, t.id", params)  # fmt: skip
        return [Item.from_row(r) for r in rows]

    def offers(self, status: str | None = None) -> list[Item]:
        return self._items("offer", "WHERE t.status = ?" if status else "", (status,) if status else ())

    def needs(self, status: str | None = None) -> list[Item]:
        return self._items("need", "WHERE t.status = ?" if status else "", (status,) if status else ())

    def obstacles(self, session_id: str | None = None) -> list[Item]:
        return self._items("obstacle", "WHERE t.session_id = ?" if session_id else "",
                           (session_id,) if session_id else ())  # fmt: skip

    def item(self, table: str, item_id: str) -> Item:
        found = self._items(table, "WHERE t.id = ?", (item_id,))
        if not found:
            raise not_found(table, item_id)
        return found[0]

    def matches(self) -> list[Match]:
        """Every open offer next to every open need of the same category, except 'other'."""
        needs = [need for need in self.needs("open") if need.category != OTHER]
        return [Match(offer, need) for offer in self.offers("open") for need in needs
                if offer.category == need.category]  # fmt: skip

    def suggested_title(self, match: Match) -> str:
        """The agreement title a match proposes: its kind of help, never the people's names."""
        topic = gettext(CATEGORIES.get(match.need.category, match.need.category))
        return gettext(MATCH_TITLE).format(topic=topic)

    def make_agreement(self, offer_id: str, need_id: str, title: str, session_id: str | None = None,
                       **details: Any) -> str:  # fmt: skip
        """Turn a match into an agreement; the offer and the need are then 'matched'."""
        offer, need = self.item("offer", offer_id), self.item("need", need_id)
        if offer.status != "open" or need.status != "open":
            raise ValidationError(N_("This offer or need has already been matched."), field="match")
        details.setdefault("owner_person_id", offer.person_id)
        with self.kit.transaction():
            agreement_id = self.kit.agreements.add(
                title, session_id or need.session_id or offer.session_id, offer_id=offer_id, need_id=need_id, **details
            )
            self.kit.update("offer", offer_id, {"status": "matched"})
            self.kit.update("need", need_id, {"status": "matched"})
        return agreement_id
