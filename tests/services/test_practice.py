"""Practice traders: seats the host adds with one click, that trade through the same services as a phone,
paced like people, only while the round trades, one server process at a time (mmgame.services.practice)."""

from __future__ import annotations

import itertools
import math
from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from benchmarks.practice_class import Clock
from mmgame import queries, services
from mmgame.market import Curve, MarketError, Order, fair
from mmgame.models import Guess, Market, Player, PracticeTrader, Trade
from mmgame.queries import rounds, screens, shapes
from mmgame.services import practice
from mmgame.services.errors import NotFound
from tests.nested import one_database

pytestmark = pytest.mark.django_db

P = Market.Phase
T0 = timezone.now()


def at(seconds: float):
    return T0 + timedelta(seconds=seconds)


def add(host, game, count=1, knowledge="noise", now=None):
    return services.add_practice_traders(host, game, count=count, knowledge=knowledge, now=now or T0)


def step(host, market, phase, **options) -> Market:
    services.step_market(host, market.pk, phase=phase, **options)
    return Market.objects.get(pk=market.pk)


def tick(owner: str, seconds: float) -> int:
    return services.run_due(owner, at(seconds))


def run(owner: str, start: float, stop: float, every: float = 1.0) -> int:
    """Tick from `start` to `stop` seconds: how many trades were made."""
    made, t = 0, start
    while t <= stop:
        made += tick(owner, t)
        t += every
    return made


def bot_trades() -> int:
    return Trade.objects.filter(player__is_bot=True).count()


# -- adding and removing ---------------------------------------------------------------------------------


def test_added_practice_traders_are_bot_seats_with_friendly_names(host, game):
    traders = add(host, game, count=3, knowledge="informed")

    players = Player.objects.filter(game=game)
    assert [p.nickname for p in players] == ["Bot Ada", "Bot Babbage", "Bot Curie"]
    assert all(p.is_bot for p in players)
    assert [t.knowledge for t in traders] == ["informed"] * 3
    assert all(T0 < t.next_trade_at <= at(practice.WAKE[1]) for t in traders)


def test_practice_traders_take_no_players_seat(host):
    game = services.create_game(host, "Small class", max_players=1)
    add(host, game, count=5)

    assert services.join_game(game.join_code, "Alice").nickname == "Alice"


def test_a_bot_name_a_person_holds_is_skipped(host, game):
    services.join_game(game.join_code, "Bot Ada")
    add(host, game, count=1)

    assert Player.objects.get(is_bot=True).nickname == "Bot Babbage"


@pytest.mark.parametrize("count", [0, 51, True, "3", 2.5])
def test_adding_takes_1_to_50_at_a_time(host, game, count):
    with pytest.raises(MarketError):
        add(host, game, count=count)


def test_a_game_holds_at_most_50_practice_traders(host, game):
    add(host, game, count=45)
    with pytest.raises(MarketError) as refused:
        add(host, game, count=6)
    assert refused.value.details["field"] == "count"


def test_only_the_host_adds_or_removes_practice_traders(other_host, game):
    with pytest.raises(NotFound):
        add(other_host, game)
    with pytest.raises(NotFound):
        services.remove_practice_traders(other_host, game)


def test_removed_practice_traders_stop_and_free_their_names(host, game, open_market):
    add(host, game, count=2)
    assert services.remove_practice_traders(host, game) == 2

    assert not PracticeTrader.objects.filter(active=True).exists()
    assert all(p.kicked and p.name_freed for p in Player.objects.filter(is_bot=True))
    assert run("a", 0, 20) == 0
    assert add(host, game)[0].player.nickname == "Bot Ada"


def test_a_bot_added_while_clues_are_out_gets_its_clue(host, game, clue_market):
    step(host, clue_market, P.QUESTION)
    step(host, clue_market, P.GUESS)
    bot = add(host, game, knowledge="informed")[0]

    assert clue_market.clues.filter(player=bot.player).exists()


# -- pacing and phases -----------------------------------------------------------------------------------


@one_database
def test_a_bot_never_trades_before_its_time_and_then_steps_every_3_to_8_seconds(host, game, open_market):
    bot = add(host, game)[0]
    steps, t = [], 0.0
    while t <= 90:
        before = PracticeTrader.objects.get(pk=bot.pk)
        made = tick("a", t)
        if made:
            assert at(t) >= before.next_trade_at
        if PracticeTrader.objects.get(pk=bot.pk).step > before.step:
            steps.append(t)
        t = round(t + 0.25, 2)

    assert len(steps) >= 90 / 8 - 1
    assert bot_trades() >= len(steps) / 2  # a step may be refused (no collateral for that move): it is skipped
    gaps = [b - a for a, b in itertools.pairwise(steps)]
    assert all(3 <= gap <= 8.25 for gap in gaps), gaps
    assert len(set(gaps)) > 1  # randomised, not a metronome


def test_each_step_schedules_the_next_3_to_8_seconds_on(host, game, open_market):
    bot = add(host, game)[0]
    for t in range(60):
        before = PracticeTrader.objects.get(pk=bot.pk).step
        tick("a", t)
        after = PracticeTrader.objects.get(pk=bot.pk)
        if after.step > before:
            assert at(t + 3) <= after.next_trade_at <= at(t + 8)


@one_database
def test_bots_trade_only_while_the_round_trades(host, game, market):
    add(host, game, count=3)
    step(host, market, P.QUESTION)
    assert run("a", 0, 20) == 0
    market = step(host, market, P.GUESS)
    assert run("a", 21, 40) == 0
    market = step(host, market, P.GUESSES, confirm=True)
    assert run("a", 41, 60) == 0

    market = step(host, market, P.TRADING)
    assert run("a", 61, 90) > 0
    step(host, market, P.CLOSED)
    assert run("a", 91, 120) == 0
    step(host, market, P.TRADING)  # reopened: they resume
    assert run("a", 121, 150) > 0
    step(host, market, P.CLOSED)
    step(host, market, P.ANSWER, outcome=120, confirm=True)
    before = bot_trades()
    assert run("a", 151, 180) == 0 and bot_trades() == before


def test_bots_stop_when_no_screen_has_shown_their_game_for_five_minutes_and_resume_when_one_does(
    host, game, open_market
):
    add(host, game, count=2)  # the host's page, where they are added, counts as watching
    assert run("a", 0, 60) > 0
    assert run("a", 301, 400) == 0  # nobody watching since T0
    assert PracticeTrader.objects.filter(at_work_now(400)).count() == 0
    assert services.watched([game.pk], at(400)) == 1  # a wall connects: a process holding it says so
    assert services.watched([game.pk], at(401)) == 0  # and writes again only 30 s on
    assert run("a", 400, 460) > 0


def at_work_now(seconds: float):
    return practice.at_work(at(seconds))


def test_a_host_holds_at_most_200_practice_traders_in_unfinished_games(host):
    games = [services.create_game(host, f"Game {i}") for i in range(5)]
    for g in games[:4]:
        add(host, g, count=50)
    with pytest.raises(MarketError) as refused:
        add(host, games[4], count=1)
    assert refused.value.details["field"] == "count"
    assert "at most 200" in refused.value.message
    services.remove_practice_traders(host, games[0])
    assert len(add(host, games[4], count=50)) == 50


def test_bots_do_not_trade_in_a_paused_market(host, game, open_market):
    add(host, game, count=2)
    services.pause_market(host, open_market.pk)

    assert run("a", 0, 30) == 0


def test_idle_bots_wake_one_by_one_not_all_in_one_second(host, game, market):
    add(host, game, count=20)
    step(host, market, P.QUESTION)
    step(host, market, P.GUESS)
    step(host, market, P.GUESSES, confirm=True)
    step(host, market, P.TRADING)  # the bots were due long ago

    assert tick("a", 60) == 0  # each wakes a moment later
    trades_per_second = [tick("a", 60 + s) for s in range(1, 4)]
    assert sum(trades_per_second) == 20 and max(trades_per_second) < 20


# -- first guesses ---------------------------------------------------------------------------------------


def guessed_at(market, start: float, stop: float, every: float = 0.5, origin=T0) -> dict[int, float]:
    """Tick from `start` to `stop` seconds after `origin`: when each bot's first guess came in, by player id."""
    times, t = {}, start
    while t <= stop:
        assert services.run_due("a", origin + timedelta(seconds=t)) == 0  # no trade while guesses are asked for
        for pid in Guess.objects.filter(market=market).values_list("player_id", flat=True):
            times.setdefault(pid, t)
        t += every
    return times


def test_bots_each_lock_in_one_first_guess_a_few_seconds_into_the_phase(host, game, market):
    bots = add(host, game, count=10)
    step(host, market, P.QUESTION)
    assert guessed_at(market, 0, 20) == {}  # the question alone asks for nothing
    market = step(host, market, P.GUESS)  # the bots were idle since they were added: they think first

    times = guessed_at(market, 60, 90)

    assert set(times) == {bot.player_id for bot in bots}
    assert all(60 + 2 <= t <= 60 + 12.5 for t in times.values()), times
    assert len(set(times.values())) > 3  # one after another, not all in one second
    market = Market.objects.get(pk=market.pk)
    assert market.guess_count == Guess.objects.filter(market=market).count() == 10
    # Noise traders scatter about the prior: ten different guesses, each a fair curve inside the range.
    guesses = list(Guess.objects.filter(market=market).values_list("mean_z", "sd_z"))
    assert len({mean for mean, _ in guesses}) == 10
    assert all(fair(Curve(mean, sd)) for mean, sd in guesses)


def test_a_bot_gives_its_guess_once_and_keeps_it(host, game, market):
    add(host, game, count=3)
    step(host, market, P.QUESTION)
    market = step(host, market, P.GUESS)
    guessed_at(market, 60, 80)
    first = set(Guess.objects.filter(market=market).values_list("player_id", "mean_z", "sd_z", "updated_at"))

    guessed_at(market, 80, 120)  # more steps in the same phase change nothing

    assert len(first) == 3
    assert set(Guess.objects.filter(market=market).values_list("player_id", "mean_z", "sd_z", "updated_at")) == first


def test_an_informed_bots_first_guess_is_its_bayesian_belief_as_a_person_types_it(host, game, clue_market):
    bot = add(host, game, knowledge="informed")[0]
    step(host, clue_market, P.QUESTION)
    market = step(host, clue_market, P.GUESS)  # the clues go out with the first guesses
    belief = practice.informed_belief(market, market.clues.get(player=bot.player).value)

    guessed_at(market, 60, 75)

    guess = Guess.objects.get(market=market, player=bot.player)
    mean, sd = market.engine.curve_to_x(Curve(guess.mean_z, guess.sd_z))
    # About 9.95 beans of belief (the clue's ±10 and the prior's ±100): typed to a round 2 beans, within a few
    # of its jitter's 0.25·9.95 of the belief, with a give-or-take of two figures near 9.95.
    assert mean == pytest.approx(round(mean / 2) * 2, abs=1e-6)
    assert abs(mean - belief.mean) <= 4 * 0.25 * belief.sd + 1
    assert sd == pytest.approx(float(f"{sd:.2g}"), rel=1e-6)
    assert belief.sd * math.exp(-0.8) <= sd <= belief.sd * math.exp(0.8)


def test_on_a_log_market_a_bots_guess_is_its_typed_belief_in_ln_x(host, game):
    market = services.add_market(
        host, game, question="People?", lo=10, hi=100_000, scale="log", prior_median=1000, prior_sd_log=1.0,
        answer=1500, first_guess=True,
    )  # fmt: skip
    market = services.set_clues(host, market.pk, noise=15)
    bot = add(host, game, knowledge="informed")[0]
    step(host, market, P.QUESTION)
    market = step(host, market, P.GUESS)
    belief = practice.informed_belief(market, market.clues.get(player=bot.player).value)

    guessed_at(market, 60, 75)

    guess = Guess.objects.get(market=market, player=bot.player)
    median, sd_log = market.engine.curve_to_x(Curve(guess.mean_z, guess.sd_z))
    # Typed in ln x: within a few jitters of the belief's ln-median, the give-or-take near its σ of ln x.
    assert abs(math.log(median) - belief.mean) <= 4 * 0.25 * belief.sd + belief.sd / 4
    assert belief.sd * math.exp(-0.8) <= sd_log <= belief.sd * math.exp(0.8)


@pytest.fixture
def frozen(monkeypatch) -> Clock:
    """The server's clock held where the test starts: a timer the host starts runs out when the test's ticks
    say, not when the machine's clock does (on a loaded machine the ticks took longer than the timer). Held at
    T0, the time the bots were added and last watched: on a busy run this file's tests start minutes after it
    was imported, and at the machine's now the bots had been unwatched past UNWATCHED, and did nothing."""
    clock = Clock(T0)
    monkeypatch.setattr("django.utils.timezone.now", clock)
    return clock


def test_bots_guess_inside_the_guesses_timer(host, game, market, frozen):
    add(host, game, count=10)
    step(host, market, P.QUESTION)
    step(host, market, P.GUESS)
    market = services.close_market(host, market.pk, countdown=4)  # "lock in your guess: 4 seconds"
    start = market.closes_at - timedelta(seconds=4)

    times = guessed_at(market, 0, 10, every=0.25, origin=start)

    assert len(times) == 10 and max(times.values()) < 4


def test_bots_guess_inside_a_timer_the_host_starts_after_they_planned_their_guess(host, game, market, frozen):
    add(host, game, count=10)
    step(host, market, P.QUESTION)
    market = step(host, market, P.GUESS)
    start = timezone.now()
    # Idle since they were added a minute ago (added just now, a bot whose wake fell a second on kept it).
    PracticeTrader.objects.update(next_trade_at=start - timedelta(minutes=1))
    services.run_due("a", start)  # each plans its guess 2–12 s on
    planned = list(PracticeTrader.objects.values_list("next_trade_at", flat=True))
    assert all(start + timedelta(seconds=2) <= t <= start + timedelta(seconds=12) for t in planned), [
        (t - start).total_seconds() for t in planned
    ]

    market = services.close_market(host, market.pk, countdown=3)  # a second later: "3 seconds left"
    times = guessed_at(market, 1, 10, every=0.25, origin=start)

    assert len(times) == 10, times
    assert all(start + timedelta(seconds=t) < market.closes_at for t in times.values())


def test_a_bot_that_guessed_or_whose_timer_ran_out_has_no_work(django_assert_num_queries, host, game, market):
    add(host, game, count=2)
    step(host, market, P.QUESTION)
    market = step(host, market, P.GUESS)
    guessed_at(market, 60, 80)
    assert Guess.objects.filter(market=market).count() == 2
    with django_assert_num_queries(1):  # nothing to claim, nothing to step: one cheap query a tick
        assert tick("a", 81) == 0

    add(host, game, count=1)
    market = services.close_market(host, market.pk, countdown=1)
    late = market.closes_at + timedelta(seconds=1)
    with django_assert_num_queries(1):
        assert services.run_due("a", late) == 0
    assert Guess.objects.filter(market=market).count() == 2


def test_removed_bots_guesses_leave_the_reveal_and_its_average(host, game, market, alice):
    add(host, game, count=3)
    step(host, market, P.QUESTION)
    market = step(host, market, P.GUESS)
    guessed_at(market, 60, 80)
    services.submit_guess(alice, market.pk, Order("target", mean=Decimal(150), sd=Decimal(30)))
    services.remove_practice_traders(host, game)

    market = step(host, market, P.GUESSES, confirm=True)

    summary = rounds.guess_summary(market)
    assert (summary["count"], summary["middles"], summary["average"]) == (1, [150.0], pytest.approx(150))
    assert list(rounds.guesses_of(market)) == [alice.pk]


def test_bots_give_no_guess_once_the_game_is_finished(host, game, market):
    add(host, game, count=3)
    step(host, market, P.QUESTION)
    step(host, market, P.GUESS)
    services.finish_game(host, game)

    assert guessed_at(market, 60, 90) == {}


# -- leases, restarts, races, idempotency -----------------------------------------------------------------


def test_one_owner_holds_the_lease_and_renews_it_each_tick(host, game, open_market):
    add(host, game, count=3)
    tick("a", 0)
    tick("b", 5)

    assert set(PracticeTrader.objects.values_list("lease_owner", flat=True)) == {"a"}
    assert run("b", 5, 9) == 0  # b holds nothing while a's lease runs
    tick("a", 9)
    assert run("b", 12, 18) == 0  # a renewed it at 9


def test_after_a_restart_a_new_owner_picks_the_bots_up_once_the_lease_expires(host, game, open_market):
    add(host, game, count=3)
    run("a", 0, 10)  # then process a dies
    made_by_a = bot_trades()

    assert tick("b", 15) == 0  # a's lease runs until 20
    assert run("b", 21, 40) > 0
    assert set(PracticeTrader.objects.values_list("lease_owner", flat=True)) == {"b"}
    assert bot_trades() > made_by_a


@one_database
def test_two_owners_at_the_same_moment_never_double_trade(host, game, open_market):
    bots = add(host, game, count=10)
    for t in range(60):
        tick("a", t)
        tick("b", t)

    keys = Counter(Trade.objects.filter(player__is_bot=True).values_list("idempotency_key", flat=True))
    assert keys and max(keys.values()) == 1
    assert set(PracticeTrader.objects.values_list("lease_owner", flat=True)) == {"a"}
    for bot in bots:  # at most one trade a step, and steps 3 s apart at least
        made = Trade.objects.filter(player=bot.player).count()
        assert made <= PracticeTrader.objects.get(pk=bot.pk).step <= 60 / 3 + 1


def test_a_step_run_twice_at_the_same_moment_trades_once(host, game, open_market):
    bot = add(host, game)[0]
    now = PracticeTrader.objects.get(pk=bot.pk).next_trade_at

    first = services.practice_step(bot, open_market, now=now)
    second = services.practice_step(bot, open_market, now=now)

    assert first is not None and second is None
    assert bot_trades() == 1


def test_a_retried_step_replays_its_trade_under_the_same_key(host, game, open_market):
    bot = add(host, game)[0]
    now = PracticeTrader.objects.get(pk=bot.pk).next_trade_at
    first = services.practice_step(bot, open_market, now=now)
    assert first.idempotency_key == f"bot-{bot.pk}-{open_market.pk}-0"
    # As if the step's bookkeeping had been lost: the same step, with the same key, again.
    PracticeTrader.objects.filter(pk=bot.pk).update(step=0, next_trade_at=now)

    again = services.practice_step(bot, open_market, now=now)

    assert again.pk == first.pk
    assert bot_trades() == 1


def test_with_no_practice_trader_a_tick_is_one_query(django_assert_num_queries, open_market):
    with django_assert_num_queries(1):
        assert tick("a", 0) == 0


def test_with_practice_traders_but_no_round_trading_a_tick_is_one_query(django_assert_num_queries, host, game):
    add(host, game, count=5)
    with django_assert_num_queries(1):
        assert tick("a", 0) == 0


# -- what they believe and do ----------------------------------------------------------------------------


@pytest.fixture
def clue_market(host, game):
    """Prior N(100, 100²) on [0, 300], answer 120, each clue off by ±10 beans (τ = 10)."""
    market = services.add_market(
        host, game, question="Beans?", unit="beans", lo=0, hi=300, prior_mean=100, prior_sd=100, sd_min=1,
        liquidity=30, answer=120,
    )  # fmt: skip
    return services.set_clues(host, market.pk, noise=10, kind=Market.ClueNoise.ABSOLUTE)


def test_an_informed_belief_is_the_bayesian_one_of_design_1_8(clue_market):
    belief = practice.informed_belief(clue_market, Decimal("130"))

    # 1/s² = 1/100² + 1/10² ⇒ s² = 10⁶/10,100; m = s²(100/100² + 130/10²) = (100·10² + 130·100²)/10,100.
    assert belief.sd == pytest.approx(math.sqrt(1e6 / 10_100))
    assert belief.mean == pytest.approx((100 * 100 + 130 * 10_000) / 10_100)
    assert belief.mean == pytest.approx(129.70297, abs=1e-5)


def test_on_a_log_market_the_belief_is_taken_in_ln_x(host, game):
    market = services.add_market(
        host, game, question="People?", lo=10, hi=100_000, scale="log", prior_median=1000, prior_sd_log=1.0,
        answer=1500,
    )  # fmt: skip
    market = services.set_clues(host, market.pk, noise=15)
    tau = math.log(1.15)

    belief = practice.informed_belief(market, Decimal("1500"))

    assert belief.sd == pytest.approx(math.sqrt(1 / (1 + 1 / tau**2)))
    assert belief.mean == pytest.approx((math.log(1000) * tau**2 + math.log(1500)) / (tau**2 + 1))


def test_an_informed_bot_moves_the_market_toward_its_clue(host, game, clue_market):
    bot = add(host, game, knowledge="informed")[0]
    market = step(host, clue_market, P.QUESTION)
    market = step(host, market, P.TRADING)
    # A clue of 130 (the answer's 120, one τ off): drawn, a clue near the prior's 100 (one run on PostgreSQL drew
    # 96) leaves the belief so near 100 that the jitter of what the bot shows decides which side it trades to.
    market.clues.filter(player=bot.player).update(value=Decimal("130"))
    clue = float(market.clues.get(player=bot.player).value)
    belief = practice.informed_belief(market, clue)

    run("a", 0, 30)

    market = Market.objects.get(pk=market.pk)
    assert bot_trades() >= 1
    # Between the prior's 100 and the bot's belief (give or take the jitter of what it shows, a quarter of its
    # give-or-take), nearer the belief as it trades on.
    slack = 4 * 0.25 * belief.sd + 1
    assert min(100, belief.mean) - slack <= market.mean <= max(100, belief.mean) + slack
    assert abs(market.mean - belief.mean) < abs(100 - belief.mean)


def test_an_informed_bot_without_a_clue_trades_as_noise(host, game, open_market):
    add(host, game, knowledge="informed")

    assert run("a", 0, 30) > 0


def test_a_refused_trade_is_skipped_not_a_crash(host, game, open_market, monkeypatch):
    bot = add(host, game)[0]
    monkeypatch.setattr(practice, "decide", lambda *args: Order("toward", mean=Decimal(100), sd=Decimal(100)))

    assert run("a", 0, 30) == 0  # the prior already: no_move, every step
    assert PracticeTrader.objects.get(pk=bot.pk).step >= 3


# -- on the boards ---------------------------------------------------------------------------------------


def test_bots_are_marked_in_the_players_the_board_rows_and_the_feed(host, game, open_market, alice):
    add(host, game, count=2)
    run("a", 0, 20)

    assert {p["nickname"]: p["is_bot"] for p in screens.players(game.pk)} == {
        "Alice": False,
        "Bot Ada": True,
        "Bot Babbage": True,
    }
    game = services.set_include_bots(host, game, include_bots=True)  # on the boards only when included
    rows = shapes.standings(queries.game_leaderboard(game))
    assert {r["nickname"]: r["is_bot"] for r in rows} == {"Alice": False, "Bot Ada": True, "Bot Babbage": True}
    assert all(line["is_bot"] for line in screens.recent_trades(Market.objects.get(pk=open_market.pk)))


def bot_wins(host, game, open_market, alice):
    """A bot that trades to near the answer, Alice who does not trade, then the answer 150."""
    bot = add(host, game)[0]
    services.place_trade(bot.player, open_market.pk, Order("toward", mean=150, sd=10), idempotency_key="x")
    services.close_market(host, open_market.pk)
    services.resolve_market(host, open_market.pk, 150)
    return bot


def test_the_podium_leaves_bots_out_unless_the_host_includes_them(host, game, open_market, alice):
    bot = bot_wins(host, game, open_market, alice)
    game.refresh_from_db()

    assert [(s.nickname, s.rank) for s in queries.podium(game)] == [("Alice", 1)]
    assert queries.podium(game).bots_left_out == 1
    game = services.set_include_bots(host, game, include_bots=True)
    assert [s.nickname for s in queries.podium(game)] == [bot.player.nickname, "Alice"]
    assert queries.podium(game).bots_left_out == 0


def test_every_board_ranks_the_seats_the_podium_counts(host, game, open_market, alice):
    """One rule on every board (mmgame.queries.leaderboards.ranked): a phone's place in a market, on the
    game's board and at the podium is one number, the practice traders left out unless included."""
    bot = bot_wins(host, game, open_market, alice)
    services.finish_game(host, game)

    board = screens.leaderboard(game.pk)
    top = board.top(complete=False, names=True)
    key = str(open_market.pk)
    assert (board.mine(alice.pk)["markets"][key]["rank"], top["counts"]["markets"][key]) == (1, 1)
    assert (board.mine(alice.pk)["game"]["rank"], top["counts"]["game"]) == (1, 1)  # "rank 1 of 1"
    assert [row["nickname"] for row in top["game"]] == [row["nickname"] for row in top["markets"][key]] == ["Alice"]
    assert top["bots_left_out"] == 1
    assert board.mine(bot.player_id)["game"] is None
    services.set_include_bots(host, game, include_bots=True)
    board = screens.leaderboard(game.pk)
    top = board.top(complete=False, names=True)
    assert board.mine(alice.pk)["game"]["rank"] == board.mine(alice.pk)["markets"][key]["rank"] == 2
    assert (top["counts"]["game"], top["bots_left_out"]) == (2, 0)


def test_the_all_time_board_leaves_bots_out_unless_the_host_includes_them(host, game, open_market, alice):
    bot = bot_wins(host, game, open_market, alice)

    assert [s.nickname for s in queries.all_time_leaderboard(host)] == ["Alice"]
    services.set_include_bots(host, game, include_bots=True)
    standings = queries.all_time_leaderboard(host)
    assert [(s.nickname, s.is_bot) for s in standings] == [(bot.player.nickname, True), ("Alice", False)]


@pytest.mark.django_db(transaction=True)
def test_two_processes_ticking_at_once_trade_each_due_bot_once(host, game, open_market):
    """The race for real, on threads with their own connections (run on PostgreSQL too, docs/architecture.md §
    Pitfalls)."""
    import threading

    from django.db import connection

    add(host, game, count=10)
    PracticeTrader.objects.update(next_trade_at=T0)
    barrier, made, failures = threading.Barrier(2), {}, []

    def process(owner: str) -> None:
        try:
            barrier.wait(10)
            made[owner] = services.run_due(owner, T0)
        except BaseException as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=process, args=(owner,), daemon=True) for owner in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert not failures, failures
    assert sum(made.values()) == bot_trades() == 10
    keys = Trade.objects.filter(player__is_bot=True).values_list("idempotency_key", flat=True)
    assert len(set(keys)) == 10
