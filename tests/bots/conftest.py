"""A real server for the bots to play against: Daphne on a migrated SQLite file, and a game on it.

The server gets a listening socket on a port the OS chose (benchmarks/servers.py), so nothing depends
on reading its log. `server.run(code)` runs Python with Django set up on the same database.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from benchmarks.servers import REPO, Server, daphne_server

from ..django_script import run_django
from ..live.conftest import migrated_sqlite

CLASSROOM = """
from django.contrib.auth import get_user_model
from mmgame import services
host = get_user_model().objects.create_user("teacher", password="correct horse battery")
game = services.create_game(host, "Bots")
market = services.add_market(host, game, question="How many beans?", lo=0, hi=300, prior_mean=100,
                             prior_sd=100, sd_min=1, liquidity={liquidity}, budget={budget})
services.open_market(host, market.pk)
print(json.dumps({{"code": game.join_code, "market_id": market.pk}}))
"""


@dataclass
class LiveServer:
    server: Server
    env: dict

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}"

    def run(self, code: str, timeout: float = 60) -> object:
        """Run Python with Django set up on this server's database; returns what it prints last, as JSON."""
        return run_django(code, self.env, timeout)

    def restart(self) -> None:
        """Stop the server process and start a new one on the same listening socket (a deploy, a crash)."""
        self.server.process.terminate()
        self.server.process.wait(timeout=20)
        self.server.start(self.server.log.parent)

    def market(self, market_id: int) -> dict:
        return self.run(
            f"""
            from mmgame.models import Market, Trade
            m = Market.objects.get(pk={market_id})
            print(json.dumps({{"mean_z": m.mean_z, "sd_z": m.sd_z, "sequence": m.sequence,
                               "trades": Trade.objects.filter(market=m).count()}}))
            """
        )


@pytest.fixture
def game_server(tmp_path: Path) -> Iterator[LiveServer]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="mmgame.settings",
        SQLITE_PATH=str(tmp_path / "bots.sqlite3"),
        PYTHONPATH=str(REPO),
        LOG_LEVEL="ERROR",
    )
    migrated_sqlite(tmp_path / "bots.sqlite3")
    server = daphne_server("bots", "mmgame.asgi:application", env)
    server.start(tmp_path)
    try:
        server.wait_ready(f"ws://127.0.0.1:{server.port}/ws/", origin=f"http://127.0.0.1:{server.port}")
        yield LiveServer(server, env)
    finally:
        server.stop()


@pytest.fixture
def classroom(game_server: LiveServer) -> tuple[LiveServer, str, int]:
    """(server, join code, market id): an open market on [0, 300], prior N(100, 100²), b = 30, 1,000 points."""
    game = game_server.run(CLASSROOM.format(liquidity=30.0, budget=1000.0))
    return game_server, game["code"], game["market_id"]
