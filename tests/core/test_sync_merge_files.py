"""The hub merges one given bundle (a file double-clicked in the file manager, issue 15) as its inbox merge would.

``exchange.merge_files`` is the inbox merge without the folder: only the files given are read,
with the same checks, report and return bundles; the rest of the folder is left for the inbox merge.
"""

from __future__ import annotations

from wijkkit.sync import exchange, keys


def test_only_the_given_bundle_is_merged_and_answered(village):
    village.a.neighbourhoods.add("Van laptop a", "Veldhorst")
    village.b.neighbourhoods.add("Van laptop b", "Veldhorst")
    from_a, from_b = village.export(village.a), village.export(village.b)
    damaged = village.inbox / "kapot.wijksync"
    damaged.write_bytes(b"geen bundel")

    report = exchange.merge_files(village.hub, [from_a, damaged], village.outbox)
    assert [name for name, _result in report.applied] == [from_a.name]
    assert [error.params["path"] for error in report.refused] == [damaged.name]
    assert {n.name for n in village.hub.neighbourhoods.list()} == {"Ellerveen", "Van laptop a"}
    assert report.written  # the laptops' return bundles, as after an inbox merge

    again = exchange.merge_inbox(village.hub, village.inbox, village.outbox)  # the rest comes with the inbox
    assert [name for name, _result in again.applied] == [from_b.name]
    assert again.already == [from_a.name] and [name for name, _why in again.skipped] == [damaged.name]


def test_the_hubs_own_return_bundle_is_refused_not_put_in_the_approval_queue(village):
    village.a.neighbourhoods.add("Van laptop a", "Veldhorst")
    village.export(village.a)
    village.merge()
    [own] = sorted((village.outbox / village.a.replica_id).glob("*.wijksync"))

    report = exchange.merge_files(village.hub, [own], village.outbox)  # double-clicked in the hub's outbox
    assert not report.waiting and keys.pending(village.hub) == []
    assert [error.english() for error in report.refused] == [
        f"The bundle {own.name} was refused: this hub wrote it itself, for a laptop that fetches it."]
