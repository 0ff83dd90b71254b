"""The market list shows what each market asks of the class, so the teacher need not open it to know (#25 item 4):
first guesses, clues, an answer entered in advance (never the answer itself) and a picture."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from mmgame import services
from tests import pictures

pytestmark = pytest.mark.django_db


def badges(page: str, market) -> list[str]:
    item = re.search(rf'<li class="market[^"]*" id="market-{market.pk}".*?</li>', page, re.S).group(0)
    return re.findall(r'<span class="badge" data-asks="([a-z-]+)"', item)


def test_each_market_shows_what_it_asks(host_client, host, game, media):
    plain = services.add_market(host, game, question="How tall?", lo=0, hi=10, first_guess=False)
    picture = services.picture_from(pictures.jar(), name="jar.jpg", alt="A jar of beans on a desk")
    asking = services.add_market(host, game, question="How many beans?", lo=0, hi=1000, picture=picture)
    services.set_answer(host, asking.pk, 731)
    services.set_clues(host, asking.pk, noise=15)

    page = host_client.get(reverse("web:game", args=[game.pk])).content.decode()

    assert badges(page, plain) == []
    assert badges(page, asking) == ["first-guesses", "clues", "answer", "picture"]
    # What a market does not ask is said too, in words (not by a missing colour).
    plain_row = re.search(rf'id="market-{plain.pk}".*?</li>', page, re.S).group(0)
    assert re.findall(r'data-asks="(no-[a-z-]+)"', plain_row) == ["no-first-guesses", "no-clues", "no-answer"]
    assert "731" not in re.search(rf'id="market-{asking.pk}".*?<form', page, re.S).group(0)
    assert 'title="A jar of beans on a desk">picture</span>' in page
