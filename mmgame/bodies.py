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

The endpoints that take a picture (settings.UPLOAD_PATHS) are bounded at settings.MAX_UPLOAD_BODY instead.
Twisted sets a request's own path only once its body is whole (Request.requestReceived), so the path is read
from the request line the channel keeps until then (HTTPChannel._path); the same test fails if that goes.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable

from daphne import http_protocol

REFUSED = "_mmgame_body_refused"
RECEIVED = "_mmgame_body_received"
LIMIT = "_mmgame_body_limit"


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


def path_of(request: http_protocol.WebRequest) -> str:
    """The path of a request whose body is still arriving, from its channel's request line."""
    line = getattr(request.channel, "_path", None)
    return line.split(b"?", 1)[0].decode("latin-1") if isinstance(line, bytes) else ""


def limit_of(request: http_protocol.WebRequest) -> int:
    """The bound of this request's body: the larger one on an upload path, the general one elsewhere."""
    uploads, upload_limit = request.mmgame_uploads
    if uploads is not None and uploads.match(path_of(request)):
        return upload_limit
    return request.mmgame_body_limit


def install(limit: int, *, uploads: Iterable[str] = (), upload_limit: int | None = None) -> None:
    """Bound every request Daphne serves in this process to `limit` bytes of body, and those to a path that
    matches one of the `uploads` patterns to `upload_limit` (once; idempotent)."""
    request = http_protocol.WebRequest
    patterns = list(uploads)
    request.mmgame_uploads = (re.compile("|".join(patterns)) if patterns else None, upload_limit or limit)
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
        setattr(self, LIMIT, limit_of(self))
        got_length(self, length)  # the content file first: Twisted and Daphne read it later
        if length is not None and length > getattr(self, LIMIT):
            refuse(self, getattr(self, LIMIT))

    @functools.wraps(handle_content_chunk)
    def handleContentChunk(self, data):
        if getattr(self, REFUSED, False):
            return
        received = getattr(self, RECEIVED, 0) + len(data)
        setattr(self, RECEIVED, received)
        most = getattr(self, LIMIT, self.mmgame_body_limit)
        if received > most:
            refuse(self, most)
            return
        handle_content_chunk(self, data)

    @functools.wraps(serve)
    def process(self):
        if getattr(self, REFUSED, False):  # the rest arrived before the close: still refused
            return None
        return serve(self)

    request.gotLength, request.handleContentChunk, request.process = gotLength, handleContentChunk, process
