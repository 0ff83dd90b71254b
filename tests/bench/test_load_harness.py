"""The load generator's screens against a server that is quick: frames in the same packet as the handshake's
answer, a `check` before `open()` has returned. A screen must answer it and go on reading; a fault in the
harness is reported as the load's own error, never counted as a screen the server lost."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import struct

from benchmarks import load
from benchmarks.load import Socket
from benchmarks.wire import GUID


def server_frame(body: dict) -> bytes:
    payload = json.dumps(body).encode()
    assert len(payload) < 126
    return struct.pack("!BB", 0x81, len(payload)) + payload


async def read_client_frame(reader: asyncio.StreamReader) -> dict:
    first, second = await reader.readexactly(2)
    assert first & 0x0F == 0x1 and second & 0x80, "a client's text frame, masked"
    length = second & 0x7F
    if length == 126:
        length = struct.unpack("!H", await reader.readexactly(2))[0]
    mask = await reader.readexactly(4)
    masked = await reader.readexactly(length)
    return json.loads(bytes(b ^ mask[i % 4] for i, b in enumerate(masked)))


async def quick_server(first_frames: list[dict], answers: asyncio.Queue) -> asyncio.Server:
    """Answers the handshake and sends `first_frames` in the same write; queues what the client says."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        request = await reader.readuntil(b"\r\n\r\n")
        key = next(
            line.split(b":", 1)[1].strip()
            for line in request.split(b"\r\n")
            if line.lower().startswith(b"sec-websocket-key:")
        )
        accept = base64.b64encode(hashlib.sha1(key + GUID).digest())
        head = b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        head += b"Sec-WebSocket-Accept: " + accept + b"\r\n\r\n"
        writer.write(head + b"".join(map(server_frame, first_frames)))
        await writer.drain()
        try:
            while True:
                await answers.put(await read_client_frame(reader))
        except (asyncio.IncompleteReadError, ConnectionError):
            await answers.put(None)
        finally:
            writer.close()

    return await asyncio.start_server(handle, "127.0.0.1", 0)


def snapshot(sequence: int) -> dict:
    return {"type": "snapshot", "markets": [{"id": 7, "sequence": sequence, "mean": 1.0, "sd": 2.0, "status": "open"}]}


async def test_a_check_in_the_handshakes_packet_is_answered_and_the_screen_keeps_reading():
    load.ERRORS.clear()
    answers: asyncio.Queue = asyncio.Queue()
    server = await quick_server([snapshot(1), {"type": "check", "nonce": "n1"}], answers)
    port = server.sockets[0].getsockname()[1]
    screen = Socket({"url": f"ws://127.0.0.1:{port}/ws/"}, market_id=7)
    async with server:
        await screen.open()
        assert await asyncio.wait_for(answers.get(), 5) == {"type": "seen", "nonce": "n1"}
        assert screen.snapshotted.is_set() and screen.sequence == 1
        assert not screen.connection.transport.is_closing(), "the screen still reads"
        screen.connection.close()
    assert load.ERRORS == {}


async def test_a_fault_in_handling_a_frame_is_the_loads_own_error_and_the_socket_reads_on():
    load.ERRORS.clear()
    answers: asyncio.Queue = asyncio.Queue()
    # An update before any snapshot holds no market to apply to: the harness's fault, not the server's.
    garbled = {"type": "snapshot", "markets": [{"id": 7}]}
    server = await quick_server([garbled, snapshot(2), {"type": "check", "nonce": "n2"}], answers)
    port = server.sockets[0].getsockname()[1]
    screen = Socket({"url": f"ws://127.0.0.1:{port}/ws/"}, market_id=7)
    async with server:
        await screen.open()
        assert await asyncio.wait_for(answers.get(), 5) == {"type": "seen", "nonce": "n2"}
        assert screen.sequence == 2
        screen.connection.close()
    assert list(load.ERRORS) == ["KeyError: 'sequence'"]


def test_the_load_reports_its_errors_with_every_event(capsys):
    load.ERRORS.clear()
    load.record_error(ValueError("boom"))
    load.emit("ready", connected=1)
    assert json.loads(capsys.readouterr().out)["load_errors"] == {"ValueError: boom": 1}
    load.ERRORS.clear()
