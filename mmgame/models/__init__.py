"""The data: games, their markets, the players in them, and the ledger of trades and positions."""

from .arrival import Arrival
from .clue import Clue
from .game import Game
from .guess import Guess
from .market import Market
from .player import Player
from .position import Position
from .practice import PracticeTrader
from .student import Student, StudentName, students
from .trade import Trade

__all__ = [
    "Arrival",
    "Clue",
    "Game",
    "Guess",
    "Market",
    "Player",
    "Position",
    "PracticeTrader",
    "Student",
    "StudentName",
    "Trade",
    "students",
]
