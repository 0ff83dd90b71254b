"""Building a game from the question bank, and a host's own questions in and out as CSV (mmgame.bank)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import translation

from mmgame import bank, languages
from mmgame.access import check_host
from mmgame.bank import sheet
from mmgame.bank.errors import BadSheet, NoQuestionsChosen, UnknownQuestion
from mmgame.bank.wording import is_word_unit
from mmgame.market import Refused, gettext_noop
from mmgame.models import Game, Market

from . import caps
from .errors import InvalidTransition
from .games import add_market
from .pictures import NotAPicture, Picture, discard, picture_from, read_picture


def said(text: str) -> str:
    return translation.gettext(text) if text else text  # gettext("") is the catalogue's header


def in_language(question: bank.Question) -> bank.Question:
    """A bank question in the active language: its words from the catalogues (mmgame.bank.wording), its
    numbers, its unit's symbol and its key as they are."""
    return replace(
        question,
        question=said(question.question),
        unit=said(question.unit) if is_word_unit(question.unit) else question.unit,
        source=said(question.source),
        explanation=said(question.explanation),
    )


def category_label(category: str) -> str:
    return said(bank.CATEGORIES.get(category, category))


def add_from_bank(host: AbstractBaseUser, game: Game, keys: Iterable[str]) -> list[Market]:
    """Add the chosen bank questions to the game as draft markets, in the bank's order, each with its answer
    entered in advance (the host's secret until the answer is revealed): all of them, or none."""
    check_host(host, game)
    chosen = set(keys)
    if not chosen:
        raise NoQuestionsChosen(gettext_noop("tick at least one question"))
    unknown = sorted(key for key in chosen if bank.by_key(key) is None)
    if unknown:
        raise UnknownQuestion(
            gettext_noop("the bank has no question %(unknown)s", unknown=", ".join(unknown)), keys=unknown
        )
    caps.check_markets(game, len(chosen))
    # Written in the game's language, once: the market's words are the host's to edit from then on.
    with transaction.atomic(), translation.override(languages.of_game(game)):
        return [
            add_market(host, game, **in_language(question).market_arguments())
            for question in bank.questions()
            if question.key in chosen
        ]


# The CSV column a refusal of add_market is about, by the argument it names.
COLUMNS = {
    "question": "question",
    "unit": "unit",
    "lo": "lo",
    "hi": "hi",
    "answer": "answer",
    "prior_mean": "prior",
    "prior_median": "prior",
    "prior_sd": "prior_sd",
    "prior_sd_log": "prior_sd",
    "picture": "picture",
    "picture_alt": "picture_alt",
}


def import_questions(host: AbstractBaseUser, game: Game, data: bytes | str) -> list[Market]:
    """Add the questions of a CSV file (mmgame.bank.sheet), or of a zip of one and its pictures, to the game as
    draft markets. A file with any bad line adds nothing and keeps no picture: BadSheet names every bad line,
    whether it could not be read, makes no market, or names a picture the zip lacks or that is refused."""
    check_host(host, game)
    if Game.objects.filter(pk=game.pk, status=Game.Status.FINISHED).exists():
        raise InvalidTransition(gettext_noop("the game is finished"))
    files: dict[str, bytes] | None = None
    if sheet.is_zip(data):
        data, files = sheet.unzipped(data, most_bytes=settings.MAX_UPLOAD_BODY)
    found, problems = sheet.read_sheet(data)
    if not found and not problems:
        raise BadSheet([{"line": 2, "reason": gettext_noop("the file has a header but no questions")}])
    caps.check_markets(game, len(found))
    markets: list[Market] = []
    try:
        with transaction.atomic():
            for line, question in found:
                try:
                    picture = picture_of(question, files)
                    markets.append(add_market(host, game, picture=picture, **question.market_arguments()))
                except Refused as error:
                    column = COLUMNS.get(str(error.details.get("field")))
                    reason = f"{column}: {error.message}" if column else error.message
                    problems.append({"line": line, "reason": reason})
            if problems:
                raise BadSheet(problems)  # leaving the transaction undoes the markets added above
    except BaseException:
        discard(market.picture for market in markets)  # their rows are undone: so are their files
        raise
    return markets


def picture_of(question: bank.Question, files: dict[str, bytes] | None) -> Picture | None:
    """The picture a line names, from the zip it came in, checked and re-encoded (mmgame.services.pictures)."""
    if not question.picture:
        return None
    if files is None:
        raise NotAPicture(
            gettext_noop(
                "upload a zip of the CSV file and its pictures: %(picture)s is named", picture=question.picture
            ),
            field="picture",
        )
    if question.picture not in files:
        raise NotAPicture(
            gettext_noop("the zip holds no file named %(picture)s", picture=question.picture), field="picture"
        )
    return picture_from(files[question.picture], name=question.picture, alt=question.picture_alt)


def export_questions(host: AbstractBaseUser, game: Game) -> str | bytes:
    """The game's markets as a bank CSV file, answers included (the host's own file): importing it into
    another game makes the same markets, with their source and explanation. A category comes back for
    questions from the bank. A game with pictures comes as a zip of the CSV file and the pictures it names,
    which imports the same way."""
    check_host(host, game)
    markets = list(game.markets.order_by("number"))
    text = sheet.write_sheet(question_of(market) for market in markets)
    pictured = [market for market in markets if market.picture]
    if not pictured:
        return text
    return sheet.zipped(text, {market.picture_name: read_picture(market.picture) for market in pictured})


def question_of(market: Market) -> bank.Question:
    with translation.override(languages.of_game(market.game)):
        known = bank.by_text(market.question) or next(
            (q for q in bank.questions() if said(q.question) == market.question), None
        )
    return bank.Question(
        question=market.question,
        lo=market.lo,
        hi=market.hi,
        unit=market.unit,
        kind=market.kind,
        scale=market.scale,
        answer=market.answer if market.answer is not None else market.outcome,
        prior=market.prior_mean,
        prior_sd=market.prior_sd,
        source=market.source,
        category=known.category if known else "",
        explanation=market.explanation,
        picture=market.picture_name if market.picture else "",
        picture_alt=market.picture_alt,
    )
