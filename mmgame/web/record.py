"""The host's class record: each student across their games, its CSV, and the forms that confirm, merge
and split the matches of seats to students (mmgame.services.student_matches decides; a seat of another host's game
is not found)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mmgame import queries, services
from mmgame.languages import said
from mmgame.market import Refused
from mmgame.queries.class_record import TARGET_SHARE

from .exports import stream


@login_required
def record(request: HttpRequest) -> HttpResponse:
    records = queries.class_record(request.user)
    context = {"records": records, "summary": queries.class_summary(records), "target": round(100 * TARGET_SHARE)}
    return render(request, "host/record.html", context)


def share(value: float | None) -> str:
    return "" if value is None else repr(value)


def record_rows(records: list[queries.StudentRecord]):
    yield [
        "student", "confirmed", "nicknames", "games", "markets", "average_score", "scored_markets", "total_profit",
        "first_guess_inside_90", "first_guesses", "first_guess_share", "last_forecast_inside_90", "last_forecasts",
        "last_forecast_share", "share_expected", "game_places",
    ]  # fmt: skip
    for r in records:
        nicknames = "; ".join(dict.fromkeys(seat.nickname for seat in r.seats))
        # Each game's place as its podium ranked it: "2 of 8 (Science fair); 1 of 5 (Week 2)".
        places = "; ".join(f"{at.rank} of {at.count} ({seat.game_title})" for seat, at in r.placed_seats if at)
        yield [
            r.name, "yes" if r.confirmed else "no", nicknames, r.games, r.markets, share(r.average_score), r.scored,
            repr(r.profit), r.first_guess.inside, r.first_guess.count, share(r.first_guess.share),
            r.last_forecast.inside, r.last_forecast.count, share(r.last_forecast.share), repr(TARGET_SHARE), places,
        ]  # fmt: skip


@login_required
def record_csv(request: HttpRequest) -> StreamingHttpResponse:
    rows = list(record_rows(queries.class_record(request.user)))
    response = StreamingHttpResponse(stream(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="class-record.csv"'
    return response


def decide(request: HttpRequest, change, done: str, **arguments) -> HttpResponse:
    """Run one decision; a refusal the host can act on is said on the page (not found stays a 404)."""
    try:
        services_result = change(host=request.user, **arguments)
    except services.NotFound:
        raise
    except Refused as error:
        messages.error(request, said(error.message))
    else:
        messages.success(request, done % {"name": services_result.name})
    return redirect("web:record")


@login_required
@require_POST
def confirm(request: HttpRequest, seat_id: int) -> HttpResponse:
    return decide(request, services.confirm_student, _("%(name)s's seats are confirmed."), seat_id=seat_id)


@login_required
@require_POST
def merge(request: HttpRequest, seat_id: int) -> HttpResponse:
    into = request.POST.get("into", "")
    if not into.isdigit():
        messages.error(request, _("Choose the student to merge with."))
        return redirect("web:record")
    done = _("Merged: the seats are now all %(name)s's.")
    return decide(request, services.merge_students, done, seat_id=seat_id, into_seat_id=int(into))


@login_required
@require_POST
def split(request: HttpRequest, seat_id: int) -> HttpResponse:
    done = _("Split off: %(name)s's seat is now a student of its own.")
    return decide(request, services.split_seat, done, seat_id=seat_id)
