"""Finding 1 of issue 14: a screen that floods and never reads costs a bounded amount of memory.

The bookkeeping (mmgame.live.reading) with a clock the test holds; then the socket through the real ASGI
stack, the hub's round called with a time the test chooses; the snapshot limit; the screens on one seat.
The same flood against a real Daphne is in test_flood_daphne.py, and its memory in benchmarks.socket_flood.
"""

from __future__ import annotations

import asyncio

import pytest

from mmgame.live import consumers, room
from mmgame.live import hub as hubs
from mmgame.live.reading import Limits, Reading

from .conftest import closed_with, host_socket, player_socket, receive, request

RULES = Limits(check_bytes=1000, heartbeat=10, timeout=30, budget=5000)


# -- the bookkeeping ----------------------------------------------------------------------------


def test_a_check_is_due_after_enough_bytes_or_a_quiet_heartbeat():
    reading = Reading(now=0, rules=RULES)
    reading.wrote(999)
    assert not reading.check_due(1)
    reading.wrote(1)
    assert reading.check_due(1)
    reading.new_nonce(1)
    assert not reading.check_due(10.9)
    assert reading.check_due(11)


def test_an_echo_confirms_what_was_written_before_its_check_and_clears_the_deadline():
    reading = Reading(now=0, rules=RULES)
    reading.wrote(3000)
    first = reading.new_nonce(1)
    reading.wrote(1500)
    second = reading.new_nonce(2)
    reading.wrote(400)
    assert reading.unconfirmed() == 4900
    assert reading.failing(31) is not None  # the first nonce waited 30 s

    assert reading.echoed(second)
    assert reading.unconfirmed() == 400
    assert reading.failing(1000) is None
    assert not reading.echoed(first)  # older than what was already echoed: proves nothing more
    assert not reading.echoed("made-up")


def test_a_screen_that_never_echoes_fails_after_the_timeout_of_its_first_check():
    reading = Reading(now=0, rules=RULES)
    reading.new_nonce(5)
    reading.new_nonce(15)  # a later check does not move the deadline of the first
    assert reading.failing(34.9) is None
    assert "30 seconds" in reading.failing(35)  # RULES.timeout


def test_a_screen_fails_once_the_bytes_since_its_last_echo_pass_the_budget():
    reading = Reading(now=0, rules=RULES)
    nonce = reading.new_nonce(0)
    reading.wrote(5000)
    assert reading.failing(1) is None
    reading.wrote(1)
    assert "5000 bytes" in reading.failing(1)
    assert reading.echoed(nonce) and reading.failing(1) is not None  # that echo confirmed none of them
    reading.new_nonce(1)
    assert reading.echoed(reading.new_nonce(1)) and reading.failing(1) is None


def test_limits_come_from_settings(settings):
    settings.LIVE_READING = {"timeout": 2.5}
    assert Reading(now=0).rules == Limits(timeout=2.5)


# -- the socket ---------------------------------------------------------------------------------


async def echo_all(socket) -> None:
    """Round trips until one passes with no check on its way: every check sent so far is echoed, and the
    server has read the echoes (a socket's frames are handled in order)."""
    while True:
        await socket.send_json_to({"type": "ping", "request_id": "sync"})
        checks = 0
        while (frame := await socket.receive_json_from(timeout=5))["type"] != "pong":
            if frame["type"] == "check":
                checks += 1
                await socket.send_json_to({"type": "seen", "nonce": frame["nonce"]})
        if not checks:
            return


async def raw(socket, timeout: float = 5) -> dict:
    """The next frame as a screen that reads but never echoes sees it."""
    return await socket.receive_json_from(timeout=timeout)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("live")
async def test_a_screen_that_does_not_echo_is_closed_with_4408_and_one_that_does_stays(open_market, alice, bob):
    silent, honest = await player_socket(alice), await player_socket(bob)
    assert (await raw(silent))["type"] == "snapshot"
    assert (await receive(honest))["type"] == "snapshot"
    hub, now = hubs.current_hub(), asyncio.get_running_loop().time()

    hub.check_reading(now + 11)  # quiet for a heartbeat: a check to each
    while (await raw(silent))["type"] != "check":  # read, never echoed
        pass
    await echo_all(honest)
    hub.check_reading(now + 59)  # not yet 60 s since the silent screen's check; another heartbeat's check
    await echo_all(honest)
    await silent.send_json_to({"type": "ping", "request_id": "still-open"})
    while (await raw(silent))["type"] != "pong":  # still open; its checks unanswered
        pass
    hub.check_reading(now + 61)

    refusal = await raw(silent)
    while refusal["type"] != "error":  # frames sent before the close
        refusal = await raw(silent)
    assert refusal["code"] == "not_reading"
    assert await closed_with(silent) == 4408
    assert (await request(honest, {"type": "ping", "request_id": "p3"}))["type"] == "pong"
    await honest.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("live")
async def test_a_quiet_screen_is_asked_to_echo_on_the_hubs_round(settings, open_market, alice):
    settings.LIVE_READING = {"heartbeat": 10}
    socket = await player_socket(alice)
    await raw(socket)
    hubs.current_hub().check_reading(asyncio.get_running_loop().time() + 11)
    check = await raw(socket)
    assert check["type"] == "check" and len(check["nonce"]) >= 16
    await socket.send_json_to({"type": "seen", "nonce": check["nonce"]})
    assert (await request(socket, {"type": "ping", "request_id": "after-seen"}))["type"] == "pong"
    hubs.current_hub().check_reading(asyncio.get_running_loop().time() + 60)  # echoed: nothing overdue
    assert (await request(socket, {"type": "ping", "request_id": "p"}))["type"] == "pong"
    await socket.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("live")
async def test_a_screen_that_sends_and_never_reads_is_closed_once_past_its_byte_budget(settings, open_market, alice):
    settings.LIVE_READING = {"check_bytes": 500, "budget": 4000}
    socket = await player_socket(alice)
    for i in range(400):  # each answer is some 40 bytes; none is read, no check is echoed
        await socket.send_json_to({"type": "ping", "request_id": f"p{i}"})
    assert await closed_with(socket, timeout=10) == 4408


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("live")
async def test_snapshots_asked_for_in_a_flood_go_out_one_at_a_time_and_at_most_each_interval(
    monkeypatch, open_market, alice
):
    monkeypatch.setattr(consumers, "SNAPSHOT_INTERVAL", 0.3)
    socket = await player_socket(alice)
    await receive(socket)
    for i in range(50):
        await socket.send_json_to({"type": "snapshot", "request_id": f"s{i}"})
    await asyncio.sleep(1.0)  # the interval three times over
    await socket.send_json_to({"type": "ping", "request_id": "end"})
    snapshots = []
    while (frame := await receive(socket))["type"] != "pong":
        if frame["type"] == "snapshot":
            snapshots.append(frame)

    assert 1 <= len(snapshots) <= 2  # fifty asked for: one now, and at most one more after the interval
    assert snapshots[-1]["request_id"] == "s49"  # the last one answers the latest request
    await socket.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("live")
async def test_a_seat_opens_at_most_its_share_of_screens(open_market, alice):
    screens = [await player_socket(alice) for _ in range(room.SCREENS_PER_SEAT)]
    for screen in screens:
        assert (await receive(screen))["type"] == "snapshot"

    extra = await player_socket(alice)
    refusal = await receive(extra)
    assert (refusal["type"], refusal["code"], refusal["limit"]) == ("error", "too_many_screens", 5)
    assert await closed_with(extra) == 4429

    await screens.pop().disconnect()
    await asyncio.sleep(0)  # let the hub see it go
    again = await player_socket(alice)
    assert (await receive(again))["type"] == "snapshot"
    for screen in [*screens, again]:
        await screen.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("live")
async def test_the_hosts_screens_have_a_cap_of_their_own(monkeypatch, host, game, open_market):
    monkeypatch.setattr(room, "SCREENS_PER_HOST", 2)
    screens = [await host_socket(host, game.pk), await host_socket(host, game.pk, "projector")]
    for screen in screens:
        await receive(screen)
    extra = await host_socket(host, game.pk, "projector")
    assert (await receive(extra))["code"] == "too_many_screens"
    assert await closed_with(extra) == 4429
    for screen in screens:
        await screen.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("live")
async def test_a_consumer_cancelled_by_the_server_leaves_its_room_and_frees_its_seat(open_market, alice):
    """Daphne cancels a consumer that outlives its client by 10 s: the socket must still leave the hub."""
    socket = await player_socket(alice)
    await receive(socket)
    room_ = hubs.current_hub().rooms[alice.game_id]
    (screen,) = room_.screens

    socket.future.cancel()  # what Daphne does (application_close_timeout)
    await asyncio.gather(socket.future, return_exceptions=True)

    assert alice.game_id not in hubs.current_hub().rooms
    assert room_.seats == {} and all(task.done() for task in screen.tasks)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("live")
async def test_a_screen_sending_frames_far_faster_than_a_page_is_closed_with_4413(settings, open_market, alice):
    settings.LIVE_FRAMES = {"rate": 50.0, "burst": 20.0}
    socket = await player_socket(alice)
    await receive(socket)
    for _ in range(60):  # at once: past the burst, far past the rate
        await socket.send_json_to({"type": "seen", "nonce": "x"})
    refusal = await receive(socket)
    while refusal["type"] != "error":
        refusal = await receive(socket)
    assert refusal["code"] == "flooding"
    assert await closed_with(socket) == 4413
