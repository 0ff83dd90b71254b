"""Errors the services refuse a request with; each maps to an HTTP status and a stable code."""

from mmgame.market import MarketError


class NotFound(MarketError):
    code = "not_found"
    status = 404


class Forbidden(MarketError):
    """Someone else's seat, a host action by a non-host, a kicked player."""

    code = "forbidden"
    status = 403


class MarketNotOpen(MarketError):
    code = "market_not_open"
    status = 409


class StaleQuote(MarketError):
    """The market moved since the trader's quote; they should look again."""

    code = "stale_quote"
    status = 409


class CostLimitExceeded(MarketError):
    code = "max_cost_exceeded"
    status = 409


class LossLimitExceeded(CostLimitExceeded):
    """The trade's worst outcome loses more points than the player's `max_loss` (a slippage guard too)."""

    code = "max_loss_exceeded"


class IdempotencyConflict(MarketError):
    code = "idempotency_conflict"
    status = 409


class NicknameTaken(MarketError):
    code = "nickname_taken"
    status = 409


class InvalidTransition(MarketError):
    """A status change the market's life cycle does not allow (e.g. resolving an open market)."""

    code = "invalid_status_change"
    status = 409
