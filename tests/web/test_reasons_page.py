"""The host's reasons page: every reason given with a first guess, as text; a fourth pick refused with a 400
and the three kept; another host, a player and a market without guesses get nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mmgame import services
from mmgame.market import Order
from mmgame.models import Guess

pytestmark = pytest.mark.django_db


@pytest.fixture
def guessing(host, market, game):
    for phase in ("question", "guess"):
        services.step_market(host, market.pk, phase=phase)
    for number, name in enumerate(("Ana", "Ben", "Cy", "Di")):
        seat = services.join_game(game.join_code, name)
        services.submit_guess(seat, market.pk, Order("target", mean=100 + number, sd=50), reason=f"<b>{name}</b>")
    return market


def url(market) -> str:
    return reverse("web:reasons", args=[market.game_id, market.pk])


def test_the_host_reads_every_reason_as_text(host_client, guessing):
    page = host_client.get(url(guessing)).content.decode()
    assert "&lt;b&gt;Ana&lt;/b&gt;" in page and "<b>Ana</b>" not in page
    assert page.count('name="picked"') == 4


def test_three_picks_are_kept_and_a_fourth_is_a_400_that_changes_nothing(host_client, guessing):
    ids = [str(pk) for pk in Guess.objects.filter(market=guessing).order_by("id").values_list("id", flat=True)]
    assert host_client.post(url(guessing), {"picked": ids[:3]}).status_code == 302

    refused = host_client.post(url(guessing), {"picked": ids})
    bad = [host_client.post(url(guessing), {"picked": [value]}) for value in ("x", "9" * 30, "-1")]

    assert refused.status_code == 400 and "pick at most 3 reasons" in refused.content.decode()
    assert [answer.status_code for answer in bad] == [400, 400, 400]
    assert list(Guess.objects.filter(market=guessing).order_by("id").values_list("reason_picked", flat=True)) == [
        True, True, True, False
    ]  # fmt: skip


def test_another_host_finds_no_reasons_page(client, other_host, guessing):
    client.force_login(other_host)
    assert client.get(url(guessing)).status_code == 404
    assert client.post(url(guessing), {"picked": []}).status_code == 404
