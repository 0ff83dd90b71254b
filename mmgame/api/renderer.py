"""Writing responses: strict JSON. A non-finite float (which json.dumps would write as NaN) becomes null."""

from __future__ import annotations

import json
import math

from django.http import HttpRequest
from ninja.renderers import JSONRenderer


def finite_only(data: object) -> object:
    if isinstance(data, float):
        return data if math.isfinite(data) else None
    if isinstance(data, dict):
        return {key: finite_only(value) for key, value in data.items()}
    if isinstance(data, (list, tuple)):
        return [finite_only(value) for value in data]
    return data


class StrictJSONRenderer(JSONRenderer):
    def render(self, request: HttpRequest, data: object, *, response_status: int) -> str:
        try:
            return json.dumps(data, cls=self.encoder_class, allow_nan=False)
        except ValueError:
            return json.dumps(finite_only(data), cls=self.encoder_class, allow_nan=False)
