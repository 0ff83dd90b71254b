"""The host's market form hands out private clues ("each off by about ± 15 %"), only with the true value typed,
and warns — without refusing — when the demonstration will not be honest (docs/maths.md § Clues): clues nearly as vague
as the starting forecast, or a true value far from its middle."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mmgame import services
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


@pytest.mark.parametrize(
    ("noise", "said"),
    [
        ("0", "Each clue is off by more than 0 %: type at least 0.1."),
        ("-5", "Each clue is off by more than 0 %: type at least 0.1."),
        ("abc", "Type how far off each clue is, in percent, like 15."),
        ("5000", "Each clue is off by at most 1000 %."),
    ],
)
def test_a_noise_that_is_not_a_sensible_percentage_is_refused(noise, said):
    filled = MarketForm({**BASE, "answer": "140", "clue_noise": noise})
    assert not filled.is_valid()
    assert filled.errors["clue_noise"] == [said]  # the words themselves: a lone "%" in them was a 500


def test_a_clue_percentage_out_of_bounds_is_a_message_on_the_page(host_client, game):
    response = host_client.post(
        reverse("web:new_market", args=[game.pk]), {**BASE, "answer": "140", "clue_noise": "5000"}
    )
    assert response.status_code == 200
    assert "Each clue is off by at most 1000 %." in response.content.decode()
    assert not game.markets.exists()


def test_sharp_clues_and_a_true_value_near_the_middle_need_no_warning():
    assert form(answer="140", clue_noise="15").warnings == []  # τ = 15 % of 150 = 22.5 < 75/3; 140 is 10 off


def test_clues_nearly_as_vague_as_the_starting_forecast_are_warned_of():
    (warning,) = form(answer="140", clue_noise="40").warnings  # τ = 60 > 75/3
    assert warning.startswith("The clues are nearly as vague as the starting forecast")
    assert "at most about ± 17 %" in warning  # 25/150: a percent of the starting middle


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


# -- a market already made (from the bank, or typed with its answer): clues from the game page -----------


def test_the_host_hands_out_clues_for_a_market_with_its_answer_from_the_game_page(host_client, host, game):
    """Before the question is shown its clues are set with the rest of it (Edit: one way to do each thing);
    while the question is on screen, before the first guesses, the row's own clue form sets them."""
    market = services.add_market(host, game, question="How many beans?", lo=0, hi=300, answer=140)
    url = reverse("web:market_clues", args=[game.pk, market.pk])
    page = host_client.get(reverse("web:game", args=[game.pk])).content.decode()
    assert url not in page and reverse("web:edit_market", args=[game.pk, market.pk]) in page
    services.show_market(host, market.pk)
    page = host_client.get(reverse("web:game", args=[game.pk])).content.decode()
    assert url in page and "Hand out clues" in page

    response = host_client.post(url, {"clue_noise": "15"}, follow=True)
    market.refresh_from_db()
    assert market.clue_noise == 15
    assert "clues ±15 %" in response.content.decode()
    assert "The clues are nearly as vague" not in response.content.decode()

    host_client.post(url, {"clue_noise": ""})
    market.refresh_from_db()
    assert market.clue_noise is None


def test_the_game_page_warns_of_a_dishonest_demonstration(host_client, host, game):

    market = services.add_market(host, game, question="How many beans?", lo=0, hi=300, answer=280)
    url = reverse("web:market_clues", args=[game.pk, market.pk])
    response = host_client.post(url, {"clue_noise": "15"}, follow=True)
    page = response.content.decode()
    assert "Market 1 has a warning: see its row below." in page
    # The warning stands on the market's row with the way to fix it: its edit form, which says it again.
    edit = reverse("web:edit_market", args=[game.pk, market.pk])
    row = page[page.index(f'id="market-{market.pk}"') :]
    assert "The true value is more than one give-or-take" in row
    assert f'<a href="{edit}" data-action="fix">Edit market #1</a>' in row
    assert "The true value is more than one give-or-take" in host_client.get(edit).content.decode()


def test_the_game_page_says_why_clues_are_refused(host_client, host, game):

    market = services.add_market(host, game, question="How many beans?", lo=0, hi=300)
    url = reverse("web:market_clues", args=[game.pk, market.pk])
    response = host_client.post(url, {"clue_noise": "15"}, follow=True)
    assert "enter the answer in advance to hand out clues" in response.content.decode()
    assert "Hand out clues" not in response.content.decode()  # no form without an answer


def test_another_host_cannot_hand_out_clues(client, other_host, host, game):

    market = services.add_market(host, game, question="How many beans?", lo=0, hi=300, answer=140)
    client.force_login(other_host)
    assert client.post(reverse("web:market_clues", args=[game.pk, market.pk]), {"clue_noise": "15"}).status_code == 404
    market.refresh_from_db()
    assert market.clue_noise is None


def test_percent_clues_on_a_question_starting_near_0_are_refused_on_their_field(host_client, game):
    """A weather question at 0 °C: every clue would have said 0.0. The host reads why, beside the field."""
    near_zero = {**BASE, "question": "Noon temperature?", "lo": "-20", "hi": "20", "answer": "0", "clue_noise": "15"}
    response = host_client.post(reverse("web:new_market", args=[game.pk]), near_zero)
    assert response.status_code == 200
    (error,) = response.context["form"].errors["clue_noise"]
    assert "well away from 0" in error
    assert not game.markets.exists()
