"""A market's phase in the schema: it must agree with its status (constraint market_phase_matches_status),
and migration 0006 gave the markets made before phases the phase their status means."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from mmgame.models import Guess, Market

from .test_constraints import market_fields

pytestmark = pytest.mark.django_db

STATUSES = ["draft", "open", "paused", "closed", "resolved"]
PHASES = ["draft", "question", "guess", "guesses", "trading", "closed", "answer", "lesson"]
AGREE = {
    "draft": {"draft", "question", "guess", "guesses"},
    "open": {"trading"},
    "paused": {"trading"},
    "closed": {"closed"},
    "resolved": {"answer", "lesson"},
}


def resolved_fields(status: str) -> dict:
    if status != "resolved":
        return {}
    return {"outcome": Decimal(100), "resolved_at": timezone.now(), "house_result": 0.0}


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("phase", PHASES)
def test_the_phase_must_agree_with_the_status(game, status, phase):
    fields = market_fields(game, status=status, phase=phase, **resolved_fields(status))
    if phase in AGREE[status]:
        assert Market.objects.create(**fields).pk
        return
    with pytest.raises(IntegrityError), transaction.atomic():
        Market.objects.create(**fields)


def test_a_countdown_is_allowed_at_the_first_guess_but_not_at_the_question(game):
    assert Market.objects.create(**market_fields(game, phase="guess", closes_at=timezone.now())).pk
    with pytest.raises(IntegrityError), transaction.atomic():
        Market.objects.create(**market_fields(game, number=2, phase="question", closes_at=timezone.now()))


def test_one_guess_per_player_and_a_positive_spread(game, alice):
    market = Market.objects.create(**market_fields(game, phase="guess"))
    Guess.objects.create(market=market, player=alice, mean_z=0.1, sd_z=0.2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Guess.objects.create(market=market, player=alice, mean_z=0.3, sd_z=0.2)
    Guess.objects.all().delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        Guess.objects.create(market=market, player=alice, mean_z=0.1, sd_z=0.0)


# -- migration 0006's data step -------------------------------------------------------------------------

BEFORE = [("mmgame", "0005_log_scale")]
AFTER = [("mmgame", "0006_show_phases")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_each_market_the_phase_its_status_means(host):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps
        Game, Market = old.get_model("mmgame", "Game"), old.get_model("mmgame", "Market")
        game = Game.objects.create(host_id=host.pk, title="Before phases", join_code="PHASE1")
        lobby = Game.objects.create(host_id=host.pk, title="Drafts only", join_code="PHASE2")
        done = Game.objects.create(host_id=host.pk, title="All resolved", join_code="PHASE3")
        fields = {k: v for k, v in market_fields(None).items() if k not in ("game", "number")}
        resolved = {"outcome": Decimal(100), "resolved_at": timezone.now(), "house_result": 0.0}
        ids = {}
        for number, status in enumerate(STATUSES, start=1):
            extra = resolved if status == "resolved" else {}
            ids[status] = Market.objects.create(game=game, number=number, status=status, **fields, **extra).pk
        Market.objects.create(game=lobby, number=1, **fields)
        last = [Market.objects.create(game=done, number=n, status="resolved", **fields, **resolved).pk for n in (1, 2)]

        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(AFTER)

        new = executor.loader.project_state(AFTER).apps
        Game, Market = new.get_model("mmgame", "Game"), new.get_model("mmgame", "Market")
        phases = {status: Market.objects.get(pk=pk).phase for status, pk in ids.items()}
        current = {g.title: g.current_market_id for g in Game.objects.all()}
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())

    assert phases == {
        "draft": "draft",  # not shown: it was the host's secret
        "open": "trading",
        "paused": "trading",
        "closed": "closed",
        "resolved": "lesson",  # its answer shown long ago
    }
    # The game shows the market still trading (the first open one), else the latest shown; a lobby none.
    assert current == {"Before phases": ids["open"], "Drafts only": None, "All resolved": last[-1]}
