"""The market list's Delete in a real browser: it asks first; No keeps the market, OK deletes it."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from mmgame import services
from mmgame.models import Market

from .browser import BrowserTestCase

pytestmark = [pytest.mark.browser]

PASSWORD = "a long classroom passphrase 7"


class DeleteMarketTest(BrowserTestCase):
    def test_delete_asks_first_then_removes_the_draft(self) -> None:
        teacher = get_user_model().objects.create_user("teacher", password=PASSWORD)
        game = services.create_game(teacher, "Class quiz")
        services.add_market(teacher, game, question="How many beans?", lo=0, hi=1000)
        draft = services.add_market(teacher, game, question="Added by mistake?", lo=0, hi=10)
        host = self.page("host")
        self.sign_in(host, "teacher", PASSWORD)
        host.goto(self.url(f"/host/games/{game.pk}/"))
        dialogs: list[str] = []
        delete = host.locator(f"#market-{draft.pk} button[data-action=delete]")

        host.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        delete.click()
        expect(host.locator(f"#market-{draft.pk}")).to_be_visible()
        assert dialogs == ["Delete market #2? No player has seen it; the markets after it move up one."]
        assert Market.objects.filter(pk=draft.pk).exists()

        host.once("dialog", lambda dialog: dialog.accept())
        delete.click()
        expect(host.get_by_text("Market #2 was deleted.")).to_be_visible()
        expect(host.locator(f"#market-{draft.pk}")).to_have_count(0)
        assert list(Market.objects.values_list("question", flat=True)) == ["How many beans?"]
        assert self.errors == []
