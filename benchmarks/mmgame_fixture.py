"""The bench's game in mmgame's own database: set up before a run, read back after it.

Runs as a subprocess with the run's DATABASE_URL / SQLITE_PATH, so that the bench never touches the
developer's database:

    python -m benchmarks.mmgame_fixture setup SCREENS TRADERS [PROBES]   → JSON: game, market, session cookies
    python -m benchmarks.mmgame_fixture noisy MARKETS BOTS SCREENS       → JSON: a second game's session cookies
    python -m benchmarks.mmgame_fixture final MARKET_ID          → JSON: the market as the database has it
"""

from __future__ import annotations

import json
import os
import sys
from datetime import timedelta

import django

# The bench's market: the seed's prior on [0, 300]; b = 1 and the largest budget, so that every trade
# of a long run stays affordable and no refusal muddles the figures.
MARKET = {
    "question": "How many jelly beans are in the jar?",
    "unit": "beans",
    "lo": 0,
    "hi": 300,
    "prior_mean": 100,
    "prior_sd": 100,
    "liquidity": 1.0,
    "budget": 1e9,
}


def sessions_of(players: list) -> list[str]:
    """A session cookie holding each player's seat, as a browser that joined has."""
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.db import transaction
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    with transaction.atomic():
        store, expires = SessionStore(), timezone.now() + timedelta(days=1)
        sessions = [
            Session(
                session_key=get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789"),
                session_data=store.encode({"seats": {str(p.game_id): p.seat_token}}),
                expire_date=expires,
            )
            for p in players
        ]
        Session.objects.bulk_create(sessions)
    return [f"{settings.SESSION_COOKIE_NAME}={s.session_key}" for s in sessions]


def noisy(markets: int, bots: int, screens: int) -> dict:
    """A second class on the same server, a noisy one: `markets` markets shown (every board and snapshot of
    the game carries them all), `bots` practice traders trading the one open, and `screens` phones."""
    from django.contrib.auth import get_user_model
    from django.utils.crypto import get_random_string

    from mmgame import services
    from mmgame.models.game import MAX_PLAYERS_LIMIT

    host = get_user_model().objects.create_user("bench-noisy-host", password=get_random_string(20))
    game = services.create_game(host, "Noisy class", max_players=MAX_PLAYERS_LIMIT)
    for i in range(markets):
        market = services.add_market(host, game, **{**MARKET, "question": f"Noisy question {i + 1}?"})
        # One market trades at a time: each opening closes the one before (on every screen, closed, with its
        # board); the last one opened is on screen, and the bots trade it.
        services.open_market(host, market.pk, close_others=True)
    services.add_practice_traders(host, game, count=bots, knowledge="noise")
    players = [services.join_game(game.join_code, f"noisy-{i}") for i in range(screens)]
    return {"game_id": game.pk, "screens": sessions_of(players)}


def setup(screens: int, traders: int, probes: int = 0) -> dict:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils.crypto import get_random_string

    from mmgame import services
    from mmgame.models.game import MAX_PLAYERS_LIMIT

    call_command("migrate", interactive=False, verbosity=0)
    host = get_user_model().objects.create_user("bench-host", password=get_random_string(20))
    game = services.create_game(host, "Benchmark", max_players=MAX_PLAYERS_LIMIT)
    market = services.add_market(host, game, **MARKET)
    services.open_market(host, market.pk)
    names = [f"screen-{i}" for i in range(screens)] + [f"trader-{i}" for i in range(traders)]
    names += [f"probe-{i}" for i in range(probes)]  # seats that open a socket now and then, timing the snapshot
    players = [services.join_game(game.join_code, name) for name in names]
    cookies = sessions_of(players)
    return {
        "game_id": game.pk,
        "market_id": market.pk,
        "sd_min": float(market.sd_min),
        "lo": float(market.lo),
        "hi": float(market.hi),
        "screens": cookies[:screens],
        "traders": cookies[screens : screens + traders],
        "probes": cookies[screens + traders :],
        "tokens": [p.seat_token for p in players[screens : screens + traders]],
    }


def final(market_id: int) -> dict:
    from mmgame.models import Market, Trade

    market = Market.objects.get(pk=market_id)
    return {
        "sequence": market.sequence,
        "mean": market.mean,
        "sd": market.sd,
        "trades": Trade.objects.filter(market=market).count(),
    }


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mmgame.settings")
    django.setup()
    action, *args = sys.argv[1:]
    actions = {"setup": setup, "noisy": noisy, "final": final}
    body = actions[action](*map(int, args))
    sys.stdout.write(json.dumps(body) + "\n")
