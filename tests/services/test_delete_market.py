"""A teacher deletes a question added by mistake before the class saw it; once shown it stays (#25 item 4)."""

from __future__ import annotations

import pytest

from mmgame import services
from mmgame.models import Market
from tests import pictures

pytestmark = pytest.mark.django_db


def add(host, game, question: str, **fields) -> Market:
    return services.add_market(host, game, question=question, lo=0, hi=10, **fields)


def numbered(game) -> list[tuple[int, str]]:
    return list(Market.objects.filter(game=game).order_by("number").values_list("number", "question"))


def test_a_draft_is_deleted_and_the_markets_after_it_move_up(host, game, market):
    second, third = add(host, game, "Second?"), add(host, game, "Third?")

    services.delete_market(host, second.pk)

    assert numbered(game) == [(1, "How many jelly beans?"), (2, "Third?")]
    # The next market added takes the next free number, not one the deleted market left behind.
    add(host, game, "Fourth?")
    assert numbered(game) == [(1, "How many jelly beans?"), (2, "Third?"), (3, "Fourth?")]
    assert not Market.objects.filter(pk=third.pk, number=3).exists()


def test_a_market_shown_before_the_deleted_draft_moves_up_too(host, game, market):
    draft, shown = add(host, game, "Not yet?"), add(host, game, "On screen?")
    services.show_market(host, shown.pk)

    services.delete_market(host, draft.pk)

    assert Market.objects.get(pk=shown.pk).number == 2


@pytest.mark.parametrize("step", ["show", "open"])
def test_a_market_once_shown_is_refused_and_kept(host, game, market, step):
    if step == "show":
        services.show_market(host, market.pk)
    else:
        services.open_market(host, market.pk)

    with pytest.raises(services.MarketShown) as refused:
        services.delete_market(host, market.pk)

    assert refused.value.code == "market_shown"
    assert Market.objects.filter(pk=market.pk).exists()


def test_another_host_finds_no_such_market(other_host, market):
    with pytest.raises(services.NotFound):
        services.delete_market(other_host, market.pk)
    assert Market.objects.filter(pk=market.pk).exists()


def test_its_picture_is_deleted_once_the_delete_commits(host, game, media, django_capture_on_commit_callbacks):
    kept = services.picture_from(pictures.jar(), name="jar.jpg", alt="The jar")
    gone = services.picture_from(pictures.jar(), name="jar.jpg", alt="Another jar")
    add(host, game, "Kept?", picture=kept)
    draft = add(host, game, "Gone?", picture=gone)
    files = {path.name for path in media.rglob("*") if path.is_file()}
    assert len(files) == 2

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.delete_market(host, draft.pk)

    left = {path.name for path in media.rglob("*") if path.is_file()}
    assert left == files - {draft.picture.rsplit("/", 1)[-1]} and len(left) == 1
    # The host's other screens are told (the picture's removal is the other callback).
    news = [callback.args[0] for callback in callbacks if getattr(callback, "args", None)]
    assert news == [{"kind": "game", "game": game.pk}]
