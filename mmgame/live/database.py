"""Database work of the live layer: one thread of its own, on a connection kept open between calls.

`channels.db.database_sync_to_async` closes old connections before and after every call, and with
CONN_MAX_AGE = 0 (the embedded SQLite default) that means a new connection, and its PRAGMAs, per call:
about 2 ms, more than the trade itself, on the thread every trade and every screen's read queue on.
Here the live layer keeps its connection for KEEP_FOR seconds (or the configured CONN_MAX_AGE when one
is set), and closes it at once when a call failed on it and it no longer answers (`is_usable`).

The thread is this module's own single-worker executor, handed to asgiref's public `sync_to_async`:
all the live layer's ORM work stays on one thread (and one connection) as thread-sensitive calls would,
and after a fork `new_thread` (mmgame.live.process) gives the child a thread of its own without touching
asgiref's internals (a forked executor keeps its dead thread and would queue work forever).
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar
from weakref import WeakKeyDictionary

from asgiref.sync import sync_to_async
from django.db import DatabaseError, connections
from django.db.backends.base.base import BaseDatabaseWrapper

KEEP_FOR = 60.0
clock: Callable[[], float] = time.monotonic  # replaced by tests that age a connection

P = ParamSpec("P")
R = TypeVar("R")

# When this thread first saw each raw connection: {wrapper: (raw connection, first seen)}.
_seen: WeakKeyDictionary[BaseDatabaseWrapper, tuple[object, float]] = WeakKeyDictionary()
_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mmgame-live-db")
_executor_lock = threading.Lock()


def new_thread() -> None:
    """Start over with a fresh executor (a forked child: the parent's thread does not exist here)."""
    global _executor, _executor_lock
    _executor_lock = threading.Lock()
    _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mmgame-live-db")
    _seen.clear()


def lifetime(connection: BaseDatabaseWrapper) -> float | None:
    """Seconds a connection of the live thread may live: None for ever (CONN_MAX_AGE = None)."""
    max_age = connection.settings_dict.get("CONN_MAX_AGE", 0)
    return None if max_age is None else float(max_age or KEEP_FOR)


def tidy_connections(failed: bool = False) -> None:
    """Close this thread's connections that are past their lifetime, or broken after a failed call."""
    now = clock()
    for connection in connections.all(initialized_only=True):
        raw = connection.connection
        if raw is None:
            continue
        seen = _seen.get(connection)
        if seen is None or seen[0] is not raw:
            _seen[connection] = seen = (raw, now)
        keep = lifetime(connection)
        broken = failed and not connection.in_atomic_block and not connection.is_usable()
        if broken or (keep is not None and now - seen[1] >= keep and not connection.in_atomic_block):
            connection.close()
            _seen.pop(connection, None)


def run_tidily(func: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    try:
        result = func(*args, **kwargs)
    except DatabaseError:
        tidy_connections(failed=True)
        raise
    tidy_connections()
    return result


def database_sync_to_async(func: Callable[P, R]) -> Callable[P, Awaitable[R]]:
    """Run `func` on the live layer's database thread, keeping that thread's connection (module doc)."""
    return sync_to_async(functools.partial(run_tidily, func), thread_sensitive=False, executor=_executor)
