"""Who may open which screen, and what each screen sees first (docs/protocol.md §1, §2.1)."""

from __future__ import annotations

from pathlib import Path

import pytest
from channels.db import database_sync_to_async

from mmgame import services

from .conftest import HOST, ORIGIN, closed_with, host_socket, open_socket, player_socket, receive, session_cookie

DOCS = Path(__file__).resolve().parents[2] / "docs" / "protocol.md"

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("live")]


async def test_player_snapshot_has_the_open_markets_my_positions_trades_leaderboard_and_players(
    host, game, open_market, alice, bob
):
    await database_sync_to_async(services.add_market)(host, game, question="Draft", lo=0, hi=10)
    await database_sync_to_async(services.place_trade)(
        bob, open_market.pk, services.trading.Order("target", mean=120, sd=40), idempotency_key="b1"
    )
    socket = await player_socket(alice)
    assert socket.connected
    snapshot = await receive(socket)
    assert snapshot["type"] == "snapshot" and snapshot["role"] == "player" and snapshot["request_id"] is None
    assert snapshot["me"] == {"id": alice.pk, "nickname": "Alice"}
    assert snapshot["game"]["id"] == game.pk
    assert [m["id"] for m in snapshot["markets"]] == [open_market.pk]  # the draft is not public
    market = snapshot["markets"][0]
    assert market["sequence"] == 2 and market["status"] == "open"
    assert market["mean"] == pytest.approx(120) and market["sd"] == pytest.approx(40)
    assert snapshot["positions"][str(open_market.pk)]["player_id"] == alice.pk
    assert snapshot["positions"][str(open_market.pk)]["trades"] == 0
    [trade] = snapshot["trades"][str(open_market.pk)]
    assert trade["nickname"] == "Bob" and trade["sequence"] == 2
    assert {row["nickname"] for row in snapshot["leaderboard"]["game"]} == {"Alice", "Bob"}
    assert set(snapshot["leaderboard"]["markets"]) == {str(open_market.pk)}
    assert [p["nickname"] for p in snapshot["players"]] == ["Alice", "Bob"]
    await socket.disconnect()


async def test_host_sees_drafts_and_the_projector_does_not(host, game, open_market):
    draft = await database_sync_to_async(services.add_market)(host, game, question="Draft", lo=0, hi=10)
    host_screen = await host_socket(host, game.pk)
    projector = await host_socket(host, game.pk, "projector")
    host_view, projector_view = await receive(host_screen), await receive(projector)
    assert [m["id"] for m in host_view["markets"]] == [open_market.pk, draft.pk]
    assert [m["id"] for m in projector_view["markets"]] == [open_market.pk]
    assert host_view["me"] is None and host_view["positions"] == {}
    assert projector_view["role"] == "projector"
    await host_screen.disconnect()
    await projector.disconnect()


async def test_hidden_names_are_hidden_from_players_but_not_from_the_host(host, alice, bob):
    game = await database_sync_to_async(services.create_game)(host, "Quiet", hide_names=True)
    carol = await database_sync_to_async(services.join_game)(game.join_code, "Carol")
    socket, host_screen = await player_socket(carol), await host_socket(host, game.pk)
    mine, theirs = await receive(socket), await receive(host_screen)
    # The shared top rows name no one (not even by id); the player's own row comes in `mine`.
    assert [(row["nickname"], row["player_id"]) for row in mine["leaderboard"]["game"]] == [(None, None)]
    assert mine["leaderboard"]["mine"]["game"]["player_id"] == carol.pk
    assert [row["nickname"] for row in theirs["leaderboard"]["game"]] == ["Carol"]
    await socket.disconnect()
    await host_screen.disconnect()


async def refused(socket) -> tuple[str, int]:
    assert socket.connected  # accepted, so that the page can read why
    error = await receive(socket)
    assert error["type"] == "error"
    code = await closed_with(socket)
    await socket.disconnect()  # and the consumer ends cleanly (an error in it is raised here)
    return error["code"], code


async def test_a_browser_without_a_seat_is_refused_with_4401(game):
    cookie = await database_sync_to_async(session_cookie)()
    assert await refused(await open_socket(f"/ws/games/{game.pk}/player/", cookie)) == ("not_signed_in", 4401)
    assert await refused(await open_socket(f"/ws/games/{game.pk}/player/")) == ("not_signed_in", 4401)


async def test_a_forged_seat_token_is_refused_with_4401(game):
    cookie = await database_sync_to_async(session_cookie)(seats={game.pk: "x" * 32})
    assert await refused(await open_socket(f"/ws/games/{game.pk}/player/", cookie)) == ("not_signed_in", 4401)


async def test_a_seat_of_another_game_finds_no_game_4404(host, alice):
    other = await database_sync_to_async(services.create_game)(host, "Other")
    cookie = await database_sync_to_async(session_cookie)(seats={other.pk: alice.seat_token})
    assert await refused(await open_socket(f"/ws/games/{other.pk}/player/", cookie)) == ("not_found", 4404)


async def test_a_kicked_seat_is_refused_with_4403(host, alice):
    await database_sync_to_async(services.kick_player)(host, alice)
    assert await refused(await player_socket(alice)) == ("kicked", 4403)


async def test_host_screens_need_the_host_logged_in(host, other_host, game):
    for role in ("host", "projector"):
        assert await refused(await open_socket(f"/ws/games/{game.pk}/{role}/")) == ("not_signed_in", 4401)
        assert await refused(await host_socket(other_host, game.pk, role)) == ("not_found", 4404)


async def test_a_player_opening_the_hosts_screens_is_asked_to_sign_in_as_the_docs_say(alice):
    """Issue 23: the docs said 4403 and the socket closed 4401; every face asks a player doing the host's
    things for the host's login (tests/test_access_everywhere.py), so 4401 it is, and the docs say so."""
    cookie = await database_sync_to_async(session_cookie)(seats={alice.game_id: alice.seat_token})
    for role in ("host", "projector"):
        assert await refused(await open_socket(f"/ws/games/{alice.game_id}/{role}/", cookie)) == (
            "not_signed_in",
            4401,
        )
    rows = {line.split("|")[1].strip(" `"): line for line in DOCS.read_text().splitlines() if line.startswith("| `44")}
    assert "a player of the game opening the host's or projector's screen" in rows["4401"]
    assert "host's" not in rows["4403"]


async def test_a_host_session_from_before_a_password_change_is_refused(host, game):
    """The socket checks the login as Django's pages do: a changed password ends the old sessions."""
    cookie = await database_sync_to_async(session_cookie)(user=host)

    def change_password():
        host.set_password("a new one for the test")
        host.save()

    await database_sync_to_async(change_password)()
    assert await refused(await open_socket(f"/ws/games/{game.pk}/host/", cookie)) == ("not_signed_in", 4401)


async def test_a_host_logged_in_in_the_same_session_as_a_seat_opens_both_screens(host, alice):
    """One browser, one session: the host's login and a player's seat are both read from it."""
    cookie = await database_sync_to_async(session_cookie)(user=host, seats={alice.game_id: alice.seat_token})
    for role in ("host", "player"):
        socket = await open_socket(f"/ws/games/{alice.game_id}/{role}/", cookie)
        assert (await socket.receive_json_from(timeout=5))["type"] == "snapshot"
        await socket.disconnect()


async def test_a_missing_game_or_screen_is_refused_with_4404(host, game):
    assert await refused(await host_socket(host, 999_999)) == ("not_found", 4404)
    assert await refused(await open_socket(f"/ws/games/{game.pk}/admin/")) == ("not_found", 4404)


async def test_a_foreign_origin_is_refused_at_the_handshake(host, game):
    cookie = await database_sync_to_async(session_cookie)(user=host)
    socket = await open_socket(f"/ws/games/{game.pk}/host/", cookie, origin="http://evil.example")
    assert not socket.connected
    socket = await open_socket(f"/ws/games/{game.pk}/host/", cookie, origin=None)
    assert not socket.connected
    socket = await open_socket(f"/ws/games/{game.pk}/host/", cookie, origin=ORIGIN)
    assert socket.connected
    await socket.disconnect()


async def test_a_program_may_present_its_seat_token_in_a_header(alice):
    from channels.testing import WebsocketCommunicator

    from mmgame.asgi import application

    headers = [(b"origin", ORIGIN.encode()), (b"x-seat-token", alice.seat_token.encode()), (b"host", HOST.encode())]
    socket = WebsocketCommunicator(application, f"/ws/games/{alice.game_id}/player/", headers=headers)
    connected, _ = await socket.connect(timeout=5)
    assert connected
    assert (await receive(socket))["me"]["id"] == alice.pk
    await socket.disconnect()
    headers[1] = (b"x-seat-token", b"not-a-real-seat-token")
    socket = WebsocketCommunicator(application, f"/ws/games/{alice.game_id}/player/", headers=headers)
    socket.connected, _ = await socket.connect(timeout=5)
    assert await refused(socket) == ("not_signed_in", 4401)


async def test_the_screens_of_a_game_its_host_deletes_are_closed_with_4404(host, game, alice, open_market):
    """docs/privacy.md: deleting a game takes its players' seats; their screens are told it is gone."""
    phone, wall = await player_socket(alice), await host_socket(host, game.pk, "projector")
    await receive(phone)
    await receive(wall)

    await database_sync_to_async(services.delete_game)(host, game)

    assert await closed_with(phone) == 4404
    assert await closed_with(wall) == 4404
