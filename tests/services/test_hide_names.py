"""The host can hide or show players' names on the leaderboards at any time in the game."""

from __future__ import annotations

import pytest

from mmgame import services
from mmgame.market import MarketError
from mmgame.models import Game

from .ledger import rows

pytestmark = pytest.mark.django_db


def hidden(game) -> bool:
    return Game.objects.get(pk=game.pk).hide_names


def test_the_host_hides_and_shows_names(host, game):
    assert services.set_hide_names(host, game, True).hide_names
    assert hidden(game)

    assert not services.set_hide_names(host, game, False).hide_names
    assert not hidden(game)


def test_a_change_is_news_for_every_screen(host, game, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        services.set_hide_names(host, game, True)

    assert [callback.args[0] for callback in callbacks] == [{"kind": "game", "game": game.pk}]


def test_asking_for_the_current_setting_changes_nothing(host, game, django_capture_on_commit_callbacks):
    before = rows()

    with django_capture_on_commit_callbacks() as callbacks:
        services.set_hide_names(host, game, False)

    assert rows() == before
    assert callbacks == []


def test_names_can_be_hidden_in_the_middle_of_a_game(host, game, open_market, alice):
    services.set_hide_names(host, game, True)

    assert hidden(game)
    assert Game.objects.get(pk=game.pk).status == Game.Status.PLAYING


def test_only_the_host_changes_it(other_host, game):
    before = rows()

    with pytest.raises(services.NotFound):
        services.set_hide_names(other_host, game, True)

    assert rows() == before


@pytest.mark.parametrize("value", ["true", 1, None])
def test_the_setting_is_true_or_false(host, game, value):
    before = rows()

    with pytest.raises(MarketError) as refused:
        services.set_hide_names(host, game, value)

    assert refused.value.details == {"field": "hide_names"}
    assert rows() == before
