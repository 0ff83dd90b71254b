"""What a student can learn from the informed practice traders' trades (docs/practice-traders.md): nothing
better than the clues' own average, and no single clue to better than a person's typed forecast would give it.

The attack reads `GET /api/markets/{id}/trades` as a seated student does, and inverts each bot's first trade
as the practice traders used to make it: a best response with a = 1/b from an empty position moves the market
halfway, in natural parameters, toward the bot's belief (θ′ = (θᵢ + θ)/2, docs/maths.md § Aggregation), cut by
`fraction`; so θᵢ = θ + 2(θ′ − θ)/fraction. The belief's spread s gives the clue's noise τ (1/τ² = 1/s² − 1/σ₀²), its
middle the clue c = τ²(m/s² − μ₀/σ₀²) (docs/maths.md § Clues). Where τ was a function of the answer (a percent of it on
a linear market, an amount in the unit on a log one) τ alone gave the answer away; elsewhere the attack
averages the clues it read; it is credited with the better of the two over the markets. It is run on every
kind of clue noise, linear and log, over seeded markets. A phone's socket carries the same curves and no more
(checked on each market), so the API is the most a student can read.
"""

from __future__ import annotations

import math
import random
import statistics
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from mmgame import services
from mmgame.models import Clue, Market, Player
from mmgame.queries import screens

from .conftest import JSONClient

# The same ids in every run, whatever ran before on the worker: a seat's clue is drawn from its id, a bot's
# private draws from its id, the market's and the clock's (fixed below), so the markets are the same every time.
pytestmark = [pytest.mark.django_db(transaction=True, reset_sequences=True), pytest.mark.slow]
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

P = Market.Phase
BOTS = 10
MARKETS = 10

LOG = {"lo": 10, "hi": 100_000, "scale": "log", "prior_median": 1000, "prior_sd_log": 0.7}
CASES = {
    # name: (the market's shape, the clues' noise and kind, how the answer is drawn about the prior's middle)
    "percent, linear": ({"lo": 0, "hi": 2000}, 15, "percent"),
    "unit, linear": ({"lo": 0, "hi": 2000}, 100, "absolute"),
    "percent, log": (LOG, 15, "percent"),
    "unit, log": (LOG, 150, "absolute"),
}  # fmt: skip


@pytest.fixture(autouse=True)
def fixed_secret(settings):
    """The bots' private draws are keyed by SECRET_KEY: the same key in every run, the same markets."""
    settings.SECRET_KEY = "what the bots reveal"


def natural(mean: float, sd: float) -> tuple[float, float]:
    return mean / sd**2, -1 / (2 * sd**2)


def from_natural(t_1: float, t_2: float) -> tuple[float, float]:
    variance = -1 / (2 * t_2)
    return t_1 * variance, math.sqrt(variance)


def curve_y(line: dict, when: str, log: bool) -> tuple[float, float]:
    """A feed line's curve before or after the trade, in y (x, or ln x on a log market)."""
    if log:
        return math.log(float(line[f"median_{when}"])), float(line[f"sd_log_{when}"])
    return float(line[f"mean_{when}"]), float(line[f"sd_{when}"])


def read_belief(line: dict, log: bool) -> tuple[float, float] | None:
    """The belief a first trade of a = 1/b from an empty position points at, or None where there is none."""
    (b_1, b_2), (a_1, a_2) = natural(*curve_y(line, "before", log)), natural(*curve_y(line, "after", log))
    f = line["fraction"] or 1.0
    t_1, t_2 = b_1 + 2 * (a_1 - b_1) / f, b_2 + 2 * (a_2 - b_2) / f
    return from_natural(t_1, t_2) if t_2 < 0 else None


def play_market(host, game, case: str, rng: random.Random, start) -> dict:
    """One round of the ten bots' first trades; what the attack reads and what the clues were, in y."""
    shape, noise, kind = CASES[case]
    log = shape.get("scale") == "log"
    answer = round(1000 * math.exp(rng.uniform(-0.6, 0.6)), 2) if log else round(rng.uniform(600, 1400), 2)
    market = services.add_market(host, game, question="How many?", first_guess=False, answer=answer, **shape)
    services.set_clues(host, market.pk, noise=noise, kind=kind)
    Market.objects.filter(pk=market.pk).update(clue_seed=rng.getrandbits(62))
    services.step_market(host, market.pk, phase=P.QUESTION, close_others=True)
    services.step_market(host, market.pk, phase=P.TRADING, close_others=True)
    services.watched([game.pk], start)  # the wall shows the round: its bots keep going
    t = 0.0
    while t <= 4:  # every bot wakes within 3.5 s and trades; its next step is 3–8 s on
        services.run_due("runner", start + timedelta(seconds=t))
        t += 0.5
    market = Market.objects.get(pk=market.pk)
    return {"market": market, "answer": answer, "log": log, "noise": noise, "kind": kind}


def socket_lines(student, market: Market) -> list[dict]:
    """The bots' feed lines a student's phone receives in its socket snapshot (updates carry the same lines)."""
    snapshot = screens.snapshot(screens.Screen("player", market.game_id, student.pk, student.nickname))
    return [line for line in snapshot["trades"][str(market.pk)] if line["is_bot"]]


def attack(student_api, played: dict) -> dict:
    """The attack on one market from the student's API read; its errors and the clues' average's, in y."""
    market, log = played["market"], played["log"]
    y = math.log if log else float
    lines = student_api.get(f"/api/markets/{market.pk}/trades", limit=200).json()
    bots = dict(Player.objects.filter(game_id=market.game_id, is_bot=True).values_list("pk", "nickname"))
    drawn = Clue.objects.filter(market=market, player__in=bots).values_list("player", "value")
    clues = {p: y(float(v)) for p, v in drawn}
    mu_0, sigma_0 = y(float(market.prior_mean)), float(market.prior_sd)
    truth = y(played["answer"])
    seen, read, leaked = set(), {}, []
    for line in lines:
        if not line["is_bot"] or line["nickname"] in seen or line["kind"] != "toward":
            continue
        seen.add(line["nickname"])
        belief = read_belief(line, log)
        if belief is None or belief[1] >= sigma_0:
            continue
        m, s = belief
        tau2 = 1 / (1 / s**2 - 1 / sigma_0**2)
        player = next(p for p, name in bots.items() if name == line["nickname"])
        read[player] = tau2 * (m / s**2 - mu_0 / sigma_0**2)
        tau = math.sqrt(tau2)
        if played["kind"] == "percent" and not log:  # τ = |X|·p: X = τ/p
            leaked.append(tau / (played["noise"] / 100))
        elif played["kind"] == "absolute" and log:  # τ = ln(1 + noise/X): X = noise/(e^τ − 1)
            leaked.append(math.log(played["noise"] / math.expm1(tau)))
    assert len(read) >= BOTS - 2, len(read)
    pooled = statistics.fmean(read.values())
    return {
        "pooled": abs(pooled - truth),
        "leaked": abs(statistics.median(leaked) - truth) if leaked else math.inf,
        "clue_average": abs(statistics.fmean(clues.values()) - truth),
        "per_clue": [abs(read[p] - clues[p]) for p in read],
        "tau": services.clues.noise_sd(market),
    }


@pytest.mark.parametrize("case", list(CASES))
def test_the_bots_trades_tell_a_student_no_more_than_the_clues_average(host, game, case):
    student = services.join_game(game.join_code, "Student")
    student_api = JSONClient(Client(enforce_csrf_checks=True), seat_token=student.seat_token)
    services.add_practice_traders(host, game, count=BOTS, knowledge="informed", now=START)
    rng = random.Random(f"reveal {case}")
    start = START
    results = []
    for k in range(MARKETS):
        played = play_market(host, game, case, rng, start + timedelta(seconds=100 * k))
        results.append(attack(student_api, played))
        # The sockets carry each bot trade's curve after it, to ten figures, and nothing the API lacks: no
        # target, no fraction, no clue. So the API's reading above is the most a phone can make of them.
        lines = socket_lines(student, played["market"])
        api = {line["sequence"]: line for line in student_api.get(f"/api/markets/{played['market'].pk}/trades").json()}
        for line in lines:
            assert set(line) <= {
                "sequence",
                "player_id",
                "nickname",
                "is_bot",
                "kind",
                "mean",
                "sd",
                "median",
                "sd_log",
                "cost",
            }
            centre = "median" if played["log"] else "mean"
            assert line[centre] == pytest.approx(float(api[line["sequence"]][f"{centre}_after"]), rel=1e-9)
    rms = {
        key: math.sqrt(statistics.fmean(r[key] ** 2 for r in results)) for key in ("pooled", "leaked", "clue_average")
    }
    rms["attack"] = min(rms["pooled"], rms["leaked"])
    per_clue = statistics.median(e / r["tau"] for r in results for e in r["per_clue"])
    print(
        f"\n{case}: the attack's answer off by {rms['attack']:.4g} (rms, in y; the pooled reading {rms['pooled']:.4g}, "
        f"the noise's scale {rms['leaked']:.4g}), the clues' average by "
        f"{rms['clue_average']:.4g}; a single bot's clue read to {per_clue:.3g} τ (median)"
    )
    # Nothing better than the clues' own average: the attack's reading adds its own error to the clues', never
    # removes theirs. Over ten markets the draw alone spreads the ratio wide (0.73–1.5 over seventeen sets of
    # draws; this fixed set reads 0.97–1.06), while the leak this guards against read the answer itself (a ratio
    # near 0); 0.7 tells the two apart ...
    assert rms["attack"] >= 0.7 * rms["clue_average"]
    # ... and no single clue read better than a quarter-give-or-take typed forecast: a tenth of τ at least.
    assert per_clue >= 0.1
