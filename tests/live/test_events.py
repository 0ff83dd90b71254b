"""After a commit every screen hears of it, in sequence, conflated when trades outpace screens."""

from __future__ import annotations

import json
import time

import pytest
from channels.db import database_sync_to_async

from mmgame import services
from mmgame.live import hub as hubs
from mmgame.live.consumers import OUTBOX_LIMIT
from mmgame.market import Order
from mmgame.queries import shapes as snapshots

from .conftest import host_socket, player_socket, receive, receive_until, request

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("live")]


def trade_many(players, market_id: int, count: int) -> None:
    """Trades as the API or another socket would make them: straight through the service."""
    for i in range(count):
        mean = 100 + (i % 7) * 10
        services.place_trade(
            players[i % len(players)], market_id, Order("target", mean=mean, sd=60), idempotency_key=f"t{i}"
        )


async def updates_until(socket, sequence: int, timeout: float = 10) -> list[dict]:
    """Every update a screen gets until its market reaches `sequence`."""
    updates: list[dict] = []
    deadline = time.monotonic() + timeout
    while not updates or updates[-1]["sequence"] < sequence:
        updates.append(await receive_until(socket, "update", max(0.05, deadline - time.monotonic())))
    return updates


def assert_contiguous(updates: list[dict], start: int) -> None:
    """Each update continues from the last; together their trades are every trade, in order."""
    expected = start
    for update in updates:
        assert update["after"] == expected
        assert [t["sequence"] for t in update["trades"]] == list(range(update["after"] + 1, update["sequence"] + 1))
        expected = update["sequence"]


async def test_trades_made_through_the_services_reach_every_screen_in_sequence(host, game, open_market, alice, bob):
    screens = [await player_socket(alice), await player_socket(bob), await host_socket(host, game.pk)]
    screens.append(await host_socket(host, game.pk, "projector"))
    for screen in screens:
        assert (await receive(screen))["markets"][0]["sequence"] == 1
    await database_sync_to_async(trade_many)([alice, bob], open_market.pk, 12)
    for screen in screens:
        updates = await updates_until(screen, 13)
        assert_contiguous(updates, 1)
        assert updates[-1]["market"]["sequence"] == 13
        assert updates[-1]["trades"][-1]["nickname"] == "Bob"
        await screen.disconnect()


async def test_a_burst_of_trades_is_conflated_to_at_most_ten_updates_a_second(open_market, alice, bob):
    screen = await player_socket(alice)
    await receive(screen)
    started = time.monotonic()
    await database_sync_to_async(trade_many)([alice, bob], open_market.pk, 60)
    updates = await updates_until(screen, 61)
    elapsed = time.monotonic() - started
    assert len(updates) < 60
    assert len(updates) <= elapsed / hubs.MARKET_INTERVAL + 2
    assert updates[-1]["sequence"] == 61  # the last state is never dropped
    assert updates[-1]["market"]["mean"] == pytest.approx(100 + (59 % 7) * 10)
    for update in updates:
        assert update["trades_omitted"] == update["sequence"] - update["after"] - len(update["trades"])
        assert [t["sequence"] for t in update["trades"]] == list(
            range(update["sequence"] - len(update["trades"]) + 1, update["sequence"] + 1)
        )
    assert [u["after"] for u in updates[1:]] == [u["sequence"] for u in updates[:-1]]
    await screen.disconnect()


async def test_status_changes_and_resolution_reach_the_screens_with_payouts(host, open_market, alice):
    screen = await player_socket(alice)
    await receive(screen)
    await database_sync_to_async(trade_many)([alice], open_market.pk, 1)
    seen = [await receive_until(screen, "update")]
    for change in (services.pause_market, services.close_market):
        await database_sync_to_async(change)(host, open_market.pk)
        seen.append(await receive_until(screen, "update"))
    await database_sync_to_async(services.resolve_market)(host, open_market.pk, 104)
    seen.append(await receive_until(screen, "update"))
    assert [u["market"]["status"] for u in seen] == ["open", "paused", "closed", "resolved"]
    assert [u["sequence"] for u in seen] == [2, 3, 4, 5]
    resolved = seen[-1]
    assert resolved["market"]["outcome"] == 104
    [payout] = resolved["payouts"]
    assert payout["player_id"] == alice.pk and payout["profit"] == pytest.approx(payout["payout"] - 1000)
    await screen.disconnect()


async def test_an_update_brings_what_moved_and_merged_it_is_the_market_a_snapshot_shows(open_market, alice, bob):
    """A phone gets the fixed parts (question, range, prior…) once, in its snapshot, not in every update."""
    screen = await player_socket(alice)
    [held] = (await receive(screen))["markets"]
    await database_sync_to_async(trade_many)([bob], open_market.pk, 3)
    for update in await updates_until(screen, 4):
        assert set(update["market"]) == set(snapshots.MOVING_FIELDS)
        # The round's `steps` (the host's next moves, about 110 bytes) ride along in both; the rest halves.
        moving = {key: value for key, value in update["market"].items() if key != "steps"}
        assert len(json.dumps(moving)) < len(json.dumps(held)) / 2
        held = {**held, **update["market"]}
    [fresh] = (await request(screen, {"type": "snapshot"}))["markets"]
    assert held == fresh
    await screen.disconnect()


async def test_a_market_the_host_adds_reaches_the_host_screens_at_once_and_no_player(host, game, alice):
    host_screen, phone = await host_socket(host, game.pk), await player_socket(alice)
    assert (await receive(host_screen))["markets"] == [] and (await receive(phone))["markets"] == []
    draft = await database_sync_to_async(services.add_market)(host, game, question="Tomorrow's high?", lo=-10, hi=40)
    update = await receive_until(host_screen, "update")
    assert (update["market_id"], update["after"], update["sequence"]) == (draft.pk, 0, 0)
    assert update["market"]["status"] == "draft" and update["market"]["question"] == "Tomorrow's high?"
    await database_sync_to_async(services.open_market)(host, draft.pk)
    opened = await receive_until(phone, "update")  # the draft never reached the phone: this comes first
    assert (opened["market_id"], opened["after"], opened["sequence"]) == (draft.pk, 0, 1)
    assert opened["market"]["question"] == "Tomorrow's high?"
    await host_screen.disconnect()
    await phone.disconnect()


async def test_a_question_on_screen_and_its_first_guesses_reach_the_phones_before_trading(host, market, alice, bob):
    """A market whose question is shown is public while its status is still draft: the phones get its phases
    (question, first guesses, their count) as news, not only by asking for a snapshot."""
    phone = await player_socket(alice)
    assert (await receive(phone))["markets"] == []
    await database_sync_to_async(services.show_market)(host, market.pk)
    shown = await receive_until(phone, "update")
    assert shown["market_id"] == market.pk and shown["market"]["phase"] == "question"
    await database_sync_to_async(services.step_market)(host, market.pk, phase="guess")
    asked = await receive_until(phone, "update")
    assert asked["market"]["phase"] == "guess" and asked["market"]["status"] == "draft"
    await database_sync_to_async(services.submit_guess)(bob, market.pk, Order("target", 40, 10))
    counted = await receive_until(phone, "update")
    assert counted["market"]["guesses"]["count"] == 1 and counted["market"]["guesses"]["middles"] is None
    await phone.disconnect()


async def test_a_market_the_host_opens_appears_on_player_screens_from_sequence_zero(host, market, alice):
    screen = await player_socket(alice)
    assert (await receive(screen))["markets"] == []
    await database_sync_to_async(services.open_market)(host, market.pk)
    update = await receive_until(screen, "update")
    assert (update["market_id"], update["after"], update["sequence"]) == (market.pk, 0, 1)
    assert update["market"]["question"] == "How many jelly beans?"
    game = await receive_until(screen, "game")
    assert game["game"]["status"] == "playing"
    await screen.disconnect()


async def test_players_joining_and_being_kicked_are_announced(host, game, alice):
    projector = await host_socket(host, game.pk, "projector")
    await receive(projector)
    bob = await database_sync_to_async(services.join_game)(game.join_code, "Bob")
    joined = await receive_until(projector, "player")
    assert joined == {
        "type": "player",
        "change": "joined",
        "player": {"id": bob.pk, "nickname": "Bob", "kicked": False, "is_bot": False},
    }
    await database_sync_to_async(services.kick_player)(host, bob)
    kicked = await receive_until(projector, "player")
    assert (kicked["change"], kicked["player"]["id"], kicked["player"]["kicked"]) == ("kicked", bob.pk, True)
    await projector.disconnect()


async def test_snapshots_list_the_players_who_joined_or_were_kicked_since_the_room_opened(host, game, alice):
    """The room keeps the lobby for its snapshots: what it announced is what a screen opening later gets."""
    projector = await host_socket(host, game.pk, "projector")
    assert [p["nickname"] for p in (await receive(projector))["players"]] == ["Alice"]
    bob = await database_sync_to_async(services.join_game)(game.join_code, "Bob")
    await receive_until(projector, "player")
    phone = await player_socket(alice)
    assert (await receive(phone))["players"] == [
        {"id": alice.pk, "nickname": "Alice", "kicked": False, "is_bot": False},
        {"id": bob.pk, "nickname": "Bob", "kicked": False, "is_bot": False},
    ]
    await database_sync_to_async(services.kick_player)(host, bob)
    await receive_until(projector, "player")
    players = (await request(projector, {"type": "snapshot", "request_id": "again"}))["players"]
    assert [(p["nickname"], p["kicked"]) for p in players] == [("Alice", False), ("Bob", True)]
    for screen in (projector, phone):
        await screen.disconnect()


async def test_the_leaderboard_follows_trades(host, game, open_market, alice, bob):
    screen = await host_socket(host, game.pk)
    await receive(screen)
    await database_sync_to_async(trade_many)([alice], open_market.pk, 1)
    board = await receive_until(screen, "leaderboard")
    scores = {row["nickname"]: row["score"] for row in board["game"]}
    assert scores["Bob"] == 0 and scores["Alice"] != 0
    assert board["markets"][str(open_market.pk)][0]["rank"] == 1
    await screen.disconnect()


async def test_the_game_finishing_is_announced(host, game, alice):
    screen = await player_socket(alice)
    await receive(screen)
    await database_sync_to_async(services.finish_game)(host, game)
    assert (await receive_until(screen, "game"))["game"]["status"] == "finished"
    await screen.disconnect()


async def test_a_client_that_saw_a_gap_gets_a_snapshot_when_it_asks(open_market, alice):
    screen = await player_socket(alice)
    await receive(screen)
    await database_sync_to_async(trade_many)([alice], open_market.pk, 3)
    answer = await request(screen, {"type": "snapshot", "request_id": "gap"})
    assert answer["type"] == "snapshot" and answer["markets"][0]["sequence"] == 4
    assert [t["sequence"] for t in answer["trades"][str(open_market.pk)]] == [2, 3, 4]
    assert answer["positions"][str(open_market.pk)]["trades"] == 3
    await screen.disconnect()


async def test_a_screen_that_falls_too_far_behind_gets_a_snapshot_instead_of_the_backlog(open_market, alice):
    screen = await player_socket(alice)
    await receive(screen)
    [socket] = hubs.current_hub().rooms[alice.game_id].screens
    for i in range(OUTBOX_LIMIT + 10):  # faster than the writer can run: nothing is awaited in between
        socket.offer(f'{{"type":"update","filler":{i}}}')
    assert len(socket.outbox) < OUTBOX_LIMIT
    frames = []
    while not await screen.receive_nothing(timeout=0.5):
        frames.append(await receive(screen))
    assert frames[0]["type"] == "snapshot" and frames[0]["request_id"] is None
    assert len(frames) < OUTBOX_LIMIT
    await screen.disconnect()


async def test_each_broadcast_is_serialised_once_for_all_screens(host, game, open_market, alice, bob):
    screens = [await player_socket(alice), await player_socket(bob), await host_socket(host, game.pk)]
    for screen in screens:
        await receive(screen)
    room = hubs.current_hub().rooms[game.pk]
    sent: list[str] = []
    for socket in room.screens:
        original = socket.deliver

        async def deliver(text, original=original):
            sent.append(text)
            await original(text)

        socket.deliver = deliver
    await database_sync_to_async(trade_many)([alice], open_market.pk, 1)
    for screen in screens:
        await receive_until(screen, "update")
    updates = [text for text in sent if '"type":"update"' in text]
    assert len(updates) == 3 and len({id(text) for text in updates}) == 1
    for screen in screens:
        await screen.disconnect()


async def test_a_process_with_many_screens_updates_each_market_less_often(open_market, alice, bob):
    screen = await player_socket(alice)
    await receive(screen)
    hub = hubs.current_hub()
    hub.screens += 2 * hubs.FRAME_BUDGET  # as if thousands of phones were open on this process
    interval = hub.market_interval()
    assert interval > 2 * hubs.MARKET_INTERVAL
    started = time.monotonic()
    await database_sync_to_async(trade_many)([alice, bob], open_market.pk, 40)
    updates = await updates_until(screen, 41)
    assert len(updates) <= (time.monotonic() - started) / interval + 2
    assert updates[-1]["sequence"] == 41
    hub.screens -= 2 * hubs.FRAME_BUDGET
    await screen.disconnect()


async def test_updates_carry_feed_entries_of_the_new_trades_only(open_market, alice, bob):
    screen = await player_socket(alice)
    await receive(screen)
    await database_sync_to_async(trade_many)([alice, bob], open_market.pk, 3)
    updates = await updates_until(screen, 4)
    trades = [t for u in updates for t in u["trades"]]
    assert [t["sequence"] for t in trades] == [2, 3, 4]  # each trade once, in the update after it
    # What the feed and the curve's history draw, and no more (no cost: no screen shows one).
    assert set(trades[0]) == {"sequence", "player_id", "nickname", "is_bot", "kind", "mean", "sd"}
    assert trades[-1]["mean"] == pytest.approx(updates[-1]["market"]["mean"])
    await screen.disconnect()
