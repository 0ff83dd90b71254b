"""Request and response bodies of the JSON API.

Requests are strict: unknown fields, strings for numbers and booleans for numbers are refused before a
service runs. Responses document the dict shapes of mmgame.services.snapshots (the same ones the
websockets and pages use); they allow extra keys, so a field added there reaches clients unchanged.
"""

from __future__ import annotations

from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field, StrictBool, StrictInt, StrictStr, model_validator

from mmgame.inputs import ORDER_NUMBERS, Refused, order_fields
from mmgame.services.trading import IDEMPOTENCY_KEY_MAX

from .numbers import Amount, Count, Quantity


class Request(Schema):
    model_config = ConfigDict(extra="forbid")


class Response(Schema):
    model_config = ConfigDict(extra="allow")


# -- requests -------------------------------------------------------------------------------------


class GameIn(Request):
    title: StrictStr = Field(max_length=200)
    hide_names: StrictBool = False


class MarketIn(Request):
    """A draft market. Quantities are exact decimals in the question's units."""

    question: StrictStr = Field(max_length=300)
    unit: StrictStr = Field("", max_length=40)
    lo: Quantity
    hi: Quantity
    integer: StrictBool = False
    prior_mean: Quantity | None = Field(None, description="Defaults to the middle of the range.")
    prior_sd: Quantity | None = Field(None, description="Defaults to a quarter of the range.")
    sd_min: Quantity | None = Field(None, description="Defaults to a small fraction of the range.")
    liquidity: Literal["thin", "normal", "deep"] | Amount = Field("normal", description="b, or a preset.")
    budget: Amount = Field(1000.0, description="Points each player may risk in this market.")


class JoinIn(Request):
    nickname: StrictStr = Field(max_length=100)


class CloseIn(Request):
    countdown: StrictInt | None = Field(
        None, ge=1, le=3600, description="Seconds until the market closes (a countdown every screen shows); none: now."
    )


class ResolveIn(Request):
    outcome: Quantity


class OrderIn(Request):
    """`target`: move the market to N(mean, sd²); `toward`: as far that way as affordable; `shares`: buy
    δ₁ of x and δ₂ of x² as in the seed notebook; `close`: sell the whole position back."""

    kind: Literal["target", "toward", "shares", "close"]
    mean: Quantity | None = None
    sd: Quantity | None = None
    delta_1: Amount | None = None
    delta_2: Amount | None = None

    @model_validator(mode="after")
    def fields_fit_the_kind(self) -> OrderIn:
        try:  # the same rule as the websockets' (mmgame.inputs)
            order_fields(self.kind, {name for name in ORDER_NUMBERS if getattr(self, name) is not None})
        except Refused as refused:
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
    """Every refusal: a stable `code` for programs, a `message` for people, and details by code."""

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


class SeatOut(Response):
    """A seat: keep `seat_token` secret, it is the only proof this seat is yours."""

    player_id: int
    nickname: str
    seat_token: str
    game: GameOut
    session: bool = Field(description="Whether this browser session now holds the seat too.")


class TradeOut(Response):
    """One settled move. Its profit at outcome x is exactly
    liquidity · [ln N(x; mean_after, sd_after²) − ln N(x; mean_before, sd_before²)] (DESIGN 1.2)."""

    id: int
    market_id: int
    sequence: int
    player_id: int
    nickname: str
    kind: str
    fraction: float = Field(description="The part of the requested move that was made (toward/close orders).")
    mean: float = Field(description="The market's mean after the trade (a double; `mean_after` is exact).")
    sd: float = Field(description="The market's σ after the trade (a double; `sd_after` is exact).")
    liquidity: float = Field(description="b: the trade's profit is b times the change in log density.")
    mean_before: str | None = Field(description="The curve the trade moved from, exact decimal (x units).")
    sd_before: str | None = Field(description="The σ the trade moved from, exact decimal (x units).")
    mean_after: str = Field(description="The curve the trade moved to, exact decimal (x units).")
    sd_after: str = Field(description="The σ the trade moved to, exact decimal (x units).")
    cost: float = Field(
        description="C(q′) − C(q) in scaled coordinates z = (x − centre)/half_width: minus the constant term of "
        "the profit written in z. Not points lost; see worst_case."
    )
    worst_case: float = Field(description="Points: the trade's own least profit over the range (≤ 0).")
    shares: list[float] = Field(description="Raw shares (δ₁, δ₂) of x and x² bought, as in the seed notebook.")
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
HOST = (401, 403, 404, 409, 413, 422)
PLAYER = (400, 401, 403, 404, 409, 413, 422)
