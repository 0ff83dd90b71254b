"""Who is calling: a host by their Django login, a player by their seat token.

Ninja's cookie authentication (APIKeyCookie, which django_auth is) checks the CSRF token before it looks
at the cookie; these classes keep that check for every request the cookie would authenticate, and skip
it only when the cookie proves nothing (no login, no seat in the session), so that such a request gets
a plain 401. A seat token in the `X-Seat-Token` header is never sent by a browser on its own, so it needs
no CSRF token: that is how bots call.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest
from ninja.security import APIKeyCookie, APIKeyHeader
from ninja.utils import check_csrf

from mmgame import services
from mmgame.models import Game, Player
from mmgame.services import Forbidden
from mmgame.web import seats

from .errors import CsrfFailed

SEATS_SESSION_KEY = seats.SESSION_KEY  # {str(game id): seat token}, shared with the pages


def require_csrf(request: HttpRequest) -> None:
    if check_csrf(request) is not None:
        raise CsrfFailed("a valid CSRF token is needed (X-CSRFToken header) with a session cookie")


def csrf_ok(request: HttpRequest) -> bool:
    return check_csrf(request) is None


class HostSession(APIKeyCookie):
    """The host's Django login (session cookie), CSRF-checked."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        require_csrf(request)
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> AbstractBaseUser | None:
        return request.user if key and request.user.is_authenticated else None


@dataclass(frozen=True)
class SessionSeats:
    """The seats a browser session holds, one per game it joined."""

    tokens: dict[str, str]


class SeatToken(APIKeyHeader):
    """A bot's (or any client's) seat token in the X-Seat-Token header; a wrong token is a 403."""

    param_name = "X-Seat-Token"

    def authenticate(self, request: HttpRequest, key: str | None) -> Player | None:
        return services.seat(key) if key else None


class SeatSession(APIKeyCookie):
    """The seats remembered in the session at join, CSRF-checked like any cookie."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.session.get(SEATS_SESSION_KEY):
            return None
        require_csrf(request)
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> SessionSeats | None:
        tokens = request.session.get(SEATS_SESSION_KEY)
        return SessionSeats(dict(tokens)) if key and tokens else None


host_auth = [HostSession()]
seat_auth = [SeatToken(), SeatSession()]


def remember_seat(request: HttpRequest, player: Player) -> None:
    """Hold the seat in this browser's session; a fresh session key keeps a planted cookie from sharing it."""
    request.session.cycle_key()
    seats.remember(request, player)


def seat_in(request: HttpRequest, game_id: int) -> Player:
    """The caller's seat in this game, from the header token or the session; Forbidden if they have none."""
    auth = request.auth  # type: ignore[attr-defined]
    if isinstance(auth, Player):
        player = auth
    else:
        token = auth.tokens.get(str(game_id)) if isinstance(auth, SessionSeats) else None
        if token is None:
            raise Forbidden("you have no seat in this game")
        player = services.seat(token)
    if player.game_id != game_id:
        raise Forbidden("that seat is not in this game")
    if player.kicked:
        raise Forbidden("the host removed this seat from the game")
    return player


def is_host(request: HttpRequest, game: Game) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and game.host_id == user.pk)


def viewer_seat_id(request: HttpRequest, game: Game) -> int | None:
    """On a public read: the caller's own seat in this game, if they show one (no error if not)."""
    session_seats = request.session.get(SEATS_SESSION_KEY) or {}
    token = request.headers.get(SeatToken.param_name) or session_seats.get(str(game.pk))
    if not token:
        return None
    try:
        player = services.seat(token)
    except Forbidden:
        return None
    return player.pk if player.game_id == game.pk else None
