"""First guesses: each player's sealed forecast before the market trades (docs/round.md).

A guess is a curve like any forecast: σ ≥ σ_min, inside the range, and fair (docs/maths.md § Bounded loss), so it can be
scored against the prior as a last forecast is. A player may change it until the phase ends or its timer
runs out; nobody else sees it until the host reveals the guesses.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from mmgame import events, round
from mmgame.access import check_host, trading_seat
from mmgame.inputs import LARGEST_ID
from mmgame.market import InvalidCurve, Order, UnfairCurve, fair, gettext_noop
from mmgame.models import Game, Guess, Player
from mmgame.text import bounded_text

from .errors import GuessingClosed, InvalidTransition, NotFound, TooManyReasons
from .locks import lock_market
from .offers import refuse_with_offer
from .trading import numbers_in_range

LONGEST_REASON = 140  # one line on a phone and on the wall
MOST_PICKED_REASONS = 3  # what the wall shows at the reveal, read from the back of the room


def submit_guess(
    player: Player, market_id: int, order: Order, *, reason: str | None = None, now: datetime | None = None
) -> Guess:
    """Record (or replace) the player's first guess: a `target` order's curve, in the market's own words
    (mean and sd; median and sd_log, or a 90 % interval, on a log market). Only the first guess of each
    player moves the market's sequence: the count of guesses is what other screens see. `reason` is the
    player's why, in a line (None keeps the one given before, "" takes it back): the host's alone until
    picked, and a changed reason is no longer picked (the host picked the words they read). `now` is the
    practice traders' runner's clock, which tests move (a phone's guess is on the real one)."""
    if getattr(order, "kind", None) != "target":
        raise GuessingClosed(gettext_noop("a first guess is a curve: a target order"), field="order.kind")
    if reason is not None:
        reason = bounded_text(reason, "reason", LONGEST_REASON)
    with transaction.atomic():
        market = lock_market(market_id)
        trading_seat(player, market, shown=True)
        if market.game.status == Game.Status.FINISHED:  # the podium: a market left at its first guess stays so
            raise GuessingClosed(gettext_noop("the game is finished"), phase=market.phase)
        if not round.PHASES[market.phase].guess:
            raise GuessingClosed(
                gettext_noop("first guesses are taken only while the host asks for them"), phase=market.phase
            )
        if market.timer_over(now):
            raise GuessingClosed(gettext_noop("time is up for first guesses"), phase=market.phase)
        engine = market.engine
        # A guess the market cannot take (too wide where it sits, sharper than σ_min) is refused with the
        # nearest one it can, in short numbers (services.offers): the page offers it as one tap.
        try:
            with numbers_in_range():
                curve = engine.curve_from_order(order, field="guess")
        except InvalidCurve as refusal:
            raise refuse_with_offer(refusal, engine, order, None) from None
        if not fair(curve):
            centre, spread = engine.range.curve_names
            mean, sd = engine.nearest_fair(engine.range.exact_y(curve.mean), engine.range.exact_sd_x(curve.sd))
            refusal = UnfairCurve(
                gettext_noop("that forecast is wider than the range allows where it sits"),
                field=f"guess_{spread}",
                **{f"nearest_{centre}": str(mean), f"nearest_{spread}": str(sd)},
            )
            raise refuse_with_offer(refusal, engine, order, None)
        defaults: dict = {"mean_z": curve.mean, "sd_z": curve.sd}
        if reason is not None:
            before = Guess.objects.filter(market=market, player=player).values_list("reason", flat=True).first()
            defaults["reason"] = reason
            if reason != before:
                defaults["reason_picked"] = False
        guess, created = Guess.objects.update_or_create(market=market, player=player, defaults=defaults)
        if created:
            market.sequence += 1
            market.guess_count += 1
            market.save(update_fields=["sequence", "guess_count"])
            events.market_changed(market.game_id, market.pk, market.sequence)
        return guess


def pick_reasons(host: AbstractBaseUser, market_id: int, guess_ids: Iterable[int]) -> list[Guess]:
    """The host picks the reasons the wall shows at the reveal of the guesses: these (at most three, each a
    guess of this market with a reason) and no others. Refused once trading has started, when the reveal is
    over; nothing changes on a refusal."""
    chosen = set(guess_ids)
    if any(isinstance(pk, bool) or not isinstance(pk, int) or not 1 <= pk <= LARGEST_ID for pk in chosen):
        raise NotFound(gettext_noop("no guess with a reason of that number in this market"), field="picked")
    if len(chosen) > MOST_PICKED_REASONS:
        raise TooManyReasons(
            gettext_noop(
                "pick at most %(most_picked_reasons)s reasons to show", most_picked_reasons=MOST_PICKED_REASONS
            ),
            field="picked",
            most=MOST_PICKED_REASONS,
        )
    with transaction.atomic():
        market = lock_market(market_id)
        check_host(host, market.game)
        row = round.PHASES[market.phase]
        if not market.first_guess or not (row.guess or row.guesses_shown) or row.live:
            raise InvalidTransition(
                gettext_noop("reasons are picked while the first guesses are taken or shown"), phase=market.phase
            )
        picked = list(Guess.objects.filter(market=market, pk__in=chosen).exclude(reason=""))
        if len(picked) != len(chosen):
            raise NotFound(gettext_noop("no guess with a reason of that number in this market"), field="picked")
        Guess.objects.filter(market=market).exclude(pk__in=chosen).update(reason_picked=False)
        Guess.objects.filter(market=market, pk__in=chosen).update(reason_picked=True)
        market.sequence += 1
        market.save(update_fields=["sequence"])
        events.market_changed(market.game_id, market.pk, market.sequence)
        return picked
