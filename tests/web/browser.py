"""Playwright helpers for the browser tests: Debian's Chromium, screenshots, waiting on conditions."""

from __future__ import annotations

import asyncio
import mimetypes
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from channels.testing import ChannelsLiveServerTestCase
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect, sync_playwright

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


# What of the projector's view on screen is cut off: each leaf element (text, the QR code, a chart) whose
# bottom falls below the view or below an ancestor that clips it; the lists cut to fit (the board, the
# feed, the lobby's names) keep whole lines, so a line cut in half counts too. In a chart: a label outside
# its drawing, and a curve cut flat at the plot's top (several of its points on it).
CLIPPED = r"""() => {
  const view = [...document.querySelectorAll(".wall .view")].find((v) => !v.hidden);
  if (!view) return ["no view shown"];
  const cut = [];
  const name = (el) => `${el.tagName.toLowerCase()}.${el.className.baseVal ?? el.className}`;
  for (const el of view.querySelectorAll("*")) {
    if (el.children.length && el.tagName !== "svg") continue;
    if (el.parentElement.closest("svg") || getComputedStyle(el).visibility === "hidden") continue;
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height) continue;
    let bottom = Math.min(innerHeight, view.getBoundingClientRect().bottom);
    for (let up = el.parentElement; up && up !== view; up = up.parentElement) {
      if (getComputedStyle(up).overflowY !== "visible") bottom = Math.min(bottom, up.getBoundingClientRect().bottom);
    }
    if (box.bottom > bottom + 1) cut.push(`${name(el)}: ${el.textContent.trim().slice(0, 50)}`);
  }
  for (const svg of view.querySelectorAll("svg[data-chart]")) {
    const frame = svg.getBoundingClientRect();
    if (!frame.width) continue;
    for (const text of svg.querySelectorAll("text")) {
      const box = text.getBoundingClientRect();
      if (!box.width) continue;
      const out = box.top < frame.top - 1 || box.bottom > frame.bottom + 1
        || box.left < frame.left - 1 || box.right > frame.right + 1;
      if (out) cut.push(`${name(text)} outside its chart: ${text.textContent.trim().slice(0, 50)}`);
    }
    const top = Number(svg.querySelector("[data-top]")?.getAttribute("data-top"));
    for (const line of svg.querySelectorAll("path.market-line, path.forecast-line, path.mine-line")) {
      const ys = [...line.getAttribute("d").matchAll(/[ML][\d.-]+,([\d.-]+)/g)].map((m) => Number(m[1]));
      if (ys.filter((y) => Math.abs(y - top) < 0.06).length >= 2) cut.push(`${name(line)} cut flat at the top`);
    }
  }
  return cut;
}"""


def assert_wall_fits(page: Page, size: dict) -> None:
    """The projector's view shows whole at this size: no scrollbar, and nothing cut off or under the tools."""
    page.set_viewport_size(size)
    page.wait_for_timeout(150)  # the resize redraws the charts; let the answer fall, the podium rise
    # (an animation cancelled by the next redraw rejects its promise: it has ended too)
    page.evaluate("() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => null)))")
    height, inner, width, inner_width = page.evaluate(
        "() => [document.scrollingElement.scrollHeight, innerHeight, document.scrollingElement.scrollWidth, innerWidth]"
    )
    assert height <= inner and width <= inner_width, (size, height, inner, width, inner_width)
    cut = page.evaluate(CLIPPED)
    assert cut == [], (size, cut)


class SharedChromium:
    """One Playwright driver and one Chromium for the whole test process, lent in turn to each browser test
    class and to each `evaluate_static`: starting the two cost 2 to 10 s on a loaded 2-core machine, and each
    class used to pay it. Nothing else is shared: each test opens contexts of its own (cookies, storage, cache).

    Playwright's sync API marks its event loop as the thread's running loop from its first call until it
    stops (wait_for_future in playwright/_impl/_greenlets.py). While a loop is marked, the async tests'
    runner, async_to_sync and Django's async-unsafe check in this thread would all see one; so the loop is
    marked only while lent, with `asyncio._set_running_loop`, the hook asyncio exports for a loop run by hand
    (the one Playwright uses). tests/web/test_shared_chromium.py fails if either side of this changes.
    """

    def __init__(self) -> None:
        self.playwright: Playwright | None = None
        self.browser: Browser | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self.borrowers = 0

    def lend(self) -> tuple[Playwright, Browser]:
        if self.borrowers == 0 and self.loop is not None:
            asyncio._set_running_loop(self.loop)
        self.borrowers += 1
        try:
            if self.playwright is None:
                self.playwright = sync_playwright().start()
                self.loop = asyncio.get_running_loop()
            if self.browser is None or not self.browser.is_connected():
                self.browser = self.playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        except BaseException:
            self.give_back()
            raise
        return self.playwright, self.browser

    def give_back(self) -> None:
        self.borrowers -= 1
        if self.borrowers == 0:
            asyncio._set_running_loop(None)

    @contextmanager
    def lent(self) -> Iterator[tuple[Playwright, Browser]]:
        lent = self.lend()
        try:
            yield lent
        finally:
            self.give_back()

    def stop(self) -> None:
        """At the end of the test process (tests/conftest.py)."""
        if self.playwright is None:
            return
        asyncio._set_running_loop(self.loop)
        try:
            if self.browser is not None and self.browser.is_connected():
                self.browser.close()
        finally:
            self.playwright.stop()  # ends the loop
            asyncio._set_running_loop(None)
            self.playwright = self.browser = self.loop = None


SHARED = SharedChromium()


# The app's own static modules tested on their own in Chromium, with no server: a made-up origin whose
# /static/ paths are answered from the checkout.
STATIC = ROOT / "static"
ORIGIN = "http://numbers.test"


def serve_static(route) -> None:
    path = STATIC / route.request.url.removeprefix(f"{ORIGIN}/static/")
    if route.request.url.endswith("/"):
        route.fulfill(status=200, content_type="text/html", body='<!doctype html><html lang="en"><body></body></html>')
    elif path.is_file() and STATIC in path.resolve().parents:
        route.fulfill(
            status=200, content_type=mimetypes.guess_type(path.name)[0] or "text/plain", body=path.read_bytes()
        )
    else:
        route.fulfill(status=404, body="")


def evaluate_static(script: str, arg: object = None) -> object:
    """Run `script` (a JS function of `arg`) in Debian's Chromium, on a blank page that serves the app's own
    static files as they are: the modules tested on their own, with no server."""
    with SHARED.lent() as (_, browser):
        context = browser.new_context()
        try:
            page = context.new_page()
            page.route(f"{ORIGIN}/**", serve_static)
            page.goto(f"{ORIGIN}/")
            return page.evaluate(script, arg)
        finally:
            context.close()


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


WAIT = 15_000  # ms: how long a condition may take to come true on a loaded 2-core machine
# expect()'s assertions wait as long as the pages' own waits (Playwright's 5 s default failed twice on two busy
# cores: an offer shown after a quote's round trip, a quote after a drag).
expect.set_options(timeout=WAIT)


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium: apt-get install -y chromium")
class BrowserTestCase(ChannelsLiveServerTestCase):
    """A real Daphne server (forked by Channels, on the file-based test database) and Debian's Chromium."""

    host = "127.0.0.1"
    serve_static = True

    @classmethod
    def setUpClass(cls) -> None:
        # Playwright's sync API runs an event loop in this thread; the ORM calls here are still sync.
        cls._async_unsafe = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        super().setUpClass()
        cls.playwright, cls.browser = SHARED.lend()

    @classmethod
    def tearDownClass(cls) -> None:
        SHARED.give_back()
        super().tearDownClass()
        if cls._async_unsafe is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = cls._async_unsafe

    def setUp(self) -> None:
        self.errors: list[str] = []
        self.contexts: list[BrowserContext] = []

    def tearDown(self) -> None:
        for context in self.contexts:
            context.close()

    def page(self, name: str, viewport: dict | None = None) -> Page:
        """A page in a browser context of its own (its own cookies: one person)."""
        context = self.browser.new_context(viewport=viewport or {"width": 1280, "height": 800}, locale="en")
        context.set_default_timeout(WAIT)
        self.contexts.append(context)
        page = context.new_page()
        watch_errors(page, self.errors, name)
        return page

    def url(self, path: str) -> str:
        return f"{self.live_server_url}{path}"

    def join_phone(self, code: str, name: str, viewport: dict | None = None) -> Page:
        """A player's phone joining with the code and a nickname, as a person would, once its screen is live."""
        page = self.page(name, viewport or PHONE)
        page.goto(self.url(f"/join/{code}/"))
        page.get_by_label("Nickname").fill(name)
        page.get_by_role("button", name="Join").click()
        expect(page.locator("[data-bind=connection]")).to_have_attribute("data-state", "live")
        return page

    def host_api(self, page: Page, path: str, body: dict | None = None) -> dict:
        """A host's step through the JSON API, from the signed-in host's browser: the path the control room's
        buttons take (the market list steps no round), for a step a test makes without the control room."""
        token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
        answer = page.context.request.post(self.url(f"/api/{path}"), data=body or {}, headers={"X-CSRFToken": token})
        assert answer.ok, answer.text()
        return answer.json()

    def press_next(self, host: Page, label: str | None = None, phase: str | None = None) -> None:
        """The control room's Next, clicked once it offers `label` and is ready: during a step it stays focusable
        but aria-disabled, and drops a click (Playwright waits for `disabled`, not for that). With `phase`,
        waits until the stage is there."""
        button = host.locator("[data-action=step-next]")
        if label is not None:
            expect(button).to_contain_text(label)
        expect(button).not_to_have_attribute("aria-disabled", "true")
        button.click()
        if phase is not None:
            expect(host.locator("#stage")).to_have_attribute("data-phase", phase)

    def sign_in(self, page: Page, username: str, password: str) -> None:
        """Sign a host in through the sign-in page, as a person would."""
        page.goto(self.url("/accounts/login/"))
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
