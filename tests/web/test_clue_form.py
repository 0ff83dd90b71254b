"""The host's market form hands out private clues ("each off by about ± 15 %"), only with the true value typed,
and warns — without refusing — when the demonstration will not be honest (DESIGN 1.8): clues nearly as vague
as the starting forecast, or a true value far from its middle."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mmgame.web.forms import MarketForm

pytestmark = pytest.mark.django_db

# Range 0–300: the starting forecast defaults to 150 give or take 75.
BASE = {"question": "How many beans?", "lo": "0", "hi": "300", "liquidity": "normal", "budget": "1000"}


def form(**fields) -> MarketForm:
    filled = MarketForm({**BASE, **fields})
    assert filled.is_valid(), filled.errors
    return filled


def test_clues_are_handed_out_with_the_noise_typed(host_client, game):
    response = host_client.post(
        reverse("web:new_market", args=[game.pk]), {**BASE, "answer": "140", "clue_noise": "15"}
    )
    assert response.status_code == 302
    market = game.markets.get()
    assert (market.clue_noise, market.clue_noise_kind) == (15, "percent")


def test_no_noise_no_clues(host_client, game):
    host_client.post(reverse("web:new_market", args=[game.pk]), {**BASE, "answer": "140"})
    assert game.markets.get().clue_noise is None


def test_clues_without_the_true_value_are_refused_on_their_field(host_client, game):
    response = host_client.post(reverse("web:new_market", args=[game.pk]), {**BASE, "clue_noise": "15"})
    assert response.status_code == 200
    assert response.context["form"].errors["clue_noise"] == [
        "Type the true value above: the clues are drawn around it."
    ]
    assert not game.markets.exists()


@pytest.mark.parametrize("noise", ["0", "-5", "abc", "5000"])
def test_a_noise_that_is_not_a_sensible_percentage_is_refused(noise):
    filled = MarketForm({**BASE, "answer": "140", "clue_noise": noise})
    assert not filled.is_valid()
    assert "clue_noise" in filled.errors


def test_sharp_clues_and_a_true_value_near_the_middle_need_no_warning():
    assert form(answer="140", clue_noise="15").warnings == []  # τ = 21 < 75/3, 140 is 10 from 150


def test_clues_nearly_as_vague_as_the_starting_forecast_are_warned_of():
    (warning,) = form(answer="140", clue_noise="40").warnings  # τ = 56 > 75/3
    assert warning.startswith("The clues are nearly as vague as the starting forecast")
    assert "at most about ± 18 %" in warning  # 25/140


def test_a_true_value_far_from_the_middle_is_warned_of():
    (warning,) = form(answer="280", clue_noise="5").warnings  # 130 from 150 > 75
    assert warning.startswith("The true value is more than one give-or-take")


def test_a_log_market_compares_factors():
    log = {"lo": "10", "hi": "100000", "scale": "log", "prior_mean": "1000", "prior_sd": "2"}
    assert form(**log, answer="1500", clue_noise="15").warnings == []  # ln 1.15 = 0.14 < ln 2 / 3 = 0.23
    assert len(form(**log, answer="1500", clue_noise="30").warnings) == 1  # ln 1.3 = 0.26
    assert len(form(**log, answer="3000", clue_noise="15").warnings) == 1  # ln 3 > ln 2


def test_the_warning_does_not_stop_the_market_and_is_shown_after_it(host_client, game):
    response = host_client.post(
        reverse("web:new_market", args=[game.pk]), {**BASE, "answer": "280", "clue_noise": "15"}, follow=True
    )
    assert game.markets.get().clue_noise == 15
    assert "The true value is more than one give-or-take" in response.content.decode()
