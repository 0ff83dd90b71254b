"""Leaderboards: profit per market and per game (marked to market until resolution), and accuracy."""

from __future__ import annotations

import math

import pytest
from scipy.stats import norm

from mmgame import queries, services

from .ledger import target

pytestmark = pytest.mark.django_db

B, BUDGET = 30.0, 1000.0


def kl(after: tuple[float, float], before: tuple[float, float]) -> float:
    """KL(N(after) ‖ N(before)): what a move earns in expectation if the new curve is right."""
    (m1, s1), (m0, s0) = after, before
    return math.log(s0 / s1) + (s1**2 + (m1 - m0) ** 2) / (2 * s0**2) - 0.5


def scores(standings) -> dict[str, float]:
    return {s.nickname: s.score for s in standings}


def ranks(standings) -> dict[str, int]:
    return {s.nickname: s.rank for s in standings}


@pytest.fixture
def traded(open_market, alice, bob, buy):
    """Alice moved the market to N(120, 30²), then Bob to N(150, 40²)."""
    buy(alice, target(120, 30))
    buy(bob, target(150, 40))
    return open_market


@pytest.fixture
def resolved(host, traded):
    services.close_market(host, traded.pk)
    return services.resolve_market(host, traded.pk, 130)


# -- profit ---------------------------------------------------------------------------------------


def test_market_profit_is_marked_to_the_market_before_resolution(traded):
    board = scores(queries.market_leaderboard(traded))

    # Bob's move was the last: under the market's own curve it is worth b·KL(new ‖ old) to him.
    assert board["Bob"] == pytest.approx(B * kl((150, 40), (120, 30)), rel=1e-9)


def test_market_profit_of_an_earlier_trader_follows_the_markets_curve(traded):
    board = scores(queries.market_leaderboard(traded))

    # E under N(150, 40²) of b·[ln p_(120,30)(x) − ln p_(100,100)(x)] = b·[KL(q‖prior) − KL(q‖mine)].
    expected = B * (kl((150, 40), (100, 100)) - kl((150, 40), (120, 30)))
    assert board["Alice"] == pytest.approx(expected, rel=1e-9)


def test_market_profit_after_resolution_is_payout_less_budget(resolved):
    board = scores(queries.market_leaderboard(resolved))

    assert board["Alice"] == pytest.approx(B * (norm.logpdf(130, 120, 30) - norm.logpdf(130, 100, 100)), abs=1e-9)
    assert board["Bob"] == pytest.approx(B * (norm.logpdf(130, 150, 40) - norm.logpdf(130, 120, 30)), abs=1e-9)


def test_market_leaderboard_lists_players_who_did_not_trade_at_zero(traded, carol):
    board = scores(queries.market_leaderboard(traded))

    assert board["Carol"] == 0.0


def test_market_leaderboard_ranks_best_first(resolved):
    board = queries.market_leaderboard(resolved)

    assert [s.score for s in board] == sorted((s.score for s in board), reverse=True)
    assert [s.rank for s in board] == [1, 2]


def test_equal_scores_share_a_rank(open_market, alice, bob, carol, buy):
    buy(alice, target(120, 30))
    board = queries.market_leaderboard(open_market)

    assert ranks(board) == {"Alice": 1, "Bob": 2, "Carol": 2}


def test_ranks_skip_after_a_tie_competition_ranking():
    assert queries.leaderboards.competition_ranks([5.0, 3.0, 3.0, 1.0, 1.0, 0.5]) == [1, 2, 2, 4, 4, 6]
    assert queries.leaderboards.competition_ranks([]) == []


def test_practice_traders_are_ranked_on_no_board_unless_the_host_includes_them(host, game, traded, buy):
    bot = services.add_practice_traders(host, game, count=1, knowledge="noise")[0].player
    buy(bot, target(128, 20))
    services.close_market(host, traded.pk)
    services.resolve_market(host, traded.pk, 130)

    def boards() -> list:
        return [
            queries.game_leaderboard(game),
            queries.market_leaderboard(traded),
            queries.accuracy_leaderboard(traded),
        ]

    assert [sorted(ranks(board)) for board in boards()] == [["Alice", "Bob"]] * 3
    assert [[s.nickname for s in board.left_out] for board in boards()] == [[bot.nickname]] * 3
    game = services.set_include_bots(host, game, include_bots=True)
    assert [sorted(ranks(board)) for board in boards()] == [["Alice", "Bob", bot.nickname]] * 3
    assert [board.left_out for board in boards()] == [[]] * 3


def test_kicked_players_leave_the_leaderboard(host, traded, bob):
    services.kick_player(host, bob)

    assert "Bob" not in scores(queries.market_leaderboard(traded))


def test_game_profit_adds_up_every_market(host, game, traded, alice, bob, buy):
    second = services.add_market(host, game, question="Second?", lo=0, hi=10, prior_mean=5, prior_sd=2, liquidity=20)
    services.open_market(host, second.pk, close_others=True)
    buy(alice, target(6, 1), market=second)

    per_market = [scores(queries.market_leaderboard(m)) for m in (traded, second)]
    board = scores(queries.game_leaderboard(game))

    assert board["Alice"] == pytest.approx(per_market[0]["Alice"] + per_market[1]["Alice"], rel=1e-12)
    assert board["Bob"] == pytest.approx(per_market[0]["Bob"] + per_market[1]["Bob"], rel=1e-12)
    assert per_market[1]["Alice"] == pytest.approx(20 * kl((6, 1), (5, 2)), rel=1e-9)


def test_game_profit_mixes_resolved_and_open_markets(host, game, resolved, alice, buy):
    second = services.add_market(host, game, question="Second?", lo=0, hi=10, prior_mean=5, prior_sd=2, liquidity=20)
    services.open_market(host, second.pk, close_others=True)
    buy(alice, target(6, 1), market=second)

    board = scores(queries.game_leaderboard(game))

    realised = B * (norm.logpdf(130, 120, 30) - norm.logpdf(130, 100, 100))
    assert board["Alice"] == pytest.approx(realised + 20 * kl((6, 1), (5, 2)), rel=1e-9)


# -- accuracy -------------------------------------------------------------------------------------


def test_accuracy_is_empty_before_resolution(traded):
    assert queries.accuracy_leaderboard(traded) == []


def test_accuracy_scores_each_players_last_forecast_against_the_prior(resolved):
    board = scores(queries.accuracy_leaderboard(resolved))

    assert board["Alice"] == pytest.approx(norm.logpdf(130, 120, 30) - norm.logpdf(130, 100, 100), abs=1e-9)
    assert board["Bob"] == pytest.approx(norm.logpdf(130, 150, 40) - norm.logpdf(130, 100, 100), abs=1e-9)


def test_accuracy_uses_only_the_last_forecast(host, open_market, alice, bob, buy):
    buy(alice, target(180, 40))
    buy(alice, target(128, 25))
    services.close_market(host, open_market.pk)
    services.resolve_market(host, open_market.pk, 130)

    board = scores(queries.accuracy_leaderboard(open_market))

    assert board["Alice"] == pytest.approx(norm.logpdf(130, 128, 25) - norm.logpdf(130, 100, 100), abs=1e-9)


def test_accuracy_leaves_out_players_who_did_not_trade(resolved, carol):
    assert "Carol" not in scores(queries.accuracy_leaderboard(resolved))


def test_accuracy_ranks_the_closest_forecast_first(resolved):
    board = queries.accuracy_leaderboard(resolved)

    assert board[0].nickname == "Alice"  # N(120, 30²) puts more weight on 130 than N(150, 40²)
    assert [s.rank for s in board] == [1, 2]


def test_leaderboards_read_the_market_as_it_is_now(host, open_market, alice, buy):
    stale_copy = open_market  # loaded before the trade and the resolution
    buy(alice, target(120, 30))
    services.close_market(host, open_market.pk)
    services.resolve_market(host, open_market.pk, 130)

    assert scores(queries.market_leaderboard(stale_copy))["Alice"] == pytest.approx(
        B * (norm.logpdf(130, 120, 30) - norm.logpdf(130, 100, 100)), abs=1e-9
    )
    assert scores(queries.accuracy_leaderboard(stale_copy))["Alice"] == pytest.approx(
        norm.logpdf(130, 120, 30) - norm.logpdf(130, 100, 100), abs=1e-9
    )


def test_accuracy_scores_the_forecast_a_player_asked_for_even_when_collateral_cut_the_trade(
    host, open_market, alice, buy
):
    cut = buy(alice, services.trading.Order("toward", mean=250, sd=5))
    assert cut.trade.fraction < 1  # the market stopped short of N(250, 5²)
    services.close_market(host, open_market.pk)
    market = services.resolve_market(host, open_market.pk, 250)

    [row] = queries.accuracy_leaderboard(market)

    # ln N(250; 250, 5²) − ln N(250; 100, 100²), in the question's units (the Jacobian cancels).
    assert row.score == pytest.approx(norm.logpdf(250, 250, 5) - norm.logpdf(250, 100, 100), rel=1e-9)


def test_the_crowds_forecast_averages_forecasts_not_scores(host, open_market, alice, bob, buy):
    buy(alice, target(140, 20))
    buy(bob, target(160, 40))
    services.close_market(host, open_market.pk)
    market = services.resolve_market(host, open_market.pk, 150)

    # The mixture ½N(140, 20²) + ½N(160, 40²) matched by moments: mean 150, variance (400 + 1600)/2 + 100.
    sd = math.sqrt(1100)
    expected = norm.logpdf(150, 150, sd) - norm.logpdf(150, 100, 100)
    assert queries.crowd_score(market) == pytest.approx(expected, rel=1e-9)
