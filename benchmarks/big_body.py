"""One anonymous request with a huge body: Daphne's memory while it arrives and after (issue 23, finding 4).

    python -m benchmarks.big_body [--megabytes 1024] [--chunked]

Starts one Daphne on a fresh SQLite file, sends a POST of `--megabytes` MB to the join endpoint (with a
Content-Length, or chunked), as fast as the server reads it, and prints Daphne's resident memory before,
at its peak, and 10 s after, with what the server answered and how much of the body it read.
"""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from .servers import REPO, daphne_server, production_env, python, rss_bytes

MB = 1024 * 1024


def send(port: int, megabytes: int, chunked: bool) -> dict:
    """Send the body; stop when the server closes. Returns the status line and the bytes it took."""
    sock = socket.create_connection(("127.0.0.1", port))
    head = f"POST /api/games/ZZZZZZ/join HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
    head += "Transfer-Encoding: chunked\r\n\r\n" if chunked else f"Content-Length: {megabytes * MB}\r\n\r\n"
    sock.sendall(head.encode())
    piece = b"x" * MB
    sent = 0
    try:
        for _ in range(megabytes):
            sock.sendall(b"%x\r\n%s\r\n" % (MB, piece) if chunked else piece)
            sent += MB
        if chunked:
            sock.sendall(b"0\r\n\r\n")
    except OSError:
        pass  # the server closed the connection: it refused the rest
    answer = b""
    sock.settimeout(60)
    try:
        while chunk := sock.recv(65536):
            answer += chunk
            if b"\r\n\r\n" in answer:
                break
    except OSError:
        pass
    sock.close()
    return {"status": answer.split(b"\r\n", 1)[0].decode(errors="replace"), "sent_mb": sent // MB}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=1024)
    parser.add_argument("--chunked", action="store_true")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="mmgame-body-"))
    env = {**production_env(work, "body.sqlite3"), "ALLOWED_HOSTS": "127.0.0.1"}
    subprocess.run(python("manage.py", "migrate", "--noinput"), cwd=REPO, env=env, check=True, capture_output=True)
    server = daphne_server("body", "mmgame.asgi:application", env)
    server.start(work)
    try:
        time.sleep(3)  # the app loads
        before = peak = rss_bytes(server.process.pid)
        result: dict = {}
        sender = threading.Thread(target=lambda: result.update(send(server.port, args.megabytes, args.chunked)))
        started = time.monotonic()
        sender.start()
        while sender.is_alive():
            peak = max(peak, rss_bytes(server.process.pid))
            time.sleep(0.05)
        took = time.monotonic() - started
        for _ in range(100):  # 10 s after
            peak = max(peak, rss_bytes(server.process.pid))
            time.sleep(0.1)
        after = rss_bytes(server.process.pid)
    finally:
        server.stop()
    report = {
        "megabytes": args.megabytes,
        "chunked": args.chunked,
        **result,
        "seconds": round(took, 1),
        "rss_mb_before": round(before / MB, 1),
        "rss_mb_peak": round(peak / MB, 1),
        "rss_mb_10s_after": round(after / MB, 1),
    }
    print(json.dumps(report))
    return report


if __name__ == "__main__":
    main()
