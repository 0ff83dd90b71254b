"""The issue's reproductions through the services: payouts exact at the corners the host form allows.

Exact means 50-digit arithmetic (tests/market/reference.py) over the curves the market recorded: each
trade row's curves before and after, in the question's units, and b.
"""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from mmgame import services
from mmgame.models import Position, Trade

from ..market import reference
from .ledger import fresh_key, target, toward

pytestmark = pytest.mark.django_db

BUDGET = 1000.0


@pytest.fixture
def edge_market(host, game):
    """[0, 300], b = 1,000, σ_min = range/10⁴, the prior a σ_min-wide curve next to the top edge."""
    market = services.add_market(
        host,
        game,
        question="Where exactly?",
        lo=0,
        hi=300,
        prior_mean=Decimal("299.94"),
        prior_sd=Decimal("0.03"),
        sd_min=Decimal("0.03"),
        liquidity=1000,
        budget=BUDGET,
    )
    return services.open_market(host, market.pk)


def exact_wealth(position: Position, outcome: Decimal) -> reference.mpmath.mpf:
    """budget + Σ b·[ln p_after(x) − ln p_before(x)] over the player's trades, at 50 digits."""
    b = position.market.liquidity
    total = reference.exact(position.budget)
    for trade in Trade.objects.filter(market=position.market, player=position.player).order_by("sequence"):
        total += reference.profit(b, trade.curve_x(before=True), trade.curve_x(), outcome)
    return total


def resolve(host, market, outcome: Decimal):
    services.close_market(host, market.pk)
    return services.resolve_market(host, market.pk, outcome)


def assert_books_balance(market) -> None:
    positions = list(Position.objects.filter(market=market))
    books = math.fsum([market.house_result] + [p.payout - p.budget for p in positions])
    assert abs(books) <= 1e-9 * sum(p.budget for p in positions)
    # And the telescoped check: together the traders won b·[ln p_final(x*) − ln p_prior(x*)].
    won = market.engine.house_result(market.outcome)
    assert abs(-market.house_result - won) <= 1e-9 * sum(p.budget for p in positions)


def test_a_target_trade_at_sigma_min_next_to_the_edge_pays_the_exact_amount(host, edge_market, alice):
    services.place_trade(
        alice, edge_market.pk, target(Decimal("299.91"), Decimal("0.039")), idempotency_key=fresh_key()
    )
    market = resolve(host, edge_market, Decimal("299.97"))

    position = Position.objects.get(market=market, player=alice)
    want = exact_wealth(position, Decimal("299.97"))
    assert reference.mp.nstr(want, 12) == "54.2037828693"  # the exact figure
    assert abs(position.payout - float(want)) <= 1e-9 * float(want)
    assert_books_balance(market)


def test_a_toward_order_that_barely_fills_never_leaves_the_player_owing(host, edge_market, alice):
    result = services.place_trade(
        alice, edge_market.pk, toward(Decimal(30), Decimal("0.03")), idempotency_key=fresh_key()
    )
    assert 0 < result.trade.fraction < 1e-3
    market = resolve(host, edge_market, Decimal(300))

    position = Position.objects.get(market=market, player=alice)
    want = exact_wealth(position, Decimal(300))
    assert want >= -1e-9 * BUDGET
    assert abs(position.payout - float(want)) <= 1e-9 * BUDGET
    assert_books_balance(market)
