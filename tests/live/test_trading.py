"""Trades and quotes sent over a player's socket go through the trading service (docs/protocol.md §3)."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from mmgame import services
from mmgame.models import Market, Trade

from .conftest import host_socket, player_socket, receive, receive_until, request

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("live")]


def trade(market_id: int, key: str, mean: float = 120, sd: float = 40, **extra) -> dict:
    return {
        "type": "trade",
        "request_id": f"r-{key}",
        "market_id": market_id,
        "order": {"kind": "target", "mean": mean, "sd": sd},
        "idempotency_key": key,
        **extra,
    }


async def sequence_of(market_id: int) -> int:
    return (await database_sync_to_async(Market.objects.get)(pk=market_id)).sequence


async def test_a_trade_over_the_socket_settles_and_answers_with_the_trade_position_and_market(open_market, alice):
    socket = await player_socket(alice)
    await receive(socket)
    answer = await request(socket, trade(open_market.pk, "k1", max_cost=1000, quoted_sequence=1))
    assert answer["type"] == "trade_result" and answer["request_id"] == "r-k1" and answer["replayed"] is False
    assert answer["trade"]["sequence"] == 2 and answer["trade"]["player_id"] == alice.pk
    assert answer["market"]["sequence"] == 2 and answer["market"]["mean"] == pytest.approx(120)
    assert answer["position"]["trades"] == 1 and answer["position"]["worst_case"] >= 0
    assert await database_sync_to_async(Trade.objects.filter(market=open_market).count)() == 1
    update = await receive_until(socket, "update")
    assert (update["after"], update["sequence"]) == (1, 2)
    await socket.disconnect()


async def test_a_replayed_idempotency_key_returns_the_first_result_and_changes_nothing(open_market, alice):
    socket = await player_socket(alice)
    await receive(socket)
    first = await request(socket, trade(open_market.pk, "same"))
    again = await request(socket, trade(open_market.pk, "same", mean=200))
    assert again["replayed"] is True and again["trade"] == first["trade"]
    assert await sequence_of(open_market.pk) == 2
    await socket.disconnect()


async def test_a_quote_over_the_socket_changes_nothing(open_market, alice):
    socket = await player_socket(alice)
    await receive(socket)
    answer = await request(
        socket,
        {
            "type": "quote",
            "request_id": "q",
            "market_id": open_market.pk,
            "order": {"kind": "target", "mean": 150, "sd": 50},
        },
    )
    assert (
        answer["type"] == "quote" and answer["quote"]["sequence"] == 1 and answer["quote"]["mean"] == pytest.approx(150)
    )
    order = services.trading.Order("target", mean=150, sd=50)
    _, expected = await database_sync_to_async(services.quote_order)(alice, open_market.pk, order)
    assert answer["quote"]["cost"] == pytest.approx(expected.move.cost)
    assert await sequence_of(open_market.pk) == 1
    await socket.disconnect()


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        (dict(max_cost=-1e6), "max_cost_exceeded"),
        (dict(quoted_sequence=0), "stale_quote"),
        (dict(mean=150, sd=1.5), "insufficient_collateral"),
        (dict(mean=150, sd=0.5), "invalid_curve"),
        (dict(mean=900), "invalid_curve"),
        (dict(market_id=999_999), "not_found"),
    ],
)
async def test_a_refused_trade_gets_a_typed_error_and_changes_nothing(open_market, alice, frame, code):
    socket = await player_socket(alice)
    await receive(socket)
    args = {k: frame.pop(k) for k in ("mean", "sd") if k in frame}
    body = trade(open_market.pk, "bad", **args)
    body.update(frame)
    answer = await request(socket, body)
    assert answer["type"] == "error" and answer["code"] == code and answer["request_id"] == "r-bad"
    assert await sequence_of(open_market.pk) == 1
    assert await database_sync_to_async(Trade.objects.count)() == 0
    assert await request(socket, {"type": "ping", "request_id": "p"}) == {"type": "pong", "request_id": "p"}
    await socket.disconnect()


async def test_a_trade_in_a_draft_finds_no_market_as_through_the_api(market, alice):
    socket = await player_socket(alice)
    await receive(socket)
    answer = await request(socket, trade(market.pk, "k"))
    assert answer["code"] == "not_found"
    await socket.disconnect()


async def test_an_idempotency_key_reused_in_another_market_is_a_conflict(host, game, open_market, alice):
    second = await database_sync_to_async(services.add_market)(host, game, question="Second", lo=0, hi=10)
    socket = await player_socket(alice)
    await receive(socket)
    assert (await request(socket, trade(open_market.pk, "k")))["type"] == "trade_result"
    await database_sync_to_async(services.open_market)(host, second.pk, close_others=True)
    answer = await request(socket, trade(second.pk, "k", mean=5, sd=2))
    assert answer["code"] == "idempotency_conflict"
    await socket.disconnect()


async def test_a_kicked_player_cannot_trade_and_is_disconnected(host, open_market, alice):
    socket = await player_socket(alice)
    await receive(socket)
    await database_sync_to_async(services.kick_player)(host, alice)
    kicked = await receive_until(socket, "error")
    assert kicked["code"] == "kicked"
    output = await socket.receive_output(5)
    while output["type"] != "websocket.close":
        output = await socket.receive_output(5)
    assert output["code"] == 4403


async def test_the_host_and_projector_may_not_trade(host, game, open_market):
    for role in ("host", "projector"):
        screen = await host_socket(host, game.pk, role)
        await receive(screen)
        answer = await request(screen, trade(open_market.pk, "h"))
        assert (answer["type"], answer["code"]) == ("error", "unknown_type")
        await screen.disconnect()
    assert await sequence_of(open_market.pk) == 1


async def test_a_flood_of_requests_is_answered_busy_past_the_limit_and_every_request_gets_one_answer(
    open_market, alice
):
    from mmgame.live.consumers import REQUEST_LIMIT

    socket = await player_socket(alice)
    await receive(socket)
    order = {"kind": "target", "mean": 150, "sd": 50}
    count = REQUEST_LIMIT * 2
    for i in range(count):
        await socket.send_json_to({"type": "quote", "request_id": f"q{i}", "market_id": open_market.pk, "order": order})
    answers = {}
    while len(answers) < count:
        frame = await receive(socket, timeout=20)
        if frame.get("request_id"):
            assert frame["request_id"] not in answers
            answers[frame["request_id"]] = frame
    kinds = [answers[f"q{i}"]["type"] for i in range(count)]
    busy = [answers[f"q{i}"].get("code") == "busy" for i in range(count)]
    assert kinds.count("quote") >= REQUEST_LIMIT and any(busy)
    assert all(kind == "quote" or code for kind, code in zip(kinds, busy, strict=True))
    await socket.disconnect()


async def test_a_draft_cannot_be_quoted_over_the_socket(market, alice):
    """A draft's prior is the host's secret until it opens: quoting it by id answers "no such market"."""
    socket = await player_socket(alice)
    snapshot = await receive(socket)
    assert market.pk not in [m["id"] for m in snapshot["markets"]]
    order = {"kind": "target", "mean": 120, "sd": 40}
    answer = await request(socket, {"type": "quote", "request_id": "peek", "market_id": market.pk, "order": order})
    assert (answer["type"], answer["code"], answer["request_id"]) == ("error", "not_found", "peek")
    assert "quote" not in answer and "prior" not in str(answer)
    assert await sequence_of(market.pk) == 0
    await socket.disconnect()


@pytest.fixture
def open_log_market(host, game):
    market = services.add_market(
        host, game, question="Piano tuners?", kind="count", lo=10, hi=100000, scale="log", liquidity=30
    )
    return services.open_market(host, market.pk)


async def test_a_log_market_trades_over_the_socket_by_a_90_percent_interval(open_log_market, alice):
    socket = await player_socket(alice)
    snapshot = await receive(socket)
    (seen,) = snapshot["markets"]
    assert seen["scale"] == "log" and seen["median"] == pytest.approx(1000) and seen["mean"] is None
    order = {"kind": "target", "low": 200, "high": 5000}
    message = {"type": "trade", "request_id": "r", "market_id": open_log_market.pk, "order": order}
    answer = await request(socket, {**message, "idempotency_key": "k"})
    assert answer["type"] == "trade_result", answer
    assert answer["market"]["interval_90"] == pytest.approx([200, 5000])
    # The answer's trade line speaks the scale's words only; raw shares and exact curves are the API's.
    assert answer["trade"]["median"] == pytest.approx(1000) and {"mean", "shares"}.isdisjoint(answer["trade"])
    update = await receive_until(socket, "update")
    assert update["market"]["median"] == pytest.approx(1000) and update["trades"][0]["sd_log"] > 0
    await socket.disconnect()


@pytest.mark.parametrize(
    ("order", "code"),
    [
        ({"kind": "target", "mean": 500, "sd": 100}, "scale_mismatch"),
        ({"kind": "target", "low": 0, "high": 9}, "not_positive"),
    ],
)
async def test_a_log_market_refuses_a_mean_and_sd_or_a_value_of_zero_over_the_socket(
    open_log_market, alice, order, code
):
    socket = await player_socket(alice)
    await receive(socket)
    message = {"type": "trade", "request_id": "r", "market_id": open_log_market.pk, "order": order}
    answer = await request(socket, {**message, "idempotency_key": "k"})
    assert (answer["type"], answer["code"]) == ("error", code), answer
    await socket.disconnect()
