"""The floors of the house: import-linter's contracts (pyproject.toml) and the strict settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_every_import_contract_is_kept():
    """Faces → queries → services → access → models → market; faces independent; no Django in the market.
    (In a process of its own: import-linter reads the code, and pytest's import hooks are in the way.)"""
    lint = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(no_cache=True, no_logo=True))"
    result = subprocess.run([sys.executable, "-c", lint], cwd=ROOT, capture_output=True, text=True, timeout=120)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def settings_with(**env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "mmgame.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("value", ["ture", "2", "enabled"])
def test_a_yes_no_setting_refuses_what_it_does_not_understand(value):
    """A typo must not silently turn a protection off: SECURE_SSL_REDIRECT=ture stops the server."""
    result = settings_with(DEBUG="false", SECRET_KEY="x" * 60, SECURE_SSL_REDIRECT=value)

    assert result.returncode != 0
    assert f"SECURE_SSL_REDIRECT={value!r} is not a yes/no value" in result.stderr


@pytest.mark.parametrize(("value", "debug"), [("TRUE", True), ("off", False), (" 0 ", False), ("Yes", True)])
def test_a_yes_no_setting_reads_the_usual_words(value, debug):
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.DEBUG)"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "mmgame.settings", "DEBUG": value, "SECRET_KEY": "x" * 60},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.stdout.strip() == str(debug), result.stderr
