"""The only place state changes: each service runs in one transaction with the market row locked, and
announces what it changed through mmgame.events once it commits. Reads live in mmgame.queries."""

from .errors import (
    CostLimitExceeded,
    Forbidden,
    IdempotencyConflict,
    InvalidTransition,
    Kicked,
    MarketNotOpen,
    NicknameTaken,
    NotFound,
    NotSignedIn,
    StaleQuote,
)
from .games import LIQUIDITY, add_market, create_game, find_game, join_game, kick_player, set_hide_names
from .lifecycle import (
    close_due_markets,
    close_if_due,
    close_market,
    finish_game,
    open_market,
    pause_market,
    resolve_market,
)
from .trading import TradeResult, place_trade, position_wealth, quote_order

__all__ = [
    "LIQUIDITY",
    "CostLimitExceeded",
    "Forbidden",
    "IdempotencyConflict",
    "InvalidTransition",
    "Kicked",
    "MarketNotOpen",
    "NicknameTaken",
    "NotFound",
    "NotSignedIn",
    "StaleQuote",
    "TradeResult",
    "add_market",
    "close_due_markets",
    "close_if_due",
    "close_market",
    "create_game",
    "find_game",
    "finish_game",
    "join_game",
    "kick_player",
    "open_market",
    "pause_market",
    "place_trade",
    "position_wealth",
    "quote_order",
    "resolve_market",
    "set_hide_names",
]
