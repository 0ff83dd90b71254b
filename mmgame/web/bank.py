"""The host's question bank pages: pick a category, tick questions, add them to the game; upload and
download the game's questions as CSV (mmgame.bank.sheet). Views parse, call a service and redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mmgame import bank, numbers, services
from mmgame.bank import sheet
from mmgame.languages import said
from mmgame.market import Refused

from .forms import QuestionsFileForm
from .host import hosted_game

MOST_PROBLEMS_SHOWN = 20


def bank_page(game_id: int, category: str | None) -> str:
    url = reverse("web:bank", args=[game_id])
    return f"{url}?category={category}" if category in bank.CATEGORIES else url


def shown(question: bank.Question) -> dict:
    """A bank question as the page lists it, in the page's language: its answer and range written as every
    screen writes them."""
    language = get_language()
    question = services.bank_in_language(question)
    return {
        "key": question.key,
        "question": question.question,
        "category": services.bank_category_label(question.category),
        "answer": None
        if question.answer is None
        else numbers.quantity(question.answer, question.kind, question.unit, language=language),
        "range": numbers.quantity_range(question.lo, question.hi, question.kind, question.unit, language=language),
        "log": question.scale == "log",
        # At the normal stakes, from the market's rules alone (never its answer): what the host risks.
        "house_bound": round(services.house_bound(**question.market_arguments())),
        "source": question.source,
        "teacher_answers": question.teacher_answers,
    }


@login_required
def questions(request: HttpRequest, game_id: int) -> HttpResponse:
    """GET: the bank, one category at a time (or all), as ticked boxes; POST: add the ticked questions."""
    game = hosted_game(request, game_id)
    category = request.GET.get("category") or request.POST.get("category")
    category = category if category in bank.CATEGORIES else None
    if request.method == "POST":
        try:
            added = services.add_from_bank(request.user, game, request.POST.getlist("question"))
        except Refused as error:
            messages.error(request, said(error.message))
            return redirect(bank_page(game.pk, category))
        count = len(added)
        messages.success(
            request, ngettext("%(count)d question added.", "%(count)d questions added.", count) % {"count": count}
        )
        return redirect("web:game", game_id=game.pk)
    return render(
        request,
        "host/bank.html",
        {
            "game": game,
            "category": category,
            "categories": [(key, services.bank_category_label(key)) for key in bank.CATEGORIES],
            "questions": [shown(q) for q in bank.in_category(category)],
            "file_form": QuestionsFileForm(),
            "header": ",".join(sheet.HEADER),
        },
    )


@login_required
@require_POST
def import_questions(request: HttpRequest, game_id: int) -> HttpResponse:
    game = hosted_game(request, game_id)
    form = QuestionsFileForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("file", []):
            messages.error(request, error)
        return redirect("web:bank", game_id=game.pk)
    try:
        added = services.import_questions(request.user, game, form.cleaned_data["file"].read())
    except services.BadSheet as error:
        messages.error(request, _("Nothing was added. Fix these lines and upload the file again:"))
        for problem in error.details["problems"][:MOST_PROBLEMS_SHOWN]:
            messages.error(request, _("Line %(line)d: %(reason)s") % {**problem, "reason": said(problem["reason"])})
        hidden = len(error.details["problems"]) - MOST_PROBLEMS_SHOWN
        if hidden > 0:
            messages.error(request, _("…and %(count)d more lines.") % {"count": hidden})
        return redirect("web:bank", game_id=game.pk)
    except Refused as error:
        messages.error(request, said(error.message))
        return redirect("web:bank", game_id=game.pk)
    count = len(added)
    messages.success(
        request,
        ngettext("%(count)d question added from the file.", "%(count)d questions added from the file.", count)
        % {"count": count},
    )
    return redirect("web:game", game_id=game.pk)


@login_required
def export_questions(request: HttpRequest, game_id: int) -> HttpResponse:
    """The game's questions, answers included, as a bank CSV file to keep or upload into another game (a zip
    of it and the pictures when the questions have any)."""
    game = hosted_game(request, game_id)
    exported = services.export_questions(request.user, game)
    if isinstance(exported, bytes):  # with the questions' pictures
        response = HttpResponse(exported, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="game-{game.pk}-questions.zip"'
        return response
    response = HttpResponse(exported, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="game-{game.pk}-questions.csv"'
    return response
