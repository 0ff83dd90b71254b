"""Fixtures for the API tests: clients for a host, a bot and a browser, and JSON helpers."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from mmgame import services


class JSONClient:
    """A Django test client that speaks JSON and can send a seat token and a CSRF token."""

    def __init__(self, client: Client, seat_token: str | None = None) -> None:
        self.client = client
        self.seat_token = seat_token
        self.csrf_token: str | None = None

    def headers(self, csrf: bool) -> dict[str, str]:
        headers = {}
        if self.seat_token:
            headers["X-Seat-Token"] = self.seat_token
        if csrf and self.csrf_token:
            headers["X-CSRFToken"] = self.csrf_token
        return headers

    def fetch_csrf(self) -> str:
        self.csrf_token = self.get("/api/csrf").json()["csrf_token"]
        return self.csrf_token

    def get(self, url: str, **params: object):
        return self.client.get(url, params, headers=self.headers(csrf=False))

    def post(self, url: str, body: object = None, *, raw: str | bytes | None = None, csrf: bool = True):
        data = raw if raw is not None else ("" if body is None else json.dumps(body))
        return self.client.post(url, data, content_type="application/json", headers=self.headers(csrf))


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Signing the host up is not under test here; PBKDF2 would be most of the suite's time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def anyone(db) -> JSONClient:
    return JSONClient(Client(enforce_csrf_checks=True))


@pytest.fixture
def host_api(host) -> JSONClient:
    """The host's browser: signed in, CSRF enforced, with a CSRF token in hand."""
    client = JSONClient(Client(enforce_csrf_checks=True))
    client.client.force_login(host)
    client.fetch_csrf()
    return client


@pytest.fixture
def intruder_api(other_host) -> JSONClient:
    client = JSONClient(Client(enforce_csrf_checks=True))
    client.client.force_login(other_host)
    client.fetch_csrf()
    return client


@pytest.fixture
def alice_bot(alice) -> JSONClient:
    """Alice's bot: her seat token in a header, no cookies, no CSRF token."""
    return JSONClient(Client(enforce_csrf_checks=True), seat_token=alice.seat_token)


@pytest.fixture
def bob_bot(bob) -> JSONClient:
    return JSONClient(Client(enforce_csrf_checks=True), seat_token=bob.seat_token)


@pytest.fixture
def closed_market(host, open_market):
    return services.close_market(host, open_market.pk)


def target(mean: object, sd: object, key: str, **extra: object) -> dict:
    return {"kind": "target", "mean": mean, "sd": sd, "idempotency_key": key, **extra}
