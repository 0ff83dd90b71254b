"""The trade-path benchmark settles real trades and prints its figure."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from benchmarks.servers import REPO

pytestmark = pytest.mark.slow


def test_the_trade_path_benchmark_times_real_trades():
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.trade_path", "--trades", "30", "--players", "25"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout)
    assert report["trades"] == 30 and report["players"] == 25
    assert 0 < report["cpu_ms_per_trade"] < 1000 and report["wall_ms_per_trade"] > 0
