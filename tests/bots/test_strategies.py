"""What the bots decide, on the pure engine: best responses, the fixed point, noise that stays valid."""

from __future__ import annotations

import random
import statistics
from decimal import Decimal

import pytest

from mmgame.bots import Informed, Noise, market_from_state, wealth_from_position
from mmgame.bots.strategies import distance
from mmgame.market import GaussianMarket, InsufficientCollateral, Range, Wealth, fill
from mmgame.market.aggregation import best_response
from mmgame.market.traders import round_step, typed_belief


def seed_market(liquidity: float = 30.0) -> GaussianMarket:
    return GaussianMarket.create(Range(Decimal(0), Decimal(300)), liquidity, 100, 100, 1)


def state_of(market: GaussianMarket, sequence: int = 3) -> dict:
    """The fields of `market_state` the strategies read, as a screen receives them (JSON floats)."""
    return {
        "lo": float(market.range.lo),
        "hi": float(market.range.hi),
        "integer": market.range.integer,
        "liquidity": market.liquidity,
        "prior_mean": 100.0,
        "prior_sd": 100.0,
        "sd_min": float(market.sd_min),
        "mean": market.mean,
        "sd": market.sd,
        "sequence": sequence,
        "budget": 1000.0,
    }


def test_a_market_read_from_a_screen_is_the_engine_it_came_from():
    market = seed_market()
    moved = market.trade(market.move(market.curve_from_x(123.4, 17.5)))
    seen = market_from_state(state_of(moved))
    assert distance(seen.curve, moved.curve) < 1e-12
    assert (seen.liquidity, seen.sd_min, seen.range) == (moved.liquidity, moved.sd_min, moved.range)


def test_wealth_before_any_trade_is_the_budget_alone():
    assert wealth_from_position(None, 1000.0) == Wealth(1000.0)
    position = {"wealth": {"const": 990.0, "linear": 2.5, "quadratic": -1.25}}
    assert wealth_from_position(position, 1000.0) == Wealth(990.0, 2.5, -1.25)


def test_an_informed_order_moves_the_market_to_the_best_response():
    market = seed_market()
    bot = Informed.believing(market, 140, 25, 0.05)
    order = bot.decide(market, Wealth(1000.0))
    executed = fill(market, Wealth(1000.0), order).move.after
    assert distance(executed, best_response(market, bot.belief, 0.05)) < 1e-9
    assert executed.mean > market.curve.mean  # the bot believes in more beans than the market


def test_an_informed_bot_at_its_fixed_point_does_nothing():
    market, wealth = seed_market(), Wealth(1000.0)
    bot = Informed.believing(market, 140, 25, 0.05)
    for _ in range(3):  # alone, one best response reaches its fixed point: θ′ − θ = 0 next time
        order = bot.decide(market, wealth)
        if order is None:
            break
        quote = fill(market, wealth, order)
        market, wealth = market.trade(quote.move), quote.wealth_after
    assert bot.decide(market, wealth) is None


def test_a_risk_neutral_informed_bot_jumps_to_its_belief():
    market = seed_market()
    bot = Informed.believing(market, 140, 25, 0.0)
    order = bot.decide(market, Wealth(1e9))
    assert (float(order.mean), float(order.sd)) == pytest.approx((140, 25), rel=1e-12)


def test_drawn_beliefs_scatter_around_the_truth():
    market, rng = seed_market(), random.Random(7)
    means = [market.curve_to_x(Informed.drawn(market, rng, 180, 20, 0.05).belief)[0] for _ in range(2000)]
    assert statistics.fmean(means) == pytest.approx(180, abs=3 * 20 / 2000**0.5)
    assert statistics.stdev(means) == pytest.approx(20, rel=0.1)


def test_beliefs_outside_the_range_or_below_sd_min_are_brought_inside():
    market = seed_market()
    mean, sd = market.curve_to_x(Informed.believing(market, 1e6, 0.01, 0.1).belief)
    assert mean == pytest.approx(300) and sd == pytest.approx(float(market.sd_min))


def test_noise_orders_stay_in_the_range_and_above_sd_min_and_are_affordable():
    market, wealth, rng = seed_market(), Wealth(1000.0), random.Random(3)
    bot, closes = Noise(rng, step=1.0), 0
    for _ in range(300):
        order = bot.decide(market, wealth)
        if order.kind == "close":  # out of collateral that way: it sells back rather than be refused
            closes += 1
        else:
            assert 0 <= order.mean <= 300 and order.sd >= float(market.sd_min)
        quote = fill(market, wealth, order)  # `toward` is cut to what the bot can afford; never refused
        market, wealth = market.trade(quote.move), quote.wealth_after
        assert wealth.worst()[0] >= -1e-9
    assert closes < 300


def log_market() -> GaussianMarket:
    return GaussianMarket.create(Range(Decimal(10), Decimal(100000), scale="log"), 30.0, 1000, Decimal("2.3"))


def test_a_log_market_read_from_a_screen_is_the_engine_it_came_from():
    market = log_market()
    moved = market.trade(market.move(market.curve_from_x(200, Decimal("0.8"))))
    median, sd_log = moved.curve_to_x(moved.curve)
    state = {
        "lo": 10.0, "hi": 100000.0, "integer": False, "scale": "log", "liquidity": 30.0, "prior_median": 1000.0,
        "prior_sd_log": 2.3, "sd_min": float(market.sd_min), "median": median, "sd_log": sd_log, "mean": None,
    }  # fmt: skip
    seen = market_from_state(state)
    assert distance(seen.curve, moved.curve) < 1e-9
    assert seen.range == moved.range


def test_bots_trade_a_log_market_in_ln_x():
    market = log_market()
    rng = random.Random(5)
    informed = [Informed.drawn(market, rng, 300.0, 0.5, 1 / 30) for _ in range(5)]
    noise = Noise(random.Random(3))
    wealth = {id(bot): Wealth(1000.0) for bot in [*informed, noise]}
    for _ in range(6):
        for bot in [*informed, noise]:
            order = bot.decide(market, wealth[id(bot)])
            if order is None:
                continue
            assert order.mean is None and order.median is not None  # a log market's order: median and sd_log
            try:
                result = fill(market, wealth[id(bot)], order)
            except InsufficientCollateral:  # a budget spent: the runner skips it the same way
                continue
            wealth[id(bot)] = result.wealth_after
            market = market.trade(result.move)
    median, _ = market.curve_to_x(market.curve)
    assert 100 < median < 900  # pulled from 1,000 toward the truth, 300, in ln x


def test_a_returning_noise_bot_sells_back_each_move_at_its_next_step():
    market, wealth = seed_market(), Wealth(1000.0)
    bot, kinds = Noise(random.Random(1), step=0.05, returns=True), []
    for _ in range(10):
        order = bot.decide(market, wealth)
        kinds.append(order.kind)
        quote = fill(market, wealth, order)
        market, wealth = market.trade(quote.move), quote.wealth_after
    assert kinds == ["toward", "close"] * 5
    assert (wealth.linear, wealth.quadratic) == (0.0, 0.0)  # holding nothing: its mark on the market is gone


def test_a_typed_belief_is_rounded_as_people_type_and_near_the_belief():
    assert [round_step(x) for x in (0.26, 37, 0.035, 5, 9.99)] == [0.2, 20, 0.02, 5, 5]
    rng = random.Random(2)
    shown = [typed_belief(613.0, 90.0, rng) for _ in range(2000)]
    assert all(mean % 20 == 0 for mean, _ in shown)  # a step of 20 at or below 90/4
    errors = [mean - 613.0 for mean, _ in shown]
    assert abs(sum(errors) / len(errors)) < 2  # unbiased
    spread = (sum(e * e for e in errors) / len(errors)) ** 0.5
    assert 0.24 * 90 < spread < 0.30 * 90  # the jitter's 0.25·s and the rounding's 20/√12
    assert all(float(f"{sd:.2g}") == sd for _, sd in shown)
