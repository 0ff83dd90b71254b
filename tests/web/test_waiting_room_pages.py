"""The waiting room on the pages (issue 23): the host's switch and list, the phone that waits, and what the
host's buttons do; another host's game or arrival is not found."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from mmgame import services
from mmgame.models import Arrival, Game, Player

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Signing the host in is not under test here; PBKDF2 was most of each test's time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def room(host, game) -> Game:
    return services.set_waiting_room(host, game, True)


def phone_joins(game: Game, nickname: str = "Ada") -> Client:
    phone = Client()
    response = phone.post(reverse("web:join"), {"code": game.join_code, "nickname": nickname})
    assert response.status_code == 302 and response["Location"] == reverse("web:play", args=[game.pk])
    return phone


def test_the_host_turns_the_waiting_room_on_from_the_game_page(host_client, game):
    page = host_client.get(reverse("web:game", args=[game.pk])).content.decode()
    assert "Let players in myself" in page and "waiting-room.js" in page

    host_client.post(reverse("web:waiting_switch", args=[game.pk]), {"waiting_room": "true"})

    assert Game.objects.get().waiting_room
    assert "Let everyone in at once" in host_client.get(reverse("web:game", args=[game.pk])).content.decode()


def test_a_joining_phone_waits_on_a_page_that_says_so(room):
    phone = phone_joins(room)

    page = phone.get(reverse("web:play", args=[room.pk]))

    assert page.status_code == 200
    assert "Waiting for the host to let you in" in page.content.decode()
    assert not Player.objects.exists()


def test_joining_again_from_the_same_phone_keeps_its_one_place(room):
    phone = phone_joins(room)
    phone.post(reverse("web:join"), {"code": room.join_code, "nickname": "Ada's twin"})
    phone.get(reverse("web:join_code", args=[room.join_code]))

    assert Arrival.objects.count() == 1


def test_the_host_sees_who_waits_and_admits_them_and_the_phone_plays(host_client, room):
    phone = phone_joins(room)
    section = host_client.get(reverse("web:waiting", args=[room.pk])).content.decode()
    assert "Ada" in section and "Admit" in section and "Turn away" in section

    arrival = Arrival.objects.get()
    host_client.post(reverse("web:admit", args=[room.pk, arrival.pk]))

    assert Player.objects.get().seat_token == arrival.seat_token
    play = phone.get(reverse("web:play", args=[room.pk])).content.decode()
    assert 'id="play"' in play and "to let you in" not in play


def test_turned_away_the_phone_reads_a_plain_sentence(host_client, room):
    phone = phone_joins(room)
    host_client.post(reverse("web:turn_away", args=[room.pk, Arrival.objects.get().pk]))

    page = phone.get(reverse("web:play", args=[room.pk]))

    assert page.status_code == 403
    assert "The host did not let you into this game" in page.content.decode()


def test_admit_all_from_the_page(host_client, room):
    for name in ("Ada", "Grace"):
        phone_joins(room, name)

    host_client.post(reverse("web:admit_all", args=[room.pk]))

    assert sorted(Player.objects.values_list("nickname", flat=True)) == ["Ada", "Grace"]


def test_admitting_twice_from_the_page_says_so_and_changes_nothing(host_client, room):
    phone_joins(room)
    arrival = Arrival.objects.get()
    host_client.post(reverse("web:admit", args=[room.pk, arrival.pk]))

    response = host_client.post(reverse("web:admit", args=[room.pk, arrival.pk]), follow=True)

    assert "Ada is in the game already" in response.content.decode()
    assert Player.objects.count() == 1


def test_another_hosts_game_or_arrival_is_not_found(client, other_host, host, room, other_game):
    phone_joins(room)
    arrival = Arrival.objects.get()
    client.force_login(other_host)

    assert client.post(reverse("web:admit", args=[room.pk, arrival.pk])).status_code == 404
    assert client.get(reverse("web:waiting", args=[room.pk])).status_code == 404
    assert client.post(reverse("web:admit", args=[other_game.pk, arrival.pk])).status_code == 404
    assert not Player.objects.exists()
