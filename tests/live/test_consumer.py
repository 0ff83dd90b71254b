"""The socket is a Channels consumer that opens no channel of its own and dispatches without Channels'
per-frame connection closing (mmgame.live.consumers): the guards that fail when Channels changes under it."""

from __future__ import annotations

import inspect
import textwrap

import pytest
from channels.consumer import AsyncConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer

from mmgame.live import hub as hubs
from mmgame.live.consumers import LiveSocket

from .conftest import player_socket, receive

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("live")]


async def test_a_screen_is_a_consumer_with_no_channel_of_its_own(open_market, alice):
    assert get_channel_layer() is not None  # the project has a layer; the hub uses it, the sockets do not
    assert get_channel_layer(LiveSocket.channel_layer_alias) is None

    socket = await player_socket(alice)
    assert (await receive(socket))["type"] == "snapshot"
    (screen,) = hubs.current_hub().rooms[alice.game_id].screens

    assert isinstance(screen, AsyncWebsocketConsumer)
    assert screen.channel_layer is None
    assert not hasattr(screen, "channel_name")
    await socket.disconnect()
    assert alice.game_id not in hubs.current_hub().rooms  # the consumer's disconnect left the hub


# Channels' AsyncConsumer.dispatch as LiveSocket.dispatch copies it (less the connection closing). When this
# changes, read the new one and bring LiveSocket.dispatch in line (or drop it, if the closing is gone).
CHANNELS_DISPATCH = """
handler = getattr(self, get_handler_name(message), None)
if handler:
    await aclose_old_connections()
    await handler(message)
else:
    raise ValueError("No handler for message type %s" % message["type"])
"""


def body_of(function) -> str:
    source = textwrap.dedent(inspect.getsource(function))
    lines = [line for line in source.splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if line.rstrip().endswith('"""') and i > 1) + 1
    return textwrap.dedent("\n".join(lines[start:])).strip()


def test_channels_dispatch_is_still_the_one_the_socket_copies():
    assert body_of(AsyncConsumer.dispatch) == CHANNELS_DISPATCH.strip()
    assert "aclose_old_connections" not in inspect.getsource(LiveSocket.dispatch).split('"""')[-1]
