"""What the models derive from their columns: wealth curves, the seed's raw view, the engine."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mmgame import services
from mmgame.market import Order, Wealth
from mmgame.models import Market, Player, Position, Trade
from mmgame.models.player import nickname_key
from mmgame.nicknames import skeleton

pytestmark = pytest.mark.django_db


def test_position_wealth_round_trips_through_its_columns(market, alice):
    position = Position(market=market, player=alice, budget=1000, wealth_const=0)
    position.wealth = Wealth(900.5, -12.25, -3.5)
    position.save()

    assert Position.objects.get(pk=position.pk).wealth == Wealth(900.5, -12.25, -3.5)


def test_position_profit_is_unknown_until_paid(market, alice):
    position = Position(market=market, player=alice, budget=1000, wealth_const=1000)
    assert position.profit is None

    position.payout = 1250.0
    assert position.profit == 250.0


def test_market_engine_starts_at_the_prior(market):
    engine = Market.objects.get(pk=market.pk).engine

    assert (engine.mean, engine.sd) == (pytest.approx(100), pytest.approx(100))
    assert engine.curve == engine.prior


def test_market_engine_follows_the_stored_curve(market):
    Market.objects.filter(pk=market.pk).update(mean_z=0.25, sd_z=0.125)

    engine = Market.objects.get(pk=market.pk).engine

    assert (engine.curve.mean, engine.curve.sd) == (0.25, 0.125)
    assert (engine.mean, engine.sd) == (pytest.approx(187.5), pytest.approx(18.75))
    assert (engine.prior.mean, engine.prior.sd) == (pytest.approx(-1 / 3), pytest.approx(2 / 3))


def test_market_quantities_keep_their_decimals(host, game):
    market = services.add_market(
        host, game, question="Far out?", lo=Decimal("1e9"), hi=Decimal("1e9") + 1, prior_mean=Decimal("1000000000.3")
    )

    stored = Market.objects.get(pk=market.pk)

    assert stored.prior_mean == Decimal("1000000000.3")
    assert stored.lo == Decimal("1e9")


def test_trade_shares_x_give_the_seeds_raw_securities(host, open_market, alice):
    result = services.place_trade(
        alice, open_market.pk, Order("shares", delta_1=0.03, delta_2=-2e-4), idempotency_key="raw"
    )

    trade = Trade.objects.get(pk=result.trade.pk)
    assert trade.shares_x == (pytest.approx(0.03, rel=1e-12), pytest.approx(-2e-4, rel=1e-12))


def test_trade_mean_and_sd_after_are_in_the_questions_units(open_market, alice):
    services.place_trade(alice, open_market.pk, Order("target", mean=120, sd=30), idempotency_key="t")

    trade = Trade.objects.get()
    assert (trade.mean_after, trade.sd_after) == (pytest.approx(120), pytest.approx(30))


def test_a_player_keeps_the_skeleton_of_the_casefolded_nickname_as_its_key(game):
    player = Player.objects.create(game=game, nickname="Ünal")

    saved = Player.objects.get(pk=player.pk)
    assert saved.nickname_key == skeleton("ünal") and saved.lookalike_key == skeleton("Ünal")


def test_renaming_a_player_updates_the_key(game, alice):
    alice.nickname = "ALICIA"
    alice.save(update_fields=["nickname"])

    assert Player.objects.get(pk=alice.pk).nickname_key == skeleton("alicia")


def test_nickname_key_folds_case_in_every_alphabet():
    assert nickname_key("ΣΟΦΊΑ") == nickname_key("σοφία")
    assert nickname_key("Straße") == nickname_key("STRASSE")
