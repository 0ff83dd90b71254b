"""The host's practice-trader controls (below the control room) and the bots' mark on the host's pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mmgame import services
from mmgame.models import Game, Player, PracticeTrader

pytestmark = pytest.mark.django_db


def test_the_game_page_offers_to_add_practice_traders(host_client, game):
    page = host_client.get(reverse("web:game", args=[game.pk])).content.decode()

    assert 'id="practice-section"' in page
    assert reverse("web:add_practice", args=[game.pk]) in page
    assert 'name="knowledge"' in page and 'value="informed"' in page and 'value="noise"' in page


def test_the_add_form_seats_practice_traders(host_client, game):
    response = host_client.post(reverse("web:add_practice", args=[game.pk]), {"count": "10", "knowledge": "noise"})

    assert response.status_code == 302
    assert PracticeTrader.objects.filter(player__game=game, knowledge="noise", active=True).count() == 10


def test_a_bad_count_adds_nobody(host_client, game):
    host_client.post(reverse("web:add_practice", args=[game.pk]), {"count": "51", "knowledge": "informed"})

    assert not PracticeTrader.objects.exists()


def test_the_players_list_marks_bots_with_an_icon_and_a_word(host_client, host, game, alice):
    services.add_practice_traders(host, game, count=1, knowledge="informed", now=game.created_at)

    page = host_client.get(reverse("web:game", args=[game.pk])).content.decode()

    assert 'Bot Ada <span class="bot-mark"><span aria-hidden="true">🤖</span> bot</span>' in page
    assert 'Alice <span class="bot-mark">' not in page


def test_remove_stops_every_practice_trader(host_client, host, game):
    services.add_practice_traders(host, game, count=3, knowledge="noise", now=game.created_at)

    host_client.post(reverse("web:remove_practice", args=[game.pk]))

    assert not PracticeTrader.objects.filter(active=True).exists()
    assert Player.objects.filter(is_bot=True, kicked=True).count() == 3


def test_the_checkbox_counts_bots_on_the_podium(host_client, game):
    host_client.post(reverse("web:include_bots", args=[game.pk]), {"include_bots": "on"})
    assert Game.objects.get(pk=game.pk).include_bots
    host_client.post(reverse("web:include_bots", args=[game.pk]), {})
    assert not Game.objects.get(pk=game.pk).include_bots


def test_another_host_cannot_add_practice_traders(client, other_host, game):
    client.force_login(other_host)

    response = client.post(reverse("web:add_practice", args=[game.pk]), {"count": "3", "knowledge": "noise"})

    assert response.status_code == 404 and not PracticeTrader.objects.exists()
