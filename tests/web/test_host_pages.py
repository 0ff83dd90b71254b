"""The host's pages: accounts, set-up forms, market controls, lobby and podium. Views only parse and
call services, so these tests check what the page does with a request and what the database holds after."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from mmgame import services
from mmgame.models import Game, Market

pytestmark = pytest.mark.django_db


def test_signing_up_signs_the_host_in_and_shows_the_dashboard(client, django_user_model):
    response = client.post(
        reverse("web:signup"),
        {
            "username": "ms-rivera",
            "password1": "a long classroom passphrase 7",
            "password2": "a long classroom passphrase 7",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("web:dashboard")
    assert response.context["user"].username == "ms-rivera"
    assert django_user_model.objects.filter(username="ms-rivera").exists()


def test_signing_in_uses_the_login_form(client, host):
    response = client.post(reverse("web:login"), {"username": "teacher", "password": "correct horse battery"})
    assert response.status_code == 302
    assert client.get(reverse("web:dashboard")).status_code == 200


def test_host_pages_need_a_login(client, game):
    for url in (reverse("web:dashboard"), reverse("web:game", args=[game.pk]), reverse("web:lobby", args=[game.pk])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_another_host_cannot_see_or_control_the_game(client, other_host, game, market):
    client.force_login(other_host)
    assert client.get(reverse("web:game", args=[game.pk])).status_code == 404
    assert client.get(reverse("web:projector", args=[game.pk])).status_code == 404
    response = client.post(reverse("web:market_action", args=[game.pk, market.pk, "open"]))
    assert response.status_code == 404
    market.refresh_from_db()
    assert market.status == Market.Status.DRAFT


def test_creating_a_game_with_hidden_names(host_client, host):
    response = host_client.post(reverse("web:new_game"), {"title": "Period 3", "hide_names": "on"})
    game = Game.objects.get(title="Period 3")
    assert response["Location"] == reverse("web:new_market", args=[game.pk])
    assert game.host == host and game.hide_names


def test_a_template_fills_in_the_market_form(host_client, game):
    response = host_client.get(reverse("web:new_market", args=[game.pk]) + "?preset=temperature")
    form = response.context["form"]
    assert form.initial["question"] == "What will tomorrow's high temperature be?"
    assert (form.initial["lo"], form.initial["hi"], form.initial["unit"]) == (-10, 45, "°C")


def test_a_new_game_lands_on_a_market_form_that_offers_the_bank(host_client):
    """A new host after "Create game": a blank market, a template, or the bank's ready-made questions, all one
    tap away (the bank had no link there)."""
    response = host_client.post(reverse("web:new_game"), {"title": "Period 4"}, follow=True)
    game = Game.objects.get(title="Period 4")
    assert response.redirect_chain[-1][0] == reverse("web:new_market", args=[game.pk])
    page = response.content.decode()
    assert f'href="{reverse("web:bank", args=[game.pk])}"' in page
    assert 'href="?preset=temperature"' in page


def test_adding_a_market_by_hand_with_default_prior(host_client, game):
    response = host_client.post(
        reverse("web:new_market", args=[game.pk]),
        {
            "question": "Tallest tree on campus?",
            "unit": "m",
            "lo": "0",
            "hi": "80",
            "liquidity": "thin",
            "budget": "500",
        },
    )
    assert response.status_code == 302
    market = game.markets.get()
    thin = services.LIQUIDITY["thin"]
    assert (market.prior_mean, market.prior_sd, market.liquidity, market.budget) == (40, 20, thin, 500.0)
    assert market.sd_min == Decimal("0.4")


def test_a_refused_market_shows_the_reason_and_adds_nothing(host_client, game):
    response = host_client.post(
        reverse("web:new_market", args=[game.pk]),
        {"question": "Backwards", "lo": "10", "hi": "5", "liquidity": "normal", "budget": "1000"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["hi"] == ["The highest value must be above the lowest (10)."]
    assert "The highest value must be above the lowest (10)." in response.content.decode()
    assert not game.markets.exists()


def test_prior_outside_the_range_is_refused_on_its_field(host_client, game):
    response = host_client.post(
        reverse("web:new_market", args=[game.pk]),
        {"question": "Q", "lo": "0", "hi": "10", "prior_mean": "50", "liquidity": "normal", "budget": "1000"},
    )
    assert "prior_mean" in response.context["form"].errors
    assert not game.markets.exists()


def test_an_unfair_prior_is_refused_naming_the_nearest_fair_one(host_client, game):
    """N(150, 3000²) on [0, 300] loses to N(150, 150²) at every outcome: the form says why and what would do."""
    response = host_client.post(
        reverse("web:new_market", args=[game.pk]),
        {"question": "Q", "lo": "0", "hi": "300", "prior_mean": "150", "prior_sd": "3000", "liquidity": "normal",
         "budget": "1000"},
    )  # fmt: skip
    errors = response.context["form"].errors["prior_sd"]
    assert "free points" in errors[0] and "mean 150, σ 149.99985" in errors[0]
    assert "free points" in response.content.decode()
    assert not game.markets.exists()


def test_the_market_life_cycle_through_the_controls(host_client, game, market, alice):
    url = lambda action: reverse("web:market_action", args=[game.pk, market.pk, action])  # noqa: E731
    for action, status in (("open", "open"), ("pause", "paused"), ("open", "open"), ("close", "closed")):
        host_client.post(url(action))
        market.refresh_from_db()
        assert market.status == status
    host_client.post(reverse("web:resolve", args=[game.pk, market.pk]), {"outcome": "123.6"})
    market.refresh_from_db()
    assert market.status == Market.Status.RESOLVED and market.outcome == Decimal("123.6")


def test_resolving_an_open_market_is_refused_with_a_message(host_client, game, open_market):
    response = host_client.post(reverse("web:resolve", args=[game.pk, open_market.pk]), {"outcome": "5"}, follow=True)
    assert "close the market before resolving it" in response.content.decode()
    open_market.refresh_from_db()
    assert open_market.status == Market.Status.OPEN


def test_an_unknown_action_is_not_found(host_client, game, market):
    assert host_client.post(reverse("web:market_action", args=[game.pk, market.pk, "explode"])).status_code == 404


def test_opening_the_next_market_closes_the_one_still_trading_once_the_host_confirmed(
    host_client, host, game, open_market
):
    following = services.add_market(host, game, question="Second?", lo=0, hi=10)
    page = host_client.get(reverse("web:game", args=[game.pk])).content.decode()
    assert "Market #1 is still trading: it closes now, and cannot be reopened." in page
    host_client.post(reverse("web:market_action", args=[game.pk, following.pk, "open"]), {"close_others": "1"})
    open_market.refresh_from_db()
    following.refresh_from_db()
    assert (open_market.status, following.status) == ("closed", "open")


def test_showing_the_next_question_closes_the_one_still_trading_once_the_host_confirmed(
    host_client, host, game, open_market
):
    following = services.add_market(host, game, question="Second?", lo=0, hi=10)
    page = host_client.get(reverse("web:game", args=[game.pk])).content.decode()
    assert "Market #1 is still trading: it closes now, and cannot be reopened. Show this question?" in page
    show = reverse("web:market_action", args=[game.pk, following.pk, "show"])

    refused = host_client.post(show, follow=True).content.decode()  # not confirmed: nothing changes
    assert "still trading" in refused
    assert Market.objects.get(pk=following.pk).phase == "draft"
    host_client.post(show, {"close_others": "1"})

    open_market.refresh_from_db()
    following.refresh_from_db()
    game.refresh_from_db()
    assert (open_market.status, following.phase, game.current_market_id) == ("closed", "question", following.pk)


def test_opening_a_market_never_closes_another_silently(host_client, host, game, open_market):
    following = services.add_market(host, game, question="Second?", lo=0, hi=10)
    response = host_client.post(reverse("web:market_action", args=[game.pk, following.pk, "open"]), follow=True)
    open_market.refresh_from_db()
    following.refresh_from_db()
    assert (open_market.status, following.status) == ("open", "draft")
    assert "market 1 is still trading" in response.content.decode()


def test_kicking_a_player(host_client, game, alice):
    host_client.post(reverse("web:kick", args=[game.pk, alice.pk]))
    alice.refresh_from_db()
    assert alice.kicked


def test_the_lobby_is_the_projector_with_code_link_and_qr_code(host_client, game):
    response = host_client.get(reverse("web:lobby", args=[game.pk]), follow=True)
    assert response.redirect_chain == [(reverse("web:projector", args=[game.pk]), 302)]
    html = response.content.decode()
    join_url = f"http://testserver/join/{game.join_code}/"
    assert game.join_code in html and join_url in html
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html and 'class="qr"' in html


def test_the_qr_code_encodes_the_join_link():
    from mmgame.web.qr import qr_svg

    # Same link, same code; another link, another code: the SVG is the link's own.
    assert qr_svg("http://x/join/ABCDEF/") == qr_svg("http://x/join/ABCDEF/")
    assert qr_svg("http://x/join/ABCDEF/") != qr_svg("http://x/join/ABCDEG/")


def test_finishing_shows_the_podium_in_game_order(host_client, host, game, open_market, alice, bob):
    from mmgame.market import Order

    services.place_trade(alice, open_market.pk, Order("target", mean=150, sd=60), idempotency_key="a1")
    services.place_trade(bob, open_market.pk, Order("target", mean=60, sd=50), idempotency_key="b1")
    services.close_market(host, open_market.pk)
    services.resolve_market(host, open_market.pk, 140)
    response = host_client.post(reverse("web:finish", args=[game.pk]), follow=True)
    game.refresh_from_db()
    assert game.status == Game.Status.FINISHED
    assert [s.nickname for s in response.context["podium"]] == ["Alice", "Bob"]


@pytest.mark.parametrize(
    ("score", "shown"), [(-16.24, "−16"), (7.25, "+7.3"), (1234.5, "+1,235"), (0.01, "0"), (-0.5, "−0.5")]
)
def test_host_pages_write_points_as_the_phones_do(score, shown):
    from mmgame.templatetags.points import points

    assert points(score) == shown


def test_the_projector_opens_in_a_window_of_its_own(host_client, game):
    """The teacher puts the wall on the projector and keeps the game page to run the round: the link must not
    replace the page it is on (a walk-through lost its control room that way)."""
    page = host_client.get(reverse("web:game", args=[game.pk])).content.decode()
    href = re.escape(reverse("web:projector", args=[game.pk]))
    link = re.search(rf'<a [^>]*href="{href}"[^>]*>', page)
    assert link is not None
    assert 'target="_blank"' in link.group(0) and 'rel="noopener"' in link.group(0)


def test_the_market_list_writes_the_budget_as_it_writes_other_points(host_client, game, market):
    """The line under a question wrote "budget 1000" beside "the most the bank can pay out 2,000"."""
    page = host_client.get(reverse("web:game", args=[game.pk])).content.decode()
    line = re.search(r"budget\s+([\d,.]+)", page)
    assert line is not None and line.group(1) == "1,000"


def test_the_podium_link_waits_for_the_end_and_the_answer_buttons_say_what_they_do(client, host, game, market):
    client.force_login(host)
    page = client.get(reverse("web:game", args=[game.pk])).content.decode()
    assert re.search(r'class="button podium-link" href="[^"]+" data-until-finished>Podium</a>', page)
    assert ">Save the answer (hidden until you reveal it)</button>" in page
    # Remove stands with the saved answer's line, out of the form around the empty field.
    form = re.search(r'<form class="row stage-answer".*?</form>', page, re.S).group(0)
    assert "clear-answer" not in form and "Keep it secret" not in page

    services.finish_game(host, game)
    page = client.get(reverse("web:game", args=[game.pk])).content.decode()
    assert re.search(r'class="button podium-link" href="[^"]+">Podium</a>', page)
