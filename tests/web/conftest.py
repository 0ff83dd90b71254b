"""Fixtures the page tests share."""

from __future__ import annotations

import pytest


@pytest.fixture
def host_client(client, host):
    """Django's test client, signed in as the game's host."""
    client.force_login(host)
    return client
