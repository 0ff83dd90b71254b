"""What a forked server process must not inherit from its parent, reset in the child right after the fork.

Daphne's live-server tests (and any pre-forking server) fork a process that already served sockets. The
child starts with:
- no hubs, and a new process id for the news it publishes (mmgame.live.hub);
- a fresh database thread for the live layer (mmgame.live.database): a forked executor keeps its
  parent's thread in its books, but the thread itself is gone, so work queued on it would wait forever;
- fresh channel layers, made through Channels' public `ChannelLayerManager.set` and `make_backend`: the
  parent's layer holds queues and connections bound to the parent's event loops.

Every call here is a public API. `install` registers the hook once, at start-up (MmgameConfig.ready).
"""

from __future__ import annotations

import os

from channels.layers import channel_layers

from . import database, hub


def fresh_channel_layers() -> None:
    """Replace every configured channel layer with a new instance of the same configuration."""
    for alias in channel_layers.configs:
        channel_layers.set(alias, channel_layers.make_backend(alias))


def after_fork_in_child() -> None:
    hub.forget_parent_hubs()
    database.new_thread()
    fresh_channel_layers()


_installed = False


def install() -> None:
    """Register the fork hook (once: os.register_at_fork cannot take one back)."""
    global _installed
    if not _installed:
        os.register_at_fork(after_in_child=after_fork_in_child)
        _installed = True
