"""Setting up a game: the host creates it and its markets (players join it: mmgame.services.joins)."""

from __future__ import annotations

import inspect
import secrets
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction

from mmgame import events, languages
from mmgame.access import check_host, editable
from mmgame.market import (
    GaussianMarket,
    InvalidNumber,
    MarketError,
    Range,
    Refused,
    ScaleMismatch,
    default_sd_min,
    finite,
    gettext_noop,
    stored_quantity,
)
from mmgame.models import Game, Market, Player
from mmgame.models.game import (
    DEFAULT_MAX_PLAYERS,
    JOIN_CODE_ALPHABET,
    JOIN_CODE_LENGTH,
    MAX_PLAYERS_LIMIT,
    new_join_code,
)
from mmgame.text import bounded_text, plain_text

from . import caps, clues
from .errors import InvalidTransition, MarketShown, NotFound, StaleOrder
from .locks import lock_market
from .pictures import Picture, discard_on_commit, saved

# Stakes per market, chosen by simulating classes that trade the forecasts people type (README, "Choosing
# liquidity"; benchmarks/classroom.py): only budget/b, in nats, decides what a student can afford. At the
# normal b = 3, 1,000 points are 333 nats, and 98 % of typical students' trades are stored as typed.
LIQUIDITY = {"thin": 1.0, "normal": 3.0, "deep": 10.0}
DEFAULT_BUDGET = 1000.0
# A budget is at least one point (docs/lesson-numbers.md): the ledger's full-close snap is exact to 10⁻¹² of
# max(1, |cash|) points (mmgame.market.quotes.flattened), so below one point it would no longer be exact
# relative to the budget as every larger budget is; and every screen writes points to a tenth at best.
SMALLEST_BUDGET = 1.0
LARGEST_BUDGET = 1e9
LONGEST_EXPLANATION = 240  # four lines on the wall beside the answer at 1280x720, its curve still in view
LONGEST_SOURCE = 140  # two lines there (the bank's longest source is 125 characters)


def budget_of(value: object) -> float:
    """A market's budget per player: a number of points from SMALLEST_BUDGET to LARGEST_BUDGET, else refused."""
    budget = finite(value, "budget")
    if not SMALLEST_BUDGET <= budget <= LARGEST_BUDGET:
        raise InvalidNumber(
            gettext_noop("the budget must be at least 1 point and at most 10^9"),
            field="budget",
            rule="budget",
            least=SMALLEST_BUDGET,
        )
    return budget


def create_game(
    host: AbstractBaseUser,
    title: str,
    *,
    hide_names: bool = False,
    max_players: int = DEFAULT_MAX_PLAYERS,
    late_joins: bool = True,
    waiting_room: bool = False,
    language: str = "en",
) -> Game:
    """A new game in its lobby; at most `max_players` seats (kicked players do not count) stop one client
    from filling a game, and its host page, with thousands of names. Without `late_joins` no one joins once
    the first guesses or trading have started (set_late_joins); with `waiting_room` the host lets each
    player in (mmgame.services.joins). The wall and the phones speak `language` (set_game_language)."""
    language = languages.checked(language)
    title = (plain_text(title, "title") or "").strip()
    if not title or len(title) > 200:
        raise MarketError(gettext_noop("a game needs a title of 1 to 200 characters"), field="title")
    if isinstance(max_players, bool) or not isinstance(max_players, int) or not 1 <= max_players <= MAX_PLAYERS_LIMIT:
        raise MarketError(
            gettext_noop("a game takes 1 to %(max_players_limit)s players", max_players_limit=MAX_PLAYERS_LIMIT),
            field="max_players",
        )
    for name, value in (("late_joins", late_joins), ("waiting_room", waiting_room)):
        if not isinstance(value, bool):
            raise MarketError(gettext_noop("%(name)s is true or false", name=name), field=name)
    caps.check_games(host)
    for _ in range(10):
        try:
            with transaction.atomic():
                return Game.objects.create(
                    host=host,
                    title=title,
                    hide_names=hide_names,
                    max_players=max_players,
                    late_joins=late_joins,
                    waiting_room=waiting_room,
                    language=language,
                    join_code=new_join_code(),
                )
        except IntegrityError:
            continue  # a join code collision: draw again
    raise MarketError(gettext_noop("could not draw a free join code; try again"))


def add_market(host: AbstractBaseUser, game: Game, *, picture: Picture | None = None, **arguments: Any) -> Market:
    """Add a draft market: its fields by keyword, as `market_fields` checks them (refused at the first rule
    broken; `market_refusals` names every one), and its picture if it has one (mmgame.services.pictures)."""
    check_host(host, game)
    fields = market_fields(**arguments)
    with saved(picture) as name, transaction.atomic():
        game = Game.objects.select_for_update().get(pk=game.pk)
        if game.status == Game.Status.FINISHED:
            raise InvalidTransition(gettext_noop("the game is finished"))
        caps.check_markets(game)
        market = Market.objects.create(
            game=game,
            number=game.markets.count() + 1,
            clue_seed=0 if fields["clue_noise"] is None else secrets.randbits(62),
            picture=name,
            picture_alt=picture.alt if picture else "",
            **fields,
        )
        # News for the host's screens (drafts are theirs alone): the hubs send a new draft, at sequence 0,
        # whole, to host screens only.
        events.market_changed(game.pk, market.pk, market.sequence)
        return market


def market_fields(
    *,
    question: str,
    lo: object,
    hi: object,
    unit: str = "",
    integer: bool = False,
    kind: str | None = None,
    scale: str = "linear",
    prior_mean: object | None = None,
    prior_sd: object | None = None,
    prior_median: object | None = None,
    prior_sd_log: object | None = None,
    liquidity: object = "normal",
    sd_min: object | None = None,
    budget: object = DEFAULT_BUDGET,
    first_guess: bool = True,
    answer: object = None,
    clue_noise: object = None,
    clue_noise_kind: str = Market.ClueNoise.PERCENT,
    explanation: str = "",
    source: str = "",
) -> dict[str, Any]:
    """A draft market's fields as add_market stores them, each of its rules checked; the prior defaults to
    the middle of the range with σ a quarter of it.

    `kind` says what kind of number the question asks for (count, year, measure: how every screen writes
    it); without one a whole-number market is a count, any other a measure. Counts and years resolve at
    whole numbers.

    `scale` is linear or log (positive quantities spanning orders of magnitude, docs/maths.md § Log markets). A log
    market's prior is a median and σ of ln x (`prior_median`, `prior_sd_log`; by default the geometric middle of the
    range and a quarter of its width in ln x) and its `sd_min` is σ of ln x; `prior_mean` and `prior_sd`
    are for linear markets. The other scale's names are refused (scale_mismatch).

    `first_guess` asks players for a sealed first guess before trading (docs/round.md); `answer` is the true value
    entered in advance, the host's secret until the answer is revealed (clamped as the market would settle).
    `clue_noise` hands out private clues drawn around it, each off by about that much (`clue_noise_kind`:
    percent of the answer, or an amount in the unit; docs/maths.md § Clues). `explanation` and `source` are the
    teacher's words on the answer, shown with it and not before."""
    question = (plain_text(question, "question") or "").strip()
    plain_text(unit, "unit")
    if not question or len(question) > 300:
        raise MarketError(gettext_noop("a market needs a question of 1 to 300 characters"), field="question")
    if len(unit or "") > 40:
        raise MarketError(gettext_noop("the unit is at most 40 characters"), field="unit")
    explanation = bounded_text(explanation, "explanation", LONGEST_EXPLANATION)
    source = bounded_text(source, "source", LONGEST_SOURCE)
    if kind is None:
        kind = Market.Kind.COUNT if integer else Market.Kind.MEASURE
    if kind not in Market.Kind.values:
        raise MarketError(gettext_noop("the kind of number is count, year or measure"), field="kind")
    if scale not in Market.Scale.values:
        raise MarketError(gettext_noop("the scale is linear or log"), field="scale")
    integer = bool(integer) or kind != Market.Kind.MEASURE
    budget = budget_of(budget)
    engine, (prior_mean, prior_sd) = market_engine(
        lo, hi, integer, kind, unit, scale, (prior_mean, prior_sd, prior_median, prior_sd_log), liquidity, sd_min
    )
    range = engine.range
    if answer is not None:
        answer = range.stored_outcome(answer, "answer")
    clue_noise, clue_noise_kind = clues.checked_noise(
        clue_noise, clue_noise_kind, answer, log=range.log, prior_mean=prior_mean, prior_sd=prior_sd
    )
    return {
        "question": question,
        "unit": unit or "",
        "lo": range.lo,
        "hi": range.hi,
        "integer": range.integer,
        "kind": kind,
        "scale": scale,
        "prior_mean": prior_mean,
        "prior_sd": prior_sd,
        "sd_min": engine.sd_min,
        "liquidity": engine.liquidity,
        "budget": budget,
        "mean_z": engine.curve.mean,
        "sd_z": engine.curve.sd,
        "first_guess": bool(first_guess),
        "answer": answer,
        "clue_noise": clue_noise,
        "clue_noise_kind": clue_noise_kind,
        "explanation": explanation,
        "source": source,
    }


def market_refusals(**arguments: Any) -> list[Refused]:
    """Every rule these add_market arguments break, one refusal each, in the order add_market checks them:
    a refused argument is put back to its default and the rest checked again, until one without a default
    (the question, the range) is refused, or one twice, or nothing more is. The host's form shows them all
    at once, each next to its field, and states none of the rules itself."""
    defaults = {
        name: parameter.default
        for name, parameter in inspect.signature(market_fields).parameters.items()
        if parameter.default is not parameter.empty
    }
    refusals: list[Refused] = []
    while True:
        try:
            market_fields(**arguments)
        except Refused as refusal:
            refusals.append(refusal)
            field = refusal.details.get("field")
            if field not in defaults or arguments.get(field) == defaults[field]:
                return refusals
            arguments = {**arguments, field: defaults[field]}
        else:
            return refusals


def market_engine(
    lo: object,
    hi: object,
    integer: bool,
    kind: str,
    unit: str,
    scale: str,
    prior: tuple[object, object, object, object],
    liquidity: object,
    sd_min: object | None,
) -> tuple[GaussianMarket, tuple[Decimal, Decimal]]:
    """The engine of a market with these rules, its defaults filled in as add_market fills them, and its prior's
    centre and spread as stored. `prior` is (mean, sd, median, sd_log), Nones for the defaults."""
    # Rounded as the database will keep them, so the market validated here is the market saved.
    range = Range(stored_quantity(lo, "lo"), stored_quantity(hi, "hi"), integer, kind, unit or "", scale)
    prior_mean, prior_sd = prior_of(range, *prior)
    prior_mean = range.point(range.centre) if prior_mean is None else prior_mean
    prior_sd = range.half_width / 2 if prior_sd is None else prior_sd
    prior_mean, prior_sd = stored_quantity(prior_mean, "prior_mean"), stored_quantity(prior_sd, "prior_sd")
    sd_min = default_sd_min(range) if sd_min is None else stored_quantity(sd_min, "sd_min")
    b = LIQUIDITY.get(liquidity, liquidity) if isinstance(liquidity, str) else liquidity
    if isinstance(b, str):
        raise InvalidNumber(gettext_noop("liquidity is thin, normal, deep or a positive number"), field="liquidity")
    engine = GaussianMarket.create(range, b, prior_mean, prior_sd, sd_min)
    if not 1e-6 <= engine.liquidity <= 1e9:
        raise InvalidNumber(gettext_noop("liquidity must be between 10^-6 and 10^9"), field="liquidity")
    return engine, (prior_mean, prior_sd)


def house_bound(**arguments: object) -> float:
    """The most the bank can pay out on the market add_market would make with these keyword arguments (its
    worst-case subsidy, GaussianMarket.subsidy): from the market's rules alone. An `answer` among them is
    ignored: a bound derived from it would tell the host's screen where the answer lies."""
    get = arguments.get
    kind = get("kind") or (Market.Kind.COUNT if get("integer") else Market.Kind.MEASURE)
    prior = (get("prior_mean"), get("prior_sd"), get("prior_median"), get("prior_sd_log"))
    engine, _ = market_engine(
        get("lo"),
        get("hi"),
        bool(get("integer")) or kind != Market.Kind.MEASURE,
        kind,
        get("unit") or "",
        get("scale") or Market.Scale.LINEAR,
        prior,
        get("liquidity", "normal"),
        get("sd_min"),
    )
    return engine.subsidy()


def prior_of(range: Range, mean: object, sd: object, median: object, sd_log: object) -> tuple[object, object]:
    """The prior's centre and spread in the names of the market's scale: mean and sd on a linear market,
    median and sd_log on a log one (stored in prior_mean and prior_sd); the other names are refused."""
    given, other = ((median, sd_log), (mean, sd)) if range.log else ((mean, sd), (median, sd_log))
    for name, value in zip(
        ("prior_mean", "prior_sd") if range.log else ("prior_median", "prior_sd_log"), other, strict=True
    ):
        if value is not None:
            raise ScaleMismatch(
                f"a {range.scale} market's prior is given as "
                + ("prior_median and prior_sd_log (σ of ln x)" if range.log else "prior_mean and prior_sd"),
                field=name,
            )
    return given


def normalise_code(join_code: str) -> str:
    return "".join(ch for ch in str(join_code).upper() if ch.isalnum())


def find_game(join_code: str) -> Game:
    code = normalise_code(join_code)
    if len(code) != JOIN_CODE_LENGTH or any(ch not in JOIN_CODE_ALPHABET for ch in code):
        raise NotFound(gettext_noop("no game has that code"))
    try:
        return Game.objects.get(join_code=code)
    except Game.DoesNotExist:
        raise NotFound(gettext_noop("no game has that code")) from None


def set_late_joins(host: AbstractBaseUser, game: Game, late_joins: bool) -> Game:
    """Let players join once the guesses or trading have started, or not (the control room's switch): one
    person with a private window could otherwise take a second seat, and a second clue, mid-round."""
    return set_switch(host, game, "late_joins", late_joins)


def delete_game(host: AbstractBaseUser, game: Game) -> None:
    """Delete a game with everything of its players: seats, nicknames, trades, first guesses, clues
    (docs/privacy.md). The host's class record keeps only the students the host confirmed by name; their
    seats in this game go with it. Its questions' pictures are deleted once this commits. Screens still open are
    told the game is gone."""
    check_host(host, game)
    with transaction.atomic():
        discard_on_commit(Market.objects.filter(game_id=game.pk).exclude(picture="").values_list("picture", flat=True))
        Game.objects.select_for_update().filter(pk=game.pk).delete()
        events.game_changed(game.pk)


def delete_market(host: AbstractBaseUser, market_id: int) -> None:
    """Delete a draft its players never saw (a question added by mistake), with its picture once this commits.
    The markets after it move up one, so the game's markets stay numbered 1, 2, 3… in order and the next one
    added takes the next number. A market once shown is refused (`market_shown`): it is part of the lesson."""
    with transaction.atomic():
        market = lock_market(market_id)
        check_host(host, market.game)
        if not editable(market):
            raise MarketShown(gettext_noop("only a market not yet shown can be deleted"), phase=market.phase)
        game = Game.objects.select_for_update().get(pk=market.game_id)
        discard_on_commit([market.picture])
        market.delete()
        # One at a time, in order: each number is free when the next market takes it (unique in its game).
        for later in game.markets.filter(number__gt=market.number).order_by("number"):
            later.number -= 1
            later.save(update_fields=["number"])
        events.game_changed(game.pk)


def update_market(
    host: AbstractBaseUser, market_id: int, *, picture: Picture | None = None, **arguments: Any
) -> Market:
    """Change a market before its question is shown (a typo, a range too narrow, the answer found): its fields
    by keyword as add_market takes them, checked by the same rules (`market_fields`), all replaced at once. A
    `picture` replaces the market's (the old file is deleted once this commits); without one it keeps its own.
    A market once shown is refused (`market_shown`): its players saw it as it was."""
    with saved(picture) as name, transaction.atomic():
        market = lock_market(market_id)
        check_host(host, market.game)
        if not editable(market):
            raise MarketShown(gettext_noop("only a market not yet shown can be edited"), phase=market.phase)
        fields = market_fields(**arguments)
        for field, value in fields.items():
            setattr(market, field, value)
        if fields["clue_noise"] is not None and not market.clue_seed:
            market.clue_seed = secrets.randbits(62)
        if picture:
            discard_on_commit([market.picture])
            market.picture, market.picture_alt = name, picture.alt
        market.sequence += 1
        market.save()
        events.market_changed(market.game_id, market.pk, market.sequence)
        return market


def reorder_markets(host: AbstractBaseUser, game: Game, market_ids: list[int]) -> list[Market]:
    """Put the markets not yet shown in this order (the first is the one Next shows next). They take the numbers
    they held among themselves, in the new order; a market once shown keeps its number, so the lesson's record
    does not change. `market_ids` names every unshown market of the game once, else `stale_order`: the page
    was out of date, and nothing moves. Host screens are sent each renumbered market."""
    check_host(host, game)
    if not isinstance(market_ids, list | tuple) or not all(
        isinstance(i, int) and not isinstance(i, bool) for i in market_ids
    ):
        raise MarketError(
            gettext_noop("name the markets not yet shown by their ids, in the new order"), field="markets"
        )
    with transaction.atomic():
        Game.objects.select_for_update().get(pk=game.pk)  # one reorder, add or delete of its markets at a time
        markets = list(game.markets.select_for_update().order_by("number"))
        drafts = [m for m in markets if editable(m)]
        by_id = {m.pk: m for m in drafts}
        if len(market_ids) != len(drafts) or set(market_ids) != set(by_id):
            raise StaleOrder(
                gettext_noop("the order must name every market not yet shown exactly once; look again"), field="markets"
            )
        numbers = [m.number for m in drafts]
        moved = [(by_id[i], number) for i, number in zip(market_ids, numbers, strict=True) if by_id[i].number != number]
        # Out of the way first (above every number the game uses), then into place: numbers are unique in a game.
        top = max((m.number for m in markets), default=0)  # a shown market may hold a number above every draft
        for offset, (market, _number) in enumerate(moved, start=1):
            market.number = top + offset
            market.save(update_fields=["number"])
        for market, number in moved:
            market.number = number
            market.sequence += 1
            market.save(update_fields=["number", "sequence"])
            events.market_changed(game.pk, market.pk, market.sequence)
        return [by_id[i] for i in market_ids]


def set_hide_names(host: AbstractBaseUser, game: Game, hide_names: bool) -> Game:
    """Hide or show the players' names on the leaderboards players and the projector see, at any time."""
    return set_switch(host, game, "hide_names", hide_names)


def set_game_language(host: AbstractBaseUser, game: Game, language: str) -> Game:
    """The language of the game's wall and of every phone that chose none, at any time: a change is announced
    and each screen reloads in it (a phone whose player chose their own keeps it)."""
    check_host(host, game)
    language = languages.checked(language)
    with transaction.atomic():
        if Game.objects.filter(pk=game.pk).exclude(language=language).update(language=language):
            events.game_changed(game.pk)
    game.refresh_from_db()
    return game


def set_phone_language(player: Player, language: str) -> Player:
    """A player's own language for their phone, kept with their seat (the socket's messages follow it too);
    an empty choice follows the game's again. Only the page that asked reloads: nothing is announced."""
    language = "" if language == "" else languages.checked(language)
    Player.objects.filter(pk=player.pk).update(language=language)
    player.language = language
    return player


def set_switch(host: AbstractBaseUser, game: Game, name: str, value: bool) -> Game:
    """Turn one of the host's switches of a game (hide_names, late_joins, include_bots) on or off; a change is
    announced (the hubs send the game, and screens fetch what it changes), the same value changes nothing."""
    check_host(host, game)
    if not isinstance(value, bool):
        raise MarketError(gettext_noop("%(name)s is true or false", name=name), field=name)
    with transaction.atomic():
        if Game.objects.filter(pk=game.pk).exclude(**{name: value}).update(**{name: value}):
            events.game_changed(game.pk)
    game.refresh_from_db()
    return game


def kick_player(host: AbstractBaseUser, player: Player) -> Player:
    """Remove a player from the game; their seat stops trading and their nickname stays taken until the host
    frees it (free_nickname)."""
    check_host(host, player.game)
    player.kicked = True
    player.save(update_fields=["kicked"])
    events.players_changed(player.game_id)
    return player


def free_nickname(host: AbstractBaseUser, player: Player) -> Player:
    """Let someone join under a removed player's nickname (a squatter's, or a name taken by mistake).

    The removed seat keeps its name in the ledger and the exports; it just no longer holds the name."""
    check_host(host, player.game)
    if not player.kicked:
        raise InvalidTransition(gettext_noop("only a removed player's nickname can be freed; remove them first"))
    if not player.name_freed:
        player.name_freed = True
        player.save(update_fields=["name_freed"])
        events.players_changed(player.game_id)
    return player
