"""The waiting room's pages: the host's switch and list (admit, admit all, turn away), and the phone that waits.

The host's list is a fragment of the game page (templates/host/waiting_room.html) that static/js/waiting-room.js
fetches again every few seconds and after each button; the waiting phone's page asks the API whether it is in
(static/js/waiting.js). Without scripts the forms still work: each redirects back to the game page.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from mmgame import access, queries, services
from mmgame.languages import said
from mmgame.market import Refused
from mmgame.models import Arrival, Game

from .host import hosted_game


class WaitingRoomForm(forms.Form):
    waiting_room = forms.TypedChoiceField(
        choices=[("true", _("Let players in myself")), ("false", _("Let everyone in"))],
        coerce=lambda value: value == "true",
    )


def waiting_context(game: Game) -> dict:
    return {"game": game, "waiting": queries.waiting(game)}


@login_required
@require_GET
def section(request: HttpRequest, game_id: int) -> HttpResponse:
    """The waiting room's part of the game page, alone: what the host's page fetches to stay current."""
    return render(request, "host/waiting_room.html", waiting_context(hosted_game(request, game_id)))


@login_required
@require_POST
def switch(request: HttpRequest, game_id: int) -> HttpResponse:
    game = hosted_game(request, game_id)
    form = WaitingRoomForm(request.POST)
    if form.is_valid():
        services.set_waiting_room(request.user, game, form.cleaned_data["waiting_room"])
    return redirect("web:game", game_id=game.pk)


@login_required
@require_POST
def admit(request: HttpRequest, game_id: int, arrival_id: int) -> HttpResponse:
    return decide(request, game_id, arrival_id, services.admit, _("%(name)s is in the game."))


@login_required
@require_POST
def turn_away(request: HttpRequest, game_id: int, arrival_id: int) -> HttpResponse:
    return decide(request, game_id, arrival_id, services.turn_away, _("%(name)s was turned away."))


def decide(request: HttpRequest, game_id: int, arrival_id: int, act, done: str) -> HttpResponse:
    game = hosted_game(request, game_id)
    arrival: Arrival = access.waiting_arrival(request.user, game, arrival_id)
    try:
        act(request.user, arrival)
    except Refused as error:
        messages.error(request, said(error.message))
    else:
        messages.info(request, done % {"name": arrival.nickname})
    return redirect("web:game", game_id=game.pk)


@login_required
@require_POST
def admit_all(request: HttpRequest, game_id: int) -> HttpResponse:
    game = hosted_game(request, game_id)
    admitted = services.admit_all(request.user, game)
    messages.info(
        request, ngettext("%(count)d player let in.", "%(count)d players let in.", admitted) % {"count": admitted}
    )
    left = len(queries.waiting(game))
    if left:
        messages.error(
            request,
            ngettext(
                "%(count)d still waits: the game is full, or someone took the nickname meanwhile.",
                "%(count)d still wait: the game is full, or someone took their nicknames meanwhile.",
                left,
            )
            % {"count": left},
        )
    return redirect("web:game", game_id=game.pk)


def waiting_page(request: HttpRequest, game: Game, arrival: Arrival) -> HttpResponse:
    """A phone in the waiting room: it waits (and moves on by itself once let in), or is told it was not."""
    if arrival.status == Arrival.Status.TURNED_AWAY:
        return render(request, "player/turned_away.html", {"game": game}, status=403)
    return render(request, "player/waiting.html", {"game": game, "arrival": arrival})
