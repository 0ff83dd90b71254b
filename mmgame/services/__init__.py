"""The only place state changes: each service runs in one transaction with the market row locked."""

from .errors import (
    CostLimitExceeded,
    Forbidden,
    IdempotencyConflict,
    InvalidTransition,
    MarketNotOpen,
    NicknameTaken,
    NoMove,
    NotFound,
    StaleQuote,
)
from .games import LIQUIDITY, add_market, create_game, find_game, join_game, kick_player, seat, set_hide_names
from .leaderboards import (
    AllTimeStanding,
    Standing,
    accuracy_leaderboard,
    all_time_leaderboard,
    game_leaderboard,
    market_leaderboard,
)
from .lifecycle import close_due_markets, close_market, finish_game, open_market, pause_market, resolve_market
from .trading import TradeResult, place_trade, position_wealth, quote_order

__all__ = [
    "LIQUIDITY",
    "AllTimeStanding",
    "CostLimitExceeded",
    "Forbidden",
    "IdempotencyConflict",
    "InvalidTransition",
    "MarketNotOpen",
    "NicknameTaken",
    "NoMove",
    "NotFound",
    "StaleQuote",
    "Standing",
    "TradeResult",
    "accuracy_leaderboard",
    "add_market",
    "all_time_leaderboard",
    "close_due_markets",
    "close_market",
    "create_game",
    "find_game",
    "finish_game",
    "game_leaderboard",
    "join_game",
    "kick_player",
    "market_leaderboard",
    "open_market",
    "pause_market",
    "place_trade",
    "position_wealth",
    "quote_order",
    "resolve_market",
    "seat",
    "set_hide_names",
]
