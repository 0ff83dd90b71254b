"""Reading request bodies: JSON numbers stay exact decimals, and anything JSON forbids is refused.

Python's json module reads 1000000000.3 as a float (1000000000.2999999523…) and accepts the literals
NaN, Infinity and -Infinity. Here decimals become `Decimal`, those literals and duplicate keys are
malformed JSON, a body larger than BODY_LIMIT is refused before it is parsed, and one holding a control
character in any string is refused after (mmgame.text).
"""

from __future__ import annotations

import json

from django.http import HttpRequest
from ninja.parser import Parser

from mmgame.inputs import json_decimal
from mmgame.market import gettext_noop
from mmgame.text import refuse_in

from .statuses import BODY_LIMIT, BodyTooLarge, MalformedBody


def refuse_constant(name: str) -> None:
    raise MalformedBody(gettext_noop("%(name)s is not a JSON number", name=name))


def refuse_duplicates(pairs: list[tuple[str, object]]) -> dict:
    body = dict(pairs)
    if len(body) != len(pairs):
        raise MalformedBody(gettext_noop("a key appears twice in an object"))
    return body


def loads(text: bytes | str) -> object:
    """JSON with exact decimals; MalformedBody for anything else."""
    if len(text) > BODY_LIMIT:  # a chunked body has no Content-Length for statuses.guarded to check
        raise BodyTooLarge(gettext_noop("request bodies are at most %(body_limit)s bytes", body_limit=BODY_LIMIT))
    try:
        body = json.loads(
            text, parse_float=json_decimal, parse_constant=refuse_constant, object_pairs_hook=refuse_duplicates
        )
    except (ValueError, RecursionError):
        raise MalformedBody(gettext_noop("the request body is not valid JSON")) from None
    refuse_in(body)  # every text field at once: a NUL in a title was a 500 on PostgreSQL
    return body


class ExactJSONParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict:
        return loads(request.body)  # type: ignore[return-value]  # a non-object fails the body schema
