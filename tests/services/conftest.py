"""Fixtures for the service tests: more players, a second game, and a helper to trade."""

from __future__ import annotations

import pytest

from mmgame import services
from mmgame.market import Order

from .ledger import fresh_key


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The hosts' passwords are not what these tests are about; PBKDF2 would take most of their time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def carol(game):
    return services.join_game(game.join_code, "Carol")


@pytest.fixture
def buy(open_market):
    """Place an order (in the open market unless told otherwise) with a fresh idempotency key."""

    def place(player, order: Order, market=None, **guards) -> services.TradeResult:
        market_id = (market or open_market).pk
        return services.place_trade(player, market_id, order, idempotency_key=fresh_key(), **guards)

    return place
