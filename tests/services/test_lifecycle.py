"""A market's life: open, pause, close, resolve, each by the host alone."""

from __future__ import annotations

from decimal import Decimal

import pytest
from scipy.stats import norm

from mmgame import services
from mmgame.market import InvalidNumber
from mmgame.models import Game, Market, Position

from .ledger import rows, target

pytestmark = pytest.mark.django_db

B, BUDGET = 30.0, 1000.0


@pytest.fixture
def closed_market(host, open_market, alice, bob, buy):
    """Alice and Bob traded, then the host closed the market."""
    buy(alice, target(120, 30))
    buy(bob, target(150, 40))
    return services.close_market(host, open_market.pk)


def status(market) -> str:
    return Market.objects.get(pk=market.pk).status


# -- open, pause, close ---------------------------------------------------------------------------


def test_open_a_draft_market(host, market):
    services.open_market(host, market.pk)

    assert status(market) == Market.Status.OPEN


def test_opening_the_first_market_starts_the_game(host, game, market):
    services.open_market(host, market.pk)

    assert Game.objects.get(pk=game.pk).status == Game.Status.PLAYING


def test_pause_and_reopen_a_market(host, open_market):
    services.pause_market(host, open_market.pk)
    assert status(open_market) == Market.Status.PAUSED

    services.open_market(host, open_market.pk)
    assert status(open_market) == Market.Status.OPEN


def test_close_an_open_market(host, open_market):
    services.close_market(host, open_market.pk)

    assert status(open_market) == Market.Status.CLOSED


def test_close_a_paused_market(host, open_market):
    services.pause_market(host, open_market.pk)

    services.close_market(host, open_market.pk)

    assert status(open_market) == Market.Status.CLOSED


def test_each_status_change_takes_the_next_sequence_number(host, market):
    assert services.open_market(host, market.pk).sequence == 1
    assert services.pause_market(host, market.pk).sequence == 2
    assert services.close_market(host, market.pk).sequence == 3


def test_asking_for_the_current_status_changes_nothing(host, open_market):
    before = rows()

    services.open_market(host, open_market.pk)

    assert rows() == before


@pytest.mark.parametrize(
    ("setup", "change"),
    [
        ([], "pause_market"),
        ([], "close_market"),
        (["open_market", "close_market"], "open_market"),
        (["open_market", "close_market"], "pause_market"),
    ],
    ids=["pause-draft", "close-draft", "reopen-closed", "pause-closed"],
)
def test_a_status_change_the_life_cycle_forbids_is_refused(host, market, setup, change):
    for step in setup:
        getattr(services, step)(host, market.pk)
    before = rows()

    with pytest.raises(services.InvalidTransition):
        getattr(services, change)(host, market.pk)

    assert rows() == before


@pytest.mark.parametrize("change", ["open_market", "pause_market", "close_market"])
def test_a_status_change_by_a_non_host_is_forbidden(other_host, open_market, change):
    if change == "open_market":
        services.pause_market(open_market.game.host, open_market.pk)
    before = rows()

    with pytest.raises(services.NotFound):
        getattr(services, change)(other_host, open_market.pk)

    assert rows() == before


def test_opening_by_an_anonymous_visitor_is_forbidden(market):
    from django.contrib.auth.models import AnonymousUser

    before = rows()

    with pytest.raises(services.NotFound):
        services.open_market(AnonymousUser(), market.pk)

    assert rows() == before


def test_a_status_change_of_an_unknown_market_is_not_found(host, market):
    with pytest.raises(services.NotFound):
        services.open_market(host, market.pk + 1000)


# -- resolve --------------------------------------------------------------------------------------


def test_resolve_pays_each_position_its_wealth_at_the_outcome(host, closed_market, alice, bob):
    services.resolve_market(host, closed_market.pk, 130)

    x = 130
    alice_expected = BUDGET + B * (norm.logpdf(x, 120, 30) - norm.logpdf(x, 100, 100))
    bob_expected = BUDGET + B * (norm.logpdf(x, 150, 40) - norm.logpdf(x, 120, 30))
    assert Position.objects.get(player=alice).payout == pytest.approx(alice_expected, abs=1e-9)
    assert Position.objects.get(player=bob).payout == pytest.approx(bob_expected, abs=1e-9)


def test_resolve_records_the_outcome_and_the_house_result(host, closed_market):
    market = services.resolve_market(host, closed_market.pk, 130)

    market.refresh_from_db()
    assert market.status == Market.Status.RESOLVED
    assert market.outcome == Decimal(130)
    assert market.resolved_at is not None
    assert market.house_result == pytest.approx(-B * (norm.logpdf(130, 150, 40) - norm.logpdf(130, 100, 100)))


def test_resolve_balances_the_books(host, closed_market):
    market = services.resolve_market(host, closed_market.pk, 130)

    payouts = sum(p.payout for p in Position.objects.filter(market=market))
    budgets = sum(p.budget for p in Position.objects.filter(market=market))
    assert payouts + market.house_result == pytest.approx(budgets, abs=1e-6)


def test_resolve_clamps_the_outcome_to_the_range(host, closed_market, alice):
    services.resolve_market(host, closed_market.pk, 1000)

    market = Market.objects.get(pk=closed_market.pk)
    assert market.outcome == Decimal(300)
    expected = BUDGET + B * (norm.logpdf(300, 120, 30) - norm.logpdf(300, 100, 100))
    assert Position.objects.get(player=alice).payout == pytest.approx(expected, abs=1e-9)


def test_resolve_clamps_an_outcome_below_the_range(host, closed_market):
    services.resolve_market(host, closed_market.pk, -5)

    assert Market.objects.get(pk=closed_market.pk).outcome == Decimal(0)


@pytest.mark.parametrize(("outcome", "settled"), [(12.4, 12), (12.5, 13), (Decimal("12.6"), 13), (-3.7, 0)])
def test_resolve_rounds_a_whole_number_question(host, game, alice, outcome, settled):
    market = services.add_market(host, game, question="Beans?", lo=0, hi=40, integer=True)
    services.open_market(host, market.pk)
    services.close_market(host, market.pk)

    services.resolve_market(host, market.pk, outcome)

    assert Market.objects.get(pk=market.pk).outcome == Decimal(settled)


def test_resolve_again_with_the_same_outcome_changes_nothing(host, closed_market):
    services.resolve_market(host, closed_market.pk, 130)
    before = rows()

    market = services.resolve_market(host, closed_market.pk, 130)

    assert market.status == Market.Status.RESOLVED
    assert rows() == before


def test_resolve_again_with_the_same_fractional_outcome_changes_nothing(host, closed_market):
    services.resolve_market(host, closed_market.pk, 123.456)
    before = rows()

    services.resolve_market(host, closed_market.pk, 123.456)

    assert rows() == before


def test_resolve_again_with_an_outcome_that_clamps_the_same_changes_nothing(host, closed_market):
    services.resolve_market(host, closed_market.pk, 400)
    before = rows()

    services.resolve_market(host, closed_market.pk, 300)

    assert rows() == before


def test_resolve_again_with_another_outcome_is_refused(host, closed_market):
    services.resolve_market(host, closed_market.pk, 130)
    before = rows()

    with pytest.raises(services.InvalidTransition) as refused:
        services.resolve_market(host, closed_market.pk, 131)

    assert refused.value.details["outcome"]
    assert rows() == before


@pytest.mark.parametrize(
    "setup", [[], ["open_market"], ["open_market", "pause_market"]], ids=["draft", "open", "paused"]
)
def test_resolve_before_closing_is_refused(host, market, setup):
    for step in setup:
        getattr(services, step)(host, market.pk)
    before = rows()

    with pytest.raises(services.InvalidTransition):
        services.resolve_market(host, market.pk, 100)

    assert rows() == before


def test_resolve_by_a_non_host_is_forbidden(other_host, closed_market):
    before = rows()

    with pytest.raises(services.NotFound):
        services.resolve_market(other_host, closed_market.pk, 130)

    assert rows() == before


@pytest.mark.parametrize("outcome", [float("nan"), float("inf"), float("-inf"), "130", None, True, 1e300])
def test_resolve_refuses_an_outcome_that_is_not_a_number(host, closed_market, outcome):
    before = rows()

    with pytest.raises(InvalidNumber):
        services.resolve_market(host, closed_market.pk, outcome)

    assert rows() == before


def test_resolve_a_market_nobody_traded(host, market):
    services.open_market(host, market.pk)
    services.close_market(host, market.pk)

    resolved = services.resolve_market(host, market.pk, 42)

    assert resolved.house_result == pytest.approx(0.0, abs=1e-12)


def test_finish_game_is_for_the_host_only(other_host, game):
    with pytest.raises(services.NotFound):
        services.finish_game(other_host, game)

    assert Game.objects.get(pk=game.pk).status == Game.Status.LOBBY


def test_finishing_the_game_closes_the_markets_still_trading(host, game, open_market):
    services.finish_game(host, game)

    open_market.refresh_from_db()
    assert open_market.status == Market.Status.CLOSED
    assert Game.objects.get(pk=game.pk).status == Game.Status.FINISHED


def test_a_market_of_a_finished_game_cannot_reopen(host, game, open_market):
    services.finish_game(host, game)
    before = rows()

    with pytest.raises(services.InvalidTransition):
        services.open_market(host, open_market.pk)

    assert rows() == before


def test_a_float_outcome_resolves_at_the_decimal_it_prints_as(host, open_market):
    services.close_market(host, open_market.pk)

    market = services.resolve_market(host, open_market.pk, 123.3)

    assert Market.objects.get(pk=market.pk).outcome == Decimal("123.3")
