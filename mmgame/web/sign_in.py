"""How long a host sign-in waits after wrong passwords: a delay that grows, never a lockout.

django-axes counts wrong passwords per account and address (settings.AXES_*) and asks this module how
long the pair must wait. Below the limit a failure is remembered for REMEMBER; at the limit the pair
waits FIRST_DELAY, and each further wrong password after a wait doubles it, up to LONGEST_DELAY. Tries
refused during a wait do not count (settings.AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT), so the
teacher retrying does not prolong it. A right password clears the count.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest

from mmgame.queries import sign_ins

REMEMBER = timedelta(minutes=15)
FIRST_DELAY = timedelta(minutes=1)
LONGEST_DELAY = timedelta(minutes=15)


def delay_after(failures: int) -> timedelta:
    """The wait after this many wrong passwords in a row (none below the limit)."""
    if failures < settings.AXES_FAILURE_LIMIT:
        return timedelta(0)
    return min(FIRST_DELAY * 2 ** (failures - settings.AXES_FAILURE_LIMIT), LONGEST_DELAY)


def cool_off(request: HttpRequest | None) -> timedelta:
    """AXES_COOLOFF_TIME: how long this request's account and address are remembered or held back."""
    username = request.POST.get(settings.AXES_USERNAME_FORM_FIELD) if request is not None else None
    address = getattr(request, "axes_ip_address", None)
    if not username or not address:
        return REMEMBER
    return delay_after(sign_ins.failures(username=username, address=address)) or REMEMBER
