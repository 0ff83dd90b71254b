"""Games: the host creates and runs them; anyone finds one by its join code; players join it."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import translation
from ninja import Router, Status

from mmgame import access, queries, round, services
from mmgame.clients import client_address
from mmgame.market import gettext_noop
from mmgame.models import Arrival, Game, Player
from mmgame.queries import lookups
from mmgame.queries.shapes import autopilot_state, game_state, market_state
from mmgame.services import NotFound

from .auth import caller_of, csrf_ok, host_auth, remember_seat
from .leaderboards import visible_standings
from .numbers import ObjectId
from .schemas import (
    HOST,
    JOIN,
    PUBLIC,
    SEATED,
    AdmittedOut,
    ArrivalOut,
    ArrivalStatusOut,
    AutopilotIn,
    AutopilotSettingsOut,
    GameDetailOut,
    GameIn,
    GameLeaderboardOut,
    GameOut,
    HoldIn,
    JoinIn,
    LanguageIn,
    LateJoinsIn,
    MarketIn,
    MarketOrderIn,
    MarketOrderOut,
    MarketOut,
    PlayerOut,
    SeatOut,
    WaitingOut,
    WaitingRoomIn,
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
        raise NotFound(gettext_noop("no such player in this game"))
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
        waiting_room=body.waiting_room,
        language=translation.get_language() if body.language is None else body.language,
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


@router.post(
    "/{code}/join", response=replies({201: SeatOut, 200: SeatOut, 202: ArrivalOut}, *JOIN, 403), summary="Join a game"
)
def join_game(request: HttpRequest, code: str, body: JoinIn) -> Status:
    """A new seat (201), or, when the host lets players in themselves, a place in the game's waiting room
    (202): its `seat_token` becomes the seat's once the host admits it (GET /api/games/{code}/arrival says
    when). A browser on this site (a request with a valid CSRF token) also keeps it in its session. Seats
    and places given to one network address are limited (mmgame.services.joins.join_game): then 429.

    A caller that holds a seat in the game already (its session, or X-Seat-Token) gets that seat back (200,
    `rejoined`), whatever nickname it sends: the same seat and the same clue; one waiting gets its place
    back (202, `rejoined`); a kicked seat stays kicked and one turned away stays out (403)."""
    held = access.held_seat(caller_of(request), services.find_game(code))
    place = held or services.join_game(code, body.nickname, address=client_address(request))
    in_session = csrf_ok(request)
    if in_session:
        remember_seat(request, place)
    seat = {
        "nickname": place.nickname,
        "seat_token": place.seat_token,
        "game": game_state(place.game),
        "session": in_session,
        "rejoined": held is not None,
    }
    if isinstance(place, Arrival):
        return Status(202, {**seat, "waiting": True})
    return Status(200 if held else 201, {**seat, "player_id": place.pk})


@router.get("/{code}/arrival", response=replies({200: ArrivalStatusOut}, *SEATED), summary="Whether the host let me in")
def arrival_status(request: HttpRequest, code: str) -> dict:
    """For a phone in the waiting room: `waiting` until the host admits it, then `admitted` (its seat token
    is now its seat's); 403 `turned_away` if the host did not let it in, 401 if it holds neither."""
    place = access.place_in(caller_of(request), services.find_game(code))
    if isinstance(place, Arrival):
        return {"status": "waiting", "nickname": place.nickname, "player_id": None}
    return {"status": "admitted", "nickname": place.nickname, "player_id": place.pk}


@router.post(
    "/{code}/waiting-room",
    auth=host_auth,
    response=replies({200: GameOut}, *HOST),
    summary="Let players in myself, or not (host)",
)
def set_waiting_room(request: HttpRequest, code: str, body: WaitingRoomIn) -> dict:
    game = services.set_waiting_room(request.auth, hosted_game(request, code), body.waiting_room)  # type: ignore[arg-type]
    return game_state(game)


@router.get("/{code}/waiting", auth=host_auth, response=replies({200: list[WaitingOut]}, *HOST), summary="Waiting")
def list_waiting(request: HttpRequest, code: str) -> list[dict]:
    """Who waits for the host to let them in, first come first."""
    return queries.waiting(hosted_game(request, code))


@router.post(
    "/{code}/waiting/{arrival_id}/admit",
    auth=host_auth,
    response=replies({200: PlayerOut}, *HOST),
    summary="Let one in (host)",
)
def admit(request: HttpRequest, code: str, arrival_id: ObjectId) -> dict:
    """Their seat, with the clues the others got; admitting twice or someone turned away is a 409."""
    arrival = access.waiting_arrival(request.auth, hosted_game(request, code), arrival_id)  # type: ignore[attr-defined]
    return player_entry(services.admit(request.auth, arrival))  # type: ignore[arg-type]


@router.post(
    "/{code}/waiting/{arrival_id}/turn-away",
    auth=host_auth,
    response=replies({200: WaitingOut}, *HOST),
    summary="Turn one away (host)",
)
def turn_away(request: HttpRequest, code: str, arrival_id: ObjectId) -> dict:
    arrival = access.waiting_arrival(request.auth, hosted_game(request, code), arrival_id)  # type: ignore[attr-defined]
    return queries.waiting_entry(services.turn_away(request.auth, arrival))  # type: ignore[arg-type]


@router.post(
    "/{code}/waiting/admit-all",
    auth=host_auth,
    response=replies({200: AdmittedOut}, *HOST),
    summary="Let everyone waiting in (host)",
)
def admit_all(request: HttpRequest, code: str) -> dict:
    game = hosted_game(request, code)
    admitted = services.admit_all(request.auth, game)  # type: ignore[arg-type]
    return {"admitted": admitted, "waiting": len(queries.waiting(game))}


@router.post(
    "/{code}/late-joins", auth=host_auth, response=replies({200: GameOut}, *HOST), summary="Close or open late joins"
)
def set_late_joins(request: HttpRequest, code: str, body: LateJoinsIn) -> dict:
    """With late_joins false no one joins once a question's first guesses or trading have started."""
    game = services.set_late_joins(request.auth, hosted_game(request, code), body.late_joins)  # type: ignore[arg-type]
    return game_state(game)


@router.post(
    "/{code}/language", auth=host_auth, response=replies({200: GameOut}, *HOST), summary="Set the game's language"
)
def set_language(request: HttpRequest, code: str, body: LanguageIn) -> dict:
    """The projector and every phone that chose none reload in it; the host's own pages keep theirs."""
    game = services.set_game_language(request.auth, hosted_game(request, code), body.language)  # type: ignore[arg-type]
    return game_state(game)


def autopilot_reply(game: Game) -> dict:
    """The autopilot as every screen has it, the host's times, and what a question takes with them."""
    seconds = game.phase_seconds()
    return {**autopilot_state(game), "seconds": seconds, "question_seconds": round.question_seconds(seconds)}


@router.post(
    "/{code}/autopilot",
    auth=host_auth,
    response=replies({200: AutopilotSettingsOut}, *HOST),
    summary="Autopilot on or off",
)
def set_autopilot(request: HttpRequest, code: str, body: AutopilotIn) -> dict:
    """With `on` the round steps itself when a phase's time is up (docs/round.md § Autopilot); `seconds` sets
    the phases' times."""
    game = hosted_game(request, code)
    seconds = None if body.seconds is None else dict(body.seconds)
    return autopilot_reply(services.autopilot.set_autopilot(request.auth, game, on=body.on, seconds=seconds))  # type: ignore[arg-type]


@router.post(
    "/{code}/autopilot/hold",
    auth=host_auth,
    response=replies({200: AutopilotSettingsOut}, *HOST),
    summary="Hold the time",
)
def hold_autopilot(request: HttpRequest, code: str, body: HoldIn) -> dict:
    """Hold: the time of the phase on screen stands still; `held` false lets it run on."""
    return autopilot_reply(services.autopilot.hold(request.auth, hosted_game(request, code), held=body.held))  # type: ignore[arg-type]


@router.post(
    "/{code}/autopilot/extend",
    auth=host_auth,
    response=replies({200: AutopilotSettingsOut}, *HOST),
    summary="+30 seconds",
)
def extend_autopilot(request: HttpRequest, code: str) -> dict:
    return autopilot_reply(services.autopilot.extend(request.auth, hosted_game(request, code)))  # type: ignore[arg-type]


@router.post(
    "/{code}/autopilot/skip",
    auth=host_auth,
    response=replies({200: AutopilotSettingsOut}, *HOST),
    summary="Step on now",
)
def skip_autopilot(request: HttpRequest, code: str) -> dict:
    """The round steps on now, as at the end of the phase's time (refused as Next would be)."""
    return autopilot_reply(services.autopilot.skip(request.auth, hosted_game(request, code)))  # type: ignore[arg-type]


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


@router.post("/{code}/markets/order", auth=host_auth, response=replies({200: MarketOrderOut}, *HOST), summary="Reorder")
def reorder_markets(request: HttpRequest, code: str, body: MarketOrderIn) -> dict:
    """Put the markets not yet shown in this order (Next shows the first of them next); shown markets keep their
    numbers. An order that does not name every market not yet shown exactly once is 409 `stale_order`."""
    markets = services.reorder_markets(request.auth, hosted_game(request, code), body.markets)  # type: ignore[arg-type]
    return {"markets": [market_state(market) for market in markets]}


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
