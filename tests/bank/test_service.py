"""Building a game from the bank, and a host's questions in and out as CSV (mmgame.services.bank)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from mmgame import access, bank, services
from mmgame.bank import sheet
from mmgame.models import Market

pytestmark = pytest.mark.django_db

FIVE = ["science-moon-distance", "geography-everest", "history-printing-press", "fermi-pool", "room-jelly-beans"]
HEADER = ",".join(sheet.HEADER)


def test_chosen_questions_become_draft_markets_with_their_answers_entered_in_advance(host, game):
    markets = services.add_from_bank(host, game, FIVE)
    assert [m.question for m in markets] == [q.question for q in bank.questions() if q.key in FIVE]
    assert [m.number for m in markets] == [1, 2, 3, 4, 5]
    moon = Market.objects.get(game=game, question=bank.by_key("science-moon-distance").question)
    assert (moon.status, moon.phase, moon.first_guess) == ("draft", "draft", True)
    assert (moon.answer, moon.unit, moon.lo, moon.hi) == (Decimal("384400"), "km", 0, 1000000)
    pool = Market.objects.get(game=game, question=bank.by_key("fermi-pool").question)
    assert (pool.scale, pool.answer) == ("log", Decimal("2500000"))
    beans = Market.objects.get(game=game, question=bank.by_key("room-jelly-beans").question)
    assert beans.answer is None  # the teacher counts the jar


def test_the_answer_entered_from_the_bank_is_the_hosts_secret(host, game):
    services.add_from_bank(host, game, ["science-moon-distance"])
    market = game.markets.get()
    services.open_market(host, market.pk)
    ann = services.join_game(game.join_code, "Ann")
    as_host = access.viewer(access.caller(user=host), game)
    as_player = access.viewer(access.caller(seat_token=ann.seat_token), game)
    as_stranger = access.viewer(access.caller(), game)
    assert access.secret_answer(as_host, market) == Decimal("384400")
    assert access.secret_answer(as_player, market) is None
    assert access.secret_answer(as_stranger, market) is None


def test_an_unknown_question_adds_nothing(host, game):
    with pytest.raises(services.UnknownQuestion) as refused:
        services.add_from_bank(host, game, ["science-moon-distance", "science-no-such-thing"])
    assert refused.value.code == "unknown_question"
    assert not game.markets.exists()


def test_choosing_no_question_is_refused(host, game):
    with pytest.raises(services.NoQuestionsChosen):
        services.add_from_bank(host, game, [])


def test_another_host_cannot_add_to_the_game(other_host, game):
    with pytest.raises(services.NotFound):
        services.add_from_bank(other_host, game, FIVE)
    with pytest.raises(services.NotFound):
        services.import_questions(other_host, game, HEADER + "\nQ,,,,,0,1,,,,\n")
    with pytest.raises(services.NotFound):
        services.export_questions(other_host, game)
    assert not game.markets.exists()


def test_a_finished_game_takes_no_questions(host, game):
    services.finish_game(host, game)
    with pytest.raises(services.InvalidTransition):
        services.add_from_bank(host, game, FIVE)
    with pytest.raises(services.InvalidTransition):
        services.import_questions(host, game, HEADER + "\nQ,,,,,0,1,,,,\n")


# -- CSV import ------------------------------------------------------------------------------------------


def test_a_file_of_own_questions_becomes_markets(host, game):
    data = (
        "question,lo,hi,unit,answer,kind,scale\n"
        "How many pupils are in the school?,100,5000,pupils,812,count,\n"
        'How long is the corridor?,0,"1,000",m,48.5,,\n'
        "How many grains of rice in the bag?,1000,10 million,grains,,count,log\n"
    ).encode("utf-8-sig")  # as a spreadsheet saves "CSV UTF-8", byte-order mark first
    markets = services.import_questions(host, game, data)
    assert [(m.question, m.kind, m.scale, m.answer) for m in markets] == [
        ("How many pupils are in the school?", "count", "linear", Decimal(812)),
        ("How long is the corridor?", "measure", "linear", Decimal("48.5")),
        ("How many grains of rice in the bag?", "count", "log", None),
    ]
    assert (markets[1].lo, markets[1].hi, markets[2].hi) == (0, 1000, 10_000_000)


def test_bad_lines_are_refused_with_their_line_numbers_and_nothing_is_added(host, game):
    data = "\n".join(
        [
            HEADER,
            "A good question,5,,,,0,10,,,,",  # line 2
            "Answer outside,50,,,,0,10,,,,",  # line 3
            ",5,,,,0,10,,,,",  # line 4: no question
            "Bad kind,5,,colour,,0,10,,,,",  # line 5
            "",  # line 6: blank, skipped
            "Not a number,5,,,,zero,10,,,,",  # line 7
            "Log from zero,5,,,log,0,10,,,,",  # line 8: the market refuses it
            "Half a bean,2.5,beans,count,,0,10,,,,",  # line 9
            "Too far,,,,,0,1e20,,,,",  # line 10
        ]
    )
    with pytest.raises(services.BadSheet) as refused:
        services.import_questions(host, game, data)
    problems = refused.value.details["problems"]
    assert [p["line"] for p in problems] == [3, 4, 5, 7, 8, 9, 10]
    reasons = dict((p["line"], p["reason"]) for p in problems)
    assert "outside the range 0 to 10" in reasons[3]
    assert "question is empty" in reasons[4]
    assert "count, year or measure" in reasons[5]
    assert "'zero' is not a number" in reasons[7]
    assert reasons[8] == "lo: on a log scale the range must start above 0"
    assert "whole number" in reasons[9]
    assert "'1e20' is too large" in reasons[10]
    assert refused.value.code == "bad_csv"
    assert refused.value.message.startswith("nothing was added: line 3:")
    assert not game.markets.exists()  # not even line 2


def test_a_line_spanning_two_lines_is_counted_from_where_it_starts(host, game):
    data = HEADER + '\n"A question\nover two lines",5,,,,0,10,,,,\nAnswer outside,50,,,,0,10,,,,\n'
    with pytest.raises(services.BadSheet) as refused:
        services.import_questions(host, game, data)
    assert [p["line"] for p in refused.value.details["problems"]] == [4]


@pytest.mark.parametrize(
    ("header", "says"),
    [
        ("question,lo", "missing column hi"),
        ("question,lo,hi,colour", "unknown column 'colour'"),
        ("question,lo,hi,lo", "column lo named twice"),
    ],
)
def test_a_bad_header_refuses_the_file_at_line_one(host, game, header, says):
    with pytest.raises(services.BadSheet) as refused:
        services.import_questions(host, game, header + "\nQ,0,1\n")
    [problem] = refused.value.details["problems"]
    assert problem["line"] == 1 and says in problem["reason"]
    assert HEADER in problem["reason"]  # the header it wants


def test_a_file_that_is_not_utf8_names_the_line(host, game):
    data = (HEADER + "\nCaf\xe9 question,,,,,0,1,,,,\n").encode("latin-1")
    with pytest.raises(services.BadSheet) as refused:
        services.import_questions(host, game, data)
    assert refused.value.details["problems"][0]["line"] == 2


def test_an_empty_file_and_a_header_alone_are_refused(host, game):
    for data in (b"", HEADER.encode()):
        with pytest.raises(services.BadSheet):
            services.import_questions(host, game, data)


# -- CSV export and the round trip ----------------------------------------------------------------------


def test_export_then_import_makes_the_same_questions(host, game):
    services.add_from_bank(host, game, [*FIVE, "science-absolute-zero", "weather-high"])
    services.add_market(
        host, game, question="=SUM(A1:A9) cells?", unit="-", kind="measure", lo=Decimal("0.001"), hi=2.5,
        prior_mean=Decimal("1.25"), prior_sd=Decimal("0.4"), answer=Decimal("0.75"),
    )  # fmt: skip
    exported = services.export_questions(host, game)
    other = services.create_game(host, "Another class")
    services.import_questions(host, other, exported)
    assert services.export_questions(host, other) == exported
    fields = ("question", "unit", "kind", "scale", "lo", "hi", "prior_mean", "prior_sd", "sd_min", "answer")
    assert list(other.markets.order_by("number").values_list(*fields)) == list(
        game.markets.order_by("number").values_list(*fields)
    )


def test_the_export_keeps_the_bank_source_and_makes_formulas_inert(host, game):
    services.add_from_bank(host, game, ["geography-everest"])
    services.add_market(host, game, question="=1+1", unit="", kind="measure", lo=0, hi=10)
    lines = services.export_questions(host, game).splitlines()
    assert lines[0] == HEADER
    everest = bank.by_key("geography-everest")
    assert lines[1] == (
        f"{everest.question},8848.86,m,measure,linear,0,20000,10000,5000,"
        f"China–Nepal joint survey, announced December 2020: 8,848.86 m,geography,,,"
    ).replace(everest.source, f'"{everest.source}"')
    assert lines[2].startswith("'=1+1,")


def test_the_readmes_example_file_imports_as_written(host, game):
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    example = re.search(r"```csv\n(.+?)```", readme.split("### The question bank\n", 1)[1], re.S).group(1)
    assert example.splitlines()[0] == HEADER
    moon, pupils = services.import_questions(host, game, example)
    assert (moon.answer, moon.unit, moon.hi) == (Decimal(384400), "km", 1_000_000)
    assert (pupils.answer, pupils.kind, pupils.scale) == (None, "count", "log")
    assert (moon.source, moon.explanation) == ("NASA Moon Fact Sheet", "About 30 Earths side by side.")
