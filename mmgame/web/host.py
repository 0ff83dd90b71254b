"""The host's pages: dashboard, game set-up, market controls, the projector (and its lobby) and podium.

Views parse the form, call one service and redirect; the services decide what is allowed.
"""

from __future__ import annotations

from typing import TypeVar

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mmgame import access, languages, queries, round, services
from mmgame.languages import said
from mmgame.market import Refused
from mmgame.models import Game, Market
from mmgame.queries import lookups

from . import boards
from .forms import (
    LIQUIDITY_LABELS,
    ClueForm,
    GameForm,
    HideNamesForm,
    IncludeBotsForm,
    LanguageForm,
    LateJoinsForm,
    MarketForm,
    PracticeForm,
    add_service_error,
    clue_warnings,
    initial_of,
    stakes_label,
)
from .presets import LESSON, PRESETS, READY_LESSON, STARTS, initial_for, start_url
from .qr import qr_svg
from .strings import control_strings, script_strings

T = TypeVar("T")


def hosted_game(request: HttpRequest, game_id: int) -> Game:
    """The game, if the signed-in user hosts it; to anyone else it is not found (mmgame.access)."""
    game = found(lookups.game_by_id(game_id=game_id))
    access.check_host(request.user, game)
    return game


def found(row: T | None) -> T:
    """The row a page is about, or the page is not found."""
    if row is None:
        raise Http404
    return row


def join_url(request: HttpRequest, game: Game) -> str:
    """Where phones join: the public address when one is set (the host's browser may be on localhost)."""
    path = reverse("web:join_code", args=[game.join_code])
    return settings.PUBLIC_URL + path if settings.PUBLIC_URL else request.build_absolute_uri(path)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "host/dashboard.html", {"games": lookups.dashboard_games(host=request.user)})


@login_required
def all_time(request: HttpRequest) -> HttpResponse:
    """The host's all-time leaderboard: every game they ran, one row per nickname."""
    return render(request, "host/all_time.html", {"standings": queries.all_time_leaderboard(request.user)})


@login_required
def new_game(request: HttpRequest) -> HttpResponse:
    # The game speaks the host's language unless they say otherwise (their picker, or their browser's).
    form = GameForm(request.POST or None, initial={"language": translation.get_language()})
    if request.method == "POST" and form.is_valid():
        try:
            game = services.create_game(
                request.user,
                form.cleaned_data["title"],
                hide_names=form.cleaned_data["hide_names"],
                max_players=form.cleaned_data["max_players"],
                language=form.cleaned_data["language"],
            )
        except Refused as error:
            add_service_error(form, error)
        else:
            start = request.POST.get("start")
            if start == READY_LESSON:
                try:
                    added = services.add_from_bank(request.user, game, LESSON)
                except Refused as error:
                    messages.error(request, error.message)
                else:
                    messages.success(request, _("%(count)d questions added.") % {"count": len(added)})
            return redirect(start_url(game, start))
    return render(request, "host/new_game.html", {"form": form, "starts": STARTS})


def autopilot_settings(game: Game) -> dict:
    """The control room's autopilot form: each timed phase's name and time, and what a question takes."""
    seconds, names = game.phase_seconds(), control_strings()
    phases = [(phase, names[f"phase_{phase}"], seconds[phase]) for phase in round.TIMED]
    return {"phases": phases, **round.question_seconds(seconds)}


@login_required
def game_detail(request: HttpRequest, game_id: int) -> HttpResponse:
    game = hosted_game(request, game_id)
    markets = queries.game_markets(game)
    for market in markets:
        market.editable = access.editable(market)
        market.stakes = stakes_label(market)
        # What the host should fix before the round, beside the button that fixes it (while clues can change).
        market.warnings = clue_warnings(market) if round.PHASES[market.phase].clues or market.editable else []
    drafts = [m for m in markets if m.editable]
    for at, market in enumerate(drafts):  # the markets a Move up / Move down swaps it with
        market.up = drafts[at - 1] if at else None
        market.down = drafts[at + 1] if at + 1 < len(drafts) else None
    current = lookups.shown_market(game=game)
    players = lookups.players(game=game)
    seen = access.Viewer(game, is_host=True)
    return render(
        request,
        "host/game.html",
        {
            "game": game,
            "languages": settings.LANGUAGES,
            "markets": markets,
            "current": current,
            "players": players,
            "waiting": queries.waiting(game),
            "practice_form": PracticeForm(),
            "practice_count": sum(1 for p in players if p.is_bot and not p.kicked),
            "join_url": join_url(request, game),
            "boards": boards.boards(game, current),
            "strings": {**script_strings(), **control_strings()},
            "autopilot": autopilot_settings(game),
            # The answers entered in advance, for the host's own page (mmgame.access.secret_answer).
            "answers": {str(m.pk): str(access.secret_answer(seen, m)) for m in markets if m.answer is not None},
        },
    )


@login_required
def new_market(request: HttpRequest, game_id: int) -> HttpResponse:
    game = hosted_game(request, game_id)
    if request.method == "POST":
        form = MarketForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                market = services.add_market(request.user, game, picture=form.uploaded, **form.service_arguments())
            except Refused as error:
                add_service_error(form, error)
            else:
                return added_or_saved(request, market, _("Market %(number)d added."), warned=bool(form.warnings))
    else:
        form = MarketForm(initial=initial_for(request.GET.get("preset")))
    return market_page(request, game, form)


def market_page(request: HttpRequest, game: Game, form: MarketForm, market: Market | None = None) -> HttpResponse:
    """The market form: empty (or from a template) to add one, prefilled to edit one not yet shown."""
    liquidity = {key: {"b": b, "label": str(LIQUIDITY_LABELS[key])} for key, b in services.LIQUIDITY.items()}
    context = {"game": game, "form": form, "presets": PRESETS.values(), "liquidity": liquidity, "market": market}
    if market is not None:
        context["warnings"] = clue_warnings(market)
    return render(request, "host/new_market.html", context)


def added_or_saved(request: HttpRequest, market: Market, said: str, *, warned: bool) -> HttpResponse:
    """Back to the game at the market's row, where any warning stands beside its Edit button."""
    messages.success(request, said % {"number": market.number})
    if warned:
        messages.warning(request, _("Market %(number)d has a warning: see its row below.") % {"number": market.number})
    return redirect(reverse("web:game", args=[market.game_id]) + f"#market-{market.pk}")


@login_required
def edit_market(request: HttpRequest, game_id: int, market_id: int) -> HttpResponse:
    """The add form, prefilled, for a market not yet shown; the service refuses one shown (`market_shown`) and
    the form shows its refusal."""
    game = hosted_game(request, game_id)
    market = found(lookups.market_in_game(game=game, market_id=market_id))
    if request.method == "POST":
        form = MarketForm(request.POST, request.FILES, editing=market)
        if form.is_valid():
            try:
                market = services.update_market(
                    request.user, market.pk, picture=form.uploaded, **form.service_arguments()
                )
            except Refused as error:
                add_service_error(form, error)
            else:
                return added_or_saved(request, market, _("Market %(number)d saved."), warned=bool(form.warnings))
    elif not access.editable(market):  # a stale link: say so rather than offer a form the service refuses
        messages.error(
            request, _("Market #%(number)d was shown: it can no longer be edited.") % {"number": market.number}
        )
        return redirect(reverse("web:game", args=[game.pk]) + f"#market-{market.pk}")
    else:
        form = MarketForm(initial=initial_of(market), editing=market)
    return market_page(request, game, form, market)


@login_required
@require_POST
def delete_market(request: HttpRequest, game_id: int, market_id: int) -> HttpResponse:
    """Delete a market not yet shown (the page asked the host first); one shown is refused with a message."""
    game = hosted_game(request, game_id)
    market = found(lookups.market_in_game(game=game, market_id=market_id))
    page = redirect("web:game", game_id=game.pk)
    try:
        services.delete_market(request.user, market.pk)
    except Refused as error:
        messages.error(request, said(error.message))
        return page
    messages.success(request, _("Market #%(number)s was deleted.") % {"number": market.number})
    return page


@login_required
@require_POST
def market_clues(request: HttpRequest, game_id: int, market_id: int) -> HttpResponse:
    """Hand out private clues (each off by about ± the typed %) or none, before the first guesses; warn, as
    the market form does, when the demonstration will not be honest (docs/maths.md § Clues)."""
    game = hosted_game(request, game_id)
    market = found(lookups.market_in_game(game=game, market_id=market_id))
    form = ClueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Type how far off each clue is, in percent: more than 0, at most 1,000."))
        return redirect("web:game", game_id=game.pk)
    try:
        market = services.set_clues(request.user, market.pk, noise=form.cleaned_data["clue_noise"])
    except Refused as error:
        messages.error(request, said(error.message))
        return redirect("web:game", game_id=game.pk)
    if clue_warnings(market):
        messages.warning(request, _("Market %(number)d has a warning: see its row below.") % {"number": market.number})
    return redirect(reverse("web:game", args=[game.pk]) + f"#market-{market.pk}")


@login_required
@require_POST
def hide_names(request: HttpRequest, game_id: int) -> HttpResponse:
    """Hide or show the players' names on their leaderboards, at any point of the game."""
    game = hosted_game(request, game_id)
    form = HideNamesForm(request.POST)
    if form.is_valid():
        services.set_hide_names(request.user, game, form.cleaned_data["hide_names"])
    return redirect("web:game", game_id=game.pk)


@login_required
@require_POST
def game_language(request: HttpRequest, game_id: int) -> HttpResponse:
    """The game's language: the wall and every phone that chose none reload in it (the host's pages keep theirs)."""
    game = hosted_game(request, game_id)
    form = LanguageForm(request.POST)
    if form.is_valid():
        services.set_game_language(request.user, game, form.cleaned_data["language"])
    else:
        messages.error(request, _("Choose one of the languages offered."))
    return redirect("web:game", game_id=game.pk)


@login_required
@require_POST
def late_joins(request: HttpRequest, game_id: int) -> HttpResponse:
    """Close or open joins once a question's first guesses or trading have started (one person, one seat)."""
    game = hosted_game(request, game_id)
    form = LateJoinsForm(request.POST)
    if form.is_valid():
        services.set_late_joins(request.user, game, form.cleaned_data["late_joins"])
    return redirect("web:game", game_id=game.pk)


@login_required
@require_POST
def delete_game(request: HttpRequest, game_id: int) -> HttpResponse:
    """Delete the game with its players' seats, trades, guesses and clues (docs/privacy.md)."""
    game = hosted_game(request, game_id)
    title = game.title
    services.delete_game(request.user, game)
    messages.success(request, _("“%(title)s” was deleted with its players.") % {"title": title})
    return redirect("web:dashboard")


@login_required
@require_POST
def add_practice(request: HttpRequest, game_id: int) -> HttpResponse:
    """Add practice traders: bot seats that trade while the round trades (mmgame.services.practice)."""
    game = hosted_game(request, game_id)
    form = PracticeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Add 1 to 50 practice traders, informed or noise."))
        return redirect("web:game", game_id=game.pk)
    try:
        added = services.add_practice_traders(
            request.user,
            game,
            count=form.cleaned_data["count"],
            knowledge=form.cleaned_data["knowledge"],
            now=timezone.now(),
        )
    except Refused as error:
        messages.error(request, said(error.message))
    else:
        messages.success(request, _("%(count)d practice traders added.") % {"count": len(added)})
    return redirect("web:game", game_id=game.pk)


@login_required
@require_POST
def remove_practice(request: HttpRequest, game_id: int) -> HttpResponse:
    game = hosted_game(request, game_id)
    removed = services.remove_practice_traders(request.user, game)
    messages.info(request, _("%(count)d practice traders removed.") % {"count": removed})
    return redirect("web:game", game_id=game.pk)


@login_required
@require_POST
def include_bots(request: HttpRequest, game_id: int) -> HttpResponse:
    """Whether practice traders are ranked on every board (the podium's, the all-time board too)."""
    game = hosted_game(request, game_id)
    form = IncludeBotsForm(request.POST)
    if form.is_valid():
        services.set_include_bots(request.user, game, include_bots=form.cleaned_data["include_bots"])
    return redirect("web:game", game_id=game.pk)


@login_required
@require_POST
def kick(request: HttpRequest, game_id: int, player_id: int) -> HttpResponse:
    game = hosted_game(request, game_id)
    player = found(lookups.player_in_game(game=game, player_id=player_id))
    services.kick_player(request.user, player)
    messages.info(request, _("%(name)s was removed from the game.") % {"name": player.nickname})
    return redirect("web:game", game_id=game.pk)


@login_required
@require_POST
def free_name(request: HttpRequest, game_id: int, player_id: int) -> HttpResponse:
    """Let someone join under a removed player's nickname."""
    game = hosted_game(request, game_id)
    player = found(lookups.player_in_game(game=game, player_id=player_id))
    try:
        services.free_nickname(request.user, player)
    except Refused as error:
        messages.error(request, said(error.message))
    else:
        messages.info(request, _("Someone else may now join as %(name)s.") % {"name": player.nickname})
    return redirect("web:game", game_id=game.pk)


@login_required
@require_POST
def finish(request: HttpRequest, game_id: int) -> HttpResponse:
    game = hosted_game(request, game_id)
    services.finish_game(request.user, game)
    return redirect("web:podium", game_id=game.pk)


@login_required
def projector(request: HttpRequest, game_id: int) -> HttpResponse:
    """The one page for the classroom wall. It follows the game by itself (static/js/room.js): how to join
    (code, link, QR) and who has, then the live market, each answer with its lesson, and the podium."""
    game = hosted_game(request, game_id)
    languages.speak(request, languages.of_game(game))  # the wall speaks the game's language, not the host's
    url = join_url(request, game)
    context = {
        "game": game,
        "join_url": url,
        "qr": qr_svg(url),
        "players": lookups.active_players(game=game),
        "strings": script_strings(),
        "follows_game": True,
    }
    return render(request, "host/projector.html", context)


@login_required
def lobby(request: HttpRequest, game_id: int) -> HttpResponse:
    """The lobby is the projector before the first market opens: one address for the wall."""
    hosted_game(request, game_id)
    return redirect("web:projector", game_id=game_id)


@login_required
def podium(request: HttpRequest, game_id: int) -> HttpResponse:
    game = hosted_game(request, game_id)
    standings = queries.podium(game)  # practice traders left out unless the host included them
    return render(
        request,
        "host/podium.html",
        {"game": game, "podium": standings[:3], "rest": standings[3:], "bots_left_out": standings.bots_left_out},
    )
