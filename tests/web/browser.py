"""Playwright helpers for the browser tests: Debian's Chromium, screenshots, waiting on conditions."""

from __future__ import annotations

import shutil
from pathlib import Path

from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ROOT / "docs" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 360, "height": 640}


def screenshot(page: Page, name: str, *, publish: bool = False, full_page: bool = False) -> Path:
    """Save into test-artifacts/ (git-ignored); `publish` also refreshes docs/screenshots/ for the README."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    if publish:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, SCREENSHOTS / f"{name}.png")
    return path


EXPECTED_WHILE_OFFLINE = "ERR_INTERNET_DISCONNECTED"


def watch_errors(page: Page, errors: list[str], name: str) -> None:
    """Collect script errors: a page that throws fails the test even if it looks right.

    The browser's own note that a socket could not connect while the test holds the network down is
    expected, and not counted.
    """

    def console(msg) -> None:
        if msg.type == "error" and EXPECTED_WHILE_OFFLINE not in msg.text:
            errors.append(f"{name}: {msg.text}")

    page.on("pageerror", lambda error: errors.append(f"{name}: {error}"))
    page.on("console", console)


def drag_by(page: Page, selector: str, dx: float, steps: int = 8) -> None:
    """Press on an element's centre, move it sideways by dx pixels, let go (a finger or a mouse)."""
    box = page.locator(selector).bounding_box()
    assert box is not None, f"{selector} is not visible"
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx, y, steps=steps)
    page.mouse.up()
