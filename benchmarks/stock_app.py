"""The stock baseline: the plain Channels way — one `group_send` per event, one dispatch per consumer.

A tiny ASGI app (no mmgame code) served by Daphne: every socket joins one group; a trade updates an
in-process market and is announced with `group_send`, which the channel layer delivers to each
consumer, which sends it on. Speaks the same subset of docs/protocol.md as the reference server.

    daphne --fd N benchmarks.stock_app:application
"""

from __future__ import annotations

import json
import os

import django
from django.conf import settings

if not settings.configured:
    redis_url = os.environ.get("REDIS_URL", "")
    settings.configure(
        INSTALLED_APPS=["channels"],
        DATABASES={},
        CHANNEL_LAYERS={
            "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [redis_url]}}
            if redis_url
            else {"BACKEND": "channels.layers.InMemoryChannelLayer"}
        },
    )
    django.setup()

from channels.generic.websocket import AsyncWebsocketConsumer
from channels.routing import ProtocolTypeRouter, URLRouter
from django.urls import re_path

from .market_picture import MarketBook

GROUP = "market-1"
BOOK = MarketBook()


class MarketConsumer(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        await self.channel_layer.group_add(GROUP, self.channel_name)
        await self.accept()
        await self.send(json.dumps(BOOK.snapshot()))

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(GROUP, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        request = json.loads(text_data or "{}")
        if request.get("type") == "trade":
            result, update = BOOK.trade(request, player_id=id(self) % 100000)
            await self.channel_layer.group_send(GROUP, {"type": "market.update", "text": json.dumps(update)})
            await self.send(json.dumps(result))
        elif request.get("type") == "snapshot":
            await self.send(json.dumps(BOOK.snapshot(request.get("request_id"))))

    async def market_update(self, event: dict) -> None:
        await self.send(event["text"])


application = ProtocolTypeRouter({"websocket": URLRouter([re_path(r"^ws/", MarketConsumer.as_asgi())])})
