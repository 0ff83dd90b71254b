"""Autopilot: the round steps itself when a phase's time is up (docs/round.md § Autopilot).

The host turns it on per game and sets each phase's time (mmgame.round.TIMED; the table's `seconds` by
default); manual Next stays the default. The state lives on the game's row: the deadline (`autopilot_at`), the
market and phase it was set for (`autopilot_for`: a step by the host, a countdown's close, anything that changes
the phase on screen sets a new one), and a hold with the seconds it keeps. Each server process's runner ticks
about once a second (mmgame.live.practice_runner); the game's lease (mmgame.services.leases, as the practice
traders have) decides which process steps it, so a restart resumes from the database and two processes never
step one game. A step goes through the host's own services (`step_market`, `show_market`, `finish_game`), so
the same checks apply: a market with no answer entered in advance holds at its close, and says why.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from mmgame import events, languages, round
from mmgame.access import check_host
from mmgame.market import MarketError, Refused, gettext_noop
from mmgame.models import Game, Market

from . import deadlines, leases
from .errors import InvalidTransition
from .lifecycle import finish_game
from .locks import lock_market
from .show import facts, show_market, step_market

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=10)
SECONDS_MIN, SECONDS_MAX = 1, 600  # a phase's time: a second to ten minutes
EXTEND = 30  # +30 s
LEFT_MAX = 3600  # extending stops at an hour left
STEPS_PER_TICK = 4  # a phase of 0 s (the close) steps on in the same tick; a bound all the same


def checked_seconds(seconds: object) -> dict[str, int]:
    """The host's times: whole seconds from SECONDS_MIN to SECONDS_MAX, for phases of round.TIMED only."""
    if not isinstance(seconds, dict):
        raise MarketError(gettext_noop("the times are a phase → seconds table"), field="seconds")
    for phase, value in seconds.items():
        if phase not in round.TIMED:
            raise MarketError(
                gettext_noop("a time is set for one of %(timed)s", timed=", ".join(round.TIMED)), field="seconds"
            )
        whole = isinstance(value, int) and not isinstance(value, bool)
        if not whole or not SECONDS_MIN <= value <= SECONDS_MAX:
            raise MarketError(
                gettext_noop(
                    "%(phase)s: whole seconds from %(seconds_min)s to %(seconds_max)s",
                    phase=phase,
                    seconds_min=SECONDS_MIN,
                    seconds_max=SECONDS_MAX,
                ),
                field=f"seconds.{phase}",
            )
    return dict(seconds)


def locked(host: AbstractBaseUser, game: Game) -> tuple[Game, Market | None]:
    """Inside a host action's transaction: the game's current market and then the game locked (a step locks
    in that order too), the host checked, an overdue countdown's close recorded."""
    check_host(host, game)
    market_id = Game.objects.filter(pk=game.pk).values_list("current_market_id", flat=True).first()
    market = lock_market(market_id) if market_id is not None else None
    if market is not None:
        deadlines.record_if_due(market)
    return Game.objects.select_for_update().get(pk=game.pk), market


def set_autopilot(
    host: AbstractBaseUser, game: Game, *, on: object, seconds: object = None, now: datetime | None = None
) -> Game:
    """Turn autopilot on or off and (optionally) set phases' times (a phase left out keeps its own; a phase on
    screen keeps the time it started with); turning it on starts the phase on screen's time now."""
    if not isinstance(on, bool):
        raise MarketError(gettext_noop("on is true or false"), field="on")
    times = None if seconds is None else checked_seconds(seconds)
    with transaction.atomic():
        game, market = locked(host, game)
        if on and game.status == Game.Status.FINISHED:
            raise InvalidTransition(gettext_noop("the game is finished"))
        if times is not None:
            game.autopilot_seconds = game.autopilot_seconds | times
        was_on, game.autopilot = game.autopilot, on
        if not on or not was_on:  # a fresh start: no hold, no deadline of a time before
            game.autopilot_for, game.autopilot_at, game.autopilot_held, game.autopilot_left = "", None, False, None
            game.autopilot_note = ""
        game.save(update_fields=[*AUTOPILOT_FIELDS, "autopilot_seconds"])
        if on and market is not None:
            catch_up(game, market, now or timezone.now())
        events.game_changed(game.pk)
        return game


def set_market_seconds(host: AbstractBaseUser, market_id: int, *, seconds: object) -> Game:
    """One market's own phase times on autopilot, over the game's ({}: the game's again). A phase on screen keeps
    the time it started with."""
    times = checked_seconds(seconds)
    with transaction.atomic():
        market = lock_market(market_id)
        check_host(host, market.game)
        game = Game.objects.select_for_update().get(pk=market.game_id)
        game.autopilot_markets = {key: own for key, own in game.autopilot_markets.items() if key != str(market.pk)}
        if times:
            game.autopilot_markets[str(market.pk)] = times
        game.save(update_fields=["autopilot_markets"])
        return game


def hold(host: AbstractBaseUser, game: Game, *, held: object, now: datetime | None = None) -> Game:
    """Hold the time (it stands still: the seconds left are kept) or let it run on from where it stood."""
    if not isinstance(held, bool):
        raise MarketError(gettext_noop("held is true or false"), field="held")
    now = now or timezone.now()
    with transaction.atomic():
        game, market = locked(host, game)
        running(game)
        if held and not game.autopilot_held:
            game.autopilot_held, game.autopilot_left = True, left(game, now)
            game.autopilot_at = None
        elif not held and game.autopilot_held:
            game.autopilot_held, game.autopilot_note = False, ""
            game.autopilot_at = None if game.autopilot_left is None else now + timedelta(seconds=game.autopilot_left)
            game.autopilot_left = None
        else:
            return game
        game.save(update_fields=AUTOPILOT_FIELDS)
        if not held and market is not None:
            catch_up(game, market, now)  # the phase changed while held: its full time from now
        events.game_changed(game.pk)
        return game


def extend(host: AbstractBaseUser, game: Game, *, now: datetime | None = None) -> Game:
    """+30 s to the phase on screen (held or running), up to an hour left."""
    now = now or timezone.now()
    with transaction.atomic():
        game, market = locked(host, game)
        running(game)
        if market is not None:
            catch_up(game, market, now)  # the phase changed a moment ago: extend its own time
        more = min(left(game, now) + EXTEND, LEFT_MAX)
        if game.autopilot_held:
            game.autopilot_left = more
        else:
            game.autopilot_at = now + timedelta(seconds=more)
        game.save(update_fields=AUTOPILOT_FIELDS)
        events.game_changed(game.pk)
        return game


def skip(host: AbstractBaseUser, game: Game, *, now: datetime | None = None) -> Game:
    """Step on now, as the time running out would (a refusal, such as no answer to reveal, is the host's to
    read); the next phase's time starts (or waits, if held)."""
    now = now or timezone.now()
    with transaction.atomic():
        game, market = locked(host, game)
        running(game)
        if market is None:
            raise InvalidTransition(gettext_noop("no question is on screen yet: start the game with Next"))
        catch_up(game, market, now)  # a phase changed meanwhile gets its time first
        step(game, market, now)
        events.game_changed(game.pk)
        game.refresh_from_db()
        return game


def running(game: Game) -> None:
    if not game.autopilot or game.status == Game.Status.FINISHED:
        raise InvalidTransition(gettext_noop("autopilot is off: turn it on first"), autopilot=False)


def left(game: Game, now: datetime) -> float:
    """Seconds left in the phase on screen (0 past the deadline or with none)."""
    if game.autopilot_held:
        return game.autopilot_left or 0.0
    if game.autopilot_at is None:
        return 0.0
    return max(0.0, (game.autopilot_at - now).total_seconds())


NOTE_MOST = Game._meta.get_field("autopilot_note").max_length
AUTOPILOT_FIELDS = ["autopilot", "autopilot_for", "autopilot_at", "autopilot_held", "autopilot_left", "autopilot_note"]


def key(market: Market) -> str:
    return f"{market.pk}:{market.phase}"


def catch_up(game: Game, market: Market, now: datetime) -> bool:
    """A phase on screen that has no time yet (a step by anyone, a countdown's close) gets its full time now;
    an automatic hold ends with its phase, the host's hold keeps holding. Returns whether it set one."""
    if game.autopilot_for == key(market):
        return False
    seconds = game.phase_seconds(market.pk).get(market.phase, round.PHASES[market.phase].seconds)
    game.autopilot_for = key(market)
    if game.autopilot_note:  # held by itself (no answer): a new phase runs again
        game.autopilot_held, game.autopilot_note = False, ""
    if game.autopilot_held:
        game.autopilot_left, game.autopilot_at = float(seconds or 0), None
    else:
        game.autopilot_left = None
        game.autopilot_at = None if seconds is None else now + timedelta(seconds=seconds)
    game.save(update_fields=AUTOPILOT_FIELDS)
    events.game_changed(game.pk)
    return True


def step(game: Game, market: Market, now: datetime) -> None:
    """One step of the round by the table (mmgame.round.auto_step), then the time of the phase it shows:
    refused as the service refuses (say, no answer to reveal)."""
    shown = steps_on(game, market)
    if shown is not None:
        catch_up(game, shown, now)


def steps_on(game: Game, market: Market) -> Market | None:
    """The step itself, through the host's own services: the market's next phase, the next question after
    its last, the podium after the last question. Returns the market on screen after it (None: the podium)."""
    to = round.auto_step(market.phase, facts(market))
    if to is None:
        raise InvalidTransition(gettext_noop("this step is the host's: press Next"), phase=market.phase)
    host = game.host
    if to != round.NEXT_MARKET:
        return step_market(host, market.pk, phase=to, confirm=True, close_others=True)
    following = following_market(market)
    if following is None:
        finish_game(host, game)
        Game.objects.filter(pk=game.pk).update(autopilot_at=None, autopilot_for="")
        return None
    return show_market(host, following.pk, close_others=True)


def following_market(market: Market) -> Market | None:
    """The market Next goes to after this one's lesson: the first by number whose round is not over (the
    control room's Next offers the same)."""
    over = round.where("answer_shown")
    return (
        Market.objects.filter(game_id=market.game_id)
        .exclude(pk=market.pk)
        .exclude(phase__in=over)
        .order_by("number")
        .first()
    )


def tick(game_id: int, now: datetime) -> int:
    """One look at a game on autopilot (the lease holder's): a new phase gets its time, a time that is up
    steps the round. Returns the steps taken."""
    taken = 0
    with transaction.atomic():
        for _ in range(STEPS_PER_TICK):
            game = Game.objects.select_related("host").get(pk=game_id)
            game, market = locked(game.host, game)
            if not game.autopilot or game.status != Game.Status.PLAYING or market is None:
                return taken
            catch_up(game, market, now)
            if game.autopilot_held or game.autopilot_at is None or game.autopilot_at > now:
                return taken
            try:
                with transaction.atomic():
                    step(game, market, now)
            except Refused as refused:  # say, no answer to reveal: hold at the close and say why
                game.autopilot_held, game.autopilot_left, game.autopilot_at = True, 0.0, None
                # Kept as words, not English: the control room says them in its reader's language.
                game.autopilot_note = languages.kept(refused.message, most=NOTE_MOST)
                game.save(update_fields=AUTOPILOT_FIELDS)
                events.game_changed(game.pk)
                return taken
            taken += 1
    return taken


def run_due(owner: str, now: datetime) -> int:
    """One tick of a server process's runner: claim and renew the leases of the games on autopilot, then look
    at each game this process holds. Returns the steps taken. With no game on autopilot it is one query."""
    playing = Game.objects.filter(autopilot=True, status=Game.Status.PLAYING, current_market__isnull=False)
    if not playing.exists():
        return 0
    leases.claim(playing, owner, now, LEASE)
    taken = 0
    for game_id in list(leases.held(playing, owner, now).values_list("pk", flat=True)):
        try:
            taken += tick(game_id, now)
        except Exception:  # one game's failure must not stop the others, nor the process's loop
            log.exception("autopilot could not step game %s", game_id)
    return taken
