"""Classes trading the forecasts people type, with the defaults a host gets without touching the stakes.

Every bank question (mmgame/bank/questions.json), the demo game's market (`manage.py play`) and each question
the market form starts from (mmgame/web/presets.py) is played by classes of 8, 25 and 40. A class is

- 70 % typical: the middle off the answer by N(0, 20 %) (on a log scale by a factor e^N(0, ln 1.5); a year by
  20 % of the years before now; a temperature by N(0, 3 °C), this week's rain or gusts by N(0, 10) mm or
  km/h), typed as a 90 % range of ±20 % (×/÷ 2 on a log scale; ±20 % of the years before now; ±5 °C; ±15 mm
  or km/h), ends rounded as people write them (three figures, two on a log scale, whole numbers for counts
  and years);
- 20 % overconfident: the same, a third as wide;
- 10 % who type an edge of the range as their middle (the edge nearer their belief).

Each student trades to their own forecast three times, each time after others have moved the market (three
rounds, each in a shuffled order). A trade is "as typed" when the market's new curve is exactly the one the
order names. A student refused for collateral takes the trade the refusal names in its `offer`, if it names
one, else the trade of the same middle at the narrowest give-or-take they can afford (found here, by
`same_middle`, independently of the service), else the move as far as they can afford; every such refusal of
a middle that some fair curve has is counted with whether a same-middle trade was affordable and whether the
refusal named one (`--toward`: they move as far as they can afford, as the phone offered before). An unfair
forecast is retyped as the nearest fair one the refusal names, one narrower than σ_min at σ_min.

Two venues play the same class: `Engine` settles each order with mmgame.market's `settle` (the collateral
rule of the service, in the engine's own arithmetic, no database) and `Service` through
mmgame.services.place_trade (real markets, seats and ledger). The suite screens a subset on the engine and
checks one class through the service (tests/bench/test_classroom.py); this runs the whole bank:

    python3 -m benchmarks.classroom                      # every question, classes of 8, 25 and 40
    python3 -m benchmarks.classroom --budget 1000 --liquidity 30 --sizes 25   # another economy
    python3 -m benchmarks.classroom --service --only science-speed-of-sound --sizes 8

It prints a table per question and the totals: typical students' trades as typed, the share of typical
students with three such trades, the refusals that left an affordable trade of the same middle (all students
but those at an edge; typical students alone) and that named one in their `offer`, the house's
bound (its worst case, from the market's rules alone) and its result at the answer, the median Spearman
correlation of a student's forecast score (log score of what they typed, at the answer) with their profit,
and the profit p10–p90 in points.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import random
import statistics
import sys
import time
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mmgame.settings")

import django

django.setup()

from mmgame import bank, numbers  # noqa: E402
from mmgame.market import (  # noqa: E402
    Z90,
    Curve,
    GaussianMarket,
    InsufficientCollateral,
    InvalidCurve,
    Order,
    Range,
    Refused,
    UnfairCurve,
    Wealth,
    default_sd_min,
    fair,
    settle,
    stored_quantity,
)
from mmgame.services.games import DEFAULT_BUDGET, LIQUIDITY  # noqa: E402
from mmgame.services.trading import SMALLEST_FRACTION  # noqa: E402

NOW = 2026
Z = float(Z90)  # the 90 % z-score, 1.6449
SIZES = (8, 25, 40)
# Whether a refused student takes a trade of their own middle (the phone offers it) or, as the phone offered
# before, the move as far as they can afford (`--toward`: how the old defaults were measured).
SAME_MIDDLE = True
TYPICAL, OVERCONFIDENT, EDGE = "typical", "overconfident", "edge"
# The answers assumed where the bank leaves them to the teacher, and for the form's starting questions.
ASSUMED = {
    "room-jelly-beans": "412",
    "room-paper-clips": "300",
    "room-teacher-height": "172",
    "room-book-pages": "352",
    "room-bag-weight": "6.5",
    "room-steps": "16",
    "room-total-ages": "420",
    "weather-high": "18",
    "weather-low": "7",
    "weather-rain": "12",
    "weather-wind": "45",
    "demo": "180",
    "preset-jelly_beans": "412",
    "preset-temperature": "22",
    "preset-year": "1440",
    "preset-population": "8100000000",
    "preset-bacterium": "0.000002",
    "preset-city": "2700000",
    "preset-fermi": "125",
    "preset-custom": "37",
}
# Quantities near zero, where a percentage is no way to be off: (typical error, half of a typed 90 % range).
ABSOLUTE = {
    "weather-high": (3.0, 5.0),
    "weather-low": (3.0, 5.0),
    "preset-temperature": (3.0, 5.0),
    "weather-rain": (10.0, 15.0),
    "weather-wind": (10.0, 15.0),
}


@dataclass(frozen=True)
class Question:
    """A market to play, as add_market would make it with the host's defaults."""

    key: str
    lo: Decimal
    hi: Decimal
    kind: str
    scale: str
    answer: Decimal
    unit: str = ""
    prior_mean: Decimal | None = None
    prior_sd: Decimal | None = None

    @property
    def log(self) -> bool:
        return self.scale == "log"

    def arguments(self) -> dict:
        """add_market's keyword arguments (stakes and budget left to their defaults)."""
        prior = {}
        if self.prior_mean is not None:
            prior = {"prior_median": self.prior_mean} if self.log else {"prior_mean": self.prior_mean}
            prior |= {"prior_sd_log": self.prior_sd} if self.log else {"prior_sd": self.prior_sd}
        return {
            "question": self.key,
            "unit": self.unit,
            "kind": self.kind,
            "scale": self.scale,
            "lo": self.lo,
            "hi": self.hi,
            "first_guess": False,
            **prior,
        }


def questions() -> list[Question]:
    """The bank, the demo and the form's starting questions, each with its answer (assumed where none)."""
    found = [
        Question(
            q.key,
            q.lo,
            q.hi,
            q.kind,
            q.scale,
            q.answer if q.answer is not None else Decimal(ASSUMED[q.key]),
            q.unit,
            q.prior,
            q.prior_sd,
        )
        for q in bank.questions()
    ]
    found.append(
        Question(
            "demo",
            Decimal(0),
            Decimal(300),
            "count",
            "linear",
            Decimal(ASSUMED["demo"]),
            "beans",
            Decimal(100),
            Decimal(100),
        )
    )
    from mmgame.web.presets import PRESETS

    for preset in PRESETS.values():
        unit = str(preset.unit)

        def read(value: object, unit: str = unit) -> Decimal:
            return numbers.read_number(str(value), unit=unit, language="en").value

        found.append(
            Question(
                f"preset-{preset.key}",
                read(preset.lo),
                read(preset.hi),
                preset.kind,
                preset.scale,
                Decimal(ASSUMED[f"preset-{preset.key}"]),
                unit,
            )
        )
    return found


def figures(value: float, digits: int = 3) -> float:
    """A number as people write it: `digits` significant figures."""
    if value == 0 or not math.isfinite(value):
        return value
    return round(value, digits - 1 - math.floor(math.log10(abs(value))))


@dataclass
class Student:
    number: int
    kind: str
    order: Order
    typed: int = 0  # trades stored exactly as typed
    refusals: list[str] = field(default_factory=list)


def forecast(question: Question, kind: str, rng: random.Random) -> Order:
    """What a student of that kind types, as the order the phone sends: a 90 % range (the phone sends a
    linear market's as its mean and σ), or a middle at an edge with a typical give-or-take."""
    lo, hi, answer = float(question.lo), float(question.hi), float(question.answer)
    whole = question.kind != "measure"
    narrow = 3 if kind == OVERCONFIDENT else 1
    if question.log:
        middle = answer * math.exp(rng.gauss(0, math.log(1.5)))
        factor = 2 ** (1 / narrow)
        if kind == EDGE:
            edge = lo if math.log(middle / lo) < math.log(hi / middle) else hi
            return Order("target", median=edge, sd_log=math.log(factor) / Z)
        low, high = (max(lo, min(hi, figures(v, 2))) for v in (middle / factor, middle * factor))
        if whole:
            low, high = max(lo, round(low)), min(hi, round(high))
        return Order("target", low=low, high=high)
    if question.key in ABSOLUTE:
        error, half = ABSOLUTE[question.key]
        middle = answer + rng.gauss(0, error)
    elif question.kind == "year":
        before = NOW - answer
        middle, half = answer + rng.gauss(0, 0.2 * before), 0.2 * before
    else:
        middle = answer * (1 + rng.gauss(0, 0.2))
        half = 0.2 * abs(middle)
    half /= narrow
    if kind == EDGE:
        edge = lo if middle - lo < hi - middle else hi
        return Order("target", mean=edge, sd=half / Z)
    middle = min(max(middle, lo), hi)
    ends = [middle - half, middle + half]
    ends = [round(v) if whole or question.kind == "year" else figures(v) for v in ends]
    low, high = max(lo, ends[0]), min(hi, ends[1])
    if not low < high:
        low, high = max(lo, middle - half), min(hi, middle + half)
    return Order("target", mean=(low + high) / 2, sd=(high - low) / (2 * Z))


def class_of(size: int, rng: random.Random) -> list[str]:
    """70 % typical, 20 % overconfident, 10 % at an edge (rounded, at least one typical)."""
    edge, overconfident = round(size * 0.1), round(size * 0.2)
    return [EDGE] * edge + [OVERCONFIDENT] * overconfident + [TYPICAL] * (size - edge - overconfident)


class Engine:
    """A market settled by mmgame.market.settle, with the service's rules around it (a dust fill refused)."""

    def __init__(self, question: Question, liquidity: float, budget: float) -> None:
        integer = question.kind != "measure"
        rng = Range(
            stored_quantity(question.lo, "lo"),
            stored_quantity(question.hi, "hi"),
            integer,
            question.kind,
            question.unit,
            question.scale,
        )
        if question.prior_mean is not None:
            mean, sd = question.prior_mean, question.prior_sd
        else:
            mean, sd = rng.point(rng.centre), rng.half_width / 2
        self.market = GaussianMarket.create(
            rng, liquidity, stored_quantity(mean, "m"), stored_quantity(sd, "s"), default_sd_min(rng)
        )
        self.budget = budget
        self.wealth: dict[int, Wealth] = {}

    def trade(self, seat: int, order: Order):
        wealth = self.wealth.get(seat, Wealth(self.budget))
        result = settle(self.market, wealth, order)
        if result.move.fraction < SMALLEST_FRACTION:
            raise InsufficientCollateral("you cannot afford any move in that direction", affordable_fraction=0.0)
        if result.move.after == self.market.curve:
            return None
        self.market = self.market.trade(result.move)
        self.wealth[seat] = result.wealth_after
        return self.market.curve

    def wealth_of(self, seat: int) -> Wealth:
        return self.wealth.get(seat, Wealth(self.budget))

    def profit(self, seat: int, outcome: Decimal) -> float:
        wealth = self.wealth.get(seat, Wealth(self.budget))
        return float(wealth.value_at(Decimal(repr(self.market.settle_z(outcome))))) - self.budget


class Service:
    """The same class through mmgame.services: a game, a market with the defaults, a seat per student."""

    def __init__(self, question: Question, liquidity: float | None, budget: float | None) -> None:
        from django.contrib.auth import get_user_model

        from mmgame import services

        self.services = services
        host, _ = get_user_model().objects.get_or_create(username="classroom-host")
        self.game = services.create_game(host, "Classroom")
        stakes = {} if liquidity is None else {"liquidity": liquidity}
        stakes |= {} if budget is None else {"budget": budget}
        market = services.add_market(host, self.game, **question.arguments(), **stakes)
        self.market_id = market.pk
        services.open_market(host, market.pk)
        self.seats: dict = {}
        self.keys = 0

    @property
    def market(self) -> GaussianMarket:
        from mmgame.models import Market

        return Market.objects.get(pk=self.market_id).engine

    def trade(self, seat: int, order: Order):
        from mmgame.models import Market
        from mmgame.services.errors import NoMove

        player = self.seats.get(seat) or self.seats.setdefault(
            seat, self.services.join_game(self.game.join_code, f"s{seat}")
        )
        self.keys += 1
        try:
            self.services.place_trade(player, self.market_id, order, idempotency_key=f"k{self.keys}")
        except NoMove:
            return None
        market = Market.objects.get(pk=self.market_id)
        return market.engine.curve

    def wealth_of(self, seat: int) -> Wealth:
        from mmgame.models import Market
        from mmgame.services.trading import position_wealth

        player = self.seats.get(seat)
        market = Market.objects.get(pk=self.market_id)
        return position_wealth(market, player) if player else Wealth(market.budget)

    def profit(self, seat: int, outcome: Decimal) -> float:
        from mmgame.models import Position

        player = self.seats.get(seat)
        position = Position.objects.filter(player=player, market_id=self.market_id).first() if player else None
        if position is None:
            return 0.0
        market = self.market
        return float(position.wealth.value_at(Decimal(repr(market.settle_z(outcome))))) - position.budget


@dataclass
class Played:
    """One class's record on one question."""

    key: str
    size: int
    typical_trades: int = 0
    typical_as_typed: int = 0
    typical_students: int = 0
    typical_three: int = 0
    collateral_refusals: int = 0  # of students whose middle some fair curve has (not those at an edge)
    edge_refusals: int = 0
    offered: int = 0  # …of which some trade of that middle was affordable, and was settled when taken
    named: int = 0  # …of which the refusal itself named a trade of that middle (its `offer`) that then settled
    typical_refusals: int = 0  # the same two counts for typical students alone
    typical_offered: int = 0
    other_refusals: int = 0
    house_bound: float = 0.0
    house_result: float = 0.0
    spearman: float = math.nan
    profits: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # same-middle offers that were refused when taken


def offer_of(market: GaussianMarket, error: InsufficientCollateral) -> Order | None:
    """The trade a refusal names in its `offer`, if it names one (docs/protocol.md), as an order."""
    offer = error.details.get("offer")
    centre, spread = market.range.curve_names
    if not isinstance(offer, dict) or centre not in offer or spread not in offer:
        return None
    return Order("target", **{centre: offer[centre], spread: offer[spread]})


def middle_of(market: GaussianMarket, order: Order) -> float:
    """An order's middle in y: its mean, or ln of its median, or the middle of its 90 % interval in ln x."""
    if not market.range.log:
        return float(order.mean)
    if order.low is None:
        return math.log(float(order.median))
    return (math.log(float(order.low)) + math.log(float(order.high))) / 2


def same_middle(market: GaussianMarket, wealth: Wealth, middle: float, sd: float) -> Order | None:
    """The trade of this middle (in y) that the trader can afford and the market takes, its give-or-take
    nearest `sd` (in y), said in two figures where they stay affordable; None when there is none.

    With the middle fixed a curve is θ = λ·(μ′, −½) (λ = 1/σ′²): a line through the origin, along which
    W(x) after the move is concave, so the affordable λ are an interval (docs/maths.md § Bounded loss), found on ln λ
    between the widest fair curve (σ′² = 1 − μ′² in z) and σ_min."""
    rng = market.range
    m = rng.y_to_z(Decimal(repr(middle)))
    room = 1 - m * m
    if room <= market.sd_min_z**2:
        return None

    def worst(u: float) -> float:
        try:
            return (wealth + market.move(Curve(m, math.exp(-u / 2))).pnl).worst()[0]
        except Refused:  # σ_min, to a rounding
            return -math.inf

    lowest, highest = -math.log(room), -2 * math.log(market.sd_min_z) - 1e-9
    typed = min(max(-2 * math.log(float(rng.sd_to_z(Decimal(repr(sd))))), lowest), highest)
    edge = typed
    if worst(typed) < 0:
        best = max((worst(u), u) for u in (lowest + (highest - lowest) * i / 64 for i in range(65)))
        if best[0] < 0:
            return None
        inside, outside = best[1], typed
        for _ in range(60):
            mid = (inside + outside) / 2
            inside, outside = (mid, outside) if worst(mid) >= 0 else (inside, mid)
        edge = inside
    sd_x = rng.sd_to_x(math.exp(-edge / 2))
    centre, spread = rng.curve_names
    middle_x = math.exp(middle) if rng.log else middle
    for digits in (2, 3, 4, 6, 17):
        scale = 10 ** (math.floor(math.log10(sd_x)) - digits + 1)
        written = (math.ceil if edge < typed else math.floor)(sd_x / scale) * scale
        order = Order("target", **{centre: middle_x, spread: written})
        try:
            curve = market.curve_from_order(order)
        except Refused:
            continue
        if fair(curve) and (wealth + market.move(curve).pnl).covered:
            return order
    return None


def wanted_sd(market: GaussianMarket, curve: Curve) -> float:
    return market.range.sd_to_x(curve.sd)


def asked(market: GaussianMarket, order: Order):
    return market.curve_from_order(order)


def play(question: Question, size: int, venue, seed: int) -> Played:
    rng = random.Random(seed)
    market = venue.market
    record = Played(question.key, size, house_bound=market.subsidy())
    students = [Student(i, kind, forecast(question, kind, rng)) for i, kind in enumerate(class_of(size, rng))]
    last = None
    for _ in range(3):
        order = students[:]
        rng.shuffle(order)
        if order[0] is last and len(order) > 1:
            order[0], order[1] = order[1], order[0]
        for student in order:
            as_typed = attempt(venue, student, record)
            if student.kind == TYPICAL:
                record.typical_trades += 1
                record.typical_as_typed += as_typed
            student.typed += as_typed
            last = student
    market = venue.market
    outcome = question.answer
    record.house_result = market.house_result(outcome)
    scores, profits = [], []
    z = market.settle_z(outcome)
    for student in students:
        try:
            curve = asked(market, student.order)
        except Refused:
            continue
        scores.append(curve.log_density(z))
        profits.append(venue.profit(student.number, outcome))
    record.profits = profits
    record.spearman = spearman(scores, profits)
    typical = [s for s in students if s.kind == TYPICAL]
    record.typical_students = len(typical)
    record.typical_three = sum(s.typed == 3 for s in typical)
    return record


def attempt(venue, student: Student, record: Played) -> bool:
    """One trade to the student's forecast; on a refusal, what they then do. True when stored as typed."""
    market = venue.market
    try:
        wanted = asked(market, student.order)
    except InvalidCurve as error:  # narrower than σ_min: retyped at the finest the market takes
        record.other_refusals += 1
        least = Decimal(repr(error.details.get("sd_min", float(market.sd_min))))
        if market.range.log:
            student.order = Order("target", median=math.exp(middle_of(market, student.order)), sd_log=least)
        else:
            student.order = Order("target", mean=student.order.mean, sd=least)
        return False
    try:
        after = venue.trade(student.number, student.order)
        return after is None or after == wanted
    except UnfairCurve as error:  # an edge: retyped as the nearest fair curve, traded next time
        record.other_refusals += 1
        centre, spread = market.range.curve_names
        fair = (Decimal(error.details[f"nearest_{centre}"]), Decimal(error.details[f"nearest_{spread}"]))
        student.order = Order("target", **dict(zip(market.range.curve_names, fair, strict=True)))
        return False
    except InsufficientCollateral as error:
        if student.kind == EDGE:
            record.edge_refusals += 1
        else:
            record.collateral_refusals += 1
            record.typical_refusals += student.kind == TYPICAL
        wealth = venue.wealth_of(student.number)
        mine = same_middle(market, wealth, middle_of(market, student.order), float(wanted_sd(market, wanted)))
        named = offer_of(market, error)
        if named is not None and mine is not None and student.kind != EDGE:
            # The same middle, to the precision the offer is written at (a tenth of its give-or-take).
            said, spread = middle_of(market, named), float(named.sd_log if market.range.log else named.sd)
            close = 0.1 * max(spread, wanted_sd(market, wanted))
            record.named += abs(said - middle_of(market, student.order)) <= close
        # Counted when affordable (checked exactly, as settling checks), uncounted if it then fails to settle.
        record.offered += student.kind != EDGE and mine is not None
        record.typical_offered += student.kind == TYPICAL and mine is not None
        offer = named or (mine if SAME_MIDDLE else None)
        if offer is not None:
            try:
                venue.trade(student.number, offer)
            except Refused as refused:
                record.failures.append(f"{student.kind}: {refused.message}")
                record.named -= named is not None and student.kind != EDGE
                record.offered -= offer is mine and student.kind != EDGE
                record.typical_offered -= offer is mine and student.kind == TYPICAL
            return False
        toward = Order(
            "toward", **{k: getattr(student.order, k) for k in ("mean", "sd", "median", "sd_log", "low", "high")}
        )
        with contextlib.suppress(Refused):
            venue.trade(student.number, toward)
        return False
    except Refused:
        record.other_refusals += 1
        return False


def spearman(xs: list[float], ys: list[float]) -> float:
    if len(xs) < 3:
        return math.nan
    rx, ry = ranks(xs), ranks(ys)
    mx, my = statistics.fmean(rx), statistics.fmean(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    vx, vy = sum((a - mx) ** 2 for a in rx), sum((b - my) ** 2 for b in ry)
    return cov / math.sqrt(vx * vy) if vx and vy else math.nan


def ranks(values: list[float]) -> list[float]:
    order = sorted(range(len(values)), key=values.__getitem__)
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2
        i = j + 1
    return out


def seed_of(key: str, size: int, repeat: int) -> int:
    return zlib.crc32(f"{key}/{size}/{repeat}".encode())


def run(
    chosen: Iterable[Question],
    sizes: Iterable[int] = SIZES,
    *,
    liquidity: float | None = None,
    budget: float | None = None,
    repeats: int = 1,
    service: bool = False,
) -> list[Played]:
    b = LIQUIDITY["normal"] if liquidity is None else liquidity
    points = DEFAULT_BUDGET if budget is None else budget
    played = []
    for question in chosen:
        for size in sizes:
            for repeat in range(repeats):
                venue = Service(question, liquidity, budget) if service else Engine(question, b, points)
                played.append(play(question, size, venue, seed_of(question.key, size, repeat)))
    return played


@dataclass(frozen=True)
class Summary:
    as_typed: float
    three: float
    refusals: int
    offered: float
    named: float
    typical_offered: float
    worst_question: tuple[str, float]
    spearman: float
    p10: float
    p90: float
    house_bound: float
    house_worst_result: float


def summary(played: list[Played]) -> Summary:
    trades = sum(p.typical_trades for p in played)
    per_question: dict[str, list[int]] = {}
    for p in played:
        tally = per_question.setdefault(p.key, [0, 0])
        tally[0] += p.typical_as_typed
        tally[1] += p.typical_trades
    worst = min(((key, a / t) for key, (a, t) in per_question.items() if t), key=lambda kv: kv[1])
    profits = sorted(x for p in played for x in p.profits)
    refusals = sum(p.collateral_refusals for p in played)
    rhos = [p.spearman for p in played if not math.isnan(p.spearman)]
    return Summary(
        as_typed=sum(p.typical_as_typed for p in played) / trades,
        three=sum(p.typical_three for p in played) / sum(p.typical_students for p in played),
        refusals=refusals,
        offered=sum(p.offered for p in played) / refusals if refusals else 1.0,
        named=sum(p.named for p in played) / refusals if refusals else 1.0,
        typical_offered=share(sum(p.typical_offered for p in played), sum(p.typical_refusals for p in played)),
        worst_question=worst,
        spearman=statistics.median(rhos) if rhos else math.nan,
        p10=quantile(profits, 0.1),
        p90=quantile(profits, 0.9),
        house_bound=max(p.house_bound for p in played),
        house_worst_result=max(p.house_result for p in played),
    )


def share(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def quantile(values: list[float], q: float) -> float:
    if not values:
        return math.nan
    return values[min(len(values) - 1, int(q * len(values)))]


def table(played: list[Played]) -> str:
    lines = [
        f"{'question':34} {'as typed':>8} {'three':>6} {'refused':>7} {'offered':>7} {'typical':>7} {'rho':>5} "
        f"{'p10':>7} {'p90':>7} {'bound':>6} {'house':>7}"
    ]
    keys = list(dict.fromkeys(p.key for p in played))
    for key in keys:
        rows = [p for p in played if p.key == key]
        s = summary(rows)
        lines.append(
            f"{key:34} {s.as_typed:8.0%} {s.three:6.0%} {s.refusals:7d} {s.offered:7.0%} {s.typical_offered:7.0%} "
            f"{s.spearman:5.2f} "
            f"{s.p10:7.0f} {s.p90:7.0f} {s.house_bound:6.0f} {s.house_worst_result:7.0f}"
        )
    lines.append("")
    for size in sorted({p.size for p in played}):
        s = summary([p for p in played if p.size == size])
        lines.append(f"class of {size:2d}: " + describe(s))
    lines.append("all:         " + describe(summary(played)))
    return "\n".join(lines)


def describe(s: Summary) -> str:
    return (
        f"as typed {s.as_typed:.1%} (lowest {s.worst_question[0]} {s.worst_question[1]:.0%}), three as typed "
        f"{s.three:.1%}, collateral refusals {s.refusals} ({s.offered:.1%} with an affordable trade of the same "
        f"middle, typical students' {s.typical_offered:.1%}; {s.named:.0%} named by the refusal), "
        f"Spearman median {s.spearman:.2f}, profit p10–p90 {s.p10:.0f} to {s.p90:.0f} points, house bound "
        f"≤ {s.house_bound:.0f}, house's worst result {s.house_worst_result:.0f}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--only", nargs="+", help="question keys (bank keys, demo, preset-<key>)")
    parser.add_argument("--liquidity", type=float, help="b (default: the normal stakes)")
    parser.add_argument("--budget", type=float, help="points per player and market (default: the default)")
    parser.add_argument("--repeats", type=int, default=1, help="classes per question and size")
    parser.add_argument("--service", action="store_true", help="through mmgame.services (a scratch SQLite file)")
    parser.add_argument("--toward", action="store_true", help="refused students move as far as they can afford")
    args = parser.parse_args(argv)
    chosen = [q for q in questions() if not args.only or q.key in args.only]
    global SAME_MIDDLE
    SAME_MIDDLE = not args.toward
    start = time.perf_counter()
    if args.service:
        played = run_on_scratch_database(chosen, args)
    else:
        played = run(chosen, args.sizes, liquidity=args.liquidity, budget=args.budget, repeats=args.repeats)
    b = LIQUIDITY["normal"] if args.liquidity is None else args.liquidity
    points = DEFAULT_BUDGET if args.budget is None else args.budget
    print(
        f"b = {b:g}, budget {points:g} points ({points / b:.0f} nats), {len(played)} classes, "
        f"{time.perf_counter() - start:.0f} s"
    )
    print(table(played))


def run_on_scratch_database(chosen: list[Question], args) -> list[Played]:
    """The service venue on a fresh SQLite database of its own, removed afterwards."""
    import tempfile

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    with tempfile.TemporaryDirectory() as scratch:
        settings.DATABASES["default"]["NAME"] = str(Path(scratch) / "classroom.sqlite3")
        connections["default"].close()
        settings.RATE_LIMITS = {}
        settings.MAX_OPEN_GAMES_PER_HOST = 10**9  # one host plays every class of the simulation (services.caps)
        call_command("migrate", verbosity=0)
        return run(chosen, args.sizes, liquidity=args.liquidity, budget=args.budget, repeats=args.repeats, service=True)


if __name__ == "__main__":
    main()
