"""The project's settings with a join limit small enough to reach in a test (tests/live/test_proxy_daphne.py)."""

from mmgame.settings import *  # noqa: F403

RATE_LIMITS = {"join": (3, 60.0)}
