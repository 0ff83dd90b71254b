"""Finding 11 of issue 14: requests drawn from /api/openapi.json, for every operation, get answers the
document promises: no server error, a documented status, a body of the documented shape, and no schema
refusal (422) of a request that fits the schema. Bounded: a fixed number of examples per operation,
derandomised, 240 requests in all."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mmgame import services
from mmgame.models import Market

from .schema_strategies import JSON_SCALARS, Document
from .test_openapi import ENDPOINTS

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
OPERATIONS = sorted(ENDPOINTS, key=lambda operation: (operation[1], operation[0]))
broken_bodies = JSON_SCALARS | st.dictionaries(st.text(max_size=8), JSON_SCALARS, max_size=4)


@pytest.fixture
def document(anyone) -> Document:
    return Document(json.loads(anyone.get("/api/openapi.json").content))


@pytest.fixture
def classroom(host, game, open_market, alice, bob):
    """A game with an open market, a closed one and a draft, and two players; the host's ids to aim at."""
    closed = services.add_market(host, game, question="Closed?", lo=0, hi=10)
    # One market trades at a time (services.open_market): this one closed before the room's market opened.
    Market.objects.filter(pk=closed.pk).update(status="closed", phase="closed", sequence=2)
    draft = services.add_market(host, game, question="Draft?", lo=0, hi=10)

    def mostly(real: list, anything: st.SearchStrategy) -> st.SearchStrategy:
        return st.one_of(st.sampled_from(real), st.sampled_from(real), st.sampled_from(real), anything)

    return {
        "code": mostly([game.join_code, game.join_code.lower()], st.just("ZZZZZZ") | st.text(max_size=8)),
        "market_id": mostly([open_market.pk, closed.pk, draft.pk], st.integers(1, 2**63 - 1)),
        "player_id": mostly([bob.pk], st.integers(1, 2**63 - 1)),
    }


def caller(operation: dict, clients: dict):
    schemes = {name for option in operation.get("security", []) for name in option}
    if "HostSession" in schemes:
        return clients["host"]
    return clients["player"] if "SeatToken" in schemes else clients["anyone"]


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_every_answer_is_one_the_schema_promises(method, path, document, classroom, host_api, alice_bot, anyone):
    operation = document.document["paths"][path][method]
    client = caller(operation, {"host": host_api, "player": alice_bot, "anyone": anyone})
    parameters = operation.get("parameters", [])
    body_schema = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")

    @FUZZ
    @given(data=st.data())
    def check(data):
        url = path
        query = {}
        for parameter in parameters:
            name = parameter["name"]
            drawn = classroom[name] if name in classroom else document.values(parameter["schema"])
            if parameter["in"] == "path":
                url = url.replace("{" + parameter["name"] + "}", quote(str(data.draw(drawn)), safe=""))
            elif parameter.get("required") or data.draw(st.booleans()):
                value = data.draw(document.values(parameter["schema"]))
                if value is not None:
                    query[parameter["name"]] = value
        fits = True
        if method == "get":
            response = client.client.get(url, query, headers=client.headers(csrf=False))
        elif method == "delete":  # no body (the first that finds the game deletes it: then not found)
            fits = False
            response = client.client.delete(url, headers=client.headers(csrf=True))
        else:
            fits = body_schema is not None and data.draw(st.integers(0, 4)) > 0
            body = data.draw(document.values(body_schema) if fits else broken_bodies)
            send = client.client.put if method == "put" else client.client.post  # (a market's edit is a PUT)
            response = send(url, json.dumps(body), content_type="application/json", headers=client.headers(True))

        status = str(response.status_code)
        assert response.status_code < 500, (url, response.content)
        assert status in operation["responses"], (method, url, status, response.content)
        if status == "204":
            assert response.content == b""
            return
        payload = json.loads(response.content)
        schema = operation["responses"][status]["content"]["application/json"]["schema"]
        assert document.problems(payload, schema) == [], (method, url, status, payload)
        if fits:
            assert response.status_code != 422, (method, url, body, payload)

    check()
