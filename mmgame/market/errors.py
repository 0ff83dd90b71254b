"""Refusals: the root every refused request in mmgame shares, and the engine's own.

A refusal has a stable `code` for clients, a message for people and details; it knows nothing of HTTP or
websockets. Each face maps codes to its statuses or close codes in one table (`mmgame.api.statuses`,
`mmgame.live.codes`, `mmgame.web.refusals`).
"""

from __future__ import annotations


class Refused(Exception):
    """A request refused for a reason the caller can act on; nothing changed."""

    code = "invalid"

    def __init__(self, message: str, *, rule: str = "", **details: object) -> None:
        super().__init__(message)
        self.message = message
        self.details = details
        # Which rule refused, for a face that says it in its own words (the host's market form); not sent to
        # clients, whose stable word is the code.
        self.rule = rule

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message, **self.details}


class MarketError(Refused):
    """A request the market cannot take: a bad number, a curve it cannot hold, a trade beyond collateral."""


class InvalidNumber(MarketError):
    code = "invalid_number"


class NotPositive(InvalidNumber):
    """A value of 0 or less on a log-scale market, where every quantity is positive (docs/maths.md § Log markets)."""

    code = "not_positive"


class ScaleMismatch(MarketError):
    """A curve written for the other scale: mean and sd on a log market, median and sd_log on a linear one,
    or the seed's x/x² shares on a log market."""

    code = "scale_mismatch"


class InvalidCurve(MarketError):
    """A forecast the market cannot take: σ ≤ 0, σ below σ_min, θ₂ ≥ 0, or outside the range."""

    code = "invalid_curve"


class UnfairCurve(InvalidCurve):
    """A curve a trader could beat at every outcome (docs/maths.md § Bounded loss): refused, with the nearest fair one
    named."""

    code = "unfair_curve"


class InsufficientCollateral(MarketError):
    """The trade could make the trader owe money somewhere on the range."""

    code = "insufficient_collateral"


class Words(str):
    """A refusal's English words that remember how they were made: the template makemessages extracted and
    the values put in it, so that a face can say them again in its reader's language (mmgame.languages.said)."""

    template: str
    values: dict[str, object]

    def __new__(cls, template: str, values: dict[str, object]) -> Words:
        words = super().__new__(cls, template % values if values else template)
        words.template, words.values = template, values
        return words


def gettext_noop(template: str, **values: object) -> Words:
    """Marks a refusal's words for the catalogues (makemessages looks for this name): they stay English here,
    in the logs and for the codes' readers, and each face says them in its reader's language (mmgame.languages.said).
    The market knows no Django, so the mark is this function, not Django's. Values fill `%(name)s`."""
    return Words(template, values)


def joined(first: Words | str, *rest: Words | str) -> Words:
    """Several refusals' words as one message, each part said in the reader's language when the whole is
    (rather than English joined to words a face would then fail to find in its catalogue)."""
    words = first if isinstance(first, Words) else Words(first, {})
    for then in rest:
        # Translators: two reasons said together, the second after the first; keep both placeholders.
        words = gettext_noop("%(first)s; %(then)s", first=words, then=then)
    return words
