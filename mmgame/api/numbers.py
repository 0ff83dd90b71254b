"""The number types request bodies may carry: JSON numbers only, finite, of sane size.

The parser hands JSON decimals over as `Decimal` (see parser.py), so a quantity in the question's units
(10⁹ + 0.3) reaches the services exactly; amounts of points and shares become floats only here. Strings,
booleans, NaN and ±Infinity are refused: pydantic's lax mode would turn "12" or true into a number.
The rules themselves are mmgame.inputs, which the websockets apply too.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, TypeVar

from pydantic import Field, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from mmgame import inputs
from mmgame.inputs import LARGEST_ID
from mmgame.services.games import LIQUIDITY as LIQUIDITY_PRESETS

T = TypeVar("T")


def pydantic_error(refused: inputs.BadInput) -> PydanticCustomError:
    """A refusal of mmgame.inputs as pydantic's error: its code as the type, its values as the context (from
    which mmgame.api.statuses says it again in the reader's language)."""
    return PydanticCustomError(refused.code, str(refused.message), refused.values or None)


def as_pydantic(rule: Callable[[object], T]) -> Callable[[object], T]:
    """One of mmgame.inputs' rules as a pydantic validator: a refusal becomes an error of the same code."""

    def validate(value: object) -> T:
        try:
            return rule(value)
        except inputs.BadInput as refused:
            raise pydantic_error(refused) from None

    validate.__name__ = rule.__name__
    return validate


exact_number = as_pydantic(inputs.exact_number)
whole_number = as_pydantic(inputs.whole_number)


def float_number(value: object) -> float:
    return float(exact_number(value))


Quantity = Annotated[
    Decimal,
    PlainValidator(exact_number),
    WithJsonSchema(
        {
            "type": "number",
            "minimum": -1e15,
            "maximum": 1e15,
            "description": "Exact decimal in the question's units; |x| ≤ 10^15 (else invalid_number).",
        }
    ),
]
Amount = Annotated[
    float,
    PlainValidator(float_number),
    WithJsonSchema(
        {"type": "number", "minimum": -1e15, "maximum": 1e15, "description": "|x| ≤ 10^15 (else invalid_number)."}
    ),
]


def liquidity_value(value: object) -> str | float:
    """A preset's name or a number, refused with one error (a union would report a wrong name too)."""
    if isinstance(value, str):
        if value not in LIQUIDITY_PRESETS:
            raise PydanticCustomError("liquidity_preset", "must be thin, normal, deep or a number")
        return value
    return float_number(value)


Liquidity = Annotated[
    str | float,
    PlainValidator(liquidity_value),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "enum": list(LIQUIDITY_PRESETS)},
                {"type": "number", "exclusiveMinimum": 0, "maximum": 1e15},
            ],
            "description": "b, or a preset: "
            + ", ".join(f"{name} (b = {b:g})" for name, b in LIQUIDITY_PRESETS.items())
            + " (README, “Choosing liquidity”).",
        }
    ),
]
Count = Annotated[
    int, PlainValidator(whole_number), WithJsonSchema({"type": "integer", "minimum": 0, "maximum": LARGEST_ID})
]
ObjectId = Annotated[int, Field(ge=1, le=LARGEST_ID)]
