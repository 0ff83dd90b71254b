"""A class of eight with ten practice traders on a question without clues, against the same class alone.

Eight students trade three times each, once in each of the round's first three minutes, toward their own
forecast (a middle off the answer by N(0, 20 %), a 90 % range of ±20 %) on the speed of sound (0–1,000 m/s,
starting at 500 ± 250, answer 343); the bell rings at four minutes. The same class plays once with ten
informed practice traders (no clues, so they trade as noise) and once without, on one clock this module turns
(trades are stamped by it too), through the real services. A bot's private draws are keyed by the server's
secret and its rows' ids (mmgame.services.practice.private_rng), so a class numbered from elsewhere is another
class: each class here is a seed and a numbering.

    python3 -m benchmarks.practice_class                 # 50 classes on a scratch SQLite file
    python3 -m benchmarks.practice_class --classes 100

It prints, per class, the final forecast with bots and without and the difference of their log scores at the
answer (nats, with minus without), then the distribution: mean, min, p5, median, max; and the bots' trades.
tests/services/test_practice_with_class.py plays a few of these classes in the suite.
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
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mmgame.settings")

import django

django.setup()

from django.apps import apps  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Min  # noqa: E402

from mmgame import services  # noqa: E402
from mmgame.market import Refused  # noqa: E402
from mmgame.market.traders import fair_order  # noqa: E402
from mmgame.models import Market, PracticeTrader, Trade  # noqa: E402

P = Market.Phase
ANSWER = 343.0  # the speed of sound, m/s, on a 0–1,000 question starting at 500 ± 250
STUDENTS, BOTS = 8, 10
TRADING = 240  # seconds: the class trades in the first three minutes, the bell rings at four
SECRET = "practice with the class"


class Clock:
    """The time every part of the server reads (timezone.now), set by whoever plays the class."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 1, 5, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Played:
    score: float  # the final forecast's log density at the answer (nats, in m/s)
    curve: tuple[float, float]
    people: dict  # trades by clock minute
    bots: dict


def plan(rng: random.Random) -> list[tuple[float, int, float, float]]:
    """Each student's three trades: when (one in each of the first three minutes), to their own forecast — a
    middle off the answer by N(0, 20 %), a 90 % range of ±20 % (σ = 0.2·middle/1.645)."""
    trades = []
    for student in range(STUDENTS):
        middle = ANSWER * (1 + rng.gauss(0, 0.2))
        for minute in range(3):
            trades.append((60 * minute + rng.uniform(2, 58), student, middle, 0.2 * middle / 1.645))
    return sorted(trades)


def play(host, clock: Clock, seed: int, bots: bool) -> Played:
    """One class's round on its own game, the clock turned a second at a time; the next class starts on a fresh
    stretch of the clock."""
    game = services.create_game(host, f"Class {seed} {'with' if bots else 'without'} bots")
    market = services.add_market(host, game, question="Speed of sound?", unit="m/s", lo=0, hi=1000, answer=ANSWER,
                                 first_guess=False)  # fmt: skip
    students = [services.join_game(game.join_code, f"Student {i}") for i in range(STUDENTS)]
    if bots:
        services.add_practice_traders(host, game, count=BOTS, knowledge="informed", now=clock.now)
    services.step_market(host, market.pk, phase=P.QUESTION)
    services.step_market(host, market.pk, phase=P.TRADING)
    start, schedule, keys, due = clock.now, plan(random.Random(seed)), 0, clock.now
    for second in range(TRADING):
        clock.now = start + timedelta(seconds=second)
        while schedule and schedule[0][0] <= second:
            _, student, middle, sd = schedule.pop(0)
            engine = Market.objects.get(pk=market.pk).engine
            order = fair_order(engine, "toward", middle, sd)
            keys += 1
            with contextlib.suppress(Refused):  # a budget spent that way: as a phone is refused
                services.place_trade(students[student], market.pk, order, idempotency_key=f"class-{keys}")
        if bots and clock.now >= due:  # the runner's tick, every second; skipped while no bot is due (the same)
            services.run_due("runner", clock.now)
            due = PracticeTrader.objects.filter(player__game=game).aggregate(due=Min("next_trade_at"))["due"]
    clock.now = start + timedelta(seconds=TRADING)
    services.step_market(host, market.pk, phase=P.CLOSED, confirm=True)
    market = Market.objects.get(pk=market.pk)
    mean, sd = market.range.to_x(market.mean_z), market.range.sd_to_x(market.sd_z)
    minutes = Counter(
        (created.replace(second=0, microsecond=0), is_bot)
        for created, is_bot in Trade.objects.filter(market=market).values_list("created_at", "player__is_bot")
    )
    clock.now += timedelta(minutes=10)
    return Played(
        score=-math.log(sd) - (ANSWER - mean) ** 2 / (2 * sd**2) - math.log(math.sqrt(2 * math.pi)),
        curve=(mean, sd),
        people={m: n for (m, is_bot), n in minutes.items() if not is_bot},
        bots={m: n for (m, is_bot), n in minutes.items() if is_bot},
    )


def number_rows_from(start: int) -> None:
    """Rows numbered from `start`, whatever was there before: a bot's private draws are keyed by its seat's and
    market's ids, so the numbering is part of the class."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("UPDATE sqlite_sequence SET seq = %s", [start])
        elif connection.vendor == "postgresql":
            for model in apps.get_app_config("mmgame").get_models():
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, false)", [model._meta.db_table, start + 1]
                )


def numbering(k: int) -> int:
    """The k-th class's first row id: spread out, none a round number."""
    return 1000 + 7919 * k


def pair(host, clock: Clock, seed: int, start: int) -> tuple[Played, Played]:
    """The class with bots, its rows numbered from `start`, and the same class alone."""
    number_rows_from(start)
    with_bots = play(host, clock, seed, bots=True)
    return with_bots, play(host, clock, seed, bots=False)


def one_in_three(played: Played) -> bool:
    """In every clock minute in which the people made five trades or more, the bots made at most one in three."""
    return all(3 * played.bots.get(m, 0) <= n + played.bots.get(m, 0) for m, n in played.people.items() if n >= 5)


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--classes", type=int, default=50)
    parser.add_argument("--shard", default="0/1", help="i/n: play only the classes k with k mod n = i")
    args = parser.parse_args(argv)
    import tempfile
    from unittest import mock

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connections

    settings.SECRET_KEY = SECRET
    settings.RATE_LIMITS = {}
    settings.MAX_OPEN_GAMES_PER_HOST = 10**9
    clock = Clock()
    began = time.perf_counter()
    differences, bot_trades = [], []
    with tempfile.TemporaryDirectory() as scratch, mock.patch("django.utils.timezone.now", clock):
        settings.DATABASES["default"]["NAME"] = str(Path(scratch) / "practice.sqlite3")
        connections["default"].close()
        call_command("migrate", verbosity=0)
        host = get_user_model().objects.create_user(username="teacher")
        shard, shards = (int(part) for part in args.shard.split("/"))
        for k in range(shard, args.classes, shards):
            a, b = pair(host, clock, k, numbering(k))
            differences.append(a.score - b.score)
            bot_trades.append(sum(a.bots.values()))
            print(
                f"class {k:3d} (rows from {numbering(k):6d}): with bots {a.curve[0]:6.1f} ± {a.curve[1]:5.1f}, "
                f"alone {b.curve[0]:6.1f} ± {b.curve[1]:5.1f}, difference {a.score - b.score:+.4f} nats, "
                f"bot trades {sum(a.bots.values())}{'' if one_in_three(a) else ' (more than one in three)'}",
                flush=True,
            )
    print(
        f"{len(differences)} classes, {time.perf_counter() - began:.0f} s. Log score at the answer, with bots minus "
        f"alone (nats): mean {statistics.fmean(differences):+.4f}, min {min(differences):+.4f}, "
        f"p5 {quantile(differences, 0.05):+.4f}, median {statistics.median(differences):+.4f}, "
        f"max {max(differences):+.4f}; bot trades a class {min(bot_trades)}–{max(bot_trades)}"
    )


if __name__ == "__main__":
    main()
