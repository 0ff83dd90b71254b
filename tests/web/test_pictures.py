"""A question's picture on the pages: uploaded with the market form or the market list's picture form, and
served by the app to whoever may see the market, with headers fit for an access-checked file."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mmgame import services
from mmgame.models import Market
from tests import pictures

pytestmark = pytest.mark.django_db

MARKET = {"question": "How many beans are in the jar?", "lo": "0", "hi": "2000", "budget": "1000",
          "liquidity": "normal", "kind": "count", "scale": "linear"}  # fmt: skip


def stored(media: Path) -> list[Path]:
    return sorted(path for path in media.rglob("*") if path.is_file())


def upload(data: bytes, name: str = "jar.jpg", kind: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=kind)


def with_picture(host, market, media) -> Market:
    picture = services.picture_from(pictures.jar(), name="jar.jpg", alt="A jar of red beans")
    return services.set_picture(host, market.pk, picture)


def test_the_market_form_adds_a_market_with_its_picture(host_client, game, media):
    form = {**MARKET, "picture": upload(pictures.jar()), "picture_alt": "A jar of red beans on a desk"}

    response = host_client.post(reverse("web:new_market", args=[game.pk]), form)

    assert response.status_code == 302
    market = Market.objects.get(game=game)
    assert market.picture_alt == "A jar of red beans on a desk"
    assert [path.name for path in stored(media)] == [market.picture_name]


def test_the_market_form_offers_the_picture_after_the_question(host_client, game):
    page = host_client.get(reverse("web:new_market", args=[game.pk])).content.decode()

    assert 'enctype="multipart/form-data"' in page
    assert page.index('name="question"') < page.index('name="picture"') < page.index('name="picture_alt"')
    assert page.index('name="picture_alt"') < page.index('name="lo"')


BAD = {
    "not an image": (b"just some words\n", "jar.png", "image/png", "picture", "not a picture"),
    "an SVG with a script": (pictures.SVG, "jar.svg", "image/svg+xml", "picture", "not a picture"),
    "a decompression bomb": (pictures.bomb(), "bomb.png", "image/png", "picture", "million pixels"),
    "too large": (b"\xff\xd8" + b"x" * (5 * 1024 * 1024), "big.jpg", "image/jpeg", "picture", "at most 5 MB"),
}


@pytest.mark.parametrize("case", BAD)
def test_the_market_form_refuses_a_bad_picture_and_adds_nothing(host_client, game, media, case):
    data, name, kind, field, said = BAD[case]
    form = {**MARKET, "picture": upload(data, name, kind), "picture_alt": "A jar"}

    response = host_client.post(reverse("web:new_market", args=[game.pk]), form)

    assert response.status_code == 200
    assert said in " ".join(response.context["form"].errors[field])
    assert not Market.objects.exists() and stored(media) == []


def test_the_market_form_needs_the_alt_text_with_a_picture(host_client, game, media):
    response = host_client.post(
        reverse("web:new_market", args=[game.pk]), {**MARKET, "picture": upload(pictures.jar())}
    )

    assert "what the picture shows" in " ".join(response.context["form"].errors["picture_alt"])
    assert not Market.objects.exists() and stored(media) == []


def test_the_market_list_gives_replaces_and_takes_away_a_picture(host_client, game, market, media,
                                                                  django_capture_on_commit_callbacks):  # fmt: skip
    url = reverse("web:set_picture", args=[game.pk, market.pk])
    with django_capture_on_commit_callbacks(execute=True):
        host_client.post(url, {"picture": upload(pictures.jar()), "picture_alt": "First"})
    [first] = stored(media)
    with django_capture_on_commit_callbacks(execute=True):
        host_client.post(url, {"picture": upload(pictures.sticker(), "s.png", "image/png"), "picture_alt": "Second"})
    market.refresh_from_db()
    assert stored(media) == [media / market.picture] and market.picture_alt == "Second" and not first.exists()

    page = host_client.get(reverse("web:game", args=[game.pk])).content.decode()
    assert f'src="/pictures/{market.pk}/{market.picture_name}" alt="Second"' in page

    with django_capture_on_commit_callbacks(execute=True):
        host_client.post(url, {"remove": "1"})
    market.refresh_from_db()
    assert market.picture == "" and stored(media) == []


def test_a_picture_on_someone_elses_market_is_not_found_and_changes_nothing(client, other_host, game, market, media):
    client.force_login(other_host)

    response = client.post(reverse("web:set_picture", args=[game.pk, market.pk]),
                           {"picture": upload(pictures.jar()), "picture_alt": "Mine now"})  # fmt: skip

    assert response.status_code == 404
    market.refresh_from_db()
    assert market.picture == "" and stored(media) == []


def test_a_bad_picture_from_the_market_list_is_said_and_changes_nothing(host_client, game, market, media):
    url = reverse("web:set_picture", args=[game.pk, market.pk])

    response = host_client.post(url, {"picture": upload(pictures.SVG, "x.svg", "image/svg+xml"), "picture_alt": "A"},
                                follow=True)  # fmt: skip

    assert "The picture was not kept: the file is not a picture" in response.content.decode()
    market.refresh_from_db()
    assert market.picture == "" and stored(media) == []


def test_the_host_is_served_the_picture_with_its_exact_type_and_safe_headers(host_client, host, market, media):
    market = with_picture(host, market, media)

    response = host_client.get(reverse("web:picture", args=[market.pk, market.picture_name]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, max-age=3600"
    assert response["Content-Disposition"] == 'inline; filename="question-1.jpg"'
    assert b"".join(response.streaming_content) == (media / market.picture).read_bytes()


def test_a_player_sees_the_picture_only_once_the_question_is_shown(client, host, market, alice, media):
    market = with_picture(host, market, media)
    url = reverse("web:picture", args=[market.pk, market.picture_name])

    assert client.get(url, HTTP_X_SEAT_TOKEN=alice.seat_token).status_code == 404  # a draft gives nothing away

    services.show_market(host, market.pk)
    assert client.get(url, HTTP_X_SEAT_TOKEN=alice.seat_token).status_code == 200


def test_no_one_else_is_served_a_picture(client, host, market, stranger, media):
    market = with_picture(host, market, media)
    services.show_market(host, market.pk)
    url = reverse("web:picture", args=[market.pk, market.picture_name])

    assert client.get(url).status_code == 404  # no seat: the market is not found
    assert client.get(url, HTTP_X_SEAT_TOKEN=stranger.seat_token).status_code == 404  # another game's seat


def test_a_replaced_pictures_address_finds_nothing(host_client, host, market, media):
    old = with_picture(host, market, media).picture_name
    with_picture(host, market, media)

    assert host_client.get(reverse("web:picture", args=[market.pk, old])).status_code == 404
    assert host_client.get(reverse("web:picture", args=[market.pk, "..%2F..%2Fdb.sqlite3"])).status_code == 404


def test_a_file_name_with_a_path_never_places_the_file(host_client, game, market, media, tmp_path):
    """Django's form parser keeps an upload's file name alone (`../../x.png` arrives as `x.png`; the service
    refuses a name with a folder from any other caller, tests/services/test_pictures.py), and the picture is
    stored under a random name in its folder whatever it was called."""
    url = reverse("web:set_picture", args=[game.pk, market.pk])

    host_client.post(url, {"picture": upload(pictures.jar(), "../../x.png", "image/png"), "picture_alt": "A jar"})

    market.refresh_from_db()
    assert stored(media) == [media / market.picture] and market.picture.startswith("pictures/")
    assert list(tmp_path.rglob("x.png")) == [] and len(market.picture_name) > 30  # a random name, not x.png


def test_a_picture_whose_file_went_since_its_row_was_read_is_not_found(host_client, host, market, media):
    """A request that read the row just before the picture was replaced finds no file: a 404, never a 500."""
    market = with_picture(host, market, media)
    (media / market.picture).unlink()

    response = host_client.get(reverse("web:picture", args=[market.pk, market.picture_name]))

    assert response.status_code == 404
