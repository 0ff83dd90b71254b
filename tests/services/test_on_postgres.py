"""The service and model suites again, on PostgreSQL: its row locks must serialise trades as SQLite's
IMMEDIATE transactions do, and a race that SQLite hides would show here (docs/architecture.md § Pitfalls).
The control-character refusals of the API and the pages run there too, where a NUL reaching the database is
an error (a 500 before they were refused): in the same run, so that PostgreSQL's test database is made and
migrated once."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.nested import NESTED

ROOT = Path(__file__).resolve().parents[2]

# Tests that must run, not skip, when the suite is on PostgreSQL.
MUST_PASS = {
    "test_the_suite_runs_on_the_database_the_environment_names",
    "test_postgresql_runs_at_read_committed_so_the_row_lock_is_what_serialises",
    "test_on_postgresql_the_trade_waits_on_the_market_row_lock",
    "test_concurrent_trades_replay_exactly_through_the_pure_engine",
    "test_concurrent_trades_take_sequence_numbers_without_gaps",
    "test_each_lookup_gives_the_row_the_orm_gives",
    "test_the_updates_write_what_save_with_update_fields_writes",
    "test_two_processes_ticking_at_once_trade_each_due_bot_once",
    "test_two_processes_ticking_at_the_same_instant_step_a_due_game_once",
}

# Every test of these must pass there (none skipped).
CONTROL_CHARACTERS = ("tests/api/test_control_characters.py", "tests/web/test_control_characters.py")

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.skipif(os.environ.get(NESTED) == "1", reason="this is the nested run on PostgreSQL"),
]


@pytest.mark.timeout(1500)
def test_services_and_models_pass_on_postgresql(postgres_url, tmp_path):
    junit = tmp_path / "junit.xml"
    env = {**os.environ, "DATABASE_URL": postgres_url, NESTED: "1"}
    command = [
        sys.executable,
        "-m",
        "pytest",
        "tests/services",
        "tests/models",
        *CONTROL_CHARACTERS,
        "-q",
        "-p",
        "no:cacheprovider",
        f"--junitxml={junit}",
    ]

    run = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1400)

    output = f"{run.stdout[-30000:]}\n{run.stderr[-5000:]}"
    print(run.stdout.strip().splitlines()[-1] if run.stdout.strip() else "(no output)")  # the nested count and time
    assert run.returncode == 0, output
    cases = {case.get("name"): case for case in ET.parse(junit).iter("testcase")}
    for name in MUST_PASS:
        assert name in cases, f"{name} did not run on PostgreSQL\n{output}"
        assert len(cases[name]) == 0, f"{name} was skipped or failed on PostgreSQL\n{output}"
    for path in CONTROL_CHARACTERS:
        module = path.removesuffix(".py").replace("/", ".")
        ran = [case for case in ET.parse(junit).iter("testcase") if case.get("classname") == module]
        assert len(ran) >= 10, f"{path}: {len(ran)} tests ran on PostgreSQL\n{output}"
        assert all(len(case) == 0 for case in ran), f"{path}: some skipped or failed on PostgreSQL\n{output}"
