"""GET /healthz: whether this server process can serve a game, for a proxy, a process manager or a monitor.

`/healthz` rather than `/health` or `/status`: the name Kubernetes, Google's and most monitors' probes use,
and one no page of the game will ever want. The answer is JSON, 200 when healthy and 503 when not:

    {"status": "ok", "process": 4242, "checks": {"database": "ok", "redis": "ok", "migrations": "ok"}}

- database: this process runs `SELECT 1` on its own connection (a stopped or unreachable database fails);
- redis: when REDIS_URL is set, a PING with a one-second timeout (the channel layer and the rate limits'
  counters live there: without it trades are refused), else "off";
- migrations: none of this code's migrations is missing from the database. Asked once and remembered when
  they are all applied (they are never unapplied under a running process); while some are pending, asked
  again at most every MIGRATIONS_RECHECK seconds. A poll every few seconds therefore costs one query.

No secrets: a failed check says "unreachable" or "pending", never the error text (which can name hosts and
users); that goes to the log. `process` is the operating system's process id, so that an admin polling
through the proxy sees which Daphne answered.
"""

from __future__ import annotations

import logging
import os
import threading
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

log = logging.getLogger(__name__)

MIGRATIONS_RECHECK = 10.0  # seconds between two looks at pending migrations
REDIS_TIMEOUT = 1.0  # seconds: a monitor must get an answer even when Redis hangs

clock = time.monotonic
_lock = threading.Lock()
_migrations: dict = {"applied": False, "asked_at": None}
_redis: dict = {}


def database() -> str:
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        log.warning("health: database unreachable (%s)", type(error).__name__)
        connection.close()  # the next poll connects afresh, so it sees the database come back
        return "unreachable"
    return "ok"


def redis() -> str:
    if not settings.REDIS_URL:
        return "off"
    import redis as redis_py

    client = _redis.get(settings.REDIS_URL)
    if client is None:
        client = redis_py.Redis.from_url(
            settings.REDIS_URL, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT
        )
        _redis[settings.REDIS_URL] = client
    try:
        client.ping()
    except Exception as error:
        log.warning("health: Redis unreachable (%s)", type(error).__name__)
        return "unreachable"
    return "ok"


def migrations() -> str:
    """'ok' once every migration this code has is applied (remembered), 'pending' while one is not."""
    with _lock:
        if _migrations["applied"]:
            return "ok"
        asked_at = _migrations["asked_at"]
        if asked_at is not None and clock() - asked_at < MIGRATIONS_RECHECK:
            return "pending"
        _migrations["asked_at"] = clock()
        try:
            executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
            pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except Exception as error:
            log.warning("health: migrations unknown (%s)", type(error).__name__)
            _migrations["asked_at"] = None
            return "unknown"
        _migrations["applied"] = not pending
        return "pending" if pending else "ok"


def forget() -> None:
    """Ask the database about migrations again at the next poll (tests; after a migration in-process)."""
    with _lock:
        _migrations.update(applied=False, asked_at=None)


def report() -> dict:
    checks = {"database": database(), "redis": redis()}
    checks["migrations"] = migrations() if checks["database"] == "ok" else "unknown"
    healthy = checks["database"] == "ok" and checks["redis"] in ("ok", "off") and checks["migrations"] == "ok"
    return {"status": "ok" if healthy else "unhealthy", "process": os.getpid(), "checks": checks}


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    answer = report()
    return JsonResponse(answer, status=200 if answer["status"] == "ok" else 503)
