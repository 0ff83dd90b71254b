"""Finding 8 of issue 14: a multipart body, malformed or not, is a 415 (this API reads JSON), never a 500."""

from __future__ import annotations

import pytest

from mmgame.models import Game, Market

pytestmark = pytest.mark.django_db

BROKEN = [
    ("multipart/form-data; boundary=x", b'--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nno end'),
    ("multipart/form-data", b"no boundary at all"),
    ("multipart/form-data; boundary=", b"--\r\n"),
    ("multipart/form-data; boundary=" + "b" * 300, b"--b\r\n"),
    ("multipart/form-data; boundary=x", b'--x\r\nContent-Disposition: form-data; name="title"\r\n\r\nA\r\n--x--\r\n'),
]


def host_posts(game, market) -> list[str]:
    return [
        "/api/games",
        f"/api/games/{game.join_code}/markets",
        f"/api/games/{game.join_code}/join",
        f"/api/games/{game.join_code}/finish",
        f"/api/markets/{market.pk}/open",
        f"/api/markets/{market.pk}/close",
        f"/api/markets/{market.pk}/resolve",
    ]


@pytest.mark.parametrize(("content_type", "body"), BROKEN)
def test_a_multipart_body_from_a_signed_in_host_is_refused_with_415(host_api, game, market, content_type, body):
    for url in host_posts(game, market):
        response = host_api.client.post(
            url, body, content_type=content_type, headers={"X-CSRFToken": host_api.csrf_token}
        )

        assert (response.status_code, response.json()["code"]) == (415, "unsupported_media_type"), url
    assert Game.objects.count() == 1
    assert Market.objects.get(pk=market.pk).status == Market.Status.DRAFT


@pytest.mark.parametrize(("content_type", "body"), BROKEN)
def test_a_multipart_order_from_a_bot_is_refused_with_415(alice_bot, open_market, content_type, body):
    for what in ("trades", "quote"):
        response = alice_bot.client.post(
            f"/api/markets/{open_market.pk}/{what}", body, content_type=content_type, headers=alice_bot.headers(False)
        )

        assert (response.status_code, response.json()["code"]) == (415, "unsupported_media_type")
