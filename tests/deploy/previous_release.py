"""Make tests/deploy/previous_release.sql: a PostgreSQL database as the previous release left it mid-lesson,
for tests/deploy/test_upgrade.py to upgrade with this release's migrations.

    python3 -m tests.deploy.previous_release 7a22dc2    # the commit of the release before this one

The release's own code (`git archive`) migrates a fresh database and plays part of a lesson through its own
services: a host, a game of three questions (one answered with first guesses, one trading on a log scale,
one not yet shown), four students, a practice trader, clues, trades and a payout. The dump is plain SQL
(no owner, no privileges), so that it loads into any empty database. Make it again at each release.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import tempfile
import textwrap
import uuid
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
DUMP = Path(__file__).with_name("previous_release.sql")
ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PASSWORD = "a long classroom passphrase 7"

# Run by the release's own code, in its own tree: what a class did with it. It prints what the upgraded
# database must still say (tests/deploy/test_upgrade.py reads it back from the dump's header).
LESSON = f"""
from decimal import Decimal
from django.contrib.auth import get_user_model
from mmgame import services
from mmgame.market import Order
from mmgame.models import Market, Position

host = get_user_model().objects.create_user("teacher", password={PASSWORD!r})
game = services.create_game(host, "Science week")
beans = services.add_market(host, game, question="How many jelly beans are in the jar?", unit="beans",
                            lo=0, hi=2000, integer=True, prior_mean=800, prior_sd=400, answer=1234)
(seconds,) = services.add_from_bank(host, game, ["fermi-seconds-in-a-year"])
corridor = services.add_market(host, game, question="How long is the corridor?", unit="m", lo=0, hi=50,
                               first_guess=False)
ana, ben, chloe, dev = (services.join_game(game.join_code, name) for name in ("Ana", "Ben", "Chloe", "Dev"))
services.add_practice_traders(host, game, count=1, knowledge="noise")

def step(market, *phases):
    for phase in phases:
        services.step_market(host, market.pk, phase=phase, confirm=True)

step(beans, "question", "guess")
services.submit_guess(ana, beans.pk, Order("target", mean=1000, sd=200))
services.submit_guess(ben, beans.pk, Order("target", mean=600, sd=300))
step(beans, "guesses", "trading")
for i, (who, mean, sd) in enumerate([(ana, 1100, 250), (ben, 900, 300), (chloe, 1250, 200), (ana, 1200, 220)]):
    services.place_trade(who, beans.pk, Order("target", mean=mean, sd=sd), idempotency_key=f"beans-{{i}}")
step(beans, "closed", "answer", "lesson")

if Market.objects.get(pk=seconds.pk).first_guess:
    step(seconds, "question", "guess")
    services.submit_guess(dev, seconds.pk, Order("target", median=20_000_000, sd_log=0.6))
    step(seconds, "guesses", "trading")
else:
    step(seconds, "question", "trading")
for i, (who, median) in enumerate([(dev, 40_000_000), (chloe, 25_000_000), (ben, 30_000_000)]):
    services.place_trade(who, seconds.pk, Order("target", median=median, sd_log=0.42), idempotency_key=f"s-{{i}}")

beans = Market.objects.get(pk=beans.pk)
seconds = Market.objects.get(pk=seconds.pk)
print(json.dumps({{
    "game": game.join_code,
    "beans": {{"id": beans.pk, "phase": beans.phase, "sequence": beans.sequence, "outcome": str(beans.outcome),
              "payouts": {{p.player.nickname: str(p.payout) for p in Position.objects.filter(market=beans)}},
              "house": repr(beans.house_result)}},
    "seconds": {{"id": seconds.pk, "phase": seconds.phase, "sequence": seconds.sequence,
                "mean_z": repr(seconds.mean_z), "sd_z": repr(seconds.sd_z)}},
    "corridor": {{"id": corridor.pk}},
}}))
"""


def main(commit: str) -> None:
    import psycopg

    name = f"mmgame_release_{uuid.uuid4().hex[:8]}"
    url = urlsplit(ADMIN_URL)._replace(path=f"/{name}").geturl()
    with tempfile.TemporaryDirectory(prefix="mmgame-release-") as work:
        tree = Path(work) / "tree"
        tree.mkdir()
        archive = Path(work) / "release.tar"
        subprocess.run(["git", "archive", "-o", str(archive), commit], cwd=ROOT, check=True)
        with tarfile.open(archive) as tar:
            tar.extractall(tree, filter="data")
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "SECRET_KEY": "previous-release",
            "DEBUG": "false",
            "RATE_LIMITS": "off",
            "PRACTICE_TRADERS_RUN": "false",
            "PYTHONPATH": str(tree),
            "DJANGO_SETTINGS_MODULE": "mmgame.settings",
        }
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        try:
            subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=tree, env=env, check=True)
            script = "import django, json\ndjango.setup()\n" + textwrap.dedent(LESSON)
            done = subprocess.run(
                [sys.executable, "-c", script], cwd=tree, env=env, check=True, capture_output=True, text=True
            )
            said = json.loads(done.stdout.strip().splitlines()[-1])
            dump = subprocess.run(
                ["pg_dump", "--no-owner", "--no-privileges", "--no-comments", url],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        finally:
            with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    full = subprocess.run(["git", "rev-parse", commit], cwd=ROOT, check=True, capture_output=True, text=True)
    header = (
        f"-- A database made by mmgame at {full.stdout.strip()}, by tests/deploy/previous_release.py.\n"
        f"-- said: {json.dumps(said, sort_keys=True)}\n"
    )
    DUMP.write_text(header + dump)
    print(f"wrote {DUMP.relative_to(ROOT)} ({len(dump):,} bytes)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "HEAD")
