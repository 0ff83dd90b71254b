"""The round as a show (docs/round.md): the host steps the game's current market through its phases with Next
and Back, and every screen follows, because the phase is part of the market's row.

    question → first guess (sealed, optional) → guesses revealed → trading → closed → answer → lesson

Back works while nothing irreversible has happened: a first guess back to the question, trading with no
trade yet back to before it, a close back to trading, the lesson back to the answer. Revealing the
guesses and revealing the answer cannot be taken back, so they need `confirm`; so does showing another
market while the one on screen still trades (it is closed first: never silently).
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from mmgame import events, round
from mmgame.access import check_host
from mmgame.market import MarketError, gettext_noop
from mmgame.models import Game, Market, Trade

from . import clues
from .errors import InvalidTransition, NeedsConfirmation
from .lifecycle import (
    TRADING,
    P,
    S,
    close_other_markets,
    lock_hosted,
    make_current,
    same_outcome,
    set_status,
    settle_positions,
)
from .locks import lock_market


def facts(market: Market, *, traded: bool = False) -> round.Facts:
    """What the round's table needs to know of a market beyond its phase (mmgame.round.Facts)."""
    return round.Facts(first_guess=market.first_guess, guessed=market.guess_count > 0, traded=traded)


def next_phase(market: Market) -> str | None:
    """The phase Next takes this market to (None after the lesson: the next market or the podium)."""
    return round.next_phase(market.phase, facts(market))


def back_phase(market: Market, *, traded: bool) -> str | None:
    """The phase Back takes this market to, or None where nothing may be undone."""
    return round.back_phase(market.phase, facts(market, traded=traded))


def step_market(
    host: AbstractBaseUser,
    market_id: int,
    *,
    phase: str,
    outcome: object = None,
    confirm: bool = False,
    close_others: bool = False,
) -> Market:
    """Take the market to `phase`: one step forward or back. Asking for the phase it is in changes nothing
    (a double click on Next must not skip a step). `outcome` is the true value at the answer, when it was
    not entered in advance; `close_others` closes a market still trading when this one starts to."""
    if phase not in Market.Phase.values:
        raise MarketError(
            gettext_noop("the phase is one of %(values)s", values=", ".join(Market.Phase.values)), field="phase"
        )
    with transaction.atomic():
        market = lock_hosted(host, market_id)
        if market.phase == phase:
            if phase == P.ANSWER and outcome is not None:
                already_at(market, outcome)  # a second tab's other value must not read as revealed
            return market
        game = market.game
        if game.status == Game.Status.FINISHED and not round.PHASES[phase].answer_shown:
            raise InvalidTransition(gettext_noop("the game is finished"), phase=market.phase)
        # Forward: any step of the phase's row the market takes; Back: the one step the table names.
        row = round.PHASES[market.phase]
        traded = row.no_back_once == "traded" and Trade.objects.filter(market=market).exists()
        known = facts(market, traded=traded)
        forward = round.goes_forward(market.phase, phase, known)
        backward = phase == round.back_phase(market.phase, known)
        if not (forward or backward):
            raise InvalidTransition(
                gettext_noop("a market at %(phase)s cannot go to %(phase2)s", phase=market.phase, phase2=phase),
                phase=market.phase,
                next=round.next_phase(market.phase, known),
                back=round.back_phase(market.phase, known),
            )
        # Back from the lesson to its answer shows an answer everyone knows; back to the guesses may show
        # guesses never revealed (taken, then back to the question, then straight to trading): it asks too.
        if round.needs_confirm(phase, back=not forward) and not confirm:
            raise NeedsConfirmation(
                gettext_noop("this cannot be undone: ask again with confirm to reveal it"), phase=market.phase, to=phase
            )
        # What the step does follows from the statuses the table gives the two phases.
        status = round.status_of(phase)
        if market.phase == P.DRAFT:  # the question goes on every screen
            show(market, close_others=close_others)
        elif status == S.OPEN:  # opening, or reopening after a close
            close_other_markets(market, close_others)
            set_status(market, S.OPEN)
            make_current(market)
        elif status == S.RESOLVED and market.status != S.RESOLVED:  # the answer: the market settles
            reveal_answer(market, outcome)
        elif status != market.status:  # a close, or back to before trading (nothing traded: the prior stands)
            set_status(market, status, phase=phase)
        else:
            set_phase(market, phase)
        clues.hand_out(market)  # from the first guesses (or trading) on, every seat has its private clue
        return market


def set_phase(market: Market, phase: str) -> None:
    """A step that changes what screens show, not the market's status (row locked)."""
    market.phase = phase
    market.closes_at = None  # a first guess's timer ends with its phase
    market.sequence += 1
    market.save(update_fields=["phase", "closes_at", "sequence"])
    events.market_changed(market.game_id, market.pk, market.sequence)


def already_at(market: Market, outcome: object) -> None:
    """Revealing again at the value the market settled at is the same request; another value is refused,
    as resolving again is (mmgame.services.lifecycle.resolve_market)."""
    if not same_outcome(market, checked_answer(market, outcome, "outcome")):
        raise InvalidTransition(
            gettext_noop("the answer was revealed already: %(outcome)s", outcome=market.range.write(market.outcome)),
            outcome=str(market.outcome),
            field="outcome",
        )


def show(market: Market, *, close_others: bool) -> None:
    """A draft's question goes on every screen; a market still trading on screen is closed if the host said so."""
    current_id = market.game.current_market_id
    if current_id is not None and current_id != market.pk:
        current = Market.objects.select_for_update().filter(pk=current_id).first()
        if current is not None and current.status in TRADING:
            if not close_others:
                raise NeedsConfirmation(
                    gettext_noop(
                        "market %(number)s is still trading: close it first, or show this one with close_others",
                        number=current.number,
                    ),
                    still_trading=[current.pk],
                )
            set_status(current, S.CLOSED)
    set_phase(market, P.QUESTION)
    make_current(market)


def reveal_answer(market: Market, outcome: object) -> None:
    """Resolve at `outcome`, or at the answer the host entered in advance."""
    value = market.answer if outcome is None else outcome
    if value is None:
        raise MarketError(gettext_noop("type the true value to reveal the answer"), field="outcome")
    settle_positions(market, checked_answer(market, value, "outcome"))


def show_market(host: AbstractBaseUser, market_id: int, *, close_others: bool = False) -> Market:
    """Make a market the one every screen shows: a draft goes to its question; a market shown before comes
    back at the phase it is in (say, one left trading while another's answer was shown)."""
    with transaction.atomic():
        market = lock_market(market_id)
        check_host(host, market.game)
        if market.game.status == Game.Status.FINISHED:
            raise InvalidTransition(gettext_noop("the game is finished"))
        if market.phase == P.DRAFT:
            show(market, close_others=close_others)
        else:
            make_current(market)
        return market


def set_answer(host: AbstractBaseUser, market_id: int, answer: object) -> Market:
    """Enter (or change, or clear with None) the true value before the answer: the host's secret, read by no
    player's screen or API (mmgame.access.secret_answer). Refused once the market has resolved."""
    with transaction.atomic():
        market = lock_market(market_id)
        check_host(host, market.game)
        if market.status == S.RESOLVED:
            raise InvalidTransition(
                gettext_noop("the market has resolved: its answer is known"), market_status=market.status
            )
        market.answer = None if answer is None else checked_answer(market, answer)
        if market.answer is None and market.clue_noise is not None:
            if market.phase not in clues.SHOWN_BEFORE:
                raise InvalidTransition(
                    gettext_noop("the clues were drawn around this answer: it stays"), phase=market.phase
                )
            market.clue_noise = None  # no answer, no clues to draw around it
        market.save(update_fields=["answer", "clue_noise"])
        return market


def checked_answer(market: Market, answer: object, field: str = "answer") -> Decimal:
    """A true value as the market settles at it: clamped into the range, whole for counts; a tiny positive
    value on a log scale is clamped before it is rounded to the 20 places a column keeps."""
    return market.range.stored_outcome(answer, field)
