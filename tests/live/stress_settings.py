"""The project's settings without the cap on frames a second a screen may send (mmgame.live.consumers):
for tests that send thousands of frames on purpose, to check what each one gets back."""

from mmgame.settings import *  # noqa: F403

LIVE_FRAMES = {"rate": 1e9, "burst": 1e9}
