"""The schema keeps the ledger's invariants even against code that bypasses the services."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from mmgame.models import Game, Market, Player, Position, Trade

pytestmark = pytest.mark.django_db


def market_fields(game: Game, **changes) -> dict:
    fields = {
        "game": game,
        "number": 1,
        "question": "How many?",
        "lo": Decimal(0),
        "hi": Decimal(300),
        "prior_mean": Decimal(100),
        "prior_sd": Decimal(100),
        "sd_min": Decimal(1),
        "liquidity": 30.0,
        "budget": 1000.0,
        "mean_z": -1 / 3,
        "sd_z": 2 / 3,
    }
    return fields | changes


def trade_fields(market: Market, player: Player, **changes) -> dict:
    fields = {
        "market": market,
        "player": player,
        "sequence": 2,
        "kind": "target",
        "target_mean": Decimal(120),
        "target_sd": Decimal(30),
        "shares_linear": 1.0,
        "shares_quadratic": -1.0,
        "cost": 3.0,
        "worst_case": -10.0,
        "mean_z_after": 0.0,
        "sd_z_after": 0.5,
        "idempotency_key": "k-1",
    }
    return fields | changes


def refused(create) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


@pytest.fixture
def row(game):
    return Market.objects.create(**market_fields(game))


# -- markets --------------------------------------------------------------------------------------


def test_a_valid_market_row_is_accepted(game):
    assert Market.objects.create(**market_fields(game)).pk


@pytest.mark.parametrize(("lo", "hi"), [(5, 5), (10, 0)])
def test_market_range_needs_lo_below_hi(game, lo, hi):
    refused(lambda: Market.objects.create(**market_fields(game, lo=Decimal(lo), hi=Decimal(hi))))


@pytest.mark.parametrize("liquidity", [0.0, -1.0])
def test_market_liquidity_is_positive(game, liquidity):
    refused(lambda: Market.objects.create(**market_fields(game, liquidity=liquidity)))


def test_market_budget_is_not_negative(game):
    refused(lambda: Market.objects.create(**market_fields(game, budget=-1.0)))


@pytest.mark.parametrize("sd_min", [Decimal(0), Decimal(-1)])
def test_market_sd_min_is_positive(game, sd_min):
    refused(lambda: Market.objects.create(**market_fields(game, sd_min=sd_min, prior_sd=Decimal(1))))


def test_market_prior_is_at_least_sd_min_wide(game):
    refused(lambda: Market.objects.create(**market_fields(game, prior_sd=Decimal("0.5"))))


@pytest.mark.parametrize("sd_z", [0.0, -0.5])
def test_market_curve_has_a_positive_spread(game, sd_z):
    refused(lambda: Market.objects.create(**market_fields(game, sd_z=sd_z)))


def test_market_status_is_one_of_the_life_cycle(game):
    refused(lambda: Market.objects.create(**market_fields(game, status="settled")))


def test_a_resolved_market_has_an_outcome(game):
    refused(lambda: Market.objects.create(**market_fields(game, status="resolved")))


def test_an_unresolved_market_has_no_outcome(game):
    refused(lambda: Market.objects.create(**market_fields(game, status="closed", outcome=Decimal(3))))


def test_market_numbers_are_unique_in_a_game(game, row):
    refused(lambda: Market.objects.create(**market_fields(game)))


def test_market_sequence_is_not_negative(game):
    refused(lambda: Market.objects.create(**market_fields(game, sequence=-1)))


# -- games and players ----------------------------------------------------------------------------


def test_game_status_is_one_of_lobby_playing_finished(host):
    refused(lambda: Game.objects.create(host=host, title="T", status="paused"))


def test_join_codes_are_unique(host, game):
    refused(lambda: Game.objects.create(host=host, title="Copy", join_code=game.join_code))


def test_nicknames_are_unique_in_a_game_regardless_of_case(game):
    Player.objects.create(game=game, nickname="Zoë")

    refused(lambda: Player.objects.create(game=game, nickname="ZOË"))


def test_nicknames_fold_case_beyond_lower_case(game):
    Player.objects.create(game=game, nickname="Straße")

    refused(lambda: Player.objects.create(game=game, nickname="STRASSE"))


def test_seat_tokens_are_unique(game, alice):
    refused(lambda: Player.objects.create(game=game, nickname="Copycat", seat_token=alice.seat_token))


# -- positions ------------------------------------------------------------------------------------


def test_position_payout_is_not_negative(row, alice):
    refused(lambda: Position.objects.create(market=row, player=alice, budget=10, wealth_const=10, payout=-0.01))


def test_position_budget_is_not_negative(row, alice):
    refused(lambda: Position.objects.create(market=row, player=alice, budget=-1, wealth_const=10))


def test_one_position_per_player_and_market(row, alice):
    Position.objects.create(market=row, player=alice, budget=10, wealth_const=10)

    refused(lambda: Position.objects.create(market=row, player=alice, budget=10, wealth_const=10))


# -- trades ---------------------------------------------------------------------------------------


def test_a_valid_trade_row_is_accepted(row, alice):
    assert Trade.objects.create(**trade_fields(row, alice)).pk


def test_a_duplicate_trade_sequence_in_one_market_is_refused(row, alice, bob):
    Trade.objects.create(**trade_fields(row, alice))

    refused(lambda: Trade.objects.create(**trade_fields(row, bob, idempotency_key="k-2")))


def test_the_same_sequence_in_another_market_is_fine(game, row, alice):
    second = Market.objects.create(**market_fields(game, number=2))
    Trade.objects.create(**trade_fields(row, alice))

    assert Trade.objects.create(**trade_fields(second, alice, idempotency_key="k-2")).pk


def test_trade_sequence_starts_at_one(row, alice):
    refused(lambda: Trade.objects.create(**trade_fields(row, alice, sequence=0)))


def test_an_idempotency_key_is_used_once_per_player(row, alice):
    Trade.objects.create(**trade_fields(row, alice))

    refused(lambda: Trade.objects.create(**trade_fields(row, alice, sequence=3)))


@pytest.mark.parametrize("fraction", [0.0, -0.5, 1.5])
def test_trade_fraction_is_in_zero_to_one(row, alice, fraction):
    refused(lambda: Trade.objects.create(**trade_fields(row, alice, fraction=fraction)))


@pytest.mark.parametrize("sd_z_after", [0.0, -1.0])
def test_a_trade_leaves_a_curve_with_a_positive_spread(row, alice, sd_z_after):
    refused(lambda: Trade.objects.create(**trade_fields(row, alice, sd_z_after=sd_z_after)))


@pytest.mark.parametrize(
    "changes",
    [
        {"kind": "sell"},
        {"kind": "target", "target_mean": None, "target_sd": None},
        {"kind": "toward", "target_sd": Decimal(0)},
        {"kind": "shares"},  # raw shares name no forecast
        {"idempotency_key": ""},
    ],
    ids=["unknown-kind", "forecast-without-target", "zero-spread-target", "shares-with-target", "empty-key"],
)
def test_a_trade_row_that_contradicts_its_kind_is_refused(row, alice, changes):
    refused(lambda: Trade.objects.create(**trade_fields(row, alice, **changes)))


def test_a_raw_share_trade_row_names_no_target(row, alice):
    assert Trade.objects.create(**trade_fields(row, alice, kind="shares", target_mean=None, target_sd=None)).pk


@pytest.mark.parametrize(
    "changes",
    [
        {"number": 0},
        {"budget": 0.0},
        {"prior_mean": Decimal(301)},
        {"closes_at": timezone.now()},  # a countdown on a draft
        {"status": "closed", "house_result": 1.0},  # a result recorded before resolution
    ],
    ids=["number-zero", "no-budget", "prior-outside-range", "countdown-on-draft", "result-before-resolution"],
)
def test_a_market_row_breaking_its_invariants_is_refused(game, changes):
    refused(lambda: Market.objects.create(**market_fields(game, **changes)))


def test_an_empty_nickname_is_refused(game):
    refused(lambda: Player.objects.create(game=game, nickname=""))
