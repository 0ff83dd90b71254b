"""The host's market form states no rule of a market: it reads what was typed, and each rule the service
(mmgame.services.market_refusals) says is broken is shown next to its field, in the form's words."""

from __future__ import annotations

import pytest

from mmgame import services
from mmgame.market import InvalidCurve
from mmgame.web.forms import MarketForm

pytestmark = pytest.mark.django_db

BROKEN = {
    "question": "How many beans?", "lo": "10", "hi": "5", "prior_mean": "900", "prior_sd": "-1", "sd_min": "0",
    "liquidity": "normal", "budget": "0", "kind": "count",
}  # fmt: skip


def test_what_the_service_does_not_refuse_the_form_does_not_either(monkeypatch):
    monkeypatch.setattr(services, "market_refusals", lambda **arguments: [])

    assert MarketForm(BROKEN).is_valid()


def test_what_the_service_refuses_the_form_shows_on_the_field_it_names(monkeypatch):
    refusal = InvalidCurve("the spread σ must be positive", field="prior_sd_log", rule="positive")
    monkeypatch.setattr(services, "market_refusals", lambda **arguments: [refusal])

    form = MarketForm({**BROKEN, "lo": "1", "hi": "1000", "scale": "log", "prior_mean": "", "prior_sd": "3"})

    assert form.errors == {"prior_sd": ["On a log scale the give-or-take is a factor above 1, like 2."]}


def test_a_refusal_the_form_has_no_words_for_is_the_services_own():
    # An unfair starting forecast (most of its mass outside the range): the service names the nearest fair one.
    form = MarketForm(
        {**BROKEN, "lo": "0", "hi": "300", "prior_mean": "1", "prior_sd": "200", "sd_min": "", "budget": "1000"}
    )

    (message,) = form.errors["prior_sd"]
    assert message.startswith("that starting forecast gives free points")
