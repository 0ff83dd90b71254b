"""Who a request comes from (trusting a proxy only when told to), and per-client limits (issue 14, 5 and 12)."""

from __future__ import annotations

import pytest
from django.core.cache import caches

from mmgame import clients
from mmgame.api.errors import http_status
from mmgame.services import RateLimited, limits


def test_without_a_proxy_a_forwarded_address_is_ignored(rf, settings):
    settings.BEHIND_PROXY = False
    request = rf.get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="198.51.100.9")

    assert clients.client_address(request) == "192.0.2.1"


@pytest.mark.parametrize("forwarded", ["198.51.100.9", "198.51.100.9, 192.0.2.77"])
def test_without_a_proxy_an_address_a_server_took_from_the_header_is_no_address(rf, settings, forwarded):
    """Issue 23: Daphne with --proxy-headers puts the first X-Forwarded-For entry where the socket's address
    was; without BEHIND_PROXY that claim must not give a client a fresh address for every request."""
    settings.BEHIND_PROXY = False
    request = rf.get("/", REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR=forwarded)

    assert clients.client_address(request) is None


def test_behind_a_proxy_the_address_it_appended_counts_not_the_clients_claim(rf, settings):
    settings.BEHIND_PROXY = True
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5")

    assert clients.client_address(request) == "203.0.113.5"


def test_behind_a_proxy_a_request_without_the_header_is_the_sockets(rf, settings):
    settings.BEHIND_PROXY = True

    assert clients.client_address(rf.get("/", REMOTE_ADDR="10.0.0.1")) == "10.0.0.1"


@pytest.mark.parametrize(("meta", "address"), [({}, None), ({"REMOTE_ADDR": "not an address"}, None)])
def test_a_request_without_a_usable_address_has_none(rf, meta, address):
    """django-axes stores the address in an IP field: a made-up one would fail there on PostgreSQL."""
    request = rf.get("/")
    request.META.pop("REMOTE_ADDR", None)
    request.META.update(meta)

    assert clients.client_address(request) == address


def test_behind_a_proxy_a_malformed_forwarded_entry_falls_back_to_the_socket(rf, settings):
    settings.BEHIND_PROXY = True
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, <script>")

    assert clients.client_address(request) == "10.0.0.1"


def test_a_limit_refuses_past_its_count_and_says_when_to_retry(monkeypatch):
    monkeypatch.setattr(limits, "clock", lambda: 1_000_040.0)  # 20 s into a minute (1,000,020 is a multiple of 60)
    for _ in range(3):
        clients.throttle("join", "192.0.2.1", limit=3, per=60)

    with pytest.raises(RateLimited) as refused:
        clients.throttle("join", "192.0.2.1", limit=3, per=60)

    # A sliding window of 60 s, in slots of 6 s: the first use leaves it 60 to 66 s after it was made.
    assert http_status(refused.value) == 429 and 60 <= refused.value.details["retry_after"] <= 66


def test_a_limit_counts_each_client_and_each_action_apart(monkeypatch):
    monkeypatch.setattr(limits, "clock", lambda: 1_000_020.0)
    clients.throttle("join", "192.0.2.1", limit=1, per=60)

    clients.throttle("join", "192.0.2.2", limit=1, per=60)
    clients.throttle("signup", "192.0.2.1", limit=1, per=60)


def test_a_limit_opens_again_once_the_use_has_left_its_window(monkeypatch):
    now = [1_000_020.0]
    monkeypatch.setattr(limits, "clock", lambda: now[0])
    clients.throttle("join", "192.0.2.1", limit=1, per=60)
    with pytest.raises(RateLimited):
        clients.throttle("join", "192.0.2.1", limit=1, per=60)

    now[0] += 66
    clients.throttle("join", "192.0.2.1", limit=1, per=60)


@pytest.mark.redis
def test_on_redis_the_count_is_shared_by_every_server_process(redis_url, settings, monkeypatch):
    """Two processes are two cache connections to one Redis: a client cannot spread its joins over them."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}}
    monkeypatch.setattr(limits, "clock", lambda: 2_000_010.0)
    one, other = caches.create_connection("default"), caches.create_connection("default")
    one.clear()
    monkeypatch.setattr(limits, "cache", one)
    clients.throttle("join", "192.0.2.7", limit=2, per=60)
    monkeypatch.setattr(limits, "cache", other)
    clients.throttle("join", "192.0.2.7", limit=2, per=60)

    with pytest.raises(RateLimited):
        clients.throttle("join", "192.0.2.7", limit=2, per=60)
    one.clear()
