"""Finding 9 of issue 14: a socket opens only from a page of this very site — scheme, host and port."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from .conftest import session_cookie

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("live")]


async def connects(game, user, *, origin: str, host: str, proto: str | None = None) -> bool:
    from mmgame.asgi import application

    cookie = await database_sync_to_async(session_cookie)(user=user)
    headers = [(b"origin", origin.encode()), (b"host", host.encode()), (b"cookie", cookie.encode())]
    if proto:
        headers.append((b"x-forwarded-proto", proto.encode()))
    socket = WebsocketCommunicator(application, f"/ws/games/{game.pk}/host/", headers=headers)
    connected, _ = await socket.connect(timeout=5)
    await socket.disconnect()
    return connected


async def test_a_page_of_another_port_on_the_same_host_may_not_open_a_socket(host, game):
    assert not await connects(game, host, origin="http://localhost:9999", host="localhost:8000")


async def test_a_page_of_this_server_may_open_a_socket(host, game):
    assert await connects(game, host, origin="http://localhost:8000", host="localhost:8000")
    assert await connects(game, host, origin="http://127.0.0.1:80", host="127.0.0.1")
    assert await connects(game, host, origin="http://[::1]:8000", host="[::1]:8000")


async def test_the_scheme_counts(host, game):
    assert not await connects(game, host, origin="https://localhost:8000", host="localhost:8000")
    assert not await connects(game, host, origin="https://localhost", host="localhost")


async def test_behind_a_tls_proxy_the_page_is_https_when_the_proxy_says_so(host, game, settings):
    settings.ALLOWED_HOSTS = ["game.example.org"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    assert await connects(game, host, origin="https://game.example.org", host="game.example.org", proto="https")
    assert not await connects(game, host, origin="http://game.example.org", host="game.example.org", proto="https")
    assert not await connects(
        game, host, origin="https://game.example.org:8443", host="game.example.org", proto="https"
    )


async def test_without_the_proxy_setting_its_header_is_not_believed(host, game, settings):
    settings.ALLOWED_HOSTS = ["game.example.org"]
    settings.SECURE_PROXY_SSL_HEADER = None

    assert not await connects(game, host, origin="https://game.example.org", host="game.example.org", proto="https")


async def test_a_trusted_origin_may_open_a_socket(host, game, settings):
    settings.ALLOWED_HOSTS = ["game.example.org", "projector.example.org"]
    settings.CSRF_TRUSTED_ORIGINS = ["https://projector.example.org"]

    assert await connects(game, host, origin="https://projector.example.org", host="game.example.org")
