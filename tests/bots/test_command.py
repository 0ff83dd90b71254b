"""`manage.py bots` from the command line: bots against a running server, stopping by themselves."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from benchmarks.servers import REPO


def bots(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "bots", *args], cwd=REPO, capture_output=True, text=True, timeout=120
    )


@pytest.mark.slow
def test_informed_bots_drawn_around_a_truth_trade_and_report(classroom):
    server, code, market_id = classroom
    done = bots(
        "--url",
        server.url,
        "--code",
        code,
        "--count",
        "3",
        "--truth",
        "180",
        "--spread",
        "20",
        "--risk-aversion",
        "0.05",
        "--rate",
        "5",
        "--duration",
        "4",
        "--seed",
        "1",
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    state = server.market(market_id)
    assert report["market_id"] == market_id
    assert report["trades"] == state["trades"] > 0
    beliefs = [bot["belief"][0] for bot in report["bots"]]
    assert len(beliefs) == 3 and all(100 < mean < 260 for mean in beliefs)
    assert report["market"]["mean"] > 100  # the crowd believes in more beans than the prior's 100


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--count", "0"], "count must be"),
        (["--duration", "0", "--truth", "1"], "duration must be"),
        (["--strategy", "informed"], "--truth"),
    ],
)
def test_bad_arguments_are_refused_before_anything_starts(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("bots", "--url", "http://127.0.0.1:9", "--code", "ABCDEF", *args)


def test_an_unreachable_server_is_a_clear_error():
    with pytest.raises(CommandError, match="could not reach"):
        call_command("bots", "--url", "http://127.0.0.1:9", "--code", "ABCDEF", "--strategy", "noise")
