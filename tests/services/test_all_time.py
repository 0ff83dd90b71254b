"""The all-time leaderboard of a host: every game they ran, one row per nickname, by total profit."""

from __future__ import annotations

import pytest

from mmgame import queries, services

from .ledger import fresh_key, target

pytestmark = pytest.mark.django_db


def play(host, title: str, trades: dict[str, tuple[float, float]], outcome: float, joined: tuple[str, ...] = ()):
    """A game of one resolved market: each nickname moves it to its forecast, in order."""
    game = services.create_game(host, title)
    market = services.add_market(host, game, question="How many?", lo=0, hi=300, prior_mean=100, prior_sd=100)
    services.open_market(host, market.pk)
    seats = {name: services.join_game(game.join_code, name) for name in [*trades, *joined]}
    for name, (mean, sd) in trades.items():
        services.place_trade(seats[name], market.pk, target(mean, sd), idempotency_key=fresh_key())
    services.close_market(host, market.pk)
    services.resolve_market(host, market.pk, outcome)
    return game, seats


def game_totals(game) -> dict[str, float]:
    return {s.nickname: s.score for s in queries.game_leaderboard(game)}


def test_each_nickname_adds_up_its_game_totals_over_the_hosts_games(host):
    first, _ = play(host, "Monday", {"Alice": (150, 40), "Bob": (80, 30)}, 140)
    second, _ = play(host, "Tuesday", {"Bob": (130, 20), "alice": (60, 40)}, 135)

    board = queries.all_time_leaderboard(host)

    monday, tuesday = game_totals(first), game_totals(second)
    rows = {row.nickname.casefold(): row for row in board}
    assert set(rows) == {"alice", "bob"}
    assert rows["alice"].score == pytest.approx(monday["Alice"] + tuesday["alice"])
    assert rows["bob"].score == pytest.approx(monday["Bob"] + tuesday["Bob"])
    assert (rows["alice"].games, rows["bob"].games) == (2, 2)
    assert rows["bob"].average == pytest.approx(rows["bob"].score / 2)


def test_the_board_is_ranked_by_total_and_shows_the_newest_spelling(host):
    play(host, "Monday", {"Alice": (150, 40), "Bob": (80, 30)}, 140)
    play(host, "Tuesday", {"alice": (135, 20)}, 135)

    board = queries.all_time_leaderboard(host)

    assert [row.nickname for row in board] == ["alice", "Bob"]
    assert [row.rank for row in board] == [1, 2]
    assert board[0].score > board[1].score


def test_a_nickname_that_joined_without_trading_counts_its_game_at_zero(host):
    play(host, "Monday", {"Alice": (150, 40)}, 140, joined=("Carol",))

    rows = {row.nickname: row for row in queries.all_time_leaderboard(host)}

    assert (rows["Carol"].score, rows["Carol"].games, rows["Carol"].rank) == (0.0, 1, 2)


def test_equal_totals_share_a_rank(host):
    play(host, "Monday", {}, 140, joined=("Bob", "Carol"))

    assert [(row.nickname, row.rank) for row in queries.all_time_leaderboard(host)] == [("Bob", 1), ("Carol", 1)]


def test_another_hosts_games_and_kicked_seats_are_left_out(host, other_host):
    play(host, "Mine", {"Alice": (150, 40)}, 140)
    _, seats = play(host, "Also mine", {"Bob": (150, 40), "Mallory": (60, 80)}, 140)
    play(other_host, "Theirs", {"Alice": (150, 40), "Zed": (140, 40)}, 140)
    services.kick_player(host, seats["Mallory"])

    rows = {row.nickname: row for row in queries.all_time_leaderboard(host)}

    assert set(rows) == {"Alice", "Bob"}
    assert rows["Alice"].games == 1


def test_a_question_counts_once_its_answer_is_shown_as_the_class_record_counts_it(host, game, open_market, alice, buy):
    buy(alice, target(120, 30))
    assert queries.game_leaderboard(game)[0].score != 0  # the game's own board marks it to the market

    (row,) = queries.all_time_leaderboard(host)
    assert row.score == 0  # nothing won yet: the class record says 0 too

    services.close_market(host, open_market.pk)
    (row,) = queries.all_time_leaderboard(host)
    assert row.score == 0  # closed, never answered: still nothing won

    services.resolve_market(host, open_market.pk, 130)
    (row,) = queries.all_time_leaderboard(host)
    (record,) = queries.class_record(host)
    assert row.score == pytest.approx(game_totals(game)["Alice"]) != 0
    assert row.score == record.profit


def test_every_students_total_is_the_class_records_points_won(host):
    play(host, "Monday", {"Alice": (120, 20), "Bob": (90, 40)}, outcome=110)
    play(host, "Tuesday", {"alice": (200, 30), "Carol": (100, 60)}, outcome=150, joined=("Bob",))
    unanswered = services.create_game(host, "Wednesday")
    market = services.add_market(host, unanswered, question="How many?", lo=0, hi=300, prior_mean=100, prior_sd=100)
    services.open_market(host, market.pk)
    seat = services.join_game(unanswered.join_code, "Bob")
    services.place_trade(seat, market.pk, target(250, 20), idempotency_key=fresh_key())

    board = {row.nickname.casefold(): row.score for row in queries.all_time_leaderboard(host)}
    record = {row.name.casefold(): row.profit for row in queries.class_record(host)}

    assert board == record
    assert len(board) == 3 and all(board.values())


def test_a_host_with_no_players_has_an_empty_board(host, game, market):
    assert queries.all_time_leaderboard(host) == []
