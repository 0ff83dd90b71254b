"""Whatever arrives in an order, the trade service answers with a trade or a typed refusal that changes
nothing: never another exception (which the API would turn into a 500)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from mmgame import services
from mmgame.api.statuses import http_status
from mmgame.market import Order, Refused
from tests.nested import one_database

from .ledger import fresh_key, rows

pytestmark = [pytest.mark.django_db, one_database]  # refusals; transactions: test_bad_input

anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.sampled_from([Decimal("sNaN"), Decimal("-0"), "120", "", "NaN", [], {}]),
)
plausible_mean = st.one_of(st.floats(min_value=-50, max_value=350), anything)
plausible_sd = st.one_of(st.floats(min_value=-5, max_value=400), anything)
plausible_delta = st.one_of(
    st.floats(min_value=-0.1, max_value=0.1), st.floats(min_value=-1e-3, max_value=1e-3), anything
)

orders = st.one_of(
    st.builds(Order, st.sampled_from(["target", "toward"]), mean=plausible_mean, sd=plausible_sd),
    st.builds(Order, st.just("shares"), delta_1=plausible_delta, delta_2=plausible_delta),
    st.just(Order("close")),
    st.builds(Order, st.text(max_size=8), mean=plausible_mean, sd=plausible_sd),
)
guards = st.fixed_dictionaries(
    {},
    optional={
        "max_cost": st.one_of(st.floats(min_value=-100, max_value=1000), anything),
        "quoted_sequence": st.one_of(st.integers(min_value=-2, max_value=50), anything),
    },
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=orders, guard=guards, who=st.sampled_from(["alice", "bob"]))
def test_any_order_settles_or_is_refused_without_changing_anything(alice, bob, open_market, order, guard, who):
    player = {"alice": alice, "bob": bob}[who]
    before = rows()

    try:
        result = services.place_trade(player, open_market.pk, order, idempotency_key=fresh_key(), **guard)
    except Refused as refused:
        event(f"refused: {refused.code}")
        assert refused.as_dict()["code"] and 400 <= http_status(refused) < 500
        assert rows() == before
    else:
        event("settled")
        assert result.position.wealth.worst()[0] >= 0
        assert rows()["trades"][-1]["id"] == result.trade.pk


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=orders)
def test_any_quote_is_a_quote_or_a_typed_refusal(alice, open_market, order):
    before = rows()

    try:
        services.quote_order(alice, open_market.pk, order)
    except Refused as refused:
        assert refused.as_dict()["code"]

    assert rows() == before
