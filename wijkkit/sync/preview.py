"""'Wat de gemeente ziet': what the next bundle from this laptop would carry, before it is sent.

A facilitator (and the municipality's privacy officer) should be able to see what leaves the
laptop: how many rows of each kind, and every field with its value as it will be sent, names of
people without "Delen" replaced (with the stored text beside it) and the fields held back listed
as held back. ``merge.collect`` cannot be used for this: sending writes (fields held back are
remembered, consent releases and changed redactions get new versions, and the export moves the
sent watermark and the sequence number). This reads only: the same ``outgoing.gather`` that
sending uses, plus what sending would release first, so the preview is what the bundle holds.
Only temporary tables are written, which belong to this connection and are no part of the file.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from wijkkit.sync import outgoing

if TYPE_CHECKING:
    from wijkkit.kit import Kit

SENT, REDACTED, WITHHELD, DELETED, ERASED = "sent", "redacted", "withheld", "deleted", "erased"
LABELS = ("title", "name", "text", "label", "note")  # the field that names a row in the list


@dataclass(frozen=True)
class Line:
    """One field (or one deletion) of the next bundle."""

    table: str
    row_id: str
    field: str  # "" for a deletion
    status: str  # SENT, REDACTED, WITHHELD, DELETED or ERASED
    sent: object = None  # the value as it will be sent (None when withheld)
    stored: str | None = None  # the text stored here, when what is sent differs from it
    marks: tuple[tuple[int, int], ...] = ()  # the replaced spans in ``sent``


@dataclass
class Preview:
    lines: list[Line] = field(default_factory=list)
    labels: dict[tuple[str, str], str] = field(
        default_factory=dict
    )  # (table, row id) -> how the row is named

    def counts(self) -> dict[str, int]:
        """Rows per table (kind) that the bundle carries or deletes."""
        return dict(
            Counter(table for table, _row in {(line.table, line.row_id) for line in self.lines})
        )

    def count(self, status: str) -> int:
        return sum(1 for line in self.lines if line.status == status)

    def as_json(self) -> str:
        lines = [{**asdict(line), "marks": [list(m) for m in line.marks], "label": self.labels.get((line.table, line.row_id), "")}
                 for line in self.lines]  # fmt: skip
        summary = {
            status: self.count(status) for status in (SENT, REDACTED, WITHHELD, DELETED, ERASED)
        }
        return json.dumps(
            {"counts": self.counts(), "fields": summary, "lines": lines},
            ensure_ascii=False,
            indent=1,
        )


def compute(kit: Kit) -> Preview:
    """What ``exchange.export`` would send now, without writing anything."""
    since = json.loads(kit._meta("hub_acked") or "{}")
    redactor = outgoing.laptop_redactor(kit)
    found = outgoing.gather(kit, since, None, redactor)
    preview, seen = Preview(), set()
    for tbl, row_id, name, value, *_version in found.changes:
        seen.add((tbl, row_id, name))
        preview.lines.append(_line(redactor, found.redacted, tbl, row_id, name, value))
    for tbl, row_id, name in _released(
        kit, redactor
    ):  # get a new version when sending, so they travel
        if (tbl, row_id, name) not in seen:
            value = kit.conn.execute(
                f"SELECT [{name}] FROM [{tbl}] WHERE id = ?", [row_id]
            ).fetchone()
            if value is not None:
                stored = value[0]
                sent = (
                    outgoing.as_sent(redactor, tbl, name, stored)
                    if isinstance(stored, str)
                    else stored
                )
                preview.lines.append(_line(redactor, {(tbl, row_id, name): stored} if sent != stored else {}, tbl,
                                           row_id, name, sent))  # fmt: skip
    for tbl, row_id, name in sorted(set(found.withheld)):
        preview.lines.append(Line(tbl, row_id, name, WITHHELD))
    for tbl, row_id, _stamp, _replica, erased in found.tombstones:
        preview.lines.append(Line(tbl, row_id, "", ERASED if erased else DELETED))
    preview.lines.sort(key=lambda line: (line.table, line.row_id, line.field))
    preview.labels = _labels(preview.lines)
    return preview


def _line(redactor, redacted: dict, tbl: str, row_id: str, name: str, value: object) -> Line:
    stored = redacted.get((tbl, row_id, name))
    if stored is None:
        return Line(tbl, row_id, name, SENT, value)
    _sent, marks = redactor.redact(stored)
    marks = tuple((a, b) for a, b in marks if isinstance(value, str) and b <= len(value))
    return Line(tbl, row_id, name, REDACTED, value, stored, marks)


def _released(kit: Kit, redactor) -> list[tuple[str, str, str]]:
    """Fields sending gives a new version first: held back until a consent now given (the very
    fields ``merge._release_consented`` stamps), or sent redacted before and now redacted
    differently (merge.collect)."""
    from wijkkit.sync.merge import releasable

    _rows, fields = releasable(kit)
    resend, _gone = outgoing.stale_redactions(kit, redactor)
    return [("person", row_id, name) for row_id, names in fields.items() for name in names] + resend


def _labels(lines: list[Line]) -> dict[tuple[str, str], str]:
    labels: dict[tuple[str, str], str] = {}
    for line in lines:
        key = (line.table, line.row_id)
        if line.field in LABELS and isinstance(line.sent, str) and line.sent and key not in labels:
            labels[key] = line.sent.splitlines()[0][:80]
    return labels


def marked(line: Line, before: str = "«", after: str = "»") -> str:
    """The sent text with each replacement between ``before`` and ``after`` (for the command line)."""
    text = str(line.sent)
    for start, end in reversed(line.marks):
        text = text[:start] + before + text[start:end] + after + text[end:]
    return text
