"""What the services announce once a change is committed: "market 7 of game 3 is at sequence 44".

A leaf: it imports nothing of the project, so the services can announce without knowing who listens.
Listeners register themselves: the live layer's forwarder to other processes when the app starts
(`MmgameConfig.ready`), each hub for its own screens, the countdown timer for deadlines.

News is tiny and carries no state: listeners read the state from the database, so a lost piece of news
delays screens (until the next audit) but can never show them something that did not happen. A listener
never raises into the service that made the change: a trade settles and is answered even when Redis is down.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from functools import partial

from django.db import transaction

log = logging.getLogger(__name__)

News = dict
Listener = Callable[[News], None]

_listeners: list[Listener] = []
_lock = threading.Lock()


def listen(listener: Listener) -> None:
    """Call `listener(news)` after every commit that announces something (once, however often registered)."""
    with _lock:
        if listener not in _listeners:
            _listeners.append(listener)


def forget(listener: Listener) -> None:
    with _lock:
        if listener in _listeners:
            _listeners.remove(listener)


def announce(news: News) -> None:
    """Deliver `news` to every listener once the current transaction commits (at once outside one)."""
    transaction.on_commit(partial(deliver, news), robust=True)


def deliver(news: News) -> None:
    with _lock:
        listeners = list(_listeners)
    for listener in listeners:
        try:
            listener(news)
        except Exception:
            log.exception("listener %r failed on %r", listener, news)


def market_changed(game_id: int, market_id: int, sequence: int) -> None:
    """A trade or a status change of the market."""
    announce({"kind": "market", "game": game_id, "market": market_id, "sequence": sequence})


def countdown_started(game_id: int, market_id: int, closes_at: float) -> None:
    """The host started a countdown; `closes_at` is a Unix time (the timer closes the market then)."""
    announce({"kind": "countdown", "game": game_id, "market": market_id, "closes_at": closes_at})


def players_changed(game_id: int) -> None:
    """Someone joined the game or was kicked."""
    announce({"kind": "players", "game": game_id})


def game_changed(game_id: int) -> None:
    """The game's own status changed (e.g. finished, names hidden)."""
    announce({"kind": "game", "game": game_id})


def waiting_changed(game_id: int) -> None:
    """Someone arrived in the game's waiting room, or the host let them in or turned them away (the pages
    that show the waiting room ask for it again; the hubs only audit the room)."""
    announce({"kind": "waiting", "game": game_id})
