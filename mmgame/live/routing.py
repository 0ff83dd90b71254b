"""Websocket URLs: one per screen of a game (docs/protocol.md §1)."""

from django.urls import re_path

from .consumers import LiveSocket, UnknownScreen

websocket_urlpatterns = [
    re_path(r"^ws/games/(?P<game_id>[0-9]{1,18})/(?P<role>player|host|projector)/$", LiveSocket.as_asgi()),
    re_path(r"", UnknownScreen.as_asgi()),
]
