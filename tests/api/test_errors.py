"""Every answer from /api/ is JSON, errors included: unknown paths, wrong methods, oversized bodies."""

from __future__ import annotations

import pytest

from mmgame.models import Trade

from ..services.ledger import rows
from .conftest import target

pytestmark = pytest.mark.django_db

JSON = "application/json; charset=utf-8"


@pytest.mark.parametrize("path", ["/api/", "/api/nowhere", "/api/markets/1/nowhere", "/api/games/ABCDEF/x/y"])
@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_an_unknown_path_is_a_json_404(anyone, path, method):
    response = getattr(anyone.client, method)(path)

    assert (response.status_code, response["Content-Type"]) == (404, JSON)
    assert response.json()["code"] == "not_found"


def test_a_wrong_method_is_a_json_405(alice_bot, open_market):
    response = alice_bot.client.delete(f"/api/markets/{open_market.pk}/trades")

    assert (response.status_code, response["Content-Type"]) == (405, JSON)
    assert response.json()["code"] == "method_not_allowed"
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}


def test_a_path_id_that_is_not_a_number_is_refused_as_json(anyone, db):
    response = anyone.get("/api/markets/abc")

    assert (response.status_code, response["Content-Type"]) == (422, JSON)


def test_a_path_id_beyond_any_row_is_refused_as_json(anyone, db):
    response = anyone.get(f"/api/markets/{2**64}")

    assert (response.status_code, response["Content-Type"]) == (422, JSON)


def test_an_oversized_body_is_refused_unread(alice_bot, open_market):
    padding = "x" * 20_000
    before = rows()

    response = alice_bot.post(f"/api/markets/{open_market.pk}/trades", target(120, 30, "k", note=padding))

    assert (response.status_code, response["Content-Type"]) == (413, JSON)
    assert response.json()["code"] == "body_too_large"
    assert rows() == before


def test_a_body_past_djangos_own_limit_is_refused_as_json(alice_bot, open_market, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000  # below the API's own limit, so Django's check is the one hit

    response = alice_bot.post(f"/api/markets/{open_market.pk}/trades", target(120, 30, "k", note="x" * 2000))

    assert (response.status_code, response["Content-Type"]) == (413, JSON)
    assert response.json()["code"] == "body_too_large"
    assert not Trade.objects.exists()


def test_errors_from_services_keep_their_details(alice_bot, open_market):
    response = alice_bot.post(f"/api/markets/{open_market.pk}/trades", target(120, 2, "k"))

    body = response.json()
    assert body["code"] == "insufficient_collateral"
    assert {"message", "worst_case", "affordable_fraction", "affordable_mean", "affordable_sd"} <= body.keys()


def test_the_csrf_endpoint_hands_out_a_token_and_its_cookie(anyone):
    response = anyone.get("/api/csrf")

    assert response.status_code == 200
    assert response.json()["csrf_token"]
    assert "csrftoken" in response.cookies
