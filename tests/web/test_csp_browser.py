"""Finding 12 in Chromium: every page works under the Content-Security-Policy, with no violation reported,
and /api/docs draws Swagger UI from our own server alone."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from mmgame import services

from .browser import BrowserTestCase

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "a long classroom passphrase 7"
# Registered before any page script: the browser's own report of each blocked script, style or request.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


class PagesUnderThePolicyTest(BrowserTestCase):
    def watched(self, name: str) -> Page:
        page = self.page(name)
        page.add_init_script(LISTEN)
        self.hosts: set[str] = set()
        page.on("request", lambda request: self.hosts.add(urlsplit(request.url).netloc))
        return page

    def visit(self, page: Page, path: str) -> None:
        response = page.goto(self.url(path))
        assert response is not None and response.ok, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__violations") == [], path

    def test_every_page_runs_with_no_policy_violation(self) -> None:
        host = get_user_model().objects.create_user("teacher", password=PASSWORD)
        game = services.create_game(host, "Science fair")
        market = services.add_market(host, game, question="Beans?", lo=0, hi=300)
        services.open_market(host, market.pk)

        teacher = self.watched("host")
        self.sign_in(teacher, "teacher", PASSWORD)
        expect(teacher).to_have_url(self.url("/host/"))
        self.visit(teacher, f"/host/games/{game.pk}/projector/")
        expect(teacher.locator("[data-bind=connection]")).to_have_attribute("data-state", "live")  # the socket
        for path in [
            "/host/",
            "/host/games/new/",
            f"/host/games/{game.pk}/",
            f"/host/games/{game.pk}/markets/new/",
            f"/host/games/{game.pk}/lobby/",
            f"/host/games/{game.pk}/podium/",
            "/host/leaderboard/",
        ]:
            self.visit(teacher, path)

        player = self.watched("player")
        for path in ["/", "/accounts/signup/", f"/join/{game.join_code}/"]:
            self.visit(player, path)
        player.get_by_label("Nickname").fill("Ada")
        player.get_by_role("button", name="Join").click()
        expect(player.locator("[data-bind=connection]")).to_have_attribute("data-state", "live")
        assert player.evaluate("window.__violations") == []
        assert self.errors == []

    def test_api_docs_draw_swagger_from_our_own_server(self) -> None:
        docs = self.watched("docs")
        self.visit(docs, "/api/docs")

        expect(docs.locator(".swagger-ui .opblock").first).to_be_visible()
        assert docs.evaluate("window.__violations") == []
        assert self.hosts == {urlsplit(self.live_server_url).netloc}
        assert self.errors == []
