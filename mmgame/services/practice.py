"""Practice traders: bot seats a host adds with one click, that guess and trade like people in the round.

Each bot is a Player seat (`is_bot`) with a PracticeTrader row holding its schedule and its lease:
- Pacing: a step is due at `next_trade_at`; after it the next is a random 3–8 s later, like a person. A bot
  that was idle (the round not trading, the server down) wakes with a short random delay instead of all
  bots trading in the same second.
- Phases: a bot steps only while its game's current market is at phase trading (status open), or asks for
  first guesses (phase guess): then it locks in one guess, 2–12 s in (inside the timer), as a person
  would. It stops with the phases and resumes when trading reopens: only those markets' bots are due.
- Leases: `run_due(owner, now)` claims and renews, in one conditional UPDATE, every bot whose lease is free,
  expired or already the owner's; a server process runs only the bots it holds (LEASE seconds, renewed each
  tick), so a crash hands them on after LEASE and several processes never run one bot at once.
- Idempotency: a step's trade goes through `place_trade`, as a phone's does, with the key
  bot-{trader}-{market}-{step}, and the step counter moves in the same transaction: a step run twice (a
  lost lease, a retry) replays its first trade and never trades twice.
- Knowledge: an informed bot believes what docs/maths.md § Clues says a Bayesian with its private clue
  believes, shows it as a person types a forecast (jittered, rounded, its own risk tolerance:
  mmgame.market.traders.typed) and moves the market to its exponential-utility best response to that
  (docs/maths.md § Aggregation); a noise bot (or an informed one with no clue) makes small random fair
  moves around the curve, each followed by selling it back while no person has traded since (`stir`: a
  person's trade takes the market where they put it, and a bot never undoes it). Its first guess is what it
  shows, or for a noise bot a random scatter about the prior. All of a
  bot's randomness is private (keyed by the server's secret), so nobody can replay it to read a clue or
  foresee a move (docs/practice-traders.md). A refused trade (collateral, no move, a rate limit) is
  skipped: the bot tries again at its next step.
- With the class: while people trade, bots keep to at most one trade in three of each clock minute's
  (`holds_back`); alone, or with a few people not trading, they trade at their own pace.
- Watched: bots trade only in a game a screen has shown in the last UNWATCHED (`watched`: each server
  process notes the games it holds screens of); a host's unfinished games hold at most MAX_PER_HOST.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from mmgame import events
from mmgame.access import check_host
from mmgame.market import MarketError, Order, Refused, fair, gettext_noop
from mmgame.market.curve import Curve
from mmgame.market.traders import Informed, Noise
from mmgame.models import Clue, Game, Guess, Market, Player, PracticeTrader, Trade
from mmgame.nicknames import lookalike_key, nickname_key

from . import clues, leases
from .errors import InvalidTransition
from .games import set_switch
from .guesses import submit_guess
from .trading import place_trade, position_wealth

log = logging.getLogger(__name__)

K = PracticeTrader.Knowledge
MAX_ADDED = 50  # at most this many in one click
MAX_IN_GAME = 50  # and in a game at once: they take no player seat (Game.max_players counts people)
MAX_PER_HOST = 200  # and in all of a host's unfinished games: one host cannot keep a server busy for others
UNWATCHED = timedelta(minutes=5)  # bots stop when no screen of their game has been connected this long
WATCH_EVERY = timedelta(seconds=30)  # how often a process notes that it holds a game's screens
LEASE = timedelta(seconds=10)
PACE = (3.0, 8.0)  # seconds between two steps of one bot
WAKE = (0.5, 3.0)  # seconds before the first step, or the first after an idle spell
STALE = timedelta(seconds=5)  # overdue by more than this: the bot was idle, not late
GUESS_AFTER = (2.0, 12.0)  # seconds into the first-guess phase before a bot locks in its guess
# A guess inside a timer is planned at least this long before its end: the runner ticks once a second
# (mmgame.live.practice_runner.TICK), so a guess planned in the timer's last second could find it over.
TIMER_MARGIN = timedelta(seconds=1)
NOISE_STEP = 0.05  # a noise move shifts the middle by about this many give-or-takes (then sells it back)
NOISE_STEP_WITH_PEOPLE = 0.005  # …and this many while people trade (a person traded in the last PEOPLE_RECENT)
PEOPLE_RECENT = timedelta(minutes=2)
# With the class (`holds_back`): a class is at least CLASS people seated; it trades when its people made at
# least CLASS_TRADING trades in this clock minute or the last; then bots keep to one trade in three of the
# minute's, and while a seated class is quiet to QUIET_ALLOWANCE a minute (≤ ⌊5/2⌋, so any minute in which
# people make five or more trades holds at most one bot trade in three).
CLASS = 5
CLASS_TRADING = 3
QUIET_ALLOWANCE = 2
NAMES = (
    "Ada", "Babbage", "Curie", "Darwin", "Euler", "Fermi", "Gauss", "Hopper", "Hypatia", "Kepler", "Lovelace",
    "Meitner", "Noether", "Pascal", "Turing", "Bayes", "Galton", "Laplace", "Fisher", "Nightingale", "Shannon",
    "Tukey", "Newton", "Leibniz", "Planck", "Bohr", "Franklin", "Hubble", "Sagan", "Ramanujan", "Germain",
    "Lamarr", "Goodall", "Mendel", "Faraday", "Maxwell", "Tesla", "Somerville", "Herschel", "Kovalevskaya",
    "Cantor", "Riemann", "Fourier", "Galois", "Hilbert", "Bernoulli", "Cauchy", "Poisson", "Markov", "Gosset",
)  # fmt: skip


def add_practice_traders(
    host: AbstractBaseUser, game: Game, *, count: object, knowledge: str, now: datetime | None = None
) -> list[PracticeTrader]:
    """Seat `count` (1–50) bots of a kind in the game, named "Bot Ada", "Bot Babbage"… They take no player
    seat, but a game holds at most MAX_IN_GAME at once. A bot added while clues are out gets its clue."""
    check_host(host, game)
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_ADDED:
        raise MarketError(
            gettext_noop("add 1 to %(max_added)s practice traders at a time", max_added=MAX_ADDED), field="count"
        )
    if knowledge not in K.values:
        raise MarketError(gettext_noop("practice traders are informed or noise"), field="knowledge")
    with transaction.atomic():
        game = Game.objects.select_for_update().get(pk=game.pk)
        if game.status == Game.Status.FINISHED:
            raise InvalidTransition(gettext_noop("the game is finished"))
        present = PracticeTrader.objects.filter(player__game=game, active=True).count()
        if present + count > MAX_IN_GAME:
            raise MarketError(
                gettext_noop(
                    "a game holds at most %(max_in_game)s practice traders (%(present)s already)",
                    max_in_game=MAX_IN_GAME,
                    present=present,
                ),
                field="count",
            )
        hosted = (
            PracticeTrader.objects.filter(player__game__host_id=game.host_id, active=True)
            .exclude(player__game__status=Game.Status.FINISHED)
            .count()
        )
        if hosted + count > MAX_PER_HOST:
            raise MarketError(
                gettext_noop(
                    "your games hold at most %(max_per_host)s practice traders at once (%(hosted)s already):"
                    " remove some from another game, or finish it",
                    max_per_host=MAX_PER_HOST,
                    hosted=hosted,
                ),
                field="count",
            )
        names = free_names(game, count)
        players = [Player.objects.create(game=game, nickname=name, is_bot=True) for name in names]
        now = now or timezone.now()
        Game.objects.filter(pk=game.pk).update(watched_at=now)  # the host's page is on screen: watched now
        traders = PracticeTrader.objects.bulk_create(
            PracticeTrader(
                player=p, knowledge=knowledge, next_trade_at=now + seconds(private_rng("added", p.pk).uniform(*WAKE))
            )
            for p in players
        )
        for market in Market.objects.filter(game=game, clue_noise__isnull=False).exclude(phase__in=clues.SHOWN_BEFORE):
            clues.hand_out(market, players)  # as a late joiner gets the clues the others got
        events.players_changed(game.pk)
        return traders


def free_names(game: Game, count: int) -> list[str]:
    """`count` bot nicknames no seat of the game holds (nor a look-alike of): Bot Ada…, then Bot Ada 2…"""
    held = Player.objects.filter(game=game, name_freed=False).values_list("nickname_key", "lookalike_key")
    taken = {key for pair in held for key in pair}
    names: list[str] = []
    for round in range(1, 100):
        for name in NAMES:
            nickname = f"Bot {name}" if round == 1 else f"Bot {name} {round}"
            keys = {nickname_key(nickname), lookalike_key(nickname)}
            if not keys & taken:
                names.append(nickname)
                taken |= keys
                if len(names) == count:
                    return names
    raise MarketError(gettext_noop("no free name for another practice trader"))  # pragma: no cover: 4,950 names


def remove_practice_traders(host: AbstractBaseUser, game: Game) -> int:
    """Stop and remove every practice trader of the game: their seats are removed like a kicked player's
    (their trades stay in the ledger) and their names freed. Returns how many were removed."""
    check_host(host, game)
    with transaction.atomic():
        bots = PracticeTrader.objects.filter(player__game=game, active=True)
        player_ids = list(bots.values_list("player_id", flat=True))
        bots.update(active=False, lease_owner="", lease_until=None)
        Player.objects.filter(pk__in=player_ids).update(kicked=True, name_freed=True)
        if player_ids:
            events.players_changed(game.pk)
        return len(player_ids)


def set_include_bots(host: AbstractBaseUser, game: Game, *, include_bots: bool) -> Game:
    """Whether practice traders are ranked on every board, the podium and the host's all-time board too (by
    default they are not: docs/ranking.md)."""
    return set_switch(host, game, "include_bots", include_bots)


# -- what a bot believes and does ------------------------------------------------------------------------


@dataclass(frozen=True)
class Belief:
    """N(mean, sd²) in the engine's coordinate y (x, or ln x on a log market)."""

    mean: float
    sd: float


def informed_belief(market: Market, clue: object) -> Belief:
    """docs/maths.md § Clues: with the prior N(μ₀, σ₀²) and a clue c = X + ε, ε ~ N(0, τ²), a Bayesian believes
    N(m, s²) with 1/s² = 1/σ₀² + 1/τ² and m = s²(μ₀/σ₀² + c/τ²); all in y (ln x on a log market)."""
    rng = market.range
    mu_0, sigma_0 = float(rng.y(market.prior_mean)), float(market.prior_sd)  # a log market's prior_sd is σ of ln x
    c, tau = float(rng.y(clue)), clues.noise_sd(market)
    s2 = 1 / (1 / sigma_0**2 + 1 / tau**2)
    return Belief(s2 * (mu_0 / sigma_0**2 + c / tau**2), math.sqrt(s2))


def private_rng(*parts: object) -> random.Random:
    """Randomness no one outside the server can replay (an HMAC of the parts under SECRET_KEY), and the same
    for the same parts: a step retried decides the same. A seed from public parts alone (ids, step numbers)
    would let anyone rerun a bot's draws, undo its jitter and read its clue, or foresee its next move."""
    message = ":".join(str(part) for part in parts).encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()
    return random.Random(int.from_bytes(digest[:16], "big"))


def trader_of(bot: PracticeTrader, market: Market, rng: random.Random) -> Informed | Noise:
    """What the bot is in this market: informed by its private clue, trading on it as a person would type it
    (the same all round: drawn from the bot's and the market's private seed), or (a noise trader, or an
    informed one that was told nothing) noise, with `rng` for this step's move."""
    clue = None
    if bot.knowledge == K.INFORMED and market.clue_noise is not None and market.answer is not None:
        clue = Clue.objects.filter(market=market, player=bot.player).values_list("value", flat=True).first()
    if clue is None:
        return Noise(rng, step=NOISE_STEP, returns=True)
    engine, belief = market.engine, informed_belief(market, clue)
    typing = private_rng("belief", bot.pk, market.pk)
    return Informed.typed(engine, belief.mean, belief.sd, 1 / engine.liquidity, typing)


def decide(bot: PracticeTrader, market: Market, rng: random.Random, now: datetime) -> Order | None:
    """The order a bot sends now (None: nothing worth doing), from the market's state and its own wealth."""
    trader = trader_of(bot, market, rng)
    if isinstance(trader, Noise):
        return stir(bot, market, rng, now)
    return trader.decide(market.engine, position_wealth(market, bot.player))


def stir(bot: PracticeTrader, market: Market, rng: random.Random, now: datetime) -> Order | None:
    """A noise bot's step: sell back its last small move while that move is still on the market, else make
    a new one. A move is still on the market until a person trades: a person's trade takes the market to their
    own forecast, whatever the bots had left on it, so selling the move back afterwards would move the market
    away from where the person put it. So a bot never undoes a person's trade; the moves it leaves behind are
    its own to hold, and its mark on the market is the few moves made since the last person traded. While
    people trade (one did in the last PEOPLE_RECENT) those moves are a tenth the size (NOISE_STEP_WITH_PEOPLE):
    the class's market stays the class's."""
    last = Trade.objects.filter(market=market, player=bot.player).order_by("-sequence").first()
    engine = market.engine
    if last is not None and last.kind == "toward":  # a move, not yet sold back (a sale is a `target`)
        people_since = Trade.objects.filter(market=market, sequence__gt=last.sequence, player__is_bot=False)
        if not people_since.exists() and (order := sold_back(engine, last)) is not None:
            return order
    recent = Trade.objects.filter(market=market, player__is_bot=False, created_at__gte=now - PEOPLE_RECENT)
    step = NOISE_STEP_WITH_PEOPLE if recent.exists() else NOISE_STEP
    order = Noise(rng, step=step).decide(engine, position_wealth(market, bot.player))
    return order if order is not None and order.kind == "toward" else None  # never a sale of everything


def sold_back(engine, move: Trade) -> Order | None:
    """The `target` order that takes one move back out of the market, whatever others have traded since: the
    market is θ = θ₀ + ΣH/b, so selling the move's shares H leaves θ − (θ_after − θ_before). None when that
    curve is not one the market takes (another trader has since put it near the edge of the fair curves)."""
    (n1, n2), (a1, a2), (b1, b2) = (
        engine.curve.natural,
        Curve(move.mean_z_after, move.sd_z_after).natural,
        Curve(move.mean_z_before, move.sd_z_before).natural,
    )
    try:
        curve = engine.check(Curve.from_natural(n1 - a1 + b1, n2 - a2 + b2))
    except MarketError:
        return None
    if not fair(curve):
        return None
    centre, spread = engine.range.curve_names
    return Order("target", **{centre: engine.range.to_x(curve.mean), spread: engine.range.sd_to_x(curve.sd)})


def first_guess(bot: PracticeTrader, market: Market, rng: random.Random) -> Order:
    """The first guess a bot locks in: an informed bot's belief, a noise trader's scatter about the prior."""
    return trader_of(bot, market, rng).guess(market.engine)


def guessing_now(market: Market, now: datetime) -> bool:
    """Whether bots give their first guess now: the game's current market asks for them and time is left."""
    return (
        market.game.current_market_id == market.pk
        and market.game.status != Game.Status.FINISHED
        and market.phase == Market.Phase.GUESS
        and not market.timer_over(now)
    )


def trading_now(market: Market, now: datetime) -> bool:
    """Whether bots trade in this market now: the game's current market, at trading, open, countdown running."""
    return (
        market.game.current_market_id == market.pk
        and market.phase == Market.Phase.TRADING
        and market.status == Market.Status.OPEN
        and not market.countdown_over(now)
    )


def seconds(value: float) -> timedelta:
    return timedelta(seconds=value)


def idempotency_key(bot: PracticeTrader, market: Market) -> str:
    return f"bot-{bot.pk}-{market.pk}-{bot.step}"


def practice_step(trader: PracticeTrader, market: Market, *, now: datetime) -> Trade | Guess | None:
    """One step of one bot at `now`, if it is due and its game's current market trades or asks for first
    guesses, all in one transaction with the bot's row locked. While trading: one trade through
    `place_trade` (keyed bot-{trader}-{market}-{step}), then the step counter and the next step 3–8 s on.
    While first guesses are asked for: its guess through `submit_guess`, once. Returns the trade made (or
    replayed) or the guess given, else None."""
    with transaction.atomic():
        bot = PracticeTrader.objects.select_for_update(of=("self",)).select_related("player").get(pk=trader.pk)
        market = Market.objects.select_related("game").get(pk=market.pk)
        if not bot.active or bot.player.kicked:
            return None
        guessing = guessing_now(market, now)
        if not (guessing or trading_now(market, now)):
            return None
        if market.game_id != bot.player.game_id:
            raise InvalidTransition(gettext_noop("a practice trader trades in its own game's markets"))
        # Idle until now: wake in a moment, not all bots at once. A guess planned for after a timer the host
        # has started since: think again, inside it.
        if now - bot.next_trade_at > STALE or (guessing and late_for_timer(bot, market)):
            bot.next_trade_at = now + wake_delay(bot, market, now, guessing)
            bot.save(update_fields=["next_trade_at"])
            return None
        if bot.next_trade_at > now:
            return None
        if guessing:
            return guess_step(bot, market, now)
        rng = private_rng("step", idempotency_key(bot, market))  # a step retried decides the same
        if holds_back(market, now):  # the class is trading: leave it the floor this time
            bot.next_trade_at = now + seconds(rng.uniform(*PACE))
            bot.save(update_fields=["next_trade_at"])
            return None
        trade = None
        try:
            order = decide(bot, market, rng, now)
            if order is not None:
                trade = place_trade(bot.player, market.pk, order, idempotency_key=idempotency_key(bot, market)).trade
        except Refused as refusal:  # not enough collateral, no move, a rate limit: skip this step
            log.debug("practice trader %s skipped a step: %s", bot.pk, refusal.message)
        bot.step += 1
        bot.next_trade_at = now + seconds(rng.uniform(*PACE))
        bot.save(update_fields=["step", "next_trade_at"])
        return trade


def holds_back(market: Market, now: datetime) -> bool:
    """Whether a bot's trade now would crowd the class: practice traders practise with the class, not over it.

    Counted in clock minutes. While people trade (CLASS_TRADING trades or more in this minute or the last) a
    bot trades only if the bots' trades this minute, its own included, stay at most half the people's: one
    trade in three. While a seated class (CLASS people or more) is quiet, two bot trades a minute. Otherwise
    (the bots alone, as in a demonstration on the wall, or a few people not trading) bots keep their pace.
    """
    minute = now.replace(second=0, microsecond=0)
    count = Trade.objects.filter(market=market, created_at__gte=minute - timedelta(minutes=1)).aggregate(
        people=Count("pk", filter=Q(player__is_bot=False, created_at__gte=minute)),
        people_before=Count("pk", filter=Q(player__is_bot=False, created_at__lt=minute)),
        bots=Count("pk", filter=Q(player__is_bot=True, created_at__gte=minute)),
    )
    if max(count["people"], count["people_before"]) >= CLASS_TRADING:
        return 2 * (count["bots"] + 1) > count["people"]
    seated = Player.objects.filter(game_id=market.game_id, is_bot=False, kicked=False).count()
    return seated >= CLASS and count["bots"] + 1 > QUIET_ALLOWANCE


def late_for_timer(bot: PracticeTrader, market: Market) -> bool:
    return market.closes_at is not None and bot.next_trade_at > market.closes_at - TIMER_MARGIN


def wake_delay(bot: PracticeTrader, market: Market, now: datetime, guessing: bool) -> timedelta:
    """How long a bot that was idle waits before its first step: a moment before trading; before a first
    guess, the while a person takes to think (GUESS_AFTER), but inside the guesses' timer when there is one."""
    rng = private_rng("wake", bot.pk, now.timestamp())
    if not guessing:
        return seconds(rng.uniform(*WAKE))
    delay = seconds(rng.uniform(*GUESS_AFTER))
    if market.closes_at is not None:
        delay = min(delay, max(market.closes_at - TIMER_MARGIN - now, timedelta(0)) * rng.uniform(0.3, 0.8))
    return delay


def guess_step(bot: PracticeTrader, market: Market, now: datetime) -> Guess | None:
    """The bot's first guess through `submit_guess`, as a phone's: once (a guess given is kept, never
    changed), refused ones skipped. The next step comes 3–8 s on, as after a trade."""
    guess = None
    if not Guess.objects.filter(market=market, player=bot.player).exists():
        rng = private_rng("guess", bot.pk, market.pk)  # a step retried guesses the same
        try:
            guess = submit_guess(bot.player, market.pk, first_guess(bot, market, rng), now=now)
        except Refused as refusal:
            log.debug("practice trader %s gave no first guess: %s", bot.pk, refusal.message)
    bot.next_trade_at = now + seconds(private_rng("pace", bot.pk, now.timestamp()).uniform(*PACE))
    bot.save(update_fields=["next_trade_at"])
    return guess


# -- the runner: which server process steps which bot ----------------------------------------------------


ON_SCREEN = "player__game__current_market"


def at_work(now: datetime) -> Q:
    """Bots with work to do: active, in a game whose market on screen trades, or asks for first guesses
    (time left, the game not finished) that the bot has not given yet."""
    trading = Q(**{f"{ON_SCREEN}__phase": Market.Phase.TRADING, f"{ON_SCREEN}__status": Market.Status.OPEN})
    time_left = Q(**{f"{ON_SCREEN}__closes_at__isnull": True}) | Q(**{f"{ON_SCREEN}__closes_at__gt": now})
    guessed = Exists(Guess.objects.filter(market=OuterRef(ON_SCREEN), player=OuterRef("player")))
    guessing = Q(**{f"{ON_SCREEN}__phase": Market.Phase.GUESS}) & time_left & ~guessed
    watched = Q(player__game__watched_at__gte=now - UNWATCHED)
    return Q(active=True) & watched & (trading | (guessing & ~Q(player__game__status=Game.Status.FINISHED)))


def watched(game_ids: list[int], now: datetime) -> int:
    """Note that a server process holds screens of these games now (its runner's tick, every second): a
    write at most every WATCH_EVERY a game. Practice traders of a game no screen has shown for UNWATCHED stop
    (`at_work`), and start again when one connects: nobody's server time goes to a game nobody watches."""
    if not game_ids:
        return 0
    stale = Q(watched_at__isnull=True) | Q(watched_at__lt=now - WATCH_EVERY)
    return Game.objects.filter(stale, pk__in=game_ids).update(watched_at=now)


def due(now: datetime) -> Q:
    """Bots whose step is due, and those whose planned guess falls after a timer started since."""
    late = Q(
        **{f"{ON_SCREEN}__phase": Market.Phase.GUESS, "next_trade_at__gt": F(f"{ON_SCREEN}__closes_at") - TIMER_MARGIN}
    )
    return Q(next_trade_at__lte=now) | late


def claim(owner: str, now: datetime) -> int:
    """Take or renew the lease of every bot at work whose lease is free, expired or already `owner`'s: one
    conditional UPDATE, so that two processes claiming at once never both hold a bot. (Idle bots' leases
    lapse: whoever ticks first when their round trades again takes them.)"""
    return leases.claim(PracticeTrader.objects.filter(at_work(now)), owner, now, LEASE)


def run_due(owner: str, now: datetime) -> int:
    """One tick of a server process's runner (`owner` names the process): claim and renew leases, then step
    every bot it holds that is due in a market that trades or asks for first guesses. Returns how many
    trades were made. With no practice trader at work anywhere (none, or none whose round trades or takes
    guesses) it is one cheap query."""
    if not PracticeTrader.objects.filter(at_work(now)).exists():
        return 0
    claim(owner, now)
    mine = leases.held(PracticeTrader.objects.filter(at_work(now), due(now)), owner, now)
    made = 0
    for pk, market_id in list(mine.values_list("pk", f"{ON_SCREEN}_id")):
        try:
            done = practice_step(PracticeTrader(pk=pk), Market(pk=market_id), now=now)
        except Exception:  # one bot's failure must not stop the others, nor the process's loop
            log.exception("practice trader %s failed a step", pk)
            continue
        made += isinstance(done, Trade)
    return made
