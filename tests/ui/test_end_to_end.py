"""One evening end to end, through the real widgets, from an empty data folder.

A facilitator plans a 7-step meeting, registers people at the door, leads the
evening on the clock with quick capture, turns a matched offer and need into an
agreement, prints the session pack and sends a bundle to the municipality. The
coordinator makes a hub, approves the laptop, merges, marks an agreement done and
writes the return bundle, which brings the new status back to the laptop.

Two main windows on two data folders (the laptop and the hub), fixed clocks.
Every phase checks what the user sees and what the database holds.
"""

from __future__ import annotations

import pytest

from tests.ui import journey
from tests.ui.hands import SYNC, Clock, FakeSteady, close_window, go, open_window


@pytest.fixture
def open_app(qtbot, monkeypatch):
    """Opens the app's main window on a data folder; closes each window and its database afterwards."""
    from ui import chime

    monkeypatch.setattr(chime, "play", lambda kind="soon": True)  # no sound from the test run
    opened = []

    def open_on(data_dir, wall, steady=None):
        opened.append(open_window(qtbot, data_dir, wall, steady))
        return opened[-1]

    yield open_on
    for window in reversed(opened):
        close_window(window)


def test_one_evening_from_an_empty_laptop_to_the_hub_and_back(open_app, qtbot, tmp_path):
    steady = FakeSteady(journey.EVENING.astimezone())
    laptop = open_app(tmp_path / "laptop", Clock(journey.PLANNED_AT), steady)
    assert laptop.kit.sessions.list() == [] and laptop.kit.people.count() == 0  # an empty data folder

    # the facilitator's evening, on the laptop
    session_id = journey.plan_the_meeting(qtbot, laptop)
    journey.register_at_the_door(qtbot, laptop, session_id)
    journey.lead_the_evening(qtbot, laptop, steady, session_id)
    laptop.clock.moment = journey.AFTER
    lift_id = journey.match_an_offer_and_a_need(qtbot, laptop, session_id)
    journey.follow_up_obstacles_and_agreements(qtbot, laptop)
    journey.print_the_pack(qtbot, laptop, session_id, tmp_path / "sessiepakket.pdf")

    # the municipality's hub, and the bundle on a USB stick
    hub = open_app(tmp_path / "hub", Clock(journey.HUB_DAY))
    key, stick, outbox = tmp_path / "hub-sleutel.wijkhub", tmp_path / "stick", tmp_path / "retour"
    stick.mkdir()
    journey.make_the_hub(qtbot, hub, key)
    sent = journey.send_from_the_laptop(qtbot, laptop, key, stick)
    identity = go(qtbot, laptop, SYNC).laptop.identity  # the facilitator reads both out to the coordinator
    laptop_id, fingerprint = identity.replica.text(), identity.fingerprint.text()
    journey.approve_and_merge(qtbot, hub, laptop_id, fingerprint, sent, outbox)

    # the coordinator's update travels back to the laptop
    journey.mark_done_at_the_hub(qtbot, hub, lift_id)
    journey.write_the_return_bundle(qtbot, hub, laptop_id, outbox)
    journey.fetch_the_news(qtbot, laptop, lift_id, outbox)
