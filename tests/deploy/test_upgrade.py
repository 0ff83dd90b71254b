"""An upgrade, as an admin makes one (README, "Upgrading"): the database the previous release left mid-lesson
(tests/deploy/previous_release.sql, made by tests/deploy/previous_release.py from that release's code) is
migrated by this release, and the lesson goes on: the answered question keeps its payouts to the digit, the
one trading keeps its curve and takes trades from the seats it had, the one not yet shown steps through the
round, the teacher signs in with the same password and the health check calls the database current."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
from urllib.parse import urlsplit

import psycopg
import pytest

from tests.conftest import POSTGRES_ADMIN_URL, require_service
from tests.deploy.previous_release import DUMP, PASSWORD, ROOT
from tests.django_script import run_django

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def said_by_the_release() -> dict:
    """What the previous release's code printed of its own database, kept in the dump's header."""
    with DUMP.open() as dump:
        dump.readline()
        return json.loads(dump.readline().removeprefix("-- said: "))


@pytest.fixture
def upgraded() -> dict:
    require_service(POSTGRES_ADMIN_URL, "PostgreSQL")
    name = f"mmgame_upgrade_{uuid.uuid4().hex[:8]}"
    url = urlsplit(POSTGRES_ADMIN_URL)._replace(path=f"/{name}").geturl()
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mmgame.settings",
        "DATABASE_URL": url,
        "REDIS_URL": "",
        "RATE_LIMITS": "off",
        "PRACTICE_TRADERS_RUN": "false",
    }
    try:
        subprocess.run(
            ["psql", "-q", "-v", "ON_ERROR_STOP=1", "-f", str(DUMP), url], check=True, capture_output=True, text=True
        )
        migrate = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input"], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert migrate.returncode == 0, migrate.stderr[-3000:]
        yield {"env": env, "migrate": migrate.stdout}
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_the_previous_releases_lesson_goes_on_after_the_upgrade(upgraded):
    said = said_by_the_release()
    assert "Applying mmgame." in upgraded["migrate"]  # the release really was behind: migrations ran

    now = run_django(
        f"""
        from django.contrib.auth import get_user_model
        from django.test import Client
        from mmgame import services
        from mmgame.market import Order
        from mmgame.models import Game, Market, Player, Position

        said = {said!r}
        host = Client(HTTP_HOST="localhost")
        # The sign-in form, as the teacher uses it: the password hash carried over.
        form = host.post("/accounts/login/", {{"username": "teacher", "password": {PASSWORD!r}}})
        signed_in = form.status_code == 302 and "_auth_user_id" in host.session
        teacher = get_user_model().objects.get(username="teacher")
        game = Game.objects.get(join_code=said["game"])
        beans = Market.objects.get(pk=said["beans"]["id"])
        seconds = Market.objects.get(pk=said["seconds"]["id"])
        seat = {{p.nickname: p for p in Player.objects.filter(game=game)}}

        # Trading goes on where it was: a new seat's trade, and a returning seat selling back.
        before = (seconds.sequence, repr(seconds.mean_z), repr(seconds.sd_z))
        services.place_trade(seat["Ana"], seconds.pk, Order("target", median=31_000_000, sd_log=0.35),
                             idempotency_key="after-upgrade-1")
        services.place_trade(seat["Dev"], seconds.pk, Order("close"), idempotency_key="after-upgrade-2")
        late = services.join_game(game.join_code, "Eve")
        seconds.refresh_from_db()
        after = seconds.sequence

        # The question not yet shown steps through this release's round (closing the one that trades).
        corridor = said["corridor"]["id"]
        services.step_market(teacher, corridor, phase="question", confirm=True, close_others=True)
        services.step_market(teacher, corridor, phase="trading", confirm=True)
        services.place_trade(late, corridor, Order("target", mean=30, sd=5), idempotency_key="after-upgrade-3")

        pages = [host.get(f"/host/games/{{game.pk}}/").status_code,
                 host.get(f"/api/games/{{game.join_code}}").status_code,
                 Client(HTTP_HOST="localhost").get("/healthz").status_code]
        print(json.dumps({{
            "signed_in": signed_in,
            "beans": {{"phase": beans.phase, "outcome": str(beans.outcome), "house": repr(beans.house_result),
                      "payouts": {{p.player.nickname: str(p.payout) for p in Position.objects.filter(market=beans)}}}},
            "seconds_before": before,
            "seconds_after": after,
            "dev_holds": [Position.objects.get(market=seconds, player=seat["Dev"]).wealth.linear,
                          Position.objects.get(market=seconds, player=seat["Dev"]).wealth.quadratic],
            "corridor": Market.objects.get(pk=corridor).sequence,
            "pages": pages,
        }}))
        """,
        upgraded["env"],
        timeout=120,
    )

    assert now["signed_in"]
    beans = said["beans"]
    assert now["beans"] == {
        "phase": beans["phase"],
        "outcome": beans["outcome"],
        "house": beans["house"],
        "payouts": beans["payouts"],
    }
    seconds = said["seconds"]
    assert now["seconds_before"] == [seconds["sequence"], seconds["mean_z"], seconds["sd_z"]]
    assert now["seconds_after"] == seconds["sequence"] + 2
    assert now["dev_holds"] == [0, 0]  # sold everything back
    assert now["corridor"] > 0
    assert now["pages"] == [200, 200, 200]


def test_every_column_added_since_the_previous_release_takes_rows_written_by_it(upgraded):
    """README: during a rolling restart the old release's processes write to the migrated database, so a
    migration may add only columns that are nullable or have a default *in the database*. Django's `default=`
    is Python's alone (the column is filled once, then its default dropped): the old code's INSERT, which
    names only the columns it knows, would then fail NOT NULL, a join or a guess refused mid-upgrade."""
    before: dict[str, set[str]] = {}
    for table, body in re.findall(r"CREATE TABLE public\.(\w+) \((.*?)\n\);", DUMP.read_text(), re.S):
        before[table] = {line.strip().split()[0].strip('"') for line in body.splitlines() if line.strip()}
    with psycopg.connect(upgraded["env"]["DATABASE_URL"]) as db:
        columns = db.execute(
            "SELECT table_name, column_name, is_nullable, column_default FROM information_schema.columns"
            " WHERE table_schema = 'public'"
        ).fetchall()
    added = [(table, column) for table, column, _, _ in columns if table in before and column not in before[table]]
    assert added, "no column was added since the previous release: nothing to check"
    refused = [
        f"{table}.{column}"
        for table, column, nullable, default in columns
        if (table, column) in added and nullable == "NO" and default is None
    ]
    assert refused == [], f"NOT NULL without a database default: the previous release cannot insert: {refused}"
