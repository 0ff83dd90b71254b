"""A class's record: each student across a host's games, and the host's decisions on which seats are one
student (confirm, merge, split)."""

from __future__ import annotations

import math

import pytest

from mmgame import queries, services
from mmgame.market import Order
from mmgame.models import Student

from .ledger import fresh_key, target, toward

pytestmark = pytest.mark.django_db

PRIOR = (100.0, 100.0)  # every market here: range [0, 300], prior N(100, 100²)
Z90 = 1.6448536269514722


def play(host, title: str, *, guesses=None, trades=None, outcome: float, joined=()):
    """A game of one market, through its phases: first guesses, trades in order, then the answer."""
    guesses, trades = guesses or {}, trades or {}
    game = services.create_game(host, title)
    market = services.add_market(
        host, game, question="How many?", lo=0, hi=300, prior_mean=100, prior_sd=100, sd_min=1, liquidity=30
    )
    seats = {name: services.join_game(game.join_code, name) for name in dict.fromkeys([*guesses, *trades, *joined])}
    services.step_market(host, market.pk, phase="question")
    services.step_market(host, market.pk, phase="guess")
    for name, (mean, sd) in guesses.items():
        services.submit_guess(seats[name], market.pk, Order("target", mean=mean, sd=sd))
    services.step_market(host, market.pk, phase="guesses", confirm=True)
    services.step_market(host, market.pk, phase="trading")
    for name, (mean, sd) in trades.items():
        # As far as each can afford: the last forecast is the curve they asked for, reached or not.
        services.place_trade(seats[name], market.pk, toward(mean, sd), idempotency_key=fresh_key())
    services.step_market(host, market.pk, phase="closed")
    services.step_market(host, market.pk, phase="answer", outcome=outcome, confirm=True)
    return game, seats


def log_density(x: float, mean: float, sd: float) -> float:
    return -math.log(sd) - (x - mean) ** 2 / (2 * sd * sd) - 0.5 * math.log(2 * math.pi)


def score(forecast: tuple[float, float], answer: float) -> float:
    """ln p_last(x*) − ln p_prior(x*), in the question's units (the scale's Jacobian cancels)."""
    return log_density(answer, *forecast) - log_density(answer, *PRIOR)


def inside(forecast: tuple[float, float], answer: float) -> bool:
    mean, sd = forecast
    return abs(answer - mean) <= Z90 * sd


def profits(game) -> dict[str, float]:
    return {s.nickname: s.score for s in queries.game_leaderboard(game)}


@pytest.fixture
def two_games(host):
    """Monday (answer 140) and Tuesday (answer 135): Alice and Bob play both, Carol only Tuesday."""
    monday_guesses = {"Alice": (150, 20), "Bob": (80, 10)}
    monday_trades = {"Alice": (150, 40), "Bob": (80, 30)}
    tuesday_guesses = {"Carol": (200, 20)}
    tuesday_trades = {"alice": (130, 20), "Bob": (60, 40), "Carol": (135, 20)}
    monday, monday_seats = play(host, "Monday", guesses=monday_guesses, trades=monday_trades, outcome=140)
    tuesday, tuesday_seats = play(host, "Tuesday", guesses=tuesday_guesses, trades=tuesday_trades, outcome=135)
    return monday, tuesday, monday_seats, tuesday_seats


def rows(host) -> dict[str, queries.StudentRecord]:
    return {r.name: r for r in queries.class_record(host)}


def test_the_record_on_a_hand_computed_example(host, two_games):
    monday, tuesday, *_ = two_games
    # The example's intervals, worked out by hand: mean ± 1.645·σ.
    assert inside((150, 20), 140) and not inside((80, 10), 140) and not inside((200, 20), 135)
    assert inside((150, 40), 140) and inside((130, 20), 135) and inside((135, 20), 135)
    assert not inside((80, 30), 140) and not inside((60, 40), 135)

    record = rows(host)

    assert set(record) == {"alice", "Bob", "Carol"}  # the newest spelling names a row
    alice, bob, carol = record["alice"], record["Bob"], record["Carol"]
    assert (alice.games, alice.markets, bob.games, bob.markets, carol.games, carol.markets) == (2, 2, 2, 2, 1, 1)
    assert alice.average_score == pytest.approx((score((150, 40), 140) + score((130, 20), 135)) / 2, rel=1e-9)
    assert bob.average_score == pytest.approx((score((80, 30), 140) + score((60, 40), 135)) / 2, rel=1e-9)
    assert carol.average_score == pytest.approx(score((135, 20), 135), rel=1e-9)
    assert (alice.scored, bob.scored, carol.scored) == (2, 2, 1)
    assert alice.profit == pytest.approx(profits(monday)["Alice"] + profits(tuesday)["alice"])
    assert bob.profit == pytest.approx(profits(monday)["Bob"] + profits(tuesday)["Bob"])
    assert carol.profit == pytest.approx(profits(tuesday)["Carol"])
    assert (alice.first_guess.inside, alice.first_guess.count, alice.first_guess.share) == (1, 1, 1.0)
    assert (bob.first_guess.inside, bob.first_guess.count, bob.first_guess.share) == (0, 1, 0.0)
    assert (carol.first_guess.inside, carol.first_guess.count) == (0, 1)
    assert (alice.last_forecast.inside, alice.last_forecast.count) == (2, 2)
    assert (bob.last_forecast.inside, bob.last_forecast.count) == (0, 2)
    assert (carol.last_forecast.inside, carol.last_forecast.count) == (1, 1)
    assert not any(r.confirmed for r in record.values())


def test_the_class_summary_pools_every_students_answers(host, two_games):
    summary = queries.class_summary(queries.class_record(host))

    assert summary.students == 3
    assert (summary.first_guess.inside, summary.first_guess.count) == (1, 3)
    assert (summary.last_forecast.inside, summary.last_forecast.count) == (3, 5)


def test_a_market_not_yet_answered_is_not_counted(host):
    game = services.create_game(host, "Wednesday")
    market = services.add_market(host, game, question="How many?", lo=0, hi=300, prior_mean=100, prior_sd=100)
    alice = services.join_game(game.join_code, "Alice")
    services.open_market(host, market.pk)
    services.place_trade(alice, market.pk, target(150, 40), idempotency_key=fresh_key())

    (row,) = queries.class_record(host)

    assert (row.games, row.markets, row.scored, row.average_score, row.profit) == (1, 0, 0, None, 0.0)
    assert row.first_guess.share is None and row.last_forecast.share is None


def test_removed_seats_and_other_hosts_games_are_not_counted(host, other_host, two_games):
    *_, tuesday_seats = two_games
    services.kick_player(host, tuesday_seats["Carol"])
    play(other_host, "Theirs", trades={"Alice": (140, 5), "Zed": (140, 5)}, outcome=140)

    record = rows(host)

    assert set(record) == {"alice", "Bob"}
    assert record["alice"].games == 2
    assert queries.class_record(other_host)[0].games == 1


def test_on_a_log_scale_the_interval_is_taken_in_ln_x(host):
    game = services.create_game(host, "Fermi")
    market = services.add_market(
        host, game, question="Piano tuners?", lo=1, hi=100000, scale="log", prior_median=100, prior_sd_log=2
    )
    ann, ben = (services.join_game(game.join_code, name) for name in ("Ann", "Ben"))
    services.step_market(host, market.pk, phase="question")
    services.step_market(host, market.pk, phase="guess")
    # Ann: 90 % sure it is between 100 and 1,000; Ben: about 10, give or take a factor of 2. The answer: 900.
    services.submit_guess(ann, market.pk, Order("target", low=100, high=1000))
    services.submit_guess(ben, market.pk, Order("target", median=10, sd_log=math.log(2)))
    services.step_market(host, market.pk, phase="guesses", confirm=True)
    services.step_market(host, market.pk, phase="trading")
    services.step_market(host, market.pk, phase="closed")
    services.step_market(host, market.pk, phase="answer", outcome=900, confirm=True)

    record = rows(host)

    assert (record["Ann"].first_guess.inside, record["Ben"].first_guess.inside) == (1, 0)


# -- the host's decisions ---------------------------------------------------------------------------


def test_merging_two_nicknames_makes_one_student(host, two_games):
    _, _, _, tuesday = two_games
    bob = rows(host)["Bob"]

    student = services.merge_students(host=host, seat_id=tuesday["Carol"].pk, into_seat_id=bob.ref)

    record = rows(host)
    assert set(record) == {"alice", "Bob"}
    merged = record["Bob"]
    assert merged.student_id == student.pk and merged.confirmed
    assert (merged.games, merged.markets, len(merged.seats)) == (2, 2, 3)
    assert (merged.first_guess.inside, merged.first_guess.count) == (0, 2)
    assert (merged.last_forecast.inside, merged.last_forecast.count) == (1, 3)


def test_a_later_seat_with_a_merged_name_joins_the_student(host, two_games):
    _, _, _, tuesday = two_games
    services.merge_students(host=host, seat_id=tuesday["Carol"].pk, into_seat_id=tuesday["Bob"].pk)

    play(host, "Thursday", joined=("CAROL",), outcome=100)

    record = rows(host)
    assert set(record) == {"alice", "Bob"}
    assert record["Bob"].games == 3 and not record["Bob"].confirmed  # the new seat is matched by name only


def test_splitting_a_seat_makes_it_a_student_of_its_own(host, two_games):
    _, _, _, tuesday = two_games

    services.split_seat(host=host, seat_id=tuesday["alice"].pk)

    record = rows(host)
    assert set(record) == {"Alice", "alice"}.union({"Bob", "Carol"})
    assert (record["Alice"].games, record["alice"].games) == (1, 1)
    assert record["alice"].confirmed and record["alice"].last_forecast.count == 1
    assert record["Alice"].last_forecast.count == 1


def test_a_squatters_later_seats_do_not_follow_the_split_seat(host, two_games):
    _, _, _, tuesday = two_games
    services.split_seat(host=host, seat_id=tuesday["alice"].pk)

    play(host, "Thursday", joined=("Alice",), outcome=100)

    record = rows(host)
    assert record["Alice"].games == 2 and record["alice"].games == 1


def test_a_split_seat_can_be_merged_back(host, two_games):
    _, _, monday, tuesday = two_games
    services.split_seat(host=host, seat_id=tuesday["alice"].pk)

    services.merge_students(host=host, seat_id=tuesday["alice"].pk, into_seat_id=monday["Alice"].pk)

    assert rows(host)["Alice"].games == 2
    assert Student.objects.filter(host=host).count() == 1


def test_confirming_links_every_seat_matched_by_name(host, two_games):
    _, _, monday, tuesday = two_games

    student = services.confirm_student(host=host, seat_id=monday["Alice"].pk)

    assert {p.pk for p in student.seats.all()} == {monday["Alice"].pk, tuesday["alice"].pk}
    assert rows(host)["alice"].confirmed


def test_merging_a_student_with_itself_or_splitting_a_lone_seat_changes_nothing(host, two_games):
    _, _, monday, tuesday = two_games

    with pytest.raises(services.NothingToChange):
        services.merge_students(host=host, seat_id=monday["Alice"].pk, into_seat_id=tuesday["alice"].pk)
    with pytest.raises(services.NothingToChange):
        services.split_seat(host=host, seat_id=tuesday["Carol"].pk)
    assert not Student.objects.exists()


def test_another_host_can_neither_see_nor_change_the_matches(host, other_host, two_games):
    _, _, monday, tuesday = two_games
    _, their_seats = play(other_host, "Theirs", joined=("Mallory",), outcome=100)

    for change in (
        lambda: services.confirm_student(host=other_host, seat_id=monday["Alice"].pk),
        lambda: services.split_seat(host=other_host, seat_id=tuesday["alice"].pk),
        lambda: services.merge_students(host=other_host, seat_id=monday["Bob"].pk, into_seat_id=monday["Alice"].pk),
        lambda: services.merge_students(
            host=other_host, seat_id=their_seats["Mallory"].pk, into_seat_id=monday["Alice"].pk
        ),
        lambda: services.merge_students(host=host, seat_id=their_seats["Mallory"].pk, into_seat_id=monday["Alice"].pk),
    ):
        with pytest.raises(services.NotFound):
            change()
    assert not Student.objects.exists()
    assert [r.name for r in queries.class_record(other_host)] == ["Mallory"]


def test_a_removed_seat_cannot_be_matched(host, two_games):
    _, _, _, tuesday = two_games
    services.kick_player(host, tuesday["Carol"])

    with pytest.raises(services.NotFound):
        services.confirm_student(host=host, seat_id=tuesday["Carol"].pk)


def test_merging_two_confirmed_students_keeps_both_names(host, two_games):
    _, _, monday, tuesday = two_games
    services.confirm_student(host=host, seat_id=tuesday["Carol"].pk)
    services.confirm_student(host=host, seat_id=monday["Bob"].pk)

    services.merge_students(host=host, seat_id=tuesday["Carol"].pk, into_seat_id=monday["Bob"].pk)
    play(host, "Thursday", joined=("Carol", "bob"), outcome=100)

    record = rows(host)
    assert set(record) == {"alice", "Bob"}
    assert (record["Bob"].games, len(record["Bob"].seats)) == (3, 5)
    assert Student.objects.filter(host=host).count() == 1


def test_the_all_time_leaderboard_follows_the_hosts_matches(host, two_games):
    monday, tuesday, monday_seats, tuesday_seats = two_games
    services.split_seat(host=host, seat_id=tuesday_seats["alice"].pk)
    services.merge_students(host=host, seat_id=tuesday_seats["Carol"].pk, into_seat_id=monday_seats["Bob"].pk)

    board = {row.nickname: row for row in queries.all_time_leaderboard(host)}

    assert set(board) == {"Alice", "alice", "Bob"}
    assert (board["Alice"].games, board["alice"].games, board["Bob"].games) == (1, 1, 2)
    expected = profits(monday)["Bob"] + profits(tuesday)["Bob"] + profits(tuesday)["Carol"]
    assert board["Bob"].score == pytest.approx(expected)
