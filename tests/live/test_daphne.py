"""Real clients (`websockets`) against a real Daphne process: what a classroom of phones sees."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time

import pytest
from websockets.exceptions import ConnectionClosedError, InvalidStatus

from .clients import SETUP, next_of, opener, trade_frame, updates_until
from .conftest import serving

pytestmark = pytest.mark.slow


@pytest.fixture
def classroom(daphne_server):
    return daphne_server, daphne_server.run(SETUP)


async def test_trades_sent_by_one_phone_reach_every_other_screen_in_order(classroom):
    server, setup = classroom
    open_screen, market_id, cookies = opener(server, setup["game"]), setup["market"], setup["cookies"]
    async with (
        open_screen("player", cookies["Alice"]) as alice,
        open_screen("player", cookies["Bob"]) as bob,
        open_screen("host", cookies["host"]) as host,
        open_screen("projector", cookies["host"]) as projector,
    ):
        watchers = [bob, host, projector]
        for screen in [alice, *watchers]:
            snapshot = await next_of(screen, "snapshot")
            assert snapshot["markets"][0]["sequence"] == 1
        count = 25
        for i in range(count):
            await alice.send(trade_frame(market_id, i))
        results = [await next_of(alice, "trade_result") for _ in range(count)]
        assert [r["request_id"] for r in results] == [f"r{i}" for i in range(count)]
        assert [r["trade"]["sequence"] for r in results] == list(range(2, count + 2))
        for screen in watchers:
            updates = await updates_until(screen, count + 1)
            expected = 1
            for update in updates:
                assert update["after"] == expected
                # The newest trades since `after`, oldest first; in a burst the older ones are counted, not sent.
                newest = list(range(update["sequence"] - len(update["trades"]) + 1, update["sequence"] + 1))
                assert [t["sequence"] for t in update["trades"]] == newest
                assert update["trades_omitted"] == update["sequence"] - expected - len(update["trades"])
                expected = update["sequence"]
            assert updates[-1]["market"]["mean"] == pytest.approx(results[-1]["market"]["mean"])
            assert {t["nickname"] for u in updates for t in u["trades"]} == {"Alice"}


async def test_refusals_over_a_real_connection(classroom):
    server, setup = classroom
    open_screen = opener(server, setup["game"])
    with pytest.raises(InvalidStatus) as refused:
        async with open_screen("host", setup["cookies"]["host"], origin="http://evil.example"):
            pass
    assert refused.value.response.status_code == 403
    async with open_screen("player", None) as anonymous:
        error = json.loads(await asyncio.wait_for(anonymous.recv(), 10))
        assert error["code"] == "not_signed_in"
        await asyncio.wait_for(anonymous.wait_closed(), 10)
        assert anonymous.close_code == 4401
    async with open_screen("host", setup["cookies"]["Alice"]) as player_as_host:
        await asyncio.wait_for(player_as_host.wait_closed(), 10)
        assert player_as_host.close_code == 4401


async def test_a_phone_that_stops_reading_does_not_hold_up_the_others(classroom):
    server, setup = classroom
    open_screen, market_id, cookies = opener(server, setup["game"]), setup["market"], setup["cookies"]
    async with (
        open_screen("player", cookies["Carol"], max_queue=1) as stalled,
        open_screen("player", cookies["Alice"]) as alice,
        open_screen("player", cookies["Bob"]) as bob,
    ):
        await next_of(alice, "snapshot")
        await next_of(bob, "snapshot")
        started = time.monotonic()
        for i in range(40):
            await alice.send(trade_frame(market_id, i))
            await next_of(alice, "trade_result")
        updates = await updates_until(bob, 41)
        assert updates[-1]["sequence"] == 41
        assert time.monotonic() - started < 15
        # The stalled phone, reading at last, can still catch up: nothing it is sent contradicts the order.
        last = 0
        deadline = time.monotonic() + 10
        while last < 41 and time.monotonic() < deadline:
            frame = json.loads(await asyncio.wait_for(stalled.recv(), 10))
            if frame["type"] == "update":
                assert frame["sequence"] > last
                last = frame["sequence"]
            elif frame["type"] == "snapshot":
                last = frame["markets"][0]["sequence"]
        assert last == 41


async def test_trades_settled_by_another_process_reach_the_screens_by_audit(classroom):
    """With no shared channel layer, each process still catches up from the database."""
    server, setup = classroom
    open_screen, market_id, cookies = opener(server, setup["game"]), setup["market"], setup["cookies"]
    async with open_screen("player", cookies["Dave"]) as dave:
        await next_of(dave, "snapshot")
        await asyncio.to_thread(
            server.run,
            f"""
            from mmgame import services
            from mmgame.market import Order
            from mmgame.models import Player
            bob = Player.objects.get(nickname="Bob")
            for i in range(3):
                services.place_trade(bob, {market_id}, Order("target", mean=150, sd=50 + i), idempotency_key=f"x{{i}}")
            print(json.dumps(True))
            """,
        )
        updates = await updates_until(dave, 4, timeout=15)
        assert updates[-1]["market"]["sd"] == pytest.approx(52)


async def test_a_frame_too_large_for_the_protocol_is_refused_and_the_socket_stays_open(classroom):
    server, setup = classroom
    async with opener(server, setup["game"])("player", setup["cookies"]["Alice"]) as alice:
        await next_of(alice, "snapshot")
        await alice.send(json.dumps({"type": "ping", "pad": "x" * 100_000}))
        assert (await next_of(alice, "error"))["code"] == "too_large"
        await alice.send(json.dumps({"type": "ping", "request_id": "after"}))
        assert (await next_of(alice, "pong"))["request_id"] == "after"
        # Past Daphne's own limit (--websocket-max-message-size, 1 MiB by default) the server hangs up.
        # The server may hang up while the frame is still going out: then the send itself reports it.
        with contextlib.suppress(ConnectionClosedError):
            await alice.send("x" * (2 * 1024 * 1024))
        await asyncio.wait_for(alice.wait_closed(), 10)
        assert alice.close_code in (1006, 1009)  # autobahn drops the connection (no close frame)


async def test_a_phone_that_stops_reading_is_disconnected_by_the_keepalive(tmp_path):
    """What a stalled phone can cost the server is bounded: Daphne drops it when it stops answering pings."""
    with serving(tmp_path, ("--ping-interval", "1", "--ping-timeout", "2")) as server:
        setup = await asyncio.to_thread(server.run, SETUP)
        open_screen, market_id, cookies = opener(server, setup["game"]), setup["market"], setup["cookies"]
        async with (
            open_screen("player", cookies["Carol"], max_queue=1, ping_interval=None) as stalled,
            open_screen("player", cookies["Alice"]) as alice,
        ):
            port = stalled.local_address[1]
            await next_of(alice, "snapshot")
            stalled.transport.pause_reading()  # like a phone whose page froze: nothing is read any more
            for i in range(30):
                await alice.send(trade_frame(market_id, i))
                await next_of(alice, "trade_result")
            deadline = time.monotonic() + 20
            dropped = re.compile(rf"^127\.0\.0\.1:{port} .*\"WSDISCONNECT ", re.MULTILINE)
            while not dropped.search(server.log()):
                assert time.monotonic() < deadline, "the stalled socket was never dropped"
                await asyncio.sleep(0.2)
            await alice.send(json.dumps({"type": "ping", "request_id": "alive"}))
            assert (await next_of(alice, "pong"))["request_id"] == "alive"


async def test_frames_go_uncompressed_even_when_the_browser_offers_deflate(classroom):
    """Daphne does not accept permessage-deflate; on a classroom LAN the CPU is worth more than the bytes."""
    server, setup = classroom
    open_screen = opener(server, setup["game"])
    async with open_screen("player", setup["cookies"]["Alice"], compression="deflate") as alice:
        assert "permessage-deflate" in (alice.request.headers.get("Sec-WebSocket-Extensions") or "")
        assert alice.response.headers.get("Sec-WebSocket-Extensions") is None
        assert (await next_of(alice, "snapshot"))["leaderboard"]["mine"]["game"]["nickname"] == "Alice"
