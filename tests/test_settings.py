"""Settings read from the environment (mmgame/settings.py): a missing or malformed one stops the process at
start with a message naming it, as Daphne would meet it (Daphne runs no `manage.py check`)."""

from __future__ import annotations

import os
import runpy
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION = {"DEBUG": "false", "SECRET_KEY": "s" * 60, "ALLOWED_HOSTS": "game.example.org"}


def start(**env: str) -> subprocess.CompletedProcess:
    """Import the ASGI application as Daphne does, with `env` over this one."""
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    return subprocess.run(
        [sys.executable, "-c", "import mmgame.asgi"],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "mmgame.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"DEBUG": "false", "SECRET_KEY": ""}, "SECRET_KEY must be set"),
        ({**PRODUCTION, "ALLOWED_HOSTS": " , "}, "ALLOWED_HOSTS must name"),
        ({"DATABASE_URL": "mysql://mmgame:hunter2@db/mmgame"}, "DATABASE_URL is not a URL"),
        ({"DATABASE_URL": "db.example.org"}, "DATABASE_URL is not a URL"),
        ({"REDIS_URL": "http://:hunter2@127.0.0.1:6379/0"}, "REDIS_URL is not a URL"),
        ({"CSRF_TRUSTED_ORIGINS": "game.example.org"}, "CSRF_TRUSTED_ORIGINS: 'game.example.org'"),
        ({"PUBLIC_URL": "game.example.org"}, "PUBLIC_URL is not a URL"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL='LOUD'"),
        ({"BEHIND_PROXY": "ture"}, "BEHIND_PROXY='ture'"),
        ({"SECURE_HSTS_SECONDS": "1h", **PRODUCTION}, "SECURE_HSTS_SECONDS='1h'"),
        ({"STORAGE_OPTIONS": "bucket=mmgame"}, "STORAGE_OPTIONS is not a JSON object"),
        ({"STORAGE_OPTIONS": '["mmgame"]'}, "STORAGE_OPTIONS is not a JSON object"),
    ],
)
def test_a_missing_or_malformed_setting_is_refused_naming_it(monkeypatch, env, named):
    """The settings module run afresh with `env` over the environment (it is plain Python)."""
    for name in ("DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    with pytest.raises(RuntimeError) as refused:
        runpy.run_path(str(ROOT / "mmgame" / "settings.py"))

    assert type(refused.value).__name__ == "SettingError" and named in str(refused.value)
    assert "hunter2" not in str(refused.value)  # a URL's password is never repeated


def test_daphne_stops_at_start_with_the_message():
    result = start(REDIS_URL="http://:hunter2@127.0.0.1:6379/0")

    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("mmgame.settings.SettingError: REDIS_URL is not a URL"), last
    assert "hunter2" not in result.stderr


def test_the_kits_environment_file_passes_the_deploy_check(tmp_path):
    """deploy/mmgame.env, with a secret key filled in, is a configuration `manage.py check --deploy` passes."""
    lines = (ROOT / "deploy" / "mmgame.env").read_text().splitlines()
    env = dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))
    env.update(SECRET_KEY=secrets.token_urlsafe(50), DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3")
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "mmgame.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
    assert "no issues" in result.stdout


def test_daphne_started_with_proxy_headers_is_told_at_start(monkeypatch, capsys):
    """--proxy-headers lets a client choose its own address (tests/live/test_proxy_daphne.py): the log says so."""
    monkeypatch.setattr(sys, "argv", ["daphne", "-b", "127.0.0.1", "--proxy-headers", "mmgame.asgi:application"])
    runpy.run_path(str(ROOT / "mmgame" / "settings.py"))
    assert "started with --proxy-headers" in capsys.readouterr().err

    monkeypatch.setattr(sys, "argv", ["daphne", "-b", "127.0.0.1", "mmgame.asgi:application"])
    runpy.run_path(str(ROOT / "mmgame" / "settings.py"))
    assert "--proxy-headers" not in capsys.readouterr().err


def test_a_line_the_development_server_logs_is_written_once():
    """`manage.py play` (DEBUG, Daphne's runserver, which logs each request on django.channels.server) wrote
    every line twice: once by Django's console handler, once by the root's."""
    script = (
        "import django, logging\n"
        "django.setup()\n"
        "logging.getLogger('django.channels.server').info('HTTP GET / 200 [0.01, 127.0.0.1:5000]')\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "mmgame.settings", "DEBUG": "true", "LOG_LEVEL": "INFO"}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("HTTP GET / 200") == 1, done.stderr


def test_the_pictures_storage_is_any_backend_the_environment_names(monkeypatch, tmp_path):
    """Local files under MEDIA_ROOT by default; STORAGE_BACKEND and STORAGE_OPTIONS pick another (README)."""
    monkeypatch.delenv("STORAGE_BACKEND", raising=False)
    monkeypatch.delenv("STORAGE_OPTIONS", raising=False)
    monkeypatch.setenv("MEDIA_ROOT", str(tmp_path))
    default = runpy.run_path(str(ROOT / "mmgame" / "settings.py"))
    monkeypatch.setenv("STORAGE_BACKEND", "django.core.files.storage.InMemoryStorage")
    monkeypatch.setenv("STORAGE_OPTIONS", '{"base_url": "/pictures/"}')
    chosen = runpy.run_path(str(ROOT / "mmgame" / "settings.py"))

    assert default["MEDIA_ROOT"] == tmp_path
    assert default["STORAGES"]["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {}}
    assert chosen["STORAGES"]["default"] == {
        "BACKEND": "django.core.files.storage.InMemoryStorage",
        "OPTIONS": {"base_url": "/pictures/"},
    }
