"""CPU per trade on the trade path alone: the service, the socket's answer and its JSON, on a scratch SQLite.

The live benchmark (benchmarks/run.py) measures a whole server; this isolates the part every trade pays on
the one ORM thread, so that a change to mmgame.services.trading can be judged in a minute:

    python -m benchmarks.trade_path [--trades 2000] [--players 1020]

It prints JSON: CPU milliseconds per trade (process time, after a warm-up), and the wall time.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trades", type=int, default=2000, help="trades timed, after 200 of warm-up")
    parser.add_argument("--players", type=int, default=1020, help="seats in the game (20 of them trade)")
    parser.add_argument("--profile", type=int, default=0, help="print the N functions the timed trades spend most in")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="mmgame-trade-path-"))
    os.environ.update(SQLITE_PATH=str(work / "trades.sqlite3"), DEBUG="false", SECURE_SSL_REDIRECT="false")
    # Trades here come faster than any seat may send them (mmgame.services.limits): time the path, not refusals.
    os.environ["RATE_LIMITS"] = "off"
    os.environ.setdefault("SECRET_KEY", "trade-path-benchmark")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mmgame.settings")
    import django

    django.setup()
    from django.db import connections

    from mmgame.live import handlers, protocol
    from mmgame.models import Player

    from .mmgame_fixture import setup

    traders = 20
    game = setup(max(args.players - traders, 0), traders)
    seats = list(Player.objects.filter(game_id=game["game_id"], nickname__startswith="trader-"))
    rng = random.Random(1)

    def trade(i: int) -> None:
        order = {"kind": "target", "mean": rng.uniform(80, 120), "sd": rng.uniform(40, 90)}
        frame = json.dumps(
            {
                "type": "trade",
                "request_id": f"r{i}",
                "market_id": game["market_id"],
                "order": order,
                "idempotency_key": f"k{i}",
            }
        )
        request = protocol.parse(frame, allowed=protocol.REQUEST_TYPES)
        protocol.dumps(handlers.trade_answer(seats[i % len(seats)], request))

    for i in range(200):
        trade(i)
    profiler = cProfile.Profile() if args.profile else None
    cpu, wall = time.process_time(), time.perf_counter()
    if profiler:
        profiler.enable()
    for i in range(200, 200 + args.trades):
        trade(i)
    if profiler:
        profiler.disable()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if profiler:  # to stderr: stdout stays one JSON report
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(args.profile)
    report = {
        "trades": args.trades,
        "players": args.players,
        "database": "SQLite (WAL), a scratch file",
        "cpu_ms_per_trade": round(cpu * 1000 / args.trades, 3),
        "wall_ms_per_trade": round(wall * 1000 / args.trades, 3),
    }
    connections.close_all()
    shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    main()
