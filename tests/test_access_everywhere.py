"""Every rule of mmgame.access, asked through every face, gets the same answer (issue 8, "Checks that keep it so").

The faces are the JSON API (/api/), the pages (/, /play/, /host/) and the websockets (/ws/games/<id>/<role>/).
Each test states one rule, asks it of each face, and compares a table `{face: answer}` with one expected
answer. Answers are normalised to the codes of mmgame.access:

- the API: "ok" for a 2xx, else the body's `code` (whose HTTP status must be the one api.statuses.STATUS gives);
- the pages: 404 → "not_found", the kicked page (403) → "kicked", the turned-away page (403) →
  "turned_away", another 403 → "forbidden", the waiting room's page → "waiting", a redirect to sign in or to
  join → "not_signed_in", anything else → "ok";
- the socket: "ok" for a snapshot, else the error frame's code (the close code must be live.codes' for it);
  a request over an open socket: "ok" or the error frame's code;
- a listing (a snapshot's markets, a page): "ok" when the thing is in it, "not_found" when it is not.

Signed out, the API's authentication says `not_authenticated` where mmgame.access says `not_signed_in`
(both 401): the same answer, so both read "not_signed_in" here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.urls import reverse

from mmgame import services
from mmgame.api.statuses import STATUS
from mmgame.live.codes import CLOSE_CODES
from mmgame.market import Order
from mmgame.models import Clue, Market, Player, Trade

from .api.conftest import JSONClient
from .live.conftest import HOST, ORIGIN, closed_with, receive, receive_until, request, session_cookie

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("live")]

in_thread = database_sync_to_async
SIGNED_OUT = {"not_authenticated": "not_signed_in"}  # the API's own 401 and mmgame.access's, one answer
ORDER = {"kind": "target", "mean": 120, "sd": 40}


# -- who asks, and how each face's answer is read -----------------------------------------------------


def api_answer(response) -> str:
    if response.status_code < 300:
        return "ok"
    body = response.json()
    assert response.status_code == STATUS.get(body["code"], 400), (response.status_code, body)
    return SIGNED_OUT.get(body["code"], body["code"])


def page_answer(response) -> str:
    if response.status_code in (301, 302):
        location = response["Location"]
        if location.startswith((reverse("web:login"), "/join/")):
            return "not_signed_in"
        return "ok"
    shown = {template.name for template in response.templates}
    if response.status_code == 403:
        if "player/turned_away.html" in shown:
            return "turned_away"
        return "kicked" if "player/kicked.html" in shown else "forbidden"
    if "player/waiting.html" in shown:
        return "waiting"
    if response.status_code == 404:
        return "not_found"
    assert response.status_code == 200, response.status_code
    return "ok"


def listed(present: bool) -> str:
    return "ok" if present else "not_found"


@dataclass
class Who:
    """One caller, the same in every face: a browser (a session cookie: a login, seats) and/or a bot (a seat
    token, sent as X-Seat-Token to the API and to the socket)."""

    cookie: str | None = None
    seat_token: str | None = None
    api: JSONClient = field(init=False)
    pages: Client = field(init=False)

    def __post_init__(self) -> None:
        self.api = JSONClient(Client(enforce_csrf_checks=True), seat_token=self.seat_token)
        self.pages = Client()
        if self.cookie:
            name, value = self.cookie.split("=", 1)
            self.api.client.cookies[name] = value
            self.pages.cookies[name] = value

    # The API and the pages are synchronous: call these through `in_thread`.
    def get(self, url: str) -> str:
        return api_answer(self.api.get(url))

    def post(self, url: str, body: object = None) -> str:
        if self.cookie and self.api.csrf_token is None:
            self.api.fetch_csrf()  # a browser on this site sends its CSRF token, so the rule is what answers
        return api_answer(self.api.post(url, body))

    def page(self, url: str, data: dict | None = None) -> str:
        return page_answer(self.pages.get(url) if data is None else self.pages.post(url, data))

    def page_text(self, url: str) -> str:
        response = self.pages.get(url)
        assert response.status_code == 200, response.status_code
        return response.content.decode()

    async def connect(self, game_id: int, role: str = "player") -> WebsocketCommunicator:
        from mmgame.asgi import application

        headers = [(b"host", HOST.encode()), (b"origin", ORIGIN.encode())]
        if self.cookie:
            headers.append((b"cookie", self.cookie.encode()))
        if self.seat_token:
            headers.append((b"x-seat-token", self.seat_token.encode()))
        socket = WebsocketCommunicator(application, f"/ws/games/{game_id}/{role}/", headers=headers)
        connected, _ = await socket.connect(timeout=5)
        assert connected  # refusals too are accepted first, so that the page can read why
        return socket

    async def watch(self, game_id: int, role: str = "player") -> tuple[WebsocketCommunicator, dict]:
        """An open screen and its snapshot."""
        socket = await self.connect(game_id, role)
        snapshot = await receive(socket)
        assert snapshot["type"] == "snapshot", snapshot
        return socket, snapshot

    async def screen(self, game_id: int, role: str = "player") -> str:
        """The socket's answer to opening a screen."""
        socket = await self.connect(game_id, role)
        return await socket_answer(socket)


async def socket_answer(socket: WebsocketCommunicator) -> str:
    frame = await receive(socket)
    if frame["type"] == "snapshot":
        await socket.disconnect()
        return "ok"
    assert frame["type"] == "error", frame
    assert await closed_with(socket) == CLOSE_CODES[frame["code"]], frame
    return frame["code"]


async def kicked_off(socket: WebsocketCommunicator) -> str:
    """What an open screen is told when it may no longer stay: the error frame, then the close."""
    frame = await receive_until(socket, "error")
    assert await closed_with(socket) == CLOSE_CODES[frame["code"]], frame
    return frame["code"]


async def ask(socket: WebsocketCommunicator, frame: dict) -> str:
    """A request over an open socket: "ok", or the error frame's code (the socket stays open)."""
    answer = await request(socket, frame)
    return answer["code"] if answer["type"] == "error" else "ok"


def quote_frame(market_id: int, rid: str = "q") -> dict:
    return {"type": "quote", "request_id": rid, "market_id": market_id, "order": ORDER}


def trade_frame(market_id: int, rid: str = "t") -> dict:
    return {"type": "trade", "request_id": rid, "market_id": market_id, "order": ORDER, "idempotency_key": rid}


def disagreements(answers: dict[str, str], expected: str) -> dict[str, str]:
    """The faces that do not give the expected answer (an empty dict when every face agrees)."""
    return {face: answer for face, answer in answers.items() if answer != expected}


# -- fixtures -----------------------------------------------------------------------------------------


@pytest.fixture
async def live():
    """Stops this test loop's hub afterwards, so no task outlives the test (as tests/live/conftest.py)."""
    from mmgame.live.hub import stop_hub

    yield
    stop_hub()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def who(request) -> Who:
    """The caller a test is parametrised with (indirectly), by its fixture's name."""
    return request.getfixturevalue(request.param)


@pytest.fixture
def draft(host, game):
    return services.add_market(host, game, question="Secret draft: how tall is the flagpole?", lo=0, hi=30)


@pytest.fixture
def other_market(other_host, other_game):
    market = services.add_market(other_host, other_game, question="Another class's question", lo=0, hi=300)
    return services.open_market(other_host, market.pk)


@pytest.fixture
def anonymous(db) -> Who:
    return Who()


@pytest.fixture
def the_host(host) -> Who:
    return Who(cookie=session_cookie(user=host))


@pytest.fixture
def intruder(other_host) -> Who:
    """Another host, signed in."""
    return Who(cookie=session_cookie(user=other_host))


@pytest.fixture
def alice_browser(alice) -> Who:
    """Alice's phone: the seat that joining kept in its session, no login."""
    return Who(cookie=session_cookie(seats={alice.game_id: alice.seat_token}))


@pytest.fixture
def alice_bot(alice) -> Who:
    return Who(seat_token=alice.seat_token)


@pytest.fixture
def stranger_bot(stranger) -> Who:
    """A bot with a seat in another game."""
    return Who(seat_token=stranger.seat_token)


@pytest.fixture
def stranger_browser(stranger) -> Who:
    """A phone that joined another game: its session holds that seat, and none in this game."""
    return Who(cookie=session_cookie(seats={stranger.game_id: stranger.seat_token}))


def trade(player, market, mean: float, key: str) -> None:
    services.place_trade(player, market.pk, Order("target", mean=mean, sd=40), idempotency_key=key)


# -- a draft: the host's secret until it opens ---------------------------------------------------------


async def test_a_draft_does_not_exist_for_a_player_in_any_face(game, open_market, draft, alice_bot, alice_browser):
    """A draft is not found by a player: not by its id (reads, quote, trade), nor in any listing (the game's
    markets, the socket's snapshot, her page), with her seat token or her phone's session."""
    d = draft.pk

    def api_and_pages() -> dict[str, str]:
        return {
            "api GET market": alice_bot.get(f"/api/markets/{d}"),
            "api GET trades": alice_bot.get(f"/api/markets/{d}/trades"),
            "api GET leaderboard": alice_bot.get(f"/api/markets/{d}/leaderboard"),
            "api GET position": alice_bot.get(f"/api/markets/{d}/position"),
            "api POST quote": alice_bot.post(f"/api/markets/{d}/quote", ORDER),
            "api POST trade": alice_bot.post(f"/api/markets/{d}/trades", {**ORDER, "idempotency_key": "d1"}),
            "api (browser) GET market": alice_browser.get(f"/api/markets/{d}"),
            "api (browser) POST trade": alice_browser.post(
                f"/api/markets/{d}/trades", {**ORDER, "idempotency_key": "d2"}
            ),
            "api game's markets": listed(
                d in [m["id"] for m in alice_bot.api.get(f"/api/games/{game.join_code}").json()["markets"]]
            ),
            "play page": listed(draft.question in alice_browser.page_text(reverse("web:play", args=[game.pk]))),
        }

    answers = await in_thread(api_and_pages)()
    socket, snapshot = await alice_browser.watch(game.pk)
    answers["socket snapshot markets"] = listed(d in [m["id"] for m in snapshot["markets"]])
    answers["socket snapshot positions"] = listed(str(d) in snapshot["positions"])
    answers["socket snapshot boards"] = listed(str(d) in snapshot["leaderboard"]["markets"])
    answers["socket quote"] = await ask(socket, quote_frame(d))
    answers["socket trade"] = await ask(socket, trade_frame(d))
    await socket.disconnect()

    assert disagreements(answers, "not_found") == {}
    assert await in_thread(lambda: Market.objects.get(pk=d).sequence)() == draft.sequence  # nothing traded


async def test_the_host_sees_the_draft_in_every_face_and_the_projector_does_not(game, open_market, draft, the_host):
    """The host finds the draft in every face; the projector, the room's screen, does not."""
    d = draft.pk

    def api_and_pages() -> dict[str, str]:
        return {
            "api GET market": the_host.get(f"/api/markets/{d}"),
            "api GET trades": the_host.get(f"/api/markets/{d}/trades"),
            "api GET leaderboard": the_host.get(f"/api/markets/{d}/leaderboard"),
            "api game's markets": listed(
                d in [m["id"] for m in the_host.api.get(f"/api/games/{game.join_code}").json()["markets"]]
            ),
            "host page": listed(draft.question in the_host.page_text(reverse("web:game", args=[game.pk]))),
        }

    answers = await in_thread(api_and_pages)()
    socket, snapshot = await the_host.watch(game.pk, "host")
    answers["socket host snapshot"] = listed(d in [m["id"] for m in snapshot["markets"]])
    await socket.disconnect()
    assert disagreements(answers, "ok") == {}

    projector, snapshot = await the_host.watch(game.pk, "projector")  # the room's screen: what a stranger sees
    assert [m["id"] for m in snapshot["markets"]] == [open_market.pk]
    assert str(d) not in snapshot["leaderboard"]["markets"]
    await projector.disconnect()


async def test_a_questions_picture_is_served_where_its_market_is_seen(
    game, draft, host, the_host, alice_bot, alice_browser, intruder, stranger_bot, media
):
    """A question's picture (/pictures/…) asks the market's rule: the host sees a draft's, a seat (by token or
    by session) only once its question is shown, another host or another game's seat never."""
    from tests import pictures

    def picture_answers() -> dict[str, str]:
        market = Market.objects.get(pk=draft.pk)
        url = reverse("web:picture", args=[market.pk, market.picture_name])

        def served(who: Who) -> str:
            headers = {"X-Seat-Token": who.seat_token} if who.seat_token else {}
            return page_answer(who.pages.get(url, headers=headers))

        return {"host": served(the_host), "alice's bot": served(alice_bot), "alice's phone": served(alice_browser),
                "another host": served(intruder), "another game's seat": served(stranger_bot)}  # fmt: skip

    picture = services.picture_from(pictures.jar(), name="jar.jpg", alt="A jar of red beans")
    await in_thread(services.set_picture)(host, draft.pk, picture)
    before = await in_thread(picture_answers)()
    await in_thread(services.show_market)(host, draft.pk)
    after = await in_thread(picture_answers)()

    assert before == {"host": "ok", "alice's bot": "not_found", "alice's phone": "not_found",
                      "another host": "not_found", "another game's seat": "not_found"}  # fmt: skip
    assert after == {**before, "alice's bot": "ok", "alice's phone": "ok"}


# -- hidden names: boards and feeds name no one else --------------------------------------------------


def api_rows(response, key: str | None = None) -> list[dict] | str:
    """The rows an API read answers with, or what it answered instead (a refusal, a server error)."""
    if response.status_code != 200:
        return f"{response.status_code} {response.json().get('code')}"
    body = response.json()
    return body if key is None else body[key]


def revealed(rows: list[dict] | str, own: int | None) -> set:
    """The names and player ids of others that these rows give away (or the face's failure to answer)."""
    if isinstance(rows, str):
        return {f"no rows: {rows}"}
    others = [row for row in rows if own is None or row.get("player_id") != own]
    return {row[key] for row in others for key in ("nickname", "player_id") if row.get(key) is not None}


def own_kept(rows: list[dict] | str, own: int, nickname: str) -> bool:
    return not isinstance(rows, str) and any(
        row.get("player_id") == own and row.get("nickname") == nickname for row in rows
    )


def socket_board_rows(board: dict) -> list[dict]:
    """Every row of a socket's leaderboard, and the player's own rows (`mine`)."""
    rows = [*board["game"], *(r for rows in board["markets"].values() for r in rows)]
    rows += [r for section in ("accuracy", "guesses") for rows in board[section].values() for r in rows]
    mine = board.get("mine") or {}
    rows += [mine["game"]] if mine.get("game") else []
    rows += [row for section in ("markets", "accuracy", "guesses") for row in mine.get(section, {}).values()]
    return rows


@pytest.fixture
def quiet_game(host, game, open_market, alice, bob):
    """Names hidden, and a trade each in the open market."""
    services.set_hide_names(host, game, True)
    trade(alice, open_market, 120, "alice-1")
    trade(bob, open_market, 60, "bob-1")
    game.refresh_from_db()
    return game


async def test_hidden_names_a_player_sees_no_one_else_in_boards_and_feeds(
    quiet_game, open_market, alice, bob, alice_bot, alice_browser
):
    """With names hidden, a player's boards and feeds carry no one else's name, id or cost, in the API, the
    socket's snapshot, its updates and its leaderboard broadcasts; her own rows keep her name."""
    game, m = quiet_game, open_market.pk

    def api() -> dict[str, list[dict]]:
        return {
            "api game leaderboard": api_rows(alice_bot.api.get(f"/api/games/{game.join_code}/leaderboard"), "profit"),
            "api market leaderboard": api_rows(alice_bot.api.get(f"/api/markets/{m}/leaderboard"), "profit"),
            "api trades": api_rows(alice_bot.api.get(f"/api/markets/{m}/trades")),
            "api (browser) trades": api_rows(alice_browser.api.get(f"/api/markets/{m}/trades")),
        }

    faces = await in_thread(api)()
    socket, snapshot = await alice_browser.watch(game.pk)
    faces["socket snapshot leaderboard"] = socket_board_rows(snapshot["leaderboard"])
    faces["socket snapshot trades"] = snapshot["trades"][str(m)]
    await in_thread(trade)(bob, open_market, 80, "bob-2")
    update = await receive_until(socket, "update")
    faces["socket update trades"] = update["trades"]
    board = await receive_until(socket, "leaderboard")
    faces["socket leaderboard broadcast"] = socket_board_rows(board)
    await socket.disconnect()
    page = await in_thread(alice_browser.page_text)(reverse("web:play", args=[game.pk]))

    # Per face, what it gets wrong: others' names or ids, others' costs (a feed line's cost and the curves
    # around it give that player's profit), or the player's own rows gone (updates carry only Bob's trade).
    problems = {face: hidden_names_problems(face, rows, alice.pk, "Alice") for face, rows in faces.items()}
    problems["play page"] = ["names Bob"] if "Bob" in page else []
    assert {face: problem for face, problem in problems.items() if problem} == {}


async def test_hidden_names_the_podium_names_no_one_else(quiet_game, host, alice, alice_bot, alice_browser):
    """At the end, the podium (the API's and the socket's) keeps the player's own row and names no one else."""
    game = quiet_game
    await in_thread(services.finish_game)(host, game)
    read = in_thread(lambda: api_rows(alice_bot.api.get(f"/api/games/{game.join_code}/leaderboard"), "podium"))
    faces = {"api podium": await read()}
    socket, snapshot = await alice_browser.watch(game.pk)
    board = snapshot["leaderboard"]
    faces["socket podium"] = [*board["game"], board["mine"]["game"]]  # at the end the game's board is the podium
    await socket.disconnect()

    assert [len(rows) for rows in faces.values()] == [2, 3]  # Alice and Bob; on the socket Alice's own too
    problems = {face: hidden_names_problems(face, rows, alice.pk, "Alice") for face, rows in faces.items()}
    assert {face: problem for face, problem in problems.items() if problem} == {}


def hidden_names_problems(face: str, rows: list[dict] | str, own: int, nickname: str) -> list[str]:
    if isinstance(rows, str):
        return [f"answers {rows}"]
    problems = []
    if others := revealed(rows, own):
        problems.append(f"reveals {sorted(map(str, others))}")
    if "trades" in face and {row.get("cost") for row in rows if row["player_id"] != own} - {None}:
        problems.append("shows others' costs")
    if face != "socket update trades" and not own_kept(rows, own, nickname):
        problems.append("loses the player's own rows")
    return problems


def line(feed: list[dict] | str, sequence: int) -> list[dict] | str:
    return feed if isinstance(feed, str) else [row for row in feed if row["sequence"] == sequence]


def own_line(rows: list[dict], player) -> str:
    if not rows:
        return "missing"
    return "ok" if own_kept(rows, player.pk, player.nickname) else "hidden"


async def test_hidden_names_a_player_sees_her_own_trade_named_in_every_feed(
    quiet_game, open_market, alice, alice_bot, alice_browser
):
    """ "A player always sees their own rows": her own line of the feed, in the API's feed, the snapshot's and
    the socket's updates alike."""
    game, m = quiet_game, open_market.pk
    socket, snapshot = await alice_browser.watch(game.pk)
    await in_thread(trade)(alice, open_market, 110, "alice-2")
    update = await receive_until(socket, "update")
    await socket.disconnect()
    api_feed = await in_thread(lambda: api_rows(alice_bot.api.get(f"/api/markets/{m}/trades")))()
    her_line = {  # her trade, as each feed shows it
        "api trades": line(api_feed, update["sequence"]),
        "socket snapshot trades": line(snapshot["trades"][str(m)], 2),  # "alice-1", before Bob's
        "socket update trades": line(update["trades"], update["sequence"]),
    }
    answers = {face: seen if isinstance(seen, str) else own_line(seen, alice) for face, seen in her_line.items()}
    assert disagreements(answers, "ok") == {}


async def test_hidden_names_the_host_sees_every_name_in_every_face(quiet_game, open_market, alice, bob, the_host):
    """Hidden names are hidden from the players: the host's boards, feeds and page name everyone."""
    game, m = quiet_game, open_market.pk
    everyone = {"Alice", "Bob", alice.pk, bob.pk}

    def api() -> dict[str, list[dict]]:
        return {
            "api game leaderboard": api_rows(the_host.api.get(f"/api/games/{game.join_code}/leaderboard"), "profit"),
            "api market leaderboard": api_rows(the_host.api.get(f"/api/markets/{m}/leaderboard"), "profit"),
            "api trades": api_rows(the_host.api.get(f"/api/markets/{m}/trades")),
        }

    faces = await in_thread(api)()
    socket, snapshot = await the_host.watch(game.pk, "host")
    faces["socket snapshot leaderboard"] = socket_board_rows(snapshot["leaderboard"])
    faces["socket snapshot trades"] = snapshot["trades"][str(m)]
    await in_thread(trade)(bob, open_market, 80, "bob-2")
    await in_thread(trade)(alice, open_market, 110, "alice-2")
    updates = [(await receive_until(socket, "update"))["trades"]]
    while {r["player_id"] for rows in updates for r in rows} != {alice.pk, bob.pk}:
        updates.append((await receive_until(socket, "update"))["trades"])
    faces["socket update trades"] = [r for rows in updates for r in rows]
    await socket.disconnect()
    page = await in_thread(the_host.page_text)(reverse("web:game", args=[game.pk]))

    answers = {face: revealed(rows, None) for face, rows in faces.items()}
    answers["host page"] = {name for name in ("Alice", "Bob") if name in page} | {alice.pk, bob.pk}
    assert {face: answer for face, answer in answers.items() if answer != everyone} == {}


# -- host-only actions --------------------------------------------------------------------------------


def host_actions(game, market, player) -> dict[str, tuple[tuple[str, dict | None] | None, tuple[str, dict] | None]]:
    """Each host action: (API URL, body) and (page URL, form), or None where a face has no such action (the
    control room steps the round through the API: one path, #21 item 4)."""
    g, m = game.pk, market.pk
    new_market = {"question": "Sneaked in?", "lo": 0, "hi": 10}
    return {
        "open": ((f"/api/markets/{m}/open", None), None),
        "pause": ((f"/api/markets/{m}/pause", None), None),
        "close": ((f"/api/markets/{m}/close", None), None),
        "resolve": ((f"/api/markets/{m}/resolve", {"outcome": 5}), None),
        "reorder": ((f"/api/games/{game.join_code}/markets/order", {"markets": [m]}), None),
        "edit market": (
            None,  # (the API's edit is a PUT: tests/api/test_edit_markets.py)
            (reverse("web:edit_market", args=[g, m]), {**new_market, "liquidity": "normal", "budget": "1000"}),
        ),
        "add market": (
            (f"/api/games/{game.join_code}/markets", new_market),
            (reverse("web:new_market", args=[g]), {**new_market, "liquidity": "normal", "budget": "1000"}),
        ),
        "kick": (
            (f"/api/games/{game.join_code}/players/{player.pk}/kick", None),
            (reverse("web:kick", args=[g, player.pk]), {}),
        ),
        "close late joins": (
            (f"/api/games/{game.join_code}/late-joins", {"late_joins": False}),
            (reverse("web:late_joins", args=[g]), {"late_joins": "false"}),
        ),
        "set the game's language": (
            (f"/api/games/{game.join_code}/language", {"language": "es"}),
            (reverse("web:game_language", args=[g]), {"language": "es"}),
        ),
    }


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        # A player has no login: every face asks her to sign in (the API's 401, the sign-in page, 4401).
        ("alice_browser", "not_signed_in"),
        ("alice_bot", "not_signed_in"),
        # Another host learns nothing of the game: not found (404, 404, 4404).
        ("intruder", "not_found"),
        # Someone with nothing: sign in (401, the sign-in page, 4401).
        ("anonymous", "not_signed_in"),
    ],
    indirect=["who"],
)
async def test_host_actions_are_the_hosts_alone_in_every_face(who, expected, game, draft, bob):
    """Open, pause, close, resolve, reorder, edit and add a market, kick, list the players, the host's page and
    screens: no one but the host. A player of the game holds no login, so every face asks her to sign in, as it
    asks anyone with nothing (mmgame.access.require_host's "forbidden" for a player is not what any face answers:
    the faces ask for a login before they ask the game). Nothing changes."""

    def api_and_pages() -> dict[str, str]:
        answers = {}
        for action, (api, page) in host_actions(game, draft, bob).items():
            if api:
                answers[f"api {action}"] = who.post(*api)
            if page and (who.cookie or not who.seat_token):  # a bot has no pages
                answers[f"page {action}"] = who.page(*page)
        answers["api players"] = who.get(f"/api/games/{game.join_code}/players")
        if who.cookie or not who.seat_token:
            answers["page game"] = who.page(reverse("web:game", args=[game.pk]))
        return answers

    answers = await in_thread(api_and_pages)()
    for role in ("host", "projector"):
        answers[f"socket {role} screen"] = await who.screen(game.pk, role)

    assert disagreements(answers, expected) == {}
    draft_now, bob_now, markets = await in_thread(
        lambda: (Market.objects.get(pk=draft.pk), Player.objects.get(pk=bob.pk), game.markets.count())
    )()
    assert (draft_now.status, draft_now.question, bob_now.kicked, markets) == (
        "draft",
        draft.question,
        False,
        1,
    )  # nothing changed


async def test_the_host_may_do_what_the_others_may_not(game, draft, bob, the_host):
    """The same questions, asked by the host: every face says yes (the refusals above are the rule's)."""

    def api_and_pages() -> dict[str, str]:
        actions = host_actions(game, draft, bob)
        return {
            "api reorder": the_host.post(*actions["reorder"][0]),
            "page edit market": the_host.page(*actions["edit market"][1]),
            "api open": the_host.post(*actions["open"][0]),
            "api pause": the_host.post(*actions["pause"][0]),
            "api close": the_host.post(*actions["close"][0]),
            "api resolve": the_host.post(*actions["resolve"][0]),
            "api add market": the_host.post(*actions["add market"][0]),
            "page add market": the_host.page(*actions["add market"][1]),
            "api kick": the_host.post(*actions["kick"][0]),
            "api players": the_host.get(f"/api/games/{game.join_code}/players"),
            "page game": the_host.page(reverse("web:game", args=[game.pk])),
        }

    answers = await in_thread(api_and_pages)()
    for role in ("host", "projector"):
        answers[f"socket {role} screen"] = await the_host.screen(game.pk, role)
    assert disagreements(answers, "ok") == {}
    draft_now, bob_now, markets = await in_thread(
        lambda: (Market.objects.get(pk=draft.pk), Player.objects.get(pk=bob.pk), game.markets.count())
    )()
    assert (draft_now.status, draft_now.question, bob_now.kicked, markets) == ("resolved", "Sneaked in?", True, 3)


# -- a kicked seat ------------------------------------------------------------------------------------


async def test_a_kicked_seat_may_neither_watch_nor_trade_in_any_face(
    host, game, open_market, alice, alice_bot, alice_browser
):
    """A kicked seat is told so everywhere: API 403 `kicked`, the kicked page (403), socket 4403 `kicked`,
    both for a screen open at the kick and for a new one."""
    m = open_market.pk
    watching, _ = await alice_browser.watch(game.pk)  # a screen open when the host kicks
    await in_thread(services.kick_player)(host, alice)

    answers = {"socket open when kicked": await kicked_off(watching)}

    def api_and_pages() -> dict[str, str]:
        return {
            "api GET game": alice_bot.get(f"/api/games/{game.join_code}"),  # issue 23: read markets
            "api (browser) GET game": alice_browser.get(f"/api/games/{game.join_code}"),
            "api GET market": alice_bot.get(f"/api/markets/{m}"),
            "api GET trades": alice_bot.get(f"/api/markets/{m}/trades"),
            "api GET position": alice_bot.get(f"/api/markets/{m}/position"),
            "api POST quote": alice_bot.post(f"/api/markets/{m}/quote", ORDER),
            "api POST trade": alice_bot.post(f"/api/markets/{m}/trades", {**ORDER, "idempotency_key": "k1"}),
            "api game leaderboard": alice_bot.get(f"/api/games/{game.join_code}/leaderboard"),
            "api (browser) POST trade": alice_browser.post(
                f"/api/markets/{m}/trades", {**ORDER, "idempotency_key": "k2"}
            ),
            "play page": alice_browser.page(reverse("web:play", args=[game.pk])),
        }

    answers.update(await in_thread(api_and_pages)())
    answers["socket player screen (session)"] = await alice_browser.screen(game.pk)
    answers["socket player screen (seat token)"] = await alice_bot.screen(game.pk)

    assert disagreements(answers, "kicked") == {}
    assert await in_thread(Trade.objects.filter(player=alice).count)() == 0


@pytest.mark.parametrize("turned_away", [False, True], ids=["waiting", "turned-away"])
async def test_a_phone_in_the_waiting_room_may_neither_watch_nor_trade_in_any_face(
    host, game, open_market, turned_away
):
    """Issue 23: a phone the host has not let in (or turned away) holds a token that is no seat: told so in
    every face, API 403, its page, socket 4403; the game's markets are not listed to it."""

    def arrive():
        services.set_waiting_room(host, game, True)
        arrival = services.join_game(game.join_code, "Ada", address="10.0.0.1")
        if turned_away:
            services.turn_away(host, arrival)
        return arrival, session_cookie(seats={game.pk: arrival.seat_token})

    arrival, cookie = await in_thread(arrive)()
    bot, browser = Who(seat_token=arrival.seat_token), Who(cookie=cookie)
    m = open_market.pk

    def api_and_pages() -> dict[str, str]:
        return {
            "api GET market": bot.get(f"/api/markets/{m}"),
            "api GET trades": bot.get(f"/api/markets/{m}/trades"),
            "api GET position": bot.get(f"/api/markets/{m}/position"),
            "api POST quote": bot.post(f"/api/markets/{m}/quote", ORDER),
            "api POST trade": bot.post(f"/api/markets/{m}/trades", {**ORDER, "idempotency_key": "k1"}),
            "api game leaderboard": bot.get(f"/api/games/{game.join_code}/leaderboard"),
            "api (browser) GET market": browser.get(f"/api/markets/{m}"),
            "api (browser) POST trade": browser.post(f"/api/markets/{m}/trades", {**ORDER, "idempotency_key": "k2"}),
            "play page": browser.page(reverse("web:play", args=[game.pk])),
        }

    answers = await in_thread(api_and_pages)()
    answers["socket player screen (session)"] = await browser.screen(game.pk)
    answers["socket player screen (seat token)"] = await bot.screen(game.pk)

    assert disagreements(answers, "turned_away" if turned_away else "waiting") == {}
    listing = await in_thread(bot.api.get)(f"/api/games/{game.join_code}")
    assert listing.json()["markets"] == []
    assert await in_thread(Trade.objects.count)() == 0


# -- another host's game ------------------------------------------------------------------------------


async def test_another_hosts_game_is_not_found_in_any_face(game, open_market, draft, intruder):
    """A signed-in host finds nothing of another host's game: not its API, pages, exports or screens, nor
    in their own lists (the API's games, the dashboard)."""
    g, m, code = game.pk, open_market.pk, game.join_code
    pages = [
        reverse("web:game", args=[g]),
        reverse("web:new_market", args=[g]),
        reverse("web:lobby", args=[g]),
        reverse("web:projector", args=[g]),
        reverse("web:podium", args=[g]),
        reverse("web:export", args=[g, "trades"]),
        reverse("web:bank", args=[g]),
        reverse("web:bank_export", args=[g]),
    ]

    def api_and_pages() -> dict[str, str]:
        answers = {
            "api players": intruder.get(f"/api/games/{code}/players"),
            "api game leaderboard": intruder.get(f"/api/games/{code}/leaderboard"),
            "api GET market": intruder.get(f"/api/markets/{m}"),
            "api GET trades": intruder.get(f"/api/markets/{m}/trades"),
            "api GET draft": intruder.get(f"/api/markets/{draft.pk}"),
            "api finish": intruder.post(f"/api/games/{code}/finish"),
            "api my games": listed(g in [x["id"] for x in intruder.api.get("/api/games").json()]),
            "page dashboard": listed(game.title in intruder.page_text(reverse("web:dashboard"))),
            "page finish": intruder.page(reverse("web:finish", args=[g]), {}),
            "page hide names": intruder.page(reverse("web:hide_names", args=[g]), {"hide_names": "on"}),
            "page add from bank": intruder.page(reverse("web:bank", args=[g]), {"question": "geography-everest"}),
        }
        answers.update({f"page {url}": intruder.page(url) for url in pages})
        return answers

    answers = await in_thread(api_and_pages)()
    for role in ("host", "projector"):
        answers[f"socket {role} screen"] = await intruder.screen(g, role)

    assert disagreements(answers, "not_found") == {}


# -- a seat of another game ---------------------------------------------------------------------------


async def test_a_seat_of_another_game_finds_nothing_of_this_one(game, open_market, stranger_bot):
    """A bot holding a seat in another game asks about this game's market: nothing is found."""
    m = open_market.pk

    def api() -> dict[str, str]:
        return {
            "api GET market": stranger_bot.get(f"/api/markets/{m}"),
            "api GET trades": stranger_bot.get(f"/api/markets/{m}/trades"),
            "api GET leaderboard": stranger_bot.get(f"/api/markets/{m}/leaderboard"),
            "api GET position": stranger_bot.get(f"/api/markets/{m}/position"),
            "api POST quote": stranger_bot.post(f"/api/markets/{m}/quote", ORDER),
            "api POST trade": stranger_bot.post(f"/api/markets/{m}/trades", {**ORDER, "idempotency_key": "s1"}),
            "api game leaderboard": stranger_bot.get(f"/api/games/{game.join_code}/leaderboard"),
            "api game's markets": listed(bool(stranger_bot.api.get(f"/api/games/{game.join_code}").json()["markets"])),
        }

    answers = await in_thread(api)()
    answers["socket player screen (seat token)"] = await stranger_bot.screen(game.pk)
    assert disagreements(answers, "not_found") == {}
    assert await in_thread(Trade.objects.filter(market=open_market).count)() == 0


async def test_a_player_cannot_reach_another_games_market_in_any_face(
    game, open_market, other_game, other_market, alice, alice_bot, alice_browser
):
    """Alice, seated in this game, aims at a market of another game: by its id, with her seat token, and
    with her seat planted in a session under the other game's id."""
    x = other_market.pk

    def api() -> dict[str, str]:
        return {
            "api GET market": alice_bot.get(f"/api/markets/{x}"),
            "api GET trades": alice_bot.get(f"/api/markets/{x}/trades"),
            "api GET leaderboard": alice_bot.get(f"/api/markets/{x}/leaderboard"),
            "api POST quote": alice_bot.post(f"/api/markets/{x}/quote", ORDER),
            "api POST trade": alice_bot.post(f"/api/markets/{x}/trades", {**ORDER, "idempotency_key": "x1"}),
            "api (browser) POST trade": alice_browser.post(
                f"/api/markets/{x}/trades", {**ORDER, "idempotency_key": "x2"}
            ),
            "api other game's leaderboard": alice_bot.get(f"/api/games/{other_game.join_code}/leaderboard"),
        }

    answers = await in_thread(api)()
    socket, _ = await alice_browser.watch(game.pk)
    answers["socket quote"] = await ask(socket, quote_frame(x))
    answers["socket trade"] = await ask(socket, trade_frame(x))
    await socket.disconnect()
    answers["socket other game's screen (seat token)"] = await alice_bot.screen(other_game.pk)
    planted = await in_thread(lambda: Who(cookie=session_cookie(seats={other_game.pk: alice.seat_token})))()
    answers["socket other game's screen (planted session)"] = await planted.screen(other_game.pk)

    assert disagreements(answers, "not_found") == {}
    assert await in_thread(Trade.objects.filter(market=other_market).count)() == 0


# -- a stranger with no seat --------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "stranger_browser"], indirect=True)
async def test_a_stranger_without_a_seat_reads_no_market_and_is_asked_to_join(who, game, open_market):
    """Nothing in hand (or only a seat of another game, in the session): this game's markets are not found,
    and the game itself asks to join (a 401 from the API, the join page, 4401 from the socket)."""
    m, code = open_market.pk, game.join_code

    def api_and_pages() -> tuple[dict[str, str], dict[str, str]]:
        markets = {
            "api GET market": who.get(f"/api/markets/{m}"),
            "api GET trades": who.get(f"/api/markets/{m}/trades"),
            "api GET leaderboard": who.get(f"/api/markets/{m}/leaderboard"),
            "api game's markets": listed(bool(who.api.get(f"/api/games/{code}").json()["markets"])),
        }
        the_game = {
            "api game leaderboard": who.get(f"/api/games/{code}/leaderboard"),
            "play page": who.page(reverse("web:play", args=[game.pk])),
        }
        return markets, the_game

    markets, the_game = await in_thread(api_and_pages)()
    the_game["socket player screen"] = await who.screen(game.pk)

    assert disagreements(markets, "not_found") == {}
    assert disagreements(the_game, "not_signed_in") == {}


# -- the round's secrets: the answer entered in advance, and others' first guesses --------------------

ANSWER = "173.4567"  # the host's secret: no text a player or the projector receives may hold it
BOBS_MIDDLE = "211.37"  # Bob's sealed first guess, in no text Alice receives before the reveal


def step(host, market, phase: str, **options) -> None:
    services.step_market(host, market.pk, phase=phase, confirm=True, **options)


def guess(player, market, mean: float, sd: float) -> None:
    services.submit_guess(player, market.pk, Order("target", mean=mean, sd=sd))


@pytest.fixture
def secret(host, game):
    """A market whose answer the host entered in advance, its question on screen."""
    market = services.add_market(host, game, question="How tall is the tower?", lo=0, hi=300, answer=Decimal(ANSWER))
    step(host, market, "question")
    return market


def holding(texts: dict[str, str], secret: str) -> list[str]:
    """The faces whose text holds the secret."""
    return sorted(face for face, text in texts.items() if secret in text)


async def test_the_answer_entered_in_advance_reaches_no_one_but_the_host(
    host, game, secret, alice, bob, alice_bot, alice_browser, the_host
):
    """Until the answer: no player's or the projector's snapshot, update or leaderboard, no API read by a
    seat, and no page but the host's holds the true value; the host's GET .../answer returns it."""
    m, code = secret.pk, game.join_code
    await in_thread(lambda: (step(host, secret, "guess"), guess(alice, secret, 150, 30)))()
    await in_thread(lambda: (step(host, secret, "guesses"), step(host, secret, "trading")))()
    await in_thread(trade)(alice, secret, 120, "alice-1")

    def api_and_pages() -> dict[str, str]:
        reads = {
            "api GET market": f"/api/markets/{m}",
            "api GET trades": f"/api/markets/{m}/trades",
            "api GET leaderboard": f"/api/markets/{m}/leaderboard",
            "api GET position": f"/api/markets/{m}/position",
            "api GET guess": f"/api/markets/{m}/guess",
            "api GET answer": f"/api/markets/{m}/answer",
            "api game": f"/api/games/{code}",
            "api game leaderboard": f"/api/games/{code}/leaderboard",
        }
        texts = {face: alice_bot.api.get(url).content.decode() for face, url in reads.items()}
        texts["api (browser) GET answer"] = alice_browser.api.get(f"/api/markets/{m}/answer").content.decode()
        texts["api (browser) GET market"] = alice_browser.api.get(f"/api/markets/{m}").content.decode()
        texts["play page"] = alice_browser.page_text(reverse("web:play", args=[game.pk]))
        texts["projector page"] = the_host.page_text(reverse("web:projector", args=[game.pk]))
        return texts

    texts = await in_thread(api_and_pages)()
    refusals = {
        face: await in_thread(lambda url=url, who=who: who.get(url))()
        for face, (who, url) in {
            "seat token": (alice_bot, f"/api/markets/{m}/answer"),
            "player's phone": (alice_browser, f"/api/markets/{m}/answer"),
        }.items()
    }
    socket, snapshot = await alice_browser.watch(game.pk)
    projector, projected = await the_host.watch(game.pk, "projector")
    texts["socket snapshot"] = json.dumps(snapshot)
    texts["projector snapshot"] = json.dumps(projected)
    await in_thread(trade)(bob, secret, 80, "bob-1")
    texts["socket update"] = json.dumps(await receive_until(socket, "update"))
    texts["socket leaderboard"] = json.dumps(await receive_until(socket, "leaderboard"))
    texts["projector update"] = json.dumps(await receive_until(projector, "update"))
    await in_thread(lambda: step(host, secret, "closed"))()
    texts["socket update (closed)"] = json.dumps(await receive_until(socket, "update"))
    texts["projector update (closed)"] = json.dumps(await receive_until(projector, "update"))
    await socket.disconnect()
    await projector.disconnect()
    hosts = await in_thread(lambda: the_host.api.get(f"/api/markets/{m}/answer").json())()

    assert holding(texts, ANSWER) == []
    assert disagreements(refusals, "not_signed_in") == {}  # a seat holds no login: the host's API asks for one
    assert (hosts["answer"], hosts["answer_exact"].rstrip("0")) == (float(ANSWER), ANSWER)


async def test_an_intruder_reads_no_answer(game, secret, intruder):
    answers = await in_thread(
        lambda: {
            "api GET answer": intruder.get(f"/api/markets/{secret.pk}/answer"),
            "api POST answer": intruder.post(f"/api/markets/{secret.pk}/answer", {"answer": 1}),
        }
    )()
    assert disagreements(answers, "not_found") == {}
    assert await in_thread(lambda: str(Market.objects.get(pk=secret.pk).answer).startswith(ANSWER))()


async def test_another_players_first_guess_reaches_no_one_before_the_reveal(
    host, game, secret, alice, bob, alice_bot, alice_browser, the_host
):
    """Before the host reveals the guesses, Alice's snapshot holds her own guess alone, the market's guesses
    carry only their count (no middles), and no update, API read or projector shows Bob's; after, the
    middles reach every screen."""
    await in_thread(lambda: (step(host, secret, "guess"), guess(alice, secret, 150, 30)))()
    socket, snapshot = await alice_browser.watch(game.pk)
    projector, _ = await the_host.watch(game.pk, "projector")
    await in_thread(guess)(bob, secret, float(BOBS_MIDDLE), 17)
    update = await receive_until(socket, "update")
    projected = await receive_until(projector, "update")
    _, again = await alice_browser.watch(game.pk)
    _, projector_snapshot = await the_host.watch(game.pk, "projector")

    def api() -> dict[str, str]:
        return {
            "api GET market": alice_bot.api.get(f"/api/markets/{secret.pk}").content.decode(),
            "api GET guess": alice_bot.api.get(f"/api/markets/{secret.pk}/guess").content.decode(),
            "api game": alice_bot.api.get(f"/api/games/{game.join_code}").content.decode(),
        }

    texts = await in_thread(api)()
    texts |= {
        "socket snapshot": json.dumps(snapshot),
        "socket update": json.dumps(update),
        "socket snapshot after": json.dumps(again),
        "projector update": json.dumps(projected),
        "projector snapshot": json.dumps(projector_snapshot),
    }
    assert holding(texts, BOBS_MIDDLE) == []
    assert set(again["guesses"]) == {str(secret.pk)}
    assert again["guesses"][str(secret.pk)]["mean"] == pytest.approx(150)  # her own
    assert update["market"]["guesses"] == {
        "count": 2,
        "revealed": False,
        "middles": None,
        "average": None,
        "reasons": None,
    }

    await in_thread(lambda: step(host, secret, "guesses"))()
    revealed = await receive_until(socket, "update")
    await socket.disconnect()
    await projector.disconnect()
    assert revealed["market"]["guesses"]["middles"] == [150.0, float(BOBS_MIDDLE)]


# -- a first guess's reason: the host's alone until picked, then everyone's at the reveal ---------------

BOBS_REASON = "Forty layers of forty-two beans"  # in no text Alice or the wall receives until picked


async def test_a_reason_reaches_the_host_alone_until_picked_and_shown_at_the_reveal(
    host, game, secret, alice, bob, alice_bot, alice_browser, the_host, intruder
):
    """Bob's reason with his first guess: no snapshot, update, API read or page of Alice's, and nothing of the
    wall's, holds it, before the reveal or at a reveal where it is not picked; Alice and an intruder are refused
    the reasons by the API and the page alike, the host reads them there; once the host picks it, the reveal's
    update brings it to Alice and the wall, with Bob's name (the game shows names)."""
    m = secret.pk
    reasons_api = f"/api/markets/{m}/reasons"
    reasons_page = reverse("web:reasons", args=[game.pk, m])
    await in_thread(lambda: (step(host, secret, "guess"), guess(alice, secret, 150, 30)))()
    socket, _ = await alice_browser.watch(game.pk)
    projector, _ = await the_host.watch(game.pk, "projector")
    await in_thread(services.submit_guess)(bob, m, Order("target", mean=200, sd=20), reason=BOBS_REASON)
    texts = {
        "socket update": json.dumps(await receive_until(socket, "update")),
        "projector update": json.dumps(await receive_until(projector, "update")),
    }

    def reads() -> dict[str, str]:
        return {
            "api GET market": alice_bot.api.get(f"/api/markets/{m}").content.decode(),
            "api GET guess": alice_bot.api.get(f"/api/markets/{m}/guess").content.decode(),
            "api GET reasons": alice_bot.api.get(reasons_api).content.decode(),
            "play page": alice_browser.page_text(reverse("web:play", args=[game.pk])),
            "projector page": the_host.page_text(reverse("web:projector", args=[game.pk])),
        }

    refusals = await in_thread(
        lambda: {
            "alice api GET": alice_browser.get(reasons_api),
            "alice api POST": alice_browser.post(reasons_api, {"picked": [1]}),
        }
    )()
    page_refusals = await in_thread(
        lambda: {
            "alice page GET": alice_browser.page(reasons_page),
            "alice page POST": alice_browser.page(reasons_page, {"picked": ["1"]}),
        }
    )()
    strangers = await in_thread(
        lambda: {"intruder api": intruder.get(reasons_api), "intruder page": intruder.page(reasons_page)}
    )()
    texts |= await in_thread(reads)()
    _, texts["socket snapshot"] = await alice_browser.watch(game.pk)
    _, texts["projector snapshot"] = await the_host.watch(game.pk, "projector")
    texts = {face: text if isinstance(text, str) else json.dumps(text) for face, text in texts.items()}
    hosts = await in_thread(lambda: the_host.api.get(reasons_api).json())()

    assert holding(texts, BOBS_REASON) == []
    assert disagreements(refusals, "not_signed_in") == {}  # a seat holds no login: the host's API asks for one
    assert disagreements(page_refusals, "forbidden") == {}
    assert disagreements(strangers, "not_found") == {}
    assert [row["reason"] for row in hosts] == [BOBS_REASON]
    assert await in_thread(lambda: BOBS_REASON in the_host.page_text(reasons_page))()

    await in_thread(lambda: step(host, secret, "guesses"))()  # revealed, not picked
    unpicked = [await receive_until(screen, "update") for screen in (socket, projector)]
    assert [update["market"]["guesses"]["reasons"] for update in unpicked] == [[], []]
    await in_thread(lambda: the_host.post(reasons_api, {"picked": [hosts[0]["guess_id"]]}))()
    picked = await receive_until(socket, "update")
    shown = await receive_until(projector, "update")
    await socket.disconnect()
    await projector.disconnect()
    for update in (picked, shown):
        assert update["market"]["guesses"]["reasons"] == [{"reason": BOBS_REASON, "nickname": "Bob"}]


# -- private clues: each player's own, no one else's ---------------------------------------------------


@pytest.fixture
def clued(host, game, alice, bob):
    """A market with clues of ±10 % around its answer, drawn from a fixed seed; its question on screen."""
    market = services.add_market(host, game, question="How heavy is the bell?", lo=0, hi=300, answer=Decimal(ANSWER))
    services.set_clues(host, market.pk, noise=10)
    Market.objects.filter(pk=market.pk).update(clue_seed=20260101)
    step(host, market, "question")
    return market


def clue_text(value: Decimal) -> str:
    """What of a clue any face would carry: its first seven significant characters (float or exact)."""
    return format(value.normalize(), "f")[:7]


async def test_a_players_clue_reaches_that_player_alone(
    host, game, clued, alice, bob, alice_bot, alice_browser, the_host
):
    """From the first guesses on, Alice's snapshot holds her own clue; no snapshot, update, API read or page
    of hers holds Bob's, and the projector gets none (a wall every student reads)."""
    m, code = clued.pk, game.join_code
    await in_thread(lambda: step(host, clued, "guess"))()
    clues = await in_thread(lambda: dict(Clue.objects.filter(market_id=m).values_list("player_id", "value")))()
    hers, bobs = clues[alice.pk], clues[bob.pk]
    assert clue_text(hers) != clue_text(bobs)
    socket, snapshot = await alice_browser.watch(game.pk)
    projector, projected = await the_host.watch(game.pk, "projector")
    await in_thread(lambda: (guess(bob, clued, 150, 30), step(host, clued, "guesses"), step(host, clued, "trading")))()
    await in_thread(trade)(bob, clued, 80, "bob-1")

    def api_and_pages() -> dict[str, str]:
        reads = {
            "api GET market": f"/api/markets/{m}",
            "api GET clue": f"/api/markets/{m}/clue",
            "api GET trades": f"/api/markets/{m}/trades",
            "api GET leaderboard": f"/api/markets/{m}/leaderboard",
            "api game": f"/api/games/{code}",
        }
        texts = {face: alice_bot.api.get(url).content.decode() for face, url in reads.items()}
        texts["api (browser) GET clue"] = alice_browser.api.get(f"/api/markets/{m}/clue").content.decode()
        texts["play page"] = alice_browser.page_text(reverse("web:play", args=[game.pk]))
        texts["projector page"] = the_host.page_text(reverse("web:projector", args=[game.pk]))
        return texts

    texts = await in_thread(api_and_pages)()
    texts["socket snapshot"] = json.dumps(snapshot)
    texts["socket update"] = json.dumps(await receive_until(socket, "update"))
    texts["projector snapshot"] = json.dumps(projected)
    texts["projector update"] = json.dumps(await receive_until(projector, "update"))
    await socket.disconnect()
    await projector.disconnect()

    assert holding(texts, clue_text(bobs)) == []
    assert holding(texts, clue_text(hers)) == ["api (browser) GET clue", "api GET clue", "socket snapshot"]
    assert snapshot["clues"] == {str(m): float(hers)}
    assert projected["clues"] == {}
    assert snapshot["markets"][-1]["clues"] == {"noise": 10, "kind": "percent"}  # the noise is no secret
