"""How much one host may set running at once, so that one class cannot slow every other on the server.

511 markets in one game made a phone's snapshot 515 KB and 2.9 s and pinned Daphne; 30 games of 50 noise
bots traded 66 times a second with no one watching, and another class's snapshot took 2.15 s instead of
0.07 s. So a game holds at most settings.MAX_MARKETS_PER_GAME markets and a host keeps at most
MAX_OPEN_GAMES_PER_HOST games not yet finished (the practice traders a host's games hold are capped where
they are added, mmgame.services.practice.MAX_PER_HOST). A refusal says which limit and how to make room.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser

from mmgame.market import gettext_noop
from mmgame.models import Game, Market

from .errors import LimitReached


def check_markets(game: Game, adding: int = 1) -> None:
    """Room for `adding` more markets in the game (call with the game row locked)."""
    most = settings.MAX_MARKETS_PER_GAME
    present = Market.objects.filter(game=game).count()
    if present + adding > most:
        raise LimitReached(
            gettext_noop(
                "a game holds at most %(most)s questions (%(present)s already); start another game for more",
                most=most,
                present=present,
            ),
            limit=most,
            present=present,
        )


def check_games(host: AbstractBaseUser) -> None:
    """Room for one more game the host has not finished."""
    most = settings.MAX_OPEN_GAMES_PER_HOST
    present = Game.objects.filter(host=host).exclude(status=Game.Status.FINISHED).count()
    if present >= most:
        raise LimitReached(
            gettext_noop(
                "you have %(present)s games not finished, the most one host may run; finish or delete one first",
                present=present,
            ),
            limit=most,
            present=present,
        )
