"""One ranking on the pages (docs/ranking.md), in Chromium: the round of tests/ranking_round.py, read on two
phones' result cards and boards and on the wall's board and podium, while the host flips the one switch
that ranks the practice traders with the students. Every page says the place the payouts give
(`expected_places`); with the practice traders left out the wall shows the students, then one line for them.

tests/test_ranking_everywhere.py reads the same round through the API, the frames, the CSV and the record.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from mmgame import services
from mmgame.models import Game

from ..ranking_round import BOTS, add_question, expected_places, play, seat_the_class
from .browser import WAIT, BrowserTestCase, assert_wall_fits, screenshot, watch_errors

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "a long classroom passphrase 7"
HD = {"width": 1280, "height": 720}
PHONES = ("Ana", "Cy")
FOLDED = f"+ {BOTS} practice traders, not ranked"


class OneRankingTest(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.teacher = get_user_model().objects.create_user("teacher", password=PASSWORD)
        self.game = services.create_game(self.teacher, "Science fair")
        self.market = add_question(self.teacher, self.game)

    def switch(self, host: Page, include: bool) -> dict[str, tuple[int, int]]:
        """The host's one switch, in the control room; the places it makes."""
        box = host.get_by_label("Rank them with the students on every board")
        box.set_checked(include)
        box.locator("xpath=ancestor::form").get_by_role("button", name="Save").click()
        expect(host.get_by_label("Rank them with the students on every board")).to_be_checked(checked=include)
        assert Game.objects.get(pk=self.game.pk).include_bots is include
        return expected_places(self.game)

    def wall_board(self, wall: Page, board: str, places: dict, folded: bool) -> None:
        """The wall's top five as the places say, then the practice traders' one line when they are left out."""
        best = sorted(places.items(), key=lambda item: (item[1][0], item[0].lower()))[:5]
        lines = [f"{rank}. {name}" for name, (rank, _) in best] + ([FOLDED] if folded else [])
        rows = wall.locator(f"[data-bind={board}] > li")
        expect(rows).to_have_count(len(lines), timeout=WAIT)
        for row, line in zip(rows.all(), lines, strict=True):
            expect(row).to_contain_text(line)

    def test_the_result_card_the_boards_and_the_podium_say_one_place(self) -> None:
        host = self.page("host", {"width": 1280, "height": 900})
        self.sign_in(host, "teacher", PASSWORD)
        host.goto(self.url(f"/host/games/{self.game.pk}/"))
        wall = host.context.new_page()
        wall.set_viewport_size(HD)
        wall.emulate_media(reduced_motion="reduce")  # the podium at once
        watch_errors(wall, self.errors, "wall")
        wall.goto(self.url(f"/host/games/{self.game.pk}/projector/"))
        phones = {name: self.join_phone(self.game.join_code, name) for name in PHONES}
        seat_the_class(self.teacher, self.game, joined=PHONES)
        play(self.teacher, self.market)  # in this process: the screens learn it from the database
        for phone in phones.values():  # their trades were made here, not on the phone: a fresh snapshot has them
            phone.reload()
        places = expected_places(self.game)
        assert (places["Ana"], places["Cy"]) == ((4, 5), (5, 5))

        # The answer, practice traders left out: each card, each phone's board and the wall agree.
        for name, phone in phones.items():
            rank, count = places[name]
            expect(phone.locator("[data-bind=payout-rank]")).to_have_text(f"Rank {rank} of {count}", timeout=WAIT)
            expect(phone.locator("[data-bind=board-market] li.me")).to_contain_text(f"{rank}. {name} (you)")
            expect(phone.locator("[data-bind=board-market]")).to_contain_text(FOLDED)
        expect(wall.locator("#room")).to_have_attribute("data-view", "answer", timeout=WAIT)
        self.wall_board(wall, "answer-board", places, folded=True)
        assert_wall_fits(wall, HD)
        screenshot(wall, "ranking-wall-answer-bots-left-out")
        screenshot(phones["Ana"], "ranking-phone-answer-bots-left-out")

        # The host ranks the practice traders too: every screen follows the switch, with no reload.
        places = self.switch(host, True)
        assert (places["Ana"], places["Cy"], places["Bot Ada"]) == ((8, 10), (9, 10), (2, 10))
        for name, phone in phones.items():
            rank, count = places[name]
            expect(phone.locator("[data-bind=payout-rank]")).to_have_text(f"Rank {rank} of {count}", timeout=WAIT)
            expect(phone.locator("[data-bind=board-market]")).not_to_contain_text("practice traders")
        self.wall_board(wall, "answer-board", places, folded=False)
        expect(wall.locator("[data-bind=answer-board] > li").nth(1)).to_contain_text("bot")

        # The podium, with them and then without: the wall's show and each phone's final place.
        services.finish_game(self.teacher, self.game)
        expect(wall.locator("#room")).to_have_attribute("data-view", "podium", timeout=WAIT)
        for included in (True, False):
            if not included:
                places = self.switch(host, False)
            best = sorted(places.items(), key=lambda item: (item[1][0], item[0].lower()))
            for slot, (name, (rank, _)) in zip(("1", "2", "3"), best, strict=False):
                place = wall.locator(f".podium-show li[data-place='{slot}']")
                expect(place.locator(".name")).to_contain_text(name, timeout=WAIT)
                expect(place).to_contain_text(str(rank))
            for name, phone in phones.items():
                rank, count = places[name]
                over = phone.locator("[data-bind=game-over]")
                expect(over).to_contain_text(f"you finished rank {rank} of {count}.", timeout=WAIT)
            rest = wall.locator("[data-bind=podium-rest]")
            if included:
                expect(rest).not_to_contain_text("practice traders")
            else:
                expect(rest.locator("li").last).to_contain_text(FOLDED)
        assert_wall_fits(wall, HD)
        screenshot(wall, "ranking-wall-podium-bots-left-out")
        assert self.errors == [], self.errors
