"""The PostgreSQL rerun of the services' and models' tests (tests/services/test_on_postgres.py) and what it
leaves out.

It is there for what a database decides: row locks, transactions, constraints, SQL, migrations. A test
whose point is the arithmetic or the bots' pacing (a simulated class, a fuzzer, a lesson on a controlled
clock) proves the same on SQLite, and on PostgreSQL took three times as long: it runs once."""

from __future__ import annotations

import os

import pytest

NESTED = "MMGAME_NESTED_POSTGRES_RUN"

one_database = pytest.mark.skipif(
    os.environ.get(NESTED) == "1", reason="its point is not the database: the SQLite run checks it"
)
