"""Two Daphne processes on PostgreSQL and Redis: news crosses processes, and survives Redis dying."""

from __future__ import annotations

import asyncio
import time

import pytest

from mmgame.live.hub import AUDIT_INTERVAL

from .clients import SETUP, next_of, opener, trade_frame, updates_until

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis]

# News through Redis takes milliseconds (plus at most one 0.1 s conflation window); the audit that would
# catch up without it runs every 5 s. Anything under PROMPT is news, with room for a busy machine.
PROMPT = 2.0


@pytest.fixture
def pair(daphne_pair):
    a, b, redis = daphne_pair
    return a, b, redis, a.run(SETUP)


async def trade_and_time(alice, bob, market_id: int, i: int) -> tuple[int, float]:
    """Alice trades on one process; how long until Bob, on the other, sees it."""
    await alice.send(trade_frame(market_id, i))
    result = await next_of(alice, "trade_result")
    started = time.monotonic()
    sequence = result["trade"]["sequence"]
    await updates_until(bob, sequence, timeout=AUDIT_INTERVAL * 3)
    return sequence, time.monotonic() - started


async def test_a_trade_on_one_process_reaches_screens_on_the_other_at_once(pair):
    a, b, _, setup = pair
    market_id, cookies = setup["market"], setup["cookies"]
    async with (
        opener(a, setup["game"])("player", cookies["Alice"]) as alice,
        opener(b, setup["game"])("player", cookies["Bob"]) as bob,
        opener(b, setup["game"])("projector", cookies["host"]) as projector,
    ):
        for screen in (alice, bob, projector):
            await next_of(screen, "snapshot")
        delays = [(await trade_and_time(alice, bob, market_id, i))[1] for i in range(5)]
        # Far quicker than the audit: the news went through Redis, not the database check.
        assert max(delays) < PROMPT, delays
        updates = await updates_until(projector, 6)
        assert updates[-1]["sequence"] == 6


@pytest.mark.parametrize("daphne_pair", ["redis"], indirect=True)  # the product's layer; pub/sub: the test above
async def test_when_redis_dies_trades_still_settle_and_screens_catch_up(pair):
    a, b, redis, setup = pair
    market_id, cookies = setup["market"], setup["cookies"]
    async with (
        opener(a, setup["game"])("player", cookies["Alice"]) as alice,
        opener(b, setup["game"])("player", cookies["Bob"]) as bob,
    ):
        await next_of(alice, "snapshot")
        await next_of(bob, "snapshot")
        await trade_and_time(alice, bob, market_id, 0)
        redis.stop()
        # Trades settle and are answered; Alice's own process tells her screen directly.
        sequence, delay = await trade_and_time(alice, alice, market_id, 1)
        assert sequence == 3 and delay < PROMPT
        # Bob's process hears nothing through Redis, and finds the trade in the database.
        await updates_until(bob, 3, timeout=AUDIT_INTERVAL * 3)
        redis.start()
        await asyncio.sleep(AUDIT_INTERVAL + 1)  # the hubs find Redis again
        delays = [(await trade_and_time(alice, bob, market_id, i))[1] for i in range(2, 5)]
        assert max(delays) < PROMPT, delays
    # Nothing of ours failed (the pub/sub layer logs its own reconnection attempts with tracebacks).
    assert "/mmgame/" not in "".join(line for line in (a.log() + b.log()).splitlines() if line.startswith('  File "'))


@pytest.mark.parametrize("daphne_pair", ["redis"], indirect=True)  # the product's layer; pub/sub: the test above
async def test_trades_by_a_process_without_sockets_are_published_through_redis(pair):
    """A script or a bot process has no hub: it publishes straight to the channel layer."""
    a, _, _, setup = pair
    market_id, cookies = setup["market"], setup["cookies"]
    async with opener(a, setup["game"])("player", cookies["Bob"]) as bob:
        await next_of(bob, "snapshot")
        script = asyncio.ensure_future(
            asyncio.to_thread(
                a.run,
                f"""
                import time
                from mmgame import services
                from mmgame.market import Order
                from mmgame.models import Player
                dave = Player.objects.get(nickname="Dave")
                committed = []
                for i in range(3):
                    order = Order("target", mean=140, sd=45 + i)
                    services.place_trade(dave, {market_id}, order, idempotency_key=f"s{{i}}")
                    committed.append(time.time())
                    time.sleep(1.5)
                print(json.dumps(committed))
                """,
            )
        )
        arrived = {}
        while len(arrived) < 3:
            update = await next_of(bob, "update", timeout=AUDIT_INTERVAL * 3)
            for trade in update["trades"]:
                arrived[trade["sequence"]] = time.time()
        committed = await script
        delays = [arrived[2 + i] - committed[i] for i in range(3)]
        # An audit (every 5 s) could explain one of them at most; all three came through Redis.
        assert max(delays) < PROMPT, delays
