"""Autopilot (docs/round.md § Autopilot): the round steps itself when a phase's time is up, on a clock the tests
move; the host holds, extends and skips; a restart carries on from the database; one process steps a game."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from mmgame import round, services
from mmgame.market import MarketError
from mmgame.models import Game, Market, Trade
from mmgame.services import autopilot
from mmgame.services.errors import InvalidTransition
from tests.nested import one_database

from .ledger import target

pytestmark = pytest.mark.django_db

P = Market.Phase
SERVER_A, SERVER_B = "pid1-serverA", "pid2-serverB"
NOTICED = 1  # a step by the host (Start) gets its time at the runner's next tick, a second later


class Clock:
    """The tests' clock: each server's runner ticks once a second of it."""

    def __init__(self) -> None:
        self.now = timezone.now().replace(microsecond=0)
        self.start = self.now

    def tick(self, owner: str = SERVER_A, seconds: int = 1) -> int:
        taken = 0
        for _ in range(seconds):
            self.now += timedelta(seconds=1)
            taken += autopilot.run_due(owner, self.now)
        return taken

    @property
    def elapsed(self) -> float:
        return (self.now - self.start).total_seconds()


@pytest.fixture
def clock() -> Clock:
    return Clock()


def lesson(host, game, count: int = 5, **fields) -> list[Market]:
    """A lesson of `count` questions, the answers entered in advance; every other one asks no first guess."""
    return [
        services.add_market(
            host, game, question=f"Question {n}?", lo=0, hi=300, answer=100 + n, first_guess=n % 2 == 1, **fields
        )
        for n in range(1, count + 1)
    ]


def fresh(row):
    return type(row).objects.get(pk=row.pk)


def start(host, game, markets: list[Market], clock: Clock, **seconds) -> None:
    """The host turns autopilot on and presses Start (the first question): the last click of the lesson."""
    services.autopilot.set_autopilot(host, game, on=True, seconds=seconds or None, now=clock.now)
    services.show_market(host, markets[0].pk)


def until(clock: Clock, done, limit: int = 3600, owner: str = SERVER_A, game: Game | None = None) -> float:
    """Tick each second until `done`; given the game, the seconds in which nothing is due pass at once (the
    runner ticks in them and finds nothing to do: the tests that tick every second show it)."""
    while not done():
        assert clock.elapsed < limit, "autopilot did not get there"
        at = game and fresh(game).autopilot_at
        if at and at - clock.now > timedelta(seconds=1):
            clock.now = at - timedelta(seconds=1)
        clock.tick(owner)
    return clock.elapsed


# -- the table --------------------------------------------------------------------------------------------


def test_the_defaults_make_a_question_about_two_minutes_and_five_at_most_twelve():
    seconds = round.default_seconds()
    with_guesses = round.round_seconds(seconds, round.Facts(first_guess=True))
    without = round.round_seconds(seconds, round.Facts(first_guess=False))
    assert with_guesses == 125 and without == 85
    assert 5 * with_guesses <= 12 * 60


def test_a_new_game_is_stepped_by_hand(host, game, market, clock):
    services.show_market(host, market.pk)
    clock.tick(seconds=120)
    assert fresh(market).phase == P.QUESTION
    assert not fresh(game).autopilot


# -- a whole lesson ---------------------------------------------------------------------------------------


@one_database
def test_a_five_question_lesson_runs_from_its_first_question_to_the_podium_with_no_click(host, game, clock):
    markets = lesson(host, game)
    start(host, game, markets, clock)
    seen: list[tuple[int, str]] = []

    def finished() -> bool:
        shown = fresh(game)
        if shown.current_market_id and (not seen or seen[-1] != (shown.current_market_id, phase_of(shown))):
            seen.append((shown.current_market_id, phase_of(shown)))
        return shown.status == Game.Status.FINISHED

    took = until(clock, finished, game=game)
    # Three questions ask for first guesses (125 s each), two do not (85 s each): 545 s, from the first tick
    # after Start (the runner notices the question a second later at most).
    assert took == NOTICED + 3 * 125 + 2 * 85
    assert [m.phase for m in map(fresh, markets)] == [P.LESSON] * 5
    assert all(m.status == Market.Status.RESOLVED for m in map(fresh, markets))
    first = [phase for market_id, phase in seen if market_id == markets[0].pk]
    assert first == [P.QUESTION, P.GUESS, P.GUESSES, P.TRADING, P.ANSWER, P.LESSON]  # closed steps on at once
    assert [market_id for market_id, _ in seen if _ == P.QUESTION] == [m.pk for m in markets]


def phase_of(game: Game) -> str:
    return Market.objects.get(pk=game.current_market_id).phase


@one_database
def test_each_phase_takes_the_time_the_host_set(host, game, clock):
    markets = lesson(host, game, count=1)
    start(host, game, markets, clock, question=5, guess=20, guesses=3, trading=60, answer=4, lesson=6)
    assert until(clock, lambda: fresh(markets[0]).phase == P.GUESS) == NOTICED + 5
    assert until(clock, lambda: fresh(markets[0]).phase == P.TRADING) == NOTICED + 5 + 20 + 3
    assert until(clock, lambda: fresh(markets[0]).phase == P.ANSWER) == NOTICED + 5 + 20 + 3 + 60
    assert until(clock, lambda: fresh(game).status == Game.Status.FINISHED) == NOTICED + 5 + 20 + 3 + 60 + 4 + 6


def test_a_market_with_times_of_its_own_runs_on_them(host, game, clock):
    markets = lesson(host, game, count=2)
    services.autopilot.set_market_seconds(host, markets[1].pk, seconds={"question": 40})
    start(host, game, markets, clock)
    until(clock, lambda: fresh(markets[1]).phase == P.QUESTION, game=game)
    shown_at = clock.elapsed
    assert until(clock, lambda: fresh(markets[1]).phase == P.TRADING, game=game) == shown_at + 40


def test_every_screen_is_sent_the_deadline_with_the_game(host, game, clock):
    markets = lesson(host, game, count=1)
    start(host, game, markets, clock)
    clock.tick()
    sent = services_game_state(game)
    assert sent["on"] is True and sent["held"] is False
    assert datetime.fromisoformat(sent["at"]) == clock.now + timedelta(seconds=15)


def services_game_state(game: Game) -> dict:
    from mmgame.queries.shapes import game_state

    return game_state(fresh(game))["autopilot"]


def test_a_step_by_the_host_gives_the_new_phase_its_full_time(host, game, clock):
    markets = lesson(host, game, count=1)
    start(host, game, markets, clock)
    clock.tick(seconds=10)
    services.step_market(host, markets[0].pk, phase=P.GUESS)  # Next by hand, 5 s before the question's end
    clock.tick()
    assert fresh(game).autopilot_at == clock.now + timedelta(seconds=30)
    assert until(clock, lambda: fresh(markets[0]).phase == P.GUESSES) == 11 + 30


# -- the host's hands: hold, +30 s, skip ------------------------------------------------------------------


def test_hold_stops_the_time_and_going_on_keeps_what_was_left(host, game, clock):
    markets = lesson(host, game, count=1)
    start(host, game, markets, clock)
    clock.tick(seconds=5)  # 15 s for the question, armed at the first tick: 11 s left
    services.autopilot.hold(host, game, held=True, now=clock.now)
    assert fresh(game).autopilot_left == 11
    clock.tick(seconds=60)
    assert fresh(markets[0]).phase == P.QUESTION
    services.autopilot.hold(host, game, held=False, now=clock.now)
    held_until = clock.elapsed
    assert until(clock, lambda: fresh(markets[0]).phase == P.GUESS) == held_until + 11


def test_plus_thirty_seconds_extends_the_phase_on_screen(host, game, clock):
    markets = lesson(host, game, count=1)
    start(host, game, markets, clock)
    clock.tick()
    services.autopilot.extend(host, game, now=clock.now)
    assert until(clock, lambda: fresh(markets[0]).phase == P.GUESS) == 1 + 15 + 30


def test_plus_thirty_seconds_while_held_adds_to_what_is_kept(host, game, clock):
    markets = lesson(host, game, count=1)
    start(host, game, markets, clock)
    clock.tick()
    services.autopilot.hold(host, game, held=True, now=clock.now)
    services.autopilot.extend(host, game, now=clock.now)
    assert fresh(game).autopilot_left == 45


def test_skip_steps_now_and_starts_the_next_phases_time(host, game, clock):
    markets = lesson(host, game, count=1)
    start(host, game, markets, clock)
    clock.tick()
    services.autopilot.skip(host, game, now=clock.now)
    assert fresh(markets[0]).phase == P.GUESS
    assert fresh(game).autopilot_at == clock.now + timedelta(seconds=30)


def test_skip_after_the_last_lesson_shows_the_podium_where_no_clock_runs(host, game, clock):
    markets = lesson(host, game, count=1)
    start(host, game, markets, clock)
    until(clock, lambda: fresh(markets[0]).phase == P.LESSON, game=game)
    services.autopilot.skip(host, game, now=clock.now)
    assert fresh(game).status == Game.Status.FINISHED
    assert services_game_state(game)["at"] is None


def test_hold_extend_and_skip_need_autopilot_on(host, game, market):
    services.show_market(host, market.pk)
    for act in (lambda: services.autopilot.hold(host, game, held=True), lambda: services.autopilot.extend(host, game)):
        with pytest.raises(InvalidTransition):
            act()
    with pytest.raises(InvalidTransition):
        services.autopilot.skip(host, game)
    assert fresh(market).phase == P.QUESTION


# -- the same checks as Next ------------------------------------------------------------------------------


def test_a_market_with_no_answer_in_advance_holds_at_its_close_and_says_why(host, game, clock):
    market = services.add_market(host, game, question="How tall is the tree?", lo=0, hi=50, first_guess=False)
    start(host, game, [market], clock)
    until(clock, lambda: fresh(market).phase == P.CLOSED)
    clock.tick(seconds=60)
    shown = fresh(game)
    assert fresh(market).phase == P.CLOSED
    assert shown.autopilot_held and "true value" in shown.autopilot_note
    services.set_answer(host, market.pk, 12)  # the host types it, and lets the time run on
    services.autopilot.hold(host, game, held=False, now=clock.now)
    clock.tick()
    assert fresh(market).phase == P.ANSWER
    assert fresh(game).autopilot_note == "" and not fresh(game).autopilot_held


def test_skip_at_a_close_with_no_answer_is_refused_with_the_reason(host, game, clock):
    market = services.add_market(host, game, question="How tall is the tree?", lo=0, hi=50, first_guess=False)
    start(host, game, [market], clock)
    until(clock, lambda: fresh(market).phase == P.CLOSED)
    with pytest.raises(MarketError) as refused:
        services.autopilot.skip(host, game, now=clock.now)
    assert refused.value.details["field"] == "outcome"
    assert fresh(market).phase == P.CLOSED


# -- a restart, and two servers ---------------------------------------------------------------------------


def test_after_a_restart_another_process_reads_the_deadline_back_and_carries_on(host, game, clock):
    markets = lesson(host, game, count=2)
    start(host, game, markets, clock)
    until(clock, lambda: fresh(markets[0]).phase == P.TRADING)
    deadline = fresh(game).autopilot_at
    # Server A stops here (a restart): its lease runs out, and a fresh runner takes the game over.
    until(clock, lambda: fresh(game).lease_owner == SERVER_B, owner=SERVER_B)
    assert clock.elapsed <= 125 and fresh(game).autopilot_at == deadline  # nothing stepped, nothing lost
    took = until(clock, lambda: fresh(game).status == Game.Status.FINISHED, owner=SERVER_B)
    assert took == NOTICED + 125 + 85  # on time: the deadlines were the database's, not the process's
    assert [m.phase for m in map(fresh, markets)] == [P.LESSON, P.LESSON]


def test_two_processes_ticking_at_once_step_a_game_once(host, game, clock):
    markets = lesson(host, game, count=1)
    start(host, game, markets, clock)
    clock.tick(SERVER_A)  # A holds the game's lease now
    for _ in range(14):
        clock.now += timedelta(seconds=1)
        assert autopilot.run_due(SERVER_B, clock.now) == 0  # B ticks first each second: not its game
        autopilot.run_due(SERVER_A, clock.now)
    assert fresh(markets[0]).phase == P.QUESTION
    clock.now += timedelta(seconds=1)
    assert autopilot.run_due(SERVER_B, clock.now) == 0
    assert autopilot.run_due(SERVER_A, clock.now) == 1
    assert fresh(markets[0]).phase == P.GUESS  # one step, not two
    assert fresh(game).lease_owner == SERVER_A


# -- bad input --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "seconds",
    [{"question": -5}, {"question": 0}, {"trading": float("nan")}, {"trading": 10**9}, {"answer": 12.5},
     {"answer": True}, {"closed": 10}, {"podium": 10}, {"question": "15"}, ["question", 15]],
)  # fmt: skip
def test_times_out_of_bounds_are_refused_and_change_nothing(host, game, seconds):
    with pytest.raises(MarketError) as refused:
        services.autopilot.set_autopilot(host, game, on=True, seconds=seconds)
    assert refused.value.details["field"].startswith("seconds")
    assert not fresh(game).autopilot and fresh(game).autopilot_seconds == {}


def test_another_hosts_game_is_not_theirs_to_run(other_host, game):
    with pytest.raises(services.NotFound):
        services.autopilot.set_autopilot(other_host, game, on=True)
    assert not fresh(game).autopilot


# -- a class ----------------------------------------------------------------------------------------------


@one_database
def test_a_class_of_eight_with_practice_traders_runs_to_the_podium_through_a_restart(host, game, clock):
    """Eight phones guess and trade, informed practice traders trade on their clues; the host's only click is
    Start. Half way the server restarts (a new process, a new owner name): the lesson carries on on time."""
    markets = lesson(host, game, clue_noise=10)
    phones = [services.join_game(game.join_code, f"Student {n}") for n in range(1, 9)]
    services.add_practice_traders(host, game, count=4, knowledge="informed", now=clock.now)
    start(host, game, markets, clock, question=3, guess=14, guesses=2, trading=21, answer=2, lesson=2)
    owner = SERVER_A

    def tick() -> None:
        clock.now += timedelta(seconds=1)
        services.watched([game.pk], clock.now)  # the wall and the phones are connected
        autopilot.run_due(owner, clock.now)
        services.run_due(owner, clock.now)  # the practice traders, on the same runner
        shown = fresh(game).current_market
        if shown is not None and shown.phase in (P.GUESS, P.TRADING) and clock.elapsed % 7 == 0:
            phone = phones[int(clock.elapsed) % len(phones)]
            if shown.phase == P.GUESS:
                services.submit_guess(phone, shown.pk, target(120, 40), now=clock.now)
            elif shown.status == Market.Status.OPEN:
                services.place_trade(phone, shown.pk, target(90 + clock.elapsed % 40, 30),
                                     idempotency_key=f"k{clock.elapsed}")  # fmt: skip

    while fresh(game).status != Game.Status.FINISHED:
        assert clock.elapsed < 15 * 60
        if clock.elapsed == 80:  # the restart: the old process's lease runs out, a new one takes over
            owner = SERVER_B
        tick()
    assert clock.elapsed <= NOTICED + 3 * 44 + 2 * 28 + 10  # at most one lease late, after the restart
    assert fresh(game).lease_owner == SERVER_B
    traded = Trade.objects.filter(market__game=game)
    assert traded.filter(player__is_bot=True).exists() and traded.filter(player__is_bot=False).exists()
    assert all(m.status == Market.Status.RESOLVED for m in map(fresh, markets))


@pytest.mark.django_db(transaction=True)
def test_two_processes_ticking_at_the_same_instant_step_a_due_game_once(host, game):
    """The race for real, on threads with their own connections (on PostgreSQL too: tests/services/
    test_on_postgres.py runs this suite there)."""
    import threading

    from django.db import connection

    markets = lesson(host, game, count=1)
    services.autopilot.set_autopilot(host, game, on=True)
    services.show_market(host, markets[0].pk)
    now = timezone.now()
    autopilot.tick(game.pk, now)  # the question's time starts; nobody holds the lease yet
    due = now + timedelta(seconds=15)
    barrier, taken, failures = threading.Barrier(2), {}, []

    def process(owner: str) -> None:
        try:
            barrier.wait(10)
            taken[owner] = autopilot.run_due(owner, due)
        except BaseException as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=process, args=(owner,), daemon=True) for owner in (SERVER_A, SERVER_B)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert not failures, failures
    assert sorted(taken.values()) == [0, 1]  # one process stepped it, the other found it not its own
    assert fresh(markets[0]).phase == P.GUESS  # one step: not on to the revealed guesses
    assert fresh(game).lease_owner == next(owner for owner, steps in taken.items() if steps)
