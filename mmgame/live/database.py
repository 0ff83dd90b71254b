"""Database work of the live layer, run on the one thread-sensitive ORM thread, on a connection kept open.

`channels.db.database_sync_to_async` closes old connections before and after every call, and with
CONN_MAX_AGE = 0 (the embedded SQLite default) that means a new connection, and its PRAGMAs, per call:
about 2 ms, more than the trade itself, on the thread every trade and every screen's read queue on.
Here a connection that Django would drop only for its age lives on for KEEP_FOR seconds; a broken one,
or one older than a configured CONN_MAX_AGE, is still closed exactly as Django closes it.
"""

from __future__ import annotations

import time

from asgiref.sync import SyncToAsync
from django.db import connections

KEEP_FOR = 60.0


def tidy_connections() -> None:
    """Close the connections that are broken or past their age; give unpooled ones KEEP_FOR seconds."""
    for connection in connections.all(initialized_only=True):
        raw = connection.connection
        unpooled = raw is not None and connection.settings_dict.get("CONN_MAX_AGE") == 0
        if unpooled and getattr(connection, "live_kept", None) is not raw:  # a connection not seen yet
            connection.live_kept = raw
            connection.close_at = time.monotonic() + KEEP_FOR
        connection.close_if_unusable_or_obsolete()


class LiveDatabaseSyncToAsync(SyncToAsync):
    """database_sync_to_async that keeps the thread's connection between calls (see the module doc)."""

    def thread_handler(self, loop, *args, **kwargs):
        tidy_connections()
        try:
            return super().thread_handler(loop, *args, **kwargs)
        finally:
            tidy_connections()


database_sync_to_async = LiveDatabaseSyncToAsync
