"""What a trade costs the live layer: the queries of one trade answer, and the connection they share.

A trade answer runs on the one thread all of a process's database work shares, so its cost bounds the
trades per second a process settles (issue 3's targets): these tests pin the number of statements and
the connection reuse that the benchmark's figures rest on.
"""

from __future__ import annotations

import pytest
from django.db import DatabaseError, OperationalError, connection, connections
from django.test.utils import CaptureQueriesContext

from mmgame import services
from mmgame.live import database as live_database
from mmgame.live import handlers
from mmgame.live.database import database_sync_to_async
from mmgame.live.protocol import Request
from mmgame.market import Order
from mmgame.queries import shapes as snapshots

# BEGIN, lock the market, is the seat still seated, the idempotency key, the position,
# update the market, save the position, insert the trade, COMMIT.
STATEMENTS_PER_TRADE = 9


def order(market_id: int, key: str, mean: float = 120) -> Request:
    return Request("trade", "r", market_id, Order("target", mean=mean, sd=40), idempotency_key=key)


@pytest.mark.django_db(transaction=True)
def test_a_trade_answer_on_a_sockets_own_seat_takes_nine_statements(open_market, alice):
    seat = handlers.fresh_player(alice.pk)
    handlers.trade_answer(seat, order(open_market.pk, "warm"))
    with CaptureQueriesContext(connection) as queries:
        answer = handlers.trade_answer(seat, order(open_market.pk, "k", 130))
    assert answer["trade"]["sequence"] == 3 and answer["position"]["trades"] == 2
    assert len(queries.captured_queries) == STATEMENTS_PER_TRADE, [q["sql"][:60] for q in queries.captured_queries]


@pytest.mark.django_db(transaction=True)
def test_a_replayed_key_returns_the_first_trade_with_prepared_lookups(open_market, alice):
    first = services.place_trade(alice, open_market.pk, Order("target", mean=110, sd=50), idempotency_key="same")
    again = services.place_trade(alice, open_market.pk, Order("target", mean=180, sd=20), idempotency_key="same")
    assert again.replayed and again.trade.pk == first.trade.pk and again.position.trades == 1
    assert services.position_wealth(open_market, alice) == again.position.wealth


@pytest.mark.django_db(transaction=True)
def test_the_market_engine_and_range_follow_the_fields_they_are_cached_from(open_market):
    engine = open_market.engine
    assert open_market.engine is engine  # cached while nothing it reads changed
    before = snapshots.market_state(open_market)
    open_market.mean_z, open_market.sequence = open_market.mean_z + 0.1, open_market.sequence + 1
    assert open_market.engine is not engine and open_market.engine.curve.mean == open_market.mean_z
    assert snapshots.market_state(open_market)["mean"] > before["mean"]
    open_market.hi = open_market.hi * 2
    assert open_market.range.hi == open_market.hi


@pytest.mark.django_db(transaction=True)
async def test_live_database_work_keeps_its_connection_between_calls():
    def raw_connection() -> object:
        connection.ensure_connection()
        return connection.connection

    def fresh_connection() -> object:
        connection.close()  # the thread's connection may be near its age limit after earlier tests: start anew
        return raw_connection()

    first = await database_sync_to_async(fresh_connection)()
    assert await database_sync_to_async(raw_connection)() is first


@pytest.mark.django_db(transaction=True)
async def test_a_kept_connection_is_still_closed_once_it_has_lived_its_time(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(live_database, "clock", lambda: now[0])

    def raw_connection() -> object:
        connection.ensure_connection()
        return connection.connection

    def new_connection() -> object:
        connection.close()  # a connection first seen at the controlled clock's time
        return raw_connection()

    old = await database_sync_to_async(new_connection)()
    now[0] += live_database.KEEP_FOR - 1
    assert await database_sync_to_async(raw_connection)() is old
    now[0] += 2  # past KEEP_FOR since it was first seen: closed after this call
    assert await database_sync_to_async(raw_connection)() is old
    assert await database_sync_to_async(raw_connection)() is not old


@pytest.mark.django_db(transaction=True)
async def test_a_connection_that_broke_under_a_call_is_closed(monkeypatch):
    def raw_connection() -> object:
        connection.ensure_connection()
        return connection.connection

    def fail() -> None:
        raise OperationalError("the server went away")

    old = await database_sync_to_async(raw_connection)()
    monkeypatch.setattr(type(connections["default"]), "is_usable", lambda self: False)
    with pytest.raises(OperationalError):
        await database_sync_to_async(fail)()
    monkeypatch.undo()
    assert await database_sync_to_async(raw_connection)() is not old


@pytest.mark.django_db(transaction=True)
async def test_a_failed_call_keeps_a_connection_that_still_answers():
    def raw_connection() -> object:
        connection.ensure_connection()
        return connection.connection

    def bad_sql() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT no_such_column FROM mmgame_game")

    old = await database_sync_to_async(raw_connection)()
    with pytest.raises(DatabaseError):
        await database_sync_to_async(bad_sql)()
    assert await database_sync_to_async(raw_connection)() is old
