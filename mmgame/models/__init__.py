"""The data: games, their markets, the players in them, and the ledger of trades and positions."""

from .game import Game
from .market import Market
from .player import Player
from .position import Position
from .trade import Trade

__all__ = ["Game", "Market", "Player", "Position", "Trade"]
