"""The only place state changes: each service runs in one transaction with the market row locked, and
announces what it changed through mmgame.events once it commits. Reads live in mmgame.queries."""

from .clues import set_clues
from .errors import (
    CostLimitExceeded,
    Forbidden,
    GameFull,
    GuessingClosed,
    IdempotencyConflict,
    InvalidTransition,
    Kicked,
    MarketNotOpen,
    NeedsConfirmation,
    NicknameTaken,
    NoMove,
    NotFound,
    NotSignedIn,
    RateLimited,
    StaleQuote,
)
from .games import (
    LIQUIDITY,
    add_market,
    create_game,
    find_game,
    free_nickname,
    join_game,
    kick_player,
    set_hide_names,
)
from .guesses import submit_guess
from .lifecycle import (
    close_due_markets,
    close_if_due,
    close_market,
    finish_game,
    open_market,
    pause_market,
    resolve_market,
)
from .show import FLOW as PHASE_FLOW
from .show import back_phase, next_phase, set_answer, show_market, step_market
from .trading import TradeResult, place_trade, position_wealth, quote_order

__all__ = [
    "LIQUIDITY",
    "PHASE_FLOW",
    "CostLimitExceeded",
    "Forbidden",
    "GameFull",
    "GuessingClosed",
    "IdempotencyConflict",
    "InvalidTransition",
    "Kicked",
    "MarketNotOpen",
    "NeedsConfirmation",
    "NicknameTaken",
    "NoMove",
    "NotFound",
    "NotSignedIn",
    "RateLimited",
    "StaleQuote",
    "TradeResult",
    "add_market",
    "back_phase",
    "close_due_markets",
    "close_if_due",
    "close_market",
    "create_game",
    "find_game",
    "finish_game",
    "free_nickname",
    "join_game",
    "kick_player",
    "next_phase",
    "open_market",
    "pause_market",
    "place_trade",
    "position_wealth",
    "quote_order",
    "resolve_market",
    "set_answer",
    "set_clues",
    "set_hide_names",
    "show_market",
    "step_market",
    "submit_guess",
]
