"""Who a request comes from, as far as this server can tell, and how often one client may do a thing.

Behind a proxy every request arrives from the proxy's address, so the client's own is the last entry the
proxy appended to X-Forwarded-For; entries before it are whatever the client chose to send. Without a
proxy (BEHIND_PROXY off) that header is the client's to forge, so only the socket's address counts.
A whole class usually shares one address (the school's network): limits per address must be generous.

A server that believes the header itself hides the socket's address: Daphne started with `--proxy-headers`
puts the *first* X-Forwarded-For entry, the client's own claim, where the socket's address was (320 forged
joins passed the join limit, 12 wrong passwords met no delay). Without BEHIND_PROXY such a request has no
address it can be known by: it counts with every other address-less request, so forging gains nothing.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

from mmgame.services import limits


def client_address(request: HttpRequest) -> str | None:
    """The client's network address: the proxy's word for it when configured to trust one, else the socket's;
    None when there is none (a request made in-process, such as a test client's force_login)."""
    if settings.BEHIND_PROXY:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if hops and valid_address(hops[-1]):
            return hops[-1]
    address = request.META.get("REMOTE_ADDR") or ""
    if not settings.BEHIND_PROXY and address and claimed_address(request) == address:
        return None  # the server took the client's claim for its address (daphne --proxy-headers)
    return address if valid_address(address) else None


def claimed_address(request: HttpRequest) -> str:
    """The first X-Forwarded-For entry: what the client (or the first proxy) says, and what Daphne's
    --proxy-headers takes for the client's address (daphne.utils.parse_x_forwarded_for)."""
    return request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[0].strip()


def valid_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def throttle(action: str, client: str | None, *, limit: int, per: int) -> None:
    """Count one `action` by `client`; past `limit` in the current window of `per` seconds, refuse it
    (mmgame.services.limits: the one limiter, in Django's cache)."""
    limits.take(action, client, limits.Limit(limit, per))
