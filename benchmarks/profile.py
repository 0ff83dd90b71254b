"""Where mmgame's server spends its CPU, by frame kind: py-spy samples of the server process during the
bench's connection phase and its trading window, each stack credited to the first kind whose work it is in.

    python manage.py bench --targets mmgame --profile     # needs py-spy on PATH (not a requirement)

A stack is credited by the functions on it, innermost first: the ORM work of a trade, a market update, a
leaderboard or a snapshot runs on the live layer's database thread, and its fan-out (serialising, Daphne's
write) on the event loop under the room's `send_market`/`send_leaderboard`; frames a socket queued and wrote
later (a screen busy when the fan-out came) are `queued writes`, whatever kind they were.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
from collections import Counter
from pathlib import Path

# (kind, function names that mark it), checked in this order over the whole stack.
KINDS = (
    ("trade_result", ("trade_answer", "quote_answer", "place_trade")),
    ("snapshot", ("send_snapshot", "snapshot", "open_screen", "connect")),
    ("update", ("send_market", "flush_market", "market_update", "update_frames")),  # flush_*: cf978a7's names
    ("leaderboard", ("send_leaderboard", "flush_leaderboard", "leaderboard", "board_frames")),
    ("audit", ("audit", "catch_up", "room_state")),
    ("check frames", ("send_check", "new_nonce")),
    ("queued writes", ("write", "write_forever", "write_waiting")),
    ("reading what screens send", ("receive", "websocket_receive", "allowed_frame", "check_reading")),
)


def kind_of(frames: list[str]) -> str:
    names = {frame.split(" (", 1)[0].rsplit(".", 1)[-1] for frame in frames}  # "Room.send_market" → send_market
    for kind, marks in KINDS:
        if names & set(marks):
            return kind
    if any("twisted" in frame or "autobahn" in frame or "daphne" in frame for frame in frames):
        return "Daphne/Twisted (reading sockets, framing, the reactor)"
    return "other (event loop, GC, threads)"


def attribute(raw: Path) -> dict[str, float | int]:
    """Share of samples per kind, from py-spy's raw (collapsed) output: `frame;frame;... count` lines."""
    counts: Counter[str] = Counter()
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        counts[kind_of(stack.split(";"))] += int(count)
    total = sum(counts.values()) or 1
    return {kind: round(n / total, 3) for kind, n in counts.most_common()} | {"samples": total}


class Profiler:
    """py-spy attached to one process until `stop()`; nothing when py-spy is not installed."""

    def __init__(self, pid: int, output: Path) -> None:
        self.output = output
        exe = shutil.which("py-spy")
        self.process = None
        if exe is not None:
            self.process = subprocess.Popen(
                [exe, "record", "--pid", str(pid), "--format", "raw", "--output", str(output), "--nonblocking"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )

    def stop(self) -> dict | None:
        if self.process is None:
            return None
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return None
        return attribute(self.output) if self.output.exists() else None


if __name__ == "__main__":  # python -m benchmarks.profile RAW_FILE...: attribute saved samples again
    import json
    import sys

    print(json.dumps({name: attribute(Path(name)) for name in sys.argv[1:]}, indent=1))
