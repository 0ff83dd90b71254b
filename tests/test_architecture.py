"""The floors of the house: import-linter's contracts (pyproject.toml) and the strict settings."""

from __future__ import annotations

import os
import re
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


# -- the round's table is the one source of its rules (mmgame.round) -----------------------------------------

PHASE_NAMES = ("draft", "question", "guess", "guesses", "trading", "closed", "answer", "lesson")
PHASE_CONSTANT = re.compile(r"\b(?:P|Phase|round)\.(DRAFT|QUESTION|GUESS|GUESSES|TRADING|CLOSED|ANSWER|LESSON)\b")
STATUS_CONSTANT = re.compile(r"\b(?:S|Market\.Status|round)\.(DRAFT|OPEN|PAUSED|CLOSED|RESOLVED)\b")
# Python besides the table that may name phases together: the schema's constraint and its migrations.
NAMES_PHASES = {"mmgame/round.py", "mmgame/models/market.py"}


def python_sources() -> list[Path]:
    return [p for p in (ROOT / "mmgame").rglob("*.py") if "migrations" not in p.parts]


def test_no_python_outside_the_round_table_states_a_step_between_phases():
    """A module that names two phases (or two statuses) on one line is stating a rule of the round (what follows
    what, where Back goes, which phases allow something): that belongs in mmgame/round.py alone."""
    found = []
    for path in python_sources():
        name = path.relative_to(ROOT).as_posix()
        if name in NAMES_PHASES:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if len(set(PHASE_CONSTANT.findall(line))) >= 2 or len(set(STATUS_CONSTANT.findall(line))) >= 2:
                found.append(f"{name}:{number}: {line.strip()}")
    assert not found, "\n".join(found)
