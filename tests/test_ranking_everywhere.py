"""One ranking everywhere (docs/ranking.md): one round of students and practice traders, read through every
face that shows a place — the API, the sockets' frames (a phone's result card and final place, the wall's
board), the scores CSV, the class record and the host's pages — with the host's switch off and on. Each
face's places are compared with one table worked out from the payouts (tests/ranking_round.py).

The pages themselves (the result card, the wall's board and podium) are read in Chromium by
tests/web/test_ranking_browser.py.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from channels.db import database_sync_to_async
from django.test import Client
from django.urls import reverse

from mmgame import services
from mmgame.models import Player

from .api.conftest import JSONClient
from .live.conftest import host_socket, live, player_socket, receive  # noqa: F401 (live: a fixture)
from .ranking_round import BOTS, STUDENTS, add_question, expected_places, play, seat_the_class

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("live")]

in_thread = database_sync_to_async
Places = dict[str, tuple[int, int]]


def board_places(rows: list[dict], count: int | None = None) -> Places:
    """{nickname: (rank, of how many)} from a board's rows (all of them, or `count` in all)."""
    return {row["nickname"]: (row["rank"], len(rows) if count is None else count) for row in rows}


def host_client(host) -> Client:
    client = Client()
    client.force_login(host)
    return client


def csv_places(client: Client, url: str, board: str) -> tuple[Places, list[str]]:
    """A board's ranked rows of the scores CSV, and the nicknames it lists unranked."""
    rows = [r for r in csv.DictReader(io.StringIO(b"".join(client.get(url).streaming_content).decode()))]
    rows = [r for r in rows if r["board"] == board]
    ranked = [r for r in rows if r["rank"]]
    return {r["player"]: (int(r["rank"]), len(ranked)) for r in ranked}, [r["player"] for r in rows if not r["rank"]]


def record_places(client: Client) -> Places:
    """Each student's place in the game as the class record's CSV gives it ("2 of 5 (Science fair)")."""
    content = b"".join(client.get(reverse("web:record_csv")).streaming_content).decode()
    places = {}
    for row in csv.DictReader(io.StringIO(content)):
        found = re.fullmatch(r"(\d+) of (\d+) \(Science fair\)", row["game_places"])
        places[row["student"]] = (int(found[1]), int(found[2]))
    return places


def record_page_places(client: Client) -> Places:
    """Each student's place in the game as the class record's page says it under their seats."""
    page = client.get(reverse("web:record")).content.decode()
    sections = re.findall(r'<h2 id="student-\d+-name">([^<]+)</h2>(.*?)</section>', page, re.S)
    return {name: tuple(int(n) for n in re.search(r"rank (\d+) of (\d+)", body).groups()) for name, body in sections}


def read_http_faces(host, game, market_id: int, finished: bool) -> tuple[dict[str, Places], dict]:
    """Every face that is read over HTTP: the API (as the host and as a student's seat), the CSV, and once
    the game is finished the podium page and the class record; and what they list besides the ranked."""
    api = JSONClient(Client())
    api.client.force_login(host)
    ana = JSONClient(Client(), seat_token=Player.objects.get(game=game, nickname="Ana").seat_token)
    pages = host_client(host)
    market_board = api.get(f"/api/markets/{market_id}/leaderboard").json()["profit"]
    game_board = api.get(f"/api/games/{game.join_code}/leaderboard").json()
    own = ana.get(f"/api/markets/{market_id}/leaderboard").json()["profit"]
    scores = reverse("web:export", args=[game.pk, "scores"])
    faces = {
        "api market board": board_places(market_board),
        "api game board": board_places(game_board["profit"]),
        "api podium": board_places(game_board["podium"]),
        "api market board, Ana's seat": {"Ana": board_places(own)["Ana"]},
    }
    faces["csv market_profit"], unranked = csv_places(pages, scores, "market_profit")
    faces["csv game_profit"], _ = csv_places(pages, scores, "game_profit")
    room = pages.get(reverse("web:game", args=[game.pk])).context["boards"]
    faces["control room board"] = board_places(room["game"])
    besides = {"csv unranked": unranked, "control room": room["bots_left_out"]}
    if finished:
        podium = pages.get(reverse("web:podium", args=[game.pk])).context
        faces["podium page"] = board_places([vars(s) for s in (*podium["podium"], *podium["rest"])])
        faces["class record"] = record_places(pages)
        faces["class record page"] = record_page_places(pages)
    return faces, besides


async def socket_faces(host, game, market_id: int, section: str) -> tuple[dict[str, Places], int]:
    """What each student's phone says of its own place (`mine` of `counts`: the result card with "markets",
    the final place with "game") and the wall's board; and how many practice traders the wall folds."""
    key = str(market_id)
    faces: dict[str, Places] = {"phones": {}}
    for name in STUDENTS:
        player = await in_thread(Player.objects.get)(game=game, nickname=name)
        socket = await player_socket(player)
        board = (await receive(socket))["leaderboard"]
        mine = board["mine"][section] if section == "game" else board["mine"][section][key]
        count = board["counts"][section] if section == "game" else board["counts"][section][key]
        faces["phones"][name] = (mine["rank"], count)
        await socket.disconnect()
    wall = await host_socket(host, game.pk, "projector")
    board = (await receive(wall))["leaderboard"]
    rows = board[section] if section == "game" else board[section][key]
    count = board["counts"][section] if section == "game" else board["counts"][section][key]
    faces["wall board"] = board_places(rows, count)
    await wall.disconnect()
    return faces, board["bots_left_out"]


def disagreements(faces: dict[str, Places], expected: Places) -> dict[str, Places]:
    """Per face, the places it says that differ from the expected ones (a face may show fewer seats: the
    phones show only the students, the class record only people; none may show another number)."""
    return {
        face: {name: place for name, place in places.items() if expected.get(name) != place}
        for face, places in faces.items()
        if any(expected.get(name) != place for name, place in places.items())
    }


@pytest.mark.parametrize("include_bots", [False, True], ids=["bots left out", "bots included"])
async def test_a_students_place_is_one_number_on_every_face(host, game, include_bots):
    def set_up():
        seat_the_class(host, game)
        market = add_question(host, game)
        services.set_include_bots(host, game, include_bots=include_bots)
        play(host, market)
        return market.pk

    market_id = await in_thread(set_up)()
    expected = await in_thread(expected_places)(game)
    # Ties share a rank and the next skips (1, 2, 2, 4): Dee and Eve never trade (and two bots, included).
    ranks = [1, 2, 3, 3, 3, 3, 7, 8, 9, 10] if include_bots else [1, 2, 2, 4, 5]
    assert sorted(rank for rank, _ in expected.values()) == ranks

    # At the answer: each phone's result card, the wall's board, the API, the CSV, the control room.
    faces, besides = await in_thread(read_http_faces)(host, game, market_id, False)
    sockets, folded = await socket_faces(host, game, market_id, "markets")
    faces.update({f"{face} (answer)": places for face, places in sockets.items()})
    assert disagreements(faces, expected) == {}
    assert set(faces["wall board (answer)"]) == set(expected)  # the wall ranks whom every face ranks
    left_out = 0 if include_bots else BOTS
    assert (folded, besides["control room"], len(besides["csv unranked"])) == (left_out, left_out, left_out)

    # At the podium: each phone's final place, the wall's podium, the podium page and the class record.
    await in_thread(services.finish_game)(host, game)
    faces, _ = await in_thread(read_http_faces)(host, game, market_id, True)
    sockets, folded = await socket_faces(host, game, market_id, "game")
    faces.update({f"{face} (podium)": places for face, places in sockets.items()})
    assert disagreements(faces, expected) == {}
    assert set(faces["class record"]) == set(faces["class record page"]) == set(STUDENTS)
    assert set(faces["wall board (podium)"]) == set(faces["podium page"]) == set(expected)
    assert folded == left_out
