"""The teacher's voice: an explanation and a source with each answer, and the students' one-line reasons
for their first guesses, the host's alone until they pick up to three for the reveal (docs/round.md)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mmgame import bank, services
from mmgame.market import Order, Refused
from mmgame.models import Guess, Market
from mmgame.queries import rounds, shapes
from mmgame.services.games import LONGEST_EXPLANATION, LONGEST_SOURCE

pytestmark = pytest.mark.django_db

P = Market.Phase
QUESTION = {"question": "How many beans in the jar?", "lo": 0, "hi": 3000, "kind": "count", "answer": Decimal(1687)}


def now(market: Market) -> Market:
    return Market.objects.get(pk=market.pk)


def to(host, market: Market, *phases: str) -> Market:
    for phase in phases:
        services.step_market(host, market.pk, phase=phase, confirm=True, outcome=1687 if phase == P.ANSWER else None)
    return now(market)


def guess(player, market, mean: float, reason: str | None = None) -> Guess:
    return services.submit_guess(player, market.pk, Order("target", mean=mean, sd=400), reason=reason)


@pytest.fixture
def jar(host, game):
    market = services.add_market(
        host, game, **QUESTION, explanation="12 rows of 140 <b>beans</b>, and 7 more.", source="Counted by 9B"
    )
    return to(host, market, P.QUESTION, P.GUESS)


# -- the explanation and source ------------------------------------------------------------------------


def test_the_explanation_reaches_the_screens_with_the_answer_and_not_before(host, jar):
    for phase in (P.GUESS, P.GUESSES, P.TRADING, P.CLOSED):
        market = to(host, jar, phase) if phase != P.GUESS else now(jar)
        assert shapes.market_state(market)["explanation"] is None, phase
        assert shapes.market_moves(market)["explanation"] is None, phase

    answered = to(host, jar, P.ANSWER)

    shown = {"text": "12 rows of 140 <b>beans</b>, and 7 more.", "source": "Counted by 9B"}
    assert shapes.market_state(answered)["explanation"] == shown  # markup kept as typed: screens show text
    assert shapes.market_moves(to(host, answered, P.LESSON))["explanation"] == shown


def test_a_market_without_explanation_or_source_shows_none_at_the_answer(host, game):
    market = services.add_market(host, game, **QUESTION)
    answered = to(host, market, P.QUESTION, P.TRADING, P.CLOSED, P.ANSWER)
    assert shapes.market_state(answered)["explanation"] is None


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("explanation", "x" * (LONGEST_EXPLANATION + 1), "too_long"),
        ("source", "s" * (LONGEST_SOURCE + 1), "too_long"),
        ("explanation", "one\x1b[2Jtwo", "control_character"),
        ("source", "NASA\x00", "control_character"),
        ("explanation", 12, "invalid"),
    ],
    ids=["long explanation", "long source", "escape", "NUL", "not text"],
)
def test_a_bad_explanation_or_source_adds_no_market(host, game, field, value, code):
    with pytest.raises(Refused) as refused:
        services.add_market(host, game, **QUESTION, **{field: value})
    assert (refused.value.code, refused.value.details["field"]) == (code, field)
    assert not game.markets.exists()


def test_the_longest_explanation_and_source_are_kept_stripped(host, game):
    market = services.add_market(
        host, game, **QUESTION, explanation=" " + "x" * LONGEST_EXPLANATION + " ", source="s" * LONGEST_SOURCE
    )
    assert (len(market.explanation), len(market.source)) == (LONGEST_EXPLANATION, LONGEST_SOURCE)


def test_every_question_of_the_bank_keeps_its_whole_source(host, game):
    """The wall's two lines of source hold the bank's longest (125 characters)."""
    assert max(len(question.source or "") for question in bank.questions()) <= LONGEST_SOURCE


def test_a_bank_question_keeps_its_source(host, game):
    (everest,) = services.add_from_bank(host, game, ["geography-everest"])
    assert everest.source.startswith("China–Nepal joint survey")


# -- reasons: the host's alone until picked -------------------------------------------------------------


def test_a_reason_is_kept_with_the_guess_and_read_by_the_host_alone(host, jar, alice, bob):
    guess(alice, jar, 1500, "  Each row has about 140.  ")
    guess(bob, jar, 900)

    assert rounds.every_reason(jar) == [
        {"guess_id": Guess.objects.get(player=alice).pk, "player_id": alice.pk, "nickname": "Alice",
         "reason": "Each row has about 140.", "picked": False},
    ]  # fmt: skip
    assert rounds.own_reason(jar, alice.pk) == "Each row has about 140."
    assert shapes.market_state(now(jar))["guesses"]["reasons"] is None  # nobody else reads it


def test_a_new_guess_without_a_reason_keeps_the_reason_and_an_empty_one_takes_it_back(host, jar, alice):
    guess(alice, jar, 1500, "rows of 140")
    guess(alice, jar, 1600)
    assert Guess.objects.get(player=alice).reason == "rows of 140"
    guess(alice, jar, 1600, "")
    assert Guess.objects.get(player=alice).reason == ""


@pytest.mark.parametrize(
    ("reason", "code"),
    [("x" * 141, "too_long"), ("bell\x07", "control_character"), ("a\nb", "control_character"), (5, "invalid")],
    ids=["141 characters", "bell", "line break", "not text"],
)
def test_a_bad_reason_stores_neither_the_reason_nor_the_guess(host, jar, alice, reason, code):
    with pytest.raises(Refused) as refused:
        guess(alice, jar, 1500, reason)
    assert (refused.value.code, refused.value.details["field"]) == (code, "reason")
    assert not Guess.objects.exists()
    assert now(jar).sequence == jar.sequence


def reasons_of(host, market, *players):
    for number, player in enumerate(players):
        guess(player, market, 1000 + 100 * number, f"reason {number + 1} <script>alert(1)</script>")
    return [row["guess_id"] for row in rounds.every_reason(market)]


def test_picked_reasons_reach_every_screen_at_the_reveal_and_others_never(host, jar, alice, bob, carol):
    ids = reasons_of(host, jar, alice, bob, carol)

    services.pick_reasons(host, jar.pk, ids[:2])
    assert shapes.market_state(now(jar))["guesses"]["reasons"] is None  # picked, but not revealed yet
    revealed = to(host, jar, P.GUESSES)

    assert shapes.market_moves(revealed)["guesses"]["reasons"] == [
        {"reason": "reason 1 <script>alert(1)</script>", "nickname": "Alice"},
        {"reason": "reason 2 <script>alert(1)</script>", "nickname": "Bob"},
    ]
    assert shapes.market_moves(to(host, revealed, P.TRADING))["guesses"]["reasons"] is None  # the reveal is over


def test_picked_reasons_carry_no_name_when_the_game_hides_names(host, game, jar, alice):
    services.set_hide_names(host, game, True)
    services.pick_reasons(host, jar.pk, reasons_of(host, jar, alice))
    assert shapes.market_state(to(host, jar, P.GUESSES))["guesses"]["reasons"] == [
        {"reason": "reason 1 <script>alert(1)</script>", "nickname": None}
    ]


def test_a_fourth_pick_is_refused_and_the_three_stay(host, jar, alice, bob, carol, game):
    dave = services.join_game(game.join_code, "Dave")
    ids = reasons_of(host, jar, alice, bob, carol, dave)
    services.pick_reasons(host, jar.pk, ids[:3])

    with pytest.raises(Refused) as refused:
        services.pick_reasons(host, jar.pk, ids)

    assert (refused.value.code, refused.value.details["most"]) == ("too_many_reasons", 3)
    assert [row["picked"] for row in rounds.every_reason(jar)] == [True, True, True, False]


def test_picking_anew_unpicks_the_rest(host, jar, alice, bob):
    ids = reasons_of(host, jar, alice, bob)
    services.pick_reasons(host, jar.pk, ids[:1])
    services.pick_reasons(host, jar.pk, ids[1:])
    assert [row["picked"] for row in rounds.every_reason(jar)] == [False, True]


def test_a_changed_reason_is_no_longer_picked(host, jar, alice):
    services.pick_reasons(host, jar.pk, reasons_of(host, jar, alice))
    guess(alice, jar, 1200, "something rude the host never read")
    assert rounds.every_reason(jar)[0]["picked"] is False
    assert shapes.market_state(to(host, jar, P.GUESSES))["guesses"]["reasons"] == []


def test_only_a_guess_with_a_reason_in_this_market_can_be_picked(host, jar, alice, bob, game):
    ids = reasons_of(host, jar, alice)
    without = guess(bob, jar, 800).pk
    other = services.add_market(host, game, question="Another?", lo=0, hi=10)
    for wrong in ([without], [ids[0] + 1000], [2**70], ["1"], [True]):
        with pytest.raises(Refused) as refused:
            services.pick_reasons(host, jar.pk, wrong)
        assert refused.value.code == "not_found"
    with pytest.raises(Refused) as refused:
        services.pick_reasons(host, other.pk, ids)
    assert refused.value.code == "invalid_status_change"  # a draft takes no first guesses
    assert rounds.every_reason(jar)[0]["picked"] is False


def test_no_one_but_the_host_picks(jar, alice, other_host):
    ids = reasons_of(None, jar, alice)
    for who in (other_host, None):
        with pytest.raises(Refused) as refused:
            services.pick_reasons(who, jar.pk, ids)
        assert refused.value.code == "not_found"
    assert not Guess.objects.filter(reason_picked=True).exists()


def test_reasons_are_picked_only_while_the_guesses_are_taken_or_shown(host, jar, alice):
    ids = reasons_of(host, jar, alice)
    trading = to(host, jar, P.GUESSES, P.TRADING)
    with pytest.raises(Refused) as refused:
        services.pick_reasons(host, trading.pk, ids)
    assert refused.value.code == "invalid_status_change"
