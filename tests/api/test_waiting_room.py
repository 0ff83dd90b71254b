"""The waiting room over the API (issue 23): a join waits (202), asks whether it is in, and moves on with the
same token once the host admits it; the host lists, admits, admits all and turns away. Bad input — another
host's game or arrival, admitting twice, a waiting token trading — is a clear 4xx and changes nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from mmgame import services
from mmgame.models import Arrival, Player, Trade

from .conftest import JSONClient, target

pytestmark = pytest.mark.django_db


@pytest.fixture
def room(host, game):
    return services.set_waiting_room(host, game, True)


@pytest.fixture
def phone(room) -> JSONClient:
    """A phone that joined the waiting room through the API (a bot's way: the token in a header)."""
    client = JSONClient(Client(enforce_csrf_checks=True))
    response = client.post(f"/api/games/{room.join_code}/join", {"nickname": "Ada"}, csrf=False)
    assert response.status_code == 202
    client.seat_token = response.json()["seat_token"]
    return client


def arrival_id(nickname: str = "Ada") -> int:
    return Arrival.objects.get(nickname=nickname).pk


def test_the_host_turns_the_waiting_room_on_and_the_game_says_so(host_api, game):
    response = host_api.post(f"/api/games/{game.join_code}/waiting-room", {"waiting_room": True})

    assert (response.status_code, response.json()["waiting_room"]) == (200, True)


def test_a_join_waits_with_202_and_a_token_that_is_no_seat_yet(room, phone):
    assert phone.get(f"/api/games/{room.join_code}/arrival").json() == {
        "status": "waiting",
        "nickname": "Ada",
        "player_id": None,
    }
    assert not Player.objects.exists()


def test_joining_again_while_waiting_is_the_same_place(room, phone):
    response = phone.post(f"/api/games/{room.join_code}/join", {"nickname": "Someone else"}, csrf=False)

    assert (response.status_code, response.json()["rejoined"]) == (202, True)
    assert Arrival.objects.count() == 1


def test_the_host_lists_who_waits_and_admits_them_and_the_phone_moves_on(host_api, room, phone):
    listed = host_api.get(f"/api/games/{room.join_code}/waiting").json()
    assert [entry["nickname"] for entry in listed] == ["Ada"]

    response = host_api.post(f"/api/games/{room.join_code}/waiting/{listed[0]['id']}/admit")

    assert (response.status_code, response.json()["nickname"]) == (200, "Ada")
    status = phone.get(f"/api/games/{room.join_code}/arrival").json()
    assert (status["status"], status["player_id"]) == ("admitted", response.json()["id"])
    assert phone.get(f"/api/games/{room.join_code}").json()["game"]["waiting_room"] is True
    assert host_api.get(f"/api/games/{room.join_code}/waiting").json() == []


def test_a_waiting_token_cannot_trade_or_read_the_markets(room, open_market, phone):
    trade = phone.post(f"/api/markets/{open_market.pk}/trades", target(120, 40, "k1"))
    read = phone.get(f"/api/markets/{open_market.pk}")

    assert (trade.status_code, trade.json()["code"]) == (403, "waiting")
    assert (read.status_code, read.json()["code"]) == (403, "waiting")
    assert phone.get(f"/api/games/{room.join_code}").json()["markets"] == []
    assert not Trade.objects.exists()


def test_admitting_twice_is_a_409_and_changes_nothing(host_api, room, phone):
    url = f"/api/games/{room.join_code}/waiting/{arrival_id()}/admit"
    assert host_api.post(url).status_code == 200

    again = host_api.post(url)

    assert (again.status_code, again.json()["code"]) == (409, "invalid_status_change")
    assert Player.objects.count() == 1


def test_another_hosts_game_or_arrival_is_not_found(host, intruder_api, host_api, room, phone, other_game):
    theirs = intruder_api.post(f"/api/games/{room.join_code}/waiting/{arrival_id()}/admit")
    mixed = host_api.post(f"/api/games/{other_game.join_code}/waiting/{arrival_id()}/admit")
    other_room = services.create_game(host, "Other room", waiting_room=True)
    wrong_game = host_api.post(f"/api/games/{other_room.join_code}/waiting/{arrival_id()}/admit")
    nonsense = host_api.post(f"/api/games/{room.join_code}/waiting/999999/admit")

    assert [r.status_code for r in (theirs, mixed, wrong_game, nonsense)] == [404, 404, 404, 404]
    assert intruder_api.get(f"/api/games/{room.join_code}/waiting").status_code == 404
    assert not Player.objects.exists()
    assert Arrival.objects.get().status == "waiting"


def test_a_waiting_phone_cannot_admit_itself(room, phone):
    response = phone.post(f"/api/games/{room.join_code}/waiting/{arrival_id()}/admit")

    assert response.status_code in (401, 403)
    assert not Player.objects.exists()


def test_turned_away_the_phone_is_told_so_and_cannot_join_again(host_api, room, phone):
    response = host_api.post(f"/api/games/{room.join_code}/waiting/{arrival_id()}/turn-away")
    assert response.status_code == 200

    asked = phone.get(f"/api/games/{room.join_code}/arrival")
    again = phone.post(f"/api/games/{room.join_code}/join", {"nickname": "Ada"}, csrf=False)

    assert (asked.status_code, asked.json()["code"]) == (403, "turned_away")
    assert (again.status_code, again.json()["code"]) == (403, "turned_away")
    assert Arrival.objects.count() == 1


def test_admit_all_says_how_many_went_in_and_how_many_still_wait(host, host_api):
    game = services.create_game(host, "Two seats", max_players=2, waiting_room=True)
    for name in ("A", "B"):
        services.join_game(game.join_code, name, address="10.0.0.1")
    services.admit(host, Arrival.objects.get(nickname="A"))
    services.join_game(game.join_code, "C", address="10.0.0.1")

    response = host_api.post(f"/api/games/{game.join_code}/waiting/admit-all")

    assert response.json() == {"admitted": 1, "waiting": 1}


def test_asking_without_a_seat_or_a_place_is_a_401(anyone, room):
    response = anyone.get(f"/api/games/{room.join_code}/arrival")

    assert (response.status_code, response.json()["code"]) == (401, "not_signed_in")
