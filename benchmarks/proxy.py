"""Debian's nginx with the deployment kit's own configuration (deploy/nginx/), rendered for a test port and a
certificate made on the spot: the proxy the bench measures through (`bench --multi --proxy`) and the one the
kit's tests run (tests/deploy), from the same rendering, so that both run the configuration an admin installs.

Each replacement is checked: a change to the kit that the rendering no longer follows fails loudly rather
than measuring or testing something else.
"""

from __future__ import annotations

import contextlib
import datetime
import getpass
import ipaddress
import os
import signal
import ssl
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KIT = ROOT / "deploy"
NGINX = "/usr/sbin/nginx"  # Debian's


def replaced(text: str, *pairs: tuple[str, str]) -> str:
    for old, new in pairs:
        assert old in text, f"the kit no longer says {old!r}: the test's rendering must follow it"
        text = text.replace(old, new)
    return text


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


# What the kit's env file (deploy/mmgame.env) sets for a proxied deployment, its example host made the proxy's.
PROXIED_SETTINGS = ("ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "BEHIND_PROXY", "PUBLIC_URL", "SECURE_SSL_REDIRECT")


def proxied_settings(https_port: int) -> dict:
    """The kit's settings for Daphne behind the proxy at https://127.0.0.1:`https_port`."""
    origin = f"https://127.0.0.1:{https_port}"
    text = replaced(
        (KIT / "mmgame.env").read_text(),
        ("=https://game.example.org", f"={origin}"),
        ("ALLOWED_HOSTS=game.example.org", "ALLOWED_HOSTS=127.0.0.1"),
    )
    lines = dict(line.split("=", 1) for line in text.splitlines() if "=" in line and not line.startswith("#"))
    return {name: lines[name] for name in PROXIED_SETTINGS}


def render(
    *, work: Path, ports: tuple[int, int], http_port: int, https_port: int, cert: Path, key: Path, static: Path
) -> Path:
    """The kit's nginx.conf and site written into `work`: the main file's path."""
    site, conf = work / "site.conf", work / "nginx.conf"
    site.write_text(
        nginx_site(ports=ports, http_port=http_port, https_port=https_port, cert=cert, key=key, static=static)
    )
    conf.write_text(nginx_conf(work=work, site=site))
    return conf


def start(program: str, conf: Path, work: Path) -> subprocess.Popen:
    """nginx in the foreground (the caller stops it with `stop`), its messages in work/nginx.out."""
    with (work / "nginx.out").open("w") as out:
        return subprocess.Popen(
            [program, "-c", str(conf), "-e", str(work / "error.log"), "-g", "daemon off;"],
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def stop(process: subprocess.Popen) -> None:
    """nginx's graceful stop (SIGQUIT: workers finish what they hold), then a kill if it hangs."""
    if process.poll() is None:
        process.send_signal(signal.SIGQUIT)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def workers(master: int) -> list[int]:
    """The worker processes of an nginx master (the processes that carry the connections)."""
    with contextlib.suppress(OSError):
        return [
            int(pid) for path in Path(f"/proc/{master}/task").glob("*/children") for pid in path.read_text().split()
        ]
    return []


def client_context(cafile: Path | str) -> ssl.SSLContext:
    """A client's TLS context that trusts exactly the test's certificate."""
    return ssl.create_default_context(cafile=str(cafile))


def wait_listening(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    """Until nginx accepts TLS on `port` (or has exited, with its error log's tail)."""
    import socket

    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"nginx exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"nginx not listening on {port} within {timeout:g} s") from None
            time.sleep(0.1)
