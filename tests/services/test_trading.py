"""Trading: the four kinds of order, the quote that changes nothing, idempotency and slippage guards."""

from __future__ import annotations

import math

import mpmath
import pytest
from scipy.stats import norm

from mmgame import services
from mmgame.market import InsufficientCollateral, InvalidCurve, Order, gaussian
from mmgame.models import Market, Position, Trade

from .ledger import CLOSE, rows, shares, target, toward

pytestmark = pytest.mark.django_db
mpmath.mp.dps = 50

B, BUDGET = 30.0, 1000.0  # the `market` fixture: range [0, 300], prior N(100, 100²), σ_min 1


def raw_natural(mean, sd) -> tuple[mpmath.mpf, mpmath.mpf]:
    variance = mpmath.mpf(sd) ** 2
    return mpmath.mpf(mean) / variance, -1 / (2 * variance)


def raw_log_partition(theta_1, theta_2) -> mpmath.mpf:
    """A(θ) = −θ₁²/(4θ₂) − ½·ln(−2θ₂) at 50 digits: the seed's cost function, independent of the engine."""
    return -(theta_1**2) / (4 * theta_2) - mpmath.log(-2 * theta_2) / 2


def profit_at(x: float, before: tuple[float, float], after: tuple[float, float]) -> float:
    """b·[ln p′(x) − ln p(x)] in the question's units, computed without the engine."""
    return B * (norm.logpdf(x, *after) - norm.logpdf(x, *before))


# -- quotes ---------------------------------------------------------------------------------------


def test_quote_changes_nothing(alice, open_market):
    before = rows()

    _, quote = services.quote_order(alice, open_market.pk, target(120, 30))

    assert quote.affordable
    assert rows() == before


def test_a_draft_cannot_be_quoted_its_prior_is_the_hosts_secret(alice, market):
    before = rows()

    with pytest.raises(services.NotFound) as refused:
        services.quote_order(alice, market.pk, target(120, 30))

    assert refused.value.code == "not_found" and "prior" not in refused.value.as_dict()
    assert rows() == before


def test_a_market_that_left_draft_can_be_quoted_in_any_status(host, alice, open_market):
    services.pause_market(host, open_market.pk)
    assert services.quote_order(alice, open_market.pk, target(120, 30))[0].status == Market.Status.PAUSED
    services.close_market(host, open_market.pk)
    assert services.quote_order(alice, open_market.pk, target(120, 30))[0].status == Market.Status.CLOSED


def test_quote_names_the_markets_sequence_to_guard_the_trade_with(alice, open_market):
    market, _ = services.quote_order(alice, open_market.pk, target(120, 30))

    assert market.sequence == Market.objects.get(pk=open_market.pk).sequence == 1


def test_quote_prices_the_trade_that_follows(alice, open_market, buy):
    _, quote = services.quote_order(alice, open_market.pk, target(120, 30))

    result = buy(alice, target(120, 30))

    assert result.trade.cost == quote.move.cost
    assert result.position.wealth == quote.wealth_after


def test_quote_of_an_unaffordable_target_says_how_far_one_can_go(alice, open_market):
    _, quote = services.quote_order(alice, open_market.pk, target(120, 10))

    assert not quote.affordable
    assert 0 < quote.affordable_fraction < 1


# -- trade by target (μ′, σ′) ----------------------------------------------------------------------


def test_target_moves_the_market_to_the_forecast(alice, open_market, buy):
    buy(alice, target(120, 30))

    market = Market.objects.get(pk=open_market.pk)
    assert market.mean == pytest.approx(120, abs=1e-9)
    assert market.sd == pytest.approx(30, abs=1e-9)
    assert market.sequence == 2


def test_target_nets_the_seeds_raw_payoff_less_its_raw_cost(alice, open_market, buy):
    result = buy(alice, target(120, 30))

    # In the seed's raw view the trade buys δ = b·(θ′ − θ) of (x, x²) for C(q′) − C(q) = b·[A(θ′) − A(θ)].
    (t1, t2), (u1, u2) = raw_natural(100, 100), raw_natural(120, 30)
    delta_1, delta_2 = B * (u1 - t1), B * (u2 - t2)
    cost = B * (raw_log_partition(u1, u2) - raw_log_partition(t1, t2))
    for x in (0, 50, 120, 250, 300):
        net = delta_1 * x + delta_2 * x * x - cost
        assert result.position.wealth.at(open_market.range.to_z(x)) - BUDGET == pytest.approx(float(net), abs=1e-9)


def test_target_pays_the_log_score_at_every_outcome(alice, open_market, buy):
    result = buy(alice, target(120, 30))

    rng = open_market.range
    for x in (0, 50, 120, 250, 300):
        wealth = result.position.wealth.at(rng.to_z(x))
        assert wealth == pytest.approx(BUDGET + profit_at(x, (100, 100), (120, 30)), abs=1e-9)


def test_target_records_the_trade_in_the_ledger(alice, open_market, buy):
    result = buy(alice, target(120, 30))

    trade = Trade.objects.get()
    assert trade == result.trade
    assert (trade.kind, trade.sequence, trade.player_id, trade.fraction) == ("target", 2, alice.pk, 1.0)
    assert float(trade.target_mean) == 120 and float(trade.target_sd) == 30
    assert Position.objects.get(player=alice, market=open_market).trades == 1


def test_target_beyond_collateral_is_refused_with_the_affordable_move_named(alice, open_market, buy):
    before = rows()

    with pytest.raises(InsufficientCollateral) as refused:
        buy(alice, target(120, 10))

    details = refused.value.details
    assert 0 < details["affordable_fraction"] < 1
    assert 100 < details["affordable_mean"] < 120 + 1e-9
    assert details["worst_case"] < 0
    assert rows() == before


# -- as far as I can afford toward ---------------------------------------------------------------------


def test_toward_goes_as_far_as_the_budget_allows(alice, open_market, buy):
    result = buy(alice, toward(120, 10))

    assert 0 < result.trade.fraction < 1
    worst, _ = result.position.wealth.worst()
    assert 0 <= worst < 1e-6 * BUDGET  # the whole budget is at risk, and not a point more


def test_toward_with_the_whole_budget_at_risk_is_refused_not_settled_as_dust(alice, open_market, buy):
    buy(alice, toward(120, 10))  # the whole budget at risk
    before = rows()

    with pytest.raises(InsufficientCollateral) as refused:
        buy(alice, toward(60, 10))  # any step that way adds risk

    assert refused.value.details["affordable_fraction"] == 0.0
    assert rows() == before


def test_toward_an_affordable_target_goes_all_the_way(alice, open_market, buy):
    result = buy(alice, toward(120, 30))

    assert result.trade.fraction == 1.0
    assert Market.objects.get(pk=open_market.pk).mean == pytest.approx(120, abs=1e-9)


def test_toward_leaves_the_market_on_the_line_to_the_target(alice, open_market, buy):
    result = buy(alice, toward(120, 10))

    t = result.trade.fraction
    (a1, a2), (b1, b2) = gaussian.natural(100, 100), gaussian.natural(120, 10)
    mean, sd = gaussian.moments(a1 + t * (b1 - a1), a2 + t * (b2 - a2))
    market = Market.objects.get(pk=open_market.pk)
    assert market.mean == pytest.approx(mean, rel=1e-9)
    assert market.sd == pytest.approx(sd, rel=1e-9)


# -- raw shares (δ₁, δ₂) of x and x² ---------------------------------------------------------------


def test_shares_move_the_natural_parameters_by_delta_over_b(alice, open_market, buy):
    delta_1, delta_2 = 0.02, -0.0001
    buy(alice, shares(delta_1, delta_2))

    t1, t2 = gaussian.natural(100, 100)
    mean, sd = gaussian.moments(t1 + delta_1 / B, t2 + delta_2 / B)
    market = Market.objects.get(pk=open_market.pk)
    assert market.mean == pytest.approx(mean, rel=1e-9)
    assert market.sd == pytest.approx(sd, rel=1e-9)


def test_shares_are_recorded_in_the_seeds_raw_view(alice, open_market, buy):
    result = buy(alice, shares(0.02, -0.0001))

    delta_1, delta_2 = result.trade.shares_x
    assert delta_1 == pytest.approx(0.02, rel=1e-9)
    assert delta_2 == pytest.approx(-0.0001, rel=1e-9)


def test_shares_pay_delta_1_x_plus_delta_2_x_squared_less_the_cost(alice, open_market, buy):
    result = buy(alice, shares(0.02, -0.0001))

    t1, t2 = raw_natural(100, 100)
    cost = B * (raw_log_partition(t1 + mpmath.mpf(0.02) / B, t2 + mpmath.mpf(-0.0001) / B) - raw_log_partition(t1, t2))
    for x in (0.0, 90.0, 300.0):
        net = 0.02 * x - 0.0001 * x * x - float(cost)
        assert result.position.wealth.at(open_market.range.to_z(x)) == pytest.approx(BUDGET + net, abs=1e-9)


def test_shares_that_would_make_theta_2_non_negative_are_refused(alice, open_market, buy):
    before = rows()

    with pytest.raises(InvalidCurve):
        buy(alice, shares(0, 0.01))  # θ₂ = −1/20000 + 0.01/30 > 0

    assert rows() == before


# -- close my position ----------------------------------------------------------------------------


def test_close_sells_every_share_back(alice, open_market, buy):
    buy(alice, target(120, 30))

    result = buy(alice, CLOSE)

    wealth = result.position.wealth
    assert wealth.linear == pytest.approx(0, abs=1e-9)
    assert wealth.quadratic == pytest.approx(0, abs=1e-9)


def test_close_alone_in_a_market_refunds_the_cost(alice, open_market, buy):
    buy(alice, target(120, 30))

    result = buy(alice, CLOSE)

    assert result.position.wealth.const == pytest.approx(BUDGET, abs=1e-9)
    market = Market.objects.get(pk=open_market.pk)
    assert (market.mean, market.sd) == (pytest.approx(100, abs=1e-9), pytest.approx(100, abs=1e-9))


def test_close_after_others_moved_the_market_locks_in_profit(alice, bob, open_market, buy):
    buy(alice, target(150, 40))
    buy(bob, target(150, 30))  # Bob agrees: Alice's shares are now worth more

    result = buy(alice, CLOSE)

    assert result.position.wealth.const > BUDGET
    assert result.position.wealth.linear == pytest.approx(0, abs=1e-9)


def test_close_sells_back_as_much_as_it_can_when_the_market_grew_too_wide_to_take_it_all(alice, bob, open_market, buy):
    held = buy(alice, toward(120, 20)).position.wealth  # Alice holds many x² shares: a narrow bet
    buy(bob, target(110, 80))  # Bob widens the market past what those shares allow (θ₂ − h₂/b ≥ 0)

    result = buy(alice, CLOSE)

    after = result.position.wealth
    assert 0 < result.trade.fraction <= 1
    assert abs(after.quadratic) < abs(held.quadratic)  # part of the bet is sold back
    assert after.worst()[0] >= 0


def test_close_with_no_position_is_refused(alice, open_market, buy):
    before = rows()

    with pytest.raises(InvalidCurve):
        buy(alice, CLOSE)

    assert rows() == before


def test_selling_back_toward_the_market_is_allowed_when_at_the_limit(alice, open_market, buy):
    buy(alice, toward(120, 10))  # all of the budget at risk

    result = buy(alice, target(110, 50))  # reduces the risk

    assert result.position.wealth.worst()[0] > 0


# -- idempotency ----------------------------------------------------------------------------------


def test_a_replayed_key_returns_the_first_result(alice, open_market):
    first = services.place_trade(alice, open_market.pk, target(120, 30), idempotency_key="click-1")
    before = rows()

    again = services.place_trade(alice, open_market.pk, target(120, 30), idempotency_key="click-1")

    assert again.replayed and not first.replayed
    assert again.trade == first.trade
    assert rows() == before


def test_a_replayed_key_returns_the_first_result_after_the_market_moved(alice, bob, open_market, buy):
    first = services.place_trade(alice, open_market.pk, target(120, 30), idempotency_key="click-1")
    buy(bob, target(90, 40))
    before = rows()

    again = services.place_trade(alice, open_market.pk, target(120, 30), idempotency_key="click-1", quoted_sequence=1)

    assert again.replayed
    assert again.trade.pk == first.trade.pk and again.trade.cost == first.trade.cost
    assert rows() == before


def test_a_replayed_key_returns_the_first_result_after_the_market_closed(host, alice, open_market):
    first = services.place_trade(alice, open_market.pk, target(120, 30), idempotency_key="click-1")
    services.close_market(host, open_market.pk)
    before = rows()

    again = services.place_trade(alice, open_market.pk, target(120, 30), idempotency_key="click-1")

    assert again.replayed and again.trade.pk == first.trade.pk
    assert rows() == before


def test_a_replayed_key_ignores_a_changed_order(alice, open_market):
    first = services.place_trade(alice, open_market.pk, target(120, 30), idempotency_key="click-1")

    again = services.place_trade(alice, open_market.pk, target(200, 50), idempotency_key="click-1")

    assert again.replayed and again.trade.pk == first.trade.pk
    assert Trade.objects.count() == 1


def test_idempotency_keys_belong_to_one_player(alice, bob, open_market):
    services.place_trade(alice, open_market.pk, target(120, 30), idempotency_key="click-1")

    theirs = services.place_trade(bob, open_market.pk, target(110, 40), idempotency_key="click-1")

    assert not theirs.replayed
    assert Trade.objects.count() == 2


def test_a_key_reused_in_another_market_is_a_conflict(host, game, alice, open_market):
    second = services.add_market(host, game, question="Second?", lo=0, hi=10)
    services.place_trade(alice, open_market.pk, target(120, 30), idempotency_key="click-1")
    services.open_market(host, second.pk, close_others=True)
    before = rows()

    with pytest.raises(services.IdempotencyConflict):
        services.place_trade(alice, second.pk, target(6, 2), idempotency_key="click-1")

    assert rows() == before


def test_a_refused_trade_does_not_use_up_its_key(alice, open_market):
    with pytest.raises(InsufficientCollateral):
        services.place_trade(alice, open_market.pk, target(120, 10), idempotency_key="click-1")

    result = services.place_trade(alice, open_market.pk, target(120, 30), idempotency_key="click-1")

    assert not result.replayed


# -- slippage guards ------------------------------------------------------------------------------


def test_max_cost_above_the_cost_lets_the_trade_through(alice, open_market, buy):
    _, quote = services.quote_order(alice, open_market.pk, target(120, 30))

    result = buy(alice, target(120, 30), max_cost=quote.move.cost)

    assert result.trade.cost == quote.move.cost


def test_max_cost_below_the_cost_refuses_and_changes_nothing(alice, open_market, buy):
    _, quote = services.quote_order(alice, open_market.pk, target(120, 30))
    before = rows()

    with pytest.raises(services.CostLimitExceeded) as refused:
        buy(alice, target(120, 30), max_cost=quote.move.cost - 0.01)

    assert refused.value.details["cost"] == quote.move.cost
    assert rows() == before
    market = Market.objects.get(pk=open_market.pk)
    assert (market.sequence, market.mean_z, market.sd_z) == (1, open_market.mean_z, open_market.sd_z)
    assert not Position.objects.exists() and not Trade.objects.exists()


def test_max_loss_is_the_most_points_the_trade_may_lose(alice, open_market, buy):
    _, quote = services.quote_order(alice, open_market.pk, target(120, 30))
    before = rows()

    with pytest.raises(services.CostLimitExceeded) as refused:
        buy(alice, target(120, 30), max_loss=-quote.move.worst - 0.01)

    assert refused.value.code == "max_loss_exceeded"
    assert refused.value.details["worst_case"] == quote.move.worst
    assert rows() == before
    assert buy(alice, target(120, 30), max_loss=-quote.move.worst).trade.worst_case == quote.move.worst


def test_max_cost_refuses_after_the_market_moved_and_the_price_rose(alice, bob, open_market, buy):
    _, quote = services.quote_order(alice, open_market.pk, target(150, 30))
    buy(bob, target(150, 40))  # Bob buys first: Alice's move now costs more
    assert services.quote_order(alice, open_market.pk, target(150, 30))[1].move.cost > quote.move.cost
    position = Position.objects.get(player=bob)
    before = rows()

    with pytest.raises(services.CostLimitExceeded):
        buy(alice, target(150, 30), max_cost=quote.move.cost)

    assert rows() == before
    assert Position.objects.get(player=bob).wealth == position.wealth


def test_quoted_sequence_of_the_current_market_lets_the_trade_through(alice, open_market, buy):
    market, _ = services.quote_order(alice, open_market.pk, target(120, 30))

    result = buy(alice, target(120, 30), quoted_sequence=market.sequence)

    assert result.trade.sequence == market.sequence + 1


def test_a_stale_quoted_sequence_refuses_and_changes_nothing(alice, bob, open_market, buy):
    market, _ = services.quote_order(alice, open_market.pk, target(120, 30))
    buy(bob, target(90, 40))
    before = rows()

    with pytest.raises(services.StaleQuote) as refused:
        buy(alice, target(120, 30), quoted_sequence=market.sequence)

    assert refused.value.details == {"quoted_sequence": 1, "sequence": 2}
    assert rows() == before
    assert Market.objects.get(pk=open_market.pk).sequence == 2
    assert Trade.objects.count() == 1
    assert not Position.objects.filter(player=alice).exists()


def test_a_pause_makes_a_quote_stale(host, alice, open_market, buy):
    market, _ = services.quote_order(alice, open_market.pk, target(120, 30))
    services.pause_market(host, open_market.pk)
    services.open_market(host, open_market.pk)

    with pytest.raises(services.StaleQuote):
        buy(alice, target(120, 30), quoted_sequence=market.sequence)


# -- several traders ------------------------------------------------------------------------------


def test_each_trade_takes_the_next_sequence_number(alice, bob, open_market, buy):
    results = [buy(alice, target(120, 30)), buy(bob, target(90, 40)), buy(alice, target(110, 35))]

    assert [r.trade.sequence for r in results] == [2, 3, 4]
    assert Market.objects.get(pk=open_market.pk).sequence == 4


def test_a_trade_is_priced_from_where_the_last_one_left_the_market(alice, bob, open_market, buy):
    buy(alice, target(120, 30))

    result = buy(bob, target(90, 40))

    rng = open_market.range
    for x in (0.0, 100.0, 300.0):
        expected = BUDGET + profit_at(x, (120, 30), (90, 40))
        assert result.position.wealth.at(rng.to_z(x)) == pytest.approx(expected, abs=1e-9)


def test_a_position_sums_the_players_trades(alice, bob, open_market, buy):
    buy(alice, target(120, 30))
    buy(bob, target(90, 40))
    result = buy(alice, target(110, 35))

    rng = open_market.range
    for x in (10.0, 100.0, 290.0):
        expected = BUDGET + profit_at(x, (100, 100), (120, 30)) + profit_at(x, (90, 40), (110, 35))
        assert result.position.wealth.at(rng.to_z(x)) == pytest.approx(expected, abs=1e-9)
    assert result.position.trades == 2


def test_the_market_keeps_exact_numbers_far_from_zero(host, game, alice, buy):
    from decimal import Decimal

    market = services.add_market(
        host, game, question="Population?", lo=Decimal("1e9"), hi=Decimal("1e9") + 100, sd_min=Decimal("0.5")
    )
    services.open_market(host, market.pk, close_others=True)

    result = buy(alice, target(Decimal("1000000060.3"), 20), market=market)

    market.refresh_from_db()
    assert market.mean == pytest.approx(1_000_000_060.3, abs=1e-5)
    assert math.isfinite(result.trade.cost) and result.position.wealth.worst()[0] >= 0


def test_order_of_an_unknown_kind_is_refused(alice, open_market, buy):
    with pytest.raises(InvalidCurve):
        buy(alice, Order("limit", mean=120, sd=30))
