"""A socket's handlers: who opens a screen, and a player's quotes, trades and guesses over it.

The rules are mmgame.access's and the shapes mmgame.queries'; here they are only called. Synchronous
ORM code, run through `database_sync_to_async`.
"""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.contrib import auth
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest

from mmgame import access, languages, services
from mmgame.access import NotFound
from mmgame.market import Curve, gettext_noop
from mmgame.models import Guess, Player
from mmgame.queries import lookups, screens, shapes

from .protocol import Request


def session_of(session_key: str | None) -> SessionBase:
    """The session a cookie names (an empty one when there is none, or it expired)."""
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    return session


def login_of(session: SessionBase) -> object:
    """The user signed in with this session, as Django's `auth.get_user` checks it for a page (the
    session's auth hash included), or AnonymousUser; run on the live layer's database thread."""
    request = HttpRequest()
    request.session = session
    return auth.get_user(request)


def open_screen(game_id: int, role: str, user: object, session: SessionBase, seat_token: str | None) -> screens.Screen:
    """Players by the seat their session holds (mmgame.access), or that a bot sends in X-Seat-Token as it
    does to the API; the host's and the projector's screens by the host's login."""
    game = lookups.game_by_id(game_id=game_id)
    if game is None:
        raise NotFound(gettext_noop("no such game"))
    # A player's screen is a seat's, whoever is signed in; the host's and the projector's are the login's.
    who = access.caller(None, session, seat_token) if role == "player" else access.caller(user)
    return screens.screen_of(access.access_game(who, game), role)


def screen_language(screen: screens.Screen, cookie: str | None, accept_language: str | None) -> str:
    """What a screen reads: a phone its player's choice or its game's language, the wall its game's, the host's
    control room the host's own (the picker's cookie or the browser's Accept-Language), as their pages do."""
    if screen.role == "player":
        return languages.of_player(lookups.player_by_id(player_id=screen.player_id))
    if screen.role == "projector":
        return languages.of_game(lookups.game_by_id(game_id=screen.game_id))
    return languages.from_browser(cookie, accept_language)


def fresh_player(player_id: int) -> Player:
    """The seat as it is now (the host may have kicked it since the socket opened)."""
    player = lookups.player_by_id(player_id=player_id)
    if player is None:
        raise access.NotSignedIn(gettext_noop("a valid seat token is needed; join the game"))
    return player


def trade_answer(seat: Player, request: Request) -> dict:
    """Make a trade sent over a socket through the one trading service.

    `seat` is the socket's own copy of its Player row: the service asks the database, inside the trade's
    transaction, whether the seat was kicked since, so the copy saves a query and risks nothing."""
    result = services.place_trade(
        seat,
        request.market_id,
        request.order,
        idempotency_key=request.idempotency_key,
        max_cost=request.max_cost,
        max_loss=request.max_loss,
        quoted_sequence=request.quoted_sequence,
    )
    trade = result.trade
    market = trade.market if not result.replayed else lookups.market_with_game(market_id=trade.market_id)
    trade.market = market
    # The trader's screen knows the market (it traded it): its moving parts, as an update would bring them.
    return {
        "type": "trade_result",
        "request_id": request.request_id,
        "replayed": result.replayed,
        "trade": shapes.trade_answer_line(trade, market),
        "position": shapes.position_state(market, result.position, seat),
        "market": shapes.market_moves(market),
        # What the trader can still afford from here, priced (services.offers): the phone's next step.
        "next": services.next_moves_for(market, result.position, trade),
    }


def guess_answer(seat: Player, request: Request) -> dict:
    """Record a sealed first guess sent over a socket; the reply is the guess as the player's screen shows it."""
    guess = services.submit_guess(seat, request.market_id, request.order, reason=request.reason)
    market = guess.market
    return {
        "type": "guess_result",
        "request_id": request.request_id,
        "guess": shapes.guess_state(market, guess_curve(guess), guess.reason),
    }


def guess_curve(guess: Guess) -> Curve:
    return Curve(guess.mean_z, guess.sd_z)


def quote_answer(seat: Player, request: Request) -> dict:
    market, quote = services.quote_order(seat, request.market_id, request.order)
    return {"type": "quote", "request_id": request.request_id, "quote": shapes.quote_summary(market, quote)}
