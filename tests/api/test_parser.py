"""Request bodies: JSON numbers stay exact, and what JSON forbids (or Python's json tolerates) is refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mmgame.api.parser import loads
from mmgame.api.schemas import ResolveIn, TradeIn
from mmgame.api.statuses import BODY_LIMIT, BodyTooLarge, MalformedBody


def test_decimals_stay_exact():
    assert loads('{"x": 1000000000.3}') == {"x": Decimal("1000000000.3")}
    assert loads('{"x": 0.1}')["x"] + loads('{"x": 0.2}')["x"] == Decimal("0.3")


def test_whole_numbers_stay_integers():
    assert loads('{"x": 12345678901234567890}') == {"x": 12345678901234567890}


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_literals_are_malformed(literal):
    with pytest.raises(MalformedBody):
        loads('{"x": ' + literal + "}")


def test_a_key_twice_is_malformed():
    with pytest.raises(MalformedBody):
        loads('{"x": 1, "x": 2}')


def test_deep_nesting_is_malformed_not_a_crash():
    with pytest.raises(MalformedBody):
        loads("[" * 5000 + "]" * 5000)


def test_a_body_over_the_limit_is_refused_before_parsing():
    with pytest.raises(BodyTooLarge):
        loads(" " * (BODY_LIMIT + 1))


def test_an_exact_outcome_passes_the_schema_unchanged():
    assert ResolveIn.model_validate(loads('{"outcome": 1000000000.3}')).outcome == Decimal("1000000000.3")


def test_amounts_become_floats_and_quantities_stay_decimals():
    body = TradeIn.model_validate(
        loads('{"kind": "target", "mean": 120.1, "sd": 30, "idempotency_key": "k", "max_cost": 2.5}')
    )

    assert (body.mean, body.sd, body.max_cost) == (Decimal("120.1"), Decimal(30), 2.5)
    assert isinstance(body.max_cost, float)
