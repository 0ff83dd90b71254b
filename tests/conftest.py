"""Shared fixtures: the real PostgreSQL and Redis servers, and small game set-ups.

PostgreSQL and Redis tests run when the servers answer; when they do not, they are skipped on a
developer's machine and fail under CI (CI=true), where their absence is a broken build.
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import Phase, settings

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

# Property tests: no "explain" phase anywhere (on Python 3.11 its line tracer turned one falsifying example
# into a 300 s timeout instead of a report); under CI the same examples every run, so that a red build names
# a case anyone can rerun and a green one is not a lucky draw. Locally the draws stay random, to find new cases.
WITHOUT_EXPLAIN = [phase for phase in Phase if phase is not Phase.explain]
settings.register_profile("ci", derandomize=True, phases=WITHOUT_EXPLAIN)
settings.register_profile("dev", phases=WITHOUT_EXPLAIN)
settings.load_profile("ci" if IN_CI else "dev")
POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_TEST_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def reachable(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 0), timeout=1):
            return True
    except OSError:
        return False


def require_service(url: str, name: str) -> None:
    if reachable(url):
        return
    message = f"{name} is not reachable at {url}"
    if IN_CI:
        pytest.fail(f"{message}; CI needs it (see .ci/run)", pytrace=False)
    pytest.skip(message)


def require_program(name: str) -> str:
    """A program's path (on PATH or in /usr/sbin, where Debian puts nginx); skipped when absent, failed in CI."""
    path = shutil.which(name) or (f"/usr/sbin/{name}" if Path(f"/usr/sbin/{name}").exists() else None)
    if path:
        return path
    message = f"{name} is not installed"
    if IN_CI:
        pytest.fail(f"{message}; CI needs it (see .ci/run)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for this test session (dropped afterwards)."""
    require_service(POSTGRES_ADMIN_URL, "PostgreSQL")
    import psycopg

    name = f"mmgame_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(POSTGRES_ADMIN_URL)
    yield parts._replace(path=f"/{name}").geturl()
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def redis_url() -> str:
    require_service(REDIS_TEST_URL, "Redis")
    return REDIS_TEST_URL


@pytest.fixture(autouse=True)
def armed_deadlines(monkeypatch) -> list:
    """Countdown timers armed in this process, as (delay, action) pairs, instead of real timer threads: a
    test fires them when its clock says so (tests/api/test_countdown_alone.py). Servers the live tests
    start run the real timers."""
    from mmgame.services.deadlines import deadlines

    armed: list = []
    monkeypatch.setattr(deadlines, "schedule", lambda delay, action: armed.append((delay, action)))
    return armed


@pytest.fixture(autouse=True)
def no_rate_limits(request, settings):
    """Tests trade, quote and join in bursts from one seat or address; the limits have tests of their own
    (marked `rate_limits`), which keep the configured limits and count in a cleared cache."""
    if request.node.get_closest_marker("rate_limits"):
        from django.core.cache import cache

        cache.clear()
    else:
        settings.RATE_LIMITS = {}


# -- small game set-ups (database) --------------------------------------------------------------


@pytest.fixture
def host(django_user_model):
    return django_user_model.objects.create_user(username="teacher", password="correct horse battery")


@pytest.fixture
def media(settings, tmp_path):
    """A fresh folder for uploaded files (the questions' pictures): what a test stores, and leaves, is there."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def other_host(django_user_model):
    return django_user_model.objects.create_user(username="intruder", password="correct horse battery")


@pytest.fixture
def game(host):
    from mmgame import services

    return services.create_game(host, "Science fair")


@pytest.fixture
def market(host, game):
    """The seed's market: range [0, 300], prior N(100, 100²), σ_min 1, b = 30, 1,000 points each."""
    from mmgame import services

    return services.add_market(
        host,
        game,
        question="How many jelly beans?",
        unit="beans",
        lo=0,
        hi=300,
        prior_mean=100,
        prior_sd=100,
        sd_min=1,
        liquidity=30,
        budget=1000,
    )


@pytest.fixture
def open_market(host, market):
    from mmgame import services

    return services.open_market(host, market.pk)


@pytest.fixture
def alice(game):
    from mmgame import services

    return services.join_game(game.join_code, "Alice")


@pytest.fixture
def bob(game):
    from mmgame import services

    return services.join_game(game.join_code, "Bob")


@pytest.fixture
def other_game(other_host):
    """Another host's game: its seats and markets must stay out of reach of this game's players."""
    from mmgame import services

    return services.create_game(other_host, "Another class")


@pytest.fixture
def stranger(other_game):
    """A seat in another game."""
    from mmgame import services

    return services.join_game(other_game.join_code, "Stranger")


@pytest.fixture(autouse=True)
def fresh_cache():
    """Per-client counters (join limits) live in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def english_again():
    """A page served in another language activates it in the thread that served it (LocaleMiddleware,
    mmgame.languages.speak), and nothing turns it off after the response: the next request activates its
    own, but a command or a service called in the same test thread would speak the last page's language."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(scope="session", autouse=True)
def shared_chromium_stops():
    """The browser tests of a test process share one Chromium (tests/web/browser.py): stopped at its end."""
    yield
    browser = sys.modules.get("tests.web.browser")
    if browser is not None:
        browser.SHARED.stop()


# The longest files start first: a schedule of longest-first keeps one long file from running alone at the
# end. Under `--dist loadfile` each worker takes the next file in collection order, so the order is set here
# and `--no-loadscope-reorder` (pyproject) keeps xdist from re-sorting by the number of tests in a file: that
# put the services' PostgreSQL rerun, one test of three minutes, last of all.
LONGEST_FIRST = (
    "tests/services/test_on_postgres.py",
    "tests/web/test_classroom.py",
    "tests/web/test_accessibility_browser.py",
    "tests/live/test_autopilot_class.py",
    "tests/bench/test_bench.py",
    "tests/live/test_faults.py",
    "tests/deploy/test_kit.py",
    "tests/bench/test_classroom.py",
    "tests/services/test_practice_with_class.py",
    "tests/bots/test_server.py",
    "tests/live/test_processes.py",
    "tests/services/test_practice.py",
)
SLOW_MARKERS = ("browser", "slow", "postgres", "redis", "deploy")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items) -> None:
    files: dict[str, list] = {}
    for item in items:
        files.setdefault(item.nodeid.split("::", 1)[0], []).append(item)

    def rank(path: str) -> tuple[int, int]:
        if path in LONGEST_FIRST:
            return (0, LONGEST_FIRST.index(path))
        slow = any(item.get_closest_marker(name) for item in files[path] for name in SLOW_MARKERS)
        return (1 if slow else 2, -len(files[path]))  # then the browser and server files, then the rest

    items[:] = [item for path in sorted(files, key=rank) for item in files[path]]
