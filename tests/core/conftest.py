"""Fixtures of the core tests: a hub with a trusted laptop (tests/core/sync_hub.py) and villages of a
hub and laptops (tests/core/sync_village.py), for the sync tests."""

from __future__ import annotations

import pytest

from tests.core.sync_hub import open_hub, valid_bundle
from tests.core.sync_village import Clock, Village


@pytest.fixture
def make_village(tmp_path):
    """Villages with chosen laptops and clocks, closed after the test."""
    made: list[Village] = []

    def make(laptops: tuple[str, ...] = ("a", "b"), **offsets: int) -> Village:
        folder = tmp_path / f"village{len(made)}"
        folder.mkdir()
        made.append(Village(folder, laptops, {name: Clock(offset=offsets.get(name, 0)) for name in laptops}))
        return made[-1]

    yield make
    for village in made:
        village.close()


@pytest.fixture
def village(make_village):
    return make_village()


@pytest.fixture
def hub(tmp_path):
    with open_hub(tmp_path) as made:
        yield made


@pytest.fixture
def valid(hub):
    return valid_bundle(hub)
