"""Bot traders: practice opponents for a class and the load generator of the benchmark.

`strategies` decides (pure, on mmgame.market); `client` talks to a running server the way a browser
does; `runner` runs a crowd of them. `manage.py bots` is the command line.
"""

from .client import GameClient, Refused
from .runner import Plan, run_bots
from .strategies import Informed, Noise, market_from_state, wealth_from_position

__all__ = [
    "GameClient",
    "Informed",
    "Noise",
    "Plan",
    "Refused",
    "market_from_state",
    "run_bots",
    "wealth_from_position",
]
