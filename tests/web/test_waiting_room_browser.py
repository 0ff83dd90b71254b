"""The waiting room in Chromium (issue 23): the host turns it on, a phone at 360×640 joins and waits on a
page that says so, the host's game page lists it without a reload, the host admits it, and the phone moves
on to the game by itself."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from mmgame import services
from mmgame.models import Player

from .browser import PHONE, BrowserTestCase, screenshot

PASSWORD = "correct horse battery"


class WaitingRoomInTheBrowserTest(BrowserTestCase):
    def test_a_phone_waits_the_host_admits_it_and_the_phone_moves_on(self) -> None:
        teacher = get_user_model().objects.create_user(username="teacher", password=PASSWORD)
        game = services.create_game(teacher, "Science fair")
        services.add_market(teacher, game, question="How many jelly beans?", lo=0, hi=1000, integer=True)
        host = self.page("host")
        self.sign_in(host, "teacher", PASSWORD)
        host.goto(self.url(f"/host/games/{game.pk}/"))
        host.evaluate("() => { window.stayed = true; }")  # gone if the page reloads
        host.get_by_role("button", name="Let players in myself").click()
        expect(host.locator("#waiting-section")).to_contain_text("Nobody is waiting.")
        assert host.evaluate("() => window.stayed === true")  # the switch posted without leaving the page

        phone = self.page("Ada", PHONE)
        phone.goto(self.url(f"/join/{game.join_code}/"))
        phone.get_by_label("Nickname").fill("Ada")
        phone.get_by_role("button", name="Join").click()
        expect(phone.get_by_role("heading", name="Waiting for the host to let you in")).to_be_visible()
        width = phone.evaluate("() => document.scrollingElement.scrollWidth")
        assert width <= PHONE["width"], width  # fits the phone: no sideways scrolling
        screenshot(phone, "waiting-room-phone")
        assert not Player.objects.exists()

        admit = host.get_by_role("button", name="Admit Ada")
        expect(admit).to_be_visible()  # listed without a reload
        screenshot(host, "waiting-room-host")
        admit.click()

        expect(phone.locator("[data-bind=connection]")).to_have_attribute("data-state", "live")
        expect(host.locator("#players-section")).to_contain_text("Ada")
        expect(host.locator("#waiting-section")).to_contain_text("Nobody is waiting.")
        assert Player.objects.get().nickname == "Ada"
        assert host.evaluate("() => window.stayed === true")
        assert self.errors == []
