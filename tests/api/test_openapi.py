"""The OpenAPI document is generated from the code: it lists every endpoint and the error shape."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    ("get", "/api/csrf"),
    ("get", "/api/games"),
    ("post", "/api/games"),
    ("get", "/api/games/{code}"),
    ("post", "/api/games/{code}/join"),
    ("post", "/api/games/{code}/markets"),
    ("post", "/api/games/{code}/markets/order"),
    ("get", "/api/games/{code}/players"),
    ("post", "/api/games/{code}/players/{player_id}/kick"),
    ("post", "/api/games/{code}/players/{player_id}/free-name"),
    ("post", "/api/games/{code}/finish"),
    ("get", "/api/games/{code}/leaderboard"),
    ("get", "/api/markets/{market_id}"),
    ("delete", "/api/markets/{market_id}"),
    ("put", "/api/markets/{market_id}"),
    ("get", "/api/markets/{market_id}/trades"),
    ("post", "/api/markets/{market_id}/trades"),
    ("get", "/api/markets/{market_id}/leaderboard"),
    ("post", "/api/markets/{market_id}/open"),
    ("post", "/api/markets/{market_id}/pause"),
    ("post", "/api/markets/{market_id}/close"),
    ("post", "/api/markets/{market_id}/resolve"),
    ("post", "/api/markets/{market_id}/picture"),
    ("delete", "/api/markets/{market_id}/picture"),
    ("get", "/api/markets/{market_id}/position"),
    ("post", "/api/markets/{market_id}/quote"),
    ("post", "/api/markets/{market_id}/phase"),
    ("post", "/api/markets/{market_id}/show"),
    ("get", "/api/markets/{market_id}/answer"),
    ("post", "/api/markets/{market_id}/answer"),
    ("post", "/api/markets/{market_id}/clues"),
    ("get", "/api/markets/{market_id}/clue"),
    ("get", "/api/markets/{market_id}/guess"),
    ("post", "/api/markets/{market_id}/guess"),
    ("get", "/api/markets/{market_id}/reasons"),
    ("post", "/api/markets/{market_id}/reasons"),
    ("get", "/api/markets/{market_id}/taking-part"),
    ("post", "/api/games/{code}/late-joins"),
    ("post", "/api/games/{code}/language"),
    ("post", "/api/games/{code}/autopilot"),
    ("post", "/api/games/{code}/autopilot/hold"),
    ("post", "/api/games/{code}/autopilot/extend"),
    ("post", "/api/games/{code}/autopilot/skip"),
    ("post", "/api/markets/{market_id}/autopilot"),
    ("post", "/api/games/{code}/waiting-room"),
    ("get", "/api/games/{code}/arrival"),
    ("get", "/api/games/{code}/waiting"),
    ("post", "/api/games/{code}/waiting/admit-all"),
    ("post", "/api/games/{code}/waiting/{arrival_id}/admit"),
    ("post", "/api/games/{code}/waiting/{arrival_id}/turn-away"),
    ("delete", "/api/games/{code}"),
}


@pytest.fixture
def document(anyone) -> dict:
    response = anyone.get("/api/openapi.json")
    assert (response.status_code, response["Content-Type"].split(";")[0]) == (200, "application/json")
    return json.loads(response.content)


def refs(node: object):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def test_the_document_is_openapi_3(document):
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "mmgame"


def test_the_document_lists_every_endpoint(document):
    listed = {(method, path) for path, item in document["paths"].items() for method in item}

    assert listed == ENDPOINTS


def test_every_reference_resolves(document):
    schemas = document["components"]["schemas"]

    for ref in set(refs(document)):
        assert ref.startswith("#/components/schemas/")
        assert ref.rsplit("/", 1)[1] in schemas


def test_the_error_shape_is_documented_for_every_refusal(document):
    schemas = document["components"]["schemas"]
    assert set(schemas["ErrorOut"]["required"]) == {"code", "message"}
    assert "errors" in schemas["ValidationErrorOut"]["required"]

    for path, item in document["paths"].items():
        for method, operation in item.items():
            if path == "/api/csrf":
                continue
            refusals = {status: r for status, r in operation["responses"].items() if status.startswith("4")}
            assert "422" in refusals, (method, path)
            for status, answer in refusals.items():
                ref = answer["content"]["application/json"]["schema"]["$ref"]
                assert ref.endswith("/ValidationErrorOut" if status == "422" else "/ErrorOut"), (method, path, status)


def test_the_trade_body_is_one_shape_per_kind_and_curve_form_with_its_numbers_and_a_required_key(document):
    variants = {
        (v["properties"]["kind"]["const"], *v["required"][1:3]): v
        for v in document["components"]["schemas"]["TradeIn"]["oneOf"]
    }

    assert sorted(variants) == sorted(
        [
            *((kind, *form) for kind in ("target", "toward") for form in (("mean", "sd"), ("median", "sd_log"))),
            *((kind, "high", "low") for kind in ("target", "toward")),
            ("shares", "delta_1", "delta_2"),
            ("close", "idempotency_key"),
        ]
    )
    assert all("idempotency_key" in v["required"] and v["additionalProperties"] is False for v in variants.values())
    assert variants[("close", "idempotency_key")]["properties"]["mean"] == {"type": "null"}
    assert variants[("target", "median", "sd_log")]["properties"]["mean"] == {"type": "null"}
    assert variants[("target", "mean", "sd")]["properties"]["median"] == {"type": "null"}
    mean = variants[("target", "mean", "sd")]["properties"]["mean"]
    assert (mean["type"], mean["minimum"], mean["maximum"]) == ("number", -1e15, 1e15)


def test_the_schema_says_what_the_server_enforces(document):
    schemas = document["components"]["schemas"]

    assert schemas["JoinIn"]["properties"]["nickname"]["maxLength"] == 24
    assert schemas["GameIn"]["properties"]["title"]["pattern"] == r"\S"
    assert schemas["MarketIn"]["properties"]["question"]["minLength"] == 1
    close = document["paths"]["/api/markets/{market_id}/close"]["post"]["responses"]
    assert {"400", "415", "422"} <= set(close)
    trade = document["paths"]["/api/markets/{market_id}/trades"]["post"]["responses"]
    assert "429" in trade and "rate_limited" in schemas["ErrorOut"]["description"]


def test_the_ways_to_authenticate_are_documented(document):
    schemes = document["components"]["securitySchemes"]

    assert schemes["SeatToken"] == {"type": "apiKey", "in": "header", "name": "X-Seat-Token"}
    assert schemes["HostSession"]["in"] == "cookie"
    trade = document["paths"]["/api/markets/{market_id}/trades"]["post"]
    assert trade["security"] == [{"SeatToken": []}, {"SeatSession": []}]
