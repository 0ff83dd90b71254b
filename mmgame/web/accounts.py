"""Host accounts: teachers sign up and sign in with Django's own auth; players never need one."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.forms import UserCreationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from mmgame.clients import client_address, throttle
from mmgame.languages import said
from mmgame.market import Refused


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """A new host account; one address may sign up a few times an hour, so it is no account factory. With
    SIGNUP_OPEN off the server's administrator makes the accounts (one host's games and bots are capped,
    mmgame.services.caps, and closing sign-up caps the number of hosts)."""
    if not settings.SIGNUP_OPEN:
        return render(request, "registration/signup_closed.html", status=403)
    form = UserCreationForm(request.POST or None)
    if request.method == "POST":
        try:
            throttle("sign-up", client_address(request), limit=settings.SIGNUP_LIMIT_PER_HOUR, per=3600)
        except Refused as error:
            form.is_valid()  # bound, so the page shows what was typed
            form.add_error(None, said(error.message))
            return render(request, "registration/signup.html", {"form": form}, status=429)
        if form.is_valid():
            user = form.save()
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("web:dashboard")
    return render(request, "registration/signup.html", {"form": form})


def signup_open(request: HttpRequest) -> dict:
    """For every page: whether to offer sign-up (settings.SIGNUP_OPEN)."""
    return {"signup_open": settings.SIGNUP_OPEN}
