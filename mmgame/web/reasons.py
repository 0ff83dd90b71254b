"""The host's page of the students' reasons for their first guesses: read them all, tick up to three for the
wall to show at the reveal (mmgame.services.pick_reasons). Nobody else reads this page (access.every_reason)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mmgame import access, inputs, services
from mmgame.languages import said
from mmgame.market import Refused
from mmgame.queries import lookups, rounds
from mmgame.services.guesses import MOST_PICKED_REASONS


def reasons(request: HttpRequest, game_id: int, market_id: int) -> HttpResponse:
    """GET: every reason given with a first guess; POST `picked` (guess ids): show those at the reveal."""
    game = lookups.game_by_id(game_id=game_id)
    market = None if game is None else lookups.market_in_game(game=game, market_id=market_id)
    if market is None:
        raise Http404
    seen = access.access_game(access.caller(request.user, request.session), game)
    access.every_reason(seen, market)
    status, error = 200, ""
    if request.method == "POST":
        try:
            picked = [inputs.whole_number(int(value)) for value in request.POST.getlist("picked")]
            services.pick_reasons(request.user, market.pk, picked)
        except ValueError:  # not a number, or past any row's id (inputs.BadInput is one)
            status, error = 400, _("Tick the reasons to show.")
        except Refused as refusal:
            status, error = 400, said(refusal.message)
        else:
            messages.success(request, _("The wall shows the reasons you ticked when you reveal the guesses."))
            return redirect("web:reasons", game_id=game.pk, market_id=market.pk)
    context = {"game": game, "market": market, "reasons": rounds.every_reason(market), "most": MOST_PICKED_REASONS}
    return render(request, "host/reasons.html", {**context, "error": error}, status=status)
