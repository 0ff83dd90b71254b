"""Bots against a real Daphne server, through the same join, socket and API a browser uses."""

from __future__ import annotations

import asyncio
import time
from decimal import Decimal

import pytest

from mmgame.bots import GameClient, Informed, Plan, Refused, market_from_state, run_bots
from mmgame.bots.runner import BotStats, Crowd
from mmgame.market import Curve, Order, Range

pytestmark = pytest.mark.slow

BELIEFS = [(120.0, 30.0, 0.05), (150.0, 40.0, 0.1), (90.0, 25.0, 0.02), (130.0, 20.0, 0.2)]


def consensus_by_formula(b: float, prior: tuple[float, float], beliefs: list) -> tuple[float, float]:
    """θ* = (b·θ₀ + Σθᵢ/aᵢ)/(b + Σ1/aᵢ) in the engine's scaled coordinates (range [0, 300]: c = 150, s = 150)."""
    rng = Range(0, 300)

    def theta(mean: float, sd: float) -> tuple[float, float]:
        return Curve(rng.to_z(mean), rng.sd_to_z(sd)).natural

    t0 = theta(*prior)
    num = [b * t0[0], b * t0[1]]
    den = b
    for mean, sd, a in beliefs:
        ti = theta(mean, sd)
        num[0] += ti[0] / a
        num[1] += ti[1] / a
        den += 1 / a
    return num[0] / den, num[1] / den


async def test_informed_bots_in_turns_bring_the_market_to_the_weighted_consensus(classroom):
    server, code, market_id = classroom
    plan = Plan(count=4, strategy="informed", beliefs=BELIEFS, turns=True, duration=120)
    report = await run_bots(server.url, code, plan)
    state = server.market(market_id)
    theta = Curve(state["mean_z"], state["sd_z"]).natural
    expected = consensus_by_formula(30.0, (100.0, 100.0), BELIEFS)
    assert report["content"], report
    assert abs(theta[0] - expected[0]) <= 1e-6 and abs(theta[1] - expected[1]) <= 1e-6, (theta, expected, report)
    assert state["trades"] == report["trades"] > len(BELIEFS)


async def test_informed_bots_trading_at_once_also_settle_at_the_consensus(classroom):
    """No turns: bots race, the sequence guard refuses whoever decided on an old market, they look again."""
    server, code, market_id = classroom
    plan = Plan(count=4, strategy="informed", beliefs=BELIEFS, rate=20, duration=120)
    report = await run_bots(server.url, code, plan)
    state = server.market(market_id)
    theta = Curve(state["mean_z"], state["sd_z"]).natural
    expected = consensus_by_formula(30.0, (100.0, 100.0), BELIEFS)
    assert report["content"], report
    assert abs(theta[0] - expected[0]) <= 1e-6 and abs(theta[1] - expected[1]) <= 1e-6, (theta, expected, report)


async def test_a_bot_that_decided_on_an_old_market_requotes_and_trades_on_the_new_one(classroom):
    server, code, market_id = classroom
    other, bot = GameClient(server.url), GameClient(server.url)
    await other.join(code, "Other")
    await other.connect()
    await bot.join(code, "Bot")
    await bot.connect()
    try:
        old = dict(bot.markets[market_id])
        await other.trade(market_id, Order("target", mean=Decimal(200), sd=Decimal(50)))
        while bot.markets[market_id]["sequence"] == old["sequence"]:
            await bot.wait_for_change(5)
        bot.markets[market_id] = old  # as if the update had not arrived before the bot decided

        crowd = Crowd(server.url, code, Plan(count=1, beliefs=[(120.0, 30.0, 0.05)]))
        stats = BotStats("Bot")
        strategy = Informed.believing(market_from_state(old), 120, 30, 0.05)
        assert await crowd.one_trade(bot, strategy, stats, market_id)
    finally:
        await other.close()
        await bot.close()

    assert stats.stale_quotes == 1 and stats.trades == 1
    state = server.market(market_id)
    assert state["sequence"] == old["sequence"] + 2 and state["trades"] == 2


async def test_noise_bots_trading_through_the_api_stop_by_themselves(classroom):
    server, code, market_id = classroom
    plan = Plan(count=3, strategy="noise", rate=4, duration=3, via="api", seed=5)
    started = time.monotonic()
    report = await run_bots(server.url, code, plan)
    assert time.monotonic() - started < 30
    state = server.market(market_id)
    assert report["trades"] == state["trades"] > 0
    assert report["market"]["sequence"] <= state["sequence"]
    assert all(set(bot["refused"]) <= {"insufficient_collateral"} for bot in report["bots"])


async def test_bots_give_a_clear_error_for_a_wrong_join_code(classroom):
    server, _, _ = classroom
    with pytest.raises(Refused) as refused:
        await run_bots(server.url, "ZZZZZZ", Plan(count=1, strategy="noise", duration=2))
    assert refused.value.code == "not_found"


async def test_a_bot_reconnects_after_the_server_restarts_and_trades_on(classroom):
    server, code, market_id = classroom
    bot = GameClient(server.url)
    await bot.join(code, "Bot")
    await bot.connect()
    try:
        await bot.trade(market_id, Order("target", mean=Decimal(120), sd=Decimal(60)))
        await asyncio.to_thread(server.restart)
        deadline = time.monotonic() + 60
        while bot.connections < 2 and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        await bot.ready()
        assert bot.markets[market_id]["sequence"] == 2  # the resync snapshot after the reconnect
        result = await bot.trade(market_id, Order("target", mean=Decimal(130), sd=Decimal(50)), quoted_sequence=2)
    finally:
        await bot.close()
    assert result["trade"]["sequence"] == 3
    assert server.market(market_id)["trades"] == 2
