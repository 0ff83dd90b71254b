"""Setting up a game: creating it and its markets, joining it, the seat token."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mmgame import access, queries, services
from mmgame.api.statuses import http_status
from mmgame.market import InvalidCurve, InvalidNumber, MarketError
from mmgame.models import Game, Market, Player
from mmgame.models.game import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH
from mmgame.queries import shapes as snapshots

from .ledger import rows, target

pytestmark = pytest.mark.django_db


# -- games ----------------------------------------------------------------------------------------


def test_create_game_draws_a_readable_join_code(host):
    game = services.create_game(host, "  Science fair  ")

    assert game.title == "Science fair"
    assert game.status == Game.Status.LOBBY
    assert len(game.join_code) == JOIN_CODE_LENGTH
    assert set(game.join_code) <= set(JOIN_CODE_ALPHABET)


@pytest.mark.parametrize("title", ["", "   ", "x" * 201, None])
def test_create_game_refuses_a_missing_or_long_title(host, title):
    with pytest.raises(MarketError) as refused:
        services.create_game(host, title)

    assert refused.value.details["field"] == "title"
    assert not Game.objects.exists()


def test_find_game_accepts_the_code_in_any_case_and_spacing(game):
    code = game.join_code
    assert services.find_game(f" {code[:3].lower()}-{code[3:]} ") == game


@pytest.mark.parametrize("code", ["", "ZZZZZZ", "ABC", "abcdefgh", "0O1IL0"])
def test_find_game_refuses_an_unknown_code(game, code):
    if code == game.join_code:
        pytest.skip("drew this very code")
    with pytest.raises(services.NotFound):
        services.find_game(code)


# -- markets --------------------------------------------------------------------------------------


def test_add_market_defaults_the_prior_to_the_middle_of_the_range(host, game):
    market = services.add_market(host, game, question="Height of the tower?", lo=100, hi=500)

    assert market.prior_mean == Decimal(300)
    assert market.prior_sd == Decimal(100)  # a quarter of the range
    assert market.mean == pytest.approx(300)
    assert market.sd == pytest.approx(100)
    assert market.status == Market.Status.DRAFT
    assert market.sequence == 0


def test_add_market_defaults_sd_min_to_a_small_fraction_of_the_range(host, game):
    market = services.add_market(host, game, question="Height of the tower?", lo=100, hi=500)

    assert market.sd_min == Decimal(2)  # 1/200 of the width


def test_add_market_defaults_to_normal_liquidity_and_the_default_budget(host, game):
    market = services.add_market(host, game, question="Height of the tower?", lo=100, hi=500)

    assert market.liquidity == services.LIQUIDITY["normal"]
    assert market.budget == 1000.0


@pytest.mark.parametrize("depth", ["thin", "normal", "deep"])
def test_add_market_takes_a_named_liquidity(host, game, depth):
    market = services.add_market(host, game, question="Q?", lo=0, hi=10, liquidity=depth)

    assert market.liquidity == services.LIQUIDITY[depth]


def test_liquidity_presets_grow_from_thin_to_deep():
    assert services.LIQUIDITY["thin"] < services.LIQUIDITY["normal"] < services.LIQUIDITY["deep"]


def test_add_market_numbers_markets_in_order(host, game):
    first = services.add_market(host, game, question="One?", lo=0, hi=1)
    second = services.add_market(host, game, question="Two?", lo=0, hi=1)

    assert (first.number, second.number) == (1, 2)


def test_add_market_keeps_quantities_exact_far_from_zero(host, game):
    far = Decimal("1e9")
    market = services.add_market(
        host, game, question="Population?", lo=far, hi=far + 10, prior_mean=Decimal("1000000000.3"), prior_sd=1
    )
    market.refresh_from_db()

    assert market.prior_mean == Decimal("1000000000.3")
    assert market.mean == pytest.approx(1_000_000_000.3, abs=1e-6)


def test_add_market_by_another_host_is_forbidden(other_host, game):
    with pytest.raises(services.NotFound):
        services.add_market(other_host, game, question="Mine now?", lo=0, hi=1)

    assert not Market.objects.exists()


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"lo": 5, "hi": 5}, InvalidCurve),
        ({"lo": 10, "hi": 0}, InvalidCurve),
        ({"lo": float("nan"), "hi": 1}, InvalidNumber),
        ({"lo": 0, "hi": float("inf")}, InvalidNumber),
        ({"lo": "0", "hi": 1}, InvalidNumber),
        ({"lo": 0, "hi": 1e300}, InvalidNumber),
        ({"lo": 0, "hi": 100, "prior_sd": 0}, InvalidCurve),
        ({"lo": 0, "hi": 100, "prior_sd": -3}, InvalidCurve),
        ({"lo": 0, "hi": 100, "prior_sd": 1, "sd_min": 2}, InvalidCurve),
        ({"lo": 0, "hi": 100, "prior_mean": 101}, InvalidCurve),
        ({"lo": 0, "hi": 100, "sd_min": 0}, InvalidCurve),
        ({"lo": 0, "hi": 100, "liquidity": "enormous"}, InvalidNumber),
        ({"lo": 0, "hi": 100, "liquidity": -1}, InvalidNumber),
        ({"lo": 0, "hi": 100, "liquidity": float("nan")}, InvalidNumber),
        ({"lo": 0, "hi": 100, "liquidity": 1e12}, InvalidNumber),
        ({"lo": 0, "hi": 100, "budget": 0}, InvalidNumber),
        ({"lo": 0, "hi": 100, "budget": float("inf")}, InvalidNumber),
        ({"lo": 0, "hi": 100, "budget": "lots"}, InvalidNumber),
        ({"lo": Decimal("0.5"), "hi": 10, "integer": True}, InvalidNumber),
    ],
    ids=lambda v: repr(v) if not isinstance(v, type) else v.__name__,
)
def test_add_market_refuses_bad_numbers_and_creates_nothing(host, game, fields, error):
    before = rows()

    with pytest.raises(error):
        services.add_market(host, game, question="How many?", **fields)

    assert rows() == before


@pytest.mark.parametrize("question", ["", "   ", "q" * 301])
def test_add_market_refuses_a_missing_or_long_question(host, game, question):
    with pytest.raises(MarketError) as refused:
        services.add_market(host, game, question=question, lo=0, hi=1)

    assert refused.value.details["field"] == "question"
    assert not Market.objects.exists()


def test_add_market_to_a_finished_game_is_refused(host, game):
    services.finish_game(host, game)

    with pytest.raises(services.InvalidTransition):
        services.add_market(host, game, question="Too late?", lo=0, hi=1)


# -- joining --------------------------------------------------------------------------------------


def test_join_game_gives_a_seat_with_the_cleaned_nickname(game):
    player = services.join_game(game.join_code, "  Ada \t  Lovelace\u200b ")

    assert player.nickname == "Ada Lovelace"
    assert player.game == game


def test_join_game_normalises_compatibility_characters(game):
    assert services.join_game(game.join_code, "ＡＤＡ").nickname == "ADA"


def test_nickname_is_unique_in_a_game_regardless_of_case(game, alice):
    with pytest.raises(services.NicknameTaken):
        services.join_game(game.join_code, "aLICE")

    assert Player.objects.filter(game=game).count() == 1


def test_nickname_is_unique_regardless_of_case_beyond_ascii(game):
    services.join_game(game.join_code, "Zoë")

    with pytest.raises(services.NicknameTaken):
        services.join_game(game.join_code, "ZOË")


def test_nickname_is_unique_after_cleaning(game, alice):
    with pytest.raises(services.NicknameTaken):
        services.join_game(game.join_code, "  Alice\u200b")


def test_the_same_nickname_may_play_in_another_game(alice, other_game):
    assert services.join_game(other_game.join_code, "Alice").nickname == "Alice"


@pytest.mark.parametrize("nickname", ["", "   ", "\u200b", "n" * 25, None, 42])
def test_join_game_refuses_an_empty_long_or_non_text_nickname(game, nickname):
    with pytest.raises(MarketError) as refused:
        services.join_game(game.join_code, nickname)

    assert refused.value.details["field"] == "nickname"
    assert not Player.objects.exists()


def test_join_a_finished_game_is_refused(host, game):
    services.finish_game(host, game)

    with pytest.raises(services.InvalidTransition):
        services.join_game(game.join_code, "Latecomer")


# -- the seat token -------------------------------------------------------------------------------


def test_seat_token_finds_the_players_seat(alice):
    assert access.seat(alice.seat_token) == alice


def test_seat_tokens_are_long_random_and_distinct(alice, bob):
    assert len(alice.seat_token) >= 32
    assert alice.seat_token != bob.seat_token


@pytest.mark.parametrize("token", ["", "short", "x" * 32, None, 12345678901234])
def test_seat_refuses_a_wrong_token(alice, token):
    with pytest.raises(access.NotSignedIn):
        access.seat(token)


def test_seat_token_appears_in_no_public_picture(host, alice, bob, open_market, buy):
    result = buy(alice, target(120, 30))
    pictures = [
        snapshots.market_state(open_market),
        snapshots.trade_entry(result.trade),
        snapshots.position_state(open_market, result.position, alice),
        snapshots.standings(queries.market_leaderboard(open_market)),
        snapshots.game_state(alice.game),
    ]

    for picture in pictures:
        assert alice.seat_token not in repr(picture)
        assert bob.seat_token not in repr(picture)


def test_kick_player_is_for_the_host_only(other_host, alice):
    with pytest.raises(services.NotFound):
        services.kick_player(other_host, alice)

    alice.refresh_from_db()
    assert not alice.kicked


def test_a_kicked_nickname_stays_taken(host, game, alice):
    services.kick_player(host, alice)

    with pytest.raises(services.NicknameTaken):
        services.join_game(game.join_code, "Alice")


def test_a_market_is_saved_exactly_as_the_engine_validated_it(host, game):
    """Quantities are rounded to what the database keeps (15 significant digits) before the engine sees them."""
    market = services.add_market(
        host, game, question="Q", lo=Decimal("123.4567890123456789"), hi=Decimal("223.4567890123456789")
    )
    saved = Market.objects.get(pk=market.pk)

    assert (saved.lo, saved.hi) == (Decimal("123.456789012346"), Decimal("223.456789012346"))
    assert (saved.mean_z, saved.sd_z) == (0.0, 0.5)  # the prior, computed on the range as saved


def test_a_range_finer_than_the_database_keeps_is_refused(host, game):
    before = rows()

    with pytest.raises(InvalidCurve):  # both ends are 1000000000.00000 to 15 significant digits
        services.add_market(host, game, question="Q", lo=Decimal("1000000000.000001"), hi=Decimal("1000000000.000003"))

    assert rows() == before


# -- impersonation and squatting (issue 14, finding 5) ----------------------------------------------


@pytest.mark.parametrize("lookalike", ["Аlice", "AIice", "ALICE", "Alice\u200b"])
def test_a_lookalike_of_a_taken_nickname_is_refused(game, alice, lookalike):
    with pytest.raises(services.NicknameTaken):
        services.join_game(game.join_code, lookalike)

    assert list(game.players.all()) == [alice]


@pytest.mark.parametrize("name", ["Alice\u3164", "Alice\u2800", "Alice\u034f", "Alice\u17b4", "\u3164", "\ufdfd" * 24])
def test_an_invisible_or_too_wide_nickname_is_refused(game, name):
    with pytest.raises(MarketError) as refused:
        services.join_game(game.join_code, name)

    assert refused.value.code == "nickname_unreadable"
    assert not Player.objects.exists()


def test_a_game_takes_two_hundred_players_unless_its_host_says_otherwise(host):
    assert services.create_game(host, "Big class").max_players == 200


def test_a_full_game_refuses_the_next_player(host):
    game = services.create_game(host, "Small group", max_players=2)
    services.join_game(game.join_code, "Ann")
    services.join_game(game.join_code, "Ben")

    with pytest.raises(services.GameFull) as refused:
        services.join_game(game.join_code, "Cat")

    assert refused.value.code == "game_full" and http_status(refused.value) == 409
    assert game.players.count() == 2


def test_a_removed_player_frees_a_seat_of_a_full_game(host):
    game = services.create_game(host, "Small group", max_players=1)
    squatter = services.join_game(game.join_code, "Ann")
    services.kick_player(host, squatter)

    assert services.join_game(game.join_code, "Ben").nickname == "Ben"


@pytest.mark.parametrize("most", [0, -1, 2001, True, "10", 2.5])
def test_a_game_takes_one_to_a_thousand_players(host, most):
    with pytest.raises(MarketError) as refused:
        services.create_game(host, "Class", max_players=most)

    assert refused.value.details["field"] == "max_players"
    assert not Game.objects.exists()


def test_the_host_frees_a_removed_players_nickname(host, game, alice):
    services.kick_player(host, alice)
    services.free_nickname(host, alice)

    again = services.join_game(game.join_code, "Alice")

    assert again.nickname == "Alice" and not again.kicked
    alice.refresh_from_db()
    assert alice.kicked and alice.name_freed and alice.nickname == "Alice"


def test_only_a_removed_players_nickname_can_be_freed(host, game, alice):
    with pytest.raises(services.InvalidTransition):
        services.free_nickname(host, alice)

    alice.refresh_from_db()
    assert not alice.name_freed


def test_only_the_host_frees_a_nickname(host, other_host, alice):
    services.kick_player(host, alice)

    with pytest.raises(services.NotFound):
        services.free_nickname(other_host, alice)

    alice.refresh_from_db()
    assert not alice.name_freed
