"""The benchmark: one market, N screens and K traders against mmgame and three baselines; one JSON report.

For each server — mmgame (Daphne, embedded SQLite + in-memory layer by default; `--multi` for two Daphne
processes on PostgreSQL + Redis), the bare `websockets` broadcast (reference), a bare ASGI broadcast on
Daphne (daphne: what Daphne itself costs per frame) and the stock Channels `group_send` consumer
(stock) — it starts the server, connects the screens and traders from a separate load process
(benchmarks/load.py), trades for a while, waits for every screen to show the final state, and measures:

- trades settled per second, and trade acknowledgement latency p50/p99 (send → trade_result);
- screen staleness p50/p99: from a trade's commit (its `created_at`) until every screen shows that
  sequence or a newer one;
- server CPU per delivered message (user + system time of the server processes from /proc, over the
  trading and settling window, divided by the frames the clients received in it);
- server memory per socket (RSS after connecting − RSS before, over the sockets);
- messages lost: screens whose final state differs from the database's (must be 0).

The baselines cannot fan out every trade to 1,000 screens at 200 trades/s (that is 200,000 frames/s), so
by default they trade at a rate their fan-out can carry (`--reference-rate`, `--stock-rate`); CPU per
delivered message is a per-message cost and compares across rates.

    python -m benchmarks.run --screens 1000 --traders 20 --rate 200 --duration 10
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

from websockets.sync.client import connect

from . import proxy
from .profile import Profiler
from .servers import REPO, Server, cpu_seconds, daphne_server, free_port, python, reference_server, rss_bytes

POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS_BENCH_URL = "redis://127.0.0.1:6379/14"
DEFAULT_TARGETS = ("mmgame", "reference", "daphne", "stock")
TARGETS = (*DEFAULT_TARGETS, "two-games")  # two-games runs only when asked: it is two mmgame runs
PROBES = 40  # sockets the two-games target opens one after another on the quiet game, timing each snapshot


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def ms(value: float | None) -> float | None:
    return None if value is None else round(value * 1000, 3)


class Load:
    """One load process (benchmarks/load.py) and its line protocol."""

    def __init__(self, config: dict, log_dir: Path, index: int) -> None:
        self.stderr = (log_dir / f"load-{index}.log").open("w")
        self.process = subprocess.Popen(
            python("-m", "benchmarks.load"),
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            text=True,
        )
        self.send(config)

    def send(self, body: dict) -> None:
        self.process.stdin.write(json.dumps(body) + "\n")
        self.process.stdin.flush()

    def expect(self, event: str) -> dict:
        line = self.process.stdout.readline()
        if not line:
            self.process.wait(timeout=10)
            self.stderr.flush()
            tail = Path(self.stderr.name).read_text(errors="replace")[-1500:]
            raise RuntimeError(f"the load process exited before {event!r}: {tail}")
        body = json.loads(line)
        if body.get("event") != event:
            raise RuntimeError(f"expected {event!r} from the load process, got {body.get('event')!r}")
        return body

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.send({"cmd": "close"})
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.stderr.close()


class Deployment:
    """The servers of one target and how to reach them: socket specs for the screens and traders,
    and the final state to compare the screens against."""

    def __init__(
        self, target: str, args: argparse.Namespace, work: Path, *, noisy: bool = False, probes: int = 0
    ) -> None:
        self.target, self.args, self.work, self.probes = target, args, work, probes
        self.noisy = noisy  # a second, noisy game on the same server (the two-games target)
        self.noisy_game: dict = {}
        # Only the run's own database and channel layer: never one set in the caller's environment.
        self.env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "SQLITE_PATH")}
        self.env.update(PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
        self.env.update(LOG_LEVEL="ERROR")
        self.servers: list[Server] = []
        self.cleanups: list = []
        self.market: dict = {"market_id": 1}
        # `--proxy`: the kit's nginx in front of mmgame's processes; the screens and traders go through it.
        self.proxied = target == "mmgame" and args.proxy
        self.nginx: subprocess.Popen | None = None
        self.https_port = self.http_port = 0

    # -- mmgame's database and channel layer ---------------------------------------------------
    def database(self) -> None:
        self.env.update(DEBUG="false", SECRET_KEY=secrets.token_urlsafe(32), SECURE_SSL_REDIRECT="false")
        if self.args.multi:
            import psycopg

            name = f"mmgame_bench_{uuid.uuid4().hex[:10]}"
            with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{name}"')

            def drop() -> None:
                with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

            self.cleanups.append(drop)
            self.env["DATABASE_URL"] = urlsplit(POSTGRES_ADMIN_URL)._replace(path=f"/{name}").geturl()
            self.env["REDIS_URL"] = REDIS_BENCH_URL
            self.flush_redis()
            self.cleanups.append(self.flush_redis)
            if self.proxied:
                self.https_port, self.http_port = free_port(), free_port()
                self.env.update(proxy.proxied_settings(self.https_port))
        else:
            self.env["SQLITE_PATH"] = str(self.work / f"bench-{uuid.uuid4().hex[:10]}.sqlite3")  # one per run

    @staticmethod
    def flush_redis() -> None:
        import redis

        client = redis.Redis.from_url(REDIS_BENCH_URL)
        client.flushdb()
        client.close()

    def fixture(self, *args: str) -> dict:
        done = subprocess.run(
            python("-m", "benchmarks.mmgame_fixture", *args),
            cwd=REPO,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if done.returncode:
            raise RuntimeError(f"mmgame_fixture {args[0]} failed: {done.stderr[-2000:]}")
        return json.loads(done.stdout.splitlines()[-1])

    # -- servers --------------------------------------------------------------------------------
    def start(self) -> tuple[list[dict], list[dict]]:
        a = self.args
        if self.target == "mmgame":
            self.database()
            self.market = self.fixture("setup", str(a.screens), str(a.traders), str(self.probes))
            if self.noisy:
                self.noisy_game = self.fixture("noisy", str(a.noisy_markets), str(a.noisy_bots), str(a.noisy_screens))
            count = 2 if a.multi else 1
            self.servers = [daphne_server(f"mmgame-{i}", a.application, self.env) for i in range(count)]
        elif self.target == "reference":
            self.servers = [reference_server(self.env)]
        elif self.target == "daphne":
            self.servers = [daphne_server("daphne", "benchmarks.daphne_floor:application", self.env)]
        else:
            self.servers = [daphne_server("stock", "benchmarks.stock_app:application", self.env)]
        for server in self.servers:
            server.start(self.work)
        screens = [self.spec(i, "screens") for i in range(a.screens)]
        traders = [self.spec(i, "traders") for i in range(a.traders)]
        for i, server in enumerate(self.servers):
            probe = (screens + traders)[i]
            if self.proxied:  # each process asked directly, as the proxy will ask it
                probe = {**probe, **self.endpoint(i, self.market["game_id"], direct=True)}
            server.wait_ready(
                probe["url"], {"Cookie": probe["cookie"]} if probe.get("cookie") else None, probe.get("origin")
            )
        if self.proxied:
            self.start_proxy(screens[0] if screens else traders[0])
        return screens, traders

    def start_proxy(self, probe: dict) -> None:
        """The kit's nginx (benchmarks/proxy.py) in front of the two processes, until a socket opens through it."""
        if len(self.servers) != 2:
            raise RuntimeError("--proxy renders the kit's upstream of two processes: it needs --multi")
        static = self.work / "static"
        static.mkdir(exist_ok=True)
        cert, key = proxy.certificate(self.work)
        conf = proxy.render(
            work=self.work,
            ports=(self.servers[0].port, self.servers[1].port),
            http_port=self.http_port,
            https_port=self.https_port,
            cert=cert,
            key=key,
            static=static,
        )
        self.nginx = proxy.start(proxy.NGINX, conf, self.work)
        try:
            proxy.wait_listening(self.https_port, self.nginx)
            self.servers[0].wait_ready(
                probe["url"], {"Cookie": probe["cookie"]}, probe["origin"], tls=proxy.client_context(cert)
            )
        except RuntimeError as error:
            log = self.work / "error.log"
            raise RuntimeError(f"{error}: {log.read_text()[-1500:] if log.exists() else ''}") from None

    def endpoint(self, i: int, game_id: int, *, direct: bool = False) -> dict:
        """Where socket `i` of a game connects: the proxy (wss://, trusting its certificate), or a process."""
        if self.proxied and not direct:
            base = f"127.0.0.1:{self.https_port}"
            return {
                "url": f"wss://{base}/ws/games/{game_id}/player/",
                "origin": f"https://{base}",
                "cafile": str(self.work / "cert.pem"),
            }
        base = f"127.0.0.1:{self.servers[i % len(self.servers)].port}"
        return {"url": f"ws://{base}/ws/games/{game_id}/player/", "origin": f"http://{base}"}

    def spec(self, i: int, kind: str) -> dict:
        if self.target != "mmgame":
            return {"url": f"ws://127.0.0.1:{self.servers[i % len(self.servers)].port}/ws/market/"}
        return {**self.endpoint(i, self.market["game_id"]), "cookie": self.market[kind][i]}

    def noisy_specs(self) -> list[dict]:
        """The noisy game's screens: they load the server and are not waited for (benchmarks/load.py)."""
        return [
            {**self.endpoint(i, self.noisy_game["game_id"]), "cookie": cookie, "other_game": True}
            for i, cookie in enumerate(self.noisy_game.get("screens", []))
        ]

    def final_state(self) -> dict:
        """The market as the source of truth has it: mmgame's database, or the baseline's own book."""
        if self.target == "mmgame":
            return self.fixture("final", str(self.market["market_id"]))
        with connect(f"ws://127.0.0.1:{self.servers[0].port}/ws/market/", compression=None) as ws:
            market = json.loads(ws.recv(timeout=30))["markets"][0]
        return {"sequence": market["sequence"], "mean": market["mean"], "sd": market["sd"]}

    def profile(self, phase: str) -> list[Profiler]:
        """py-spy on each server process for one phase of the run (benchmarks/profile.py)."""
        return [Profiler(s.process.pid, self.work / f"profile-{s.name}-{phase}.txt") for s in self.servers]

    def cpu(self) -> float:
        return sum(cpu_seconds(s.process.pid) for s in self.servers)

    def rss(self) -> int:
        return sum(rss_bytes(s.process.pid) for s in self.servers)

    def proxy_pids(self) -> list[int]:
        """nginx's master and workers (the workers carry the connections: nearly all its CPU)."""
        return [self.nginx.pid, *proxy.workers(self.nginx.pid)] if self.nginx else []

    def proxy_cpu(self) -> float:
        return sum(cpu_seconds(pid) for pid in self.proxy_pids())

    def proxy_rss(self) -> int:
        return sum(rss_bytes(pid) for pid in self.proxy_pids())

    def stop(self) -> None:
        if self.nginx is not None:
            proxy.stop(self.nginx)
        for server in self.servers:
            server.stop()
        for cleanup in reversed(self.cleanups):
            with contextlib.suppress(Exception):
                cleanup()


def probe_snapshots(deployment: Deployment, until: float) -> list[float]:
    """Open the quiet game's probe seats one after another until `until`, each timed from the handshake's
    start to its snapshot: how long a phone that connects (or reloads) waits for the game."""
    taken: list[float] = []
    for i, cookie in enumerate(deployment.market.get("probes", [])):
        if time.time() >= until:
            break
        spec = {**deployment.spec(i, "screens"), "cookie": cookie}
        started = time.time()
        try:
            headers = {"Cookie": cookie}
            tls = proxy.client_context(spec["cafile"]) if spec.get("cafile") else None
            with connect(
                spec["url"], additional_headers=headers, origin=spec["origin"], compression=None, ssl=tls
            ) as ws:
                while json.loads(ws.recv(timeout=30)).get("type") != "snapshot":
                    pass
            taken.append(time.time() - started)
        except Exception:
            taken.append(float("inf"))  # counted as never: the percentiles show it
        time.sleep(0.2)
    return taken


def run_target(
    target: str, rate: float, args: argparse.Namespace, work: Path, *, noisy: bool = False, probes: int = 0
) -> dict:
    """One full run against one server: connect, trade, settle, measure. With `noisy`, a second game on
    the same server makes noise meanwhile, and `probes` phones connect one after another while the traders
    trade, each timing its snapshot (the two-games target)."""
    deployment = Deployment(target, args, work, noisy=noisy, probes=probes)
    loads: list[Load] = []
    taken: list[float] = []
    try:
        screens, traders = deployment.start()
        time.sleep(0.5)
        rss_before, proxy_rss_before = deployment.rss(), deployment.proxy_rss()
        profilers = deployment.profile("connect") if args.profile else []
        shares = [screens[i :: args.load_processes] for i in range(args.load_processes)]
        common = {"market_id": deployment.market["market_id"]}
        # The traders get a process of their own, so that reading the screens' frames never delays a trade.
        noise = deployment.noisy_specs()
        for i, part in enumerate([[], *shares, *([noise] if noise else [])]):
            config = {**common, "screens": part, "traders": [] if i else traders, "rate": rate, "seed": i + 1}
            loads.append(Load(config, work, len(loads)))
        ready = [load.expect("ready") for load in loads]
        connected = sum(r["connected"] for r in ready)
        time.sleep(1.0)  # let the connection burst's garbage settle before measuring memory
        rss_after, proxy_rss_after = deployment.rss(), deployment.proxy_rss()
        profiles = {"connect": [p.stop() for p in profilers]}
        profilers = deployment.profile("trading") if args.profile else []
        cpu_before, proxy_cpu_before, wall_before = deployment.cpu(), deployment.proxy_cpu(), time.time()
        for load in loads:
            load.send({"cmd": "go", "duration": args.duration})
        if target == "mmgame" and deployment.market.get("probes"):
            taken = probe_snapshots(deployment, time.time() + args.duration)
        traded = [load.expect("traded") for load in loads]
        final = deployment.final_state()
        commits = {int(seq): t for body in traded for seq, t in body["commits"].items()}
        first = min(commits, default=final["sequence"])
        for load in loads:
            load.send(
                {
                    "cmd": "settle",
                    "sequence": final["sequence"],
                    "first_sequence": first,
                    "timeout": args.settle_timeout,
                }
            )
        settled = [load.expect("settled") for load in loads]
        cpu = deployment.cpu() - cpu_before
        proxy_cpu = deployment.proxy_cpu() - proxy_cpu_before
        proxy_workers = len(deployment.proxy_pids()) - 1
        wall = time.time() - wall_before
        profiles["trading"] = [p.stop() for p in profilers]
        alive = all(s.process.poll() is None for s in deployment.servers)
    finally:
        for load in loads:
            load.close()
        deployment.stop()

    latencies = [x for body in traded for x in body["latencies"]]
    watching = [body["seen"] for body in settled if body["finals"]]
    seen = [None if None in column else max(column) for column in zip(*watching, strict=True)]
    staleness = [seen[seq - first] - t for seq, t in commits.items() if seq - first < len(seen) and seen[seq - first]]
    finals = [f for body in settled for f in body["finals"]]
    lost = sum(1 for seq, mean, sd in finals if (seq, mean, sd) != (final["sequence"], final["mean"], final["sd"]))
    frames = sum(body["frames"] for body in settled)
    sockets = args.screens + args.traders
    # Trades are sent only within the trading window (--duration): a server that keeps up settles rate × duration
    # of them. (Dividing by the window plus the last answer's latency made 200 trades/s unreachable at --rate 200.)
    duration = args.duration
    return (
        {
            "rate_asked": rate,
            "screens_connected": connected - len(traders),
            "connect_failures": [f for r in ready for f in r["failures"]],
            "connect_seconds": round(max(r["connect_seconds"] for r in ready), 2),
            "trades_settled": len(commits),
            "trades_settled_per_s": round(len(commits) / duration, 2) if duration > 0 else None,
            "trades_refused": {k: v for body in traded for k, v in body["refused"].items()},
            "trade_timeouts": sum(body["timeouts"] for body in traded),
            "ack_latency_ms": {"p50": ms(percentile(latencies, 50)), "p99": ms(percentile(latencies, 99))},
            "staleness_ms": {
                "p50": ms(percentile(staleness, 50)),
                "p99": ms(percentile(staleness, 99)),
                "max": ms(max(staleness, default=None)),
                "sequences_measured": len(staleness),
            },
            "delivered_messages": frames,
            "delivered_by_type": merge_tallies(body.get("frame_types", {}) for body in settled),
            "server_cpu_s": round(cpu, 3),
            "server_cpu_share": round(cpu / wall, 3) if wall else None,
            "server_cpu_us_per_delivered_message": round(cpu * 1e6 / frames, 2) if frames else None,
            "server_cpu_us_per_trade_per_screen": round(cpu * 1e6 / (len(commits) * args.screens), 2)
            if commits and args.screens
            else None,
            "server_cpu_ms_per_trade": round(cpu * 1e3 / len(commits), 3) if commits else None,
            "server_memory_per_socket_kb": round((rss_after - rss_before) / sockets / 1024, 2),
            "lost": lost,
            # The load's own faults (a screen that crashed reads as lost): a figure beside them is not to be trusted.
            "load_errors": merge_counts(body.get("load_errors", {}) for body in settled),
            "screens_resynced_by_snapshot": sum(body["snapshots"] for body in settled),
            "gaps_seen": sum(body["gaps"] for body in settled),
            "settle_wait_s": round(max(body["waited"] for body in settled), 3),
            "final_sequence": final["sequence"],
            "server_survived": alive,
        }
        | (
            {
                "snapshot_ms": {
                    "p50": ms(percentile(taken, 50)),
                    "p99": ms(percentile(taken, 99)),
                    "probes": len(taken),
                },
                "noisy_game": {k: v for k, v in deployment.noisy_game.items() if k != "screens"} if noisy else None,
            }
            if probes
            else {}
        )
        | (
            {
                # The proxy's own CPU, beside the servers' (server_cpu_*): nginx's master and workers.
                "proxy": "nginx",
                "proxy_workers": proxy_workers,
                "proxy_cpu_s": round(proxy_cpu, 3),
                "proxy_cpu_share": round(proxy_cpu / wall, 3) if wall else None,
                "proxy_cpu_us_per_delivered_message": round(proxy_cpu * 1e6 / frames, 2) if frames else None,
                "proxy_memory_per_socket_kb": round((proxy_rss_after - proxy_rss_before) / sockets / 1024, 2),
            }
            if deployment.proxied
            else {}
        )
        | ({"profile": profiles} if args.profile else {})
    )


# How much a noisy class may slow another on the same server: its screens' update staleness p99 and a
# phone's snapshot p99 at most this many times an idle server's, plus the slack (one conflation interval).
TWO_GAMES_FACTOR = 2.0
TWO_GAMES_SLACK_MS = 250.0
TWO_GAMES_FIGURES = (
    "trades_settled_per_s",
    "trades_refused",
    "trade_timeouts",
    "ack_latency_ms",
    "staleness_ms",
    "snapshot_ms",
    "server_cpu_share",
    "lost",
    "load_errors",
    "noisy_game",
)


def two_games(args: argparse.Namespace, work: Path) -> dict:
    """The quiet game (the --screens, --traders and --rate asked) on an idle server, then again beside a
    noisy game (--noisy-markets markets, the last one trading; --noisy-bots practice traders; --noisy-screens
    phones): how much one class's load slows another's updates and snapshots, and whether that stays within
    the bound."""
    runs = {}
    for name, noisy in (("idle", False), ("noisy", True)):
        result = run_target("mmgame", args.rate, args, work, noisy=noisy, probes=PROBES)
        runs[name] = {key: result.get(key) for key in TWO_GAMES_FIGURES}
    checks = {}
    for figure in ("staleness_ms", "snapshot_ms"):
        idle, loud = runs["idle"][figure]["p99"], runs["noisy"][figure]["p99"]
        limit = None if idle is None else TWO_GAMES_FACTOR * idle + TWO_GAMES_SLACK_MS
        checks[f"{figure}_p99"] = {
            "idle": idle,
            "noisy": loud,
            "bound": limit,
            "holds": None if limit is None or loud is None else loud <= limit,
        }
    bound = f"noisy p99 <= {TWO_GAMES_FACTOR:g} x idle p99 + {TWO_GAMES_SLACK_MS:g} ms"
    return {**runs, "bound": bound, "checks": checks}


def merge_counts(counts) -> dict:
    """Errors by kind, added over the load processes (each reports its running totals: give its last)."""
    merged: dict[str, int] = {}
    for count in counts:
        for key, value in count.items():
            merged[key] = merged.get(key, 0) + value
    return merged


def merge_tallies(tallies) -> dict:
    """Frames and mean size per frame type, over all load processes."""
    total: dict[str, list[int]] = {}
    for tally in tallies:
        for kind, (count, chars) in tally.items():
            total.setdefault(kind, [0, 0])
            total[kind][0] += count
            total[kind][1] += chars
    return {kind: {"frames": n, "mean_bytes": round(c / n)} for kind, (n, c) in sorted(total.items()) if n}


def ratio(a: dict, b: dict, key: str) -> float | None:
    if not a.get(key) or not b.get(key):
        return None
    return round(a[key] / b[key], 2)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench", description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    add_arguments(parser)
    return parser.parse_args(argv)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--screens", type=int, default=1000, help="screens watching the market (default 1000)")
    parser.add_argument("--traders", type=int, default=20, help="trading seats (default 20)")
    parser.add_argument("--rate", type=float, default=200, help="trades per second asked of mmgame (default 200)")
    parser.add_argument(
        "--reference-rate",
        type=float,
        help="trades/s for the websockets reference (default: what a 20,000 frames/s fan-out carries)",
    )
    parser.add_argument(
        "--daphne-rate",
        type=float,
        help="trades/s for the bare Daphne floor (default: what a 10,000 frames/s fan-out carries)",
    )
    parser.add_argument(
        "--stock-rate",
        type=float,
        help="trades/s for the stock Channels baseline (default: what a 2,000 frames/s fan-out carries)",
    )
    parser.add_argument("--duration", type=float, default=10, help="seconds of trading (default 10)")
    parser.add_argument("--settle-timeout", type=float, default=20, help="seconds to wait for screens to catch up")
    parser.add_argument(
        "--targets",
        default=",".join(DEFAULT_TARGETS),
        help="which servers to run, of mmgame, reference, daphne, stock, two-games (default the first four)",
    )
    parser.add_argument("--multi", action="store_true", help="mmgame on two Daphne processes, PostgreSQL + Redis")
    parser.add_argument(
        "--proxy",
        action="store_true",
        help="with --multi: the screens and traders reach the two processes through the deployment kit's nginx "
        "(deploy/nginx/, Debian's /usr/sbin/nginx) over https/wss",
    )
    parser.add_argument("--load-processes", type=int, default=1, help="processes the screens are spread over")
    parser.add_argument(
        "--application",
        default="mmgame.asgi:application",
        help="the ASGI application of the mmgame target (to measure a variant; default %(default)s)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="sample the mmgame server with py-spy (if installed) and report its CPU by frame kind",
    )
    parser.add_argument(
        "--noisy-markets",
        type=int,
        default=100,
        help="two-games: the noisy game's markets (one trades, the rest closed; a game holds at most 100)",
    )
    parser.add_argument("--noisy-bots", type=int, default=50, help="two-games: its practice traders (at most 50)")
    parser.add_argument("--noisy-screens", type=int, default=50, help="two-games: its phones")
    parser.add_argument("--keep-logs", action="store_true", help="keep the servers' logs (their path is printed)")


def bench(args: argparse.Namespace) -> dict:
    targets = [t.strip() for t in args.targets.split(",") if t.strip()]
    unknown = set(targets) - set(TARGETS)
    if unknown:
        raise SystemExit(f"unknown targets: {', '.join(sorted(unknown))}")
    if args.proxy and not args.multi:
        raise SystemExit("--proxy needs --multi: the kit's nginx sends to two Daphne processes")
    rates = {
        "mmgame": args.rate,
        "reference": args.reference_rate or min(args.rate, max(1.0, 20000 / max(args.screens, 1))),
        "daphne": args.daphne_rate or min(args.rate, max(1.0, 10000 / max(args.screens, 1))),
        "stock": args.stock_rate or min(args.rate, max(1.0, 2000 / max(args.screens, 1))),
        "two-games": args.rate,
    }
    work = Path(tempfile.mkdtemp(prefix="mmgame-bench-"))
    results: dict = {}
    try:
        for target in targets:
            try:
                if target == "two-games":
                    results[target] = two_games(args, work)
                else:
                    results[target] = run_target(target, rates[target], args, work)
            except Exception as error:  # one failed target must not hide the others' figures
                results[target] = {"error": f"{type(error).__name__}: {error}"}
    finally:
        if args.keep_logs:
            sys.stderr.write(f"logs in {work}\n")
        else:
            shutil.rmtree(work, ignore_errors=True)
    report = {
        "command": " ".join(["python", "-m", "benchmarks.run", *sys.argv[1:]]),
        "machine": {"cpus": os.cpu_count(), "load_average": os.getloadavg()},
        "config": {
            "screens": args.screens,
            "traders": args.traders,
            "duration_s": args.duration,
            "multi": args.multi,
            # The mmgame target reached through the kit's nginx (the baselines are always reached directly).
            "proxy": "nginx" if args.proxy else None,
            "rates": {t: rates[t] for t in targets},
        },
        "results": results,
    }
    reference = results.get("reference", {})
    keys = ("server_cpu_us_per_delivered_message", "server_cpu_us_per_trade_per_screen", "server_memory_per_socket_kb")
    report["ratios"] = {
        f"{name}/reference": {key: ratio(results[name], reference, key) for key in keys}
        for name in ("mmgame", "daphne", "stock")
        if name in results
    }
    mm = results.get("mmgame", {})
    if "error" not in mm and mm:
        cpu_ratio = report["ratios"].get("mmgame/reference", {}).get("server_cpu_us_per_delivered_message")
        report["targets"] = {
            "trades_per_s>=200": (mm["trades_settled_per_s"] or 0) >= 200,
            "ack_p99<=50ms": mm["ack_latency_ms"]["p99"] is not None and mm["ack_latency_ms"]["p99"] <= 50,
            "staleness_p99<=250ms": mm["staleness_ms"]["p99"] is not None and mm["staleness_ms"]["p99"] <= 250,
            "lost==0": mm["lost"] == 0,
            "load_errors==0": not mm["load_errors"],
            "cpu_per_message<=4x_reference": None if cpu_ratio is None else cpu_ratio <= 4,
        }
    return report


def main(argv: list[str] | None = None) -> dict:
    from .load import raise_fd_limit

    raise_fd_limit()  # the servers inherit it
    report = bench(parse_args(argv))
    print(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    main()
