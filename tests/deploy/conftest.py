"""The deployment kit running for real: nginx with deploy/nginx/, supervisord with deploy/supervisor/ starting
two Daphne processes from deploy/mmgame.env, on PostgreSQL (through a link the test can cut) and a Redis of
the test's own. One kit per test module (starting it takes seconds); each test leaves it healthy.

nginx, caddy, supervisord and PostgreSQL's tools are used when installed; a missing one skips its tests on
a developer's machine and fails them under CI=true (`.ci/run` installs them), as for PostgreSQL and Redis.
"""

from __future__ import annotations

import contextlib
import os
import signal
import ssl
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from benchmarks import proxy
from tests.conftest import POSTGRES_ADMIN_URL, require_program, require_service
from tests.django_script import run_django
from tests.live.conftest import PrivateRedis

from . import kit

SETTINGS = "tests.deploy.settings"  # the join limit a test reaches


def env_of(text: str) -> dict:
    """NAME=value lines of an environment file, as systemd and sh read this kit's (no quotes in it)."""
    return dict(line.split("=", 1) for line in text.splitlines() if line.strip() and not line.startswith("#"))


def wait_for(predicate, timeout: float, what: str, step: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"{what}: not within {timeout:g} s")


@dataclass
class Kit:
    work: Path
    env: dict  # the processes' environment (the kit's env file, rendered)
    ports: tuple[int, int]  # the two Daphne processes
    http_port: int
    https_port: int
    cafile: Path
    relay: kit.Relay
    supervisor_conf: Path
    static: Path

    @property
    def origin(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    @property
    def ws_origin(self) -> str:
        return f"wss://127.0.0.1:{self.https_port}"

    def ssl(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.cafile))

    def client(self, source: str = "127.0.0.1") -> httpx.Client:
        """An HTTPS client of the proxy, connecting from `source` (any 127.x address is this machine)."""
        transport = httpx.HTTPTransport(verify=self.ssl(), local_address=source, retries=0)
        return httpx.Client(base_url=self.origin, transport=transport, timeout=30)

    def run(self, code: str) -> object:
        return run_django(code, {**base_env(), **self.env})

    def supervisorctl(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "supervisor.supervisorctl", "-c", str(self.supervisor_conf), *args],
            capture_output=True,
            text=True,
            timeout=60,
        )
        return done.stdout.strip()

    def health(self, port: int) -> dict | None:
        """A Daphne process's /healthz, asked directly (as a monitor on the server does)."""
        try:
            answer = httpx.get(f"http://127.0.0.1:{port}/healthz", headers={"Host": "127.0.0.1"}, timeout=3)
            return answer.json()
        except (httpx.HTTPError, ValueError):
            return None

    def healthy(self, timeout: float = 60) -> list[int]:
        """Both processes' ids once both answer healthy (waits)."""

        def both() -> list[int] | None:
            answers = [self.health(port) for port in self.ports]
            if all(a is not None and a["status"] == "ok" for a in answers):
                return [a["process"] for a in answers]
            return None

        return wait_for(both, timeout, "both Daphne processes healthy")


def base_env() -> dict:
    drop = ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    return {**env, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(kit.ROOT)}


@contextlib.contextmanager
def database() -> Iterator[tuple[str, kit.Relay]]:
    """A fresh database on the shared PostgreSQL, reached through a relay the test can cut."""
    require_service(POSTGRES_ADMIN_URL, "PostgreSQL")
    import psycopg

    name = f"mmgame_kit_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(POSTGRES_ADMIN_URL)
    relay = kit.Relay((parts.hostname, parts.port or 5432))
    relay.start()
    try:
        yield parts._replace(netloc=f"{parts.username}@127.0.0.1:{relay.port}", path=f"/{name}").geturl(), relay
    finally:
        relay.stop()
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


@pytest.fixture(scope="module")
def daphnes(tmp_path_factory) -> Iterator[Kit]:
    """Two Daphne processes under the kit's supervisord, on PostgreSQL and Redis, with the kit's settings."""
    require_program("redis-server")
    work = tmp_path_factory.mktemp("kit")
    for sub in ("log", "run", "static"):
        (work / sub).mkdir()
    cafile, _ = kit.certificate(work)
    https_port, http_port, base = kit.free_port(), kit.free_port(), kit.free_base()
    redis = PrivateRedis(work / "redis.sock", work / "redis.log")
    redis.start()
    with database() as (database_url, relay):
        text = kit.env_file(
            database_url=database_url,
            redis_url=redis.url,
            https_port=https_port,
            static=work / "static",
            settings=SETTINGS,
        )
        (work / "mmgame.env").write_text(text)
        env = env_of(text)
        setup = [
            subprocess.Popen([sys.executable, "manage.py", *command], cwd=kit.ROOT, env={**base_env(), **env},
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            for command in (["migrate", "--noinput"], ["collectstatic", "--noinput", "-v", "0"])
        ]  # fmt: skip
        for process in setup:
            output, _ = process.communicate(timeout=240)
            assert process.returncode == 0, output[-3000:]
        conf = work / "supervisord.conf"
        conf.write_text(kit.supervisord_conf(work=work, env_path=work / "mmgame.env", base=base))
        supervisord = subprocess.Popen(
            [sys.executable, "-m", "supervisor.supervisord", "-c", str(conf)],
            env=base_env(),
            stdout=(work / "supervisord.out").open("w"),
            stderr=subprocess.STDOUT,
        )
        ports = (base * 100 + 1, base * 100 + 2)
        the_kit = Kit(work, env, ports, http_port, https_port, cafile, relay, conf, work / "static")
        try:
            the_kit.healthy(timeout=180)  # a first start on a busy machine: Django's imports, twice at once
            yield the_kit
        finally:
            stop(supervisord)
            redis.stop()


@pytest.fixture(scope="module")
def proxied(daphnes) -> Iterator[Kit]:
    """The kit's nginx in front of the two Daphne processes, on a test port with the test's certificate."""
    nginx = require_program("nginx")
    work = daphnes.work
    conf = proxy.render(
        work=work,
        ports=daphnes.ports,
        http_port=daphnes.http_port,
        https_port=daphnes.https_port,
        cert=daphnes.cafile,
        key=work / "key.pem",
        static=daphnes.static,
    )
    process = proxy.start(nginx, conf, work)
    try:
        with daphnes.client() as client:
            wait_for(lambda: answers(client, "/healthz") == 200, 30, "nginx serving /healthz")
        yield daphnes
    finally:
        proxy.stop(process)


def answers(client: httpx.Client, path: str) -> int | None:
    try:
        return client.get(path).status_code
    except httpx.HTTPError:
        return None
