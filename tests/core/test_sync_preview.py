"""'Wat de gemeente ziet' (wijkkit.sync.preview, `wijkkit sync preview`): exactly what the next bundle
carries, names replaced and visible, fields held back listed, and nothing written."""

from __future__ import annotations

import json

from tests.core.sync_hub import CommandLine
from tests.core.sync_village import dump, laptop_bundle
from tests.core.test_sync_redaction import NAME, fill
from wijkkit.sync import preview
from wijkkit.sync.merge import PRIVATE_PERSON_FIELDS

REPLACED = "(naam niet gedeeld)"


def sent_values(found: preview.Preview) -> set[tuple]:
    return {(line.table, line.row_id, line.field, line.sent) for line in found.lines
            if line.status in (preview.SENT, preview.REDACTED)}  # fmt: skip


def test_the_preview_is_the_next_bundle_and_writes_nothing(village):
    a = village.a
    ids = fill(village)
    before, clock, seq = dump(a), a.hlc.last, a._meta("sync_seq")
    found = preview.compute(a)
    assert (dump(a), a.hlc.last, a._meta("sync_seq")) == (before, clock, seq), "the preview wrote something"

    payload = laptop_bundle(village, a)
    assert sent_values(found) == {c[:4] for c in payload.changes}
    held = {(line.row_id, line.field) for line in found.lines if line.status == preview.WITHHELD}
    assert held == {(ids["henk"], f) for f in PRIVATE_PERSON_FIELDS}
    capture = next(line for line in found.lines if line.table == "capture" and line.field == "text")
    assert capture.status == preview.REDACTED and capture.stored.startswith(NAME)
    assert [capture.sent[s:e] for s, e in capture.marks] == [REPLACED]
    assert preview.marked(capture).startswith(f"«{REPLACED}»")
    assert found.counts()["person"] == 2 and found.counts()["agreement"] == 1
    assert found.labels[("agreement", ids["agreement"])] == f"{REPLACED} helpt Fatma Yılmaz"


def test_after_consent_the_preview_lists_what_sending_will_release(village):
    a = village.a
    ids = fill(village)
    village.sync()
    assert preview.compute(a).lines == []
    a.people.edit(ids["henk"], consent_share=1)
    found = preview.compute(a)
    released = {(line.table, line.field) for line in found.lines if line.row_id == ids["henk"]}
    assert {("person", f) for f in PRIVATE_PERSON_FIELDS} <= released
    texts = {(line.table, line.row_id): line.sent for line in found.lines if line.table == "capture"}
    assert texts[("capture", ids["capture"])].startswith(NAME), "the whole text travels again"
    assert sent_values(found) == {c[:4] for c in laptop_bundle(village, a).changes}


def test_the_command_line_prints_the_same(village, capsys):
    fill(village)
    cli = CommandLine(capsys)
    out, _err = cli.run("sync", "preview", "--db", village.a.path)
    assert "rows per kind" in out and f"«{REPLACED}»" in out and "held back (no consent to share)" in out
    data = json.loads(cli.run("sync", "preview", "--db", village.a.path, "--json")[0])
    assert data["counts"]["agreement"] == 1 and data["fields"]["withheld"] == len(PRIVATE_PERSON_FIELDS)
    assert any(line["status"] == "redacted" and line["stored"].startswith(NAME) for line in data["lines"])
