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
    response = client.post(reverse("web:edit_market", args=[game.pk, market.pk]), {"question": "Mine?"})
    assert response.status_code == 404
    market.refresh_from_db()
    assert (market.status, market.question) == (Market.Status.DRAFT, "How many jelly beans?")


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


def test_create_game_offers_the_bank_a_ready_lesson_and_a_blank_market(host_client):
    """A new host's three starts, one button each (#25 item 4): the bank, a template lesson, a blank market."""
    page = host_client.get(reverse("web:new_game")).content.decode()
    assert all(f'name="start" value="{start}"' in page for start in ("bank", "lesson", "blank"))

    to_bank = host_client.post(reverse("web:new_game"), {"title": "Period 4", "start": "bank"})
    blank = host_client.post(reverse("web:new_game"), {"title": "Period 5", "start": "blank"}, follow=True)

    assert to_bank["Location"] == reverse("web:bank", args=[Game.objects.get(title="Period 4").pk])
    period_5 = Game.objects.get(title="Period 5")
    assert blank.redirect_chain[-1][0] == reverse("web:new_market", args=[period_5.pk])
    assert f'href="{reverse("web:bank", args=[period_5.pk])}"' in blank.content.decode()


def test_the_ready_lesson_adds_five_bank_questions_with_their_answers(host_client):
    response = host_client.post(reverse("web:new_game"), {"title": "Period 6", "start": "lesson"}, follow=True)

    game = Game.objects.get(title="Period 6")
    assert response.redirect_chain[-1][0] == reverse("web:game", args=[game.pk])
    markets = list(game.markets.order_by("number"))
    assert [m.number for m in markets] == [1, 2, 3, 4, 5]
    assert all(m.answer is not None and m.first_guess and m.phase == "draft" for m in markets)
    assert "5 questions added." in response.content.decode()


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


def test_the_market_list_steps_no_round_next_in_the_control_room_does(host_client, host, game, market):
    """One way to step the round (#25 item 4, #21 item 4): the list edits, moves and deletes; it shows, opens,
    pauses, closes and resolves nothing (the control room's Next and its API do)."""
    services.add_market(host, game, question="Second?", lo=0, hi=10)
    open_market = services.open_market(host, market.pk)

    page = host_client.get(reverse("web:game", args=[game.pk])).content.decode()

    markets = page[page.index('id="markets-section"') :]
    assert 'data-action="step-next"' in page[: page.index('id="markets-section"')]
    for action in ("show", "open", "pause", "close", "resolve"):
        assert f'data-action="{action}"' not in markets
    assert f"/markets/{open_market.pk}/open/" not in page and 'name="outcome"' not in page
    for action in ("open", "close", "resolve"):
        assert host_client.post(f"/host/games/{game.pk}/markets/{market.pk}/{action}/").status_code == 404
    assert Market.objects.get(pk=market.pk).status == "open"


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
