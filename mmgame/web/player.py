"""The player's pages: join with a code and a nickname (no account), then the live market screen."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from mmgame import access, languages, services
from mmgame.clients import client_address
from mmgame.languages import said
from mmgame.market import Refused
from mmgame.queries import lookups

from . import seats, waiting
from .forms import JoinForm, PhoneLanguageForm, add_service_error, as_sentence
from .strings import script_strings


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"form": JoinForm()})


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, code: str = "") -> HttpResponse:
    """Join a game; a browser that already holds a seat in it goes straight back to that seat. The join link's
    page names its game ("Join “Science week”"): a student who followed it sees they are in the right one."""
    game = None
    if request.method == "POST":
        form = JoinForm(request.POST)
        if form.is_valid():
            try:
                game = services.find_game(form.cleaned_data["code"])
                languages.speak(request, languages.of_game(game))  # its refusals in the game's language
                if seats.held_place(request, game) is None:
                    place = services.join_game(
                        game.join_code, form.cleaned_data["nickname"], address=client_address(request)
                    )
                    seats.remember(request, place)
                return redirect("web:play", game_id=game.pk)
            except Refused as error:
                add_service_error(form, error, sentence=True)
                if error.code == "not_found":
                    form.errors.pop("__all__", None)
                    form.add_error("code", as_sentence(said(error.message)))
    else:
        form = JoinForm(initial={"code": code})
        if code:
            try:
                game = services.find_game(code)
            except Refused:
                game = None
            if game is not None and seats.held_place(request, game) is not None:
                return redirect("web:play", game_id=game.pk)
            if game is not None:
                languages.speak(request, languages.of_game(game))  # the join link speaks its game's language
    return render(request, "player/join.html", {"form": form, "code": code, "game": game})


def play(request: HttpRequest, game_id: int) -> HttpResponse:
    game = lookups.game_by_id(game_id=game_id)
    if game is None:
        raise Http404
    player = seats.seated_player(request, game)
    if player is None:
        arrival = access.arrival_in(access.caller(None, request.session), game)
        if arrival is not None:
            languages.speak(request, languages.of_game(game))
            return waiting.waiting_page(request, game, arrival)
        return redirect("web:join")  # not to the game's code: game ids are easy to guess, codes are not
    languages.speak(request, languages.of_player(player))  # the phone speaks its player's or the game's language
    if player.kicked:
        return render(request, "player/kicked.html", {"game": game}, status=403)
    context = {
        "game": game,
        "player": player,
        "strings": script_strings(),
        "language_form": PhoneLanguageForm(initial={"language": player.language}),
        "follows_game": not player.language,
    }
    return render(request, "player/play.html", context)


@require_POST
def phone_language(request: HttpRequest, game_id: int) -> HttpResponse:
    """A player's own language for their phone, kept with their seat; empty follows the game's again."""
    game = lookups.game_by_id(game_id=game_id)
    if game is None:
        raise Http404
    player = seats.seated_player(request, game)
    if player is None or player.kicked:
        return redirect("web:play", game_id=game.pk)
    form = PhoneLanguageForm(request.POST)
    if form.is_valid():
        services.set_phone_language(player, form.cleaned_data["language"])
    return redirect("web:play", game_id=game.pk)
