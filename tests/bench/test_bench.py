"""The benchmark runs end to end on a small scale: real servers, a separate load process, a JSON report.

Figures are not asserted (the machine is shared); what must hold on any machine: every screen ends
showing the database's state (0 lost), every trade is acknowledged, and the report has every measure.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from benchmarks import run
from benchmarks.servers import REPO
from tests.conftest import require_program

pytestmark = pytest.mark.slow

MEASURES = {
    "trades_settled_per_s",
    "ack_latency_ms",
    "staleness_ms",
    "server_cpu_us_per_delivered_message",
    "server_memory_per_socket_kb",
    "lost",
}


def bench(*args: str) -> dict:
    done = subprocess.run(
        [sys.executable, "manage.py", "bench", *args], cwd=REPO, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def check_target(result: dict, screens: int) -> None:
    assert "error" not in result, result.get("error")
    assert set(result) >= MEASURES
    assert result["lost"] == 0
    assert result["load_errors"] == {}
    assert result["screens_connected"] == screens
    assert result["trades_settled"] > 0 and result["trade_timeouts"] == 0
    # A noise trader may now and then ask for the market where it already stands (its last trade's target, as
    # the screen rounded it): refused as `no_move`, nothing written. Any other refusal is the bench's fault.
    assert set(result["trades_refused"]) <= {"no_move"}, result["trades_refused"]
    # Each market starts at sequence 1 (mmgame: opening it); every trade adds one.
    assert result["final_sequence"] == 1 + result["trades_settled"]
    assert result["staleness_ms"]["sequences_measured"] == result["trades_settled"]
    for measure in ("ack_latency_ms", "staleness_ms"):
        assert 0 < result[measure]["p50"] <= result[measure]["p99"]
    assert result["server_cpu_us_per_delivered_message"] > 0
    assert result["server_survived"]


def test_a_small_run_reports_every_measure_with_nothing_lost():
    report = bench("--screens", "20", "--traders", "2", "--rate", "10", "--duration", "3")
    assert set(report["results"]) == {"mmgame", "reference", "daphne", "stock"}
    for result in report["results"].values():
        check_target(result, screens=20)
    ratios = report["ratios"]
    assert set(ratios) == {"mmgame/reference", "daphne/reference", "stock/reference"}
    assert all(value > 0 for ratio in ratios.values() for value in ratio.values())
    assert set(report["targets"]) == {
        "trades_per_s>=200",
        "ack_p99<=50ms",
        "staleness_p99<=250ms",
        "lost==0",
        "load_errors==0",
        "cpu_per_message<=4x_reference",
    }


@pytest.mark.deploy
@pytest.mark.postgres
@pytest.mark.redis
def test_a_small_run_through_the_kits_nginx_to_two_daphne_processes_loses_nothing(postgres_url, redis_url):
    """`--multi --proxy`: every screen and trader over wss through nginx with deploy/nginx/, to two Daphne
    processes on PostgreSQL + Redis; the proxy's CPU is measured beside the servers'."""
    require_program("nginx")
    report = bench(
        "--screens", "50", "--traders", "5", "--rate", "20", "--duration", "3", "--multi", "--proxy",
        "--targets", "mmgame",
    )  # fmt: skip
    result = report["results"]["mmgame"]
    check_target(result, screens=50)
    assert report["config"]["multi"] is True and report["config"]["proxy"] == "nginx"
    assert result["proxy"] == "nginx" and result["proxy_workers"] >= 1
    # The frames of 55 sockets for 3 s passed through nginx's workers, which encrypted every one.
    assert result["proxy_cpu_s"] > 0 and result["proxy_cpu_us_per_delivered_message"] > 0


def test_the_proxy_needs_two_processes():
    """The kit's upstream is two processes: --proxy without --multi stops before starting anything."""
    with pytest.raises(SystemExit, match="--proxy needs --multi"):
        run.bench(run.parse_args(["--proxy", "--targets", "mmgame"]))
