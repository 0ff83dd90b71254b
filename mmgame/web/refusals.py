"""How the pages answer a refusal that a view lets through: the page for each code, in one table.

Views catch the refusals they can explain on the page (a form error, a message); anything else, such
as another host's game (mmgame.access: "not found"), reaches this middleware. The API answers its own.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views import defaults

from mmgame.market import Refused

PAGES = {
    "not_found": defaults.page_not_found,
    "not_signed_in": defaults.permission_denied,
    "forbidden": defaults.permission_denied,
    "kicked": defaults.permission_denied,
    "waiting": defaults.permission_denied,
    "turned_away": defaults.permission_denied,
}


class RefusalMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, Refused):
            return None
        page = PAGES.get(exception.code, defaults.bad_request)
        return page(request, exception)
