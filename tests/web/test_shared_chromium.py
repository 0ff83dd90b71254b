"""The one Chromium the browser tests share in a test process (tests/web/browser.py, SharedChromium): lent,
it is the same browser each time; given back, nothing in this thread sees an event loop running, so the
async tests, async_to_sync and Django's sync ORM calls that follow in the same process run as they would
with no browser started. These fail if Playwright stops marking its loop as running between calls (then the
hand-marking can go) or if asyncio stops exporting the hook that marks it."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import async_to_sync

from .browser import CHROMIUM, SHARED, evaluate_static

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium: apt-get install -y chromium"),
]


def test_lent_twice_it_is_one_browser_with_playwrights_loop_marked_running_while_lent():
    with SHARED.lent() as (playwright, browser):
        assert asyncio.get_running_loop() is SHARED.loop  # Playwright's own sync calls mark it
        context = browser.new_context()
        context.close()
        assert asyncio.get_running_loop() is SHARED.loop
    assert asyncio._get_running_loop() is None
    with SHARED.lent() as (again, same):
        assert (again, same) == (playwright, browser) and same.is_connected()


def test_given_back_no_loop_runs_in_this_thread_for_what_follows():
    assert evaluate_static("() => 6 * 7") == 42
    assert asyncio._get_running_loop() is None

    async def answer() -> int:
        await asyncio.sleep(0)
        return 42

    assert asyncio.run(answer()) == 42
    assert async_to_sync(answer)() == 42


async def test_an_async_test_after_the_browser_was_lent_runs_in_its_own_loop():
    await asyncio.sleep(0)
    assert asyncio.get_running_loop() is not SHARED.loop


@pytest.mark.django_db
def test_the_sync_orm_after_the_browser_was_lent_needs_no_async_unsafe_flag(monkeypatch):
    from django.contrib.auth import get_user_model

    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)
    evaluate_static("() => 1")
    assert get_user_model().objects.count() == 0
