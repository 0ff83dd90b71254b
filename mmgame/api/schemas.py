"""Request and response bodies of the JSON API.

Requests are strict: unknown fields, strings for numbers and booleans for numbers are refused before a
service runs. Responses document the dict shapes of mmgame.queries.shapes (the same ones the
websockets and pages use); they allow extra keys, so a field added there reaches clients unchanged.
"""

from __future__ import annotations

from typing import Annotated, Literal

from ninja import Schema
from pydantic import ConfigDict, Field, StrictBool, StrictInt, StrictStr, model_validator

from mmgame import round
from mmgame.inputs import ORDER_FORMS, ORDER_NUMBERS, BadInput, order_fields
from mmgame.models.game import DEFAULT_MAX_PLAYERS, MAX_PLAYERS_LIMIT
from mmgame.nicknames import NICKNAME_MAX
from mmgame.services.trading import IDEMPOTENCY_KEY_MAX

from .numbers import Amount, Count, Liquidity, ObjectId, Quantity, pydantic_error

VISIBLE = r"\S"  # text that is not blank: the services refuse what is empty once stripped


class Request(Schema):
    model_config = ConfigDict(extra="forbid")


def one_shape_per_kind(schema: dict, model: type) -> None:
    """The order's schema as what the server enforces: one object shape per kind and form of its curve, each
    with exactly its numbers (mmgame.inputs.ORDER_FORMS; any other number may only be null), and nothing else."""
    properties, required = schema["properties"], schema.get("required", [])
    variants = []
    forms = [(kind, fields) for kind, kinds_forms in ORDER_FORMS.items() for fields in kinds_forms]
    for kind, fields in forms:
        shape = {"kind": {"const": kind}}
        for name, field in properties.items():
            if name in ORDER_NUMBERS:
                shape[name] = field["anyOf"][0] if name in fields else {"type": "null"}
            elif name != "kind":
                shape[name] = field
        variants.append(
            {
                "title": f"{kind} order" + (f" ({' and '.join(sorted(fields))})" if len(ORDER_FORMS[kind]) > 1 else ""),
                "type": "object",
                "properties": shape,
                "required": ["kind", *sorted(fields), *(name for name in required if name != "kind")],
                "additionalProperties": False,
            }
        )
    for key in ("properties", "required", "type", "additionalProperties"):
        schema.pop(key, None)
    schema["oneOf"] = variants


class Response(Schema):
    model_config = ConfigDict(extra="allow")


# -- requests -------------------------------------------------------------------------------------


class GameIn(Request):
    title: StrictStr = Field(min_length=1, max_length=200, pattern=VISIBLE, description="Not blank.")
    hide_names: StrictBool = False
    late_joins: StrictBool = Field(
        True, description="Whether players may join once a question's first guesses or trading have started."
    )
    waiting_room: StrictBool = Field(
        False, description="The host lets each player in: a join waits in the game's waiting room until admitted."
    )
    max_players: StrictInt = Field(
        DEFAULT_MAX_PLAYERS,
        ge=1,
        le=MAX_PLAYERS_LIMIT,
        description="Seats the game takes (removed players do not count).",
    )
    language: StrictStr | None = Field(
        None,
        max_length=16,
        description="The language of the projector and the phones (en, es, fr, de); absent: the language this "
        "request is answered in (the host's choice or Accept-Language, else en).",
    )


class MarketIn(Request):
    """A draft market. Quantities are exact decimals in the question's units."""

    question: StrictStr = Field(min_length=1, max_length=300, pattern=VISIBLE, description="Not blank.")
    unit: StrictStr = Field("", max_length=40)
    lo: Quantity
    hi: Quantity
    integer: StrictBool = False
    kind: Literal["count", "year", "measure"] | None = Field(
        None,
        description="What kind of number the question asks for, which decides how every screen writes it: "
        "`count` (whole numbers with thousands separators and words: 8.5 billion), `year` (whole, no separators: "
        "1440) or `measure` (decimals and a unit, SI prefixes: 2.5 µm). Counts and years resolve at whole "
        "numbers. Default: `count` when `integer` is true, else `measure`.",
    )
    scale: Literal["linear", "log"] = Field(
        "linear",
        description="`log` for a positive quantity that spans orders of magnitude (a population, a Fermi "
        "question): the market is a normal curve in ln x, `lo` must be above 0 (else `not_positive`), its curves "
        "are a median and `sd_log` (σ of ln x) and `sd_min` is σ of ln x too. Default `linear`.",
    )
    prior_mean: Quantity | None = Field(None, description="Linear markets. Defaults to the middle of the range.")
    prior_sd: Quantity | None = Field(None, description="Linear markets. Defaults to a quarter of the range.")
    prior_median: Quantity | None = Field(
        None, description="Log markets. Defaults to the geometric middle √(lo·hi) of the range."
    )
    prior_sd_log: Quantity | None = Field(
        None, description="Log markets: σ of ln x. Defaults to a quarter of ln(hi/lo)."
    )
    sd_min: Quantity | None = Field(
        None, description="Defaults to 1/200 of the range (of ln(hi/lo) on a log market, where it is σ of ln x)."
    )
    liquidity: Liquidity = "normal"
    budget: Amount = Field(
        1000.0, description="Points each player may risk in this market: from 1 to 10^9 (else invalid_number, 422)."
    )
    first_guess: StrictBool = Field(
        True, description="Ask every player for a sealed first guess before trading opens (the `guess` phase)."
    )
    answer: Quantity | None = Field(
        None,
        description="The true value, entered in advance: the host's secret (no player's screen or API reads it) "
        "until the `answer` phase reveals it. Clamped into the range as the market would settle.",
    )
    clue_noise: Amount | None = Field(
        None,
        description="Hand out private clues (docs/maths.md § Clues): each player gets the answer plus independent "
        "noise of this typical size, from the first guesses (or trading) on. Needs `answer` (else 400 on the field "
        "`answer`); above 0, at most 1,000 in percent.",
    )
    clue_noise_kind: Literal["percent", "absolute"] = Field(
        "percent",
        description="`percent` of the answer (on a log market a factor: ±15 % is ×/÷ 1.15) or `absolute`, an "
        "amount in the question's unit.",
    )
    explanation: StrictStr = Field(
        "",
        description="The teacher's explanation of the answer, shown with it: at most 240 characters.",
    )
    source: StrictStr = Field("", description="Where the answer comes from, shown with it: at most 140 characters.")


class JoinIn(Request):
    nickname: StrictStr = Field(
        min_length=1,
        max_length=NICKNAME_MAX,
        pattern=VISIBLE,
        description="Spaces are collapsed; a name taken in this game, ignoring case and width, is nickname_taken.",
    )


class LanguageIn(Request):
    language: StrictStr = Field(max_length=16, description="en, es, fr or de: the projector and the phones follow it.")


class LateJoinsIn(Request):
    late_joins: StrictBool = Field(description="false: no one joins once the guesses or trading have started.")


# A phase's time on autopilot (mmgame.services.autopilot: whole seconds, a second to ten minutes).
PhaseSeconds = Annotated[StrictInt, Field(ge=1, le=600)]


class AutopilotIn(Request):
    on: StrictBool = Field(description="true: the round steps itself when a phase's time is up; false: Next.")
    seconds: dict[Literal[round.TIMED], PhaseSeconds] | None = Field(  # type: ignore[valid-type]
        None, description="Each phase's time in seconds (1–600); a phase left out keeps its time."
    )


class MarketSecondsIn(Request):
    seconds: dict[Literal[round.TIMED], PhaseSeconds] = Field(  # type: ignore[valid-type]
        description="This market's own phase times in seconds (1–600), over the game's; {}: the game's again."
    )


class MarketSecondsOut(Response):
    market_id: int
    seconds: dict[str, int] = Field(description="Each phase's time in this market on autopilot.")
    question_seconds: dict[str, int] = Field(description="What this question takes with them.")


class HoldIn(Request):
    held: StrictBool = Field(description="true: the time stands still; false: it runs on from where it stood.")


class WaitingRoomIn(Request):
    waiting_room: StrictBool = Field(
        description="true: a join waits until the host admits it; false: joins take a seat at once (those "
        "already waiting stay waiting for the host)."
    )


class OpenIn(Request):
    close_others: StrictBool = Field(
        False, description="Close the game's other open or paused market first (else opening is refused with 409)."
    )


class CloseIn(Request):
    countdown: StrictInt | None = Field(
        None, ge=1, le=3600, description="Seconds until the market closes (a countdown every screen shows); none: now."
    )


class MarketOrderIn(Request):
    """The game's markets not yet shown, by id, in their new order: every one of them, once."""

    markets: list[ObjectId] = Field(max_length=1000)


class ResolveIn(Request):
    outcome: Quantity


PHASES = Literal[tuple(round.PHASES)]  # the round's phases, in order (mmgame.round)


class PhaseIn(Request):
    """One step of the round: `phase` names where to go (the next phase or, where nothing irreversible has
    happened, the one before), so a repeated request changes nothing. Revealing the guesses and the answer
    need `confirm: true` (else 409 `confirm_needed`)."""

    phase: PHASES
    confirm: StrictBool = False
    close_others: StrictBool = Field(False, description="Close a market still trading when this one starts to.")
    outcome: Quantity | None = Field(
        None, description="At `answer`: the true value, when it was not entered in advance (`POST .../answer`)."
    )


class TakingPartOut(Response):
    player_id: int
    nickname: str
    guessed: bool = Field(description="Gave a first guess in this market.")
    trades: int = Field(description="Trades in this market.")


class AnswerIn(Request):
    answer: Quantity | None = Field(description="The true value, kept secret until the answer; null clears it.")


class CluesIn(Request):
    noise: Amount | None = Field(
        description="How far off each clue is, typically (above 0; at most 1,000 in percent); null turns clues off."
    )
    kind: Literal["percent", "absolute"] = Field(
        "percent", description="`percent` of the answer (a factor on a log market) or `absolute`, in the unit."
    )


class AnswerOut(Response):
    market_id: int
    answer: float | None = Field(description="The secret true value (the host's alone), or null.")
    answer_exact: str | None


class GuessIn(Request):
    """A sealed first guess: a curve as a `target` order names one — `mean` and `sd` on a linear market,
    `median` and `sd_log` or a 90 % interval `low`–`high` on a log market."""

    model_config = ConfigDict(extra="forbid")

    mean: Quantity | None = None
    sd: Quantity | None = None
    median: Quantity | None = None
    sd_log: Quantity | None = None
    low: Quantity | None = None
    high: Quantity | None = None
    reason: StrictStr | None = Field(
        None, description="Why, in a line (at most 140 characters): the host's alone until they pick it to show."
    )


class GuessOut(Response):
    market_id: int
    mean: float | None = None
    sd: float | None = None
    median: float | None = None
    sd_log: float | None = None
    interval_90: list[float]
    reason: str = Field("", description="Your reason, as the host reads it.")


class ClueOut(Response):
    market_id: int
    clue: float = Field(description="Your private clue: the true value plus noise, for your eyes alone.")
    clue_exact: str
    noise: float = Field(description="How far off each clue is, typically.")
    kind: Literal["percent", "absolute"] = Field(description="`noise` in percent of the answer, or in the unit.")


class OrderIn(Request):
    """`target`: move the market to a curve; `toward`: as far that way as affordable; `shares`: buy
    δ₁ of x and δ₂ of x² as in the seed notebook (linear markets only); `close`: sell the whole position back.

    The curve is N(`mean`, `sd`²) on a linear market. On a log market (`scale: "log"`) it is a `median` and
    `sd_log`, the σ of ln x (a factor of e^sd_log either way), or a 90 % interval `low`–`high` (median
    √(low·high), sd_log = ln(high/low)/(2·1.6449)); never a mean and sd in x. The other scale's fields are
    refused with `scale_mismatch`, a value ≤ 0 on a log market with `not_positive`."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=one_shape_per_kind)

    kind: Literal["target", "toward", "shares", "close"]
    mean: Quantity | None = Field(None, description="Linear markets: the curve's mean, in x.")
    sd: Quantity | None = Field(None, description="Linear markets: the curve's σ, in x.")
    delta_1: Amount | None = None
    delta_2: Amount | None = None
    median: Quantity | None = Field(None, description="Log markets: the curve's median, in x (> 0).")
    sd_log: Quantity | None = Field(None, description="Log markets: the curve's σ of ln x (0.69: give or take ×2).")
    low: Quantity | None = Field(None, description="Log markets: 90 % sure the value is at least this (> 0).")
    high: Quantity | None = Field(None, description="Log markets: 90 % sure the value is at most this.")

    @model_validator(mode="after")
    def fields_fit_the_kind(self) -> OrderIn:
        try:  # the same rule as the websockets' (mmgame.inputs)
            order_fields(self.kind, {name for name in ORDER_NUMBERS if getattr(self, name) is not None})
        except BadInput as refused:
            raise pydantic_error(refused) from None
        return self


class TradeIn(OrderIn):
    idempotency_key: StrictStr = Field(min_length=1, max_length=IDEMPOTENCY_KEY_MAX)
    max_loss: Amount | None = Field(
        None,
        description="Points: refuse the trade if its worst outcome would lose more than this (−worst_case of "
        "the quote's trade_worst_case). The slippage guard a player understands.",
    )
    max_cost: Amount | None = Field(
        None,
        description="Refuse the trade if `cost` would exceed this. `cost` is C(q′) − C(q) in the market's scaled "
        "coordinates z = (x − centre)/half_width, not points lost: prefer `max_loss`.",
    )
    quoted_sequence: Count | None = Field(None, description="Refuse the trade if the market moved since the quote.")


# -- responses ------------------------------------------------------------------------------------


class ErrorOut(Response):
    """Every refusal: a stable `code` for programs, a `message` for people, and details by code.

    Codes: `invalid` (400, `field`), `invalid_number` (400 or 422: beyond 10^15, not finite, or out of the
    engine's range), `invalid_curve` (400), `unfair_curve` (400: a curve someone could beat at every outcome,
    the nearest fair one named), `insufficient_collateral` (400, `worst_case`, `affordable_*`),
    `not_positive` (400: a value of 0 or less on a log-scale market, `field`), `scale_mismatch` (400: a curve in
    the other scale's fields — mean/sd on a log market, median/sd_log/low/high on a linear one — or the seed's
    shares on a log market), `no_move` (400: the trade would not move the market — shares of zero or rounding
    to zero, a target at the current curve), `malformed_json` (400), `not_authenticated` (401), `csrf_failed`
    and `forbidden` (403), `not_found` (404), `method_not_allowed` (405), `market_not_open`, `stale_quote`,
    `max_cost_exceeded`, `max_loss_exceeded`, `idempotency_conflict`, `nickname_taken`, `invalid_status_change`,
    `market_shown` (409: a market once shown is not edited, moved or deleted), `stale_order` (409: a new order
    that does not name every market not yet shown exactly once),
    `body_too_large` (413), `unsupported_media_type` (415: bodies are JSON, not forms), `invalid_request`
    (422, `errors`), `rate_limited` (429: over 20 trades or 30 quotes a second a seat, or 300 joins a minute
    an address; `retry_after` seconds, also in the Retry-After header)."""

    code: str
    message: str


class ValidationErrorOut(ErrorOut):
    """A 422: `message` says the first problem and where it is in the request's language; `errors` is pydantic's
    own detail (English `msg`, the `type` and `loc`), for programs."""

    errors: list[dict]


class AutopilotOut(Response):
    on: bool
    at: str | None = Field(description="When the round steps on (ISO 8601, UTC); null while held or off.")
    held: bool
    left: int | None = Field(description="While held: the seconds the phase on screen keeps.")
    note: str = Field(description="Why autopilot holds by itself (say, no answer entered in advance); or empty.")


class AutopilotSettingsOut(AutopilotOut):
    seconds: dict[str, int] = Field(description="Each phase's time in seconds (mmgame.round.TIMED).")
    question_seconds: dict[str, int] = Field(
        description="What a question takes with these times: `with_guesses` (first guesses asked), `without_guesses`."
    )


class GameOut(Response):
    id: int
    title: str
    join_code: str
    status: str
    hide_names: bool
    late_joins: bool = Field(default=True, description="Players may join once the guesses or trading started.")
    waiting_room: bool = Field(default=False, description="The host lets each player in (a waiting room).")
    include_bots: bool = Field(
        default=False, description="Practice traders are ranked with the students on every board, the podium too."
    )
    current_market_id: int | None = Field(description="The market every screen shows now; null in the lobby.")
    language: str = Field(default="en", description="The projector's and the phones' language (a phone may choose).")
    autopilot: AutopilotOut | None = Field(None, description="The round on timers (docs/round.md § Autopilot).")


class PickedReasonOut(Response):
    reason: str
    nickname: str | None = Field(description="Whose reason it is; null when the game hides names.")


class ReasonOut(Response):
    """A reason given with a first guess, as its host reads it (nobody else does until it is picked)."""

    guess_id: int
    player_id: int
    nickname: str
    reason: str
    picked: bool = Field(description="Shown on the wall and the phones with the revealed guesses.")


class PickIn(Request):
    picked: list[Count] = Field(
        max_length=100, description="The guesses whose reasons to show (at most 3: 400 `too_many_reasons`)."
    )


class ExplanationOut(Response):
    text: str = Field(description="The teacher's explanation of the answer: plain text, never markup.")
    source: str


class GuessesOut(Response):
    count: int = Field(description="How many players have given a first guess.")
    revealed: bool
    middles: list[float] | None = Field(description="Once revealed: each guess's middle, smallest first, no names.")
    average: float | None = Field(description="Once revealed: their average (a geometric mean on a log market).")
    reasons: list[PickedReasonOut] | None = Field(
        None, description="Once revealed: the reasons the host picked to show (at most 3); null before."
    )


class CluesOut(Response):
    noise: float = Field(description="The typical error of a clue: percent of the answer, or an amount in the unit.")
    kind: Literal["percent", "absolute"]


class PictureOut(Response):
    url: str = Field(description="Where the app serves the picture, to whoever may read the market.")
    alt: str = Field(description="What the picture shows, for those who cannot see it.")


class MarketOut(Response):
    id: int
    game_id: int
    number: int
    question: str
    unit: str
    lo: float
    hi: float
    integer: bool
    kind: Literal["count", "year", "measure"] = Field(
        description="What kind of number the question asks for: count, year or measure (how screens write it)."
    )
    scale: Literal["linear", "log"] = Field(
        description="How to read the curves: `linear` gives mean, sd, prices, prior_mean and prior_sd; `log` gives "
        "median, sd_log (σ of ln x), interval_90, prior_median and prior_sd_log instead (the others are null)."
    )
    status: str
    sequence: int
    mean: float | None = Field(None, description="Linear markets: the market's mean, in x.")
    sd: float | None = Field(None, description="Linear markets: the market's σ, in x.")
    prices: list[float] | None = Field(
        None, description="Linear markets: the seed's prices (E[x], E[x²]) of the securities paying x and x²."
    )
    prior_mean: float | None = Field(None, description="Linear markets: the starting curve's mean.")
    prior_sd: float | None = Field(None, description="Linear markets: the starting curve's σ.")
    median: float | None = Field(None, description="Log markets: the market's median, in x.")
    sd_log: float | None = Field(None, description="Log markets: the market's σ of ln x (a factor of e^sd_log).")
    interval_90: list[float] | None = Field(
        None, description="Log markets: where the market is 90 % sure the value lies, [low, high] in x."
    )
    prior_median: float | None = Field(None, description="Log markets: the starting curve's median.")
    prior_sd_log: float | None = Field(None, description="Log markets: the starting curve's σ of ln x.")
    sd_min: float = Field(description="The narrowest σ a curve may have: in x, or of ln x on a log market.")
    liquidity: float
    budget: float
    subsidy: float
    outcome: float | None
    closes_at: str | None = Field(
        None, description="While a countdown runs: when the market closes, or first guesses stop (ISO 8601)."
    )
    phase: PHASES = Field(
        description="Where the round stands: draft (not shown) → question → guess (sealed first guesses) → guesses "
        "(revealed) → trading → closed → answer → lesson (docs/protocol.md §1.4)."
    )
    first_guess: bool = Field(description="Whether players give a sealed first guess before trading.")
    guesses: GuessesOut | None = Field(description="The first guesses as everyone sees them; null without them.")
    clues: CluesOut | None = Field(
        description="Private clues, if the host hands them out: how far off each is, typically. Each player's own "
        "clue reaches their screen alone."
    )
    explanation: ExplanationOut | None = Field(
        None, description="Once the answer is shown: the teacher's explanation and source; null before."
    )
    picture: PictureOut | None = Field(
        None, description="The question's picture, if it has one (set with POST /api/markets/{id}/picture)."
    )


class MarketOrderOut(Response):
    markets: list[MarketOut] = Field(description="The markets not yet shown, in their new order and numbers.")


class ResolvedMarketOut(MarketOut):
    outcome_exact: str = Field(description="The outcome the market settled at, as an exact decimal.")


class GameDetailOut(Response):
    game: GameOut
    markets: list[MarketOut]
    players: int


class ArrivalOut(Response):
    """A place in the game's waiting room: keep `seat_token` secret; once the host admits you it is your
    seat's token (ask GET /api/games/{code}/arrival, or open a player socket, to know when)."""

    waiting: bool = Field(default=True, description="Always true: the host has not let you in yet.")
    nickname: str
    seat_token: str
    game: GameOut
    session: bool = Field(description="Whether this browser session now holds the place too.")
    rejoined: bool = Field(default=False, description="The caller was waiting already: it is that place.")


class ArrivalStatusOut(Response):
    status: str = Field(description="waiting, or admitted (then player_id is your seat).")
    nickname: str
    player_id: int | None = None


class WaitingOut(Response):
    """Someone in the waiting room, as the host sees them."""

    id: int
    nickname: str
    arrived_at: str


class AdmittedOut(Response):
    admitted: int = Field(description="How many were let in.")
    waiting: int = Field(description="How many still wait (the game was full, or a seat took their nickname).")


class PlayerOut(Response):
    id: int
    nickname: str
    kicked: bool
    name_freed: bool = Field(description="The host freed this removed player's nickname for someone else.")
    is_bot: bool = Field(default=False, description="A practice trader the host added, not a person.")


class SeatOut(Response):
    """A seat: keep `seat_token` secret, it is the only proof this seat is yours."""

    player_id: int
    nickname: str
    seat_token: str
    game: GameOut
    session: bool = Field(description="Whether this browser session now holds the seat too.")
    rejoined: bool = Field(
        default=False, description="The caller held a seat in this game already: it is that seat, not a new one."
    )


class TradeOut(Response):
    """A line of the trade feed. When the game hides names, another player's line has `player_id`,
    `nickname`, `fraction`, `cost`, `worst_case` and `shares` as null (who traded and what it cost them);
    `mean`, `sd` and the exact curves, where the trade moved the market, are the market's own history.
    A trade's profit at outcome x is exactly
    liquidity · [ln N(x; mean_after, sd_after²) − ln N(x; mean_before, sd_before²)] (docs/maths.md § The log score)."""

    id: int
    market_id: int
    sequence: int
    player_id: int | None
    nickname: str | None
    is_bot: bool = Field(default=False, description="A practice trader the host added, not a person.")
    kind: str
    fraction: float | None = Field(
        description="The part of the requested move that was made (toward/close orders); null in others' hidden lines."
    )
    mean: float | None = Field(
        None, description="The market's mean after the trade (a double; `mean_after` is exact). Linear markets."
    )
    sd: float | None = Field(
        None, description="The market's σ after the trade (a double; `sd_after` is exact). Linear markets."
    )
    median: float | None = Field(
        None,
        description="Log markets: the market's median after the trade (`median_after` is exact); with "
        "`sd_log`, and `median_before`, `sd_log_before`, `sd_log_after` in place of the mean and sd fields.",
    )
    sd_log: float | None = Field(None, description="Log markets: the market's σ of ln x after the trade.")
    median_before: str | None = None
    sd_log_before: str | None = None
    median_after: str | None = None
    sd_log_after: str | None = None
    liquidity: float = Field(description="b: the trade's profit is b times the change in log density.")
    mean_before: str | None = Field(None, description="The curve the trade moved from, exact decimal (x units).")
    sd_before: str | None = Field(None, description="The σ the trade moved from, exact decimal (x units).")
    mean_after: str | None = Field(None, description="The curve the trade moved to, exact decimal (x units).")
    sd_after: str | None = Field(None, description="The σ the trade moved to, exact decimal (x units).")
    cost: float | None = Field(
        description="C(q′) − C(q) in scaled coordinates z = (x − centre)/half_width: minus the constant term of "
        "the profit written in z. Not points lost; see worst_case. Null in others' hidden lines."
    )
    worst_case: float | None = Field(
        description="Points: the trade's own least profit over the range (≤ 0). Null in others' hidden lines."
    )
    shares: list[float] | None = Field(
        description="Raw shares (δ₁, δ₂) of x and x² bought, as in the seed notebook. Null in others' hidden lines "
        "and on log markets (whose securities would pay ln x and (ln x)²)."
    )
    created_at: str


class Polynomial(Response):
    """c₀ + c₁·z + c₂·z² with z = (y − centre) / half_width: y = x, or ln x on a log market."""

    const: float
    linear: float
    quadratic: float
    centre: float
    half_width: float
    scale: Literal["linear", "log"] = Field(description="`log`: centre and half_width are in ln x.")


class PositionOut(Response):
    market_id: int
    player_id: int
    budget: float
    wealth: Polynomial
    worst_case: float
    worst_at: float
    best_case: float
    best_at: float
    expected_profit: float
    trades: int
    payout: float | None


class QuoteOut(Response):
    """The curve the order would leave: `mean` and `sd` on a linear market, `median` and `sd_log` on a log
    one; likewise `affordable_mean`/`affordable_sd` or `affordable_median`/`affordable_sd_log`."""

    market_id: int
    sequence: int
    mean: float | None = None
    sd: float | None = None
    median: float | None = None
    sd_log: float | None = None
    affordable_mean: float | None = Field(None, description="Linear markets: where the budget can take the mean.")
    affordable_sd: float | None = None
    affordable_median: float | None = Field(None, description="Log markets: where the budget can take the median.")
    affordable_sd_log: float | None = None
    fraction: float
    cost: float
    shares: list[float]
    trade_worst_case: float
    trade_best_case: float
    expected_if_right: float
    worst_case_after: float
    worst_at: float
    affordable: bool
    affordable_fraction: float
    offer: dict | None = Field(
        None,
        description="Beyond the budget: the nearest affordable trade of the same middle, in short numbers "
        "(`reason`, `mean`/`sd` or `median`/`sd_log`, `trade_worst_case`, `trade_best_case`); null otherwise.",
    )
    pnl: Polynomial


class TradeResultOut(Response):
    trade: TradeOut
    position: PositionOut
    market: MarketOut
    replayed: bool = Field(description="True when the idempotency key was used before: this is that result.")


class StandingOut(Response):
    player_id: int | None = Field(description="null, with the nickname, in others' rows when the game hides names.")
    nickname: str | None
    score: float
    rank: int
    is_bot: bool = Field(default=False, description="A practice trader the host added, not a person.")


class MarketLeaderboardOut(Response):
    market_id: int
    status: str
    profit: list[StandingOut]
    accuracy: list[StandingOut] = Field(description="Log score of each trader's last forecast; after resolution.")


class GameLeaderboardOut(Response):
    game_id: int
    profit: list[StandingOut]
    podium: list[StandingOut] = Field(
        description="The podium: the same rows as `profit` (every board ranks the same seats by one rule: "
        "practice traders only when the host included them)."
    )


class CsrfOut(Response):
    csrf_token: str


def replies(ok: dict[int, type], *refusals: int) -> dict[int, type]:
    """The responses an endpoint documents: its successes and the error shape for each refusal."""
    return {**ok, **{status: ValidationErrorOut if status == 422 else ErrorOut for status in refusals}}


PUBLIC = (404, 422)
# Reads of a game's markets and boards need its host or a seat in it (mmgame.access): a stranger finds no
# market (404), a caller showing nothing is asked to join (401), a kicked seat is refused (403).
SEATED = (401, 403, 404, 422)
POSTED = (400, 413, 415, 422)  # a body: refused by the service, too large, a form, or not the schema
HOST = (*POSTED, 401, 403, 404, 409)
PLAYER = (*HOST, 429)
JOIN = (*POSTED, 404, 409, 429)
