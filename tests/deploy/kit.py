"""The deployment kit (deploy/) rendered for a test (nginx's rendering lives in benchmarks/proxy.py, which the
bench shares): its own files with the example host, paths and ports
replaced, and each replacement checked, so a change to the kit that the tests no longer follow fails here
rather than testing something else. Plus a certificate made in the test and a database link the test can cut.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import socket
import sys
import threading
from pathlib import Path

# The nginx rendering is the bench's too (`bench --multi --proxy`): one configuration, measured and tested.
from benchmarks.proxy import KIT as KIT
from benchmarks.proxy import ROOT as ROOT
from benchmarks.proxy import certificate as certificate
from benchmarks.proxy import nginx_conf as nginx_conf
from benchmarks.proxy import nginx_site as nginx_site
from benchmarks.proxy import replaced as replaced
from benchmarks.servers import free_port as free_port


def free_base() -> int:
    """B such that ports B01 and B02 (the kit's 8001 and 8002 with another prefix) are free."""
    for base in range(200 + os.getpid() % 400, 650):
        ports = (base * 100 + 1, base * 100 + 2)
        try:
            for port in ports:
                with socket.socket() as probe:
                    probe.bind(("127.0.0.1", port))
        except OSError:
            continue
        return base
    raise AssertionError("no free pair of ports")


# -- the kit's files, rendered -----------------------------------------------------------------------


def env_file(*, database_url: str, redis_url: str, https_port: int, static: Path, settings: str) -> str:
    origin = f"https://127.0.0.1:{https_port}"
    text = replaced(
        (KIT / "mmgame.env").read_text(),
        ("DATABASE_URL=postgresql://mmgame:CHANGE-ME@127.0.0.1:5432/mmgame", f"DATABASE_URL={database_url}"),
        ("REDIS_URL=redis://127.0.0.1:6379/0", f"REDIS_URL={redis_url}"),
        ("SECRET_KEY=\n", f"SECRET_KEY={'k' * 60}\n"),
        ("ALLOWED_HOSTS=game.example.org", "ALLOWED_HOSTS=127.0.0.1"),
        ("CSRF_TRUSTED_ORIGINS=https://game.example.org", f"CSRF_TRUSTED_ORIGINS={origin}"),
        ("PUBLIC_URL=https://game.example.org", f"PUBLIC_URL={origin}"),
        ("STATIC_ROOT=/srv/mmgame/staticfiles", f"STATIC_ROOT={static}"),
    )
    return text + f"DJANGO_SETTINGS_MODULE={settings}\n"


def supervisord_conf(*, work: Path, env_path: Path, base: int) -> str:
    return replaced(
        (KIT / "supervisor" / "supervisord.conf").read_text(),
        ("/var/log/mmgame/", f"{work}/log/"),
        ("/run/mmgame/", f"{work}/run/"),
        ("/etc/mmgame/mmgame.env", str(env_path)),
        ("/srv/mmgame/.venv/bin/daphne", f"{sys.executable} -m daphne"),
        ("directory = /srv/mmgame", f"directory = {ROOT}"),
        ("user = mmgame", f"user = {getpass.getuser()}"),
        ("80%(process_num)02d", f"{base}%(process_num)02d"),
    )


def caddyfile(*, work: Path, ports: tuple[int, int], http_port: int, https_port: int, static: Path) -> str:
    globals_ = (
        f"{{\n\tadmin off\n\tskip_install_trust\n\thttp_port {http_port}\n\thttps_port {https_port}\n"
        f"\tstorage file_system {work}/caddy\n}}\n"
    )
    return globals_ + replaced(
        (KIT / "caddy" / "Caddyfile").read_text(),
        ("game.example.org {", f"https://127.0.0.1:{https_port} {{\n\ttls internal"),
        ("/srv/mmgame/staticfiles", str(static)),
        ("reverse_proxy 127.0.0.1:8001 127.0.0.1:8002", f"reverse_proxy 127.0.0.1:{ports[0]} 127.0.0.1:{ports[1]}"),
    )


# -- a database link the test can cut ------------------------------------------------------------


class Relay:
    """A TCP relay from a port of its own to PostgreSQL: `stop()` closes it and every connection through it,
    as a stopped database server would; `start()` listens again on the same port. The shared server is never
    touched."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target, self.port = target, free_port()
        self.listener: socket.socket | None = None
        self.open: set[socket.socket] = set()
        self.lock = threading.Lock()

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(128)
        self.listener = listener
        threading.Thread(target=self.accept, args=(listener,), daemon=True).start()

    def accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            with self.lock:
                self.open |= {client, server}
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self.pump, args=(a, b), daemon=True).start()

    def pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for end in (source, sink):
            self.close(end)

    def close(self, end: socket.socket) -> None:
        with self.lock:
            self.open.discard(end)
        with contextlib.suppress(OSError):
            end.shutdown(socket.SHUT_RDWR)
        end.close()

    def stop(self) -> None:
        if self.listener is not None:
            with contextlib.suppress(OSError):
                self.listener.shutdown(socket.SHUT_RDWR)  # wakes the thread waiting in accept()
            self.listener.close()
            self.listener = None
        with self.lock:
            ends = list(self.open)
        for end in ends:
            self.close(end)
