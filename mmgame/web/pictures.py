"""A question's picture, served by the app to whoever may see its market (mmgame.access.access_picture).

Every request asks access: the host always, a seat once the question is on screen. The answer names its
exact type, forbids sniffing another, may be kept by the browser alone (`private`: a shared cache must not
hand it to someone access would refuse) and is shown inline under a plain name. The upload endpoints are
the host's market form (mmgame/web/host.py) and `picture` below, within settings.MAX_UPLOAD_BODY.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from mmgame import access, services
from mmgame.languages import said
from mmgame.market import Refused
from mmgame.queries import lookups
from mmgame.services.pictures import content_type

from .forms import PictureForm
from .host import found, hosted_game

CACHE_CONTROL = "private, max-age=3600"  # its name changes with the picture: an hour old is never stale


@require_GET
def picture(request: HttpRequest, market_id: int, name: str) -> HttpResponse:
    who = access.caller(request.user, request.session, request.headers.get("X-Seat-Token"))
    market = access.access_picture(who, market_id, name)
    extension = market.picture.rsplit(".", 1)[-1]
    try:
        stored = default_storage.open(market.picture, "rb")
    except FileNotFoundError:  # replaced or removed since the row was read: its file went when that committed
        raise Http404 from None
    response = FileResponse(
        stored,
        content_type=content_type(market.picture),
        as_attachment=False,
        filename=f"question-{market.number}.{extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = CACHE_CONTROL
    response["Vary"] = "Cookie, X-Seat-Token"
    return response


@login_required
@require_POST
def set_picture(request: HttpRequest, game_id: int, market_id: int) -> HttpResponse:
    """Give a market a picture, replace it or take it away (the market list's picture form)."""
    game = hosted_game(request, game_id)
    market = found(lookups.market_in_game(game=game, market_id=market_id))
    if request.POST.get("remove") == "1":
        services.set_picture(request.user, market.pk, None)
        messages.info(request, _("The picture of market %(number)d was taken away.") % {"number": market.number})
        return redirect("web:game", game_id=game.pk)
    form = PictureForm(request.POST, request.FILES)
    if not form.is_valid():
        reasons = " ".join(str(error) for errors in form.errors.values() for error in errors)
        messages.error(request, _("The picture was not kept: %(reason)s") % {"reason": reasons})
        return redirect("web:game", game_id=game.pk)
    try:
        services.set_picture(request.user, market.pk, form.uploaded)
    except Refused as error:
        messages.error(request, _("The picture was not kept: %(reason)s") % {"reason": said(error.message)})
    else:
        messages.success(request, _("Market %(number)d has its picture.") % {"number": market.number})
    return redirect("web:game", game_id=game.pk)
