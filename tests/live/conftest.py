"""Fixtures for the live layer: websocket clients in-process, and a real Daphne server in a subprocess.

`daphne_server` is reusable by any test (browser, multi-process): it copies a freshly migrated SQLite file,
starts Daphne on a port the OS picks, and stops it afterwards. `server.run(code)` runs Python with
Django set up against the same database (to create games and seats, or trade as another process would).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from ..django_script import run_django

ROOT = Path(__file__).resolve().parents[2]
ORIGIN = "http://127.0.0.1"
HOST = "127.0.0.1"
LISTENING = re.compile(r"Listening on TCP address 127\.0\.0\.1:(\d+)")


# -- in-process sockets ---------------------------------------------------------------------------


def session_cookie(*, user=None, seats: dict | None = None) -> str:
    """A saved Django session (logged in as `user`, holding `seats`) as a Cookie header value."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    if user is not None:
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if seats is not None:
        session["seats"] = {str(k): v for k, v in seats.items()}
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


async def open_socket(
    path: str, cookie: str | None = None, origin: str | None = ORIGIN, accept_language: str | None = None
) -> WebsocketCommunicator:
    """A connected communicator through the real ASGI stack (origin check, sessions, auth, routing)."""
    from mmgame.asgi import application

    headers = [(b"host", HOST.encode())]  # a browser always sends it: the origin check compares the two
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    if cookie is not None:
        headers.append((b"cookie", cookie.encode()))
    if accept_language is not None:
        headers.append((b"accept-language", accept_language.encode()))
    communicator = WebsocketCommunicator(application, path, headers=headers)
    communicator.connected, communicator.subprotocol = await communicator.connect(timeout=5)
    return communicator


async def player_socket(player, game_id: int | None = None) -> WebsocketCommunicator:
    cookie = await database_sync_to_async(session_cookie)(seats={player.game_id: player.seat_token})
    return await open_socket(f"/ws/games/{game_id or player.game_id}/player/", cookie)


async def host_socket(user, game_id: int, role: str = "host") -> WebsocketCommunicator:
    cookie = await database_sync_to_async(session_cookie)(user=user)
    return await open_socket(f"/ws/games/{game_id}/{role}/", cookie)


async def receive(communicator: WebsocketCommunicator, timeout: float = 5) -> dict:
    """The next frame, answering the server's checks on the way as every screen does."""
    while True:
        frame = await communicator.receive_json_from(timeout=timeout)
        if frame["type"] != "check":
            return frame
        await communicator.send_json_to({"type": "seen", "nonce": frame["nonce"]})


async def receive_until(communicator: WebsocketCommunicator, kind: str, timeout: float = 5) -> dict:
    """The next frame of type `kind`, skipping others (e.g. leaderboards between updates)."""
    deadline = time.monotonic() + timeout
    while True:
        frame = await receive(communicator, max(0.05, deadline - time.monotonic()))
        if frame["type"] == kind:
            return frame


BROADCASTS = ("update", "leaderboard", "player", "game")


async def request(communicator: WebsocketCommunicator, frame: dict) -> dict:
    """Send a request and return the answer to it (matched by request_id), skipping broadcasts."""
    await communicator.send_json_to(frame)
    deadline = time.monotonic() + 10
    while True:
        answer = await receive(communicator, max(0.05, deadline - time.monotonic()))
        if answer["type"] not in BROADCASTS and answer.get("request_id") == frame.get("request_id"):
            return answer


async def closed_with(communicator: WebsocketCommunicator, timeout: float = 5) -> int:
    """The close code the server ends with, skipping frames sent before it."""
    deadline = time.monotonic() + timeout
    while True:
        output = await communicator.receive_output(max(0.05, deadline - time.monotonic()))
        if output["type"] == "websocket.close":
            return output.get("code", 1000)


@pytest.fixture
async def live():
    """Stops this test loop's hub afterwards, so no task outlives the test."""
    from mmgame.live.hub import stop_hub

    yield
    stop_hub()


# -- a real Daphne server -----------------------------------------------------------------------


@dataclass
class DaphneServer:
    port: int
    env: dict
    process: subprocess.Popen
    log_path: Path
    sockets: list = field(default_factory=list)

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def run(self, code: str, timeout: float = 60) -> object:
        """Run Python with Django set up on this server's database; returns what it prints as JSON."""
        return run_django(code, self.env, timeout)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def start_daphne(
    env: dict, log_path: Path, args: tuple[str, ...] = (), timeout: float = 30
) -> tuple[subprocess.Popen, int]:
    """Daphne on 127.0.0.1 and a port the OS chooses; the port is read from its log."""
    log = log_path.open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", "0", "-v", "1", *args, "mmgame.asgi:application"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        match = LISTENING.search(log_path.read_text(errors="replace"))
        if match:
            return process, int(match.group(1))
        if process.poll() is not None:
            break
        time.sleep(0.05)
    process.kill()
    process.wait(5)
    raise AssertionError(f"Daphne did not start:\n{log_path.read_text(errors='replace')[-3000:]}")


def stop_daphne(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def server_env(database: Path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="mmgame.settings",
        SQLITE_PATH=str(database),
        DEBUG="true",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        PYTHONPATH=str(ROOT),
        LOG_LEVEL="INFO",  # Daphne says which port it got at INFO
        PYTHONUNBUFFERED="1",  # the tests read the log as it is written: Daphne's access log goes to stdout
        RATE_LIMITS="off",  # these tests send bursts from one seat on purpose (tests/services/test_limits.py)
        **extra,
    )
    return env


def migrate(env: dict) -> None:
    """`manage.py migrate` on the database `env` names, as a deployment runs it."""
    run = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr


MIGRATED: list[Path] = []  # the one SQLite file this test process has migrated, once it has


def migrated_sqlite(database: Path) -> None:
    """A freshly migrated SQLite file at `database`: a copy of one that `manage.py migrate` made once in this
    test process. Each migrate is a Django start and every migration, 5 to 10 s of CPU, that each server
    paid before; the copy (SQLite's backup API: the pages as committed) is the same database."""
    if not MIGRATED:
        directory = Path(tempfile.mkdtemp(prefix="mmgame-migrated-"))
        atexit.register(shutil.rmtree, directory, ignore_errors=True)
        migrate(server_env(directory / "migrated.sqlite3"))
        MIGRATED.append(directory / "migrated.sqlite3")
    with (
        contextlib.closing(sqlite3.connect(MIGRATED[0])) as source,
        contextlib.closing(sqlite3.connect(database)) as copy,
    ):
        source.backup(copy)


@contextlib.contextmanager
def serving(directory: Path, args: tuple[str, ...] = (), settings: str = "mmgame.settings") -> Iterator[DaphneServer]:
    """Serve a fresh migrated SQLite file in `directory` with Daphne (`args`: its options)."""
    env = {**server_env(directory / "live.sqlite3"), "DJANGO_SETTINGS_MODULE": settings}
    migrated_sqlite(directory / "live.sqlite3")
    process, port = start_daphne(env, directory / "daphne.log", args)
    try:
        yield DaphneServer(port, env, process, directory / "daphne.log")
    finally:
        stop_daphne(process)


@pytest.fixture
def daphne_server(tmp_path) -> Iterator[DaphneServer]:
    """A real Daphne process serving mmgame on a migrated SQLite file (in-memory channel layer)."""
    with serving(tmp_path) as server:
        yield server


# -- a Redis of our own (fault tests stop and restart it; the shared one is never touched) ---------


@dataclass
class PrivateRedis:
    socket_path: Path
    log_path: Path
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"unix://{self.socket_path}"

    def start(self, timeout: float = 10) -> None:
        """A Redis on a Unix socket only (no TCP port at all), with nothing saved to disk."""
        self.process = subprocess.Popen(
            ["redis-server", "--port", "0", "--unixsocket", str(self.socket_path), "--save", "", "--appendonly", "no"],
            stdout=self.log_path.open("a"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ping = subprocess.run(["redis-cli", "-s", str(self.socket_path), "ping"], capture_output=True, text=True)
            if ping.stdout.strip() == "PONG":
                return
            time.sleep(0.05)
        raise AssertionError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self.process = None


@pytest.fixture
def private_redis(tmp_path) -> Iterator[PrivateRedis]:
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    redis = PrivateRedis(tmp_path / "redis.sock", tmp_path / "redis.log")
    redis.start()
    try:
        yield redis
    finally:
        redis.stop()


@pytest.fixture(scope="session")
def migrated_postgres() -> Iterator[str]:
    """A PostgreSQL database `manage.py migrate` made once in this test process, the template of each test's
    own (PostgreSQL copies a template's files: no Django start and no migration run for each test)."""
    import uuid

    from tests.conftest import POSTGRES_ADMIN_URL, require_service

    require_service(POSTGRES_ADMIN_URL, "PostgreSQL")
    import psycopg

    name = f"mmgame_migrated_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = urlsplit(POSTGRES_ADMIN_URL)._replace(path=f"/{name}").geturl()
        migrate(server_env(Path(tempfile.gettempdir()) / "unused.sqlite3", DATABASE_URL=url))
        yield name
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def fresh_postgres(migrated_postgres) -> Iterator[str]:
    """A PostgreSQL database of this test's own as `manage.py migrate` leaves it, dropped afterwards."""
    import uuid

    import psycopg

    from tests.conftest import POSTGRES_ADMIN_URL

    name = f"mmgame_live_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{migrated_postgres}"')
    try:
        yield urlsplit(POSTGRES_ADMIN_URL)._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


LAYERS = {"redis": "mmgame.settings", "redis-pubsub": "tests.live.pubsub_settings"}


@pytest.fixture(params=sorted(LAYERS))
def daphne_pair(
    request, tmp_path, fresh_postgres, private_redis
) -> Iterator[tuple[DaphneServer, DaphneServer, PrivateRedis]]:
    """Two Daphne processes sharing PostgreSQL and a Redis channel layer (either kind), as in production."""
    env = server_env(tmp_path / "unused.sqlite3", DATABASE_URL=fresh_postgres, REDIS_URL=private_redis.url)
    env["DJANGO_SETTINGS_MODULE"] = LAYERS[request.param]
    servers: list[DaphneServer] = []
    try:
        for name in ("a", "b"):
            log_path = tmp_path / f"daphne-{name}.log"
            process, port = start_daphne(env, log_path)
            servers.append(DaphneServer(port, env, process, log_path))
        yield servers[0], servers[1], private_redis
    finally:
        for server in servers:
            stop_daphne(server.process)
