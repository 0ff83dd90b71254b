"""Log-scale markets over the API (issue 11, docs/maths.md § Log markets): `scale` in and out, curves as a median and
sd_log or a 90 % interval, never a mean and sd in x; values of 0 or less refused with a stable code."""

from __future__ import annotations

import math

import pytest

from mmgame import services
from mmgame.models import Market, Position

pytestmark = pytest.mark.django_db

TUNERS = {"question": "How many piano tuners work in Chicago?", "lo": 1, "hi": 10000, "kind": "count", "scale": "log"}


@pytest.fixture
def log_market(host_api, host, game):
    response = host_api.post(f"/api/games/{game.join_code}/markets", {**TUNERS, "liquidity": 30})
    assert response.status_code == 201, response.json()
    return services.open_market(host, response.json()["id"])


def url(market, what: str) -> str:
    return f"/api/markets/{market.pk}/{what}"


def test_a_log_market_is_added_with_its_scale_and_a_prior_in_ln_x(host_api, game):
    response = host_api.post(f"/api/games/{game.join_code}/markets", TUNERS)

    body = response.json()
    assert response.status_code == 201
    assert body["scale"] == "log"
    assert body["prior_median"] == pytest.approx(100)  # √(1·10,000): the geometric middle
    assert body["prior_sd_log"] == pytest.approx(math.log(10000) / 4)
    assert body["median"] == pytest.approx(100) and body["sd_log"] == pytest.approx(math.log(10000) / 4)
    low, high = body["interval_90"]
    assert low == pytest.approx(100 / math.exp(1.6448536269514722 * math.log(10000) / 4))
    assert high == pytest.approx(100 * math.exp(1.6448536269514722 * math.log(10000) / 4))
    assert body["mean"] is body["sd"] is body["prices"] is body["prior_mean"] is None
    assert Market.objects.get(pk=body["id"]).scale == "log"


def test_a_linear_market_says_so_and_has_no_median(host_api, game):
    body = host_api.post(f"/api/games/{game.join_code}/markets", {"question": "Q?", "lo": 0, "hi": 300}).json()

    assert body["scale"] == "linear"
    assert body["mean"] == 150 and body["median"] is None and body["interval_90"] is None


@pytest.mark.parametrize("lo", [0, -10])
def test_a_log_market_must_start_above_zero(host_api, game, lo):
    response = host_api.post(f"/api/games/{game.join_code}/markets", {**TUNERS, "lo": lo})

    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == ("not_positive", "lo")
    assert not Market.objects.exists()


@pytest.mark.parametrize(
    ("given", "field"),
    [({"prior_mean": 100}, "prior_mean"), ({"prior_sd": 3}, "prior_sd")],
)
def test_a_log_markets_prior_is_not_a_mean_and_sd_in_x(host_api, game, given, field):
    response = host_api.post(f"/api/games/{game.join_code}/markets", {**TUNERS, **given})

    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == ("scale_mismatch", field)


def test_a_linear_markets_prior_is_not_a_median(host_api, game):
    body = {"question": "Q?", "lo": 1, "hi": 300, "prior_median": 30}
    response = host_api.post(f"/api/games/{game.join_code}/markets", body)

    assert response.status_code == 400
    assert response.json()["code"] == "scale_mismatch"


def test_an_unknown_scale_is_refused(host_api, game):
    response = host_api.post(f"/api/games/{game.join_code}/markets", {**TUNERS, "scale": "cubic"})

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_request"


def test_a_log_market_trades_by_a_90_percent_interval(alice_bot, log_market, alice):
    body = {"kind": "target", "low": 200, "high": 5000, "idempotency_key": "k"}
    response = alice_bot.post(url(log_market, "trades"), body)

    assert response.status_code == 201, response.json()
    trade, market = response.json()["trade"], response.json()["market"]
    assert market["median"] == pytest.approx(1000)  # √(200·5,000)
    assert market["sd_log"] == pytest.approx(math.log(25) / (2 * 1.6448536269514722))
    assert market["interval_90"] == pytest.approx([200, 5000])
    assert trade["median"] == pytest.approx(1000) and trade["mean"] is None
    assert trade["shares"] is None  # the seed's x/x² view is for linear markets
    assert float(trade["median_after"]) == pytest.approx(1000)
    assert response.json()["position"]["wealth"]["scale"] == "log"


def test_a_log_market_trades_by_a_median_and_sd_log_and_quotes_in_them(alice_bot, log_market):
    response = alice_bot.post(url(log_market, "quote"), {"kind": "target", "median": 500, "sd_log": 0.7})

    quote = response.json()
    assert response.status_code == 200, quote
    assert quote["median"] == pytest.approx(500) and quote["sd_log"] == pytest.approx(0.7)
    assert 100 < quote["affordable_median"] <= 500 and quote["mean"] is None  # the way there, as far as affordable
    assert quote["pnl"]["scale"] == "log"


@pytest.mark.parametrize(
    ("order", "code"),
    [
        ({"kind": "target", "mean": 500, "sd": 100}, "scale_mismatch"),
        ({"kind": "shares", "delta_1": 1, "delta_2": 0}, "scale_mismatch"),
        ({"kind": "target", "low": 0, "high": 100}, "not_positive"),
        ({"kind": "target", "low": -5, "high": 100}, "not_positive"),
        ({"kind": "target", "median": -3, "sd_log": 1}, "not_positive"),
        ({"kind": "target", "low": 500, "high": 200}, "invalid_curve"),
        ({"kind": "target", "median": 500, "sd_log": 0}, "invalid_curve"),
    ],
)
def test_a_log_market_refuses_what_it_cannot_read_with_a_stable_code(alice_bot, log_market, order, code):
    response = alice_bot.post(url(log_market, "trades"), {**order, "idempotency_key": "k"})

    assert response.status_code == 400, response.json()
    assert response.json()["code"] == code
    assert not Position.objects.exists()


@pytest.mark.parametrize(
    "raw",
    [
        '{"kind": "target", "low": NaN, "high": 100, "idempotency_key": "k"}',
        '{"kind": "target", "low": 1, "high": Infinity, "idempotency_key": "k"}',
        '{"kind": "target", "median": 1E+999999999, "sd_log": 1, "idempotency_key": "k"}',
        '{"kind": "target", "median": "500", "sd_log": 1, "idempotency_key": "k"}',
        '{"kind": "target", "median": 500, "sd_log": 1, "low": 2, "high": 3, "idempotency_key": "k"}',
        '{"kind": "target", "median": 500, "idempotency_key": "k"}',
    ],
)
def test_bad_numbers_on_a_log_market_are_refused_not_a_500(alice_bot, log_market, raw):
    response = alice_bot.post(url(log_market, "trades"), raw=raw)

    assert 400 <= response.status_code < 500
    assert response.json()["code"] in {"invalid_request", "invalid_number", "malformed_json"}


def test_a_linear_market_refuses_a_median_or_an_interval(alice_bot, open_market):
    for order in ({"kind": "target", "median": 100, "sd_log": 1}, {"kind": "toward", "low": 50, "high": 150}):
        response = alice_bot.post(url(open_market, "trades"), {**order, "idempotency_key": "k"})
        assert (response.status_code, response.json()["code"]) == (400, "scale_mismatch")


@pytest.mark.parametrize("outcome", [0, -1])
def test_a_log_market_refuses_a_true_value_of_zero_or_less(host_api, host, log_market, outcome):
    services.close_market(host, log_market.pk)

    response = host_api.post(url(log_market, "resolve"), {"outcome": outcome})

    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == ("not_positive", "outcome")
    assert Market.objects.get(pk=log_market.pk).status == "closed"


def test_a_log_market_pays_the_log_score_in_ln_x(host_api, host, alice_bot, bob_bot, log_market, alice, bob):
    alice_bot.post(url(log_market, "trades"), {"kind": "target", "low": 200, "high": 5000, "idempotency_key": "a"})
    bob_bot.post(url(log_market, "trades"), {"kind": "target", "median": 300, "sd_log": 0.8, "idempotency_key": "b"})
    services.close_market(host, log_market.pk)

    response = host_api.post(url(log_market, "resolve"), {"outcome": 1200})

    assert response.status_code == 200, response.json()
    assert response.json()["outcome"] == 1200
    # Alice moved N(ln 100, σ₀²) → N(ln 1000, σ₁²) in ln x; Bob moved it on to N(ln 300, 0.8²): each earns b·Δ ln p.
    y, b = math.log(1200), 30.0
    sd0, sd1 = math.log(10000) / 4, math.log(25) / (2 * 1.6448536269514722)

    def logp(mean, sd):
        return -0.5 * ((y - mean) / sd) ** 2 - math.log(sd)

    alice_gain = b * (logp(math.log(1000), sd1) - logp(math.log(100), sd0))
    bob_gain = b * (logp(math.log(300), 0.8) - logp(math.log(1000), sd1))
    assert Position.objects.get(player=alice).payout == pytest.approx(1000 + alice_gain, rel=1e-9)
    assert Position.objects.get(player=bob).payout == pytest.approx(1000 + bob_gain, rel=1e-9)
    assert alice_gain > 0 > bob_gain  # Alice was closer in ln x


def test_the_schema_documents_the_scale_and_the_log_curve_fields(anyone):
    schemas = anyone.get("/api/openapi.json").json()["components"]["schemas"]

    assert schemas["MarketIn"]["properties"]["scale"]["enum"] == ["linear", "log"]
    assert "scale" in schemas["MarketOut"]["required"]
    assert {"median", "sd_log", "interval_90", "prior_median", "prior_sd_log"} <= set(
        schemas["MarketOut"]["properties"]
    )
    assert "σ of ln x" in schemas["OrderIn"]["description"]
    assert "scale_mismatch" in schemas["ErrorOut"]["description"]
