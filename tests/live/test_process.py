"""A forked server process gets a live layer of its own: hubs, database thread and channel layers."""

from __future__ import annotations

import asyncio
import os
import threading

from channels.layers import channel_layers, get_channel_layer

from mmgame.live import database, hub, process


def in_a_forked_child(check) -> int:
    """Run `check` in a forked child; its exit status (0 when it returned True)."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover (the child)
        code = 1
        try:
            code = 0 if check() else 2
        finally:
            os._exit(code)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def test_the_fork_hook_is_installed_at_start_up_and_only_once(monkeypatch):
    registered = []
    monkeypatch.setattr(process, "_installed", False)
    monkeypatch.setattr(os, "register_at_fork", lambda **hooks: registered.append(hooks))
    process.install()
    process.install()
    assert registered == [{"after_in_child": process.after_fork_in_child}]


def test_fresh_channel_layers_replaces_each_configured_layer_through_public_methods():
    before = {alias: get_channel_layer(alias) for alias in channel_layers.configs}
    assert before, "the settings configure a channel layer"
    process.fresh_channel_layers()
    for alias, old in before.items():
        new = get_channel_layer(alias)
        assert new is not None and new is not old and type(new) is type(old)


def test_a_forked_child_can_still_run_live_database_work_after_the_parent_used_its_thread():
    # The parent's thread exists: the child must not queue work on its ghost (it would wait forever).
    assert asyncio.run(database.database_sync_to_async(lambda: 41 + 1)()) == 42

    def child() -> bool:
        async def work() -> int:
            return await asyncio.wait_for(database.database_sync_to_async(lambda: 6 * 7)(), 5)

        return asyncio.run(work()) == 42

    assert in_a_forked_child(child) == 0


def test_a_forked_child_starts_with_no_hubs_and_a_process_id_of_its_own():
    async def open_hub() -> str:
        hub.current_hub()
        return hub.PROCESS_ID

    loop = asyncio.new_event_loop()
    try:
        parent_id = loop.run_until_complete(open_hub())
        assert hub.running_hubs()

        def child() -> bool:
            return not hub.running_hubs() and parent_id != hub.PROCESS_ID

        assert in_a_forked_child(child) == 0
    finally:
        hub.stop_hub(loop)
        loop.run_until_complete(asyncio.sleep(0))  # let the cancelled tasks finish
        loop.close()


def test_all_live_database_work_runs_on_one_thread_of_its_own():
    async def threads() -> set[int]:
        calls = [database.database_sync_to_async(threading.get_ident)() for _ in range(5)]
        return set(await asyncio.gather(*calls))

    [live] = asyncio.run(threads())
    assert live != threading.get_ident()
