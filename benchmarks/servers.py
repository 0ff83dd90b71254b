"""Starting and watching the servers under test: a listening socket handed to each, CPU time and memory
read from /proc, and every process stopped when the run ends."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import ssl
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from websockets.sync.client import connect

REPO = Path(__file__).resolve().parent.parent
TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def listening_socket() -> socket.socket:
    """A socket on 127.0.0.1 at a port the OS picks, already listening, to hand to a server process."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(4096)
    sock.set_inheritable(True)
    return sock


def free_port() -> int:
    """A port free now on 127.0.0.1 (for a server that binds it itself, such as nginx)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (all its threads), from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def rss_bytes(pid: int) -> int:
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE


@dataclass
class Server:
    """One server process listening on its own port."""

    name: str
    command: list[str]
    env: dict
    sock: socket.socket = field(default_factory=listening_socket)
    process: subprocess.Popen | None = None
    log: Path | None = None

    @property
    def port(self) -> int:
        return self.sock.getsockname()[1]

    def start(self, log_dir: Path) -> None:
        fd = self.sock.fileno()
        command = [part.replace("{fd}", str(fd)) for part in self.command]
        self.log = log_dir / f"{self.name}-{self.port}.log"
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                command, cwd=REPO, env=self.env, pass_fds=(fd,), stdout=log, stderr=subprocess.STDOUT
            )

    def wait_ready(
        self,
        url: str,
        headers: dict | None = None,
        origin: str | None = None,
        timeout: float = 60,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        """Until a websocket handshake at `url` succeeds (the app is loaded, not just the port open); a wss://
        URL (the proxy in front of this server) with `tls`, the context that trusts its certificate."""
        deadline = time.time() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}: {self.tail()}")
            try:
                with connect(
                    url, additional_headers=headers, origin=origin, open_timeout=5, compression=None, ssl=tls
                ) as ws:
                    ws.recv(timeout=5)
                return
            except Exception:
                if time.time() > deadline:
                    raise RuntimeError(f"{self.name} did not answer at {url}: {self.tail()}") from None
                time.sleep(0.2)

    def tail(self) -> str:
        return self.log.read_text()[-2000:] if self.log and self.log.exists() else ""

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.sock.close()


def production_env(work: Path, name: str) -> dict:
    """The environment of a server as production runs it (DEBUG off, SQLite file `name` in `work`)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        PYTHONPATH=str(REPO),
        LOG_LEVEL="WARNING",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(32),
        SECURE_SSL_REDIRECT="false",
        SQLITE_PATH=str(work / name),
    )
    return env


def python(*args: str) -> list[str]:
    return [sys.executable, *args]


def reference_server(env: dict) -> Server:
    return Server("reference", python("-m", "benchmarks.reference_server", "--fd", "{fd}"), env)


def daphne_server(name: str, application: str, env: dict) -> Server:
    return Server(name, python("-m", "daphne", "-v", "0", "--fd", "{fd}", application), env)
