"""The round as a show (docs/round.md): the host steps a market through its phases with Next and Back; what cannot
be undone needs a confirmation; the answer entered in advance settles the market; every step is news."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mmgame import services
from mmgame.market import MarketError, Order
from mmgame.models import Game, Market

from .ledger import fresh_key, rows, target

pytestmark = pytest.mark.django_db

P = Market.Phase


def now(market: Market) -> Market:
    return Market.objects.get(pk=market.pk)


def step(host, market: Market, phase: str, **options) -> Market:
    services.step_market(host, market.pk, phase=phase, **options)
    return now(market)


def walk(host, market: Market, *phases: str, **options) -> Market:
    """Step through `phases`, confirming what needs it."""
    for phase in phases:
        market = step(host, market, phase, confirm=True, **options)
    return market


def trade(player, market: Market, mean: float = 120, sd: float = 40) -> None:
    services.place_trade(player, market.pk, target(mean, sd), idempotency_key=fresh_key())


@pytest.fixture
def no_guess(host, game):
    """A market that asks for no first guess."""
    return services.add_market(host, game, question="How long is the corridor?", lo=0, hi=50, first_guess=False)


@pytest.fixture
def with_answer(host, game):
    """A market whose answer the host entered in advance."""
    return services.add_market(host, game, question="How old is the school?", lo=0, hi=200, answer=137)


# -- every forward step -------------------------------------------------------------------------------


def test_next_takes_a_market_with_a_first_guess_through_every_phase(host, game, market, alice, bob):
    seen = [(now(market).phase, now(market).status)]
    for phase in (P.QUESTION, P.GUESS, P.GUESSES, P.TRADING, P.CLOSED, P.ANSWER, P.LESSON):
        if phase == P.GUESSES:
            services.submit_guess(alice, market.pk, target(150, 30))
        if phase == P.CLOSED:
            trade(bob, market)
        m = step(host, market, phase, confirm=True, outcome=140)
        seen.append((m.phase, m.status))

    assert seen == [
        ("draft", "draft"),
        ("question", "draft"),
        ("guess", "draft"),
        ("guesses", "draft"),
        ("trading", "open"),
        ("closed", "closed"),
        ("answer", "resolved"),
        ("lesson", "resolved"),
    ]
    m = now(market)
    assert m.outcome == Decimal(140) and m.resolved_at is not None
    assert Game.objects.get(pk=game.pk).current_market_id == market.pk


def test_next_phase_names_each_next_step(host, market, no_guess):
    assert services.next_phase(now(market)) == P.QUESTION
    assert services.next_phase(walk(host, market, P.QUESTION)) == P.GUESS
    assert services.next_phase(walk(host, no_guess, P.QUESTION)) == P.TRADING  # (market 1 was not trading)
    assert services.next_phase(walk(host, market, P.GUESS)) == P.GUESSES
    assert services.next_phase(walk(host, market, P.GUESSES)) == P.TRADING
    assert services.next_phase(walk(host, market, P.TRADING)) == P.CLOSED
    assert services.next_phase(walk(host, market, P.CLOSED)) == P.ANSWER
    assert services.next_phase(walk(host, market, P.ANSWER, outcome=100)) == P.LESSON
    assert services.next_phase(walk(host, market, P.LESSON)) is None  # then the next question, or the podium


def test_a_market_without_a_first_guess_goes_from_its_question_to_trading(host, game, no_guess):
    m = walk(host, no_guess, P.QUESTION, P.TRADING)

    assert (m.phase, m.status) == ("trading", "open")
    with pytest.raises(services.InvalidTransition):
        step(host, walk(host, no_guess, P.CLOSED), P.GUESS)


def test_a_market_without_a_first_guess_takes_none(host, no_guess):
    m = walk(host, no_guess, P.QUESTION)

    with pytest.raises(services.InvalidTransition) as refused:
        step(host, m, P.GUESS)

    assert refused.value.details == {"phase": "question", "next": "trading", "back": None}
    assert now(m).phase == P.QUESTION


def test_a_trade_before_trading_opens_is_not_open_and_a_draft_not_found(host, market, alice):
    with pytest.raises(services.NotFound):
        trade(alice, market)
    for phase in (P.QUESTION, P.GUESS, P.GUESSES):
        m = walk(host, market, phase)
        with pytest.raises(services.MarketNotOpen):
            trade(alice, m)
    assert not m.positions.exists()


def test_the_first_guess_is_optional_even_when_the_market_asks_for_one(host, market):
    m = walk(host, market, P.QUESTION, P.TRADING)

    assert (m.phase, m.status) == ("trading", "open")


def test_showing_the_first_question_starts_the_game_and_makes_it_current(host, game, market):
    step(host, market, P.QUESTION)

    game = Game.objects.get(pk=game.pk)
    assert (game.status, game.current_market_id) == ("playing", market.pk)


def test_a_step_is_a_whole_step_no_skipping(host, market):
    for phase in (P.GUESSES, P.TRADING, P.CLOSED, P.ANSWER, P.LESSON):
        with pytest.raises(services.InvalidTransition) as refused:
            step(host, market, phase, confirm=True, outcome=5)
        assert refused.value.details == {"phase": "draft", "next": "question", "back": None}
    assert now(market).phase == P.DRAFT


def test_an_unknown_phase_is_refused_with_its_field(host, market):
    with pytest.raises(MarketError) as refused:
        step(host, market, "podium")

    assert refused.value.details == {"field": "phase"}


# -- back ----------------------------------------------------------------------------------------------


def test_back_from_the_first_guess_to_the_question(host, market):
    m = walk(host, market, P.QUESTION, P.GUESS)
    assert services.back_phase(m, traded=False) == P.QUESTION

    m = step(host, m, P.QUESTION)

    assert (m.phase, m.status, m.closes_at) == ("question", "draft", None)


def guessed(m: Market, name: str = "Gus") -> None:
    services.submit_guess(services.join_game(m.game.join_code, name), m.pk, Order("target", mean=150, sd=50))


def test_back_from_trading_before_any_trade_to_the_guesses(host, market):
    m = walk(host, market, P.QUESTION, P.GUESS)
    guessed(m)
    m = walk(host, m, P.GUESSES, P.TRADING)
    assert services.back_phase(m, traded=False) == P.GUESSES

    m = step(host, m, P.GUESSES, confirm=True)

    assert (m.phase, m.status) == ("guesses", "draft")


def test_back_from_trading_skips_no_reveal(host, market):
    """A market that asks for first guesses goes back to their reveal, never to its question (from which Next
    would take the guesses again, after everyone has seen them). With no guess given, the question it is."""
    m = walk(host, market, P.QUESTION, P.GUESS)
    guessed(m)
    m = walk(host, m, P.GUESSES, P.TRADING)

    with pytest.raises(services.InvalidTransition) as refused:
        step(host, m, P.QUESTION)

    assert refused.value.details["back"] == P.GUESSES
    assert now(m).phase == P.TRADING


def test_back_from_trading_before_any_trade_to_the_question_without_a_first_guess(host, no_guess):
    m = walk(host, no_guess, P.QUESTION, P.TRADING)
    assert services.back_phase(m, traded=False) == P.QUESTION

    m = step(host, m, P.QUESTION)

    assert (m.phase, m.status) == ("question", "draft")
    assert services.next_phase(m) == P.TRADING


def test_back_from_trading_is_refused_after_a_trade(host, no_guess, alice):
    m = walk(host, no_guess, P.QUESTION, P.TRADING)
    trade(alice, m, mean=20, sd=8)
    m = now(m)
    assert services.back_phase(m, traded=True) is None
    before = rows()

    with pytest.raises(services.InvalidTransition) as refused:
        step(host, m, P.QUESTION)

    assert refused.value.details == {"phase": "trading", "next": "closed", "back": None}
    assert rows() == before


def test_back_from_closed_to_trading(host, no_guess, alice):
    m = walk(host, no_guess, P.QUESTION, P.TRADING)
    trade(alice, m, mean=20, sd=8)
    m = walk(host, m, P.CLOSED)

    m = step(host, m, P.TRADING)

    assert (m.phase, m.status) == ("trading", "open")


def test_back_from_trading_to_the_guesses_asks_for_a_confirmation(host, market):
    """Guesses taken, then back to the question and straight to trading: going back to the guesses would
    reveal them for the first time."""
    m = walk(host, market, P.QUESTION, P.GUESS)
    services.submit_guess(services.join_game(m.game.join_code, "Gus"), m.pk, Order("target", mean=150, sd=50))
    m = walk(host, m, P.QUESTION, P.TRADING)

    with pytest.raises(services.NeedsConfirmation):
        step(host, m, P.GUESSES)
    assert step(host, m, P.GUESSES, confirm=True).phase == P.GUESSES


def test_back_from_the_lesson_to_the_answer(host, with_answer):
    m = walk(host, with_answer, P.QUESTION, P.GUESS, P.GUESSES, P.TRADING, P.CLOSED, P.ANSWER, P.LESSON)

    m = step(host, m, P.ANSWER)  # no confirmation: the answer is known already

    assert (m.phase, m.status, m.outcome) == ("answer", "resolved", Decimal(137))


def test_back_to_the_answer_does_not_settle_again(host, with_answer, alice):
    """The host revealed 42 instead of the 137 entered in advance: going back from the lesson shows 42 again
    and pays nobody twice (the answer's step settled the market; Back only changes what screens show)."""
    m = walk(host, with_answer, P.QUESTION, P.TRADING)
    trade(alice, m, mean=90, sd=45)
    m = walk(host, m, P.CLOSED, P.ANSWER, outcome=42)
    settled = (m.outcome, m.resolved_at, m.house_result, m.positions.get(player=alice).payout)
    m = walk(host, m, P.LESSON)

    m = step(host, m, P.ANSWER, outcome=99)

    assert (m.outcome, m.resolved_at, m.house_result, m.positions.get(player=alice).payout) == settled
    assert settled[0] == Decimal(42)


def test_back_to_the_answer_of_a_market_with_no_answer_in_advance(host, no_guess):
    m = walk(host, no_guess, P.QUESTION, P.TRADING, P.CLOSED, P.ANSWER, P.LESSON, outcome=30)

    m = step(host, m, P.ANSWER)

    assert (m.phase, m.outcome) == ("answer", Decimal(30))


@pytest.mark.parametrize("at", [P.GUESSES, P.ANSWER])
def test_back_is_refused_from_what_cannot_be_undone(host, with_answer, at):
    path = [P.QUESTION, P.GUESS, P.GUESSES, P.TRADING, P.CLOSED, P.ANSWER]
    m = walk(host, with_answer, *path[: path.index(at) + 1])
    assert services.back_phase(m, traded=False) is None
    before = rows()

    for phase in path[: path.index(at)]:
        with pytest.raises(services.InvalidTransition):
            step(host, m, phase, confirm=True)

    assert rows() == before


# -- a repeated step changes nothing ------------------------------------------------------------------


@pytest.mark.parametrize("at", [P.QUESTION, P.GUESS, P.GUESSES, P.TRADING, P.CLOSED, P.ANSWER, P.LESSON])
def test_asking_again_for_the_phase_it_is_in_changes_nothing(host, with_answer, at, django_capture_on_commit_callbacks):
    path = [P.QUESTION, P.GUESS, P.GUESSES, P.TRADING, P.CLOSED, P.ANSWER, P.LESSON]
    m = walk(host, with_answer, *path[: path.index(at) + 1])
    before = rows()

    with django_capture_on_commit_callbacks() as callbacks:
        again = step(host, m, at, confirm=True)

    assert again.sequence == m.sequence and rows() == before
    assert callbacks == []


def test_a_second_tab_revealing_another_answer_is_refused(host, no_guess, alice):
    """Issue 23: two tabs revealed 30 and 31; both got 200 and the market showed 30. The same value again is
    the same request (a double click); another is refused, naming the answer shown, and changes nothing."""
    m = walk(host, no_guess, P.QUESTION, P.TRADING)
    trade(alice, m, mean=25, sd=8)
    m = walk(host, m, P.CLOSED)
    first = step(host, m, P.ANSWER, confirm=True, outcome=30)
    before = rows()

    assert step(host, m, P.ANSWER, confirm=True, outcome=Decimal("30.0")).outcome == Decimal(30)
    with pytest.raises(services.InvalidTransition) as refused:
        step(host, m, P.ANSWER, confirm=True, outcome=31)

    assert refused.value.details["outcome"] == str(first.outcome) and rows() == before


# -- confirmations ------------------------------------------------------------------------------------


@pytest.mark.parametrize("to", [P.GUESSES, P.ANSWER])
def test_revealing_the_guesses_or_the_answer_needs_a_confirmation(host, with_answer, to):
    path = [P.QUESTION, P.GUESS, P.GUESSES, P.TRADING, P.CLOSED, P.ANSWER]
    m = walk(host, with_answer, *path[: path.index(to)])
    before = rows()

    with pytest.raises(services.NeedsConfirmation) as refused:
        step(host, m, to)

    assert refused.value.code == "confirm_needed"
    assert refused.value.details == {"phase": m.phase, "to": to}
    assert rows() == before
    assert step(host, m, to, confirm=True).phase == to


# -- the answer ---------------------------------------------------------------------------------------


def test_the_answer_settles_at_the_value_entered_in_advance(host, with_answer, alice):
    m = walk(host, with_answer, P.QUESTION, P.TRADING)
    trade(alice, m, mean=140, sd=20)
    m = walk(host, m, P.CLOSED, P.ANSWER)

    assert (m.status, m.outcome) == ("resolved", Decimal(137))
    assert m.positions.get(player=alice).payout is not None


def test_an_outcome_given_at_the_answer_wins_over_the_one_entered_in_advance(host, with_answer):
    m = walk(host, with_answer, P.QUESTION, P.TRADING, P.CLOSED)

    m = step(host, m, P.ANSWER, confirm=True, outcome=42)

    assert m.outcome == Decimal(42)


def test_the_answer_without_a_value_is_refused_on_the_outcome_field(host, no_guess):
    m = walk(host, no_guess, P.QUESTION, P.TRADING, P.CLOSED)
    before = rows()

    with pytest.raises(MarketError) as refused:
        step(host, m, P.ANSWER, confirm=True)

    assert refused.value.details == {"field": "outcome"}
    assert rows() == before
    assert step(host, m, P.ANSWER, confirm=True, outcome=60).outcome == Decimal(50)  # clamped into [0, 50]


def test_set_answer_enters_changes_and_clears_the_secret(host, no_guess):
    assert services.set_answer(host, no_guess.pk, 12.5).answer == Decimal("12.5")
    assert services.set_answer(host, no_guess.pk, 99).answer == Decimal(50)  # clamped as it would settle
    assert services.set_answer(host, no_guess.pk, None).answer is None
    assert now(no_guess).answer is None


def test_set_answer_is_refused_once_the_market_has_resolved(host, with_answer, alice):
    m = walk(host, with_answer, P.QUESTION, P.TRADING, P.CLOSED, P.ANSWER)

    with pytest.raises(services.InvalidTransition):
        services.set_answer(host, m.pk, 10)
    with pytest.raises(services.NotFound):
        services.set_answer(alice, m.pk, 10)
    assert now(m).answer == Decimal(137)


# -- one market trades at a time ----------------------------------------------------------------------


def test_showing_a_market_while_another_trades_is_refused_unless_close_others(host, game, market, no_guess):
    walk(host, no_guess, P.QUESTION, P.TRADING)
    before = rows()

    with pytest.raises(services.NeedsConfirmation) as refused:
        step(host, market, P.QUESTION)
    assert refused.value.details == {"still_trading": [no_guess.pk]}
    with pytest.raises(services.NeedsConfirmation):
        services.show_market(host, market.pk)
    assert rows() == before

    m = step(host, market, P.QUESTION, close_others=True)

    assert m.phase == P.QUESTION
    assert (now(no_guess).phase, now(no_guess).status) == ("closed", "closed")
    assert Game.objects.get(pk=game.pk).current_market_id == market.pk


def test_show_market_with_close_others_closes_the_one_trading(host, game, market, no_guess):
    walk(host, no_guess, P.QUESTION, P.TRADING)

    services.show_market(host, market.pk, close_others=True)

    assert now(market).phase == P.QUESTION and now(no_guess).phase == P.CLOSED
    assert Game.objects.get(pk=game.pk).current_market_id == market.pk


def test_show_market_brings_back_a_market_shown_before_at_its_phase(host, game, market, no_guess):
    walk(host, market, P.QUESTION, P.GUESS)
    walk(host, no_guess, P.QUESTION)
    assert Game.objects.get(pk=game.pk).current_market_id == no_guess.pk

    services.show_market(host, market.pk)

    assert Game.objects.get(pk=game.pk).current_market_id == market.pk
    assert now(market).phase == P.GUESS


def test_resolving_a_market_that_is_not_current_makes_it_current_at_its_answer(host, game, market, no_guess):
    walk(host, no_guess, P.QUESTION, P.TRADING, P.CLOSED)
    walk(host, market, P.QUESTION)
    assert Game.objects.get(pk=game.pk).current_market_id == market.pk

    services.resolve_market(host, no_guess.pk, 30)

    assert (now(no_guess).phase, now(no_guess).status) == ("answer", "resolved")
    assert Game.objects.get(pk=game.pk).current_market_id == no_guess.pk


def test_status_changes_set_the_phase_the_status_means(host, no_guess):
    assert services.open_market(host, no_guess.pk).phase == P.TRADING
    assert services.pause_market(host, no_guess.pk).phase == P.TRADING
    assert services.close_market(host, no_guess.pk).phase == P.CLOSED
    assert services.resolve_market(host, no_guess.pk, 7).phase == P.ANSWER


def test_a_finished_game_takes_no_step_but_to_the_answer_and_lesson(host, game, with_answer, no_guess):
    walk(host, with_answer, P.QUESTION, P.TRADING)
    services.finish_game(host, game)
    assert now(with_answer).phase == P.CLOSED

    with pytest.raises(services.InvalidTransition):
        step(host, no_guess, P.QUESTION)
    with pytest.raises(services.InvalidTransition):
        step(host, with_answer, P.TRADING)
    assert walk(host, with_answer, P.ANSWER, P.LESSON).phase == P.LESSON


# -- the host's alone ---------------------------------------------------------------------------------


def test_a_player_or_another_host_cannot_step_show_or_read_the_answer(host, other_host, market, alice):
    before = rows()
    for who in (alice, other_host):
        with pytest.raises(services.NotFound):
            services.step_market(who, market.pk, phase=P.QUESTION)
        with pytest.raises(services.NotFound):
            services.show_market(who, market.pk)
        with pytest.raises(services.NotFound):
            services.set_answer(who, market.pk, 5)
    assert rows() == before


# -- sequence and news --------------------------------------------------------------------------------


def test_every_step_takes_the_next_sequence_and_is_announced(
    host, game, with_answer, django_capture_on_commit_callbacks
):
    m = with_answer
    path = [P.QUESTION, P.GUESS, P.GUESSES, P.TRADING, P.CLOSED, P.ANSWER, P.LESSON, P.ANSWER]
    for expected, phase in enumerate(path, start=1):
        with django_capture_on_commit_callbacks() as callbacks:
            m = step(host, m, phase, confirm=True)
        assert m.sequence == expected, phase
        news = [callback.args[0] for callback in callbacks]
        market_news = {"kind": "market", "game": game.pk, "market": m.pk, "sequence": expected}
        if phase == P.QUESTION:  # the first question shown starts the game and is on every screen
            assert news == [market_news, {"kind": "game", "game": game.pk}], phase
        else:
            assert news == [market_news], phase


def test_a_refused_step_announces_nothing(host, market, django_capture_on_commit_callbacks):
    walk(host, market, P.QUESTION, P.GUESS)

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(services.NeedsConfirmation):
        step(host, market, P.GUESSES)

    assert callbacks == []


@pytest.mark.parametrize("answer", [0, -3, "many"])
def test_a_bad_answer_in_advance_is_refused_on_the_answer_field(host, game, answer):
    """On a log market a true value must be above 0; the refusal names the field the host typed in."""
    with pytest.raises(MarketError) as refused:
        services.add_market(host, game, question="Stars?", lo=1, hi=1e6, scale="log", answer=answer)
    assert refused.value.details["field"] == "answer"

    tuners = services.add_market(host, game, question="Tuners?", lo=1, hi=1e6, scale="log")
    with pytest.raises(MarketError) as refused:
        services.set_answer(host, tuners.pk, answer)
    assert refused.value.details["field"] == "answer"
    assert now(tuners).answer is None
