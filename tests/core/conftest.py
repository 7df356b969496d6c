"""Fixtures of the core tests: a hub with a trusted laptop (tests/core/sync_hub.py), for the sync tests.
The villages of a hub and laptops (``village``, ``make_village``) are in tests/conftest.py: the hub's
UI tests use them too."""

from __future__ import annotations

import pytest

from tests.core.sync_hub import open_hub, valid_bundle


@pytest.fixture
def hub(tmp_path):
    with open_hub(tmp_path) as made:
        yield made


@pytest.fixture
def valid(hub):
    return valid_bundle(hub)
