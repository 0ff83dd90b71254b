"""Reads: leaderboards, snapshots and what each screen needs, and their JSON shapes (`shapes`).

Reads change nothing: a market whose countdown ran out reads closed (mmgame.round.shown) until
mmgame.services.deadlines records the close. The layers keep it so: queries cannot import the services.
"""

from . import screens, shapes
from .class_record import ClassSummary, StudentRecord, class_record, class_summary
from .leaderboards import (
    AllTimeStanding,
    Ranking,
    Standing,
    accuracy_leaderboard,
    all_time_leaderboard,
    crowd_score,
    game_leaderboard,
    market_leaderboard,
    podium,
    position_profit,
)
from .markets import current_market, game_markets, trade_page
from .rounds import guess_leaderboard
from .waiting import waiting, waiting_entry

__all__ = [
    "AllTimeStanding",
    "ClassSummary",
    "Ranking",
    "Standing",
    "StudentRecord",
    "accuracy_leaderboard",
    "all_time_leaderboard",
    "class_record",
    "class_summary",
    "crowd_score",
    "current_market",
    "game_leaderboard",
    "game_markets",
    "guess_leaderboard",
    "market_leaderboard",
    "podium",
    "position_profit",
    "screens",
    "shapes",
    "trade_page",
    "waiting",
    "waiting_entry",
]
