"""The project's settings with the proof-of-reading limits of mmgame.live.reading made short for a test."""

from mmgame.settings import *  # noqa: F403

LIVE_READING = {"timeout": 2.0, "heartbeat": 1.0}
