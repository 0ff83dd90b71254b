"""The join QR code, drawn on the server as SVG so the projector needs no script for it."""

from __future__ import annotations

import io

import segno


def qr_svg(url: str, scale: int = 8) -> str:
    """An inline <svg> element (no XML declaration) for `url`, dark on light for any projector."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer,
        kind="svg",
        scale=scale,
        border=2,
        xmldecl=False,
        svgclass="qr",
        dark="#000",
        light="#fff",
        nl=False,
        omitsize=True,
    )
    return buffer.getvalue().decode("utf-8")
