"""Finding 3 of issue 14: a number with a huge exponent is refused with `invalid_number`, never a 500."""

from __future__ import annotations

import pytest

from mmgame.models import Market

from ..services.ledger import rows

pytestmark = pytest.mark.django_db

HUGE = ["1E+999999999", "-1E+999999999", "1e99999999999999999999", "1e-999999999999"]


def raw(body: dict, field: str, literal: str) -> str:
    """The body as JSON text with `field` written as a literal that json.dumps would never write."""
    return "{" + ", ".join(f'"{k}": {literal if k == field else json_value(v)}' for k, v in body.items()) + "}"


def json_value(value: object) -> str:
    return f'"{value}"' if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else str(value)


@pytest.mark.parametrize("literal", HUGE[:3])
@pytest.mark.parametrize("field", ["mean", "sd"])
def test_a_quote_with_a_huge_exponent_is_an_invalid_number(alice_bot, open_market, field, literal):
    response = alice_bot.post(
        f"/api/markets/{open_market.pk}/quote", raw=raw({"kind": "target", "mean": 120, "sd": 10}, field, literal)
    )

    assert (response.status_code, response.json()["code"]) == (422, "invalid_number")


@pytest.mark.parametrize("literal", HUGE[:3])
@pytest.mark.parametrize(
    ("kind", "field"), [("target", "mean"), ("toward", "sd"), ("shares", "delta_1"), ("shares", "delta_2")]
)
def test_a_trade_with_a_huge_exponent_is_refused_and_changes_nothing(alice_bot, open_market, kind, field, literal):
    numbers = {"mean": 120, "sd": 40} if kind != "shares" else {"delta_1": 1, "delta_2": 0}
    before = rows()

    response = alice_bot.post(
        f"/api/markets/{open_market.pk}/trades",
        raw=raw({"kind": kind, **numbers, "idempotency_key": "k"}, field, literal),
    )

    assert (response.status_code, response.json()["code"]) == (422, "invalid_number")
    assert rows() == before


def test_a_tiny_exponent_is_read_as_the_zero_it_rounds_to(alice_bot, open_market):
    # A `toward` order: a target N(0, 10²) sits on the range's edge, which no curve may (docs/maths.md § Bounded loss),
    # so a `target` order would be refused as unfair; `toward` goes as far as the market stays fair.
    response = alice_bot.post(
        f"/api/markets/{open_market.pk}/quote", raw=raw({"kind": "toward", "mean": 120, "sd": 10}, "mean", HUGE[3])
    )

    assert response.status_code == 200
    assert 0 < response.json()["fraction"] < 1 and response.json()["mean"] < open_market.prior_mean


@pytest.mark.parametrize("field", ["lo", "hi", "prior_mean", "prior_sd", "sd_min", "budget", "liquidity"])
def test_adding_a_market_with_a_huge_exponent_is_refused(host_api, game, field):
    body = {
        "question": "Beans?",
        "lo": 0,
        "hi": 300,
        "prior_mean": 100,
        "prior_sd": 50,
        "sd_min": 1,
        "liquidity": 30,
        "budget": 1000,
    }

    response = host_api.post(f"/api/games/{game.join_code}/markets", raw=raw(body, field, "1E+999999999"))

    assert (response.status_code, response.json()["code"]) == (422, "invalid_number")
    assert not Market.objects.exists()


def test_resolving_at_a_huge_exponent_is_refused(host_api, host, closed_market):
    response = host_api.post(f"/api/markets/{closed_market.pk}/resolve", raw='{"outcome": 1E+999999999}')

    assert (response.status_code, response.json()["code"]) == (422, "invalid_number")
    assert Market.objects.get(pk=closed_market.pk).status == Market.Status.CLOSED
