"""A screen that floods and never reads: Daphne's memory while it does (issue: hardening, finding 1).

    python -m benchmarks.socket_flood [--players 1990] [--sockets 4] [--rate 75] [--seconds 90]

Sets up a game of `--players` players (each snapshot then carries every name), starts one Daphne on it,
and opens `--sockets` player sockets that send `{"type":"snapshot"}` `--rate` times a second and never read
a byte (a raw TCP client with a small receive buffer: what the server writes piles up on its side). Prints
Daphne's resident memory each few seconds and, at the end, its peak, how many flooding sockets the server
closed and with which code, and that an honest screen of the same game still gets a snapshot.
"""

from __future__ import annotations

import argparse
import base64
import json
import secrets
import socket
import struct
import subprocess
import tempfile
import time
from pathlib import Path

from websockets.sync.client import connect

from .servers import REPO, daphne_server, production_env, python, rss_bytes

MB = 1024 * 1024


def handshake(port: int, path: str, cookie: str) -> socket.socket:
    """Open a websocket by hand; the kernel's receive buffer is kept small and is never drained."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", port))
    key = base64.b64encode(secrets.token_bytes(16)).decode()
    request = (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nOrigin: http://127.0.0.1:{port}\r\n"
        f"Cookie: {cookie}\r\n\r\n"
    )
    sock.sendall(request.encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(1)
        if not chunk:
            raise ConnectionError("the server closed the handshake")
        head += chunk
    if b" 101 " not in head.split(b"\r\n")[0]:
        raise ConnectionError(head.decode(errors="replace"))
    sock.setblocking(False)
    return sock


def frame(text: str) -> bytes:
    """A masked client text frame (RFC 6455 §5.2)."""
    payload, mask = text.encode(), secrets.token_bytes(4)
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return bytes([0x81, 0x80 | len(payload)]) + mask + masked


def close_code(sock: socket.socket, timeout: float = 10) -> int | None:
    """Read what the server sent, to its end: the code of its close frame, or None if there was none."""
    sock.setblocking(True)
    sock.settimeout(timeout)
    data = b""
    try:
        while chunk := sock.recv(1 << 20):
            data += chunk
    except (TimeoutError, ConnectionResetError):
        pass
    code, at = None, 0
    while at + 2 <= len(data):
        opcode, length, at = data[at] & 0x0F, data[at + 1] & 0x7F, at + 2
        if length == 126:
            length, at = struct.unpack("!H", data[at : at + 2])[0], at + 2
        elif length == 127:
            length, at = struct.unpack("!Q", data[at : at + 8])[0], at + 8
        if opcode == 0x8 and length >= 2:
            code = struct.unpack("!H", data[at : at + 2])[0]
        at += length
    return code


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--players", type=int, default=1990, help="plus --sockets + 1 (2,000 at most)")
    parser.add_argument("--sockets", type=int, default=4)
    parser.add_argument("--rate", type=float, default=75.0, help="snapshot requests a second per socket")
    parser.add_argument("--seconds", type=float, default=90.0)
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="mmgame-flood-"))
    env = production_env(work, "flood.sqlite3")
    setup = subprocess.run(
        python("-m", "benchmarks.mmgame_fixture", "setup", str(args.players), str(args.sockets + 1)),
        cwd=REPO, env=env, capture_output=True, text=True, timeout=1800, check=True,
    )  # fmt: skip
    game = json.loads(setup.stdout.splitlines()[-1])
    path = f"/ws/games/{game['game_id']}/player/"
    server = daphne_server("flood", "mmgame.asgi:application", env)
    server.start(work)
    try:
        url = f"ws://127.0.0.1:{server.port}{path}"
        server.wait_ready(url, {"Cookie": game["traders"][-1]}, f"http://127.0.0.1:{server.port}")
        before = rss_bytes(server.process.pid)
        floods = [handshake(server.port, path, cookie) for cookie in game["traders"][: args.sockets]]
        request = frame(json.dumps({"type": "snapshot"}))
        started = last_report = time.monotonic()
        peak, open_floods, stuck = before, set(range(len(floods))), 0
        samples: list[tuple[float, float]] = []
        while (now := time.monotonic()) - started < args.seconds:
            for i in list(open_floods):
                try:
                    floods[i].send(request)
                except BlockingIOError:
                    stuck += 1  # the server is not reading us either (its buffers or ours are full)
                except OSError:
                    open_floods.discard(i)  # the server closed this one
            rss = rss_bytes(server.process.pid)
            peak = max(peak, rss)
            if now - last_report >= 5:
                samples.append((round(now - started, 1), round(rss / MB, 1)))
                print(f"{now - started:5.0f} s  Daphne {rss / MB:7.1f} MB  flooding sockets open: {len(open_floods)}")
                last_report = now
            time.sleep(1 / args.rate)
        codes = [close_code(sock) for sock in floods]
        after = rss_bytes(server.process.pid)
        origin = f"http://127.0.0.1:{server.port}"
        with connect(url, additional_headers={"Cookie": game["traders"][-1]}, origin=origin) as ws:
            honest = json.loads(ws.recv(timeout=30))["type"]
    finally:
        server.stop()
    result = {
        "players": args.players,
        "sockets": args.sockets,
        "rate": args.rate,
        "seconds": args.seconds,
        "rss_mb_before": round(before / MB, 1),
        "rss_mb_peak": round(peak / MB, 1),
        "rss_mb_end": round(after / MB, 1),
        "close_codes": codes,
        "sends_refused_by_full_buffers": stuck,
        "honest_screen_first_frame": honest,
        "samples": samples,
    }
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
