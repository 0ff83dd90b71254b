"""The deployment kit (deploy/) rendered for a test: its own files with the example host, paths and ports
replaced, and each replacement checked, so a change to the kit that the tests no longer follow fails here
rather than testing something else. Plus a certificate made in the test and a database link the test can cut.
"""

from __future__ import annotations

import contextlib
import datetime
import getpass
import ipaddress
import os
import socket
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KIT = ROOT / "deploy"


def replaced(text: str, *pairs: tuple[str, str]) -> str:
    for old, new in pairs:
        assert old in text, f"the kit no longer says {old!r}: the test's rendering must follow it"
        text = text.replace(old, new)
    return text


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


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


def certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost (the client trusts exactly it)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


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


def nginx_conf(*, work: Path, site: Path) -> str:
    temp = " ".join(f"{kind}_temp_path {work}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""  # only root's nginx changes user
    return replaced(
        (KIT / "nginx" / "nginx.conf").read_text(),
        ("user www-data;", user),
        ("pid /run/nginx.pid;", f"pid {work}/nginx.pid;"),
        ("access_log /var/log/nginx/access.log;", f"access_log {work}/access.log;"),
        ("error_log /var/log/nginx/error.log;", f"error_log {work}/error.log;"),
        ("include /etc/nginx/conf.d/*.conf;", temp),
        ("include /etc/nginx/sites-enabled/*;", f"include {site};"),
    )


def nginx_site(*, ports: tuple[int, int], http_port: int, https_port: int, cert: Path, key: Path, static: Path) -> str:
    return replaced(
        (KIT / "nginx" / "mmgame.conf").read_text(),
        ("server 127.0.0.1:8001 ", f"server 127.0.0.1:{ports[0]} "),
        ("server 127.0.0.1:8002 ", f"server 127.0.0.1:{ports[1]} "),
        ("listen 80;\n    listen [::]:80;", f"listen 127.0.0.1:{http_port};"),
        ("listen 443 ssl http2;\n    listen [::]:443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("return 301 https://$host$request_uri;", f"return 301 https://$host:{https_port}$request_uri;"),
        ("/etc/letsencrypt/live/game.example.org/fullchain.pem", str(cert)),
        ("/etc/letsencrypt/live/game.example.org/privkey.pem", str(key)),
        ("/srv/mmgame/staticfiles/", f"{static}/"),
        ("/var/log/nginx/mmgame.access.log", f"{static.parent}/mmgame.access.log"),
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
