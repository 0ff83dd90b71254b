"""Request bodies bounded while they arrive, before Daphne holds them whole.

Why an adapter: Daphne hands the app a request only once its whole body has arrived, and then queues all
of it at once (daphne.http_protocol.WebRequest.process); the API's 16 KB limit and Django's upload limits
only see it after that. An anonymous 1 GB body took Daphne from 123 MB to 1,151 MB, still held 10 s
later, and in the one-process classroom set-up (`manage.py play`, Daphne alone) nothing in front limits
it. Daphne has no setting for it, so this wraps the two methods through which Twisted feeds a request its
body (`gotLength`, told the declared length, and `handleContentChunk`, each piece as it arrives, chunked
or not): past settings.MAX_REQUEST_BODY bytes the client gets a 413 with the API's JSON refusal and the
connection is closed, without reading further. tests/test_bodies.py fails if Daphne stops building its
requests this way.
"""

from __future__ import annotations

import functools
import json

from daphne import http_protocol

REFUSED = "_mmgame_body_refused"
RECEIVED = "_mmgame_body_received"


def too_large(limit: int) -> bytes:
    body = json.dumps(
        {"code": "body_too_large", "message": f"request bodies are at most {limit} bytes", "limit": limit}
    ).encode()
    head = (
        "HTTP/1.1 413 Content Too Large\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + body


def refuse(request: http_protocol.WebRequest, limit: int) -> None:
    """Answer 413 and close, reading no more of the body (the client may still be sending it)."""
    setattr(request, REFUSED, True)
    channel = request.channel
    transport = getattr(channel, "transport", None)
    if transport is None:  # gone already
        return
    if hasattr(transport, "pauseProducing"):
        transport.pauseProducing()
    transport.write(too_large(limit))
    channel.loseConnection()


def install(limit: int) -> None:
    """Bound every request Daphne serves in this process to `limit` bytes of body (once; idempotent)."""
    request = http_protocol.WebRequest
    if getattr(request, "mmgame_body_limit", None) is not None:
        request.mmgame_body_limit = limit
        return
    request.mmgame_body_limit = limit
    got_length, handle_content_chunk, serve = request.gotLength, request.handleContentChunk, request.process

    # functools.wraps keeps each of Daphne's own methods as __wrapped__: the test that reads Daphne's source to
    # see it still feeds bodies through them reads theirs, not these, whatever installed the adapter first.
    @functools.wraps(got_length)
    def gotLength(self, length):
        setattr(self, RECEIVED, 0)
        got_length(self, length)  # the content file first: Twisted and Daphne read it later
        if length is not None and length > self.mmgame_body_limit:
            refuse(self, self.mmgame_body_limit)

    @functools.wraps(handle_content_chunk)
    def handleContentChunk(self, data):
        if getattr(self, REFUSED, False):
            return
        received = getattr(self, RECEIVED, 0) + len(data)
        setattr(self, RECEIVED, received)
        if received > self.mmgame_body_limit:
            refuse(self, self.mmgame_body_limit)
            return
        handle_content_chunk(self, data)

    @functools.wraps(serve)
    def process(self):
        if getattr(self, REFUSED, False):  # the rest arrived before the close: still refused
            return None
        return serve(self)

    request.gotLength, request.handleContentChunk, request.process = gotLength, handleContentChunk, process
