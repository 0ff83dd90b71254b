"""A question's picture in Chromium, as a class meets it: the host uploads a photo of the jar with the market
form, and once the question is shown the wall (1280×720) shows it large beside the question and each phone
(360×640) fits it above the question, with its alt text. The photo is drawn by Pillow here (tests/pictures.py)."""

from __future__ import annotations

import re
import tempfile

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from playwright.sync_api import Page, expect

from mmgame import services
from mmgame.models import Market
from tests import pictures

from .browser import PHONE, BrowserTestCase, assert_wall_fits, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "a long classroom passphrase 7"
WALL = {"width": 1280, "height": 720}
ALT = "A glass jar full of red beans on a wooden desk"
LOADED = "(img) => img.complete && img.naturalWidth > 0"


@override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="mmgame-pictures-"))
class PictureTest(BrowserTestCase):
    def box(self, page: Page, selector: str) -> dict:
        return page.locator(selector).bounding_box()

    def test_a_picture_question_on_the_wall_and_the_phones(self):
        get_user_model().objects.create_user("teacher", password=PASSWORD)
        host = self.page("host", WALL)
        self.sign_in(host, "teacher", PASSWORD)
        expect(host).to_have_url(self.url("/host/"))
        game = services.create_game(get_user_model().objects.get(), "Estimation")

        # The host adds the question with its picture through the market form.
        host.goto(self.url(f"/host/games/{game.pk}/markets/new/"))
        host.get_by_label("Question").fill("How many beans are in the jar?")
        photo = {"name": "IMG_2041.jpg", "mimeType": "image/jpeg", "buffer": pictures.jar((2400, 1800))}
        host.get_by_label("Picture (optional)").set_input_files(photo)
        host.get_by_label("What the picture shows").fill(ALT)
        host.get_by_label("Lowest possible value").fill("0")
        host.get_by_label("Highest possible value").fill("2000")
        host.get_by_role("button", name="Add market").click()
        expect(host).to_have_url(re.compile(rf"/host/games/{game.pk}/#market-\d+$"))  # back at its row
        market = Market.objects.get(game=game)
        thumb = host.locator(f"#market-{market.pk} .picture-thumb")
        expect(thumb).to_have_attribute("alt", ALT)
        # The page's load does not wait for its images: the thumbnail may still be on its way (one run in CI).
        host.wait_for_function(f"() => ({LOADED})(document.querySelector('#market-{market.pk} .picture-thumb'))")
        host.locator(f"#market-{market.pk} summary").click()  # the form to change or take it away
        host.locator(f"#market-{market.pk}").scroll_into_view_if_needed()
        screenshot(host, "picture-host-list")

        phone = self.join_phone(game.join_code, "Ana", PHONE)
        wall = host.context.new_page()
        wall.set_viewport_size(WALL)
        wall.goto(self.url(f"/host/games/{game.pk}/projector/"))
        expect(wall.locator("[data-bind=connection]")).to_have_attribute("data-state", "live")
        assert phone.locator("[data-bind=picture] img").get_attribute("src") is None  # a draft shows nothing yet

        services.show_market(get_user_model().objects.get(), market.pk)

        # The wall: the picture large beside the question, loaded, with its alt text; nothing cut off.
        picture = wall.locator("[data-bind=ask-picture] img")
        expect(picture).to_be_visible()
        expect(picture).to_have_attribute("alt", ALT)
        wall.wait_for_function(f"() => ({LOADED})(document.querySelector('[data-bind=ask-picture] img'))")
        shown, question = self.box(wall, "[data-bind=ask-picture] img"), self.box(wall, "#ask-question")
        assert shown["width"] >= 0.5 * WALL["width"] and shown["height"] >= 0.75 * WALL["height"], shown
        assert question["x"] >= shown["x"] + shown["width"] - 1, (shown, question)  # beside it, not over it
        assert_wall_fits(wall, {"width": 1920, "height": 1080})
        assert_wall_fits(wall, WALL)
        screenshot(wall, "picture-wall-question-1280", publish=True)

        # The phone: the picture fitted above the question, the whole width at most, the question still on screen.
        phone.locator("[data-bind=explain-skip]").click()  # the first-time explainer, read
        mine = phone.locator("[data-bind=picture] img")
        expect(mine).to_be_visible()
        expect(mine).to_have_attribute("alt", ALT)
        phone.wait_for_function(f"() => ({LOADED})(document.querySelector('[data-bind=picture] img'))")
        screenshot(phone, "picture-phone-question")
        fitted, asked = self.box(phone, "[data-bind=picture]"), self.box(phone, "#question")
        assert fitted["width"] <= PHONE["width"] and fitted["height"] <= 0.35 * PHONE["height"], fitted
        tabs = self.box(phone, "[role=tablist]")
        assert fitted["y"] + fitted["height"] <= asked["y"] + 1 and asked["y"] + asked["height"] <= tabs["y"]
        width = phone.evaluate("() => document.scrollingElement.scrollWidth")
        assert width <= PHONE["width"], width

        # Trading: the phone keeps the picture, smaller, and the curve stays on screen below the question.
        services.open_market(get_user_model().objects.get(), market.pk)
        expect(phone.locator("#play")).to_have_attribute("data-phase", "trading")
        expect(phone.locator("[data-bind=curve-box]")).to_be_visible()
        smaller = self.box(phone, "[data-bind=picture]")
        assert smaller["height"] <= 0.2 * PHONE["height"] and self.box(phone, "#question")["y"] < tabs["y"], smaller
        screenshot(phone, "picture-phone-trading")

        # Served by the app's own server with the headers an access-checked picture needs.
        served = phone.context.request.get(self.url(mine.get_attribute("src")))
        assert served.ok and served.headers["content-type"] == "image/jpeg"
        assert served.headers["x-content-type-options"] == "nosniff"
        assert served.headers["cache-control"] == "private, max-age=3600"

        # A photo over the general 1 MB body bound reaches a picture's endpoint through the server (past the
        # upload bound a body is refused as it arrives: tests/test_bodies.py).
        big = pictures.noise()
        assert len(big) > 1024 * 1024
        token = next(c["value"] for c in host.context.cookies() if c["name"] == "csrftoken")
        endpoint = self.url(f"/api/markets/{market.pk}/picture")
        form = {"picture": {"name": "noise.jpg", "mimeType": "image/jpeg", "buffer": big}, "alt": "Grey noise"}
        sent = host.context.request.post(endpoint, headers={"X-CSRFToken": token}, multipart=form)
        assert sent.ok, sent.text()
        expect(phone.locator("[data-bind=picture] img")).to_have_attribute("alt", "Grey noise")
        phone.wait_for_function(f"() => ({LOADED})(document.querySelector('[data-bind=picture] img'))")

        # The host takes the picture away: both screens follow without a reload.
        services.set_picture(get_user_model().objects.get(), market.pk, None)
        expect(wall.locator("[data-bind=ask-picture]")).to_be_hidden()
        expect(phone.locator("[data-bind=picture]")).to_be_hidden()
        assert_wall_fits(wall, WALL)
        assert self.errors == []
