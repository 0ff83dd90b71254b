"""Every refusal from /api/ is JSON with a `code` and a `message`, whatever raised it.

Refusals (mmgame.market.Refused) keep their code and details and get the HTTP status of their code from
STATUS, the one table of this face; the framework's own refusals (validation, authentication, unknown
routes, wrong methods, oversized bodies) are mapped onto the same shape; an unexpected exception is logged
and answered with a JSON 500 rather than Django's HTML page.
"""

from __future__ import annotations

import functools
import logging
import math
import re
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import URLPattern, URLResolver, re_path
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from mmgame import inputs, languages
from mmgame.access import NotFound
from mmgame.inputs import RANGE_CODES
from mmgame.market import Refused, gettext_noop
from mmgame.market.errors import Words

logger = logging.getLogger(__name__)

BODY_LIMIT = 16 * 1024  # bytes; no request of this API comes near it
JSON_ONLY = gettext_noop("request bodies are JSON (Content-Type: application/json), not forms")


# The HTTP status of each refusal's code; any other code is a 400 (a request the caller should change).
STATUS = {
    "not_authenticated": 401,
    "not_signed_in": 401,
    "csrf_failed": 403,
    "forbidden": 403,
    "kicked": 403,
    "waiting": 403,
    "turned_away": 403,
    "not_found": 404,
    "method_not_allowed": 405,
    "market_not_open": 409,
    "stale_quote": 409,
    "max_cost_exceeded": 409,
    "max_loss_exceeded": 409,
    "idempotency_conflict": 409,
    "nickname_taken": 409,
    "invalid_status_change": 409,
    "confirm_needed": 409,
    "market_shown": 409,
    "stale_order": 409,
    "guessing_closed": 409,
    "game_full": 409,
    "joins_closed": 409,
    "waiting_room_full": 409,
    "limit_reached": 409,
    "body_too_large": 413,
    "picture_too_large": 413,
    "unsupported_media_type": 415,
    "not_a_picture": 415,
    "rate_limited": 429,
}


# The code of each status the framework answers with on its own.
CODES = {400: "bad_request", 401: "not_authenticated", 403: "forbidden", 404: "not_found", 405: "method_not_allowed"}


def http_status(error: Refused) -> int:
    return STATUS.get(error.code, 400)


class NotAuthenticated(Refused):
    code = "not_authenticated"


class CsrfFailed(Refused):
    """A cookie-authenticated request without a valid CSRF token: it may come from another site."""

    code = "csrf_failed"


class MalformedBody(Refused):
    code = "malformed_json"


class UnsupportedMediaType(Refused):
    """A form (multipart) body, readable or not: this API reads JSON."""

    code = "unsupported_media_type"


class MalformedForm(Refused):
    """A multipart body at a picture's endpoint that Django's parser cannot read."""

    code = "malformed_form"


class BodyTooLarge(Refused):
    code = "body_too_large"


class MethodNotAllowed(Refused):
    code = "method_not_allowed"


def error_response(api: NinjaAPI, request: HttpRequest, error: Refused) -> HttpResponse:
    response = api.create_response(request, languages.said_frame(error.as_dict()), status=http_status(error))
    retry_after = error.details.get("retry_after")
    if isinstance(retry_after, int | float):
        response["Retry-After"] = str(max(1, math.ceil(retry_after)))  # RFC 9110: whole seconds
    return response


def install_handlers(api: NinjaAPI) -> None:
    """Replace Ninja's default handlers (`{"detail": …}`, HTML tracebacks) with the one error shape."""

    def refused(request: HttpRequest, exc: Refused) -> HttpResponse:
        return error_response(api, request, exc)

    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        message = languages.said(describe(exc.errors))
        body = {"code": validation_code(exc.errors), "message": message, "errors": exc.errors}
        return api.create_response(request, body, status=422)

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc.__cause__, Refused):  # the parser's refusal, wrapped by Ninja
            return error_response(api, request, exc.__cause__)
        if isinstance(exc, AuthenticationError):
            return error_response(
                api,
                request,
                NotAuthenticated(gettext_noop("sign in as the host, or send a seat token in the X-Seat-Token header")),
            )
        code = CODES.get(exc.status_code, "error")  # Ninja's own words are English: ours are said instead
        body = {"code": code, "message": languages.said(NOT_VALID)}
        return api.create_response(request, body, status=exc.status_code)

    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(api, request, NotFound(gettext_noop("not found")))

    def too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return error_response(
            api,
            request,
            BodyTooLarge(gettext_noop("request bodies are at most %(body_limit)s bytes", body_limit=BODY_LIMIT)),
        )

    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("unexpected error in %s %s", request.method, request.path)
        body = {"code": "server_error", "message": languages.said(gettext_noop("something went wrong on our side"))}
        return api.create_response(request, body, status=500)

    api.add_exception_handler(Refused, refused)
    api.add_exception_handler(ValidationError, validation_error)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(RequestDataTooBig, too_large)
    api.add_exception_handler(Exception, unexpected)


def validation_code(errors: list[dict]) -> str:
    """`invalid_number` when every problem is a number's size (as on the socket), else `invalid_request`."""
    if errors and all(error.get("type") in RANGE_CODES for error in errors):
        return "invalid_number"
    return "invalid_request"


# What each pydantic error our request bodies can raise says, with the values of its context (the type is
# the key; mmgame.inputs' own rules are in inputs.MESSAGES). Any other type says NOT_VALID: pydantic's `msg` is
# English, and stays so in `errors`, for programs.
PROBLEMS = {
    "missing": gettext_noop("required"),
    "extra_forbidden": gettext_noop("not a field of this request"),
    "string_type": gettext_noop("must be a string"),
    "bool_type": gettext_noop("must be true or false"),
    "int_type": gettext_noop("must be a whole JSON number"),
    "int_parsing": gettext_noop("must be a whole number"),
    "dict_type": gettext_noop("must be a JSON object"),
    "model_type": gettext_noop("must be a JSON object"),
    "model_attributes_type": gettext_noop("must be a JSON object"),
    "list_type": gettext_noop("must be a list"),
    "greater_than": gettext_noop("must be more than %(gt)s"),
    "greater_than_equal": gettext_noop("must be at least %(ge)s"),
    "less_than": gettext_noop("must be less than %(lt)s"),
    "less_than_equal": gettext_noop("must be at most %(le)s"),
    "literal_error": gettext_noop("must be one of %(expected)s"),
    "string_too_short": gettext_noop("must have at least %(min_length)s characters"),
    "string_too_long": gettext_noop("must have at most %(max_length)s characters"),
    "string_pattern_mismatch": gettext_noop("must not be blank"),
    "too_short": gettext_noop("must hold at least %(min_length)s items"),
    "too_long": gettext_noop("must hold at most %(max_length)s items"),
    "json_invalid": gettext_noop("is not valid JSON"),
    "liquidity_preset": gettext_noop("must be thin, normal, deep or a number"),
}
NOT_VALID = gettext_noop("the request is not valid")


def describe(errors: list[dict]) -> Words:
    """One line for people: the first problem and where it is, in words each face says in its reader's
    language (the location stays as the request spells it)."""
    if not errors:
        return NOT_VALID
    first = errors[0]
    where = ".".join(str(part) for part in first.get("loc", ()) if part not in ("body", "payload"))
    problem = problem_of(first)
    return gettext_noop("%(where)s: %(problem)s", where=where, problem=problem) if where else problem


def problem_of(error: dict) -> Words:
    """The words of one pydantic error: its type's sentence with the values of its context, else NOT_VALID."""
    kind = str(error.get("type", ""))
    words = inputs.MESSAGES.get(kind) or PROBLEMS.get(kind)
    if words is None:
        return NOT_VALID
    context = dict(error.get("ctx") or {})
    if "expected" in context:  # "'a', 'b' or 'c'": the choices alone, without pydantic's English "or"
        context["expected"] = ", ".join(re.findall(r"'([^']*)'", str(context["expected"]))) or context["expected"]
    values = {name: context.get(name, "") for name in re.findall(r"%\((\w+)\)s", words.template)}
    return gettext_noop(words.template, **values)


def guarded(api: NinjaAPI, view: Callable, *, endpoint: bool = True) -> Callable:
    """Refuse oversized and form bodies before anything reads them; turn a bare 404 or 405 into the JSON shape.
    The picture endpoints (settings.UPLOAD_PATHS) take a multipart body of up to settings.MAX_UPLOAD_BODY.

    A multipart body at an `endpoint` was a 500: the CSRF check parses it as a form (MultiPartParserError
    when malformed), and a well-formed one consumed the stream the JSON parser reads next."""

    @functools.wraps(view)
    def guarded_view(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        upload = any(re.match(path, request.path) for path in settings.UPLOAD_PATHS)  # a picture's endpoint
        limit = settings.MAX_UPLOAD_BODY if upload else BODY_LIMIT
        if length > limit:
            return error_response(
                api, request, BodyTooLarge(gettext_noop("request bodies are at most %(limit)s bytes", limit=limit))
            )
        if endpoint and request.content_type == "multipart/form-data" and not upload:
            return error_response(api, request, UnsupportedMediaType(JSON_ONLY))
        if upload and request.method == "POST":
            try:
                _ = request.POST  # parsed here, where a broken form is answered, not in the CSRF check
            except MultiPartParserError as error:
                return error_response(
                    api, request, MalformedForm(gettext_noop("the form cannot be read: %(error)s", error=error))
                )
        try:
            response = view(request, *args, **kwargs)
        except Http404:  # Ninja's root view, there only so that the API can reverse its own prefix
            return error_response(
                api, request, NotFound(gettext_noop("no API endpoint at %(path)s", path=request.path))
            )
        if response.status_code == 405 and not response.get("Content-Type", "").startswith("application/json"):
            refused = error_response(
                api, request, MethodNotAllowed(gettext_noop("%(method)s is not allowed here", method=request.method))
            )
            refused["Allow"] = response.get("Allow", "")
            return refused
        return response

    guarded_view.csrf_exempt = True  # type: ignore[attr-defined]  # as every Ninja view: auth checks CSRF
    return guarded_view


class GameAPI(NinjaAPI):
    """A NinjaAPI whose handlers answer every error in the one JSON shape (see `json_urls` for its URLs)."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        install_handlers(self)


def json_urls(api: NinjaAPI) -> tuple[list[URLPattern | URLResolver], str, str]:
    """The API's URL configuration (Ninja's public `api.urls`), each view guarded, and every path it does
    not know answered with the JSON 404: wrapped here, outside Ninja, with Django's own URL objects."""
    patterns, app_name, namespace = api.urls
    guarded_patterns: list[URLPattern | URLResolver] = []
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            view = guarded(api, pattern.callback, endpoint=bool(str(pattern.pattern)))  # not the bare root
            pattern = URLPattern(pattern.pattern, view, pattern.default_args, pattern.name)
        guarded_patterns.append(pattern)

    def unknown(request: HttpRequest, rest: str = "") -> HttpResponse:
        return error_response(api, request, NotFound(gettext_noop("no API endpoint at %(path)s", path=request.path)))

    guarded_patterns.append(re_path(r"^(?P<rest>.*)$", guarded(api, unknown, endpoint=False), name="not-found"))
    return guarded_patterns, app_name, namespace
