"""The project's settings with one join limit, small enough to reach in a test: 3 seats an hour per address
(an hour's fixed window: a burst of joins does not straddle two windows but once in thousands)."""

from mmgame.settings import *  # noqa: F403

RATE_LIMITS = {"join": (3, 3600.0)}
