"""Issue 23, finding 4: a request body is bounded as it arrives, before Daphne holds it whole (mmgame/bodies.py).

Against a real Daphne: a body declared too large is refused before any of it is read, a chunked one as soon
as it passes the limit, and 100 MB sent at full speed leave Daphne's memory where it was (a 1 GB body took
it from 123 MB to 1,151 MB). These fail if Daphne stops feeding its requests' bodies through Twisted's
`gotLength` and `handleContentChunk`, which the adapter wraps."""

from __future__ import annotations

import inspect
import json
import socket
import time

import pytest
from daphne import http_protocol
from django.conf import settings
from twisted.web import http

from benchmarks.servers import rss_bytes

from .live.conftest import serving

pytestmark = pytest.mark.timeout(120)
MB = 1024 * 1024


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with serving(tmp_path_factory.mktemp("bodies")) as server:
        yield server


def post(port: int, headers: str) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(
        f"POST /api/games/ZZZZZZ/join HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: application/json\r\n{headers}\r\n".encode()
    )
    return sock


def answer(sock: socket.socket, timeout: float = 10) -> tuple[str, dict]:
    sock.settimeout(timeout)
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except (ConnectionResetError, TimeoutError):
        pass
    head, _, body = data.partition(b"\r\n\r\n")
    return head.split(b"\r\n", 1)[0].decode(), json.loads(body) if body else {}


def send_until_refused(sock: socket.socket, pieces, seconds: float = 30) -> int:
    """Send pieces until the server stops reading (it closed); the bytes sent."""
    sent, deadline = 0, time.monotonic() + seconds
    try:
        for piece in pieces:
            sock.sendall(piece)
            sent += len(piece)
            if time.monotonic() > deadline:
                break
    except OSError:
        pass
    return sent


def test_daphne_still_feeds_a_body_through_the_methods_the_adapter_wraps():
    assert "requestFactory = WebRequest" in inspect.getsource(http_protocol.HTTPFactory.buildProtocol)
    assert issubclass(http_protocol.WebRequest, http.Request)
    channel = inspect.getsource(http.HTTPChannel)
    assert "req.gotLength(self.length)" in channel and "handleContentChunk" in channel
    assert "self.content.read(buffer_size)" in inspect.getsource(http_protocol.WebRequest.process)
    # The upload paths' bound reads the request line's path, which the channel keeps until the body is whole.
    assert "self._path = request" in inspect.getsource(http.HTTPChannel.lineReceived)


def test_a_body_declared_too_large_is_refused_before_any_of_it_is_read(server):
    sock = post(server.port, f"Content-Length: {1024 * MB}\r\n")
    sock.sendall(b"x" * 4096)  # Daphne alone would wait for the other gigabyte before answering

    status, body = answer(sock)

    assert status.startswith("HTTP/1.1 413")
    assert body == {
        "code": "body_too_large",
        "message": f"request bodies are at most {settings.MAX_REQUEST_BODY} bytes",
        "limit": settings.MAX_REQUEST_BODY,
    }


def test_a_chunked_body_is_refused_once_it_passes_the_limit(server):
    sock = post(server.port, "Transfer-Encoding: chunked\r\n")
    piece = b"%x\r\n%s\r\n" % (64 * 1024, b"x" * 64 * 1024)

    sent = send_until_refused(sock, (piece for _ in range(100 * 16)))  # 100 MB, never finished

    assert answer(sock)[0].startswith("HTTP/1.1 413")
    assert sent < 100 * MB


def test_a_hundred_megabytes_leave_daphnes_memory_where_it_was(server):
    before = rss_bytes(server.process.pid)
    sock = post(server.port, f"Content-Length: {100 * MB}\r\n")

    send_until_refused(sock, (b"x" * MB for _ in range(100)))
    answer(sock)

    assert rss_bytes(server.process.pid) - before < 20 * MB  # 100 MB more without the adapter


def test_a_body_within_the_limit_reaches_the_app(server):
    text = json.dumps({"nickname": "Ana"}).encode()
    sock = post(server.port, f"Content-Length: {len(text)}\r\nConnection: close\r\n")
    sock.sendall(text)

    assert answer(sock) == ("HTTP/1.1 404 Not Found", {"code": "not_found", "message": "no game has that code"})


def test_a_page_body_under_the_limit_but_over_the_apis_reaches_django(server):
    """A questions file of 256 KB comes in a form: the bound leaves room for it."""
    form = b"file=" + b"x" * (512 * 1024)
    sock = socket.create_connection(("127.0.0.1", server.port))
    sock.sendall(
        f"POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nConnection: close\r\n"
        f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(form)}\r\n\r\n".encode()
        + form
    )
    sock.settimeout(10)
    assert b" 403 " in sock.recv(200).split(b"\r\n", 1)[0]  # Django's CSRF check: the body reached it


def test_every_way_of_serving_loads_the_bound_with_the_app():
    """Daphne alone, `manage.py play` and `runserver` (Daphne's, via ASGI_APPLICATION) all load mmgame.asgi."""
    from channels.routing import get_default_application

    get_default_application()

    assert settings.ASGI_APPLICATION == "mmgame.asgi.application"
    assert http_protocol.WebRequest.mmgame_body_limit == settings.MAX_REQUEST_BODY


def upload(port: int, path: str, length: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n"
        f"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: {length}\r\n\r\n".encode()
    )
    return sock


def test_a_pictures_endpoint_takes_a_body_over_the_general_bound_but_within_its_own(server):
    """A 3 MB photo comes to a picture's endpoint (settings.UPLOAD_PATHS); the app, not the bound, answers."""
    length = 3 * MB
    sock = upload(server.port, "/api/markets/999999/picture?x=1", length)
    send_until_refused(sock, (b"x" * MB for _ in range(3)))

    status, body = answer(sock)

    assert not status.startswith("HTTP/1.1 413") and body.get("code") != "body_too_large", (status, body)


def test_a_pictures_endpoint_is_still_bounded(server):
    sock = upload(server.port, "/api/markets/999999/picture", settings.MAX_UPLOAD_BODY + 1)
    sock.sendall(b"x" * 4096)

    status, body = answer(sock)

    assert status.startswith("HTTP/1.1 413") and body["limit"] == settings.MAX_UPLOAD_BODY


def test_the_same_body_elsewhere_keeps_the_general_bound(server):
    sock = upload(server.port, "/api/markets/999999/trades", 3 * MB)
    sock.sendall(b"x" * 4096)

    status, body = answer(sock)

    assert status.startswith("HTTP/1.1 413") and body["limit"] == settings.MAX_REQUEST_BODY
