"""Who chooses the language of each page (docs/i18n.md): the host's pages follow the host's picker or the
browser; the wall and every phone follow the game's language; a player may switch their own phone; a
language nobody ships falls back to English."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse

from mmgame import services
from mmgame.market import Refused
from mmgame.models import Game, Player

pytestmark = pytest.mark.django_db


def lang_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return re.search(r'<html lang="([^"]*)"', response.content.decode())[1]


def join(client, game, nickname: str = "Dana") -> Player:
    client.post(reverse("web:join"), {"code": game.join_code, "nickname": nickname})
    return Player.objects.get(game=game, nickname=nickname)


def test_the_host_pages_follow_the_browser_then_the_hosts_picker(host_client):
    dashboard = reverse("web:dashboard")
    assert lang_of(host_client.get(dashboard)) == "en"
    page = host_client.get(dashboard, headers={"accept-language": "de-DE,de;q=0.9,en;q=0.5"})
    assert lang_of(page) == "de" and page["Content-Language"] == "de"
    picked = host_client.post(reverse("set_language"), {"language": "es", "next": dashboard})
    assert picked.status_code == 302 and picked.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    page = host_client.get(dashboard, headers={"accept-language": "de"})
    assert lang_of(page) == "es" and "Mis partidas" in page.content.decode()  # the choice beats the browser


def test_a_language_nobody_ships_falls_back_to_english(host_client, client):
    assert lang_of(host_client.get(reverse("web:dashboard"), headers={"accept-language": "pt-BR,pt"})) == "en"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert lang_of(client.get(reverse("web:home"))) == "en"
    host_client.post(reverse("set_language"), {"language": "pt", "next": "/"})  # Django ships pt; we do not
    assert lang_of(host_client.get(reverse("web:dashboard"))) == "en"


def test_the_new_game_form_sets_the_games_language_and_offers_the_hosts_own(host_client):
    form = host_client.get(reverse("web:new_game"), headers={"accept-language": "fr"}).content.decode()
    assert re.search(r'<option value="fr" selected>', form)
    host_client.post(reverse("web:new_game"), {"title": "Clase de ciencias", "language": "es"})
    assert Game.objects.get(title="Clase de ciencias").language == "es"


def test_the_host_changes_the_games_language_on_its_page_and_a_bad_one_changes_nothing(host_client, game):
    url = reverse("web:game_language", args=[game.pk])
    assert host_client.post(url, {"language": "de"}).status_code == 302
    game.refresh_from_db()
    assert game.language == "de"
    host_client.post(url, {"language": "pt"})
    game.refresh_from_db()
    assert game.language == "de"
    page = host_client.get(reverse("web:game", args=[game.pk]), headers={"accept-language": "en"})
    assert lang_of(page) == "en"  # the host's own page keeps the host's language
    assert '<option value="de" lang="de" selected>' in page.content.decode()


def test_the_wall_speaks_the_games_language_whatever_the_hosts_browser_says(host_client, host, game):
    services.set_game_language(host, game, "es")
    page = host_client.get(reverse("web:projector", args=[game.pk]), headers={"accept-language": "de"})
    assert lang_of(page) == "es" and page["Content-Language"] == "es"
    assert "Únete en" in page.content.decode() and "data-follows-game" in page.content.decode()


def test_a_phone_follows_the_game_until_its_player_chooses_and_back(client, host, game):
    services.set_game_language(host, game, "fr")
    player = join(client, game)
    play = reverse("web:play", args=[game.pk])
    page = client.get(play, headers={"accept-language": "de"})
    assert lang_of(page) == "fr" and "data-follows-game" in page.content.decode()

    client.post(reverse("web:phone_language", args=[game.pk]), {"language": "es"})
    player.refresh_from_db()
    assert player.language == "es"
    page = client.get(play)
    assert lang_of(page) == "es" and "Idioma en este móvil" in page.content.decode()
    assert "data-follows-game" not in page.content.decode()  # the host's next change leaves this phone be
    services.set_game_language(host, game, "de")
    assert lang_of(client.get(play)) == "es"

    client.post(reverse("web:phone_language", args=[game.pk]), {"language": "xx"})  # refused: nothing changes
    assert lang_of(client.get(play)) == "es"
    client.post(reverse("web:phone_language", args=[game.pk]), {"language": ""})  # the game's again
    assert lang_of(client.get(play)) == "de"


def test_only_a_seat_of_the_game_may_set_a_phones_language(client, game, alice):
    response = client.post(reverse("web:phone_language", args=[game.pk]), {"language": "es"})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.language == ""


def test_the_join_link_speaks_its_games_language(client, host, game):
    services.set_game_language(host, game, "es")
    page = client.get(reverse("web:join_code", args=[game.join_code]), headers={"accept-language": "en"})
    assert lang_of(page) == "es"


def test_a_refusal_on_a_page_is_said_in_the_pages_language(client, host, game, alice):
    services.set_game_language(host, game, "es")
    page = client.post(reverse("web:join"), {"code": game.join_code, "nickname": "Alice"})
    assert "alguien en esta partida ya tiene ese apodo" in page.content.decode().lower()


def test_bank_questions_are_added_in_the_games_language_and_listed_in_the_hosts(host_client, host, game):
    services.set_game_language(host, game, "es")
    (market,) = services.add_from_bank(host, game, ["room-jelly-beans"])
    assert (market.question, market.unit) == ("¿Cuántas gominolas hay en el tarro?", "gominolas")
    page = host_client.get(reverse("web:bank", args=[game.pk]), headers={"accept-language": "es"}).content.decode()
    assert "¿Cuántas gominolas hay en el tarro?" in page and "Estimación en el aula" in page
    assert "How many jelly beans" not in page
    exported = services.export_questions(host, game)
    assert ",room," in exported  # a translated bank question still knows its category


def test_the_language_check_refuses_what_no_catalogue_ships(host, game):
    with pytest.raises(Refused) as refused:
        services.set_game_language(host, game, "pt")
    assert refused.value.details["field"] == "language"
    with pytest.raises(Refused):
        services.create_game(host, "Aula", language="ES-es")
    game.refresh_from_db()
    assert game.language == "en"
