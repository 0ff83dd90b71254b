"""A market's picture through the API: the one multipart endpoint (POST /api/markets/{id}/picture) and its
DELETE; every bad upload a 4xx with a code, and nothing stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mmgame.models import Market
from tests import pictures

pytestmark = pytest.mark.django_db


def stored(media: Path) -> list[Path]:
    return sorted(path for path in media.rglob("*") if path.is_file())


def send(api, market, data: bytes | None, *, name: str = "jar.jpg", alt: str | None = "A jar of red beans"):
    form = {} if alt is None else {"alt": alt}
    if data is not None:
        form["picture"] = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return api.client.post(f"/api/markets/{market.pk}/picture", form, headers={"X-CSRFToken": api.csrf_token})


def test_the_host_sets_a_picture_and_every_screen_reads_where_it_is(host_api, market, media):
    response = send(host_api, market, pictures.jar())

    assert response.status_code == 200, response.content
    market.refresh_from_db()
    assert response.json()["picture"] == {
        "url": f"/pictures/{market.pk}/{market.picture_name}",
        "alt": "A jar of red beans",
    }
    assert host_api.get(f"/api/markets/{market.pk}").json()["picture"]["alt"] == "A jar of red beans"
    assert [path.name for path in stored(media)] == [market.picture_name]


def test_the_host_takes_the_picture_away(host_api, market, media, django_capture_on_commit_callbacks):
    send(host_api, market, pictures.jar())

    with django_capture_on_commit_callbacks(execute=True):
        response = host_api.client.delete(
            f"/api/markets/{market.pk}/picture", headers={"X-CSRFToken": host_api.csrf_token}
        )

    assert response.status_code == 200 and response.json()["picture"] is None
    assert stored(media) == []


BAD = {
    "not an image": (b"hello", "jar.png", "A jar", 415, "not_a_picture"),
    "an SVG with a script": (pictures.SVG, "jar.svg", "A jar", 415, "not_a_picture"),
    "a decompression bomb": (pictures.bomb(), "b.png", "A jar", 413, "picture_too_large"),
    "too many bytes": (b"\xff\xd8" + b"x" * (5 * 1024 * 1024), "big.jpg", "A jar", 413, "picture_too_large"),
    "no alt text": (pictures.jar(), "jar.jpg", "", 400, "alt_text_needed"),
}


@pytest.mark.parametrize("case", BAD)
def test_a_bad_upload_is_refused_with_its_code_and_stores_nothing(host_api, market, media, case):
    data, name, alt, status, code = BAD[case]

    response = send(host_api, market, data, name=name, alt=alt)

    assert (response.status_code, response.json()["code"]) == (status, code)
    market.refresh_from_db()
    assert market.picture == "" and stored(media) == []


def test_an_upload_without_a_file_is_refused(host_api, market, media):
    response = send(host_api, market, None)

    assert response.status_code in (400, 422) and response.json()["code"] == "invalid_request"


def test_a_picture_on_someone_elses_market_is_not_found(intruder_api, market, media):
    response = send(intruder_api, market, pictures.jar())

    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert Market.objects.get(pk=market.pk).picture == "" and stored(media) == []


def test_a_player_cannot_set_a_picture(alice_bot, market, media):
    response = alice_bot.client.post(
        f"/api/markets/{market.pk}/picture",
        {"picture": SimpleUploadedFile("jar.jpg", pictures.jar()), "alt": "Mine"},
        headers={"X-Seat-Token": alice_bot.seat_token},
    )

    assert response.status_code in (401, 403, 404)
    assert stored(media) == []


def test_a_body_over_the_upload_bound_is_refused_before_it_is_read(host_api, market, settings):
    response = host_api.client.generic(
        "POST",
        f"/api/markets/{market.pk}/picture",
        b"x",
        content_type="multipart/form-data; boundary=x",
        headers={"X-CSRFToken": host_api.csrf_token},
        CONTENT_LENGTH=str(settings.MAX_UPLOAD_BODY + 1),
    )

    assert (response.status_code, response.json()["code"]) == (413, "body_too_large")


def test_other_endpoints_still_refuse_multipart(host_api, market):
    response = host_api.client.post(
        f"/api/markets/{market.pk}/open", {"alt": "x"}, headers={"X-CSRFToken": host_api.csrf_token}
    )

    assert (response.status_code, response.json()["code"]) == (415, "unsupported_media_type")


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("multipart/form-data; boundary=x", b'--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nno end'),
        ("multipart/form-data", b"no boundary at all"),
        ("multipart/form-data; boundary=", b"--\r\n"),
    ],
)
def test_a_broken_multipart_body_is_a_4xx_not_a_500(host_api, market, media, content_type, body):
    response = host_api.client.post(
        f"/api/markets/{market.pk}/picture",
        body,
        content_type=content_type,
        headers={"X-CSRFToken": host_api.csrf_token},
    )

    assert 400 <= response.status_code < 500 and "code" in response.json()
    assert stored(media) == []
