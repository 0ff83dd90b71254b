"""The host's forms take numbers as people type them, and say every problem at once, next to its field."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from mmgame import services
from mmgame.models import Market, Player

pytestmark = pytest.mark.django_db


def add(host_client, game, **fields):
    body = {"question": "Q?", "liquidity": "normal", "budget": "1000", **fields}
    return host_client.post(reverse("web:new_market", args=[game.pk]), body)


def test_a_population_market_takes_thousands_separators_and_words(host_client, game):
    response = add(
        host_client, game, question="People on Earth?", unit="people", kind="count", lo="1 billion",
        hi="20,000,000,000", prior_mean="8.5e9", prior_sd="2 billion",
    )  # fmt: skip

    assert response.status_code == 302
    market = game.markets.get()
    assert (market.kind, market.integer) == ("count", True)
    assert (market.lo, market.hi, market.prior_mean, market.prior_sd) == (10**9, 2 * 10**10, 85 * 10**8, 2 * 10**9)


def test_a_length_in_micrometres_is_read_in_the_markets_unit(host_client, game):
    response = add(host_client, game, question="Length of E. coli?", unit="m", kind="measure", lo="0", hi="10 µm")

    assert response.status_code == 302
    assert game.markets.get().hi == Decimal("0.00001")


def test_the_magnitude_chooser_scales_the_typed_number(host_client, game):
    response = add(
        host_client, game, unit="people", kind="count", lo="1", lo_magnitude="e9", hi="20", hi_magnitude="e9"
    )

    assert response.status_code == 302
    assert (game.markets.get().lo, game.markets.get().hi) == (10**9, 2 * 10**10)


def test_every_error_of_the_market_form_is_shown_at_once_next_to_its_field(host_client, game):
    response = add(host_client, game, question="", kind="count", lo="10", hi="20.5", prior_sd="abc", budget="0")

    errors = response.context["form"].errors
    assert errors == {
        "question": ["Type the question the players will see."],
        "hi": ["A count or a year has whole-number ends: 20.5 is not one."],
        "prior_sd": ["Type a number, like 8,546,000,000, 8.5e9 or 8.5 billion."],
        "budget": ["The budget is at least 1 point and at most 1,000,000,000 points."],
    }
    page = response.content.decode()
    for field, (message,) in errors.items():
        block = page[page.index(f'id="field-{field}"') :]
        end = block.find('<div class="field', 10)
        assert message.replace("'", "&#x27;") in block[: end if end > 0 else None]
    assert not Market.objects.exists()


def test_the_range_and_the_starting_forecast_are_checked_in_the_forms_words(host_client, game):
    response = add(host_client, game, unit="m", lo="0", hi="10 µm", prior_mean="20 µm", sd_min="0.1 nm")

    assert response.context["form"].errors == {
        "prior_mean": ["The starting forecast's middle must be between 0 m and 10 µm."],
        "sd_min": ["The narrowest give-or-take is at least 1 nm (1/10,000 of the range)."],
    }


def test_an_ambiguous_grouping_is_refused_with_the_way_to_write_it(host_client, game):
    response = add(host_client, game, lo="0", hi="1,00,000")

    assert response.context["form"].errors == {
        "hi": ["Group the digits in threes, like 8,546,000,000; decimals go after “.”, like 2.5."]
    }


def closed(host, market):
    return services.close_market(host, services.open_market(host, market.pk).pk)


@pytest.fixture
def population(host, game):
    return services.add_market(
        host, game, question="People on Earth?", unit="people", kind="count", lo=10**9, hi=2 * 10**10,
        prior_mean=8 * 10**9, prior_sd=2 * 10**9,
    )  # fmt: skip


def test_the_hosts_page_writes_the_market_as_every_screen_does(host_client, host, game, population):
    closed(host, population)
    services.resolve_market(host, population.pk, 8546000000)

    page = host_client.get(reverse("web:game", args=[game.pk])).content.decode()

    assert "1 billion – 20 billion people" in page
    assert "8.0 billion people ± 2.0 billion people" in page
    assert "<strong>8.546 billion people</strong>" in page


def test_a_nickname_that_is_too_long_is_refused_with_a_message(client, game):
    page = client.get(reverse("web:join")).content.decode()
    response = client.post(reverse("web:join"), {"code": game.join_code, "nickname": "A" * 30})

    assert 'name="nickname"' in page and "maxlength" not in page.split('name="nickname"')[1].split(">")[0]
    assert response.context["form"].errors["nickname"] == ["A nickname has at most 24 characters; this one has 30."]
    assert not Player.objects.exists()
