"""A socket may be opened only by a page of this very site: its Origin is the server's own origin.

Channels' AllowedHostsOriginValidator compares the Origin's host name with ALLOWED_HOSTS alone, so a page
served on another port of the same machine (`http://localhost:9999`, any student's dev server) could open
a socket with the host's cookies. This is the rule Django's CSRF check applies to a POST: the Host is one
of ALLOWED_HOSTS, and the Origin's scheme, host and port equal the request's (the scheme is https when the
connection is, or when the proxy configured in SECURE_PROXY_SSL_HEADER says so), or the Origin is one of
CSRF_TRUSTED_ORIGINS. Settings are read per handshake, not at import.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.utils.http import is_same_domain

DEFAULT_PORTS = {"http": 80, "https": 443}


def header(scope: dict, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def origin_of(scheme: str, authority: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) with the scheme's default port filled in; None if it cannot be read."""
    try:
        parts = urlsplit(f"{scheme}://{authority}")
        host, port = parts.hostname, parts.port
    except ValueError:  # a port that is not a number, or out of range
        return None
    if scheme not in DEFAULT_PORTS or not host:
        return None
    return scheme, host, port or DEFAULT_PORTS[scheme]


def is_secure(scope: dict) -> bool:
    """Whether the page was served over TLS: by this server, or by the proxy trusted in settings."""
    if scope.get("scheme") in ("wss", "https"):
        return True
    proxy = settings.SECURE_PROXY_SSL_HEADER
    if not proxy:
        return False
    name, value = proxy
    forwarded = header(scope, name.removeprefix("HTTP_").lower().replace("_", "-").encode())
    return forwarded is not None and forwarded.split(",")[0].strip() == value


def allowed_host(host: str) -> bool:
    """ALLOWED_HOSTS as Django reads it (a leading dot for subdomains, `*`; localhost under DEBUG if empty)."""
    allowed = settings.ALLOWED_HOSTS or (["localhost", "127.0.0.1", "[::1]"] if settings.DEBUG else [])
    name = f"[{host}]" if ":" in host else host  # urlsplit drops an IPv6 address's brackets
    return any(pattern == "*" or is_same_domain(name, pattern) for pattern in allowed)


def same_origin(scope: dict) -> bool:
    origin, host = header(scope, b"origin"), header(scope, b"host")
    own = origin_of("https" if is_secure(scope) else "http", host) if host else None
    if not origin or own is None or not allowed_host(own[1]):
        return False
    if origin in settings.CSRF_TRUSTED_ORIGINS:
        return True
    parts = urlsplit(origin)
    claimed = origin_of(parts.scheme, parts.netloc) if not parts.path and not parts.query else None
    return claimed == own


class SameOriginValidator:
    """ASGI middleware: a websocket handshake from another origin is refused (HTTP 403), as Channels does."""

    def __init__(self, application) -> None:
        self.application = application

    async def __call__(self, scope: dict, receive, send) -> None:
        if scope["type"] == "websocket" and not same_origin(scope):
            return await WebsocketDenier.as_asgi()(scope, receive, send)
        return await self.application(scope, receive, send)
