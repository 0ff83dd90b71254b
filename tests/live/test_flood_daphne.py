"""Finding 1 of issue 14 against a real Daphne: a socket that floods snapshot requests and never reads is
closed by the server, while a screen of the same game that reads stays. (Memory: benchmarks.socket_flood.)"""

from __future__ import annotations

import asyncio
import json
import time

import pytest

from benchmarks.socket_flood import frame, handshake

from .clients import SETUP, next_of, opener
from .conftest import serving

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def server(tmp_path):
    with serving(tmp_path, settings="tests.live.reading_settings") as server:
        yield server


async def test_a_flooding_socket_that_never_reads_is_closed_and_a_reading_one_stays(server):
    setup = await asyncio.to_thread(server.run, SETUP)
    path = f"/ws/games/{setup['game']}/player/"
    flood = handshake(server.port, path, setup["cookies"]["Alice"])
    request = frame(json.dumps({"type": "snapshot"}))
    async with opener(server, setup["game"])("player", setup["cookies"]["Bob"]) as bob:
        await next_of(bob, "snapshot")
        started, closed_after = time.monotonic(), None
        while time.monotonic() - started < 15:
            try:
                for _ in range(25):
                    flood.send(request)
            except BlockingIOError:
                pass
            except OSError:
                closed_after = time.monotonic() - started
                break
            # Bob reads (and echoes the checks) all along; his socket answers throughout.
            await bob.send(json.dumps({"type": "ping", "request_id": "bob"}))
            await next_of(bob, "pong")
            await asyncio.sleep(0.5)

        assert closed_after is not None, "the server kept a socket that never reads"
        assert closed_after < 10  # 2 s without an echo, a round of the hub, the close handshake's timeout
        await bob.send(json.dumps({"type": "ping", "request_id": "bob-after"}))
        assert (await next_of(bob, "pong"))["request_id"] == "bob-after"
    assert "closing a screen (not_reading)" in server.log()
    flood.close()
