"""What the pages write, the fields read back: a number written by the one rule, typed into a field as it
reads, is the number that was written (the rounded value), in every kind, unit and language."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from mmgame.numbers import quantity, read_number
from mmgame.numbers.formatting import decompose, round_at, whole_place

UNITS = ["", "m", "g", "s", "Hz", "people", "beans", "°C", "m/s", "km"]


def rounded(value: float, kind: str, place: int) -> Decimal:
    number = round_at(decompose(value), whole_place(kind, place))
    if not number.digits:
        return Decimal(0)
    digits = Decimal(int(number.digits)).scaleb(number.exponent - len(number.digits) + 1)
    return -digits if number.negative else digits


@settings(max_examples=400, deadline=None)
@given(
    value=st.floats(min_value=-1e15, max_value=1e15, allow_nan=False).filter(lambda v: abs(v) > 1e-13 or v == 0),
    kind=st.sampled_from(["count", "year", "measure"]),
    unit=st.sampled_from(UNITS),
    place=st.integers(min_value=-14, max_value=12),
    language=st.sampled_from(["en", "es", "fr", "de"]),
)
def test_a_written_number_reads_back_as_itself(value, kind, unit, place, language):
    written = quantity(value, kind, unit, place=place, language=language)

    assert read_number(written, unit=unit, language=language).value == rounded(value, kind, place), written
