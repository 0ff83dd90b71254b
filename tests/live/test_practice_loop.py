"""Each server process's runner of practice traders: a tick about every second on the live database thread
(mmgame.live.practice_runner), started with the hub when settings.PRACTICE_TRADERS_RUN is on."""

from __future__ import annotations

import asyncio

import pytest

from mmgame import services
from mmgame.live import hub, practice_runner


async def test_the_runner_ticks_run_due_under_one_owner(monkeypatch):
    ticks, autopilot = [], []
    monkeypatch.setattr(services, "run_due", lambda owner, now: ticks.append((owner, now)) or 0)
    monkeypatch.setattr(services.autopilot, "run_due", lambda owner, now: autopilot.append((owner, now)) or 0)

    task = asyncio.ensure_future(practice_runner.run_forever(owner="here", tick=0.01))
    await asyncio.sleep(0.2)
    task.cancel()

    assert len(ticks) >= 3
    assert {owner for owner, _ in ticks} == {"here"}
    assert [now for _, now in ticks] == sorted(now for _, now in ticks)
    assert autopilot[: len(ticks)] == ticks  # each tick steps the games on autopilot too, first


async def test_a_failed_tick_does_not_stop_the_runner(monkeypatch):
    ticks = []

    def flaky(owner, now):
        ticks.append(now)
        raise RuntimeError("database gone for a moment")

    monkeypatch.setattr(services, "run_due", flaky)
    monkeypatch.setattr(services.autopilot, "run_due", lambda owner, now: 0)
    task = asyncio.ensure_future(practice_runner.run_forever(owner="here", tick=0.01))
    await asyncio.sleep(0.2)
    task.cancel()

    assert len(ticks) >= 3


def test_each_process_draws_its_own_owner_name():
    assert practice_runner.new_owner() != practice_runner.new_owner()
    assert len(practice_runner.new_owner()) <= 64  # PracticeTrader.lease_owner


@pytest.mark.parametrize("run", [True, False])
async def test_the_hub_starts_the_runner_only_when_the_setting_says_so(settings, monkeypatch, run):
    settings.PRACTICE_TRADERS_RUN = run
    started = []

    async def runner(**_) -> None:
        started.append(True)

    monkeypatch.setattr(practice_runner, "run_forever", runner)
    here = hub.Hub(asyncio.get_running_loop())
    here.start()
    await asyncio.sleep(0)
    here.stop()

    assert started == ([True] if run else [])


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("live")
async def test_with_a_screen_open_the_process_runs_the_practice_traders(host, game, open_market):
    """The whole path: a host's screen starts this loop's hub, whose runner steps the bots on real time."""
    from channels.db import database_sync_to_async

    from mmgame.models import Trade

    from .conftest import host_socket, receive

    screen = await host_socket(host, game.pk)
    await receive(screen)
    await database_sync_to_async(services.add_practice_traders)(host, game, count=3, knowledge="noise")

    made = 0
    for _ in range(80):  # their first steps come 0.5-3 s after they are added
        await asyncio.sleep(0.1)
        made = await database_sync_to_async(Trade.objects.filter(player__is_bot=True).count)()
        if made:
            break
    await screen.disconnect()

    assert made > 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("live")
async def test_a_process_with_a_screen_of_a_game_notes_it_as_watched(host, game):
    """What keeps a game's practice traders going (mmgame.services.practice.watched): its screens. A game
    unwatched since yesterday is watched again within a tick or two of its wall connecting."""
    from datetime import timedelta

    from channels.db import database_sync_to_async
    from django.utils import timezone

    from mmgame.models import Game

    from .conftest import host_socket, receive

    yesterday = timezone.now() - timedelta(days=1)
    await database_sync_to_async(Game.objects.filter(pk=game.pk).update)(watched_at=yesterday)
    screen = await host_socket(host, game.pk)
    await receive(screen)
    seen = yesterday
    for _ in range(40):
        await asyncio.sleep(0.1)
        seen = await database_sync_to_async(lambda: Game.objects.get(pk=game.pk).watched_at)()
        if seen > yesterday:
            break
    await screen.disconnect()

    assert seen > timezone.now() - timedelta(seconds=10)
