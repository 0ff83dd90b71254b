"""The market list's Delete: on a draft no player has seen, asked first; gone once the question was shown."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from mmgame import services
from mmgame.models import Market

pytestmark = pytest.mark.django_db


def delete_url(game, market) -> str:
    return reverse("web:delete_market", args=[game.pk, market.pk])


def delete_forms(page: str) -> list[str]:
    return re.findall(r'<form method="post" action="([^"]*/delete/)" data-confirm="Delete market #\d+\?', page)


def test_only_a_draft_not_yet_shown_offers_delete_and_asks_first(host_client, host, game, market):
    draft = services.add_market(host, game, question="Second?", lo=0, hi=10)
    services.show_market(host, market.pk)

    page = host_client.get(reverse("web:game", args=[game.pk])).content.decode()

    assert delete_forms(page) == [delete_url(game, draft)]


def test_delete_removes_the_draft_and_says_so(host_client, host, game, market):
    draft = services.add_market(host, game, question="Second?", lo=0, hi=10)

    response = host_client.post(delete_url(game, draft), follow=True)

    assert "Market #2 was deleted." in response.content.decode()
    assert list(Market.objects.values_list("question", flat=True)) == ["How many jelly beans?"]


def test_a_shown_market_is_kept_with_the_reason(host_client, host, game, market):
    services.show_market(host, market.pk)

    response = host_client.post(delete_url(game, market), follow=True)

    assert "only a market not yet shown can be deleted" in response.content.decode()
    assert Market.objects.filter(pk=market.pk).exists()


def test_another_hosts_delete_finds_nothing(client, other_host, game, market):
    client.force_login(other_host)

    assert client.post(delete_url(game, market)).status_code == 404
    assert Market.objects.filter(pk=market.pk).exists()
