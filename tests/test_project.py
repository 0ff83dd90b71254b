"""The project's own promises: the README's commands, exact pins, a clean deploy check, `manage.py play`."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from mmgame.models import Game, Market

ROOT = Path(__file__).resolve().parent.parent


def readme_block(heading: str) -> str:
    text = (ROOT / "README.md").read_text()
    section = text.split(f"## {heading}\n", 1)[1]
    return re.search(r"```sh\n(.+?)\n```", section, re.S).group(1).strip()


def test_ci_runs_exactly_the_readme_test_command():
    command = readme_block("Test")
    lines = [line.strip() for line in (ROOT / ".ci/run").read_text().splitlines()]
    assert command in lines


def test_readme_play_command_installs_and_plays():
    assert readme_block("Play") == "python3 -m pip install -r requirements.txt && python3 manage.py play"


def test_the_readmes_log_market_example_runs_as_written(tmp_path):
    script = readme_block("Log-scale markets")
    assert script.startswith("export SQLITE_PATH=/tmp/fermi.sqlite3\n")
    script = script.replace("/tmp/fermi.sqlite3", str(tmp_path / "fermi.sqlite3"), 1)
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    result = subprocess.run(["bash", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().splitlines()[-2:] == ["log 1000 0.978 [200, 5000]", "1002.52"]


@pytest.mark.parametrize("name", ["requirements.txt", "requirements-test.txt"])
def test_requirements_are_exact_pins_without_hosts(name):
    for line in (ROOT / name).read_text().splitlines():
        line = line.strip()
        if not line or line.startswith(("#", "-r ")):
            continue
        assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[0-9][0-9A-Za-z.]*", line), line
    assert "://" not in (ROOT / name).read_text()


def test_deploy_check_is_clean_in_production_configuration(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "x" * 64 + "-production-like-secret-for-the-check",
        "ALLOWED_HOSTS": "game.example.org",
        "SQLITE_PATH": str(tmp_path / "db.sqlite3"),
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_play_sets_up_a_demo_host_and_open_seed_market_once():
    out = StringIO()
    call_command("play", "--no-server", stdout=out)
    call_command("play", "--no-server", stdout=StringIO())
    game = Game.objects.get()
    market = Market.objects.get()
    assert game.host.username == "host" and game.host.check_password("mmgame-demo")
    assert (market.mean, market.sd) == pytest.approx((100, 100), rel=1e-12)
    assert market.status == Market.Status.OPEN
    assert game.join_code in out.getvalue() and "http://localhost:8000/" in out.getvalue()


@pytest.mark.django_db
def test_play_after_the_demo_game_finished_sets_up_a_fresh_one():
    from mmgame import services

    call_command("play", "--no-server", stdout=StringIO())
    first = Game.objects.get()
    services.finish_game(first.host, first)
    out = StringIO()

    call_command("play", "--no-server", stdout=out)

    fresh = Game.objects.exclude(pk=first.pk).get()
    assert fresh.markets.get().status == Market.Status.OPEN
    assert fresh.join_code in out.getvalue() and first.join_code not in out.getvalue()


def test_the_join_link_points_phones_at_the_public_address_when_set(rf, settings):
    from mmgame.web.host import join_url

    settings.PUBLIC_URL = "http://192.0.2.7:8000"
    game = Game(join_code="ABCDEF")

    assert join_url(rf.get("/", HTTP_HOST="localhost:8000"), game) == "http://192.0.2.7:8000/join/ABCDEF/"


def test_the_readme_gives_the_join_limits_the_settings_set():
    """It said 150 joins a minute in one place and 300 in another (issue 23): every "N joins/seats a
    minute" it states is the setting's."""
    from mmgame import settings as configured  # the module as configured, not a test's override

    text = " ".join((ROOT / "README.md").read_text().split())
    stated = re.findall(r"(\d+) (?:joins|seats) a minute", text)
    count, per = configured.RATE_LIMITS["join"]
    assert per == 60 and stated and set(stated) == {str(count)}
    count, per = configured.RATE_LIMITS["new_seat"]
    assert f"{count} every {per:g} s" in text


def test_the_readme_does_not_advise_daphnes_proxy_headers():
    """Issue 23: it said "start Daphne with `--proxy-headers`", which makes the client's own X-Forwarded-For
    claim its address (tests/live/test_proxy_daphne.py); BEHIND_PROXY is the setting that reads it safely."""
    text = " ".join((ROOT / "README.md").read_text().split())
    commands = re.findall(r"```sh(.+?)```", (ROOT / "README.md").read_text(), re.S)

    assert "start Daphne with `--proxy-headers` so that" not in text
    assert not any("--proxy-headers" in block for block in commands)
    assert "Do not start Daphne with `--proxy-headers`" in text
