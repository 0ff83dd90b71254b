"""Issue 23, finding 5: one host cannot slow every other class. A game holds at most so many markets and a
host runs so many games not finished; each refusal is limit_reached and writes nothing (the practice
traders a host's games hold: tests/services/test_practice.py)."""

from __future__ import annotations

import pytest

from mmgame import services
from mmgame.bank.sheet import MOST_LINES
from mmgame.models import Game, Market

pytestmark = pytest.mark.django_db


def add(host, game, number: int) -> Market:
    return services.add_market(host, game, question=f"Question {number}?", lo=0, hi=100)


def test_a_game_holds_at_most_so_many_markets(host, game, settings):
    settings.MAX_MARKETS_PER_GAME = 3
    for number in range(3):
        add(host, game, number)

    with pytest.raises(services.LimitReached) as refused:
        add(host, game, 4)

    assert refused.value.code == "limit_reached" and refused.value.details["limit"] == 3
    assert game.markets.count() == 3


def test_a_file_that_would_pass_the_cap_adds_nothing(host, game, settings):
    settings.MAX_MARKETS_PER_GAME = 3
    add(host, game, 0)
    data = "question,lo,hi\n" + "".join(f"Q{i}?,0,10\n" for i in range(3))

    with pytest.raises(services.LimitReached):
        services.import_questions(host, game, data)

    assert game.markets.count() == 1


def test_a_full_games_questions_download_and_upload_back_whole(host, game, settings):
    """Issue 23: a game's 511 questions could be downloaded but not uploaded back (a file holds 500)."""
    assert settings.MAX_MARKETS_PER_GAME <= MOST_LINES
    for number in range(settings.MAX_MARKETS_PER_GAME):
        add(host, game, number)

    copy = services.create_game(host, "Copy")
    added = services.import_questions(host, copy, services.export_questions(host, game))

    assert len(added) == settings.MAX_MARKETS_PER_GAME


def test_a_host_runs_at_most_so_many_games_not_finished(host, settings):
    settings.MAX_OPEN_GAMES_PER_HOST = 2
    first = services.create_game(host, "One")
    services.create_game(host, "Two")

    with pytest.raises(services.LimitReached):
        services.create_game(host, "Three")

    services.finish_game(host, first)
    services.create_game(host, "Three")
    assert Game.objects.count() == 3


def test_another_hosts_games_do_not_count(host, other_host, settings):
    settings.MAX_OPEN_GAMES_PER_HOST = 1
    services.create_game(other_host, "Theirs")

    assert services.create_game(host, "Mine").host == host
