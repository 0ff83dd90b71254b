"""Joining a game: a seat at once, or a place in its waiting room until the host lets the player in.

One person, one seat: a class shares one network address and a private window beats anything a browser
keeps, so the tools that tell people apart are the host's (docs/privacy.md). With the waiting room on
(`Game.waiting_room`, "Let players in myself"), a join makes an `Arrival`, not a seat: the host sees its
nickname and admits it, admits everyone waiting, or turns it away. A waiting phone takes no seat, no clue
and no say until admitted; then its seat has the token the phone already holds, so it moves on by itself.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Q

from mmgame import events, round
from mmgame.access import check_host
from mmgame.market import gettext_noop
from mmgame.models import Arrival, Game, Market, Player
from mmgame.nicknames import clean_nickname, lookalike_key, nickname_key

from . import clues, limits
from .errors import GameFull, InvalidTransition, JoinsClosed, NicknameTaken, NotFound, WaitingRoomFull
from .games import find_game, set_switch

# How many may wait at once from one network address: a class behind one school address, however large
# the game. A game's waiting room holds at most as many as the game has seats (Game.max_players).
WAITING_PER_ADDRESS = 60


class InProcess:
    """No network client: a caller on the server itself (a fixture, a script), which no limit counts."""


IN_PROCESS = InProcess()


def join_game(join_code: str, nickname: object, *, address: str | InProcess | None = IN_PROCESS) -> Player | Arrival:
    """A new seat in the game with that code (the returned seat token is the player's only key), or, when
    the host lets players in themselves, a place in its waiting room (an Arrival, whose token becomes the
    seat's once admitted).

    A face passes the client's network `address` (None when it has none: those count together). Seats
    given and places taken count against two of its limits (settings.RATE_LIMITS): `join`, all its joins a
    minute (a class shares one address), and `new_seat`, its joins to this one game, so that one client
    cannot take a game's seats, or fill its waiting room, in seconds. Only what is given counts: a refused
    join (no such game, a full game, a taken name) costs the class nothing, so no one can use up its quota
    with them."""
    game = find_game(join_code)
    name = clean_nickname(nickname)
    if game.status == Game.Status.FINISHED:
        raise InvalidTransition(gettext_noop("that game has finished"))
    counted = () if isinstance(address, InProcess) else (("join", address), ("new_seat", f"{game.pk}:{address}"))
    with limits.spent_on_success(*counted):
        try:
            with transaction.atomic():
                game = Game.objects.select_for_update().get(pk=game.pk)  # joins to one game count one at a time
                if not game.late_joins and started(game):
                    raise JoinsClosed(
                        gettext_noop("the host closed late joins: this game's round has started; ask the host")
                    )
                if game.waiting_room:
                    return wait(game, name, address_key(address))
                return seat_player(game, name)
        except IntegrityError:
            raise NicknameTaken(
                gettext_noop("someone in this game already has that nickname; pick another"), field="nickname"
            ) from None


def seat_player(game: Game, name: str, token: str | None = None) -> Player:
    """A seat in a game locked by the caller's transaction (a join, or the host admitting `token`'s arrival)."""
    # Practice traders take no seat (mmgame.services.practice caps them on their own).
    if seated(game) >= game.max_players:
        raise GameFull(
            gettext_noop("this game is full (%(max_players)s players); ask the host", max_players=game.max_players)
        )
    player = Player.objects.create(game=game, nickname=name, **({"seat_token": token} if token else {}))
    for market in Market.objects.filter(game=game, clue_noise__isnull=False).exclude(phase__in=clues.SHOWN_BEFORE):
        clues.hand_out(market, [player])  # a late joiner gets the clues the others got
    events.players_changed(game.pk)
    return player


def seated(game: Game) -> int:
    return game.players.filter(kicked=False, is_bot=False).count()


def wait(game: Game, name: str, address: str) -> Arrival:
    """A place in the game's waiting room (locked by the caller's transaction), bounded per game and per
    address; a nickname a seat or another waiting phone holds is taken, as it would be for a seat."""
    if seated(game) >= game.max_players:
        raise GameFull(
            gettext_noop("this game is full (%(max_players)s players); ask the host", max_players=game.max_players)
        )
    waiting = Arrival.objects.filter(game=game, status=Arrival.Status.WAITING)
    if waiting.count() >= game.max_players:
        raise WaitingRoomFull(
            gettext_noop(
                "%(max_players)s are waiting for the host already; try again once they are in",
                max_players=game.max_players,
            )
        )
    if waiting.filter(address_key=address).count() >= WAITING_PER_ADDRESS:
        raise WaitingRoomFull(
            gettext_noop(
                "%(waiting_per_address)s from your network are waiting already; try again later",
                waiting_per_address=WAITING_PER_ADDRESS,
            )
        )
    lookalike = lookalike_key(name)
    same = Q(nickname_key=nickname_key(name)) | (Q(lookalike_key=lookalike) if lookalike else Q(pk__in=[]))
    if game.players.filter(name_freed=False).filter(same).exists():
        raise NicknameTaken(
            gettext_noop("someone in this game already has that nickname; pick another"), field="nickname"
        )
    arrival = Arrival.objects.create(game=game, nickname=name, address_key=address)
    events.waiting_changed(game.pk)
    return arrival


def address_key(address: str | InProcess | None) -> str:
    """A keyed hash of a network address, enough to count the phones waiting from it and no more (the
    address itself is never stored; docs/privacy.md)."""
    if not isinstance(address, str):
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]


def admit(host: AbstractBaseUser, arrival: Arrival) -> Player:
    """Let one waiting phone in: its seat (with the clues the others got) has the token the phone holds.
    Admitting twice, or someone turned away, is refused and changes nothing; so is a full or finished game.
    The host's own choice: closed late joins (which stop new arrivals) do not stop it."""
    check_host(host, arrival.game)
    try:
        with transaction.atomic():
            game = open_game(arrival.game_id)
            arrival = still_waiting(game, arrival.pk)
            player = seat_player(game, arrival.nickname, arrival.seat_token)
            Arrival.objects.filter(pk=arrival.pk).update(status=Arrival.Status.ADMITTED, address_key="")
            events.waiting_changed(game.pk)
            return player
    except IntegrityError:
        raise NicknameTaken(
            gettext_noop("someone in this game took that nickname meanwhile; turn this one away")
        ) from None


def admit_all(host: AbstractBaseUser, game: Game) -> int:
    """Let everyone waiting in, first come first: as many as the game has seats left. One whose nickname a
    seat took meanwhile stays waiting. Returns how many were let in."""
    check_host(host, game)
    admitted = 0
    with transaction.atomic():
        game = open_game(game.pk)
        for arrival in Arrival.objects.filter(game=game, status=Arrival.Status.WAITING):
            if seated(game) >= game.max_players:
                break
            try:
                with transaction.atomic():
                    seat_player(game, arrival.nickname, arrival.seat_token)
            except IntegrityError:
                continue
            Arrival.objects.filter(pk=arrival.pk).update(status=Arrival.Status.ADMITTED, address_key="")
            admitted += 1
        if admitted:
            events.waiting_changed(game.pk)
    return admitted


def turn_away(host: AbstractBaseUser, arrival: Arrival) -> Arrival:
    """Do not let a waiting phone in: it is told so, and the same browser cannot wait again."""
    check_host(host, arrival.game)
    with transaction.atomic():
        game = Game.objects.select_for_update().get(pk=arrival.game_id)
        arrival = still_waiting(game, arrival.pk)
        arrival.status, arrival.address_key = Arrival.Status.TURNED_AWAY, ""
        arrival.save(update_fields=["status", "address_key"])
        events.waiting_changed(game.pk)
        return arrival


def open_game(game_id: int) -> Game:
    """The game, locked for a seat to be given in it: not once it has finished."""
    game = Game.objects.select_for_update().get(pk=game_id)
    if game.status == Game.Status.FINISHED:
        raise InvalidTransition(gettext_noop("that game has finished"))
    return game


def still_waiting(game: Game, arrival_id: int) -> Arrival:
    arrival = Arrival.objects.filter(pk=arrival_id, game=game).first()
    if arrival is None:
        raise NotFound(gettext_noop("no one of that number is in this game's waiting room"))
    if arrival.status == Arrival.Status.ADMITTED:
        raise InvalidTransition(gettext_noop("%(nickname)s is in the game already", nickname=arrival.nickname))
    if arrival.status == Arrival.Status.TURNED_AWAY:
        raise InvalidTransition(gettext_noop("%(nickname)s was turned away", nickname=arrival.nickname))
    return arrival


def set_waiting_room(host: AbstractBaseUser, game: Game, waiting_room: bool) -> Game:
    """Let players in oneself (a waiting room), or let everyone join at once. Turning it off lets no one in
    by itself: those waiting stay listed for the host to admit or turn away."""
    return set_switch(host, game, "waiting_room", waiting_room)


# The phases from which a round has started: a seat joining now would draw a clue, or trade, with the class.
STARTED = round.where("clues")  # the phases the round's table hands clues out in (mmgame.round)


def started(game: Game) -> bool:
    """Whether any of the game's markets has gone past its question (first guesses, trading or later)."""
    return Market.objects.filter(game=game, phase__in=STARTED).exists()
