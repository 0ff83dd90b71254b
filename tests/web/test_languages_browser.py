"""A short round in each shipped language other than English (docs/i18n.md): the game's language set by the
host, a wall and a phone whose browsers both say English, a join, a trade and the answer; every text
looked for is the catalogue's, and must not be the English one. Known strings, not a translation check:
tests/test_i18n.py checks the catalogues are complete."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import translation
from playwright.sync_api import Page, expect

from mmgame import services
from mmgame.models import Market

from .browser import PHONE, WAIT, BrowserTestCase, screenshot

pytestmark = [pytest.mark.browser]

PASSWORD = "a long classroom passphrase 7"
HD = {"width": 1280, "height": 720}
TITLES = {"es": "Feria de ciencias", "fr": "Fête de la science", "de": "Wissenschaftstag"}


def said(language: str, english: str) -> str:
    with translation.override(language):
        return translation.gettext(english)


def pattern(text: str) -> re.Pattern:
    """A catalogue's sentence with its {placeholders} as anything."""
    return re.compile(".+".join(re.escape(part) for part in re.split(r"\{\w+\}", text)))


class LanguagesRoundTest(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.teacher = get_user_model().objects.create_user("teacher", password=PASSWORD)

    def signed_in_wall(self) -> Page:
        """The host's browser, signed in without the sign-in page (its password hashing is most of a second
        on a busy machine, and tests/web/test_sign_in.py has it)."""
        client = Client()
        client.force_login(self.teacher)
        wall = self.page("wall", HD)  # the host's browser says English; the wall follows the game
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        wall.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": self.url("/")}])
        return wall

    def host_says(self, wall: Page, path: str, body: dict | None = None) -> None:
        token = wall.context.request.get(self.url("/api/csrf")).json()["csrf_token"]
        response = wall.context.request.post(self.url(f"/api/{path}"), data=body or {}, headers={"X-CSRFToken": token})
        assert response.ok, (path, response.status, response.text())

    def round_in(self, language: str) -> None:
        t = lambda english: said(language, english)  # noqa: E731
        english = [
            "Nickname",
            "Join",
            "Make this trade",
            "Open for trading",
            "beans",
            "How many jelly beans are in the jar?",
        ]
        untranslated = [text for text in english if t(text) == text]
        assert not untranslated, f"the {language} catalogue lacks {untranslated}"

        game = services.create_game(self.teacher, TITLES[language], language=language)
        (market,) = services.add_from_bank(self.teacher, game, ["room-jelly-beans"])
        Market.objects.filter(pk=market.pk).update(first_guess=False)  # straight to trading
        services.set_answer(self.teacher, market.pk, 420)

        wall = self.signed_in_wall()
        wall.goto(self.url(f"/host/games/{game.pk}/projector/"))
        expect(wall.locator("html")).to_have_attribute("lang", language)
        expect(wall.locator("[data-bind=connection]")).to_have_attribute("data-state", "live")

        phone = self.page("phone", PHONE)  # an English browser too: the join link speaks the game's language
        phone.goto(self.url(f"/join/{game.join_code}/"))
        expect(phone.locator("html")).to_have_attribute("lang", language)
        phone.get_by_label(t("Nickname")).fill("Ana")
        phone.get_by_role("button", name=t("Join")).click()
        expect(phone.locator("[data-bind=connection]")).to_have_attribute("data-state", "live")
        expect(phone.locator("html")).to_have_attribute("lang", language)

        self.host_says(wall, f"markets/{market.pk}/phase", {"phase": "question"})
        self.host_says(wall, f"markets/{market.pk}/phase", {"phase": "trading"})
        question = t("How many jelly beans are in the jar?")
        expect(wall.locator("[data-bind=question]")).to_have_text(question)
        expect(wall.locator("[data-bind=status-text]")).to_contain_text(t("Open for trading"))
        expect(phone.locator("[data-bind=question]")).to_have_text(question)

        phone.get_by_label(t("Middle"), exact=True).fill("410")
        phone.get_by_label(t("Give or take"), exact=True).fill("100")
        trade = phone.get_by_role("button", name=t("Make this trade"))
        expect(trade).to_have_attribute("aria-disabled", "false")
        trade.click()
        expect(phone.locator("[data-bind=result]")).to_have_text(
            pattern(t("Done: the market is now at your forecast."))
        )
        expect(wall.locator("[data-bind=feed] li")).to_have_count(1)
        if language == "es":
            screenshot(phone, "player-phone-es", publish=True)  # README's Languages

        self.host_says(wall, f"markets/{market.pk}/phase", {"phase": "closed"})
        self.host_says(wall, f"markets/{market.pk}/phase", {"phase": "answer", "confirm": True})
        expect(wall.locator("#room")).to_have_attribute("data-view", "answer", timeout=WAIT)
        expect(wall.locator("[data-bind=answer-value]")).to_contain_text(t("beans"))
        card = phone.locator("[data-bind=resolution]")
        expect(card.locator("[data-bind=outcome]")).to_contain_text(t("beans"))
        expect(card.locator("[data-bind=payout-rank]")).to_have_text(pattern(t("Rank {rank} of {count}")))

        # The host changes the game's language: the wall and the phone load again in it.
        self.host_says(wall, f"games/{game.join_code}/language", {"language": "en"})
        expect(wall.locator("html")).to_have_attribute("lang", "en")
        expect(phone.locator("html")).to_have_attribute("lang", "en")
        expect(phone.locator("[data-bind=question]")).to_have_text(question)  # a market's words stay as added
        assert self.errors == [], self.errors

    def test_a_round_in_spanish_french_and_german(self) -> None:
        # One test, not three: each test of a live server costs a flush of the whole database (about 15 s).
        for language in ("es", "fr", "de"):
            with self.subTest(language=language):
                self.round_in(language)
