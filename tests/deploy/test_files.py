"""The kit's files as the tools that read them see them: nginx -t, systemd-analyze verify, supervisord's and
Caddy's own parsers, and the environment file against README's configuration table and the settings."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import require_program

from . import kit

pytestmark = pytest.mark.deploy

README = (kit.ROOT / "README.md").read_text()


def configuration_table() -> list[str]:
    section = README.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([A-Z_]+)` \|", section, re.M)


def test_the_nginx_configuration_is_accepted_by_nginx(tmp_path):
    nginx = require_program("nginx")
    cert, key = kit.certificate(tmp_path)
    site = tmp_path / "site.conf"
    site.write_text(kit.nginx_site(ports=(8001, 8002), http_port=kit.free_port(), https_port=kit.free_port(),
                                   cert=cert, key=key, static=tmp_path))  # fmt: skip
    (tmp_path / "nginx.conf").write_text(kit.nginx_conf(work=tmp_path, site=site))

    done = subprocess.run([nginx, "-t", "-c", str(tmp_path / "nginx.conf"), "-e", str(tmp_path / "error.log")],
                          capture_output=True, text=True, timeout=60)  # fmt: skip

    assert done.returncode == 0, done.stderr
    assert "test is successful" in done.stderr


def test_nginx_has_room_for_a_thousand_screens():
    """Two connections and two files per screen in nginx; Debian's defaults (768, 1,024) carry about 400."""
    main = (kit.KIT / "nginx" / "nginx.conf").read_text()
    connections = int(re.search(r"worker_connections (\d+);", main).group(1))
    files = int(re.search(r"worker_rlimit_nofile (\d+);", main).group(1))
    assert connections >= 2 * 1000 and files >= 2 * connections


def test_the_proxys_upload_limit_is_the_apps():
    from django.conf import settings

    site = (kit.KIT / "nginx" / "mmgame.conf").read_text()
    caddy = (kit.KIT / "caddy" / "Caddyfile").read_text()
    assert settings.MAX_REQUEST_BODY == 1024 * 1024
    assert "client_max_body_size 1m;" in site and "max_size 1MB" in caddy
    assert settings.MAX_UPLOAD_BODY == 20 * 1024 * 1024
    assert "client_max_body_size 20m;" in site and "max_size 20MB" in caddy


PATHS = [
    "/host/games/3/markets/new/", "/host/games/3/markets/7/picture/", "/host/games/3/bank/upload/",
    "/api/markets/7/picture", "/host/games/3/markets/7/open/", "/api/markets/7/trades", "/host/games/3/bank/",
    "/pictures/7/abc.jpg", "/api/markets/7/picture/x", "/x/host/games/3/markets/new/",
]  # fmt: skip


def test_the_proxies_take_uploads_on_the_apps_upload_paths_alone():
    """The picture endpoints get the larger bound in nginx and Caddy exactly where the app gives it them
    (settings.UPLOAD_PATHS, mmgame/bodies.py); the pictures themselves pass to the app like any page."""
    from django.conf import settings

    site = (kit.KIT / "nginx" / "mmgame.conf").read_text()
    caddy = (kit.KIT / "caddy" / "Caddyfile").read_text()
    nginx_paths = re.search(r"location ~ (\S+) \{\n\s+client_max_body_size 20m;", site).group(1)
    caddy_paths = re.search(r"@uploads path_regexp (\S+)\n", caddy).group(1)
    for path in PATHS:
        app = any(re.match(pattern, path) for pattern in settings.UPLOAD_PATHS)
        assert bool(re.match(nginx_paths, path)) == app == bool(re.match(caddy_paths, path)), path
    assert "location /pictures" not in site and "/pictures/*" not in caddy and "/media" not in site + caddy


def test_the_systemd_unit_passes_systemd_analyze_verify(tmp_path):
    analyze = require_program("systemd-analyze")
    daphne = shutil.which("daphne") or f"{Path(sys.executable).parent}/daphne"
    unit = (kit.KIT / "systemd" / "mmgame@.service").read_text()
    (tmp_path / "mmgame@.service").write_text(kit.replaced(unit, ("/srv/mmgame/.venv/bin/daphne", daphne)))

    done = subprocess.run([analyze, "verify", str(tmp_path / "mmgame@8001.service")], capture_output=True,
                          text=True, timeout=60)  # fmt: skip

    # verify warns (exit 0) about what it cannot parse: any word from it is a fault in the unit
    assert done.returncode == 0 and not done.stderr.strip() and not done.stdout.strip(), done.stderr


def test_no_process_manager_starts_daphne_with_proxy_headers():
    for path in (kit.KIT / "systemd" / "mmgame@.service", kit.KIT / "supervisor" / "supervisord.conf"):
        lines = path.read_text().splitlines()
        commands = [line for line in lines if line.startswith(("ExecStart=", "command =")) and "daphne" in line]
        assert commands and not any("--proxy-headers" in line for line in commands)
        assert all("-b 127.0.0.1" in line for line in commands)  # only the proxy reaches Daphne


def test_caddy_accepts_the_caddyfile(tmp_path):
    caddy = require_program("caddy")
    path = tmp_path / "Caddyfile"
    path.write_text(kit.caddyfile(work=tmp_path, ports=(8001, 8002), http_port=kit.free_port(),
                                  https_port=kit.free_port(), static=tmp_path))  # fmt: skip
    env = {"HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path), "PATH": "/usr/bin"}

    done = subprocess.run([caddy, "validate", "--config", str(path), "--adapter", "caddyfile"],
                          capture_output=True, text=True, timeout=60, env=env)  # fmt: skip

    assert done.returncode == 0, done.stderr[-2000:]


def test_the_environment_file_names_every_variable_of_the_readmes_table():
    text = (kit.KIT / "mmgame.env").read_text()
    named = set(re.findall(r"^#? ?([A-Z_]+)=", text, re.M))
    assert set(configuration_table()) <= named, set(configuration_table()) - named


def test_the_readmes_table_names_every_variable_the_settings_read():
    settings = (kit.ROOT / "mmgame" / "settings.py").read_text()
    read = set(re.findall(r"""(?:environ\.get|env_flag|env_int|env_url|env_list)\(\s*"([A-Z_]+)\"""", settings))
    read -= {"SQLITE_TEST_PATH"}  # the test suite's own
    assert read and read <= set(configuration_table()), read - set(configuration_table())
