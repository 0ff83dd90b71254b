"""Pictures made in the tests with Pillow (no image file from elsewhere): a photo with metadata, a picture
with transparency, and the bad uploads a class's pictures must survive."""

from __future__ import annotations

import io
import random
import struct
import zlib

from PIL import Image, ImageDraw
from PIL.PngImagePlugin import PngInfo

GPS_IFD = 0x8825


def jar(size: tuple[int, int] = (640, 480), *, fmt: str = "JPEG", metadata: bool = True) -> bytes:
    """A jar of red beans on a desk, with EXIF (a camera and a location) and an ICC profile when `metadata`."""
    image = Image.new("RGB", size, (236, 226, 204))
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.rectangle((0, int(h * 0.8), w, h), fill=(150, 105, 60))  # the desk
    draw.rounded_rectangle((int(w * 0.3), int(h * 0.15), int(w * 0.7), int(h * 0.82)), radius=w // 20,
                           fill=(210, 230, 240), outline=(90, 110, 130), width=max(2, w // 100))  # fmt: skip
    for i in range(300):  # the beans
        x = int(w * 0.33) + (i * 37) % int(w * 0.34)
        y = int(h * 0.3) + (i * 53) % int(h * 0.5)
        draw.ellipse((x, y, x + w // 60 + 3, y + h // 80 + 3), fill=(200, 30 + i % 40, 40))
    out = io.BytesIO()
    extra = {}
    if metadata:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        exif[0x0110] = "Phone 12"  # Model
        exif.get_ifd(GPS_IFD)[2] = (51.0, 30.0, 0.0)  # GPSLatitude
        extra = {"exif": exif.tobytes(), "icc_profile": b"not a real profile, but carried all the same"}
    image.save(out, fmt, **extra)
    return out.getvalue()


def noise(size: tuple[int, int] = (1400, 1000)) -> bytes:
    """A photo of pure noise, which JPEG cannot shrink: a couple of megabytes, over the general body bound."""
    image = Image.frombytes("RGB", size, random.Random(7).randbytes(size[0] * size[1] * 3))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95)
    return out.getvalue()


def sticker(size: tuple[int, int] = (400, 400)) -> bytes:
    """A PNG with transparency (a round sticker) and a text chunk."""
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((20, 20, size[0] - 20, size[1] - 20), fill=(30, 120, 200, 255))
    info = PngInfo()
    info.add_text("Author", "Someone's name")
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info)
    return out.getvalue()


def bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """A PNG of a few hundred bytes that declares `width` × `height` pixels (a decompression bomb): its one
    compressed stream of zeros would fill gigabytes once decoded."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    rows = zlib.compress(b"\0" * (width + 1) * 64, 9)  # the first rows; the header's size is the threat
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


SVG = b"""<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><script>alert(document.cookie)</script>
<rect width="100" height="100" fill="red"/></svg>"""
