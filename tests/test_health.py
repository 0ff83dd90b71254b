"""GET /healthz (mmgame/health.py): what it reports, what it costs a poll, and what it never says.

The database going away under a running Daphne process, and coming back, is tested against real processes
in tests/deploy/test_proxy.py; here the checks run in-process on the test database and the real Redis.
"""

from __future__ import annotations

import json
import os
import socket

import pytest
from django.db.migrations.recorder import MigrationRecorder

from mmgame import health

from .django_script import run_django


@pytest.fixture(autouse=True)
def fresh_memory():
    health.forget()
    yield
    health.forget()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once the probe is closed


@pytest.mark.django_db
def test_healthy_answers_200_with_every_check_by_name(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    answer = response.json()
    assert answer["status"] == "ok"
    assert answer["checks"] == {"database": "ok", "redis": "off", "migrations": "ok"}
    assert isinstance(answer["process"], int)


@pytest.mark.django_db
def test_a_poll_after_the_first_asks_the_database_one_query(client, django_assert_num_queries):
    client.get("/healthz")
    with django_assert_num_queries(1):  # SELECT 1: the migrations are remembered as applied
        assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_a_pending_migration_is_unhealthy_and_asked_again_only_after_the_recheck(client, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(health, "clock", lambda: now[0])
    last = MigrationRecorder.Migration.objects.filter(app="mmgame").order_by("-name").first()
    last.delete()  # as if this code's newest migration had not been run yet

    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "pending"

    MigrationRecorder.Migration.objects.create(app=last.app, name=last.name)  # `migrate` has run
    now[0] += health.MIGRATIONS_RECHECK - 1
    assert client.get("/healthz").json()["checks"]["migrations"] == "pending"  # not asked again yet
    now[0] += 1
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
@pytest.mark.redis
def test_redis_is_checked_when_configured(client, settings, redis_url):
    settings.REDIS_URL = redis_url
    assert client.get("/healthz").json()["checks"]["redis"] == "ok"


@pytest.mark.django_db
def test_unreachable_redis_is_unhealthy_and_names_no_address(client, settings):
    port = closed_port()
    settings.REDIS_URL = f"redis://:hunter2@127.0.0.1:{port}/0"

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["status"] == "unhealthy"
    assert response.json()["checks"]["redis"] == "unreachable"
    assert str(port) not in response.content.decode() and "hunter2" not in response.content.decode()


@pytest.mark.django_db
def test_the_answer_carries_no_settings_or_secrets(client, settings):
    text = client.get("/healthz").content.decode()
    assert settings.SECRET_KEY not in text
    assert str(settings.DATABASES["default"]["NAME"]) not in text
    assert set(json.loads(text)) == {"status", "process", "checks"}


@pytest.mark.django_db
def test_only_get_and_head_are_answered(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_an_unreachable_database_is_unhealthy_without_the_error_text(tmp_path):
    """A process whose DATABASE_URL points at a port nothing listens on (as when PostgreSQL is stopped)."""
    port = closed_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mmgame.settings",
        "DATABASE_URL": f"postgresql://mmgame:hunter2@127.0.0.1:{port}/mmgame",
        "REDIS_URL": "",
    }
    answer = run_django(
        """
        from django.test import Client
        response = Client(HTTP_HOST="localhost").get("/healthz")
        print(json.dumps([response.status_code, response.content.decode()]))
        """,
        env,
    )

    status, text = answer
    assert status == 503
    assert json.loads(text)["checks"] == {"database": "unreachable", "redis": "off", "migrations": "unknown"}
    assert str(port) not in text and "hunter2" not in text and "mmgame" not in text
