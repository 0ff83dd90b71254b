"""Joining without an account, and coming back to the same seat."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from mmgame import services
from mmgame.access import SEATS_SESSION_KEY as SESSION_KEY
from mmgame.models import Player

pytestmark = pytest.mark.django_db


def join(client, code: str, nickname: str):
    return client.post(reverse("web:join"), {"code": code, "nickname": nickname})


def test_joining_takes_a_seat_and_remembers_it_in_the_session(client, game):
    response = join(client, game.join_code.lower(), "  Dana ")
    player = Player.objects.get(game=game)
    assert response["Location"] == reverse("web:play", args=[game.pk])
    assert player.nickname == "Dana"
    assert client.session[SESSION_KEY] == {str(game.pk): player.seat_token}
    page = client.get(reverse("web:play", args=[game.pk]))
    assert page.status_code == 200 and "Dana" in page.content.decode()


def test_joining_again_from_the_same_browser_returns_to_the_same_seat(client, game):
    join(client, game.join_code, "Dana")
    join(client, game.join_code, "Dana again")
    assert list(Player.objects.filter(game=game).values_list("nickname", flat=True)) == ["Dana"]


def test_the_join_link_goes_straight_back_to_a_held_seat(client, game):
    join(client, game.join_code, "Dana")
    response = client.get(reverse("web:join_code", args=[game.join_code]))
    assert response["Location"] == reverse("web:play", args=[game.pk])


def test_the_join_link_fills_in_the_code(client, game):
    response = client.get(reverse("web:join_code", args=[game.join_code]))
    assert response.context["form"].initial["code"] == game.join_code


def test_the_join_link_names_its_game(client, host):
    game = services.create_game(host, "Science <week>")
    page = client.get(reverse("web:join_code", args=[game.join_code])).content.decode()
    assert "<h1>Join “Science &lt;week&gt;”</h1>" in page
    assert "<title>Join “Science &lt;week&gt;”" in page
    # Without a code (or with one of no game) the page names none.
    for url in (
        reverse("web:join"),
        reverse("web:join_code", args=["ZZZZZZ" if game.join_code != "ZZZZZZ" else "YYYYYY"]),
    ):
        assert "<h1>Join a game</h1>" in client.get(url).content.decode()


def test_an_unknown_code_is_refused_on_the_code_field(client, game):
    response = join(client, "ZZZZZZ" if game.join_code != "ZZZZZZ" else "YYYYYY", "Dana")
    assert response.context["form"].errors["code"] == ["No game has that code"]
    assert not Player.objects.exists()


def test_a_taken_nickname_is_refused_on_the_nickname_field(client, game, alice):
    response = join(client, game.join_code, "ALICE")
    # The page writes the service's message as a sentence; the API keeps its own wording (docs/api.md).
    assert response.context["form"].errors["nickname"] == [
        "Someone in this game already has that nickname; pick another"
    ]


def test_a_finished_game_is_refused_in_a_sentence(client, host, game):
    services.finish_game(host, game)
    response = join(client, game.join_code, "Dana")
    assert response.context["form"].non_field_errors() == ["That game has finished"]
    assert not Player.objects.exists()


def test_the_market_screen_needs_a_seat_and_does_not_give_away_the_join_code(client, game):
    response = client.get(reverse("web:play", args=[game.pk]))
    assert response["Location"] == reverse("web:join")


def test_a_seat_in_another_game_does_not_open_this_one(client, host, game):
    other = services.create_game(host, "Other class")
    join(client, other.join_code, "Dana")
    assert client.get(reverse("web:play", args=[game.pk])).status_code == 302


def test_a_kicked_player_sees_why(client, host, game):
    join(client, game.join_code, "Dana")
    services.kick_player(host, Player.objects.get(nickname="Dana"))
    response = client.get(reverse("web:play", args=[game.pk]))
    assert response.status_code == 403 and "removed" in response.content.decode()


def test_the_player_page_hands_its_script_translated_strings(client, game):
    join(client, game.join_code, "Dana")
    response = client.get(reverse("web:play", args=[game.pk]))
    strings = response.context["strings"]
    assert strings["reconnecting"] == "Reconnecting…"
    assert 'id="strings"' in response.content.decode()


def test_a_lookalike_nickname_is_refused_on_the_nickname_field(client, game, alice):
    response = client.post(reverse("web:join"), {"code": game.join_code, "nickname": "Аlice"})

    assert "nickname" in response.context["form"].errors
    assert game.players.count() == 1


def test_an_invisible_nickname_is_refused_with_the_reason(client, game):
    response = client.post(reverse("web:join"), {"code": game.join_code, "nickname": "Bob\u2800"})

    assert "invisible" in " ".join(response.context["form"].errors["nickname"])
    assert not game.players.exists()


def test_a_full_game_says_so_on_the_join_page(client, host):
    game = services.create_game(host, "Small group", max_players=1)
    services.join_game(game.join_code, "Ann")

    response = client.post(reverse("web:join"), {"code": game.join_code, "nickname": "Ben"})

    assert "full" in response.content.decode()
    assert game.players.count() == 1


def test_one_address_may_join_so_many_times_a_minute_from_the_join_page(game, settings):
    settings.RATE_LIMITS = {"join": (2, 60.0)}
    answers = [
        Client().post(reverse("web:join"), {"code": game.join_code, "nickname": f"P{i}"}, REMOTE_ADDR="10.1.1.1")
        for i in range(3)
    ]
    elsewhere = Client().post(reverse("web:join"), {"code": game.join_code, "nickname": "Q"}, REMOTE_ADDR="10.2.2.2")

    assert [a.status_code for a in answers] == [302, 302, 200]
    assert "try again in" in answers[-1].content.decode()
    assert elsewhere.status_code == 302
    assert game.players.count() == 3
