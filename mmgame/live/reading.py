"""Proof that a screen reads what it is sent: the server's memory must not grow for one that does not.

Neither ASGI nor Daphne tells an application how much it has written that the client has not read, and
Daphne keeps a socket alive while the client keeps sending. So the server asks: after every CHECK_BYTES it
writes (and every HEARTBEAT seconds when quiet), a socket sends a `check` frame with a random nonce, and the
screen answers `{"type": "seen", "nonce": …}` when it reads it (docs/protocol.md §2.7). A client that
never reads cannot echo a nonce it has not seen. An echo tells how far the screen has read; what was
written after that is at most `unconfirmed()` bytes, held somewhere between this process and the screen.

A screen is closed as not reading (close code 4408) when
- a nonce has waited TIMEOUT seconds without it or a later one being echoed, or
- more than BUDGET bytes were written since the point the last echo confirmed.

Pure bookkeeping with the time passed in: the socket calls it with its loop's clock, tests with theirs.
"""

from __future__ import annotations

import secrets
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings

CHECK_BYTES = 64 * 1024
HEARTBEAT = 10.0
TIMEOUT = 60.0
BUDGET = 2 * 1024 * 1024
MAX_WAITING = 64  # nonces kept unanswered; past this the oldest is dropped (its deadline stays)


@dataclass(frozen=True)
class Limits:
    check_bytes: int = CHECK_BYTES
    heartbeat: float = HEARTBEAT
    timeout: float = TIMEOUT
    budget: int = BUDGET


def limits() -> Limits:
    """The limits in force: LIVE_READING in settings may change any of them (tests make them small)."""
    return Limits(**getattr(settings, "LIVE_READING", {}))


class Reading:
    """What one socket has written, which nonces it has sent, and how far the screen has shown it read."""

    def __init__(self, now: float, rules: Limits | None = None) -> None:
        self.rules = rules or limits()
        self.written = 0  # bytes written to the socket so far
        self.confirmed = 0  # `written` as it was when the last echoed nonce was sent
        self.checked_at = 0  # `written` when the last check went out
        self.last_check = now
        self.waiting: OrderedDict[str, tuple[int, float]] = OrderedDict()  # nonce -> (offset, sent at)
        self.overdue_at: float | None = None  # the deadline of the oldest unanswered nonce

    def wrote(self, size: int) -> None:
        self.written += size

    def unconfirmed(self) -> int:
        return self.written - self.confirmed

    def check_due(self, now: float) -> bool:
        """A check should go out: CHECK_BYTES written since the last one, or a quiet HEARTBEAT."""
        since = self.written - self.checked_at
        return since >= self.rules.check_bytes or (now - self.last_check >= self.rules.heartbeat)

    def new_nonce(self, now: float) -> str:
        """A nonce for a check frame about to be written (after everything written so far)."""
        nonce = secrets.token_urlsafe(12)
        self.waiting[nonce] = (self.written, now)
        if self.overdue_at is None:
            self.overdue_at = now + self.rules.timeout
        while len(self.waiting) > MAX_WAITING:
            self.waiting.popitem(last=False)
        self.checked_at, self.last_check = self.written, now
        return nonce

    def echoed(self, nonce: str) -> bool:
        """The screen read up to this nonce: forget it and every older one. False for a nonce not waiting."""
        if nonce not in self.waiting:
            return False
        while self.waiting:
            sent, (offset, _) = self.waiting.popitem(last=False)
            if sent == nonce:
                break
        self.confirmed = max(self.confirmed, offset)
        self.overdue_at = None
        if self.waiting:
            _, sent_at = next(iter(self.waiting.values()))
            self.overdue_at = sent_at + self.rules.timeout
        return True

    def failing(self, now: float) -> str | None:
        """Why this screen is to be closed as not reading, or None while it keeps up."""
        if self.unconfirmed() > self.rules.budget:
            return f"more than {self.rules.budget} bytes sent since the screen last showed it read"
        if self.overdue_at is not None and now >= self.overdue_at:
            return f"no check echoed for {self.rules.timeout:g} seconds"
        return None
