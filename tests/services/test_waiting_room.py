"""The waiting room (issue 23, "one person, one seat"): with "Let players in myself" on, a join waits for
the host, who admits it, admits everyone, or turns it away. A waiting phone is no seat: it takes no seat,
no clue and no say, and waiting is bounded per game and per address."""

from __future__ import annotations

import pytest

from mmgame import access, services
from mmgame.models import Arrival, Clue, Game, Player
from mmgame.services import joins

pytestmark = pytest.mark.django_db


@pytest.fixture
def room(host, game) -> Game:
    return services.set_waiting_room(host, game, True)


def wait(game: Game, nickname: str, address: str | None = "10.0.0.1") -> Arrival:
    arrival = services.join_game(game.join_code, nickname, address=address)
    assert isinstance(arrival, Arrival)
    return arrival


def holding(arrival: Arrival) -> access.Caller:
    """The caller a waiting phone is: its token, as its session or X-Seat-Token holds it."""
    return access.caller(seat_token=arrival.seat_token)


def rows() -> tuple:
    return (
        list(Player.objects.values_list("id", "nickname", "kicked")),
        list(Arrival.objects.values_list("id", "status", "address_key")),
    )


# -- joining into the waiting room --------------------------------------------------------------------


def test_the_waiting_room_is_off_by_default_and_a_join_takes_a_seat(game):
    assert game.waiting_room is False
    assert isinstance(services.join_game(game.join_code, "Ada"), Player)


def test_with_the_waiting_room_on_a_join_waits_and_takes_no_seat(room):
    arrival = wait(room, "Ada")

    assert arrival.status == Arrival.Status.WAITING
    assert not room.players.exists()


def test_a_waiting_phone_announces_itself_after_the_commit(room, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        wait(room, "Ada")

    assert [callback.args[0] for callback in callbacks] == [{"kind": "waiting", "game": room.pk}]


def test_a_waiting_nickname_is_taken_for_seats_and_for_others_waiting(room, host):
    wait(room, "Ada")
    with pytest.raises(services.NicknameTaken):
        wait(room, "ada")
    services.set_waiting_room(host, room, False)
    services.join_game(room.join_code, "Grace")
    services.set_waiting_room(host, room, True)

    with pytest.raises(services.NicknameTaken):
        wait(room, "GRACE")


def test_waiting_is_bounded_by_the_games_seats(host):
    game = services.create_game(host, "Small", max_players=3, waiting_room=True)
    for i in range(3):
        wait(game, f"S{i}", address=f"10.0.0.{i}")
    before = rows()

    with pytest.raises(services.WaitingRoomFull) as refused:
        wait(game, "One more", address="10.0.0.9")

    assert refused.value.code == "waiting_room_full"
    assert rows() == before


def test_waiting_is_bounded_per_address(room, monkeypatch):
    monkeypatch.setattr(joins, "WAITING_PER_ADDRESS", 2)
    wait(room, "A1")
    wait(room, "A2")

    with pytest.raises(services.WaitingRoomFull):
        wait(room, "A3")
    wait(room, "B1", address="10.0.0.2")  # another network waits as before


def test_the_address_is_kept_only_as_a_keyed_hash_and_only_while_waiting(room, host):
    arrival = wait(room, "Ada", address="203.0.113.7")

    assert arrival.address_key and "203.0.113.7" not in arrival.address_key
    services.admit(host, arrival)
    assert Arrival.objects.get(pk=arrival.pk).address_key == ""


def test_a_full_game_refuses_to_wait_too(host):
    game = services.create_game(host, "One seat", max_players=1)
    services.join_game(game.join_code, "First")
    services.set_waiting_room(host, game, True)

    with pytest.raises(services.GameFull):
        wait(game, "Second")


# -- what a waiting phone may do -----------------------------------------------------------------------


def test_a_waiting_phone_reads_nothing_of_the_game_and_is_told_it_waits(room, market):
    arrival = wait(room, "Ada")

    with pytest.raises(access.Waiting) as refused:
        access.access_game(holding(arrival), room)
    assert refused.value.code == "waiting"
    with pytest.raises(access.Waiting):
        access.access_market(holding(arrival), market.pk)
    assert access.reads_markets(access.find_game_face(holding(arrival), room)) is False


def test_a_waiting_token_is_no_seat_for_trading_and_says_why(room, host, open_market):
    arrival = wait(room, "Ada")

    with pytest.raises(access.Waiting):
        access.seat(arrival.seat_token)
    services.turn_away(host, arrival)
    with pytest.raises(access.TurnedAway):
        access.seat(arrival.seat_token)


def test_joining_again_while_waiting_gives_the_same_place(room):
    arrival = wait(room, "Ada")

    assert access.held_seat(holding(arrival), room) == arrival


# -- the host lets them in ------------------------------------------------------------------------------


def test_admitting_gives_the_seat_the_token_the_phone_holds(room, host):
    arrival = wait(room, "Ada")

    player = services.admit(host, arrival)

    assert (player.nickname, player.seat_token) == ("Ada", arrival.seat_token)
    assert access.access_game(holding(arrival), room).player == player
    assert Arrival.objects.get(pk=arrival.pk).status == Arrival.Status.ADMITTED


def test_admitting_announces_the_seat_and_the_waiting_room(room, host, django_capture_on_commit_callbacks):
    arrival = wait(room, "Ada")
    with django_capture_on_commit_callbacks() as callbacks:
        services.admit(host, arrival)

    assert [callback.args[0]["kind"] for callback in callbacks] == ["players", "waiting"]


def test_admitting_twice_is_refused_and_changes_nothing(room, host):
    arrival = wait(room, "Ada")
    services.admit(host, arrival)
    before = rows()

    with pytest.raises(services.InvalidTransition) as refused:
        services.admit(host, arrival)

    assert refused.value.code == "invalid_status_change"
    assert rows() == before


def test_another_host_cannot_admit_or_turn_away(room, other_host):
    arrival = wait(room, "Ada")
    before = rows()

    for act in (services.admit, services.turn_away):
        with pytest.raises(services.NotFound):
            act(other_host, arrival)
    with pytest.raises(services.NotFound):
        services.admit_all(other_host, room)
    assert rows() == before


def test_an_arrival_of_another_game_is_not_found_in_this_one(room, host):
    other = services.create_game(host, "Other room", waiting_room=True)
    arrival = wait(other, "Ada")

    with pytest.raises(access.NotFound):
        access.waiting_arrival(host, room, arrival.pk)


def test_admitting_into_a_full_game_is_refused_and_the_phone_keeps_waiting(host):
    game = services.create_game(host, "Two seats", max_players=2, waiting_room=True)
    first, second = wait(game, "First"), wait(game, "Second")
    services.admit(host, first)
    third = wait(game, "Third")
    services.admit(host, second)
    before = rows()

    with pytest.raises(services.GameFull):
        services.admit(host, third)

    assert rows() == before


def test_admit_all_lets_in_first_come_first_as_far_as_seats_go(host):
    game = services.create_game(host, "Three seats", max_players=3, waiting_room=True)
    for name in ("A", "B", "C"):
        wait(game, name)
    services.admit(host, Arrival.objects.get(nickname="A"))
    wait(game, "D")

    assert services.admit_all(host, game) == 2

    assert list(game.players.values_list("nickname", flat=True)) == ["A", "B", "C"]
    assert list(Arrival.objects.filter(status="waiting").values_list("nickname", flat=True)) == ["D"]


def test_an_admitted_latecomer_gets_the_clue_the_others_got_and_a_waiting_one_none(room, host):
    market = services.add_market(host, room, question="How many beans?", lo=0, hi=300, answer=150)
    services.set_clues(host, market.pk, noise=10)
    early = wait(room, "Early")
    services.admit(host, early)
    late = wait(room, "Late")
    services.step_market(host, market.pk, phase="question", confirm=True)
    services.step_market(host, market.pk, phase="guess", confirm=True)

    assert Clue.objects.filter(market=market).count() == 1  # the waiting phone drew none
    player = services.admit(host, late)
    assert Clue.objects.filter(market=market, player=player).count() == 1


# -- the host turns them away ---------------------------------------------------------------------------


def test_a_turned_away_phone_is_told_so_and_cannot_wait_again_from_the_same_browser(room, host):
    arrival = wait(room, "Ada")

    services.turn_away(host, arrival)

    with pytest.raises(access.TurnedAway) as refused:
        access.access_game(holding(arrival), room)
    assert refused.value.code == "turned_away"
    with pytest.raises(access.TurnedAway):
        access.held_seat(holding(arrival), room)
    assert not room.players.exists()


def test_turning_away_frees_the_nickname_for_someone_else(room, host):
    services.turn_away(host, wait(room, "Ada"))

    assert wait(room, "Ada", address="10.0.0.2").nickname == "Ada"


def test_turning_away_someone_admitted_is_refused(room, host):
    arrival = wait(room, "Ada")
    services.admit(host, arrival)
    before = rows()

    with pytest.raises(services.InvalidTransition):
        services.turn_away(host, arrival)
    assert rows() == before


def test_no_one_is_let_into_a_finished_game(room, host):
    arrival = wait(room, "Ada")
    services.finish_game(host, room)
    before = rows()

    for act in (services.admit, lambda who, arrival: services.admit_all(who, arrival.game)):
        with pytest.raises(services.InvalidTransition):
            act(host, arrival)
    assert rows() == before


def test_the_switch_is_the_hosts_alone(room, other_host):
    with pytest.raises(services.NotFound):
        services.set_waiting_room(other_host, room, False)

    assert Game.objects.get(pk=room.pk).waiting_room is True
