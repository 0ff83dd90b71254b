"""The market and trade pictures the two baselines broadcast: the same fields, and about the same bytes,
as mmgame's `market_state` and `trade_entry`, so that every server sends comparable frames."""

from __future__ import annotations

from datetime import UTC, datetime

LO, HI = 0.0, 300.0
MOVING = ("id", "status", "sequence", "mean", "sd", "prices", "outcome", "closes_at")  # as mmgame's updates


def market(sequence: int, mean: float, sd: float) -> dict:
    return {
        "id": 1,
        "game_id": 1,
        "number": 1,
        "question": "How many jelly beans are in the jar?",
        "unit": "beans",
        "lo": LO,
        "hi": HI,
        "integer": False,
        "status": "open",
        "sequence": sequence,
        "mean": mean,
        "sd": sd,
        "prices": [mean, mean * mean + sd * sd],
        "prior_mean": 100.0,
        "prior_sd": 100.0,
        "sd_min": 1.5,
        "liquidity": 1.0,
        "budget": 1e9,
        "subsidy": 5.41,
        "outcome": None,
        "closes_at": None,
    }


def trade(sequence: int, player_id: int, mean: float, sd: float) -> dict:
    return {
        "id": sequence,
        "market_id": 1,
        "sequence": sequence,
        "player_id": player_id,
        "nickname": f"trader-{player_id}",
        "kind": "target",
        "fraction": 1.0,
        "mean": mean,
        "sd": sd,
        "cost": 0.123456789,
        "worst_case": -1.23456789,
        "shares": [0.0123456789, -0.0000123456789],
        "created_at": datetime.now(UTC).isoformat(),
    }


class MarketBook:
    """The baselines' whole 'database': one market, its sequence, and how a trade moves it."""

    def __init__(self) -> None:
        self.sequence = 1
        self.mean, self.sd = 100.0, 100.0

    def snapshot(self, request_id: object = None) -> dict:
        return {"type": "snapshot", "request_id": request_id, "markets": [market(self.sequence, self.mean, self.sd)]}

    def trade(self, request: dict, player_id: int) -> tuple[dict, dict]:
        """Apply a `target` order; returns (trade_result for the trader, update for everyone)."""
        order = request.get("order") or {}
        after = self.sequence
        self.mean = min(max(float(order.get("mean", self.mean)), LO), HI)
        self.sd = max(float(order.get("sd", self.sd)), 1.5)
        self.sequence += 1
        state = market(self.sequence, self.mean, self.sd)
        entry = trade(self.sequence, player_id, self.mean, self.sd)
        result = {
            "type": "trade_result",
            "request_id": request.get("request_id"),
            "replayed": False,
            "trade": entry,
            "position": None,
            "market": state,
        }
        update = {
            "type": "update",
            "market_id": 1,
            "after": after,
            "sequence": self.sequence,
            "market": {name: state[name] for name in MOVING},
            "trades": [entry],
            "trades_omitted": 0,
            "payouts": None,
        }
        return result, update
