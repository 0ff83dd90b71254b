"""The control room follows the round's table (mmgame.round) with no rule of its own: served a changed table, the
same page offers the changed steps. Here the question goes straight to trading though the market asks for first
guesses, and nothing follows the answer (no lesson): Next goes on to the next question."""

from __future__ import annotations

import dataclasses

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from mmgame import round, services
from mmgame.models import Market

from .browser import BrowserTestCase

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "a long classroom passphrase 7"
CHANGED = {
    round.QUESTION: {"next": (round.TRADING,)},
    round.ANSWER: {"next": ()},
}


class ChangedTableTest(BrowserTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        # Before the live server forks: its process serves the changed table, as this one's services use it.
        cls.kept = dict(round.PHASES)
        for phase, change in CHANGED.items():
            round.PHASES[phase] = dataclasses.replace(round.PHASES[phase], **change)
        super().setUpClass()

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        round.PHASES.update(cls.kept)

    def test_the_control_room_offers_the_steps_of_the_table_it_is_served(self):
        teacher = get_user_model().objects.create_user("teacher", password=PASSWORD)
        game = services.create_game(teacher, "Class quiz")
        beans = services.add_market(teacher, game, question="How many beans?", lo=0, hi=1000, kind="count", answer=412)
        services.add_market(teacher, game, question="How tall?", lo=0, hi=10)
        assert beans.first_guess
        host = self.page("host")
        self.sign_in(host, "teacher", PASSWORD)
        host.goto(self.url(f"/host/games/{game.pk}/"))
        host.on("dialog", lambda dialog: dialog.accept())
        button = host.locator("[data-action=step-next]")

        def next(label: str, phase: str) -> None:
            self.press_next(host, label, phase)
            assert Market.objects.get(pk=beans.pk).phase == phase

        next("Next question: #1", "question")
        next("Open trading", "trading")  # the table's question has no first guesses to ask for
        next("Close trading", "closed")
        next("Reveal the answer", "answer")
        expect(button).to_contain_text("Next question: #2 How tall?")  # no lesson follows the answer
        expect(host.locator("[data-action=step-back]")).to_be_hidden()
        assert self.errors == []
