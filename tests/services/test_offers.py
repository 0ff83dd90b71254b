"""The next moves offered after a trade (mmgame.services.offers): affordable, priced by the engine."""

from __future__ import annotations

import pytest
from django.utils import translation

from mmgame import languages, services
from mmgame.market import InvalidCurve, Order, UnfairCurve, Wealth, quote
from mmgame.services.offers import next_moves
from tests.market.test_offers import market, order


def test_after_a_trade_the_next_moves_are_affordable_and_a_wider_one_risks_little() -> None:
    """Never a dead end: from a narrow forecast the trader can afford, being less sure and closing are offered,
    each priced by the engine; widening loses most inside the range, not at an edge."""
    m = market("speed")
    wealth = Wealth(1000)
    priced = quote(m, wealth, order(m, 343, 250))
    assert priced.affordable
    after, wealth = m.trade(priced.move), priced.wealth_after
    offered = next_moves(after, wealth, before=m.curve)
    kinds = [move["kind"] for move in offered["moves"]]
    assert kinds == ["wider", "close"], offered
    for move in offered["moves"]:
        taken = quote(after, wealth, Order(**move["order"]))
        assert taken.affordable and taken.worst_case >= 0
    wider = quote(after, wealth, Order(**offered["moves"][0]["order"]))
    assert wider.move.after.mean == after.curve.mean  # the same middle, less sure
    assert -1 < wider.move.pnl.worst()[1] < 1  # the vertex of a convex loss, inside the range
    close = quote(after, wealth, Order("close"))
    assert close.wealth_after.worst()[0] == pytest.approx(close.wealth_after.best()[0])  # the same whatever happens
    assert next_moves(m, Wealth(1000))["moves"][0]["kind"] == "wider"  # nothing held: nothing to close


# -- refusals that carry an offer -------------------------------------------------------------------


@pytest.fixture
def guessing(host, market):
    from tests.services.test_guesses import to

    return to(host, market, "question", "guess")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("mean", "sd", "reason"), [(300, 30, "at_edge"), (150, 400, "too_wide"), (120, 0.2, "too_narrow")]
)
def test_a_refused_guess_carries_the_nearest_allowed_one_and_taking_it_is_accepted(guessing, alice, mean, sd, reason):
    with pytest.raises(InvalidCurve) as refused:
        services.submit_guess(alice, guessing.pk, Order("target", mean=mean, sd=sd))
    offer = refused.value.details["offer"]
    assert offer["reason"] == reason
    assert " allowed " in refused.value.message  # the API says it too; the phone words the reason itself
    guess = services.submit_guess(alice, guessing.pk, Order("target", mean=offer["mean"], sd=offer["sd"]))
    assert guess.pk is not None


@pytest.mark.django_db
def test_a_refusal_and_its_offer_are_said_wholly_in_the_readers_language(open_market, alice):
    with pytest.raises(UnfairCurve) as refused:
        services.quote_order(alice, open_market.pk, Order("target", mean=290, sd=150))
    message = refused.value.message
    assert "; the nearest" in str(message)
    with translation.override("es"):
        spanish, parts = languages.said(message), [languages.said(message.values[key]) for key in ("first", "then")]
    assert spanish == "; ".join(parts)
    assert parts[0].startswith("esa curva regala puntos") and parts[1].startswith("lo más cercano")
    assert "nearest" not in spanish and "free points" not in spanish


@pytest.mark.django_db
def test_a_quote_beyond_the_budget_offers_the_same_middle_wider_and_it_trades(open_market, alice):
    _, priced = services.quote_order(alice, open_market.pk, Order("target", mean=250, sd=3))
    assert not priced.affordable
    offer = priced.offer
    assert offer["reason"] == "unaffordable" and offer["mean"] == 250 and offer["sd"] > 3
    result = services.place_trade(
        alice, open_market.pk, Order("target", mean=offer["mean"], sd=offer["sd"]), idempotency_key="offer-1"
    )
    assert result.trade.fraction == 1
    assert result.position.wealth.worst()[0] >= 0


@pytest.mark.django_db
def test_an_unfair_trade_is_refused_with_an_affordable_offer(open_market, alice):
    with pytest.raises(UnfairCurve) as refused:
        services.quote_order(alice, open_market.pk, Order("target", mean=290, sd=150))
    offer = refused.value.details["offer"]
    _, priced = services.quote_order(alice, open_market.pk, Order("target", mean=offer["mean"], sd=offer["sd"]))
    assert priced.affordable


def test_where_less_sure_is_no_move_halfway_back_is_offered() -> None:
    """At the widest fair curve there is nothing wider: a smaller version of the last trade is offered instead."""
    m = market("speed")
    wealth = Wealth(1000)
    priced = quote(m, wealth, order(m, 1000, 1000))  # the widest curve the range allows at its middle
    after, wealth = m.trade(priced.move), priced.wealth_after
    offered = next_moves(after, wealth, before=m.curve)
    assert [move["kind"] for move in offered["moves"]] == ["back", "close"], offered
    back = quote(after, wealth, Order(**offered["moves"][0]["order"]))
    assert back.affordable and m.curve.sd < back.move.after.sd < after.curve.sd
