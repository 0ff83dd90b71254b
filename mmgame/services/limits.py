"""How often one seat may trade or quote, and one network address join: counters in Django's cache.

A seat that sends 55 trades a second slowed everyone's; a person, or the benchmark's traders (10 a second
a seat), send far fewer. Each limit is a sliding window: at most `count` uses in any `per` seconds, never
twice that where two fixed windows meet (fixed windows let 20 seats through in 0.2 s under a limit of 10
every 5 s). Uses are counted in SLOTS slots of per/SLOTS seconds under keys naming the limit, who and the
slot; a use is refused while the current slot and the SLOTS before it hold `count` already, so a use
leaves the count between `per` and per·(1 + 1/SLOTS) seconds after it was made. A refused request gets
`rate_limited` and the seconds until it would pass (`retry_after`). The cache is Redis when REDIS_URL is
set (mmgame.settings.CACHES), so a limit holds across server processes; `cache.add` + `cache.incr` are
atomic there and in LocMem, and a use is counted before the window is read, so two racing uses can both
be refused but never both pass past the limit.

settings.RATE_LIMITS names each limit's (count, seconds); a limit absent from it is off. `clock` is the
time source, so that tests can move time instead of sleeping.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from mmgame.market import Refused, gettext_noop

from .errors import RateLimited

clock = time.time
SLOTS = 10  # a limit's window in slots: a use leaves it at most per/SLOTS late


@dataclass(frozen=True)
class Limit:
    count: int
    per: float  # seconds


def limit_of(name: str) -> Limit | None:
    rule = settings.RATE_LIMITS.get(name)
    return None if rule is None else Limit(*rule)


def take(name: str, who: object, limit: Limit | None = None) -> str | None:
    """Count one `name` request by `who` (a seat's id, an address; None: the clients with no address count
    together); RateLimited once over `limit`, or the limit settings.RATE_LIMITS names.

    The public entry point: a face or a service calls it before doing the work it limits. Returns the
    counter's key (None when the limit is off), for `refund`."""
    limit = limit or limit_of(name)
    if limit is None:
        return None
    now = clock()
    width = limit.per / SLOTS
    slot = math.floor(now / width)
    keys = [f"mmgame:limit:{name}:{who}:{number}" for number in range(slot - SLOTS, slot + 1)]
    key = keys[-1]
    count_one(key, expires=math.ceil(limit.per + width) + 10)  # real seconds: a slow process still finds it
    found = cache.get_many(keys)
    used = [int(found.get(each, 0)) for each in keys]  # the oldest slot first, this use included
    if sum(used) > limit.count:
        refund(key)  # a refused use is not a use: the count stays at the limit
        used[-1] -= 1
        retry_after = max(0.001, round(passes_at(used, limit.count, slot) * width - now, 3))
        what = name.replace("_", " ")
        raise RateLimited(
            gettext_noop(
                "too many %(what)ss: at most %(count)s every %(per)s s; try again in %(retry_after)s s",
                what=what,
                count=limit.count,
                per=f"{limit.per:g}",
                retry_after=math.ceil(retry_after),
            ),
            retry_after=retry_after,
            limit=limit.count,
            per=limit.per,
        )
    return key


def count_one(key: str, *, expires: int) -> None:
    if not cache.add(key, 1, timeout=expires):
        try:
            cache.incr(key)
        except ValueError:  # the key expired between add and incr
            cache.add(key, 1, timeout=expires)


def passes_at(used: list[int], count: int, slot: int) -> int:
    """The slot at whose start one more use fits: enough of the oldest uses have left the window. The i-th
    of `used` (oldest first; the last is the current slot) leaves when slot `slot + i + 1` begins."""
    over = sum(used) - count + 1
    for i, uses in enumerate(used):
        over -= uses
        if over <= 0:
            return slot + i + 1
    return slot + len(used)


def refund(key: str | None) -> None:
    """Give back one use counted under `key` (a window that has turned meanwhile has expired or soon will)."""
    if key is None:
        return
    with suppress(ValueError):  # expired
        cache.decr(key)


@contextmanager
def spent_on_success(*takes: tuple[str, object]) -> Iterator[None]:
    """Count one use of each (name, who) limit, in order, and give them all back if the work refuses (or a
    later limit does): a limit that only counts what was done, so that refused attempts (a code that does
    not exist, a full game, a taken name) cost the class sharing the address nothing."""
    keys: list[str | None] = []
    try:
        for name, who in takes:
            keys.append(take(name, who))
        yield
    except Refused:
        for key in keys:
            refund(key)
        raise
