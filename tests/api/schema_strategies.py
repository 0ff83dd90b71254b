"""Requests drawn from the API's own OpenAPI document, and answers checked against it.

A small reading of JSON Schema — the keywords our document uses ($ref, oneOf/anyOf, const, enum, type,
bounds, lengths, pattern, properties, required, additionalProperties, items) — written here rather than
taken from a package, whose pins clashed or were missing; tests/api/test_schema_fuzz.py drives it.
"""

from __future__ import annotations

import math
import re

from hypothesis import strategies as st

JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8)


class Document:
    """An OpenAPI document: resolves references, draws values that fit a schema, checks values against one."""

    def __init__(self, document: dict) -> None:
        self.document = document

    def resolve(self, schema: dict) -> dict:
        while "$ref" in schema:
            node: object = self.document
            for part in schema["$ref"].removeprefix("#/").split("/"):
                node = node[part]  # type: ignore[index]
            schema = node  # type: ignore[assignment]
        return schema

    # -- drawing ----------------------------------------------------------------------------------

    def values(self, schema: dict) -> st.SearchStrategy:
        """Values valid under `schema` (as JSON text would carry them)."""
        schema = self.resolve(schema)
        for key in ("oneOf", "anyOf"):
            if key in schema:
                return st.one_of([self.values(option) for option in schema[key]])
        if "const" in schema:
            return st.just(schema["const"])
        if "enum" in schema:
            return st.sampled_from(schema["enum"])
        kind = schema.get("type")
        if kind == "null":
            return st.none()
        if kind == "boolean":
            return st.booleans()
        if kind == "integer":
            return st.integers(schema.get("minimum"), schema.get("maximum"))
        if kind == "number":
            low, high = schema.get("minimum", schema.get("exclusiveMinimum")), schema.get("maximum")
            above = "exclusiveMinimum" in schema
            floats = st.floats(low, high, allow_nan=False, allow_infinity=False, exclude_min=above)
            first = None if low is None else math.floor(low) + 1 if above else math.ceil(low)
            ints = st.integers(first, None if high is None else math.floor(high))
            edges = st.sampled_from([x for x in (0, 1, -1, 0.5, 1e-9, 120, 1e15, -1e15) if fits(x, schema)])
            return floats | ints | edges
        if kind == "string":
            text = st.text(min_size=schema.get("minLength", 0), max_size=schema.get("maxLength", 24))
            pattern = schema.get("pattern")
            return text.filter(lambda s: re.search(pattern, s) is not None) if pattern else text
        if kind == "array":
            return st.lists(self.values(schema.get("items", {})), max_size=3)
        if kind == "object" or "properties" in schema:
            properties, required = schema.get("properties", {}), set(schema.get("required", ()))
            return st.fixed_dictionaries(
                {name: self.values(sub) for name, sub in properties.items() if name in required},
                optional={name: self.values(sub) for name, sub in properties.items() if name not in required},
            )
        return JSON_SCALARS

    # -- checking ---------------------------------------------------------------------------------

    def problems(self, value: object, schema: dict, where: str = "$") -> list[str]:
        """Why `value` does not fit `schema` (an empty list when it does)."""
        schema = self.resolve(schema)
        for key in ("oneOf", "anyOf"):
            if key in schema:
                options = [self.problems(value, option, where) for option in schema[key]]
                return [] if any(not found for found in options) else [f"{where}: fits none of {key}"]
        if "const" in schema and value != schema["const"]:
            return [f"{where}: {value!r} is not {schema['const']!r}"]
        if "enum" in schema and value not in schema["enum"]:
            return [f"{where}: {value!r} not in {schema['enum']}"]
        kind = schema.get("type")
        if kind is not None and not of_type(value, kind):
            return [f"{where}: {value!r} is not of type {kind}"]
        if not fits(value, schema):
            return [f"{where}: {value!r} is out of bounds"]
        found: list[str] = []
        if isinstance(value, dict):
            properties = schema.get("properties", {})
            found += [f"{where}: {name} is missing" for name in schema.get("required", ()) if name not in value]
            if schema.get("additionalProperties") is False:
                found += [f"{where}: {name} is not allowed" for name in value if name not in properties]
            for name, sub in properties.items():
                if name in value:
                    found += self.problems(value[name], sub, f"{where}.{name}")
        if isinstance(value, list) and "items" in schema:
            for i, item in enumerate(value):
                found += self.problems(item, schema["items"], f"{where}[{i}]")
        return found


def of_type(value: object, kind: str | list) -> bool:
    if isinstance(kind, list):
        return any(of_type(value, k) for k in kind)
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    return {
        "null": value is None,
        "boolean": isinstance(value, bool),
        "integer": number and float(value).is_integer(),
        "number": number,
        "string": isinstance(value, str),
        "array": isinstance(value, list),
        "object": isinstance(value, dict),
    }[kind]


def fits(value: object, schema: dict) -> bool:
    """The bounds and lengths of `schema`, for the values they apply to."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            return False
        if "maximum" in schema and value > schema["maximum"]:
            return False
        if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
            return False
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0) or len(value) > schema.get("maxLength", len(value)):
            return False
        if "pattern" in schema and re.search(schema["pattern"], value) is None:
            return False
    return True
