"""A room's one Coalescer (dirty flag, one task, rate limit), and a room whose first load fails."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest

from mmgame.live.coalescer import Coalescer
from mmgame.live.hub import Hub
from mmgame.live.room import Room


class Clock:
    """A clock the test moves: sleeping advances it at once, and records how long was asked."""

    def __init__(self) -> None:
        self.now, self.slept = 100.0, []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds
        await asyncio.sleep(0)


async def idle(coalescer: Coalescer) -> None:
    while coalescer.running:
        await asyncio.sleep(0)


async def test_marks_during_a_run_make_exactly_one_more_run():
    clock, runs = Clock(), []
    coalescer: Coalescer

    async def work() -> None:
        runs.append(clock())
        if len(runs) == 1:
            for _ in range(5):
                coalescer.mark()  # news while the first read is under way

    coalescer = Coalescer(work, lambda: 0.1, clock=clock, sleep=clock.sleep)
    coalescer.mark()
    coalescer.mark()
    await idle(coalescer)
    assert runs == [100.0, pytest.approx(100.1)]


async def test_runs_are_at_most_one_an_interval_and_the_first_does_not_wait():
    clock, runs = Clock(), []

    async def work() -> None:
        runs.append(clock())
        clock.now += 0.03  # the read and the fan-out take 30 ms

    coalescer = Coalescer(work, lambda: 0.1, clock=clock, sleep=clock.sleep)
    coalescer.mark()
    await idle(coalescer)
    coalescer.mark()
    await idle(coalescer)
    clock.now += 1.0
    coalescer.mark()
    await idle(coalescer)
    assert clock.slept == [
        0.07
    ]  # the second waited out the rest of the interval; the third, an idle while later, did not
    assert runs == [100.0, pytest.approx(100.1), pytest.approx(101.13)]


async def test_a_failed_run_is_logged_and_the_next_mark_runs_again(caplog):
    calls = []

    async def work() -> None:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database away")

    coalescer = Coalescer(work, what="market 7's update")
    coalescer.mark()
    await idle(coalescer)
    assert "could not send market 7's update" in caplog.text
    coalescer.mark()
    await idle(coalescer)
    assert len(calls) == 2


async def test_closing_cancels_the_waiting_run():
    clock, runs = Clock(), []

    async def work() -> None:
        runs.append(clock())

    never = asyncio.Event()
    coalescer = Coalescer(work, lambda: 10.0, clock=clock, sleep=lambda seconds: never.wait())
    coalescer.mark()
    await idle(coalescer)
    coalescer.mark()  # waits 10 s for its turn
    await asyncio.sleep(0)
    coalescer.close()
    await asyncio.sleep(0)
    assert runs == [100.0] and not coalescer.running


class FakeSocket:
    """A screen as the hub sees it (mmgame.live.room.Socket), with no websocket behind it."""

    def __init__(self, game_id: int) -> None:
        self.screen = SimpleNamespace(game_id=game_id, role="player", player_id=None)


def screen_of(game_id: int) -> FakeSocket:
    return FakeSocket(game_id)


async def test_a_room_whose_first_load_fails_is_dropped_and_the_next_screen_loads_and_subscribes(monkeypatch):
    loads, subscribed, release = [], [], asyncio.Event()

    async def load(room: Room) -> None:
        loads.append(room)
        if len(loads) == 1:
            await release.wait()  # the first load is slow, a second screen comes meanwhile, then it fails
            raise ConnectionError("database away")

    async def subscribe(game_id: int) -> None:
        subscribed.append(game_id)

    monkeypatch.setattr(Room, "load", load)
    hub = Hub(asyncio.get_running_loop())
    monkeypatch.setattr(hub, "subscribe", subscribe)
    first, second = (asyncio.ensure_future(hub.join(screen_of(7))) for _ in range(2))
    await asyncio.sleep(0)
    release.set()
    results = await asyncio.gather(first, second, return_exceptions=True)
    assert [type(result) for result in results] == [ConnectionError, ConnectionError]
    assert hub.rooms == {} and hub.screens == 0 and subscribed == []

    third = screen_of(7)
    room = await hub.join(third)
    assert len(loads) == 2 and hub.rooms == {7: room} and third in room.screens
    assert subscribed == [7] and hub.screens == 1
    hub.leave(third)
    assert hub.rooms == {} and hub.screens == 0
    hub.stop()


async def test_a_screen_that_leaves_during_the_load_does_not_stop_it_for_the_others(monkeypatch):
    release = asyncio.Event()

    async def load(room: Room) -> None:
        await release.wait()

    monkeypatch.setattr(Room, "load", load)
    hub = Hub(asyncio.get_running_loop())
    first, second = screen_of(3), screen_of(3)
    leaving = asyncio.ensure_future(hub.join(first))
    staying = asyncio.ensure_future(hub.join(second))
    await asyncio.sleep(0)
    leaving.cancel()
    await asyncio.sleep(0)
    release.set()
    room = await staying
    assert leaving.cancelled() and room.screens == {second} and hub.screens == 1
    hub.stop()
