"""Choosing together (stippen): the room puts sticker dots on the dreams and ideas it wants to act on first.

During a step the facilitator lists the dreams and ideas captured that evening (``capture`` rows of
kind 'dream' or 'idea'), enters how many dots each got (or how many hands went up: the same
number), and the room sees the ranking on the projector. The chosen ones become draft agreements
(status open, no owner yet: who does what is agreed afterwards), and the capture keeps the id of
the agreement it became, so choosing it again makes no second one and every ranking can say which
became an agreement.

``capture.dots`` is NULL until counted: an uncounted candidate is not in the ranking (0 dots,
once entered, is). Ties share a place ("1, 2, 2, 4") and keep the order they were captured in.
The rules live here, so the Leiden tab, the projector and the handouts agree on one ranking.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from wijkkit.errors import ValidationError
from wijkkit.i18n import N_
from wijkkit.models import not_found

if TYPE_CHECKING:
    from wijkkit.kit import Kit

KINDS = ("dream", "idea")  # what the room can put dots on (live.CAPTURE_KINDS)
MAX_DOTS = 999


@dataclass(frozen=True)
class Candidate:
    """A dream or idea of a meeting, with its dots (None: not counted yet) and its place among the counted."""

    id: str
    kind: str
    text: str
    step_id: str | None
    dots: int | None
    rank: int | None  # shared by ties; None while not counted
    agreement_id: str | None  # the draft agreement it became (None: not chosen, or that agreement is gone)
    created_at: str | None = None

    @property
    def chosen(self) -> bool:
        return self.agreement_id is not None


def check_dots(value: object) -> int | None:
    """A dot count as entered: a whole number from 0 to 999 (digits in a text too), or None to un-count it."""
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if type(value) is not int or not 0 <= value <= MAX_DOTS:
        raise ValidationError(N_("The number of dots is a whole number from 0 to {max}."), field="dots",
                              max=MAX_DOTS)  # fmt: skip
    return value


def ranked(rows: list[dict]) -> list[Candidate]:
    """Counted rows first, most dots first, ties in the order captured and sharing a place; then the
    uncounted ones in the order captured, without a place. ``rows`` come in the order captured."""
    counted = sorted((r for r in rows if r["dots"] is not None), key=lambda r: -r["dots"])  # stable: capture order
    result, place, previous = [], 0, None
    for n, row in enumerate(counted, start=1):
        if row["dots"] != previous:
            place, previous = n, row["dots"]
        result.append(_candidate(row, place))
    return result + [_candidate(r, None) for r in rows if r["dots"] is None]


def _candidate(row: dict, rank: int | None) -> Candidate:
    return Candidate(row["id"], row["kind"], row["text"], row["step_id"], row["dots"], rank, row["made"],
                     row["created_at"])  # fmt: skip


def _moment(today: date | datetime) -> str:
    moment = today if isinstance(today, datetime) else datetime.combine(today, time())
    return moment.replace(tzinfo=None).isoformat(timespec="seconds")


class Dots:
    def __init__(self, kit: Kit) -> None:
        self.kit = kit

    def _rows(self, session_id: str, step_id: str | None = None) -> list[dict]:
        sql = ("SELECT c.id, c.kind, c.text, c.step_id, c.dots, c.created_at, a.id AS made FROM capture c "
               "LEFT JOIN agreement a ON a.id = c.agreement_id "
               f"WHERE c.session_id = ? AND c.kind IN ({', '.join('?' * len(KINDS))})")  # fmt: skip
        params: list = [session_id, *KINDS]
        if step_id is not None:
            sql += " AND c.step_id = ?"
            params.append(step_id)
        return self.kit.query(sql + " ORDER BY c.created_at IS NULL, c.created_at, c.id", params)

    def candidates(self, session_id: str, step_id: str | None = None) -> list[Candidate]:
        """The dreams and ideas of a meeting (of one step when given), ranked, the uncounted last."""
        return ranked(self._rows(session_id, step_id))

    def ranking(self, session_id: str, step_id: str | None = None) -> list[Candidate]:
        """Only the counted candidates, most dots first, with their shared places. [] when none was counted."""
        return [c for c in self.candidates(session_id, step_id) if c.dots is not None]

    def by_step(self, session_id: str) -> list[tuple[str, list[Candidate]]]:
        """The ranking per step (in agenda order, under the step's title) where dots were counted in more than
        one step, else one ranking of the whole meeting under an empty title; [] when nothing was counted."""
        rows = [r for r in self._rows(session_id) if r["dots"] is not None]
        if len({r["step_id"] for r in rows}) <= 1:
            return [("", ranked(rows))] if rows else []
        steps = self.kit.sessions.steps(session_id)
        order = {s.id: n for n, s in enumerate(steps)}
        titles = {s.id: s.title for s in steps}
        groups = sorted({r["step_id"] for r in rows}, key=lambda step: order.get(step, len(order)))
        return [(titles.get(step, ""), ranked([r for r in rows if r["step_id"] == step])) for step in groups]

    def _candidate_row(self, capture_id: str) -> dict:
        row = self.kit.row("capture", capture_id)
        if row is None:
            raise not_found("capture", capture_id)
        if row["kind"] not in KINDS:
            raise ValidationError(N_("Only dreams and ideas can get dots."), field="dots")
        return row

    def set_dots(self, capture_id: str, dots: object) -> int | None:
        """Record the dots (or raised hands) a dream or idea got; None un-counts it. Returns the count."""
        count = check_dots(dots)
        self._candidate_row(capture_id)
        self.kit.update("capture", capture_id, {"dots": count})
        return count

    def count_one(self, capture_id: str, step: int = 1) -> int | None:
        """One dot more (``step`` 1) or less (-1), as stickers are counted one by one: never below 0, and
        one less of an uncounted one leaves it uncounted. Returns the count."""
        dots = self._candidate_row(capture_id)["dots"]
        if dots is None and step < 0:
            return None
        return self.set_dots(capture_id, min(MAX_DOTS, max(0, (dots or 0) + step)))

    def choose(self, session_id: str, capture_ids: list[str], today: date | datetime) -> list[str]:
        """Turn the chosen dreams and ideas into draft agreements: the capture's text as title, its meeting,
        step and table, status open and no owner yet. One already made into an agreement (that still exists)
        is passed over. Returns the ids of the agreements made now, in the order chosen."""
        rows = [self._candidate_row(i) for i in dict.fromkeys(capture_ids)]
        if any(r["session_id"] != session_id for r in rows):
            raise ValidationError(N_("Choose dreams and ideas of this meeting."), field="capture")
        made = []
        with self.kit.transaction():
            for row in rows:
                if row["agreement_id"] and self.kit.row("agreement", row["agreement_id"]) is not None:
                    continue
                agreement_id = self.kit.agreements.add(row["text"], session_id, step_id=row["step_id"],
                                                       table_no=row["table_no"], status="open",
                                                       created_at=_moment(today))  # fmt: skip
                self.kit.update("capture", row["id"], {"agreement_id": agreement_id})
                made.append(agreement_id)
        return made
