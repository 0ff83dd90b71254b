"""Leases: which server process does a timed job (a practice trader's steps, a game's autopilot) until when.

A row holds `lease_owner` and `lease_until`; every process ticks and claims, in one conditional UPDATE, the rows
whose lease is free, expired or already its own, so two processes claiming at once never both hold a row, and a
crashed process's rows pass to another after the lease runs out.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q, QuerySet


def claim(rows: QuerySet, owner: str, now: datetime, lease: timedelta) -> int:
    """Take or renew the lease of each of `rows` that is free, expired or already `owner`'s (one UPDATE)."""
    free = Q(lease_owner=owner) | Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    return rows.filter(free).update(lease_owner=owner, lease_until=now + lease)


def held(rows: QuerySet, owner: str, now: datetime) -> QuerySet:
    """The rows `owner` holds the lease of now."""
    return rows.filter(lease_owner=owner, lease_until__gt=now)
