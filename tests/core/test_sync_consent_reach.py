"""Names of people without "Delen" reach no other replica, whoever typed them (issue 13, red-team review).

Three replicas (the hub and laptops a and b), one neighbourhood they all serve:

1. the hub's own free text naming a person the hub registered without "Delen" reaches the laptops
   redacted, the hub keeps its own text, and everyone converges;
2. a name typed on b of someone a registered without "Delen" (b never had the name) is corrected
   by a when it arrives there, as a's edit that travels: the hub and b get the corrected text one
   sync later, and a's erasure leaves the name nowhere; a withdrawal at home corrects text others
   wrote while the person still shared, also as an edit that travels;
3. after "Delen" is given again, the preview lists exactly the fields the next bundle carries.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.core.sync_village import Village, laptop_bundle, version, who
from tests.core.test_sync_redaction import leaks
from tests.core.test_sync_withdrawal import deliver
from wijkkit import privacy
from wijkkit.sync import preview

REPLACED = "(naam niet gedeeld)"
HUB_PERSON, HUB_NOTE = "Hendrika Smit", "Hendrika Smit (Thuiszorg Oost) wil meedoen"
PIET, PIET_TEXT = "Piet Visser", "Piet Visser heeft hulp nodig"


def test_the_hub_sends_its_own_free_text_with_its_non_sharing_names_replaced(village):
    a, b, hub = village.a, village.b, village.hub
    hub.people.add(
        HUB_PERSON, consent_share=0, organisation="Thuiszorg Oost", neighbourhood_id=village.wijk
    )
    hub.update("neighbourhood", village.wijk, {"notes": HUB_NOTE})
    village.sync()
    for kit in (a, b):
        assert (
            kit.row("neighbourhood", village.wijk)["notes"]
            == f"{REPLACED} (Thuiszorg Oost) wil meedoen"
        )
        assert leaks(kit, (HUB_PERSON, "Hendrika", "Smit")) == [], who(village, kit)
        assert version(kit, "neighbourhood", village.wijk, "notes") == version(hub, "neighbourhood", village.wijk,
                                                                                "notes")  # fmt: skip
    assert hub.row("neighbourhood", village.wijk)["notes"] == HUB_NOTE, "the hub keeps its own text"
    # one bookkeeping key for the field, though it went to two laptops; nothing travels again
    assert len(hub.query("SELECT * FROM _meta WHERE key LIKE 'sent_redacted:neighbourhood:%'")) == 1
    stamp = version(hub, "neighbourhood", village.wijk, "notes")
    village.sync()
    assert version(hub, "neighbourhood", village.wijk, "notes") == stamp, (
        "converged: no new version"
    )
    assert laptop_bundle(village, a).changes == []


def test_the_hub_sends_the_whole_text_again_once_its_person_shares(village):
    a, b, hub = village.a, village.b, village.hub
    person = hub.people.add(HUB_PERSON, consent_share=0, neighbourhood_id=village.wijk)
    hub.update("neighbourhood", village.wijk, {"notes": HUB_NOTE})
    village.sync()
    hub.people.edit(person, consent_share=1)
    village.sync()
    for kit in (a, b):
        assert kit.row("neighbourhood", village.wijk)["notes"] == HUB_NOTE, who(village, kit)
        assert kit.row("person", person)["name"] == HUB_PERSON
    assert hub.query("SELECT * FROM _meta WHERE key LIKE 'sent_redacted:%'") == []


def typed_on_b(village: Village, share: int = 0) -> tuple[str, str]:
    """Piet registered on a, his name typed on b in a capture of a shared meeting. (person, capture)"""
    a, b = village.a, village.b
    person = a.people.add(PIET, consent_share=share, neighbourhood_id=village.wijk)
    meeting = b.sessions.add(
        "Avond", "2026-12-15T19:30", "2026-12-15T22:00", neighbourhood_id=village.wijk
    )
    capture = b.insert("capture", {"session_id": meeting, "text": PIET_TEXT})
    return person, capture


def test_a_name_typed_on_another_laptop_is_corrected_by_its_home_and_gone_after_the_erasure(
    village,
):
    a, b, hub = village.a, village.b, village.hub
    person, capture = typed_on_b(village)
    village.sync()  # b -> hub -> a, which corrects it; a -> hub -> b
    for kit in (hub, a, b):
        assert kit.row("capture", capture)["text"] == f"{REPLACED} heeft hulp nodig", who(
            village, kit
        )
    assert version(hub, "capture", capture, "text")[1] == a.replica_id, "a's correction travelled"
    assert hub.query("SELECT * FROM _sync_refusal") == [], "accepted: the capture is in a's scope"
    for kit in (hub, b):
        assert leaks(kit, (PIET, "Visser")) == [], who(village, kit)
    stamp = version(hub, "capture", capture, "text")
    village.sync()
    assert version(hub, "capture", capture, "text") == stamp, (
        "a corrected text is not corrected again"
    )
    privacy.erase_person(a, person)
    village.sync()
    for kit in (hub, a, b):
        assert kit.row("person", person) is None
        assert leaks(kit, (PIET, "Visser")) == [], who(village, kit)


def test_a_withdrawal_at_home_corrects_text_others_wrote_as_an_edit_that_travels(village):
    a, b, hub = village.a, village.b, village.hub
    person, capture = typed_on_b(village, share=1)
    village.sync()
    assert hub.row("capture", capture)["text"] == PIET_TEXT, "setup: shared, the name travels"
    a.people.edit(person, consent_share=0)
    assert a.row("capture", capture)["text"] == f"{REPLACED} heeft hulp nodig"
    assert version(a, "capture", capture, "text")[1] == a.replica_id, (
        "an edit that travels, not a local change"
    )
    village.sync(rounds=3)
    for kit in (hub, b):
        assert leaks(kit, (PIET, "Visser")) == [], who(village, kit)
    assert a.row("person", person)["name"] == PIET, "the home keeps the person"


def test_a_name_typed_by_the_hub_of_someone_a_laptop_registered_is_corrected_too(village):
    a, b, hub = village.a, village.b, village.hub
    a.people.add(PIET, consent_share=0, neighbourhood_id=village.wijk)
    hub.update("neighbourhood", village.wijk, {"notes": f"Bel {PIET}"})
    village.sync()
    for kit in (hub, a, b):
        assert kit.row("neighbourhood", village.wijk)["notes"] == f"Bel {REPLACED}", who(
            village, kit
        )
    assert hub.query("SELECT * FROM _sync_refusal") == [], (
        "the hub accepts the correction of a row in scope"
    )


STEPS = st.lists(st.sampled_from(["a", "b", "hub", "a<", "b<"]), min_size=2, max_size=8)


@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
@given(steps=STEPS)
def test_the_correction_converges_in_any_delivery_order(steps):
    with tempfile.TemporaryDirectory() as folder:
        village = Village(Path(folder))
        try:
            hub = village.hub
            _person, capture = typed_on_b(village)
            hub.people.add(HUB_PERSON, consent_share=0, neighbourhood_id=village.wijk)
            village.b.update("capture", capture, {"text": f"{PIET_TEXT}, {HUB_PERSON} ook"})
            deliver(village, steps)
            village.sync(rounds=3)
            texts = {
                who(village, k): k.row("capture", capture)["text"]
                for k in (hub, village.a, village.b)
            }
            assert set(texts.values()) == {f"{REPLACED} heeft hulp nodig, {REPLACED} ook"}, texts
            stamp = version(hub, "capture", capture, "text")
            village.sync()
            assert version(hub, "capture", capture, "text") == stamp, "no loop"
            assert [c for c in hub.query("SELECT value, kept_value FROM _sync_conflict")
                    if "Visser" in str(c) or "Smit" in str(c)] == []  # fmt: skip
        finally:
            village.close()


def test_after_sharing_again_the_preview_lists_exactly_what_the_bundle_carries(village):
    a = village.a
    person = a.people.add("Anna de Wit", consent_share=0, neighbourhood_id=village.wijk)
    village.sync()
    a.people.edit(person, consent_share=1)
    found = preview.compute(a)
    listed = {(line.table, line.row_id, line.field, line.sent) for line in found.lines
              if line.status in (preview.SENT, preview.REDACTED)}  # fmt: skip
    carried = {c[:4] for c in laptop_bundle(village, a).changes}
    assert listed == carried
    assert {"role", "name", "consent_share"} <= {f for t, r, f, _v in carried if r == person}
