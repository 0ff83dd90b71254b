"""The market maker's mathematics. Pure Python: no Django, no I/O."""

from .aggregation import Trader, best_response, consensus, toward_order
from .curve import Curve
from .engine import GaussianMarket, Move, default_sd_min, fair, log_score
from .errors import (
    InsufficientCollateral,
    InvalidCurve,
    InvalidNumber,
    MarketError,
    NotPositive,
    Refused,
    ScaleMismatch,
    UnfairCurve,
    gettext_noop,
    joined,
)
from .quotes import Order, Quote, fill, quote, unfair_edge
from .scale import SCALES, Z90, Range, finite, quantity, stored_quantity
from .scoring import POOLING_Z, Pooling, Tally, clue_evidence, inside_90, lean, mixture_log_ratio, pooling, tally
from .seed import MarketMaker
from .wealth import Wealth

__all__ = [
    "POOLING_Z",
    "SCALES",
    "Z90",
    "Curve",
    "GaussianMarket",
    "InsufficientCollateral",
    "InvalidCurve",
    "InvalidNumber",
    "MarketError",
    "MarketMaker",
    "Move",
    "NotPositive",
    "Order",
    "Pooling",
    "Quote",
    "Range",
    "Refused",
    "ScaleMismatch",
    "Tally",
    "Trader",
    "UnfairCurve",
    "Wealth",
    "best_response",
    "clue_evidence",
    "consensus",
    "default_sd_min",
    "fair",
    "fill",
    "finite",
    "gettext_noop",
    "inside_90",
    "joined",
    "lean",
    "log_score",
    "mixture_log_ratio",
    "pooling",
    "quantity",
    "quote",
    "stored_quantity",
    "tally",
    "toward_order",
    "unfair_edge",
]
