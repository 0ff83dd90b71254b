"""The JSON API for hosts, players and bots, mounted at /api/; its OpenAPI document is /api/openapi.json.

Hosts sign in with their Django login (session cookie + CSRF token). Players send their seat token in the
X-Seat-Token header (no CSRF token needed), or use the session cookie that joining set (CSRF token needed).
"""

from __future__ import annotations

from django.http import HttpRequest
from django.middleware.csrf import get_token

from . import games, markets, rounds, trading  # noqa: F401  (rounds and trading add operations to markets.router)
from .parser import ExactJSONParser
from .renderer import StrictJSONRenderer
from .schemas import CsrfOut
from .statuses import GameAPI

api = GameAPI(
    title="mmgame",
    version="1",
    description=__doc__,
    urls_namespace="api",
    parser=ExactJSONParser(),
    renderer=StrictJSONRenderer(),
)


@api.get("/csrf", response=CsrfOut, tags=["session"], summary="A CSRF token (and cookie) for browser calls")
def csrf(request: HttpRequest) -> dict:
    return {"csrf_token": get_token(request)}


api.add_router("/games", games.router)
api.add_router("/markets", markets.router)  # with trading's operations on the same paths

__all__ = ["api"]
