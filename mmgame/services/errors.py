"""Why the services refuse a request: each a stable code (the faces map codes to statuses)."""

from mmgame.access import Forbidden, Kicked, NotFound, NotSignedIn
from mmgame.bank.errors import BadSheet, NoQuestionsChosen, UnknownQuestion
from mmgame.market import Refused, gettext_noop

__all__ = [
    "BadSheet",
    "CostLimitExceeded",
    "Forbidden",
    "GuessingClosed",
    "IdempotencyConflict",
    "InvalidTransition",
    "Kicked",
    "MarketNotOpen",
    "MarketShown",
    "NeedsConfirmation",
    "NicknameTaken",
    "NoQuestionsChosen",
    "NotFound",
    "NotSignedIn",
    "NothingToChange",
    "StaleOrder",
    "StaleQuote",
    "UnknownQuestion",
    "WaitingRoomFull",
]


class MarketNotOpen(Refused):
    code = "market_not_open"


class StaleQuote(Refused):
    """The market moved since the trader's quote; they should look again."""

    code = "stale_quote"


class CostLimitExceeded(Refused):
    code = "max_cost_exceeded"


class LossLimitExceeded(CostLimitExceeded):
    """The trade's worst outcome loses more points than the player's `max_loss` (a slippage guard too)."""

    code = "max_loss_exceeded"


class IdempotencyConflict(Refused):
    code = "idempotency_conflict"


class NoMove(Refused):
    """A trade that would not move the market (shares of zero, a target at the current curve): it would
    take a sequence number and a line in every feed for nothing."""

    code = "no_move"


class NicknameTaken(Refused):
    code = "nickname_taken"


class InvalidTransition(Refused):
    """A status change the market's life cycle does not allow (e.g. resolving an open market)."""

    code = "invalid_status_change"


class MarketShown(InvalidTransition):
    """Editing, reordering or deleting a market whose question players have seen: only a draft never shown may
    change (mmgame.access.editable)."""

    code = "market_shown"


class StaleOrder(Refused):
    """A new order of the markets not yet shown that does not name exactly those markets: the page that sent it
    was out of date (one was added, deleted or shown meanwhile); it should look again."""

    code = "stale_order"


class NeedsConfirmation(InvalidTransition):
    """A step that cannot be undone (revealing the guesses or the answer, closing a market still trading):
    the host must say `confirm` (or `close_others`); the faces ask first."""

    code = "confirm_needed"


class GuessingClosed(Refused):
    """A first guess outside the first-guess phase, or after its timer ran out."""

    code = "guessing_closed"


class GameFull(Refused):
    """The game has as many players as its host allowed."""

    code = "game_full"


class WaitingRoomFull(Refused):
    """As many wait for the host as the game has seats, or as a class behind one address would need."""

    code = "waiting_room_full"


class LimitReached(Refused):
    """One host's share of the server is used up: markets in a game, games, practice traders
    (mmgame.services.caps)."""

    code = "limit_reached"


class JoinsClosed(Refused):
    """The host closed late joins and the game's guesses or trading have started: a new seat would get a
    clue (and a say) the class had without it."""

    code = "joins_closed"


class RateLimited(Refused):
    """Too many requests of one kind from one client; `retry_after` says in how many seconds to try again."""

    code = "rate_limited"


class NothingToChange(Refused):
    """A decision on a class's record that would change nothing: merging a student with itself, splitting
    the only seat of a student."""

    code = "nothing_to_change"


class TooManyReasons(Refused):
    """More reasons picked for the wall than it shows (mmgame.services.guesses.MOST_PICKED_REASONS)."""

    code = "too_many_reasons"


# A market's status as a refusal's words say it: lower case, and in the reader's language once a face says
# the refusal (mmgame.languages.said says the values that are Words too). The code's value stays in details.
STATUS_WORDS = {
    "draft": gettext_noop("draft"),
    "open": gettext_noop("open"),
    "paused": gettext_noop("paused"),
    "closed": gettext_noop("closed"),
    "resolved": gettext_noop("resolved"),
}


def status_word(status: str) -> str:
    return STATUS_WORDS.get(status, status)
