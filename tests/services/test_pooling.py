"""The pooling lesson, measured through the services (docs/maths.md § Clues, issue 13 §2): twenty traders each hold a
private clue off by about ±15 %, each believes what a Bayesian with that clue believes and trades toward it
as the informed practice traders do, typed as a person types a forecast (exponential utility, docs/maths.md §
Aggregation; docs/practice-traders.md: the ratio went from 0.418 with exact beliefs to 0.352 on the same markets); with
answers within σ₀ of the prior's middle, the market's final forecast is off by at most half of what a clue is
off, in the median over 100 seeded markets.

One game holds the 100 markets and the 20 seats (joined once: a seat gets each market's clue when its trading
opens), and each trader trades twice a market, so the 4,000 trades run in seconds on SQLite."""

from __future__ import annotations

import math
import random
import statistics

import pytest
from django.db import connection

from mmgame import services
from mmgame.bots.strategies import Informed
from mmgame.market.errors import InsufficientCollateral
from mmgame.models import Clue, Market, Player
from mmgame.services.trading import position_wealth
from tests.nested import one_database

from .ledger import fresh_key

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.slow,
    one_database,  # arithmetic, not locking
]

P = Market.Phase
MARKETS = 100
TRADERS = 20
ROUNDS = 2  # each trader's trades per market: enough for the best responses to pool the clues
PRIOR_MEDIAN = 1000.0
PRIOR_SD_LOG = 0.5  # σ₀ in ln x: "about 1,000, give or take a factor of 1.65"
CLUE_PERCENT = 15.0  # τ = ln 1.15 ≈ 0.14, well below σ₀


def posterior(clue: float, tau: float) -> tuple[float, float]:
    """A Bayesian's belief after the prior N(μ₀, σ₀²) and the clue c = X + N(0, τ²), in ln x (docs/maths.md § Clues):
    1/s² = 1/σ₀² + 1/τ², m = s²(μ₀/σ₀² + c/τ²). Returns the median in x and s."""
    mu0, c = math.log(PRIOR_MEDIAN), math.log(clue)
    s2 = 1 / (1 / PRIOR_SD_LOG**2 + 1 / tau**2)
    return math.exp(s2 * (mu0 / PRIOR_SD_LOG**2 + c / tau**2)), math.sqrt(s2)


refused = [0]


def run_market(host, game, players, rng: random.Random) -> tuple[float, list[float]]:
    """One round from the host's draft to the close: the market's error and the clues' errors, in ln x."""
    answer = round(PRIOR_MEDIAN * math.exp(rng.uniform(-1, 1) * PRIOR_SD_LOG), 2)  # within σ₀ of μ₀
    market = services.add_market(
        host,
        game,
        question="How many?",
        lo=10,
        hi=100_000,
        scale="log",
        prior_median=PRIOR_MEDIAN,
        prior_sd_log=PRIOR_SD_LOG,
        first_guess=False,
    )
    services.set_answer(host, market.pk, answer)
    services.set_clues(host, market.pk, noise=CLUE_PERCENT)
    Market.objects.filter(pk=market.pk).update(clue_seed=rng.getrandbits(62))  # the clues too, from the test's seed
    services.step_market(host, market.pk, phase=P.QUESTION)
    services.step_market(host, market.pk, phase=P.TRADING, close_others=True)
    market = Market.objects.get(pk=market.pk)
    tau = math.log1p(CLUE_PERCENT / 100)
    clues = dict(Clue.objects.filter(market=market).values_list("player_id", "value"))
    assert len(clues) == TRADERS
    # Cautious traders (a = 3/b, the bots' default being 1/b) move the market part of the way to their belief,
    # so the first few do not spend their budgets on it and the later ones' clues still count; the fixed point
    # weighs the prior by b/(b + 20·b/3) ≈ 2 %.
    # Each trades on its belief as a practice trader does: as a person types it (jittered, rounded, its own
    # give-or-take and risk tolerance: docs/practice-traders.md), from its own private draws.
    risk_aversion = 3 / market.liquidity
    traders = []
    for p in players:
        median, s = posterior(float(clues[p.pk]), tau)
        typing = random.Random(f"typing {market.pk} {p.pk}")  # apart from `rng`: the same markets as before
        traders.append((p, Informed.typed(market.engine, math.log(median), s, risk_aversion, typing)))
    for _ in range(ROUNDS):
        for player, trader in traders:
            market = Market.objects.get(pk=market.pk)
            order = trader.decide(market.engine, position_wealth(market, player))
            if order is None:
                continue
            try:
                services.place_trade(player, market.pk, order, idempotency_key=fresh_key())
            except InsufficientCollateral:  # refused, as a phone would be: the budget is spent in this direction
                refused[0] += 1
    services.step_market(host, market.pk, phase=P.CLOSED, confirm=True)
    market = Market.objects.get(pk=market.pk)
    truth = math.log(answer)
    market_error = abs(market.range.to_y(market.mean_z) - truth)
    return market_error, [abs(math.log(float(c)) - truth) for c in clues.values()]


def number_seats_from_one() -> None:
    """Seats numbered as in a fresh database whatever ran before in this process: a clue is drawn from the
    market's seed and the seat's id, so the ids are part of the seed (on SQLite, whose AUTOINCREMENT counter
    outlives the rows other tests rolled back or flushed, they drifted, and with them the measured ratio)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("UPDATE sqlite_sequence SET seq = 0 WHERE name = %s", [Player._meta.db_table])


def test_a_market_of_twenty_clues_is_off_by_at_most_half_what_a_clue_is(host, game):
    number_seats_from_one()
    players = [services.join_game(game.join_code, f"Trader {i}") for i in range(TRADERS)]
    rng = random.Random(1729)
    market_errors, clue_errors = [], []
    for _ in range(MARKETS):
        market_error, errors = run_market(host, game, players, rng)
        market_errors.append(market_error)
        clue_errors.extend(errors)
    market_median, clue_median = statistics.median(market_errors), statistics.median(clue_errors)
    print(
        f"\npooling over {MARKETS} markets, {TRADERS} traders, clues ±{CLUE_PERCENT:g} %: median clue error "
        f"{clue_median:.4f}, median market error {market_median:.4f} (in ln x), "
        f"ratio {market_median / clue_median:.3f}; "
        f"{refused[0]} of {MARKETS * TRADERS * ROUNDS} trades refused for collateral"
    )
    assert market_median <= clue_median / 2
