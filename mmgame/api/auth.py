"""Who is calling: a host by their Django login, a player by their seat token.

Ninja's cookie authentication (APIKeyCookie, which django_auth is) checks the CSRF token before it looks
at the cookie; these classes keep that check for every request the cookie would authenticate, and skip
it only when the cookie proves nothing (no login, no seat in the session), so that such a request gets
a plain 401. They do it in `__call__`, the public protocol of a Ninja authenticator (any callable that
takes the request and returns the caller or None), keeping APIKeyCookie for its OpenAPI description.

A seat token in the `X-Seat-Token` header is never sent by a browser on its own, so it needs no CSRF
token: that is how bots call.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest
from ninja.security import APIKeyCookie, APIKeyHeader
from ninja.utils import check_csrf

from mmgame import access
from mmgame.access import SEATS_SESSION_KEY
from mmgame.market import gettext_noop
from mmgame.models import Player

from .statuses import CsrfFailed

SEAT_HEADER = "X-Seat-Token"


def require_csrf(request: HttpRequest) -> None:
    if check_csrf(request) is not None:
        raise CsrfFailed(gettext_noop("a valid CSRF token is needed (X-CSRFToken header) with a session cookie"))


def csrf_ok(request: HttpRequest) -> bool:
    return check_csrf(request) is None


class HostSession(APIKeyCookie):
    """The host's Django login (session cookie), CSRF-checked."""

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> AbstractBaseUser | None:
        if not request.user.is_authenticated:
            return None
        require_csrf(request)
        return self.authenticate(request, request.COOKIES.get(self.param_name))

    def authenticate(self, request: HttpRequest, key: str | None) -> AbstractBaseUser | None:
        return request.user if key and request.user.is_authenticated else None


@dataclass(frozen=True)
class SessionSeats:
    """The seats a browser session holds, one per game it joined."""

    tokens: dict[str, str]


class SeatToken(APIKeyHeader):
    """A bot's (or any client's) seat token in the X-Seat-Token header; a wrong token is a 403."""

    param_name = SEAT_HEADER

    def authenticate(self, request: HttpRequest, key: str | None) -> Player | None:
        return access.seat(key) if key else None


class SeatSession(APIKeyCookie):
    """The seats remembered in the session at join, CSRF-checked like any cookie."""

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> SessionSeats | None:
        if not request.session.get(SEATS_SESSION_KEY):
            return None
        require_csrf(request)
        return self.authenticate(request, request.COOKIES.get(self.param_name))

    def authenticate(self, request: HttpRequest, key: str | None) -> SessionSeats | None:
        tokens = request.session.get(SEATS_SESSION_KEY)
        return SessionSeats(dict(tokens)) if key and tokens else None


host_auth = [HostSession()]
seat_auth = [SeatToken(), SeatSession()]


def caller_of(request: HttpRequest) -> access.Caller:
    """Who is calling, for mmgame.access: the login, the session's seats, and a seat token in the header
    (which comes first, as in the authentication above)."""
    return access.caller(getattr(request, "user", None), request.session, request.headers.get(SEAT_HEADER))


def remember_seat(request: HttpRequest, player: Player) -> None:
    """Hold the seat in this browser's session; a fresh session key keeps a planted cookie from sharing it."""
    access.remember_seat(request.session, player)
