"""The host's CSV exports are the database's ledger, row for row."""

from __future__ import annotations

import csv
import io
import itertools
from decimal import Decimal

import pytest
from django.urls import reverse

from mmgame import queries, services
from mmgame.market import Order
from mmgame.models import Market, Position, Trade

from ..market import reference

pytestmark = pytest.mark.django_db


@pytest.fixture
def played(host, game, open_market, alice, bob):
    services.place_trade(alice, open_market.pk, Order("target", mean=150, sd=60), idempotency_key="a1")
    services.place_trade(bob, open_market.pk, Order("toward", mean=10, sd=2), idempotency_key="b1")
    services.place_trade(alice, open_market.pk, Order("target", mean=130, sd=40), idempotency_key="a2")
    services.close_market(host, open_market.pk)
    services.resolve_market(host, open_market.pk, 133)
    return open_market


def rows(client, game, kind):
    response = client.get(reverse("web:export", args=[game.pk, kind]))
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert f"{kind}.csv" in response["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_trades_csv_matches_the_ledger(client, host, game, played):
    client.force_login(host)
    exported = rows(client, game, "trades")
    ledger = list(Trade.objects.filter(market=played).order_by("sequence"))
    assert [(int(r["sequence"]), r["player"], r["kind"]) for r in exported] == [
        (t.sequence, t.player.nickname, t.kind) for t in ledger
    ]
    assert [(float(r["cost"]), float(r["fraction"]), float(r["mean_after"])) for r in exported] == [
        (t.cost, t.fraction, t.mean_after) for t in ledger
    ]


def test_positions_and_payouts_csv_match_the_positions(client, host, game, played):
    client.force_login(host)
    positions = {p.player.nickname: p for p in Position.objects.filter(market=played)}
    for row in rows(client, game, "positions"):
        p = positions[row["player"]]
        assert (float(row["wealth_const"]), float(row["wealth_linear"]), float(row["wealth_quadratic"])) == (
            p.wealth_const,
            p.wealth_linear,
            p.wealth_quadratic,
        )
    payouts = rows(client, game, "payouts")
    assert {r["player"]: (float(r["payout"]), float(r["profit"])) for r in payouts} == {
        name: (p.payout, p.payout - p.budget) for name, p in positions.items()
    }
    assert {r["outcome"] for r in payouts} == {"133"}


def test_scores_csv_has_every_board(client, host, game, played):
    client.force_login(host)
    exported = rows(client, game, "scores")
    boards = {r["board"] for r in exported}
    assert boards == {"game_profit", "market_profit", "accuracy"}
    game_rows = [(r["player"], int(r["rank"]), float(r["score"])) for r in exported if r["board"] == "game_profit"]
    assert game_rows == [(s.nickname, s.rank, s.score) for s in queries.game_leaderboard(game)]


def test_a_question_never_shown_has_no_boards_in_the_scores_csv(client, host, game, played):
    """Everyone at 0, "tied at rank 1", on a question the class never saw read as a result in a walk-through."""
    unplayed = services.add_market(host, game, question="How long is the corridor?", lo=0, hi=50)
    client.force_login(host)
    exported = rows(client, game, "scores")
    numbers = {r["market"] for r in exported if r["board"] != "game_profit"}
    assert str(Market.objects.get(pk=played.pk).number) in numbers
    assert str(unplayed.number) not in numbers


def test_exports_are_the_hosts_alone(client, other_host, game, played):
    client.force_login(other_host)
    assert client.get(reverse("web:export", args=[game.pk, "trades"])).status_code == 404


def test_an_unknown_export_is_not_found(client, host, game):
    client.force_login(host)
    assert client.get(reverse("web:export", args=[game.pk, "secrets"])).status_code == 404


def test_each_exported_trade_rebuilds_its_profit_curve_and_together_they_are_the_ledger(client, host, game, played):
    """From a row alone (b and the curves before and after, exact decimals), a trade's profit at x is
    b·[ln N(x; after) − ln N(x; before)]; each player's trades add up to their payout, at 50 digits."""
    client.force_login(host)
    exported = rows(client, game, "trades")
    outcome = Market.objects.get(pk=played.pk).outcome
    rebuilt: dict[str, reference.mpmath.mpf] = {}
    for row in exported:
        b = float(row["liquidity"])
        before = Decimal(row["mean_before"]), Decimal(row["sd_before"])
        after = Decimal(row["mean_after_exact"]), Decimal(row["sd_after_exact"])
        assert float(row["worst_case"]) <= 0
        profit = reference.profit(b, before, after, outcome)
        rebuilt[row["player"]] = rebuilt.get(row["player"], reference.mp.mpf(0)) + profit
    for position in Position.objects.filter(market=played).select_related("player"):
        want = reference.exact(position.budget) + rebuilt[position.player.nickname]
        assert abs(reference.mp.mpf(position.payout) - want) <= 1e-9 * max(abs(want), position.budget)
    # The rows chain: each trade starts from the curve the one before it left.
    for earlier, later in itertools.pairwise(exported):
        assert (later["mean_before"], later["sd_before"]) == (earlier["mean_after_exact"], earlier["sd_after_exact"])


def test_the_csv_also_writes_curves_and_true_values_as_the_screens_do(client, host, game):
    population = services.add_market(
        host, game, question="People?", unit="people", kind="count", lo=10**9, hi=2 * 10**10,
        prior_mean=8 * 10**9, prior_sd=2 * 10**9,
    )  # fmt: skip
    services.open_market(host, population.pk)
    player = services.join_game(game.join_code, "Ana")
    services.place_trade(player, population.pk, Order("target", mean=8547810129, sd=1.5e9), idempotency_key="p1")
    services.close_market(host, population.pk)
    services.resolve_market(host, population.pk, 8546000000)
    client.force_login(host)

    (trade,) = rows(client, game, "trades")
    (payout,) = rows(client, game, "payouts")

    assert trade["forecast_as_shown"] == "8.5 billion people ± 1.5 billion people"
    assert (payout["outcome"], payout["outcome_as_shown"]) == ("8546000000", "8.546 billion people")


def test_a_log_markets_csv_gives_its_curves_as_a_median_and_sd_log(client, host, game):
    tuners = services.add_market(
        host, game, question="Piano tuners?", unit="piano tuners", kind="count", lo=10, hi=100000, scale="log"
    )
    services.open_market(host, tuners.pk)
    player = services.join_game(game.join_code, "Ana")
    services.place_trade(player, tuners.pk, Order("target", low=200, high=5000), idempotency_key="p1")
    client.force_login(host)

    (trade,) = rows(client, game, "trades")

    assert trade["scale"] == "log"
    assert float(trade["target_mean"]) == pytest.approx(1000) and float(trade["mean_after"]) == pytest.approx(1000)
    assert float(trade["mean_after_exact"]) == pytest.approx(1000)
    assert (trade["shares_x"], trade["shares_x2"]) == ("", "")
    assert trade["forecast_as_shown"] == "about 1,000 piano tuners, give or take a factor of 2.7"


def test_practice_traders_rows_carry_the_bot_mark(client, host, game, open_market, alice):
    bot = services.add_practice_traders(host, game, count=1, knowledge="noise", now=game.created_at)[0]
    services.place_trade(bot.player, open_market.pk, Order("toward", mean=150, sd=40), idempotency_key="bot")
    services.place_trade(alice, open_market.pk, Order("toward", mean=120, sd=40), idempotency_key="alice")
    client.force_login(host)

    trades = {r["player"]: r["bot"] for r in rows(client, game, "trades")}
    scores = {r["player"]: r["bot"] for r in rows(client, game, "scores") if r["board"] == "game_profit"}

    assert trades == scores == {"Bot Ada": "🤖 bot", "Alice": ""}
    assert {r["player"]: r["bot"] for r in rows(client, game, "positions")} == {"Bot Ada": "🤖 bot", "Alice": ""}


def test_the_clues_csv_has_each_players_first_guess_and_clue(client, host, game, alice, bob):
    market = services.add_market(host, game, question="How many?", lo=0, hi=300, answer=140, clue_noise=10)
    for phase in ("question", "guess"):
        services.step_market(host, market.pk, phase=phase)
    services.submit_guess(alice, market.pk, Order("target", mean=150, sd=30))
    clues = {c.player.nickname: c.value for c in market.clues.select_related("player")}
    client.force_login(host)

    table = rows(client, game, "clues")

    assert [r["player"] for r in table] == ["Alice", "Bob"]
    alice_row, bob_row = table
    assert float(alice_row["first_guess_mean"]) == pytest.approx(150)
    assert float(alice_row["first_guess_sd"]) == pytest.approx(30)
    assert bob_row["first_guess_mean"] == ""
    assert {r["player"]: Decimal(r["clue"]) for r in table} == clues
    assert {r["clue_noise"] for r in table} == {"10.0"} and {r["clue_noise_kind"] for r in table} == {"percent"}
    assert {r["answer_in_advance"] for r in table} == {"140"} and {r["outcome"] for r in table} == {""}


def test_the_clues_csv_is_the_hosts_alone(client, other_host, game):
    client.force_login(other_host)
    assert client.get(reverse("web:export", args=[game.pk, "clues"])).status_code == 404


def test_the_exports_keep_the_reasons_and_the_teachers_explanation(client, host, game, alice, bob):
    """The clues CSV has each guess's reason (markup and a formula as typed, made inert) and whether it was
    picked; the questions CSV has each market's explanation and source."""
    market = services.add_market(
        host, game, question="How many?", lo=0, hi=300, explanation="<b>12</b> rows of 12", source="=counted"
    )
    for phase in ("question", "guess"):
        services.step_market(host, market.pk, phase=phase)
    services.submit_guess(alice, market.pk, Order("target", mean=150, sd=30), reason="<i>rows</i> of ten")
    services.submit_guess(bob, market.pk, Order("target", mean=90, sd=30), reason="=1+1")
    services.pick_reasons(host, market.pk, [market.guesses.get(player=alice).pk])
    client.force_login(host)

    table = {r["player"]: (r["reason"], r["reason_picked"]) for r in rows(client, game, "clues")}
    questions = client.get(reverse("web:bank_export", args=[game.pk])).content.decode()

    assert table == {"Alice": ("<i>rows</i> of ten", "True"), "Bob": ("'=1+1", "False")}
    (line,) = csv.DictReader(io.StringIO(questions))
    assert (line["explanation"], line["source"]) == ("<b>12</b> rows of 12", "'=counted")


def test_the_markets_csv_names_each_questions_picture_and_its_alt_text(client, host, game, market, media):
    from tests import pictures

    picture = services.picture_from(pictures.jar(), name="jar.jpg", alt="A jar of red beans")
    with_picture = services.add_market(host, game, question="And this jar?", lo=0, hi=900, picture=picture)
    client.force_login(host)

    plain, pictured = rows(client, game, "markets")

    assert (plain["question"], plain["picture"], plain["picture_url"], plain["picture_alt"]) == (
        "How many jelly beans?", "", "", "")  # fmt: skip
    assert pictured["picture"] == with_picture.picture_name and pictured["picture_alt"] == "A jar of red beans"
    assert client.get(pictured["picture_url"]).status_code == 200  # the address serves the host the picture
