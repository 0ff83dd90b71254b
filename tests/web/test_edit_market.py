"""The market list before the round (#25 item 4): edit a market with the add form, prefilled; see what each
market asks for in words; reach the fix from a warning."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mmgame import services
from mmgame.models import Market

pytestmark = pytest.mark.django_db

FORM = {"question": "How many red beans?", "unit": "beans", "kind": "count", "scale": "linear", "lo": "0",
        "hi": "500", "liquidity": "normal", "budget": "1000", "first_guess": "on", "answer": "312"}  # fmt: skip


def edit_url(market: Market) -> str:
    return reverse("web:edit_market", args=[market.game_id, market.pk])


def test_the_edit_form_is_the_add_form_filled_in_with_the_market(host_client, host, game):
    market = services.add_market(
        host, game, question="People on Earth?", unit="people", kind="count", lo=10**9, hi=2 * 10**10,
        scale="log", prior_median=8 * 10**9, answer=8_000_000_000, liquidity="deep", first_guess=False,
        explanation="The UN's count.", source="UN",
    )  # fmt: skip

    response = host_client.get(edit_url(market))

    initial = response.context["form"].initial
    assert (initial["question"], initial["unit"], initial["kind"], initial["scale"]) == (
        "People on Earth?", "people", "count", "log",
    )  # fmt: skip
    assert (initial["lo"], initial["hi"], initial["answer"]) == ("1000000000", "20000000000", "8000000000")
    assert initial["prior_mean"] == "8000000000" and initial["prior_sd"] == ""  # the usual spread stays unsaid
    assert (initial["liquidity"], initial["first_guess"]) == ("deep", False)
    assert (initial["explanation"], initial["source"]) == ("The UN's count.", "UN")
    page = response.content.decode()
    assert "Edit market #1" in page and "Save the market" in page


def test_saving_the_form_unchanged_keeps_the_market_as_it_was(host_client, host, game):
    market = services.add_market(
        host, game, question="Beans?", kind="count", lo=0, hi=300, prior_mean=120, prior_sd=40, answer=140,
        clue_noise=10,
    )  # fmt: skip
    before = Market.objects.values().get(pk=market.pk)
    initial = host_client.get(edit_url(market)).context["form"].initial
    data = {name: value for name, value in initial.items() if value not in (None, False)}

    response = host_client.post(edit_url(market), {**data, "first_guess": "on"})

    assert response.status_code == 302, response.context["form"].errors
    after = Market.objects.values().get(pk=market.pk)
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"sequence"}


def test_stakes_set_through_the_api_are_kept_by_an_edit(host_client, host, game):
    """A liquidity none of Low, Normal, High (the API takes any b) is offered as it is, and kept."""
    market = services.add_market(host, game, question="Beans?", kind="count", lo=0, hi=300, liquidity=42)
    page = host_client.get(edit_url(market))
    form = page.context["form"]
    assert form.initial["liquidity"] == "kept"
    assert "As it is (liquidity b = 42)" in page.content.decode()
    data = {name: value for name, value in form.initial.items() if value not in (None, False)}

    response = host_client.post(edit_url(market), {**data, "question": "Red beans?"})

    assert response.status_code == 302, response.context["form"].errors
    market.refresh_from_db()
    assert (market.question, market.liquidity) == ("Red beans?", 42)


def test_clues_set_through_the_api_as_an_amount_are_kept_by_an_edit_unless_replaced(host_client, host, game):
    """The form types clues as a percent; an amount in the unit (the API's) is offered as it is, and kept."""
    market = services.add_market(
        host, game, question="Beans?", unit="beans", kind="count", lo=0, hi=300, answer=140, clue_noise=20,
        clue_noise_kind="absolute",
    )  # fmt: skip
    page = host_client.get(edit_url(market))
    assert "Keep the clues as they are: each off by about ± 20 beans" in page.content.decode()
    form = page.context["form"]
    data = {name: value for name, value in form.initial.items() if value not in (None, False)}

    saved = host_client.post(edit_url(market), {**data, "keep_clues": "on", "question": "Red beans?"})
    assert saved.status_code == 302, saved.context["form"].errors
    market.refresh_from_db()
    assert (market.question, market.clue_noise, market.clue_noise_kind) == ("Red beans?", 20, "absolute")

    host_client.post(edit_url(market), {**data, "keep_clues": "on", "clue_noise": "10"})  # a percent typed wins
    market.refresh_from_db()
    assert (market.clue_noise, market.clue_noise_kind) == (10, "percent")


def test_unticking_kept_clues_takes_them_away(host_client, host, game):
    market = services.add_market(
        host, game, question="Beans?", unit="beans", kind="count", lo=0, hi=300, answer=140, clue_noise=20,
        clue_noise_kind="absolute",
    )  # fmt: skip
    data = {
        k: v for k, v in host_client.get(edit_url(market)).context["form"].initial.items() if v not in (None, False)
    }

    host_client.post(edit_url(market), data)  # the box left unticked

    market.refresh_from_db()
    assert market.clue_noise is None


def test_saving_changes_the_market_and_goes_back_to_its_row(host_client, game, market):
    response = host_client.post(edit_url(market), FORM)

    assert response["Location"] == reverse("web:game", args=[game.pk]) + f"#market-{market.pk}"
    market.refresh_from_db()
    assert (market.question, market.hi, market.answer, market.kind) == ("How many red beans?", 500, 312, "count")


def test_a_rule_the_edit_breaks_is_said_beside_its_field_and_nothing_changes(host_client, market):
    response = host_client.post(edit_url(market), {**FORM, "lo": "600"})

    assert response.status_code == 200
    assert response.context["form"].errors["hi"] == ["The highest value must be above the lowest (600 beans)."]
    assert Market.objects.get(pk=market.pk).question == "How many jelly beans?"


def test_a_market_shown_meanwhile_is_refused_with_the_services_words(host_client, host, market):
    page = host_client.get(edit_url(market))
    services.show_market(host, market.pk)

    response = host_client.post(edit_url(market), FORM)

    assert page.status_code == 200 and response.status_code == 200
    assert response.context["form"].non_field_errors() == ["only a market not yet shown can be edited"]
    assert Market.objects.get(pk=market.pk).question == "How many jelly beans?"


def test_the_list_says_what_each_market_asks_in_words(host_client, host, game):
    services.add_market(host, game, question="Asks all?", lo=0, hi=300, answer=140, clue_noise=15)
    services.add_market(host, game, question="Asks nothing?", lo=0, hi=300, first_guess=False)

    page = host_client.get(reverse("web:game", args=[game.pk])).content.decode()

    first, second = page.split('data-market="2"')
    for said in (">first guesses<", ">clues ±15 %<", ">answer saved<"):
        assert said in first
    for said in (">no first guesses<", ">no clues<", ">no answer yet<"):
        assert said in second
    assert 'data-action="move-down"' in first and 'data-action="move-up"' in second


def test_the_edit_link_of_a_market_shown_since_says_so(host_client, host, game, market):
    services.show_market(host, market.pk)

    response = host_client.get(edit_url(market), follow=True)

    assert response.redirect_chain[-1][0] == reverse("web:game", args=[game.pk]) + f"#market-{market.pk}"
    assert "Market #1 was shown: it can no longer be edited." in response.content.decode()
