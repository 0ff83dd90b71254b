"""Run some work soon after it is asked for, once at a time and at most at a given rate, never losing the last
ask: what a room's updates, boards and audits, and a socket's snapshots, each go through."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


def no_wait() -> float:
    return 0.0


class Coalescer:
    """Run `work` soon after `mark()`: one run at a time, at most one every `interval()` seconds, and a mark
    that comes during a run (or while it waits) makes exactly one more run, which sees every change.

    `clock` and `sleep` default to the running loop's; tests pass their own to move time themselves."""

    def __init__(
        self,
        work: Callable[[], Awaitable[None]],
        interval: Callable[[], float] = no_wait,
        *,
        what: str = "work",
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.work, self.interval, self.what = work, interval, what
        self.clock, self.sleep = clock, sleep
        self.dirty = False
        self.task: asyncio.Task | None = None
        self.last: float | None = None  # when the last run started

    def mark(self) -> None:
        self.dirty = True
        if self.task is None:
            self.task = asyncio.ensure_future(self.run())

    @property
    def running(self) -> bool:
        return self.task is not None

    async def run(self) -> None:
        clock = self.clock or asyncio.get_running_loop().time
        try:
            while self.dirty:
                if self.last is not None:
                    wait = self.last + self.interval() - clock()
                    if wait > 0:
                        await self.sleep(wait)
                self.dirty = False
                self.last = clock()
                await self.work()
        except Exception:
            log.exception("could not send %s", self.what)
        finally:
            self.task = None

    def close(self) -> None:
        if self.task is not None:
            self.task.cancel()
