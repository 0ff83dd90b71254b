"""A lean websocket client for the bench's screens: a thousand of them must be cheaper to run than
the server they measure, and the `websockets` client costs ~5× more per frame than this.

Handshake per RFC 6455 §4.1, then unmasked frames in, masked frames out; ping is answered, close ends
the connection. Only what a screen needs: text frames (fragmented or not), ping, close.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
import ssl
import struct
from collections.abc import Callable
from urllib.parse import urlsplit

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class HandshakeFailed(Exception):
    pass


class ScreenProtocol(asyncio.Protocol):
    """Calls `on_text(str)` for every text message; `closed` resolves when the connection ends."""

    def __init__(self, on_text: Callable[[str], None]) -> None:
        self.on_text = on_text
        self.buffer = bytearray()
        self.handshaken = asyncio.get_running_loop().create_future()
        self.closed = asyncio.get_running_loop().create_future()
        self.fragments: list[bytes] = []
        self.transport: asyncio.Transport | None = None
        self.key = base64.b64encode(os.urandom(16))

    def connection_made(self, transport: asyncio.Transport) -> None:
        self.transport = transport

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.handshaken.done():
            self.handshaken.set_exception(HandshakeFailed("connection lost during the handshake"))
        if not self.closed.done():
            self.closed.set_result(exc)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if not self.handshaken.done():
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head, self.buffer = bytes(self.buffer[:end]), self.buffer[end + 4 :]
            status = head.split(b"\r\n", 1)[0]
            accept = base64.b64encode(hashlib.sha1(self.key + GUID).digest())
            if b" 101 " not in status + b" " or accept not in head:
                self.handshaken.set_exception(HandshakeFailed(status.decode(errors="replace")))
                self.transport.close()
                return
            self.handshaken.set_result(None)
        self.frames()

    def frames(self) -> None:
        buffer = self.buffer
        offset = 0
        while len(buffer) - offset >= 2:
            first, second = buffer[offset], buffer[offset + 1]
            length, start = second & 0x7F, offset + 2
            if length == 126:
                if len(buffer) - offset < 4:
                    break
                length, start = struct.unpack_from("!H", buffer, offset + 2)[0], offset + 4
            elif length == 127:
                if len(buffer) - offset < 10:
                    break
                length, start = struct.unpack_from("!Q", buffer, offset + 2)[0], offset + 10
            if len(buffer) - start < length:
                break
            payload = bytes(buffer[start : start + length])
            offset = start + length
            opcode, fin = first & 0x0F, first & 0x80
            if opcode in (0x1, 0x0):
                self.fragments.append(payload)
                if fin:
                    text = b"".join(self.fragments).decode()
                    self.fragments.clear()
                    self.on_text(text)
            elif opcode == 0x9:
                self.send(payload, opcode=0xA)
            elif opcode == 0x8:
                self.transport.close()
        del buffer[:offset]

    def send(self, payload: bytes | str, opcode: int = 0x1) -> None:
        if isinstance(payload, str):
            payload = payload.encode()
        mask = os.urandom(4)
        length = len(payload)
        if length < 126:
            head = struct.pack("!BB", 0x80 | opcode, 0x80 | length)
        elif length < 65536:
            head = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, length)
        else:
            head = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, length)
        repeated = (mask * (length // 4 + 1))[:length]
        masked = (int.from_bytes(payload, "big") ^ int.from_bytes(repeated, "big")).to_bytes(length, "big")
        self.transport.write(head + mask + masked)

    def close(self) -> None:
        if self.transport and not self.transport.is_closing():
            self.send(struct.pack("!H", 1000), opcode=0x8)
            self.transport.close()


async def open_screen(
    url: str,
    on_text: Callable[[str], None],
    headers: dict | None = None,
    timeout: float = 120,
    on_connection: Callable[[ScreenProtocol], None] | None = None,
    tls: ssl.SSLContext | None = None,
) -> ScreenProtocol:
    """Connect and complete the opening handshake; raises HandshakeFailed on any refusal.

    `on_connection` gets the protocol before the handshake's answer is read: a server may send its first
    frames in the same packet as the answer, and a screen that replies to one (a `check`) must have its
    connection by then, not when this coroutine returns. A wss:// URL needs `tls`, the context that trusts
    the proxy's certificate."""
    parts = urlsplit(url)
    loop = asyncio.get_running_loop()

    def protocol_factory() -> ScreenProtocol:
        protocol = ScreenProtocol(on_text)
        if on_connection is not None:
            on_connection(protocol)
        return protocol

    _, protocol = await asyncio.wait_for(
        loop.create_connection(
            protocol_factory,
            parts.hostname,
            parts.port or (443 if parts.scheme == "wss" else 80),
            ssl=tls if parts.scheme == "wss" else None,
        ),
        timeout,
    )
    lines = [
        f"GET {parts.path or '/'}{'?' + parts.query if parts.query else ''} HTTP/1.1",
        f"Host: {parts.netloc}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {protocol.key.decode()}",
        "Sec-WebSocket-Version: 13",
        *(f"{name}: {value}" for name, value in (headers or {}).items()),
    ]
    protocol.transport.write(("\r\n".join(lines) + "\r\n\r\n").encode())
    try:
        await asyncio.wait_for(protocol.handshaken, timeout)
    except BaseException:
        protocol.transport.close()
        raise
    return protocol
