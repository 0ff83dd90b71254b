"""Games: the host creates and runs them; anyone finds one by its join code; players join it."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from mmgame import access, queries, services
from mmgame.clients import client_address
from mmgame.models import Game, Player
from mmgame.queries import lookups
from mmgame.queries.shapes import game_state, market_state
from mmgame.services import NotFound

from .auth import caller_of, csrf_ok, host_auth, remember_seat
from .leaderboards import visible_standings
from .numbers import ObjectId
from .schemas import (
    HOST,
    JOIN,
    PUBLIC,
    SEATED,
    GameDetailOut,
    GameIn,
    GameLeaderboardOut,
    GameOut,
    JoinIn,
    LateJoinsIn,
    MarketIn,
    MarketOut,
    PlayerOut,
    SeatOut,
    replies,
)

router = Router(tags=["games"])


def hosted_game(request: HttpRequest, code: str) -> Game:
    """The game with this code, if the caller hosts it (mmgame.access: to anyone else it is not found)."""
    game = services.find_game(code)
    access.check_host(request.auth, game)  # type: ignore[attr-defined]
    return game


def hosted_player(request: HttpRequest, code: str, player_id: int) -> Player:
    """A player of a game the caller hosts (a player of another game is not found here)."""
    game = hosted_game(request, code)
    player = lookups.player_in_game(game=game, player_id=player_id)
    if player is None:
        raise NotFound("no such player in this game")
    return player


def player_entry(player: Player) -> dict:
    return {
        "id": player.pk,
        "nickname": player.nickname,
        "kicked": player.kicked,
        "name_freed": player.name_freed,
        "is_bot": player.is_bot,
    }


@router.get("", auth=host_auth, response=replies({200: list[GameOut]}, *HOST), summary="List my games (host)")
def list_games(request: HttpRequest) -> list[dict]:
    return [game_state(game) for game in access.hosted_games(request.auth)]  # type: ignore[attr-defined]


@router.post("", auth=host_auth, response=replies({201: GameOut}, *HOST), summary="Create a game (host)")
def create_game(request: HttpRequest, body: GameIn) -> Status:
    game = services.create_game(
        request.auth,  # type: ignore[arg-type]
        body.title,
        hide_names=body.hide_names,
        max_players=body.max_players,
        late_joins=body.late_joins,
    )
    return Status(201, game_state(game))


@router.get("/{code}", response=replies({200: GameDetailOut}, *PUBLIC), summary="Find a game by its join code")
def game_detail(request: HttpRequest, code: str) -> dict:
    """The game, and its markets to its host and its players (drafts to the host alone): the code is what
    one joins with, the markets are for those who did."""
    game = services.find_game(code)
    seen = access.find_game_face(caller_of(request), game)
    markets = access.visible_markets(seen) if access.reads_markets(seen) else []
    return {
        "game": game_state(game),
        "markets": [market_state(queries.current_market(market)) for market in markets],
        "players": lookups.active_player_count(game=game),
    }


@router.post("/{code}/join", response=replies({201: SeatOut, 200: SeatOut}, *JOIN, 403), summary="Join a game")
def join_game(request: HttpRequest, code: str, body: JoinIn) -> Status:
    """A new seat. A browser on this site (a request with a valid CSRF token) also keeps it in its session.
    Seats given from one network address are limited (mmgame.services.games.join_game): then 429.

    A caller that holds a seat in the game already (its session, or X-Seat-Token) gets that seat back (200,
    `rejoined`), whatever nickname it sends: the same seat and the same clue, and a kicked seat stays
    kicked (403) rather than joining again."""
    held = access.held_seat(caller_of(request), services.find_game(code))
    player = held or services.join_game(code, body.nickname, address=client_address(request))
    in_session = csrf_ok(request)
    if in_session:
        remember_seat(request, player)
    return Status(
        200 if held else 201,
        {
            "player_id": player.pk,
            "nickname": player.nickname,
            "seat_token": player.seat_token,
            "game": game_state(player.game),
            "session": in_session,
            "rejoined": held is not None,
        },
    )


@router.post(
    "/{code}/late-joins", auth=host_auth, response=replies({200: GameOut}, *HOST), summary="Close or open late joins"
)
def set_late_joins(request: HttpRequest, code: str, body: LateJoinsIn) -> dict:
    """With late_joins false no one joins once a question's first guesses or trading have started."""
    game = services.set_late_joins(request.auth, hosted_game(request, code), body.late_joins)  # type: ignore[arg-type]
    return game_state(game)


@router.delete("/{code}", auth=host_auth, response=replies({204: None}, *HOST), summary="Delete a game (host)")
def delete_game(request: HttpRequest, code: str) -> Status:
    """The game and everything of its players: seats, nicknames, trades, guesses, clues (docs/privacy.md)."""
    services.delete_game(request.auth, hosted_game(request, code))  # type: ignore[arg-type]
    return Status(204, None)


@router.post("/{code}/markets", auth=host_auth, response=replies({201: MarketOut}, *HOST), summary="Add a market")
def add_market(request: HttpRequest, code: str, body: MarketIn) -> Status:
    game = hosted_game(request, code)
    market = services.add_market(request.auth, game, **body.model_dump())  # type: ignore[attr-defined]
    return Status(201, market_state(market))


@router.get("/{code}/players", auth=host_auth, response=replies({200: list[PlayerOut]}, *HOST), summary="Players")
def list_players(request: HttpRequest, code: str) -> list[dict]:
    return [player_entry(player) for player in lookups.players(game=hosted_game(request, code))]


@router.post(
    "/{code}/players/{player_id}/kick", auth=host_auth, response=replies({200: PlayerOut}, *HOST), summary="Kick"
)
def kick_player(request: HttpRequest, code: str, player_id: ObjectId) -> dict:
    return player_entry(services.kick_player(request.auth, hosted_player(request, code, player_id)))  # type: ignore[arg-type]


@router.post(
    "/{code}/players/{player_id}/free-name",
    auth=host_auth,
    response=replies({200: PlayerOut}, *HOST),
    summary="Free a removed player's nickname (host)",
)
def free_nickname(request: HttpRequest, code: str, player_id: ObjectId) -> dict:
    """Someone may join under the nickname again; the removed seat keeps it in the ledger."""
    return player_entry(services.free_nickname(request.auth, hosted_player(request, code, player_id)))  # type: ignore[arg-type]


@router.post("/{code}/finish", auth=host_auth, response=replies({200: GameOut}, *HOST), summary="End the game")
def finish_game(request: HttpRequest, code: str) -> dict:
    return game_state(services.finish_game(request.auth, hosted_game(request, code)))  # type: ignore[attr-defined]


@router.get("/{code}/leaderboard", response=replies({200: GameLeaderboardOut}, *SEATED), summary="Game leaderboard")
def game_leaderboard(request: HttpRequest, code: str) -> dict:
    """The game's profit board and its podium, for its host and its players."""
    seen = access.access_game(caller_of(request), services.find_game(code))
    standings = queries.game_leaderboard(seen.game)
    return {
        "game_id": seen.game.pk,
        "profit": visible_standings(seen, standings),
        "podium": visible_standings(seen, queries.podium(seen.game, standings)),
    }
