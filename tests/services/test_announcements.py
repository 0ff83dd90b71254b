"""Setting-up changes are news too, so the host's other screens can follow without a reload."""

from __future__ import annotations

import pytest

from mmgame import services

pytestmark = pytest.mark.django_db


def test_adding_a_market_announces_it_after_the_commit(host, game, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        market = services.add_market(host, game, question="Second?", lo=0, hi=10)

    assert [callback.args[0] for callback in callbacks] == [
        {"kind": "market", "game": game.pk, "market": market.pk, "sequence": 0}
    ]


def test_a_refused_market_announces_nothing(other_host, game, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(services.NotFound):
        services.add_market(other_host, game, question="Second?", lo=0, hi=10)

    assert callbacks == []
