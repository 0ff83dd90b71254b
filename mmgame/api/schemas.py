"""Request and response bodies of the JSON API.

Requests are strict: unknown fields, strings for numbers and booleans for numbers are refused before a
service runs. Responses document the dict shapes of mmgame.queries.shapes (the same ones the
websockets and pages use); they allow extra keys, so a field added there reaches clients unchanged.
"""

from __future__ import annotations

from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field, StrictBool, StrictInt, StrictStr, model_validator

from mmgame.inputs import ORDER_FIELDS, ORDER_NUMBERS, BadInput, order_fields
from mmgame.models.game import DEFAULT_MAX_PLAYERS, MAX_PLAYERS_LIMIT
from mmgame.nicknames import NICKNAME_MAX
from mmgame.services.trading import IDEMPOTENCY_KEY_MAX

from .numbers import Amount, Count, Liquidity, Quantity

VISIBLE = r"\S"  # text that is not blank: the services refuse what is empty once stripped


class Request(Schema):
    model_config = ConfigDict(extra="forbid")


def one_shape_per_kind(schema: dict, model: type) -> None:
    """The order's schema as what the server enforces: one object shape per kind, each with exactly its
    numbers (mmgame.inputs.ORDER_FIELDS; another kind's number may only be null), and nothing else."""
    properties, required = schema["properties"], schema.get("required", [])
    variants = []
    for kind, fields in ORDER_FIELDS.items():
        shape = {"kind": {"const": kind}}
        for name, field in properties.items():
            if name in ORDER_NUMBERS:
                shape[name] = field["anyOf"][0] if name in fields else {"type": "null"}
            elif name != "kind":
                shape[name] = field
        variants.append(
            {
                "title": f"{kind} order",
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
    max_players: StrictInt = Field(
        DEFAULT_MAX_PLAYERS,
        ge=1,
        le=MAX_PLAYERS_LIMIT,
        description="Seats the game takes (removed players do not count).",
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
    prior_mean: Quantity | None = Field(None, description="Defaults to the middle of the range.")
    prior_sd: Quantity | None = Field(None, description="Defaults to a quarter of the range.")
    sd_min: Quantity | None = Field(None, description="Defaults to a small fraction of the range.")
    liquidity: Liquidity = "normal"
    budget: Amount = Field(1000.0, description="Points each player may risk in this market.")


class JoinIn(Request):
    nickname: StrictStr = Field(
        min_length=1,
        max_length=NICKNAME_MAX,
        pattern=VISIBLE,
        description="Spaces are collapsed; a name taken in this game, ignoring case and width, is nickname_taken.",
    )


class OpenIn(Request):
    close_others: StrictBool = Field(
        False, description="Close the game's other open or paused market first (else opening is refused with 409)."
    )


class CloseIn(Request):
    countdown: StrictInt | None = Field(
        None, ge=1, le=3600, description="Seconds until the market closes (a countdown every screen shows); none: now."
    )


class ResolveIn(Request):
    outcome: Quantity


class OrderIn(Request):
    """`target`: move the market to N(mean, sd²); `toward`: as far that way as affordable; `shares`: buy
    δ₁ of x and δ₂ of x² as in the seed notebook; `close`: sell the whole position back."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=one_shape_per_kind)

    kind: Literal["target", "toward", "shares", "close"]
    mean: Quantity | None = None
    sd: Quantity | None = None
    delta_1: Amount | None = None
    delta_2: Amount | None = None

    @model_validator(mode="after")
    def fields_fit_the_kind(self) -> OrderIn:
        try:  # the same rule as the websockets' (mmgame.inputs)
            order_fields(self.kind, {name for name in ORDER_NUMBERS if getattr(self, name) is not None})
        except BadInput as refused:
            raise ValueError(refused.message) from None
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
    `no_move` (400: the trade would not move the market — shares of zero or rounding to zero, a target at
    the current curve), `malformed_json` (400), `not_authenticated` (401), `csrf_failed` and `forbidden`
    (403), `not_found` (404), `method_not_allowed` (405), `market_not_open`, `stale_quote`,
    `max_cost_exceeded`, `max_loss_exceeded`, `idempotency_conflict`, `nickname_taken`, `invalid_status_change` (409),
    `body_too_large` (413), `unsupported_media_type` (415: bodies are JSON, not forms), `invalid_request`
    (422, `errors`), `rate_limited` (429: over 20 trades or 30 quotes a second a seat, or 300 joins a minute
    an address; `retry_after` seconds, also in the Retry-After header)."""

    code: str
    message: str


class ValidationErrorOut(ErrorOut):
    errors: list[dict]


class GameOut(Response):
    id: int
    title: str
    join_code: str
    status: str
    hide_names: bool


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
    status: str
    sequence: int
    mean: float
    sd: float
    prices: list[float]
    prior_mean: float
    prior_sd: float
    sd_min: float
    liquidity: float
    budget: float
    subsidy: float
    outcome: float | None
    closes_at: str | None = Field(None, description="While a countdown runs: when the market closes (ISO 8601).")


class ResolvedMarketOut(MarketOut):
    outcome_exact: str = Field(description="The outcome the market settled at, as an exact decimal.")


class GameDetailOut(Response):
    game: GameOut
    markets: list[MarketOut]
    players: int


class PlayerOut(Response):
    id: int
    nickname: str
    kicked: bool
    name_freed: bool = Field(description="The host freed this removed player's nickname for someone else.")


class SeatOut(Response):
    """A seat: keep `seat_token` secret, it is the only proof this seat is yours."""

    player_id: int
    nickname: str
    seat_token: str
    game: GameOut
    session: bool = Field(description="Whether this browser session now holds the seat too.")


class TradeOut(Response):
    """A line of the trade feed. When the game hides names, another player's line has `player_id`,
    `nickname`, `fraction`, `cost`, `worst_case` and `shares` as null (who traded and what it cost them);
    `mean`, `sd` and the exact curves, where the trade moved the market, are the market's own history.
    A settled move's profit at outcome x is exactly
    liquidity · [ln N(x; mean_after, sd_after²) − ln N(x; mean_before, sd_before²)] (DESIGN 1.2)."""

    id: int
    market_id: int
    sequence: int
    player_id: int | None
    nickname: str | None
    kind: str
    fraction: float | None = Field(
        description="The part of the requested move that was made (toward/close orders); null in others' hidden lines."
    )
    mean: float = Field(description="The market's mean after the trade (a double; `mean_after` is exact).")
    sd: float = Field(description="The market's σ after the trade (a double; `sd_after` is exact).")
    liquidity: float = Field(description="b: the trade's profit is b times the change in log density.")
    mean_before: str | None = Field(description="The curve the trade moved from, exact decimal (x units).")
    sd_before: str | None = Field(description="The σ the trade moved from, exact decimal (x units).")
    mean_after: str = Field(description="The curve the trade moved to, exact decimal (x units).")
    sd_after: str = Field(description="The σ the trade moved to, exact decimal (x units).")
    cost: float | None = Field(
        description="C(q′) − C(q) in scaled coordinates z = (x − centre)/half_width: minus the constant term of "
        "the profit written in z. Not points lost; see worst_case. Null in others' hidden lines."
    )
    worst_case: float | None = Field(
        description="Points: the trade's own least profit over the range (≤ 0). Null in others' hidden lines."
    )
    shares: list[float] | None = Field(
        description="Raw shares (δ₁, δ₂) of x and x² bought, as in the seed notebook. Null in others' hidden lines."
    )
    created_at: str


class Polynomial(Response):
    """c₀ + c₁·z + c₂·z² with z = (x − centre) / half_width."""

    const: float
    linear: float
    quadratic: float
    centre: float
    half_width: float


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
    market_id: int
    sequence: int
    mean: float
    sd: float
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


class MarketLeaderboardOut(Response):
    market_id: int
    status: str
    profit: list[StandingOut]
    accuracy: list[StandingOut] = Field(description="Log score of each trader's last forecast; after resolution.")


class GameLeaderboardOut(Response):
    game_id: int
    profit: list[StandingOut]


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
