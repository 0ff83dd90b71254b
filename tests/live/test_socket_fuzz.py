"""Finding 11 of issue 14, the socket's half: a bounded fuzz of what a screen may send. Every frame gets
one answer that is not a server error, and the socket is never closed (no 1011)."""

from __future__ import annotations

import json
import random

import pytest

from mmgame.inputs import ORDER_FIELDS

from .conftest import BROADCASTS, player_socket, receive, request

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("live")]

FRAMES = 200
NUMBERS = [
    "0", "-0", "1", "-1", "0.5", "120", "30", "1e-400", "-1e-400", "1E+999999999", "-1E+999999999", "1e15",
    "1000000000000001", "1e99999999999999999999", "1e-99999999999999999999", "9" * 400, "0." + "0" * 300 + "1",
    '"12"', "true", "null", "[]", "{}", "NaN", "Infinity",
]  # fmt: skip
SANE = {"mean": ["80", "100.5", "120", "150"], "sd": ["30", "45.25", "60"], "delta_1": ["0.5", "-1", "2"],
        "delta_2": ["-0.01", "-0.5", "0"]}  # fmt: skip
KINDS = ["target", "toward", "shares", "close", "buy", "", None]
FIELDS = ["mean", "sd", "delta_1", "delta_2"]


def literal(value: object) -> str:
    return value if isinstance(value, str) and value in NUMBERS else json.dumps(value)


def frame(rng: random.Random, market_ids: list[int], i: int) -> str:
    """A request written as text, so its numbers can be literals json.dumps never writes."""
    shape = rng.random()
    if shape < 0.1:
        return rng.choice([" ", "{", "[]", '"x"', "null", '{"type": "ping"', json.dumps({"type": rng.choice(["", 7])})])
    if shape < 0.2:
        return json.dumps({"type": rng.choice(["ping", "snapshot"]), "request_id": f"r{i}"})
    kind = rng.choice(KINDS)
    order = {"kind": json.dumps(kind)} if rng.random() < 0.9 else {}
    fitting = ORDER_FIELDS.get(kind) if isinstance(kind, str) and rng.random() < 0.7 else None
    for name in sorted(fitting) if fitting is not None else rng.sample(FIELDS, rng.randint(0, 3)):
        order[name] = rng.choice(SANE[name] if rng.random() < 0.6 else NUMBERS)
    parts = {
        "type": json.dumps(rng.choice(["trade", "quote"])),
        "request_id": json.dumps(f"r{i}"),
        "market_id": str(rng.choice(market_ids)) if rng.random() < 0.9 else rng.choice(NUMBERS),
        "order": "{" + ", ".join(f'"{k}": {v}' for k, v in order.items()) + "}",
    }
    if parts["type"] == '"trade"':
        parts["idempotency_key"] = json.dumps(f"k{i}")
        for name in ("max_cost", "quoted_sequence"):
            if rng.random() < 0.3:
                parts[name] = rng.choice(NUMBERS)
    return "{" + ", ".join(f'"{k}": {v}' for k, v in parts.items()) + "}"


async def test_random_frames_are_answered_without_a_server_error_or_a_close(host, game, open_market, alice):
    rng = random.Random(14)
    socket = await player_socket(alice)
    await receive(socket)
    answers: dict[str, int] = {}
    for i in range(FRAMES):
        await socket.send_to(text_data=frame(rng, [open_market.pk, open_market.pk, 10**9], i))
        while True:
            output = await socket.receive_output(5)
            assert output["type"] != "websocket.close", output
            answer = json.loads(output["text"])
            if answer["type"] not in BROADCASTS and not (answer["type"] == "snapshot" and answer["request_id"] is None):
                break
        code = answer.get("code", answer["type"])
        assert code != "server_error", answer
        answers[code] = answers.get(code, 0) + 1
    assert await request(socket, {"type": "ping", "request_id": "end"}) == {"type": "pong", "request_id": "end"}
    assert answers.get("trade_result", 0) > 0 and answers.get("invalid_number", 0) > 0, answers
    await socket.disconnect()
