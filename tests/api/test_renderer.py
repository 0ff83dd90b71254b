"""Responses are strict JSON: a non-finite float is written as null, never as NaN or Infinity."""

from __future__ import annotations

import json

from mmgame.api.renderer import StrictJSONRenderer


def test_finite_data_is_written_as_is():
    data = {"mean": 1.5, "prices": [1.0, 2.0], "name": "Alice"}

    assert json.loads(StrictJSONRenderer().render(None, data, response_status=200)) == data


def test_non_finite_floats_become_null():
    data = {"worst_case": float("-inf"), "nested": [{"x": float("nan")}, 2.0]}

    text = StrictJSONRenderer().render(None, data, response_status=400)

    assert json.loads(text, parse_constant=lambda name: 1 / 0) == {"worst_case": None, "nested": [{"x": None}, 2.0]}
