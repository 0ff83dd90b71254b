"""`manage.py bots`: K bot traders against a game on a running server, as real clients of it."""

from __future__ import annotations

import asyncio
import json

from django.core.management.base import BaseCommand, CommandError
from websockets.exceptions import ConnectionClosed, InvalidHandshake

from mmgame.bots import Plan, Refused, run_bots


class Command(BaseCommand):
    help = (
        "Run bot traders against a running server: informed bots (exponential utility, beliefs drawn around "
        "--truth) or noise bots. They join with the code, trade through the socket or the API, and stop by "
        "themselves (at --duration, or when every informed bot is content)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="The server (default %(default)s).")
        parser.add_argument("--code", required=True, help="The game's join code.")
        parser.add_argument("--count", type=int, default=5, help="How many bots (default 5).")
        parser.add_argument("--strategy", choices=["informed", "noise"], default="informed")
        parser.add_argument("--truth", type=float, help="The hidden true value informed bots get signals of.")
        parser.add_argument("--spread", type=float, help="σ of each bot's signal and belief (default range/10).")
        parser.add_argument(
            "--risk-aversion", type=float, help="a in −exp(−a·w), per point (default 1/b of the market)."
        )
        parser.add_argument("--rate", type=float, default=0.5, help="Trades per second per bot (default 0.5).")
        parser.add_argument(
            "--duration",
            type=float,
            default=60,
            help="Seconds before they stop, counted once they have joined (default 60).",
        )
        parser.add_argument("--market", type=int, help="Market id (default: the first open market).")
        parser.add_argument("--via", choices=["socket", "api"], default="socket", help="Where trades go.")
        parser.add_argument("--turns", action="store_true", help="Trade in turns, one bot after the other.")
        parser.add_argument("--max-trades", type=int, help="Stop each bot after this many trades.")
        parser.add_argument("--seed", type=int, help="Seed for beliefs and noise (reproducible runs).")
        parser.add_argument("--nickname", default="bot", help="Nickname prefix (default 'bot').")

    def handle(self, *args, **options) -> None:
        plan = Plan(
            count=options["count"],
            strategy=options["strategy"],
            truth=options["truth"],
            spread=options["spread"],
            risk_aversion=options["risk_aversion"],
            rate=options["rate"],
            duration=options["duration"],
            market_id=options["market"],
            via=options["via"],
            turns=options["turns"],
            max_trades=options["max_trades"],
            seed=options["seed"],
            nickname=options["nickname"],
        )
        try:
            plan.check()
            report = asyncio.run(run_bots(options["url"], options["code"], plan))
        except ValueError as error:
            raise CommandError(str(error)) from None
        except Refused as refused:
            raise CommandError(f"the server refused: {refused.code}: {refused}") from None
        except (OSError, TimeoutError, InvalidHandshake) as error:
            raise CommandError(f"could not reach {options['url']}: {error}") from None
        except ConnectionClosed as error:
            raise CommandError(f"the server closed the connection: {error}") from None
        self.stdout.write(json.dumps(report, indent=2))
