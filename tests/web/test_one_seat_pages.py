"""Issue 23, finding 2 on the pages: the control room closes late joins and deletes a game with its players;
the join page says why a join is refused."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from mmgame import services
from mmgame.models import Game, Player

pytestmark = pytest.mark.django_db


def test_the_control_room_closes_and_reopens_late_joins(host_client, game):
    page = host_client.get(reverse("web:game", args=[game.pk])).content.decode()
    assert "Close late joins" in page

    host_client.post(reverse("web:late_joins", args=[game.pk]), {"late_joins": "false"})

    assert not Game.objects.get().late_joins
    assert "Let late joins in" in host_client.get(reverse("web:game", args=[game.pk])).content.decode()
    host_client.post(reverse("web:late_joins", args=[game.pk]), {"late_joins": "true"})
    assert Game.objects.get().late_joins


def test_a_late_join_refused_says_why_on_the_join_page(host, game, market):
    services.set_late_joins(host, game, False)
    services.step_market(host, market.pk, phase="question")
    services.step_market(host, market.pk, phase="trading")

    response = Client().post(reverse("web:join"), {"code": game.join_code, "nickname": "Late"})

    assert response.status_code == 200
    assert "The host closed late joins" in response.content.decode()
    assert not Player.objects.exists()


def test_the_host_deletes_a_game_from_its_page(host_client, game, alice):
    response = host_client.post(reverse("web:delete_game", args=[game.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("web:dashboard")
    assert "was deleted with its players" in response.content.decode()
    assert not Game.objects.exists() and not Player.objects.exists()


def test_another_host_cannot_delete_the_game(client, other_host, game, alice):
    client.force_login(other_host)

    assert client.post(reverse("web:delete_game", args=[game.pk])).status_code == 404
    assert Game.objects.exists() and Player.objects.exists()
