"""A game served the way README's "Scaling out" says: https:// on the kit's nginx (and Caddy), two Daphne
processes under the kit's supervisord, PostgreSQL and Redis. What a school's admin relies on, asked through the
proxy."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import ssl
import subprocess
import sys
import time
from urllib.parse import urlsplit

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from tests.conftest import require_program

from . import kit
from .conftest import answers, stop, wait_for
from .kit import ROOT
from .phones import ACKED, Phone, frame_of, seats_script, trade_until

pytestmark = [pytest.mark.deploy, pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis, pytest.mark.timeout(600)]


def test_plain_http_is_sent_to_https(proxied):
    answer = httpx.get(f"http://127.0.0.1:{proxied.http_port}/join/?code=AB", timeout=10)

    assert answer.status_code == 301
    assert answer.headers["Location"] == f"{proxied.origin}/join/?code=AB"


def test_pages_come_over_tls_with_hsts_and_static_files_from_nginx(proxied):
    (proxied.static / "kit-probe.txt").write_text("served from disk by nginx")  # after Daphne started: not its
    with proxied.client() as client:
        page = client.get("/")
        probe = client.get("/static/kit-probe.txt")
        collected = client.get("/static/js/store.js")

    assert page.status_code == 200
    assert "max-age=" in page.headers["Strict-Transport-Security"]
    assert (probe.status_code, probe.text) == (200, "served from disk by nginx")
    assert collected.status_code == 200 and "javascript" in collected.headers["Content-Type"]


def test_a_body_over_the_apps_bound_is_refused_by_nginx(proxied):
    with proxied.client() as client:
        answer = client.post("/api/games/ABCDEF/join", content=b"x" * (1024 * 1024 + 1))

    assert answer.status_code == 413
    assert "nginx" in answer.text  # refused in front, before a Daphne process read any of it


def test_healthz_turns_unhealthy_when_the_database_stops_and_healthy_when_it_returns(proxied):
    with proxied.client() as client:
        assert client.get("/healthz").json()["checks"] == {"database": "ok", "redis": "ok", "migrations": "ok"}
        proxied.relay.stop()
        try:
            down = wait_for(lambda: (a := client.get("/healthz")).status_code == 503 and a, 20, "503")
            assert down.json()["checks"]["database"] == "unreachable"
            for port in proxied.ports:  # each process says so, whichever nginx asked
                assert proxied.health(port)["checks"]["database"] == "unreachable"
        finally:
            proxied.relay.start()
        wait_for(lambda: client.get("/healthz").status_code == 200, 20, "healthy again")
    proxied.healthy()


# -- a round, and what must hold through the proxy ---------------------------------------------------


MAKE_HOST = """
from django.contrib.auth import get_user_model
get_user_model().objects.create_user(username="{name}", password="correct horse battery")
"""


GAME = """
from django.contrib.auth import get_user_model
from mmgame import services
host = get_user_model().objects.create_user(username="{name}", password="correct horse battery")
print(json.dumps(services.create_game(host, "Joins").join_code))
"""


def sign_in(client, username: str, password: str, origin: str):
    client.get("/accounts/login/")
    token = client.cookies["csrftoken"]
    return client.post(
        "/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        headers={"Origin": origin, "Referer": f"{origin}/accounts/login/"},
    )


async def test_a_round_through_https_with_csrf_origin_and_secure_cookies(proxied):
    proxied.run(MAKE_HOST.format(name="round"))
    origin = proxied.origin
    with proxied.client() as host, proxied.client() as phone:
        signed_in = sign_in(host, "round", "correct horse battery", origin)
        assert signed_in.status_code == 302 and signed_in.headers["Location"] == "/host/"
        cookies = signed_in.headers.get_list("Set-Cookie")
        assert any(c.startswith("sessionid=") and "Secure" in c and "HttpOnly" in c for c in cookies), cookies
        api = {"X-CSRFToken": host.cookies["csrftoken"], "Origin": origin, "Referer": f"{origin}/host/"}

        # CSRF holds: the session cookie alone creates nothing, nor does a token from another origin
        assert host.post("/api/games", json={"title": "Forged"}).status_code == 403
        elsewhere = {**api, "Origin": "https://evil.example.org", "Referer": "https://evil.example.org/"}
        assert host.post("/api/games", json={"title": "Forged"}, headers=elsewhere).status_code == 403

        game = host.post("/api/games", json={"title": "Through nginx"}, headers=api).json()
        market = host.post(
            f"/api/games/{game['join_code']}/markets",
            json={"question": "Beans?", "lo": 0, "hi": 300, "first_guess": False},
            headers=api,
        ).json()
        assert host.post(f"/api/markets/{market['id']}/open", headers=api).status_code == 200
        token = phone.get("/api/csrf").json()["csrf_token"]  # as the join page does: the seat goes in its session
        joined = {"X-CSRFToken": token, "Origin": origin, "Referer": f"{origin}/join/"}
        seat = phone.post(f"/api/games/{game['join_code']}/join", json={"nickname": "Phone"}, headers=joined)
        assert seat.status_code == 201 and seat.json()["session"]
        cookies = seat.headers.get_list("Set-Cookie")
        assert any(c.startswith("sessionid=") and "Secure" in c for c in cookies), cookies

        screens = f"{proxied.ws_origin}/ws/games/{game['id']}"
        phone_cookie = f"sessionid={phone.cookies['sessionid']}"
        host_cookie = f"sessionid={host.cookies['sessionid']}"
        # The socket's origin check holds through the proxy: another site, or http:// for this one, is refused
        for stranger in ("https://evil.example.org", f"http://127.0.0.1:{proxied.https_port}"):
            with pytest.raises(InvalidStatus) as refused:
                async with connect(f"{screens}/player/", ssl=proxied.ssl(), origin=stranger,
                                   additional_headers={"Cookie": phone_cookie}):  # fmt: skip
                    pass
            assert refused.value.response.status_code == 403

        async with (
            connect(f"{screens}/player/", ssl=proxied.ssl(), origin=origin,
                    additional_headers={"Cookie": phone_cookie}) as player,
            connect(f"{screens}/projector/", ssl=proxied.ssl(), origin=origin,
                    additional_headers={"Cookie": host_cookie}) as projector,
        ):  # fmt: skip
            await frame_of(player, "snapshot", 20)
            await frame_of(projector, "snapshot", 20)
            order = {"kind": "target", "mean": 150, "sd": 40}
            await player.send(json.dumps({"type": "trade", "request_id": "t1", "market_id": market["id"],
                                          "order": order, "idempotency_key": "t1"}))  # fmt: skip
            traded = await frame_of(player, "trade_result", 20, request_id="t1")
            assert traded["type"] == "trade_result", traded
            update = await frame_of(projector, "update", 20)
            assert update["sequence"] == traded["trade"]["sequence"]

            assert host.post(f"/api/markets/{market['id']}/close", headers=api).status_code == 200
            resolved = host.post(f"/api/markets/{market['id']}/resolve", json={"outcome": 140}, headers=api)
            assert resolved.status_code == 200, resolved.text
        # nginx's log says which Daphne process served each socket, once it closed
        sockets = f'"GET /ws/games/{game["id"]}/projector/ HTTP/1.1" 101 '
        log = proxied.work / "mmgame.access.log"
        line = wait_for(lambda: next((x for x in log.read_text().splitlines() if sockets in x), None), 20, "log")
        assert re.search(rf"upstream=127\.0\.0\.1:({proxied.ports[0]}|{proxied.ports[1]}) ", line), line
        position = phone.get(f"/api/markets/{market['id']}/position").json()
        assert position["payout"] is not None and position["payout"] > position["budget"]  # 150 ± 40 beat 150 ± 75


def test_a_client_forging_forwarded_headers_gains_nothing(proxied):
    """Joins are counted per real address (3 in these settings), whatever X-Forwarded-For says;
    a forged X-Forwarded-Proto neither breaks HTTPS nor passes for it."""
    code = proxied.run(GAME.format(name="forger"))
    with proxied.client("127.0.0.7") as forger, proxied.client("127.0.0.8") as classmate:
        answers = [
            forger.post(f"/api/games/{code}/join", json={"nickname": f"Sock {i}"},
                        headers={"X-Forwarded-For": f"203.0.113.{i}", "X-Forwarded-Proto": "http"}).status_code
            for i in range(5)
        ]  # fmt: skip
        assert answers == [201, 201, 201, 429, 429]
        assert classmate.post(f"/api/games/{code}/join", json={"nickname": "Real"}).status_code == 201
        # http claimed on a request that came over TLS: still served as HTTPS (no redirect, secure cookie)
        page = forger.get("/accounts/login/", headers={"X-Forwarded-Proto": "http"})
        assert page.status_code == 200 and "Secure" in page.headers["Set-Cookie"]
    with httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.9")) as plain:
        claimed = plain.get(f"http://127.0.0.1:{proxied.http_port}/accounts/login/",
                            headers={"X-Forwarded-Proto": "https"})  # fmt: skip
        assert claimed.status_code == 301  # plain HTTP claiming to be HTTPS is still sent to HTTPS


def test_sign_in_throttling_counts_the_real_address_not_the_claimed_one(proxied):
    proxied.run(MAKE_HOST.format(name="teacher"))
    with proxied.client("127.0.0.10") as guesser, proxied.client("127.0.0.11") as teacher:
        answers = []
        for i in range(5):  # each wrong password claims another address
            guesser.headers["X-Forwarded-For"] = f"198.51.100.{i}"
            answers.append(sign_in(guesser, "teacher", f"wrong {i}", proxied.origin).status_code)
        assert answers == [200, 200, 200, 200, 429]  # the form again four times; the fifth starts the wait
        guesser.headers["X-Forwarded-For"] = "198.51.100.99"
        assert sign_in(guesser, "teacher", "correct horse battery", proxied.origin).status_code == 429
        assert sign_in(teacher, "teacher", "correct horse battery", proxied.origin).status_code == 302


# -- a Daphne process killed, and both restarted, mid-trading ---------------------------------------


def seats(proxied, name: str) -> dict:
    setup = proxied.run(seats_script(name))
    setup["cookies"].pop("host")
    return setup


async def trading_through(proxied, setup: dict, during) -> list[Phone]:
    """Four phones trade while `during()` (a blocking call, run in a thread) disturbs the processes."""
    phones = [Phone(name, cookie, offset=i / 4) for i, (name, cookie) in enumerate(setup["cookies"].items())]
    stop = asyncio.Event()
    tasks = [asyncio.create_task(trade_until(proxied, setup, phone, stop)) for phone in phones]

    async def each_acked(more: int, before: dict) -> None:
        deadline = time.monotonic() + 60
        while any(len(p.acked) < before.get(p.name, 0) + more for p in phones) and time.monotonic() < deadline:
            await asyncio.sleep(0.1)

    await each_acked(2, {})  # every phone is trading
    await asyncio.to_thread(during)
    await each_acked(3, {phone.name: len(phone.acked) for phone in phones})  # and trades again after
    stop.set()
    await asyncio.wait_for(asyncio.gather(*tasks), 60)
    measured = {p.name: {"acked": len(p.acked), "outages": [round(o, 2) for o in p.outages]} for p in phones}
    (proxied.work / f"phones-{setup['game']}.json").write_text(json.dumps(measured))
    return phones


def nothing_acknowledged_was_lost(proxied, setup: dict, phones: list[Phone]) -> None:
    stored = proxied.run(ACKED.replace("MARKET", str(setup["market"])))
    acked = sorted([phone.name, key] for phone in phones for key in phone.acked)
    assert acked and set(map(tuple, acked)) <= set(map(tuple, stored["keys"]))
    assert not [error for phone in phones for error in phone.errors]
    sequences = sorted(s for phone in phones for s in phone.acked.values())
    assert len(set(sequences)) == len(sequences)  # one trade each, however often it was sent
    assert stored["sequence"] == stored["trades"] + 1  # the market's sequence counts its trades after the open


async def test_kill_9_one_process_mid_trading_loses_no_acknowledged_trade(proxied):
    setup = seats(proxied, "kill")
    killed: list[int] = []

    def kill_one_serving_phones() -> None:
        """The process whose log shows a phone's socket of this game (Daphne logs each WSCONNECT)."""
        path = f'"WSCONNECT /ws/games/{setup["game"]}/player/"'
        port = next(p for p in proxied.ports if path in (proxied.work / "log" / f"daphne-{p}.log").read_text())
        killed.append(int(proxied.supervisorctl("pid", f"mmgame:mmgame-{port}")))
        os.kill(killed[0], signal.SIGKILL)

    phones = await trading_through(proxied, setup, kill_one_serving_phones)

    nothing_acknowledged_was_lost(proxied, setup, phones)
    outages = [o for phone in phones for o in phone.outages]
    assert outages and max(outages) < 10, outages  # the phones on the killed process came back, via the other
    assert killed[0] not in proxied.healthy()  # supervisord started a new one


async def test_a_rolling_restart_mid_trading_loses_no_acknowledged_trade(proxied):
    setup = seats(proxied, "roll")
    before = proxied.healthy()
    restart = (
        f"{sys.executable} -m supervisor.supervisorctl -c {proxied.supervisor_conf} restart mmgame:mmgame-{{port}}"
    )

    def roll() -> None:
        done = subprocess.run(
            [sys.executable, str(ROOT / "deploy" / "rolling-restart"), "--host", "127.0.0.1", "--restart", restart,
             *map(str, proxied.ports)],
            capture_output=True, text=True, timeout=240,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
        assert done.stdout.count("healthy again") == 2

    phones = await trading_through(proxied, setup, roll)

    nothing_acknowledged_was_lost(proxied, setup, phones)
    after = proxied.healthy()
    assert not set(before) & set(after)  # both processes are new
    assert max(o for phone in phones for o in phone.outages or [0]) < 10


# -- backups ---------------------------------------------------------------------------------------


def test_a_backup_made_with_pg_dump_restores_with_pg_restore(proxied, tmp_path):
    """README's backup and restore commands, on the kit's database after the rounds above (or none)."""
    pg_dump, pg_restore = require_program("pg_dump"), require_program("pg_restore")
    import psycopg

    from tests.conftest import POSTGRES_ADMIN_URL

    live = urlsplit(POSTGRES_ADMIN_URL)._replace(path=urlsplit(proxied.env["DATABASE_URL"]).path).geturl()
    copy = urlsplit(POSTGRES_ADMIN_URL)._replace(path=f"/mmgame_restored_{os.getpid()}").geturl()
    tables = ("auth_user", "mmgame_game", "mmgame_market", "mmgame_trade", "mmgame_position", "django_migrations")

    def counts(url: str) -> dict:
        with psycopg.connect(url) as db:
            return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}

    proxied.run(MAKE_HOST.format(name="backed_up"))
    dump = tmp_path / "mmgame.dump"
    subprocess.run([pg_dump, "-Fc", "-f", str(dump), "-d", live], check=True, timeout=120)
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{urlsplit(copy).path[1:]}"')
    try:
        subprocess.run([pg_restore, "--no-owner", "-d", copy, str(dump)], check=True, timeout=120)
        assert counts(copy) == counts(live) and counts(copy)["auth_user"] >= 1
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{urlsplit(copy).path[1:]}" WITH (FORCE)')


# -- the same with Caddy ---------------------------------------------------------------------------


def test_caddy_with_the_kits_caddyfile_serves_the_game_over_tls(daphnes):
    """Caddy's own certificate authority (`tls internal`) stands in for Let's Encrypt, out of reach here."""
    caddy = require_program("caddy")
    work = daphnes.work / "caddy-run"
    work.mkdir()
    http_port, https_port = kit.free_port(), kit.free_port()
    path = work / "Caddyfile"
    path.write_text(kit.caddyfile(work=work, ports=daphnes.ports, http_port=http_port, https_port=https_port,
                                  static=daphnes.static))  # fmt: skip
    env = {"HOME": str(work), "XDG_DATA_HOME": str(work), "XDG_CONFIG_HOME": str(work), "PATH": "/usr/bin:/bin"}
    (daphnes.static / "caddy-probe.txt").write_text("from disk, by Caddy")
    process = subprocess.Popen([caddy, "run", "--config", str(path), "--adapter", "caddyfile"], env=env,
                               stdout=(work / "caddy.log").open("w"), stderr=subprocess.STDOUT)  # fmt: skip
    try:
        root = work / "caddy" / "pki" / "authorities" / "local" / "root.crt"
        wait_for(root.exists, 30, "Caddy's local certificate authority")
        origin = f"https://127.0.0.1:{https_port}"

        def client(source: str) -> httpx.Client:
            transport = httpx.HTTPTransport(verify=ssl.create_default_context(cafile=str(root)), local_address=source)
            return httpx.Client(base_url=origin, transport=transport, timeout=30)

        with client("127.0.0.12") as forger, client("127.0.0.13") as classmate:
            wait_for(lambda: answers(forger, "/healthz") == 200, 30, "Caddy serving /healthz")
            assert forger.get("/static/caddy-probe.txt").text == "from disk, by Caddy"
            code = daphnes.run(GAME.format(name="caddy"))
            joins = [
                forger.post(f"/api/games/{code}/join", json={"nickname": f"Sock {i}"},
                            headers={"X-Forwarded-For": f"203.0.113.{i}"}).status_code
                for i in range(4)
            ]  # fmt: skip
            assert joins == [201, 201, 201, 429]  # the real address is counted
            assert classmate.post(f"/api/games/{code}/join", json={"nickname": "Real"}).status_code == 201
        redirect = httpx.get(f"http://127.0.0.1:{http_port}/join/", timeout=10)
        assert redirect.status_code in (301, 308) and redirect.headers["Location"].startswith("https://")
    finally:
        stop(process)


# -- a phone in Chromium -----------------------------------------------------------------------------

OPEN_GAME = """
from django.contrib.auth import get_user_model
from mmgame import services
host = get_user_model().objects.create_user(username="{name}", password="correct horse battery")
game = services.create_game(host, "Chromium")
market = services.add_market(host, game, question="Beans?", lo=0, hi=1000, integer=True, first_guess=False)
services.open_market(host, market.pk)
print(json.dumps(game.join_code))
"""


@pytest.mark.browser
def test_a_phone_in_chromium_joins_and_trades_through_https_on_the_proxy(proxied):
    """The pages' own scripts through nginx: the join form (CSRF), the socket (wss://, same origin), a trade."""
    from playwright.sync_api import expect, sync_playwright

    from tests.web.browser import CHROMIUM, CHROMIUM_ARGS, PHONE

    code = proxied.run(OPEN_GAME.format(name="chromium"))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport=PHONE, ignore_https_errors=True).new_page()
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(f"{proxied.origin}/join/{code}/")
            page.get_by_label("Nickname").fill("Pixel")
            page.get_by_role("button", name="Join").click()
            expect(page.locator("[data-bind=connection]")).to_have_attribute("data-state", "live", timeout=60_000)
            page.get_by_label("Middle", exact=True).fill("400")
            page.get_by_label("Give or take", exact=True).fill("100")
            expect(page.locator("[data-bind=pnl]")).to_contain_text("If it's", timeout=60_000)
            page.locator("[data-bind=confirm]").click()
            expect(page.locator("[data-bind=result]")).to_contain_text("Done", timeout=60_000)
            cookies = {c["name"]: c for c in page.context.cookies()}
            assert cookies["sessionid"]["secure"] and cookies["csrftoken"]["secure"]
            assert errors == []
        finally:
            browser.close()
    traded = proxied.run(
        "from mmgame.models import Trade\nprint(json.dumps(Trade.objects.filter(player__nickname='Pixel').count()))"
    )
    assert traded == 1
