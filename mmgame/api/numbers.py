"""The number types request bodies may carry: JSON numbers only, finite, of sane size.

The parser hands JSON decimals over as `Decimal` (see parser.py), so a quantity in the question's units
(10⁹ + 0.3) reaches the services exactly; amounts of points and shares become floats only here. Strings,
booleans, NaN and ±Infinity are refused: pydantic's lax mode would turn "12" or true into a number.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import Field, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from mmgame.market.scale import LARGEST_QUANTITY

LARGEST_ID = 2**63 - 1  # a BigAutoField


def exact_number(value: object) -> Decimal:
    """A JSON number as an exact Decimal: ints and decimals pass, everything else is refused."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise PydanticCustomError("number_type", "must be a JSON number")
    number = Decimal(value)
    if not number.is_finite():
        raise PydanticCustomError("finite_number", "must be a finite number")
    if abs(number) > LARGEST_QUANTITY:
        raise PydanticCustomError("number_too_large", "must be at most 10^15 in size")
    return number


def float_number(value: object) -> float:
    return float(exact_number(value))


def whole_number(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise PydanticCustomError("int_type", "must be a whole JSON number")
    if not 0 <= value <= LARGEST_ID:
        raise PydanticCustomError("int_range", "must be between 0 and 2^63 - 1")
    return value


Quantity = Annotated[
    Decimal,
    PlainValidator(exact_number),
    WithJsonSchema({"type": "number", "description": "Exact decimal in the question's units; |x| ≤ 10^15."}),
]
Amount = Annotated[
    float,
    PlainValidator(float_number),
    WithJsonSchema({"type": "number", "description": "Finite number; |x| ≤ 10^15."}),
]
Count = Annotated[int, PlainValidator(whole_number), WithJsonSchema({"type": "integer", "minimum": 0})]
ObjectId = Annotated[int, Field(ge=1, le=LARGEST_ID)]
