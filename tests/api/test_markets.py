"""Markets over the API: state, trade feed and leaderboards for anyone; the life cycle for the host."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mmgame import queries, services
from mmgame.market import Order
from mmgame.models import Market, Position
from mmgame.queries.shapes import market_state

from ..services.ledger import rows

pytestmark = pytest.mark.django_db


def trade(player, market, mean, sd, key):
    return services.place_trade(player, market.pk, Order("target", mean=mean, sd=sd), idempotency_key=key)


def test_a_player_reads_a_markets_state(alice_bot, open_market):
    response = alice_bot.get(f"/api/markets/{open_market.pk}")

    assert response.status_code == 200
    assert response.json() == market_state(Market.objects.get(pk=open_market.pk))


def test_a_stranger_finds_no_market(anyone, open_market):
    """No cookie, seat or code: markets cannot be enumerated (mmgame.access)."""
    response = anyone.get(f"/api/markets/{open_market.pk}")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_draft_market_is_the_hosts_secret(anyone, alice_bot, host_api, market):
    for client in (anyone, alice_bot):
        for what in ("", "/trades", "/leaderboard"):
            response = client.get(f"/api/markets/{market.pk}{what}")
            assert (response.status_code, response.json()["code"]) == (404, "not_found")

    assert host_api.get(f"/api/markets/{market.pk}").json()["question"] == "How many jelly beans?"


def test_an_unknown_market_is_a_json_404(anyone, db):
    response = anyone.get("/api/markets/987654")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_trade_feed_lists_the_latest_trades_in_order(alice_bot, open_market, alice, bob):
    for i, (player, mean) in enumerate([(alice, 110), (bob, 90), (alice, 120)]):
        trade(player, open_market, mean, 80, f"k{i}")

    latest_two = alice_bot.get(f"/api/markets/{open_market.pk}/trades", limit=2).json()
    after_first = alice_bot.get(f"/api/markets/{open_market.pk}/trades", after=2).json()

    assert [(t["sequence"], t["nickname"]) for t in latest_two] == [(3, "Bob"), (4, "Alice")]
    assert [t["sequence"] for t in after_first] == [3, 4]
    assert latest_two[1]["mean"] == pytest.approx(120)


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 1000}, {"after": -1}, {"limit": "many"}])
def test_the_trade_feed_refuses_bad_paging(alice_bot, open_market, params):
    response = alice_bot.get(f"/api/markets/{open_market.pk}/trades", **params)

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_request"


def test_market_leaderboard_ranks_by_profit_and_has_no_accuracy_before_resolution(bob_bot, open_market, alice, bob):
    trade(alice, open_market, 150, 50, "a")

    body = bob_bot.get(f"/api/markets/{open_market.pk}/leaderboard").json()

    expected = queries.market_leaderboard(Market.objects.get(pk=open_market.pk))
    assert [(s["player_id"], s["score"], s["rank"]) for s in body["profit"]] == [
        (s.player_id, s.score, s.rank) for s in expected
    ]
    assert body["accuracy"] == []


def test_market_leaderboard_scores_accuracy_after_resolution(bob_bot, host, open_market, alice, bob):
    trade(alice, open_market, 150, 50, "a")
    trade(bob, open_market, 60, 40, "b")
    services.close_market(host, open_market.pk)
    services.resolve_market(host, open_market.pk, 140)

    body = bob_bot.get(f"/api/markets/{open_market.pk}/leaderboard").json()

    assert [s["nickname"] for s in body["accuracy"]] == ["Alice", "Bob"]
    assert body["accuracy"][0]["score"] > 0 > body["accuracy"][1]["score"]
    assert body["status"] == "resolved"


def test_hidden_names_leave_no_id_to_join_a_rank_to_a_name(bob_bot, alice_bot, host, open_market, alice, bob):
    trade(alice, open_market, 120, 40, "a")
    trade(bob, open_market, 60, 40, "b")
    services.close_market(host, open_market.pk)
    services.resolve_market(host, open_market.pk, 118)
    services.set_hide_names(host, open_market.game, True)
    url = f"/api/markets/{open_market.pk}/leaderboard"

    for board in ("profit", "accuracy"):
        seen_by_alice = [(s["player_id"], s["nickname"]) for s in alice_bot.get(url).json()[board]]
        seen_by_bob = [(s["player_id"], s["nickname"]) for s in bob_bot.get(url).json()[board]]

        assert seen_by_alice == [(alice.pk, "Alice"), (None, None)], board
        assert seen_by_bob == [(None, None), (bob.pk, "Bob")], board


def test_the_host_sees_every_name_even_when_hidden(host_api, open_market, alice):
    open_market.game.__class__.objects.filter(pk=open_market.game_id).update(hide_names=True)

    body = host_api.get(f"/api/markets/{open_market.pk}/leaderboard").json()

    assert [s["nickname"] for s in body["profit"]] == ["Alice"]


@pytest.mark.parametrize(
    ("steps", "status"),
    [
        (["open"], "open"),
        (["open", "pause"], "paused"),
        (["open", "pause", "open"], "open"),
        (["open", "close"], "closed"),
    ],
)
def test_host_runs_the_market_life_cycle(host_api, market, steps, status):
    for step in steps:
        response = host_api.post(f"/api/markets/{market.pk}/{step}")
        assert response.status_code == 200

    assert response.json()["status"] == Market.objects.get(pk=market.pk).status == status


def test_a_draft_market_cannot_be_closed(host_api, market):
    response = host_api.post(f"/api/markets/{market.pk}/close")

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_status_change"
    assert Market.objects.get(pk=market.pk).status == "draft"


def test_only_the_host_opens_a_market(intruder_api, market):
    response = intruder_api.post(f"/api/markets/{market.pk}/open")

    assert response.status_code == 404  # another host's game: not found, as on the pages and the socket
    assert Market.objects.get(pk=market.pk).status == "draft"


def test_a_player_cannot_open_a_market(alice_bot, market):
    response = alice_bot.post(f"/api/markets/{market.pk}/open")

    assert response.status_code == 401
    assert Market.objects.get(pk=market.pk).status == "draft"


def test_host_resolves_a_closed_market_and_every_position_is_paid(host_api, open_market, alice, host):
    trade(alice, open_market, 150, 50, "a")
    services.close_market(host, open_market.pk)

    response = host_api.post(f"/api/markets/{open_market.pk}/resolve", {"outcome": 142})

    assert response.status_code == 200
    assert response.json()["status"] == "resolved"
    assert response.json()["outcome_exact"] == "142"
    assert Market.objects.get(pk=open_market.pk).outcome == Decimal(142)
    assert Position.objects.get(player=alice).payout is not None


def test_resolving_keeps_the_outcome_exact(host_api, host, game):
    """1000000000.3 as a float is 1000000000.2999999523…: it must reach the market as a decimal."""
    market = services.add_market(host, game, question="How far?", lo=1000000000, hi=1000000001, prior_sd=Decimal("0.2"))
    services.open_market(host, market.pk)
    services.close_market(host, market.pk)

    response = host_api.post(f"/api/markets/{market.pk}/resolve", raw='{"outcome": 1000000000.3}')

    assert response.status_code == 200
    assert response.json()["outcome_exact"] == "1000000000.3"
    assert Market.objects.get(pk=market.pk).outcome == Decimal("1000000000.3")


def test_an_outcome_outside_the_range_settles_at_its_end(host_api, closed_market):
    response = host_api.post(f"/api/markets/{closed_market.pk}/resolve", {"outcome": 1e6})

    assert response.json()["outcome_exact"] == "300"


BAD_OUTCOMES = [
    ('{"outcome": NaN}', 400, "malformed_json"),
    ('{"outcome": Infinity}', 400, "malformed_json"),
    ('{"outcome": -Infinity}', 400, "malformed_json"),
    ('{"outcome": "142"}', 422, "invalid_request"),
    ('{"outcome": true}', 422, "invalid_request"),
    ('{"outcome": null}', 422, "invalid_request"),
    ('{"outcome": 1e400}', 422, "invalid_number"),
    ('{"outcome": 1000000000000000000000}', 422, "invalid_number"),
    ('{"outcome": [142]}', 422, "invalid_request"),
    ("{}", 422, "invalid_request"),
    ("", 422, "invalid_request"),
    ('{"outcome": 142, "reveal": true}', 422, "invalid_request"),
    ('{"outcome": 142, "outcome": 143}', 400, "malformed_json"),
    ('{"outcome": 14', 400, "malformed_json"),
    ("142", 422, "invalid_request"),
]


@pytest.mark.parametrize(("raw", "status", "code"), BAD_OUTCOMES)
def test_a_bad_outcome_is_refused_and_changes_nothing(host_api, closed_market, alice, raw, status, code):
    before = rows()

    response = host_api.post(f"/api/markets/{closed_market.pk}/resolve", raw=raw)

    assert (response.status_code, response["Content-Type"]) == (status, "application/json; charset=utf-8")
    assert response.json()["code"] == code
    assert response.json()["message"]
    assert rows() == before


def test_an_open_market_cannot_be_resolved(host_api, open_market):
    before = rows()

    response = host_api.post(f"/api/markets/{open_market.pk}/resolve", {"outcome": 100})

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_status_change"
    assert rows() == before


def test_only_the_host_resolves(intruder_api, closed_market):
    before = rows()

    response = intruder_api.post(f"/api/markets/{closed_market.pk}/resolve", {"outcome": 100})

    assert response.status_code == 404
    assert rows() == before


def test_host_closes_a_market_after_a_countdown(host_api, open_market):
    response = host_api.post(f"/api/markets/{open_market.pk}/close", {"countdown": 30})

    assert response.status_code == 200
    market = Market.objects.get(pk=open_market.pk)
    assert market.status == "open" and market.closes_at is not None  # still trading until the deadline
    assert response.json()["closes_at"] is not None


@pytest.mark.parametrize("countdown", [0, 3601, 1.5, "10", True])
def test_a_bad_countdown_is_refused_and_changes_nothing(host_api, open_market, countdown):
    response = host_api.post(f"/api/markets/{open_market.pk}/close", {"countdown": countdown})

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_request"
    market = Market.objects.get(pk=open_market.pk)
    assert (market.status, market.closes_at) == ("open", None)


# -- deleting a market not yet shown (#25 item 4) -----------------------------------------------------


def delete(client, market_id: int):
    return client.client.delete(f"/api/markets/{market_id}", headers=client.headers(csrf=True))


def test_the_host_deletes_a_draft_and_the_markets_after_it_move_up(host, host_api, game, market):
    draft = services.add_market(host, game, question="Second?", lo=0, hi=10)
    third = services.add_market(host, game, question="Third?", lo=0, hi=10)

    response = delete(host_api, draft.pk)

    assert response.status_code == 204
    assert list(Market.objects.order_by("number").values_list("number", "pk")) == [(1, market.pk), (2, third.pk)]


def test_a_market_once_shown_is_refused_with_409_and_kept(host, host_api, market):
    services.show_market(host, market.pk)

    response = delete(host_api, market.pk)

    assert (response.status_code, response.json()["code"]) == (409, "market_shown")
    assert Market.objects.filter(pk=market.pk).exists()


def test_another_host_or_a_player_finds_no_market_to_delete(market, intruder_api, alice_bot):
    for client in (intruder_api, alice_bot):
        assert delete(client, market.pk).status_code in (401, 404)
    assert delete(intruder_api, market.pk).status_code == 404
    assert Market.objects.filter(pk=market.pk).exists()
