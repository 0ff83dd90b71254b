"""How often one seat may trade or quote, and one network address join: counters in Django's cache.

A seat that sends 55 trades a second slowed everyone's; a person, or the benchmark's traders (10 a second
a seat), send far fewer. Each limit counts uses in fixed windows of `per` seconds under a key naming the
limit, who, and the window; past `count` the request is refused with `rate_limited` and the seconds until
the window turns (`retry_after`). The cache is Redis when REDIS_URL is set (mmgame.settings.CACHES), so a
limit holds across server processes; `cache.add` + `cache.incr` are atomic there and in LocMem.

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

from mmgame.market import Refused

from .errors import RateLimited

clock = time.time


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
    window = math.floor(now / limit.per)
    key = f"mmgame:limit:{name}:{who}:{window}"
    expires = math.ceil(limit.per) + 1
    if cache.add(key, 1, timeout=expires):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # the key expired between add and incr
            cache.add(key, 1, timeout=expires)
            count = 1
    if count > limit.count:
        refund(key)  # a refused use is not a use: the count stays at the limit
        retry_after = max(0.001, round((window + 1) * limit.per - now, 3))
        what = name.replace("_", " ")
        raise RateLimited(
            f"too many {what}s: at most {limit.count} every {limit.per:g} s; try again in {math.ceil(retry_after)} s",
            retry_after=retry_after,
            limit=limit.count,
            per=limit.per,
        )
    return key


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
