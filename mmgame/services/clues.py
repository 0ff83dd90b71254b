"""Private clues: what a market pools (docs/maths.md § Clues).

When the host knows the answer X in advance, each player may get a clue cᵢ = X + εᵢ with εᵢ ~ N(0, τ²)
independent — in ln x on a log market, where "±15 %" means τ = ln 1.15. τ is never a function of X: a
percent on a linear question is of the starting forecast's middle, an amount in the unit on a log question a
factor of the starting median — both public — so that the spread of a belief built on a clue (a practice
trader's, or a student's who trades exactly on theirs) tells nobody the answer (docs/practice-traders.md).
A clue is drawn from the market's
seed and the seat's id, so a player who joins late, or asks again, gets the same clue, and a test can
reproduce a classroom. Clues are handed out when the first guesses open (or trading, without them) and
to anyone who joins later; each player sees their own alone (mmgame.access.own_clue).
"""

from __future__ import annotations

import random
import secrets
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from mmgame import round
from mmgame.access import check_host
from mmgame.market import MarketError, finite, gettext_noop, stored_quantity
from mmgame.market.clue_noise import noise_sd
from mmgame.models import Clue, Market, Player

from .errors import InvalidTransition
from .locks import lock_market

# Clues go out when players start to forecast: at the first guesses, or at trading without them (the round's
# table says where: mmgame.round.PHASES, `clues`). Before then the host may still set them.
HANDED_OUT = round.where("clues")
SHOWN_BEFORE = tuple(phase for phase in round.PHASES if phase not in HANDED_OUT)


def draw(market: Market, player_id: int) -> Decimal:
    """The clue of one seat: the answer plus N(0, τ²) noise in y, drawn from (seed, seat), kept in the range
    (a clue is a reading of the quantity, and the quantity lies in the range)."""
    rng = market.range
    y = float(rng.y(Decimal(market.answer))) + random.Random(f"{market.clue_seed}:{player_id}").gauss(
        0.0, noise_sd(market)
    )
    y = min(max(y, float(rng.y_lo)), float(rng.y_hi))
    return rng.settle_at(stored_quantity(rng.point(Decimal(repr(y))), "clue"))


def hand_out(market: Market, players: list[Player] | None = None) -> int:
    """Inside a service's transaction (row locked): give every seat of the game (or `players`) that has none
    its clue. Kicked seats get none. Returns how many were handed out."""
    if market.clue_noise is None or market.answer is None or market.phase in SHOWN_BEFORE:
        return 0
    seats = players if players is not None else list(Player.objects.filter(game_id=market.game_id, kicked=False))
    have = set(Clue.objects.filter(market=market).values_list("player_id", flat=True))
    fresh = [Clue(market=market, player=p, value=draw(market, p.pk)) for p in seats if p.pk not in have]
    Clue.objects.bulk_create(fresh)
    return len(fresh)


def checked_noise(
    noise: object | None,
    kind: object,
    answer: object | None,
    *,
    log: bool = False,
    prior_mean: object = None,
    prior_sd: object = None,
) -> tuple[float | None, str]:
    """A clue noise as the market keeps it, or MarketError naming the field: above 0 (at most 1,000 %), in
    percent or in the unit, and only with the answer entered in advance (the clues are drawn around it). A
    percent on a linear question whose starting middle is within one give-or-take of 0 is refused: a percent
    of a number near 0 (a temperature near 0 °C) is nearly no error at all, and every clue would be the
    starting middle's neighbour, not a reading of the answer."""
    if noise is None:
        return None, Market.ClueNoise.PERCENT
    if kind not in Market.ClueNoise.values:
        raise MarketError(gettext_noop("the noise is in percent or in the unit"), field="clue_noise_kind")
    value = finite(noise, "clue_noise")
    if not value > 0 or (kind == Market.ClueNoise.PERCENT and value > 1000):
        raise MarketError(gettext_noop("a clue's typical error is above 0 (and at most 1,000 %)"), field="clue_noise")
    if answer is None:
        raise MarketError(
            gettext_noop("enter the answer in advance to hand out clues: they are drawn around it"),
            field="answer",
            rule="needs_answer",
        )
    near_zero = prior_mean is not None and prior_sd is not None and abs(float(prior_mean)) < float(prior_sd)
    if kind == Market.ClueNoise.PERCENT and not log and near_zero:
        raise MarketError(
            "clues off by a percent need a question whose starting middle is well away from 0 (a percent of a "
            "number near 0 is no error at all): give the clues' typical error in the unit instead, or start the "
            "forecast further from 0",
            field="clue_noise",
        )
    return value, str(kind)


def set_clues(
    host: AbstractBaseUser, market_id: int, *, noise: object | None, kind: str = Market.ClueNoise.PERCENT
) -> Market:
    """Turn private clues on (`noise`: the typical error, in percent or in the unit) or off (None), before
    any is handed out. Clues need the answer entered in advance."""
    with transaction.atomic():
        market = lock_market(market_id)
        check_host(host, market.game)
        if market.phase not in SHOWN_BEFORE:
            raise InvalidTransition(
                gettext_noop("clues are set before the first guesses or trading start"), phase=market.phase
            )
        market.clue_noise, market.clue_noise_kind = checked_noise(
            noise, kind, market.answer, log=market.range.log, prior_mean=market.prior_mean, prior_sd=market.prior_sd
        )
        if market.clue_noise is not None:
            market.clue_seed = market.clue_seed or secrets.randbits(62)
        market.save(update_fields=["clue_noise", "clue_noise_kind", "clue_seed"])
        return market
