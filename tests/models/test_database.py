"""Which database the suite runs on, and the settings that make trades serialise on it."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

VENDORS = {"postgres": "postgresql", "postgresql": "postgresql", "pgsql": "postgresql", "sqlite": "sqlite"}


def test_the_suite_runs_on_the_database_the_environment_names():
    url = os.environ.get("DATABASE_URL")
    expected = VENDORS[urlsplit(url).scheme] if url else "sqlite"

    assert connection.vendor == expected


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite settings")
def test_sqlite_takes_the_write_lock_when_a_transaction_begins():
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite settings")
def test_sqlite_runs_in_wal_mode():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite settings")
def test_sqlite_test_database_is_a_file_other_threads_can_open():
    assert connection.settings_dict["NAME"] != ":memory:"
    assert "mode=memory" not in str(connection.settings_dict["NAME"])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL settings")
def test_postgresql_runs_at_read_committed_so_the_row_lock_is_what_serialises():
    with connection.cursor() as cursor:
        cursor.execute("SHOW transaction_isolation")
        assert cursor.fetchone()[0] == "read committed"
