"""The lesson's pooling verdict through the services (mmgame.queries.rounds.pooled, docs/lesson-numbers.md):
eight seats hold fixed clues around the answer 140 (τ = 10 beans, each clue's error set by the test); a class
that trades on them gets "pooled", one whose trades ignore them does not, though its market ended nearer the
true value than the typical clue (the rule before claimed pooling there)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mmgame import services
from mmgame.market import best_response, toward_order
from mmgame.models import Clue, Market
from mmgame.queries import rounds
from mmgame.services.trading import position_wealth

pytestmark = pytest.mark.django_db

P = Market.Phase
ANSWER = 140
ERRORS = (-14, -9, -5, -2, 3, 6, 11, 15)  # each seat's clue minus the answer: the typical clue is 7.5 off
TAU = 10.0


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def clued(host, game):
    """A market on 0–300 (starting at 150 ± 75) whose eight seats hold clues 140 + ERRORS, trading open."""
    market = services.add_market(
        host,
        game,
        question="How many beans?",
        lo=0,
        hi=300,
        answer=ANSWER,
        clue_noise=TAU,
        clue_noise_kind="absolute",
        first_guess=False,
    )
    seats = [services.join_game(game.join_code, f"Seat {i}") for i in range(len(ERRORS))]
    for phase in (P.QUESTION, P.TRADING):
        services.step_market(host, market.pk, phase=phase, confirm=True)
    for seat, error in zip(seats, ERRORS, strict=True):
        Clue.objects.filter(market=market, player=seat).update(value=Decimal(ANSWER + error))
    return market, seats


def resolve(host, market: Market) -> dict:
    for phase in (P.CLOSED, P.ANSWER):
        services.step_market(host, market.pk, phase=phase, confirm=True)
    return rounds.lesson(Market.objects.get(pk=market.pk))


def test_a_class_trading_on_its_clues_is_said_to_have_pooled_them(host, clued):
    market, seats = clued
    # Each believes what a Bayesian with the starting curve and their clue believes, and trades its
    # exponential-utility best response (a = 1/b, docs/maths.md § Aggregation) in four rounds.
    beliefs = {}
    for seat, error in zip(seats, ERRORS, strict=True):
        s2 = 1 / (1 / 75**2 + 1 / TAU**2)
        beliefs[seat.pk] = market.engine.curve_from_x(s2 * (150 / 75**2 + (ANSWER + error) / TAU**2), s2**0.5)
    for round in range(4):
        for i, seat in enumerate(seats):
            market = Market.objects.get(pk=market.pk)
            wealth = position_wealth(market, seat)
            target = best_response(
                market.engine, beliefs[seat.pk], 1 / market.liquidity, (wealth.linear, wealth.quadratic)
            )
            order = toward_order(market.engine, target)
            services.place_trade(seat, market.pk, order, idempotency_key=f"careful {round} {i}")

    taught = resolve(host, market)

    assert taught["market_error"] < taught["clue_error"] == pytest.approx(7.5)
    assert taught["pooling"] == "pooled"


def test_a_market_nearer_than_its_clues_by_luck_is_not_said_to_have_pooled_them(host, clued):
    """Nobody trades on a clue: each types a forecast of their own, the last one 140.5, half a bean off. The
    rule before said "trading pooled what each of you was told" (the market nearer than a typical clue)."""
    market, seats = clued
    forecasts = [(150, 30), (125, 25), (160, 30), (135, 20), (145, 25), (132, 20), (142, 20), (140.5, 15)]
    for i, (seat, (mean, sd)) in enumerate(zip(seats, forecasts, strict=True)):
        order = toward_order(market.engine, Market.objects.get(pk=market.pk).engine.curve_from_x(mean, sd))
        services.place_trade(seat, market.pk, order, idempotency_key=f"own {i}")

    taught = resolve(host, market)

    assert taught["market_error"] == pytest.approx(0.5) and taught["clue_error"] == pytest.approx(7.5)
    assert taught["pooling"] == "nearer"


def test_a_market_further_off_than_a_typical_clue_did_not_pool_them(host, clued):
    market, seats = clued
    order = toward_order(market.engine, market.engine.curve_from_x(200, 30))
    services.place_trade(seats[0], market.pk, order, idempotency_key="far")

    taught = resolve(host, market)

    assert taught["pooling"] == "farther"
    assert "clue_evidence" not in taught  # with two traders it would tell each the other's clue
