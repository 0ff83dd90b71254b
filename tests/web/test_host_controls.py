"""The host's newer controls: close after a countdown, hide or show names, the all-time leaderboard."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from mmgame import services
from mmgame.market import Order
from mmgame.models import Game

pytestmark = pytest.mark.django_db


@pytest.fixture
def host_client(client, host):
    client.force_login(host)
    return client


# -- closing after a countdown ----------------------------------------------------------------------


def test_the_market_list_leaves_the_countdown_to_the_control_room(host_client, game, open_market):
    html = host_client.get(reverse("web:game", args=[game.pk])).content.decode()

    # One countdown control: the control room's "Close trading in … Start", none in the market list.
    assert 'name="countdown"' not in html and "Start countdown" not in html
    assert html.count('list="countdown-choices"') == 1 and "Close trading in" in html


def test_the_game_page_shows_the_running_countdown(host_client, host, game, open_market):
    counting = services.close_market(host, open_market.pk, countdown=60)

    html = host_client.get(reverse("web:game", args=[game.pk])).content.decode()

    assert 'class="countdown"' in html and 'role="timer"' in html
    assert f'data-closes-at="{counting.closes_at.isoformat()}"' in html


def test_pages_carry_the_server_time_for_the_clocks(host_client, game):
    before = time.time()
    html = host_client.get(reverse("web:game", args=[game.pk])).content.decode()

    marker = 'data-server-now="'
    value = float(html[html.index(marker) + len(marker) :].split('"', 1)[0])
    assert before - 1 <= value <= time.time() + 1


# -- hiding names -----------------------------------------------------------------------------------


def test_the_host_toggles_hidden_names(host_client, game):
    url = reverse("web:hide_names", args=[game.pk])

    response = host_client.post(url, {"hide_names": "true"}, follow=True)
    assert Game.objects.get(pk=game.pk).hide_names
    html = response.content.decode()
    assert "Names hidden on the players" in html and ">Show names</button>" in html

    host_client.post(url, {"hide_names": "false"})
    assert not Game.objects.get(pk=game.pk).hide_names


def test_another_host_cannot_toggle_names(client, other_host, game):
    client.force_login(other_host)

    assert client.post(reverse("web:hide_names", args=[game.pk]), {"hide_names": "true"}).status_code == 404
    assert not Game.objects.get(pk=game.pk).hide_names


def test_a_garbled_toggle_changes_nothing(host_client, game):
    host_client.post(reverse("web:hide_names", args=[game.pk]), {"hide_names": "maybe"})

    assert not Game.objects.get(pk=game.pk).hide_names


# -- the all-time leaderboard -----------------------------------------------------------------------


def test_the_dashboard_links_to_the_all_time_leaderboard(host_client):
    html = host_client.get(reverse("web:dashboard")).content.decode()

    assert f'href="{reverse("web:all_time")}"' in html


def test_the_all_time_leaderboard_lists_the_hosts_players(host_client, host, game, open_market, alice, bob):
    services.place_trade(alice, open_market.pk, Order("target", mean=150, sd=60), idempotency_key="a1")
    services.close_market(host, open_market.pk)
    services.resolve_market(host, open_market.pk, 140)

    response = host_client.get(reverse("web:all_time"))

    assert [(row.rank, row.nickname) for row in response.context["standings"]] == [(1, "Alice"), (2, "Bob")]
    assert "Alice" in response.content.decode()


def test_the_all_time_leaderboard_needs_a_login(client):
    response = client.get(reverse("web:all_time"))

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# -- the players a game takes, and freeing a removed player's name (issue 14, finding 5) -----------------


def test_the_new_game_form_sets_the_most_players(host_client):
    host_client.post(reverse("web:new_game"), {"title": "Seminar", "max_players": "12"})

    assert Game.objects.get().max_players == 12


def test_the_new_game_form_offers_two_hundred_players(host_client):
    assert 'name="max_players" value="200"' in host_client.get(reverse("web:new_game")).content.decode()


@pytest.mark.parametrize("most", ["0", "2001", "lots"])
def test_the_new_game_form_refuses_a_cap_out_of_range(host_client, most):
    response = host_client.post(reverse("web:new_game"), {"title": "Seminar", "max_players": most})

    assert response.status_code == 200 and "max_players" in response.context["form"].errors
    assert not Game.objects.exists()


def test_the_host_frees_a_removed_players_name_from_the_game_page(host_client, host, game, alice):
    services.kick_player(host, alice)
    page = host_client.get(reverse("web:game", args=[game.pk])).content.decode()
    free_url = reverse("web:free_name", args=[game.pk, alice.pk])
    assert free_url in page

    host_client.post(free_url)

    alice.refresh_from_db()
    assert alice.name_freed
    assert free_url not in host_client.get(reverse("web:game", args=[game.pk])).content.decode()
    assert services.join_game(game.join_code, "Alice").pk != alice.pk


def test_a_player_still_in_the_game_has_no_free_button_and_cannot_be_freed(host_client, game, alice):
    free_url = reverse("web:free_name", args=[game.pk, alice.pk])
    assert free_url not in host_client.get(reverse("web:game", args=[game.pk])).content.decode()

    host_client.post(free_url)

    alice.refresh_from_db()
    assert not alice.name_freed


def test_another_host_cannot_free_a_name(client, host, other_host, game, alice):
    services.kick_player(host, alice)
    client.force_login(other_host)

    assert client.post(reverse("web:free_name", args=[game.pk, alice.pk])).status_code == 404
    alice.refresh_from_db()
    assert not alice.name_freed
