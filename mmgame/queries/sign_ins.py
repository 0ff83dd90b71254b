"""Wrong passwords as django-axes records them: how many a sign-in's account and address have made."""

from __future__ import annotations

from django.db.models import Sum


def failures(*, username: str, address: str) -> int:
    """The wrong passwords in a row from this account and address (axes' AccessAttempt rows)."""
    from axes.models import AccessAttempt  # axes' models load with its app, after the settings

    attempts = AccessAttempt.objects.filter(username=username, ip_address=address)
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
