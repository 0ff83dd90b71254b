"""The API as Daphne serves it: through Django's ASGI handler, with bodies that arrive in chunks."""

from __future__ import annotations

import asyncio
import json

import pytest
from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler

from mmgame.models import Trade

pytestmark = pytest.mark.django_db(transaction=True)  # the view runs on another thread and connection


async def call(path: str, chunks: list[bytes], headers: dict[str, str]) -> tuple[int, dict]:
    """One HTTP request to the ASGI app; the body in `chunks`, with no Content-Length unless given."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), (b"content-type", b"application/json")]
        + [(name.lower().encode(), value.encode()) for name, value in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 80),
    }
    messages = [{"type": "http.request", "body": c, "more_body": i < len(chunks) - 1} for i, c in enumerate(chunks)]
    sent: list[dict] = []

    async def receive() -> dict:
        if messages:
            return messages.pop(0)
        await asyncio.sleep(60)  # the client stays connected; Django cancels this when it has answered
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        sent.append(message)

    await asyncio.wait_for(ASGIHandler()(scope, receive, send), timeout=30)
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    assert dict(start["headers"])[b"Content-Type"] == b"application/json; charset=utf-8"
    return start["status"], json.loads(body)


@pytest.fixture
def seat(alice, open_market) -> dict[str, str]:
    return {"X-Seat-Token": alice.seat_token}


def order(**extra: object) -> bytes:
    return json.dumps({"kind": "target", "mean": 120, "sd": 30, "idempotency_key": "k", **extra}).encode()


async def test_a_bot_trades_over_asgi(seat, open_market):
    body = order()

    status, answer = await call(
        f"/api/markets/{open_market.pk}/trades", [body[:10], body[10:]], {**seat, "Content-Length": str(len(body))}
    )

    assert status == 201
    assert answer["trade"]["sequence"] == 2
    assert await sync_to_async(Trade.objects.count)() == 1


async def test_a_chunked_body_past_the_limit_is_refused(seat, open_market):
    chunks = [order(note="x" * 8000)[:-2]] + [b"x" * 8000] * 3 + [b'"}']  # one long, valid note

    status, answer = await call(f"/api/markets/{open_market.pk}/trades", chunks, seat)

    assert (status, answer["code"]) == (413, "body_too_large")
    assert await sync_to_async(Trade.objects.count)() == 0


async def test_a_declared_length_past_the_limit_is_refused_unread(seat, open_market):
    status, answer = await call(
        f"/api/markets/{open_market.pk}/trades", [order()], {**seat, "Content-Length": "999999"}
    )

    assert (status, answer["code"]) == (413, "body_too_large")
    assert await sync_to_async(Trade.objects.count)() == 0
