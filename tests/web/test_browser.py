"""The whole game in a real browser: a host and three players on a real Daphne server.

One scenario, as a class runs it: set-up through the host's pages, three players join (one on a
phone-sized screen), trade by dragging and by typing, one reloads mid-round and one loses the
network, the host resolves, and every screen, the leaderboards and the CSV agree with the database.
"""

from __future__ import annotations

import csv
import io
import math
import re
import time

import pytest
from playwright.sync_api import Page, expect

from mmgame import queries, services
from mmgame.models import Game, Market, Player, Position, Trade

from .browser import PHONE, WAIT, BrowserTestCase, drag_by, screenshot, watch_errors

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "a long classroom passphrase 7"


def signed(points: float) -> str:
    """Points as the pages print them (format.js `points`): a sign that is not only colour, − for losses."""
    size = abs(points)
    text = f"{size:,.1f}".removesuffix(".0") if size < 10 else f"{size:,.0f}"
    return f"+{text}" if points > 0.05 else f"−{text}" if points < -0.05 else text


class GameInTheBrowserTest(BrowserTestCase):
    def live(self, page: Page) -> None:
        expect(page.locator("[data-bind=connection]")).to_have_attribute("data-state", "live", timeout=WAIT)

    def join(self, name: str, code: str, *, viewport: dict | None = None, by_link: bool = False) -> Page:
        page = self.page(name, viewport)
        page.goto(self.url(f"/join/{code}/" if by_link else "/"))
        if not by_link:
            page.get_by_label("Game code").fill(code.lower())  # codes are forgiving about case
        page.get_by_label("Nickname").fill(name)
        page.get_by_role("button", name="Join").click()
        self.live(page)
        return page

    def confirm(self, page: Page, button: str = "confirm") -> None:
        target = page.locator(f"[data-bind={button}]")
        expect(target).to_be_enabled(timeout=WAIT)
        target.click()
        expect(page.locator("[data-bind=result]")).to_contain_text("Done", timeout=WAIT)

    def host_sets_up_a_game(self, host: Page) -> Game:
        host.goto(self.url("/accounts/signup/"))
        host.get_by_label("Username").fill("teacher")
        host.locator("#id_password1").fill(PASSWORD)
        host.locator("#id_password2").fill(PASSWORD)
        host.get_by_role("button", name="Sign up").click()
        host.get_by_role("link", name="New game").click()
        host.get_by_label("Title").fill("Science fair")
        host.get_by_role("button", name="Create, then write my own question").click()
        host.get_by_role("link", name="Jelly beans in a jar").click()
        expect(host.get_by_label("Question")).to_have_value("How many jelly beans are in the jar?")
        # The house's worst case for the chosen liquidity, as GaussianMarket.subsidy computes it (17.74),
        # rounded up: what the host is shown is never below what the bank can pay.
        expect(host.locator("#subsidy")).to_contain_text("[Normal: 18]")
        host.get_by_role("button", name="Add market").click()
        expect(host.locator(".markets li")).to_have_count(1)
        return Game.objects.get(host__username="teacher")

    # -- the scenario ----------------------------------------------------------------------------
    def test_a_round_from_lobby_to_podium(self) -> None:
        started = time.monotonic()
        host = self.page("host")
        game = self.host_sets_up_a_game(host)
        market = game.markets.get()
        assert (market.lo, market.hi, market.integer, market.liquidity, market.budget) == (0, 1000, True, 3.0, 1000.0)
        assert math.ceil(market.engine.subsidy()) == 18

        # The projector, opened once on the wall (the lobby's address leads to it): it follows the game.
        projector = host.context.new_page()
        watch_errors(projector, self.errors, "projector")
        projector.goto(self.url(f"/host/games/{game.pk}/lobby/"))
        expect(projector).to_have_url(self.url(f"/host/games/{game.pk}/projector/"))
        lobby = projector
        expect(lobby.locator(".big-code")).to_have_text(game.join_code)
        expect(lobby.locator(".qr-box svg")).to_be_visible()
        self.live(lobby)

        alice = self.join("Alice", game.join_code, viewport=PHONE, by_link=True)
        bob = self.join("Bob", game.join_code, viewport={"width": 800, "height": 900})
        carol = self.join("Carol", game.join_code, viewport={"width": 1024, "height": 768})
        players = {"Alice": alice, "Bob": bob, "Carol": carol}
        expect(lobby.locator("[data-bind=players] li")).to_have_text(["Alice", "Bob", "Carol"])
        expect(host.locator("#players-section li")).to_have_count(3)  # the control page follows, too
        expect(alice.locator("[data-bind=waiting]")).to_contain_text("Waiting for the host")
        screenshot(lobby, "lobby")

        host.goto(self.url(f"/host/games/{game.pk}/"))
        # Straight to trading, as the control room's API does it (the market list steps nothing).
        self.host_api(host, f"markets/{market.pk}/open")
        expect(host.locator(f"#market-{market.pk} .badge[data-phase]")).to_have_text("Trading")
        expect(projector.locator("#room")).to_have_attribute("data-view", "market")
        for page in (*players.values(), projector):
            expect(page.locator("[data-bind=status], [data-bind=status-text]").first).to_contain_text("Open")

        # Alice, on her phone, drags the curve's centre to the left and confirms.
        assert alice.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        drag_by(alice, "[data-handle=centre]", -70)
        expect(alice.locator("[data-bind=pnl]")).to_contain_text("If it's")
        alice.locator("[data-bind=pnl]").click()  # the one line opens into the profit-or-loss curve
        expect(alice.locator("[data-bind=quote]")).to_be_visible()
        expect(alice.locator("[data-bind=if-right]")).to_contain_text("points")
        screenshot(alice, "player-phone-round", full_page=True)
        self.confirm(alice)
        dragged = Trade.objects.get(player__nickname="Alice")
        assert dragged.kind == "target" and dragged.mean_after < 450

        # Bob types "90% sure it is between 250 and 650".
        bob.get_by_label("90% sure between").check()
        bob.get_by_label("From", exact=True).fill("250")
        bob.get_by_label("To", exact=True).fill("650")
        expect(bob.get_by_label("Middle", exact=True)).to_have_value("450")
        self.confirm(bob)
        typed = Trade.objects.get(player__nickname="Bob")
        assert float(typed.target_mean) == pytest.approx(450) and float(typed.target_sd) == pytest.approx(
            400 / 3.2897, rel=1e-3
        )

        # Carol nudges the curve with the keyboard first: the centre handle is a slider. (Her screen has had
        # Bob's trade first: the fields follow the market until she starts.)
        market.refresh_from_db()
        expect(carol.get_by_label("Middle", exact=True)).to_have_value(str(round(market.mean, 3)).removesuffix(".0"))
        carol.locator("[data-handle=centre]").focus()
        for _ in range(3):
            carol.keyboard.press("ArrowRight")
        nudged = str(round(market.mean + 30, 3)).removesuffix(".0")
        expect(carol.get_by_label("Middle", exact=True)).to_have_value(nudged)

        # A give-or-take below the market's finest forecast (σ_min) is not quietly raised: the market answers
        # with the nearest forecast it takes (here, one her budget covers), and nothing else is offered.
        carol.get_by_label("Give or take", exact=True).fill("0.001")
        expect(carol.locator("[data-bind=hint]")).to_contain_text("is the nearest you can afford")
        expect(carol.locator("[data-bind=quote]")).to_be_hidden()
        expect(carol.locator("[data-bind=confirm]")).to_be_hidden()

        # Carol asks for more than her budget covers and takes the nearest affordable forecast in one tap.
        carol.get_by_label("Middle", exact=True).fill("950")
        carol.get_by_label("Give or take", exact=True).fill("10")
        offer = carol.locator("[data-bind=offer]")
        expect(offer).to_contain_text(re.compile(r"^Trade 950 ± [\d,]+ beans instead: lose [\d,.]+ at most$"))
        offered = offer.text_content()
        offer.click()
        expect(carol.locator("[data-bind=result]")).to_contain_text("Done: the market is now at your forecast.")
        # The button she pressed is gone with the quote; the focus stays in the form, on the first of the next
        # moves her budget affords, which stand in Confirm's place until she drafts a new forecast.
        expect(carol.locator("[data-bind=next] button").first).to_be_focused()
        expect(carol.locator("[data-bind=confirm]")).to_be_hidden()
        taken = Trade.objects.get(player__nickname="Carol")
        assert taken.kind == "target" and taken.fraction == 1 and taken.target_mean == 950
        # The button named the forecast the trade then reached.
        assert f"± {taken.sd_after:,.0f}" in offered

        # Price changes reach screen readers through a polite, throttled live region.
        expect(alice.locator("[data-bind=announce]")).to_contain_text("Market moved to")
        assert alice.locator("[data-bind=announce]").get_attribute("aria-live") == "polite"

        # Every screen saw all three trades, live.
        for page in (*players.values(), projector):
            expect(page.locator("[data-bind=feed] li")).to_have_count(3)
        market.refresh_from_db()
        expect(projector.locator("[data-bind=forecast]")).to_contain_text(f"{round(market.mean):,}")

        # Alice reloads mid-round: same seat, same position, the trade still hers.
        alice.reload()
        self.live(alice)
        expect(alice.locator("header .me")).to_have_text("Alice")
        expect(alice.locator("[data-bind=trade-count]")).to_have_text("1")
        expect(alice.locator("[data-bind=feed] li")).to_have_count(3)
        assert Player.objects.filter(game=game).count() == 3

        # Bob loses the network: he sees it, and comes back in step.
        bob.context.set_offline(True)
        expect(bob.locator("[data-bind=connection]")).to_have_attribute("data-state", "reconnecting")
        expect(bob.locator("[data-bind=connection]")).to_have_text("Reconnecting…")
        alice.get_by_label("Middle", exact=True).fill("400")
        alice.get_by_label("Give or take", exact=True).fill("150")
        self.confirm(alice)
        bob.context.set_offline(False)
        self.live(bob)
        expect(bob.locator("[data-bind=feed] li")).to_have_count(4)

        screenshot(alice, "player-phone-traded")
        screenshot(projector, "projector")

        # The host closes and resolves; every screen shows the true value, the payout and the rank.
        host.reload()
        # Closing and resolving cannot be undone: each asks first, resolving with the value as typed.
        questions: list[str] = []

        def agree(dialog) -> None:
            questions.append(dialog.message)
            dialog.accept()

        host.on("dialog", agree)
        # The control room's Next closes trading, then reveals the answer typed in its field.
        self.press_next(host, "Close trading")
        expect(host.locator(f"#market-{market.pk} .badge[data-phase]")).to_have_text("Closed")
        host.locator("#stage-answer-value").fill("420")
        self.press_next(host, "Reveal the answer")
        expect(host.locator(f"#market-{market.pk} .badge[data-phase]")).to_have_text("Answer")
        host.remove_listener("dialog", agree)
        assert [q.split("?")[0] for q in questions] == ["Reveal 420 beans as the true value"]
        expect(host.locator(f"#market-{market.pk} .badge[data-phase]")).to_have_text("Answer")
        market.refresh_from_db()
        assert market.status == Market.Status.RESOLVED and market.outcome == 420
        ranks = {s.nickname: s.rank for s in queries.market_leaderboard(market)}
        for name, page in players.items():
            position = Position.objects.get(market=market, player__nickname=name)
            payout = page.locator("[data-bind=payout]")
            expect(payout).to_have_attribute("data-value", re.compile(r"\d"))
            assert float(payout.get_attribute("data-value")) == pytest.approx(position.payout, rel=1e-12)
            expect(page.locator("[data-bind=outcome]")).to_have_text("420 beans")
            expect(page.locator("[data-bind=payout-rank]")).to_have_attribute("data-value", str(ranks[name]))
            # The leaderboard follows within a second: my own row shows my profit; the card how my forecast did.
            expect(page.locator("[data-bind=board-market] li.me .score")).to_have_text(signed(position.profit))
            expect(page.locator("[data-bind=forecast-verdict]")).to_contain_text("the market's starting forecast")
        expect(projector.locator(".outcome-label")).to_contain_text("420")
        expect(projector.locator("[data-bind=answer-board] li .score")).to_have_text(
            [signed(s.score) for s in queries.market_leaderboard(market)]
        )
        # The lesson is the host's next step: in words on every screen.
        token = next(c["value"] for c in host.context.cookies() if c["name"] == "csrftoken")
        step = host.context.request.post(
            self.url(f"/api/markets/{market.pk}/phase"), data={"phase": "lesson"}, headers={"X-CSRFToken": token}
        )
        assert step.ok, step.text()
        for page in (*players.values(), projector):
            expect(page.locator("[data-bind=lesson] .verdict")).to_contain_text("3 of you who traded")
        assert alice.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        screenshot(alice, "player-phone-resolved", full_page=True)
        screenshot(projector, "projector-resolved")

        # The CSV the host downloads is the ledger in the database.
        self.assert_exports_match(host, game)

        # Next market: every phone moves on to the new question by itself.
        host.goto(self.url(f"/host/games/{game.pk}/markets/new/"))
        host.get_by_label("Question").fill("How many pages has the book?")
        host.get_by_label("Lowest possible value").fill("0")
        host.get_by_label("Highest possible value").fill("800")
        host.get_by_role("button", name="Add market").click()
        # Straight to trading from the markets list (the control room's Next would ask for first guesses).
        second = game.markets.get(number=2)
        self.host_api(host, f"markets/{second.pk}/open")
        for page in players.values():
            expect(page.locator("[data-bind=question]")).to_have_text("How many pages has the book?")
            expect(page.locator("[data-bind=status]")).to_contain_text("Open")
            expect(page.locator("[data-bind=trade-count]")).to_have_text("0")
        expect(projector.locator("[data-bind=question]")).to_have_text("How many pages has the book?")

        # The podium: the game's leaderboard, best first.
        host.goto(self.url(f"/host/games/{game.pk}/"))
        # Finishing cannot be undone: the page asks first, and "Cancel" leaves the game running.
        finish = host.get_by_role("button", name="Finish the game and show the podium")
        host.once("dialog", lambda dialog: dialog.dismiss())
        finish.click()
        expect(finish).to_be_visible()
        assert Game.objects.get(pk=game.pk).status != Game.Status.FINISHED
        host.once("dialog", lambda dialog: dialog.accept())
        finish.click()
        standings = queries.game_leaderboard(game)
        expect(host.locator(".podium li strong")).to_have_text([s.nickname for s in standings[:3]])
        screenshot(host, "podium")
        expect(projector.locator("#room")).to_have_attribute("data-view", "podium")
        expect(projector.locator(".podium-show li[data-place='1'] .name")).to_have_text(standings[0].nickname)
        # Every phone says the game is over, at the top, with the player's place.
        for name, page in players.items():
            place = next(s.rank for s in standings if s.nickname == name)
            expect(page.locator("[data-bind=game-over]")).to_contain_text(f"you finished rank {place} of 3")

        assert self.errors == [], self.errors
        print(f"browser scenario: {time.monotonic() - started:.1f} s")

    def test_hidden_names_show_each_player_only_their_own(self) -> None:
        from django.contrib.auth import get_user_model

        teacher = get_user_model().objects.create_user("quiet", password=PASSWORD)
        game = services.create_game(teacher, "Quiet class", hide_names=True)
        market = services.add_market(teacher, game, question="Pages in the book?", lo=0, hi=500, integer=True)
        services.open_market(teacher, market.pk)
        dana = self.join("Dana", game.join_code, viewport=PHONE)
        eli = self.join("Eli", game.join_code)
        eli.get_by_label("Middle", exact=True).fill("300")
        eli.get_by_label("Give or take", exact=True).fill("100")
        self.confirm(eli)
        expect(dana.locator("[data-bind=feed] li")).to_have_count(1)
        # Dana slides the whole curve: a press off the handles drags it sideways by as much as the finger moves.
        box = dana.locator("#curve-chart").bounding_box()
        dana.mouse.move(box["x"] + box["width"] * 0.2, box["y"] + box["height"] * 0.85)
        dana.mouse.down()
        dana.mouse.move(box["x"] + box["width"] * 0.45, box["y"] + box["height"] * 0.85, steps=6)
        dana.mouse.up()
        market.refresh_from_db()
        slid = float(dana.get_by_label("Middle", exact=True).input_value())
        assert slid == pytest.approx(market.mean + 0.25 * 500, abs=15)  # a quarter of the chart is ~125 pages
        self.confirm(dana)
        expect(dana.locator("[data-bind=board-game] li")).to_have_count(2)
        names = dana.locator("[data-bind=board-game] li").all_inner_texts()
        assert any("Dana (you)" in n for n in names) and not any("Eli" in n for n in names), names
        assert "a player" in " ".join(names)
        assert self.errors == [], self.errors

    def test_the_pages_math_agrees_with_the_engine(self) -> None:
        """The curve the phone draws while a finger moves uses gauss.js; it must match the market maker."""
        from mmgame.market import Curve, GaussianMarket, Range

        engine = GaussianMarket.create(Range(0, 300), 30.0, 100, 100, 1)
        target = engine.curve_from_x(120, 30)
        page = self.page("math")
        page.goto(self.url("/"))
        result = page.evaluate(
            """async () => {
                const g = await import("/static/js/gauss.js");
                const xs = [0, 60, 120, 250, 300];
                return {
                  profit: xs.map((x) => g.moveProfit(30, {mean: 100, sd: 100}, {mean: 120, sd: 30}, x)),
                  interval: g.fromInterval(250, 650),
                  halfway: g.toward({mean: 100, sd: 100}, {mean: 120, sd: 30}, 0.5),
                };
            }"""
        )
        for x, profit in zip([0, 60, 120, 250, 300], result["profit"], strict=True):
            assert profit == pytest.approx(engine.profit_at(target, x), rel=1e-9, abs=1e-9)
        assert result["interval"] == pytest.approx({"mean": 450, "sd": 200 / 1.6448536269514722})
        halfway = engine.curve.toward(target, 0.5)
        mean, sd = engine.curve_to_x(Curve(halfway.mean, halfway.sd))
        assert result["halfway"] == pytest.approx({"mean": mean, "sd": sd}, rel=1e-9)

    def assert_exports_match(self, host: Page, game: Game) -> None:
        def rows(kind: str) -> list[dict]:
            response = host.context.request.get(self.url(f"/host/games/{game.pk}/export/{kind}.csv"))
            assert response.ok and response.headers["content-type"].startswith("text/csv")
            return list(csv.DictReader(io.StringIO(response.text())))

        trades = rows("trades")
        ledger = Trade.objects.filter(market__game=game).select_related("player").order_by("sequence")
        assert [(int(r["sequence"]), r["player"], r["kind"]) for r in trades] == [
            (t.sequence, t.player.nickname, t.kind) for t in ledger
        ]
        assert [float(r["cost"]) for r in trades] == [t.cost for t in ledger]
        payouts = {r["player"]: float(r["payout"]) for r in rows("payouts")}
        assert payouts == {p.player.nickname: p.payout for p in Position.objects.filter(market__game=game)}
        scores = [r for r in rows("scores") if r["board"] == "game_profit"]
        assert [(r["player"], int(r["rank"])) for r in scores] == [
            (s.nickname, s.rank) for s in queries.game_leaderboard(game)
        ]
