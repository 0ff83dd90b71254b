"""The round as a show: the host steps a market through its phases and keeps its answer secret; players
give their sealed first guesses (docs/round.md, docs/protocol.md §1.4)."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest
from ninja import Status

from mmgame import access, services
from mmgame.market import Order, gettext_noop
from mmgame.queries import rounds
from mmgame.queries.shapes import guess_state, market_state

from .auth import caller_of, host_auth, seat_auth
from .markets import exact, router, shown_market
from .numbers import ObjectId
from .schemas import (
    HOST,
    PLAYER,
    AnswerIn,
    AnswerOut,
    ClueOut,
    CluesIn,
    GuessIn,
    GuessOut,
    MarketOut,
    OpenIn,
    PhaseIn,
    PickIn,
    ReasonOut,
    TakingPartOut,
    replies,
)
from .trading import my_seat


@router.post(
    "/{market_id}/phase", auth=host_auth, response=replies({200: MarketOut}, *HOST), summary="Step the round (host)"
)
def step(request: HttpRequest, market_id: ObjectId, body: PhaseIn) -> dict:
    """Take the market to the next phase, or back one where nothing irreversible has happened. 409
    `invalid_status_change` names the allowed `next` and `back`; `confirm_needed` asks for `confirm`."""
    market = services.step_market(
        request.auth,  # type: ignore[attr-defined]
        market_id,
        phase=body.phase,
        outcome=body.outcome,
        confirm=body.confirm,
        close_others=body.close_others,
    )
    return market_state(market)


@router.post("/{market_id}/show", auth=host_auth, response=replies({200: MarketOut}, *HOST), summary="Show (host)")
def show(request: HttpRequest, market_id: ObjectId, body: OpenIn | None = None) -> dict:
    """Make this the market every screen shows: a draft goes to its question. A market still trading on
    screen is refused (409 `confirm_needed`) unless `close_others`, which closes it first."""
    close_others = bool(body and body.close_others)
    return market_state(services.show_market(request.auth, market_id, close_others=close_others))  # type: ignore[attr-defined]


def answer_of(request: HttpRequest, market_id: int) -> dict:
    seen, market = access.access_market(caller_of(request), market_id)
    access.require_host(seen)
    answer = access.secret_answer(seen, market)
    return {
        "market_id": market.pk,
        "answer": None if answer is None else float(answer),
        "answer_exact": None if answer is None else exact(Decimal(answer)),
    }


@router.get(
    "/{market_id}/answer", auth=host_auth, response=replies({200: AnswerOut}, *HOST), summary="The secret answer"
)
def read_answer(request: HttpRequest, market_id: ObjectId) -> dict:
    """The true value entered in advance: its host's alone."""
    return answer_of(request, market_id)


@router.post(
    "/{market_id}/answer", auth=host_auth, response=replies({200: AnswerOut}, *HOST), summary="Enter the answer"
)
def enter_answer(request: HttpRequest, market_id: ObjectId, body: AnswerIn) -> dict:
    """Enter the true value in advance (kept secret until the answer), change it, or clear it with null."""
    services.set_answer(request.auth, market_id, body.answer)  # type: ignore[attr-defined]
    return answer_of(request, market_id)


@router.post(
    "/{market_id}/clues", auth=host_auth, response=replies({200: MarketOut}, *HOST), summary="Private clues (host)"
)
def set_clues(request: HttpRequest, market_id: ObjectId, body: CluesIn) -> dict:
    """Hand out private clues drawn around the answer entered in advance (400 on the field `answer` without
    one), each off by about `noise`; null turns them off. Refused (409 `invalid_status_change`) once the
    clues are out, at the first guesses or trading. Each player reads their own clue alone, in their
    snapshot; nobody reads another's."""
    market = services.set_clues(request.auth, market_id, noise=body.noise, kind=body.kind)  # type: ignore[attr-defined]
    return market_state(market)


@router.get(
    "/{market_id}/clue",
    auth=seat_auth,
    tags=["trading"],
    response=replies({200: ClueOut}, *PLAYER),
    summary="My private clue",
)
def my_clue(request: HttpRequest, market_id: ObjectId) -> dict:
    """Your own private clue at this market, once the host hands them out (at the first guesses or trading);
    404 before, or when the market has none. Nobody reads another seat's clue."""
    seen, market = shown_market(request, market_id)
    access.require_seat(seen)
    clue = access.own_clue(seen, market)
    if clue is None:
        raise access.NotFound(gettext_noop("you have no clue in this market"))
    return {
        "market_id": market.pk,
        "clue": float(clue),
        "clue_exact": exact(Decimal(clue)),
        "noise": market.clue_noise,
        "kind": market.clue_noise_kind,
    }


@router.get(
    "/{market_id}/guess",
    auth=seat_auth,
    tags=["trading"],
    response=replies({200: GuessOut}, *PLAYER),
    summary="My guess",
)
def my_guess(request: HttpRequest, market_id: ObjectId) -> dict:
    market, player = my_seat(request, market_id)
    guess = rounds.own_guess(market, player.pk)
    if guess is None:
        raise access.NotFound(gettext_noop("you have not given a first guess in this market"))
    return guess_state(market, guess, rounds.own_reason(market, player.pk))


@router.post(
    "/{market_id}/guess",
    auth=seat_auth,
    tags=["trading"],
    response=replies({200: GuessOut}, *PLAYER),
    summary="Give my first guess",
)
def give_guess(request: HttpRequest, market_id: ObjectId, body: GuessIn) -> Status:
    """A sealed first guess, while the market is at `guess`: nobody else sees it until the host reveals the
    guesses. Giving it again replaces it. Refused with 409 `guessing_closed` in any other phase. Its
    `reason` is the host's alone until they pick it (400 `too_long` past 140 characters)."""
    _, player = my_seat(request, market_id)
    numbers = body.model_dump(exclude={"reason"})
    services.submit_guess(player, market_id, Order("target", **numbers), reason=body.reason)
    market = shown_market(request, market_id)[1]
    guess = rounds.own_guess(market, player.pk)
    return Status(200, guess_state(market, guess, rounds.own_reason(market, player.pk)))


@router.get(
    "/{market_id}/reasons",
    auth=host_auth,
    response=replies({200: list[ReasonOut]}, *HOST),
    summary="The reasons given with first guesses (host)",
)
def reasons(request: HttpRequest, market_id: ObjectId) -> list[dict]:
    """Every reason given with a first guess, and whether it is picked: the host's alone. A player is
    refused (403), and nobody else reads a reason until it is picked and the guesses are revealed."""
    seen, market = access.access_market(caller_of(request), market_id)
    access.every_reason(seen, market)
    return rounds.every_reason(market)


@router.post(
    "/{market_id}/reasons",
    auth=host_auth,
    response=replies({200: list[ReasonOut]}, *HOST),
    summary="Pick the reasons the wall shows (host)",
)
def pick_reasons(request: HttpRequest, market_id: ObjectId, body: PickIn) -> list[dict]:
    """Show these reasons (at most 3: 400 `too_many_reasons`) with the revealed guesses, and no others."""
    access.every_reason(*access.access_market(caller_of(request), market_id))
    services.pick_reasons(request.auth, market_id, body.picked)  # type: ignore[attr-defined]
    return reasons(request, market_id)


@router.get(
    "/{market_id}/taking-part",
    auth=host_auth,
    response=replies({200: list[TakingPartOut]}, *HOST),
    summary="Who has guessed and traded (host)",
)
def taking_part(request: HttpRequest, market_id: ObjectId) -> list[dict]:
    """For the control room: every player still in the game, whether they guessed and how often they traded."""
    seen, market = access.access_market(caller_of(request), market_id)
    access.require_host(seen)
    return rounds.participation(market)
