"""A question's picture (mmgame/services/pictures.py): re-encoded without metadata, bounded, stored under a
random name, and its file deleted with the market's picture or its game; bad uploads change nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from mmgame import queries, services
from mmgame.api.statuses import http_status
from mmgame.market import Refused
from mmgame.models import Market
from mmgame.queries import shapes
from mmgame.services.pictures import LONGEST_SIDE
from tests import pictures

from .ledger import rows

pytestmark = pytest.mark.django_db(transaction=True)  # files are deleted on commit


def stored(media: Path) -> list[Path]:
    return sorted(path for path in media.rglob("*") if path.is_file())


def opened(path: Path) -> Image.Image:
    image = Image.open(path)
    image.load()
    return image


def test_a_photo_is_stored_as_a_jpeg_without_its_metadata(host, market, media):
    photo = pictures.jar()
    assert Image.open(io.BytesIO(photo)).getexif()  # the upload carries a camera and a location

    services.set_picture(host, market.pk, services.picture_from(photo, name="jar.jpg", alt="A jar of red beans"))

    market.refresh_from_db()
    [path] = stored(media)
    image = opened(path)
    assert image.format == "JPEG" and path.suffix == ".jpg"
    assert not image.getexif() and "icc_profile" not in image.info and "exif" not in image.info
    assert market.picture == f"pictures/{path.name}" and market.picture_alt == "A jar of red beans"
    assert "jar" not in path.name and len(path.stem) >= 32  # not the upload's name: unguessable


def test_a_picture_with_transparency_stays_a_png_and_loses_its_text_chunks(host, market, media):
    services.set_picture(host, market.pk, services.picture_from(pictures.sticker(), name="s.png", alt="A sticker"))

    [path] = stored(media)
    image = opened(path)
    assert image.format == "PNG" and image.mode == "RGBA" and path.suffix == ".png"
    assert "Author" not in image.info and not getattr(image, "text", {})


def test_a_large_photo_is_scaled_down_to_the_longest_side(host, market, media):
    services.set_picture(host, market.pk, services.picture_from(pictures.jar((4000, 3000)), name="j.jpg", alt="Jar"))

    [path] = stored(media)
    assert opened(path).size == (LONGEST_SIDE, LONGEST_SIDE * 3 // 4)


def test_replacing_a_picture_deletes_the_old_file_and_removing_it_deletes_the_new(host, market, media):
    services.set_picture(host, market.pk, services.picture_from(pictures.jar(), name="a.jpg", alt="First"))
    [first] = stored(media)

    services.set_picture(host, market.pk, services.picture_from(pictures.sticker(), name="b.png", alt="Second"))
    [second] = stored(media)
    assert second != first and not first.exists()

    services.set_picture(host, market.pk, None)
    market.refresh_from_db()
    assert stored(media) == [] and market.picture == "" and market.picture_alt == ""


def test_a_market_added_with_a_picture_shows_it_to_every_screen(host, game, media):
    picture = services.picture_from(pictures.jar(), name="jar.jpg", alt="A jar of red beans")

    market = services.add_market(host, game, question="How many beans?", lo=0, hi=1000, picture=picture)

    shown = shapes.market_state(queries.current_market(market))
    name = market.picture.rsplit("/", 1)[1]
    assert shown["picture"] == {"url": f"/pictures/{market.pk}/{name}", "alt": "A jar of red beans"}
    assert shapes.market_moves(market)["picture"] == shown["picture"]  # a replaced picture reaches known screens
    assert [path.name for path in stored(media)] == [name]


def test_deleting_the_game_deletes_its_pictures(host, game, media):
    for number in range(2):
        picture = services.picture_from(pictures.jar(), name="jar.jpg", alt=f"Jar {number}")
        services.add_market(host, game, question=f"Question {number}?", lo=0, hi=10, picture=picture)
    assert len(stored(media)) == 2

    services.delete_game(host, game)

    assert stored(media) == []


def test_a_market_refused_for_its_numbers_leaves_no_file(host, game, media):
    picture = services.picture_from(pictures.jar(), name="jar.jpg", alt="A jar")

    with pytest.raises(Refused):
        services.add_market(host, game, question="How many?", lo=10, hi=0, picture=picture)

    assert stored(media) == [] and not Market.objects.exists()


BAD = {
    "not an image": (b"hello, this is text\n", "notes.png", "not_a_picture", 415),
    "an SVG with a script": (pictures.SVG, "jar.svg", "not_a_picture", 415),
    "a decompression bomb": (pictures.bomb(), "bomb.png", "picture_too_large", 413),
    "a bomb under Pillow's own bound": (pictures.bomb(6000, 6000), "bomb.png", "picture_too_large", 413),
    "a file name with a path": (pictures.jar(), "../../x.png", "bad_picture_name", 400),
}


@pytest.mark.parametrize("case", BAD)
def test_a_bad_upload_is_refused_with_its_code_and_changes_nothing(host, market, media, case):
    data, name, code, status = BAD[case]
    before = rows()

    with pytest.raises(Refused) as refused:
        services.set_picture(host, market.pk, services.picture_from(data, name=name, alt="A jar"))

    assert refused.value.code == code and http_status(refused.value) == status
    assert refused.value.details["field"] == "picture"
    assert rows() == before and stored(media) == []


def test_a_file_over_the_size_bound_is_refused_before_it_is_decoded(settings, media):
    settings.PICTURE_MAX_BYTES = 10_000

    with pytest.raises(services.PictureTooLarge) as refused:
        services.picture_from(pictures.jar(), name="jar.jpg", alt="A jar")

    assert "at most" in refused.value.message and refused.value.details["field"] == "picture"


@pytest.mark.parametrize("alt", ["", "   ", None, "x" * 301])
def test_a_picture_needs_its_alt_text(alt):
    with pytest.raises(services.AltTextNeeded) as refused:
        services.picture_from(pictures.jar(), name="jar.jpg", alt=alt)

    assert refused.value.code == "alt_text_needed" and refused.value.details["field"] == "picture_alt"


def test_a_picture_on_someone_elses_market_is_not_found_and_stores_nothing(other_host, market, media):
    picture = services.picture_from(pictures.jar(), name="jar.jpg", alt="A jar")
    before = rows()

    with pytest.raises(services.NotFound):
        services.set_picture(other_host, market.pk, picture)

    assert rows() == before and stored(media) == []


def test_pictures_go_through_whatever_storage_the_settings_name(host, market, settings):
    """Nothing assumes local files: the same flow on Django's in-memory storage (a bucket would do the same)."""
    from django.core.files.storage import default_storage

    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    services.set_picture(host, market.pk, services.picture_from(pictures.jar(), name="a.jpg", alt="First"))
    first = Market.objects.get(pk=market.pk).picture
    assert default_storage.exists(first) and Image.open(default_storage.open(first)).format == "JPEG"

    services.set_picture(host, market.pk, services.picture_from(pictures.sticker(), name="b.png", alt="Second"))

    assert not default_storage.exists(first)
    assert default_storage.exists(Market.objects.get(pk=market.pk).picture)


@pytest.mark.parametrize("size", [(100_000, 100_000), (6000, 6000)])
def test_a_decompression_bomb_is_refused_from_its_header_without_decoding(monkeypatch, size):
    """Refused from the size its header declares: no pixel of it is ever decoded (no load, no decoder made)."""
    from PIL import ImageFile

    decoded = []
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: decoded.append(self.size))
    monkeypatch.setattr(Image, "_getdecoder", lambda *args: decoded.append(args))

    with pytest.raises(services.PictureTooLarge):
        services.picture_from(pictures.bomb(*size), name="bomb.png", alt="A jar")

    assert decoded == []


def test_a_file_the_storage_cannot_delete_does_not_undo_or_fail_the_change(host, market, media, monkeypatch, caplog):
    from django.core.files.storage import default_storage

    services.set_picture(host, market.pk, services.picture_from(pictures.jar(), name="a.jpg", alt="First"))

    def out_of_reach(name):
        raise OSError("the bucket is out of reach")

    monkeypatch.setattr(default_storage, "delete", out_of_reach)
    services.set_picture(host, market.pk, None)

    assert Market.objects.get(pk=market.pk).picture == ""
    assert "could not delete the picture" in caplog.text


def test_the_pixel_bound_is_below_pillows_own():
    """Pillow refuses past twice Image.MAX_IMAGE_PIXELS and only warns below: the game's bound comes first."""
    from mmgame.services.pictures import MOST_PIXELS

    assert MOST_PIXELS < Image.MAX_IMAGE_PIXELS
