"""WCAG AA contrast, measured in Chromium on the pages people read: every visible piece of text against the
background it is drawn on (4.5:1, or 3:1 for large text)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from mmgame import services
from mmgame.market import Order

from .browser import PHONE, BrowserTestCase

PASSWORD = "a long classroom passphrase 7"

# For each element with its own text: its colour, the first opaque background behind it, the ratio. With
# `aaa`, the enhanced level (7:1, or 4.5:1 for large text).
AUDIT = """(aaa = false) => {
  const rgb = (s) => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (node) => {
    for (let n = node; n && n.nodeType === 1; n = n.parentElement) {
      const c = rgb(getComputedStyle(n).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.95)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const failures = [];
  for (const el of document.querySelectorAll("body *")) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    const style = getComputedStyle(el);
    if (!own || el.closest("svg") || el.closest("[hidden]") || style.visibility === "hidden") continue;
    if (!el.getClientRects().length || el.classList.contains("visually-hidden")) continue;
    const [a, b] = [lum(rgb(style.color).slice(0, 3)), lum(background(el))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(style.fontSize), bold = Number(style.fontWeight) >= 700;
    const large = size >= 24 || (size >= 18.66 && bold);
    const needed = aaa ? (large ? 4.5 : 7) : large ? 3 : 4.5;
    const text = el.textContent.trim().slice(0, 30);
    if (ratio < needed) failures.push(`${el.tagName}.${el.className} "${text}" ${ratio.toFixed(2)}`);
  }
  return failures;
}"""


class ContrastTest(BrowserTestCase):
    def audit(self, page: Page) -> None:
        assert page.evaluate(AUDIT) == [], page.url

    def test_text_on_the_phone_projector_and_host_pages_passes_wcag_aa(self) -> None:
        teacher = get_user_model().objects.create_user("teacher", password=PASSWORD)
        game = services.create_game(teacher, "Contrast class")
        market = services.add_market(teacher, game, question="Beans?", unit="beans", lo=0, hi=300, integer=True)
        services.open_market(teacher, market.pk)
        ana = services.join_game(game.join_code, "Ana")
        services.place_trade(ana, market.pk, Order("toward", 250, 5), idempotency_key="a1")  # a partial fill

        phone = self.page("phone", PHONE)
        phone.goto(self.url(f"/join/{game.join_code}/"))
        phone.get_by_label("Nickname").fill("Ben")
        phone.get_by_role("button", name="Join").click()
        expect(phone.locator("[data-bind=connection]")).to_have_attribute("data-state", "live")
        phone.get_by_label("Middle", exact=True).fill("290")
        phone.get_by_label("Give or take", exact=True).fill("3")
        expect(phone.locator("[data-bind=offer]")).to_be_visible()  # the warning and the offer are text too
        expect(phone.locator("[data-bind=hint]")).to_have_attribute("data-problem", "")
        self.audit(phone)
        phone.get_by_label("Middle", exact=True).fill("250")
        phone.get_by_label("Give or take", exact=True).fill("30")
        expect(phone.locator("[data-bind=pnl]")).to_contain_text("If it's")
        phone.locator("[data-bind=pnl]").click()  # the profit-or-loss details
        expect(phone.locator("[data-bind=quote]")).to_be_visible()
        self.audit(phone)
        phone.context.set_offline(True)  # the reconnecting banner
        expect(phone.locator("[data-bind=offline]")).to_be_visible()
        self.audit(phone)
        phone.context.set_offline(False)
        expect(phone.locator("[data-bind=connection]")).to_have_attribute("data-state", "live")
        for tab in ("Me", "Leaderboard", "Trades"):  # each tab's panel, the tab bar with it
            phone.get_by_role("tab", name=tab).click()
            self.audit(phone)

        host = self.page("host")
        self.sign_in(host, "teacher", PASSWORD)
        expect(host).to_have_url(self.url("/host/"))
        self.audit(host)
        for path in (f"/host/games/{game.pk}/", f"/host/games/{game.pk}/lobby/", f"/host/games/{game.pk}/projector/"):
            host.goto(self.url(path))
            expect(host.locator("main")).to_be_visible()
            self.audit(host)
        assert self.errors == [], self.errors

        # The audit itself sees faint text: grey #aaa on the page's light background is about 2.2:1.
        # (Styled through the CSSOM: the Content-Security-Policy refuses a style="" attribute, as it should.)
        host.evaluate(
            """() => { const p = document.createElement('p'); p.textContent = 'faint'; p.style.color = '#aaa';
                       document.querySelector('main').append(p); }"""
        )
        assert any('"faint"' in failure for failure in host.evaluate(AUDIT))

    def test_every_view_of_the_projector_passes_wcag_aa(self) -> None:
        """The lobby, the live market, the answer with its lesson and the podium, as the wall shows them."""
        teacher = get_user_model().objects.create_user("teacher", password=PASSWORD)
        game = services.create_game(teacher, "Contrast class")
        market = services.add_market(teacher, game, question="Beans?", unit="beans", lo=0, hi=300, integer=True)
        for name in ("Ana", "Ben"):
            services.join_game(game.join_code, name)
        wall = self.page("projector", {"width": 1280, "height": 720})
        self.sign_in(wall, "teacher", PASSWORD)

        def audit(view: str) -> None:
            wall.goto(self.url(f"/host/games/{game.pk}/projector/"))
            expect(wall.locator("#room")).to_have_attribute("data-view", view)
            self.audit(wall)

        audit("lobby")
        services.open_market(teacher, market.pk)
        ana = game.players.get(nickname="Ana")
        services.place_trade(ana, market.pk, Order("target", 120, 40), idempotency_key="a1")
        services.close_market(teacher, market.pk, countdown=600)
        audit("market")
        services.close_market(teacher, market.pk)
        services.resolve_market(teacher, market.pk, 130)
        audit("answer")
        services.finish_game(teacher, game)
        wall.goto(self.url(f"/host/games/{game.pk}/projector/"))
        expect(wall.locator(".view-podium .rest")).to_have_attribute("data-revealed", "", timeout=15_000)
        self.audit(wall)
        assert self.errors == [], self.errors
