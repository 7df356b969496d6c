"""A change delivered again after later edits is not a conflict (the flaky privacy check of issue 13).

A text typed on laptop B reaches the hub, which replaces one name in it; laptop A, the home of
another person named there, replaces that name too. Each correction names only the version it
edited as its base. When B's original comes in once more (a bundle delivered late or again, or
passed on), it loses to the corrected text, whose base is the hub's correction, not B's text:
kept as a "concurrent" conflict, it put both names back in the hub's conflict log. The merge now
knows it has seen that version before (``_sync_seen``) and keeps no copy of it; a write it has
not seen, which lost, is still kept.
"""

from __future__ import annotations

from wijkkit import hlc
from wijkkit.kit import Kit
from wijkkit.sync import merge
from wijkkit.sync.bundle import Payload

NOW = 1_800_000_000_000
A, B, C = "a0a0a0a0a0a0a0a1", "b0b0b0b0b0b0b0b1", "c0c0c0c0c0c0c0c1"
ROW = "0190cccc-0000-7000-8000-000000000001"
RAW = "Piet Visser heeft hulp nodig, Hendrika Smit ook"


def at(ms: int) -> int:
    return hlc.pack(NOW - 1_000_000 + ms, 0)


def bundle(sender: str, number: int, *changes: tuple) -> Payload:
    return Payload({"sender": sender, "bundle_id": f"{sender}-{number:06d}"}, list(changes), [])


def test_the_original_text_delivered_again_after_two_corrections_is_kept_nowhere():
    typed = ("neighbourhood", ROW, "notes", RAW, at(100), B, None, None)
    with Kit.memory(clock=lambda: NOW) as hub:
        merge.apply(hub, bundle(B, 1, ("neighbourhood", ROW, "name", "Ellerveen", at(90), B, None, None), typed),
                    "b-1", "sha-b-1")  # fmt: skip
        first = "Piet Visser heeft hulp nodig, (naam niet gedeeld) ook"
        merge.apply(hub, bundle(A, 1, ("neighbourhood", ROW, "notes", first, at(200), A, at(100), B)), "a-1", "sha-a-1")
        both = "(naam niet gedeeld) heeft hulp nodig, (naam niet gedeeld) ook"
        merge.apply(hub, bundle(A, 2, ("neighbourhood", ROW, "notes", both, at(300), A, at(200), A)), "a-2", "sha-a-2")

        again = merge.apply(hub, bundle(B, 2, typed), "b-2 (late)", "sha-b-2")

        assert again.applied == 0 and again.conflicts == 0
        assert hub.row("neighbourhood", ROW)["notes"] == both
        assert hub.query("SELECT value, kept_value FROM _sync_conflict") == []


def test_a_write_not_seen_before_that_loses_is_still_kept_as_a_conflict():
    with Kit.memory(clock=lambda: NOW) as hub:
        merge.apply(hub, bundle(B, 1, ("neighbourhood", ROW, "name", "Ellerveen", at(90), B, None, None),
                                ("neighbourhood", ROW, "notes", "Eerste tekst", at(100), B, None, None)),
                    "b-1", "sha-b-1")  # fmt: skip
        merge.apply(hub, bundle(A, 1, ("neighbourhood", ROW, "notes", "Tekst van A", at(300), A, at(100), B)),
                    "a-1", "sha-a-1")  # fmt: skip

        late = merge.apply(hub, bundle(C, 1, ("neighbourhood", ROW, "notes", "Tekst van C", at(200), C, at(100), B)),
                           "c-1", "sha-c-1")  # fmt: skip

        assert late.conflicts == 1
        assert [(c["value"], c["kept_value"]) for c in hub.query("SELECT value, kept_value FROM _sync_conflict")] == [
            ("Tekst van C", "Tekst van A")]  # fmt: skip
