"""Reading what a screen sends: one frame in, one typed request out, or a ProtocolError saying why.

Nothing here touches the database: a malformed frame is refused before any work is done.
The wire format is documented in docs/protocol.md.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from mmgame import inputs
from mmgame import text as text_rules
from mmgame.market import Order, Refused, gettext_noop
from mmgame.market.errors import Words

MAX_FRAME = 16 * 1024
REQUEST_ID_MAX = 64
ORDER_KINDS = ("target", "toward", "shares", "close")
REQUEST_TYPES = ("trade", "quote", "guess", "snapshot", "ping", "seen")
NONCE_MAX = 64
ORDER_KEYS = frozenset({"kind", *inputs.ORDER_NUMBERS})
QUOTE_KEYS = frozenset({"type", "request_id", "market_id", "order"})
GUESS_KEYS = QUOTE_KEYS | {"reason"}
TRADE_KEYS = QUOTE_KEYS | {"idempotency_key", "max_cost", "max_loss", "quoted_sequence"}
T = TypeVar("T")
# A request as a refusal names it ("a trade request takes no price").
WHAT = {
    "trade": gettext_noop("a trade request"),
    "quote": gettext_noop("a quote request"),
    "guess": gettext_noop("a guess request"),
}


class ProtocolError(Refused):
    """A frame the protocol cannot read; the socket stays open and nothing changes."""

    code = "bad_message"


class BadJson(ProtocolError):
    code = "bad_json"


class TooLarge(ProtocolError):
    code = "too_large"


class UnknownType(ProtocolError):
    code = "unknown_type"


class BadNumber(ProtocolError):
    """A number past what any market takes (NaN, ±∞, beyond 10¹⁵): the engine's code for it."""

    code = "invalid_number"


@dataclass(frozen=True)
class Request:
    """One request from a screen. `market_id`/`order` are set for trades and quotes."""

    type: str
    request_id: str | None = None
    market_id: int | None = None
    order: Order | None = None
    idempotency_key: str | None = None
    max_cost: Decimal | None = None
    max_loss: Decimal | None = None
    quoted_sequence: int | None = None
    nonce: str | None = None  # a `seen` request's echo of a check frame (mmgame.live.reading)
    reason: str | None = None  # a guess's reason, in a line (the service bounds it)


def no_constants(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def decode(text: str | None, data: bytes | None = None) -> dict:
    """The frame as a JSON object. Floats are kept as exact Decimals (10⁹ + 0.3 is not a double)."""
    if text is None:
        raise BadJson(
            gettext_noop("frames are JSON text, not binary") if data is not None else gettext_noop("empty frame")
        )
    if len(text) > MAX_FRAME:
        raise TooLarge(
            gettext_noop("frames are at most %(max_frame)s characters", max_frame=MAX_FRAME), limit=MAX_FRAME
        )
    try:
        body = json.loads(text, parse_float=inputs.json_decimal, parse_constant=no_constants)
    except (ValueError, RecursionError):
        raise BadJson(gettext_noop("the frame is not valid JSON")) from None
    if not isinstance(body, dict):
        raise ProtocolError(gettext_noop("a frame is a JSON object with a type"))
    return body


def request_id_of(body: dict) -> str | None:
    """The request id to echo, or None; a bad one is refused (and not echoed)."""
    rid = body.get("request_id")
    if rid is None:
        return None
    if not isinstance(rid, str) or not 1 <= len(rid) <= REQUEST_ID_MAX:
        raise ProtocolError(
            gettext_noop("request_id is a string of 1 to %(request_id_max)s characters", request_id_max=REQUEST_ID_MAX),
            field="request_id",
        )
    return rid


def follow(rule: Callable[[object], T], value: object, name: str) -> T:
    """Apply one of mmgame.inputs' rules (the API's too): a size refusal is an invalid number, the rest a bad
    message, both naming the field."""
    try:
        return rule(value)
    except inputs.BadInput as refused:
        error = BadNumber if refused.code in inputs.RANGE_CODES else ProtocolError
        raise error(gettext_noop("%(name)s %(problem)s", name=name, problem=refused.message), field=name) from None


def whole_number(body: dict, name: str, *, required: bool) -> int | None:
    value = body.get(name)
    if value is None and not required:
        return None
    return follow(inputs.whole_number, value, name)


def number(value: object, name: str) -> Decimal:
    """A JSON number, kept exact: strings ("0.5"), booleans, NaN and sizes past 10¹⁵ are refused."""
    return follow(inputs.exact_number, value, name)


def only(body: dict, fields: frozenset[str], what: Words, prefix: str = "") -> None:
    """Refuse fields a request does not take, as the API does (a typo must not pass silently)."""
    if extra := sorted(set(body) - fields):
        raise ProtocolError(
            gettext_noop("%(what)s takes no %(extra)s", what=what, extra=", ".join(extra)), field=prefix + extra[0]
        )


def parse_order(body: dict) -> Order:
    raw = body.get("order")
    if not isinstance(raw, dict):
        raise ProtocolError(gettext_noop("order is an object with a kind"), field="order")
    kind = raw.get("kind")
    if kind not in ORDER_KINDS:
        raise ProtocolError(
            gettext_noop("order.kind is one of %(order_kinds)s", order_kinds=", ".join(ORDER_KINDS)), field="order.kind"
        )
    only(raw, ORDER_KEYS, gettext_noop("an order"), "order.")
    try:
        form = inputs.order_fields(kind, {name for name in inputs.ORDER_NUMBERS if raw.get(name) is not None})
    except inputs.BadInput as refused:
        raise ProtocolError(refused.message, field="order") from None
    numbers = {name: number(raw[name], f"order.{name}") for name in form}
    if kind == "shares":  # amounts of shares are floats, as on the API (mmgame.api.numbers.Amount)
        return Order(kind, delta_1=float(numbers["delta_1"]), delta_2=float(numbers["delta_2"]))
    return Order(kind, **numbers)


def parse(text: str | None, data: bytes | None = None, *, allowed: tuple[str, ...] = REQUEST_TYPES) -> Request:
    """Read one frame; `allowed` is what this screen's role may ask for."""
    body = decode(text, data)
    rid = request_id_of(body)
    kind = body.get("type")
    try:
        text_rules.refuse_in(body)  # a NUL in an idempotency key failed the trade on PostgreSQL
        if not isinstance(kind, str) or kind not in allowed:
            raise UnknownType(
                gettext_noop("unknown request type %(kind)s for this screen", kind=f"{kind!r}"), field="type"
            )
        if kind in ("snapshot", "ping"):
            return Request(kind, rid)
        if kind == "seen":
            only(body, frozenset({"type", "request_id", "nonce"}), gettext_noop("a seen request"))
            nonce = body.get("nonce")
            if not isinstance(nonce, str) or not 1 <= len(nonce) <= NONCE_MAX:
                raise ProtocolError(
                    gettext_noop("nonce is a string of 1 to %(nonce_max)s characters", nonce_max=NONCE_MAX),
                    field="nonce",
                )
            return Request(kind, rid, nonce=nonce)
        keys = {"trade": TRADE_KEYS, "guess": GUESS_KEYS}.get(kind, QUOTE_KEYS)
        only(body, keys, WHAT[kind])
        market_id = whole_number(body, "market_id", required=True)
        order = parse_order(body)
        if kind == "guess" and order.kind != "target":
            raise ProtocolError(gettext_noop("a first guess is a curve: an order of kind target"), field="order.kind")
        if kind == "guess":
            reason = body.get("reason")
            if reason is not None and not isinstance(reason, str):
                raise ProtocolError(gettext_noop("reason is a string"), field="reason")
            return Request(kind, rid, market_id, order, reason=reason)
        if kind == "quote":
            return Request(kind, rid, market_id, order)
        key = body.get("idempotency_key")
        if not isinstance(key, str) or not 1 <= len(key) <= 64:
            raise ProtocolError(
                gettext_noop("idempotency_key is a string of 1 to 64 characters"), field="idempotency_key"
            )
        max_cost, max_loss = body.get("max_cost"), body.get("max_loss")
        return Request(
            kind,
            rid,
            market_id,
            order,
            idempotency_key=key,
            max_cost=None if max_cost is None else number(max_cost, "max_cost"),
            max_loss=None if max_loss is None else number(max_loss, "max_loss"),
            quoted_sequence=whole_number(body, "quoted_sequence", required=False),
        )
    except (ProtocolError, text_rules.ControlCharacter) as error:
        error.request_id = rid  # type: ignore[attr-defined]
        raise


def error_frame(error: Refused, request_id: str | None = None) -> dict:
    """The `error` frame for a refused request: its code, message and details."""
    return {"type": "error", **error.as_dict(), "request_id": request_id}


def jsonable(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def dumps(frame: dict) -> str:
    """Serialise a frame once; the same text then goes to every socket that should see it."""
    return json.dumps(frame, separators=(",", ":"), allow_nan=False, default=jsonable)
