"""A question's picture (the jar on the desk): checked, re-encoded, stored and replaced (README, "Pictures").

An upload is never kept as sent. Pillow reads its header first, and a picture of more than MOST_PIXELS is
refused before anything is decoded (a small PNG may declare 100,000 × 100,000 pixels: a decompression
bomb); then it is decoded, turned upright, scaled down to LONGEST_SIDE and encoded afresh, as PNG if it has
transparency and JPEG otherwise, with no metadata (no EXIF with a phone's location, no ICC profile, no text
chunks). SVG and anything else Pillow cannot decode as a raster image is refused. The file goes to Django's
default storage under a random name (settings.STORAGES), and the old one is deleted once a change commits;
a change that fails deletes the file it had saved, so nothing is ever half-stored.
"""

from __future__ import annotations

import io
import logging
import secrets
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import Image, ImageOps, UnidentifiedImageError

from mmgame import events
from mmgame.access import check_host
from mmgame.market import Refused, gettext_noop
from mmgame.models import Market
from mmgame.text import plain_text

from .locks import lock_market

logger = logging.getLogger(__name__)

FOLDER = "pictures"
MOST_PIXELS = 30_000_000  # a 24-megapixel phone photo passes; its decoded RGBA is at most 120 MB
LONGEST_SIDE = 1920  # a projector's width: more is never seen
FORMATS = ("JPEG", "PNG", "GIF", "WEBP")  # raster images a browser shows; never SVG (it can hold script)
JPEG_QUALITY = 85
LONGEST_ALT = 300
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png"}


class PictureTooLarge(Refused):
    """More bytes than settings.PICTURE_MAX_BYTES, or more pixels than MOST_PIXELS."""

    code = "picture_too_large"


class NotAPicture(Refused):
    """Not a JPEG, PNG, GIF or WebP image Pillow can decode (an SVG, a text file, a broken image)."""

    code = "not_a_picture"


class BadPictureName(Refused):
    """A file name with a folder in it (`../../x.png`): a picture is named by its file alone."""

    code = "bad_picture_name"


class AltTextNeeded(Refused):
    """A picture needs a line saying what it shows, for those who cannot see it."""

    code = "alt_text_needed"


@dataclass(frozen=True)
class Picture:
    """A picture as it will be stored: re-encoded bytes, their file extension and the alt text."""

    content: bytes
    extension: str  # "jpg" or "png"
    alt: str


def checked_alt(alt: object) -> str:
    text = plain_text(alt, "picture_alt")
    text = text.strip() if isinstance(text, str) else ""
    if not text:
        raise AltTextNeeded(gettext_noop("say in a line what the picture shows (its alt text)"), field="picture_alt")
    if len(text) > LONGEST_ALT:
        raise AltTextNeeded(
            gettext_noop("the alt text is at most %(longest_alt)s characters", longest_alt=LONGEST_ALT),
            field="picture_alt",
        )
    return text


def checked_name(name: str) -> None:
    if "/" in name or "\\" in name or name in ("", ".", "..") or "\0" in name:
        raise BadPictureName(
            gettext_noop("a picture's file name has no folder in it: %(name)s", name=f"{name[:80]!r}"), field="picture"
        )


def picture_from(data: bytes, *, name: str, alt: object) -> Picture:
    """The upload `data` (called `name`) re-encoded as the game keeps it, or refused: its alt text, its file
    name, its size in bytes and in pixels, and whether it is a raster image at all."""
    alt = checked_alt(alt)
    checked_name(name)
    check_size(len(data))
    try:
        # MOST_PIXELS is below Pillow's own bound (Image.MAX_IMAGE_PIXELS): Pillow only warns of what is refused here.
        with Image.open(io.BytesIO(data), formats=FORMATS) as image:
            width, height = image.size  # read from the header: nothing decoded yet
            if width * height > MOST_PIXELS:
                raise too_many_pixels(width, height)
            image.draft("RGB", (LONGEST_SIDE, LONGEST_SIDE))  # a JPEG decodes at the scale it is shown
            image.load()
            return Picture(*encoded(image), alt=alt)
    except Image.DecompressionBombError:  # past twice Pillow's bound, refused by Pillow as it opens
        raise PictureTooLarge(
            gettext_noop(
                "a picture has at most %(most_pixels)s million pixels; this one says it has more",
                most_pixels=MOST_PIXELS // 1_000_000,
            ),
            field="picture",
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise NotAPicture(
            gettext_noop("the file is not a picture: send a JPEG, PNG, GIF or WebP image"), field="picture"
        ) from None


def check_size(size: int) -> None:
    """Refuse an upload of more than settings.PICTURE_MAX_BYTES (a face asks before reading it)."""
    limit = settings.PICTURE_MAX_BYTES
    if size > limit:
        raise PictureTooLarge(
            gettext_noop(
                "a picture is at most %(limit)s MB; this one is %(size)s MB",
                limit=limit // (1024 * 1024),
                size=f"{size / (1024 * 1024):.1f}",
            ),
            field="picture",
        )


def too_many_pixels(width: int, height: int) -> PictureTooLarge:
    return PictureTooLarge(
        gettext_noop(
            "a picture has at most %(most_pixels)s million pixels; this one says it has %(width)s × %(height)s",
            most_pixels=MOST_PIXELS // 1_000_000,
            width=width,
            height=height,
        ),
        field="picture",
    )


def encoded(image: Image.Image) -> tuple[bytes, str]:
    """The decoded image upright, at most LONGEST_SIDE, without metadata: PNG with transparency, else JPEG."""
    image = ImageOps.exif_transpose(image)
    transparent = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    clean = image.convert("RGBA" if transparent else "RGB")
    clean.thumbnail((LONGEST_SIDE, LONGEST_SIDE), Image.Resampling.LANCZOS)
    clean.info = {}  # no EXIF, ICC profile or text chunk goes with it
    out = io.BytesIO()
    if transparent:
        clean.save(out, "PNG", optimize=True)
        return out.getvalue(), "png"
    clean.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue(), "jpg"


def content_type(name: str) -> str:
    """The exact media type of a stored picture, from the extension this module gave it."""
    return CONTENT_TYPES[name.rsplit(".", 1)[-1]]


def save(picture: Picture) -> str:
    """Store the picture under a fresh random name in the default storage; the name stored."""
    return default_storage.save(
        f"{FOLDER}/{secrets.token_urlsafe(24)}.{picture.extension}", ContentFile(picture.content)
    )


def read_picture(name: str) -> bytes:
    with default_storage.open(name, "rb") as stored:
        return stored.read()


def discard(names: Iterable[str]) -> None:
    """Delete these files; one the storage cannot delete now (a bucket out of reach) is logged and left, never
    raised into a change that has committed, or over the refusal that undid one."""
    for name in names:
        if not name:
            continue
        try:
            default_storage.delete(name)
        except Exception:
            logger.warning("could not delete the picture %s", name, exc_info=True)


def discard_on_commit(names: Iterable[str]) -> None:
    """Delete these files once the transaction commits (a rolled-back change keeps them: its rows still name them)."""
    names = [name for name in names if name]
    if names:
        transaction.on_commit(lambda: discard(names))


@contextmanager
def saved(picture: Picture | None) -> Iterator[str]:
    """The picture's file saved for the transaction inside to name; deleted again if that fails."""
    if picture is None:
        yield ""
        return
    name = save(picture)
    try:
        yield name
    except BaseException:
        discard([name])
        raise


def set_picture(host: AbstractBaseUser, market_id: int, picture: Picture | None) -> Market:
    """Give a market its picture, replace it, or take it away (None); the old file is deleted once this commits.
    Screens are sent the change, so the host may fix a picture or its alt text while the question shows."""
    with saved(picture) as name, transaction.atomic():
        market = lock_market(market_id)
        check_host(host, market.game)
        old = market.picture
        market.picture, market.picture_alt = (name, picture.alt) if picture else ("", "")
        market.sequence += 1
        market.save(update_fields=["picture", "picture_alt", "sequence"])
        discard_on_commit([old])
        events.market_changed(market.game_id, market.pk, market.sequence)
        return market
