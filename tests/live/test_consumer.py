"""The socket is a Channels consumer that opens no channel of its own (mmgame.live.consumers): the guard
that fails if Channels stops answering None for a layer alias that is not configured."""

from __future__ import annotations

import pytest
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
