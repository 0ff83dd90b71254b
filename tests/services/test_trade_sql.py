"""The trade path's SQL (mmgame.services.trade_sql): rows read and written exactly as the ORM reads and writes them,
field by field, on SQLite and (tests/services/test_on_postgres.py) on PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.models.signals import post_save, pre_save
from django.utils import timezone

from mmgame.models import Market, Player, Position, Trade
from mmgame.services import trade_sql

from .ledger import fresh_key, target

pytestmark = pytest.mark.django_db


def picture(instance) -> dict[str, tuple[str, str]]:
    """Every field's value with its type: Decimal("300") and Decimal("300.00…") must not pass as equal."""
    values = {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}
    return {
        **{name: (type(v).__name__, repr(v)) for name, v in values.items()},
        "_state": (instance._state.db, instance._state.adding),
    }


@pytest.fixture
def traded(host, open_market, alice, buy):
    """A market with a countdown (a datetime), a position and a trade with decimal targets."""
    Market.objects.filter(pk=open_market.pk).update(closes_at=timezone.now() + timedelta(hours=1))
    result = buy(alice, target(123.456789, 40.5))
    return open_market, alice, result.trade


def test_each_lookup_gives_the_row_the_orm_gives(traded):
    market, alice, trade = traded
    with transaction.atomic():  # the market row lookup takes a row lock
        found = {
            "market": (trade_sql.locked_market(market.pk), Market.objects.get(pk=market.pk)),
            "position": (
                trade_sql.position(alice.pk, market.pk),
                Position.objects.get(player=alice, market=market),
            ),
            "trade": (trade_sql.earlier_trade(alice.pk, trade.idempotency_key), Trade.objects.get(pk=trade.pk)),
        }
    for name, (ours, orm) in found.items():
        assert type(ours) is type(orm), name
        assert picture(ours) == picture(orm), name
    assert isinstance(found["trade"][0].target_mean, Decimal)
    assert timezone.is_aware(found["market"][0].closes_at)


def test_a_market_with_every_optional_field_set_reads_as_the_orm_reads_it(traded):
    market, _, _ = traded
    Market.objects.filter(pk=market.pk).update(
        status=Market.Status.RESOLVED,
        phase=Market.Phase.LESSON,
        answer=Decimal("1000000000.3"),
        first_guess=False,
        closes_at=None,
        outcome=Decimal("1000000000.3"),
        house_result=-2.5,
        resolved_at=timezone.now(),
        integer=True,
    )
    with transaction.atomic():
        assert picture(trade_sql.locked_market(market.pk)) == picture(Market.objects.get(pk=market.pk))


def test_a_lookup_finds_nothing_as_none(traded):
    market, alice, _ = traded
    assert trade_sql.earlier_trade(alice.pk, "never used") is None
    assert trade_sql.position(alice.pk, market.pk + 1000) is None
    assert trade_sql.locked_market(market.pk + 1000) is None
    assert trade_sql.seated(alice.pk)
    Player.objects.filter(pk=alice.pk).update(kicked=True)
    assert not trade_sql.seated(alice.pk)
    assert not trade_sql.seated(alice.pk + 1000)


def test_the_updates_write_what_save_with_update_fields_writes(traded):
    market, alice, _ = traded
    ours, theirs = Market.objects.get(pk=market.pk), Market.objects.get(pk=market.pk)
    for copy in (ours, theirs):
        copy.sequence, copy.mean_z, copy.sd_z = copy.sequence + 1, 0.123456789, 1.5
    trade_sql.save_market_after_trade(ours)
    after_ours = picture(Market.objects.get(pk=market.pk))
    theirs.save(update_fields=trade_sql.MARKET_AFTER_TRADE)
    assert after_ours == picture(Market.objects.get(pk=market.pk))

    position = Position.objects.get(player=alice, market=market)
    position.wealth_const, position.wealth_linear, position.wealth_quadratic, position.trades = 1.0, 2.0, -3.0, 7
    trade_sql.save_position_after_trade(position)
    assert picture(Position.objects.get(pk=position.pk)) == picture(position)


def test_an_update_of_a_row_gone_says_so(traded):
    market, _, _ = traded
    gone = Market.objects.get(pk=market.pk)
    gone.pk = market.pk + 1000
    with pytest.raises(Market.DoesNotExist):
        trade_sql.save_market_after_trade(gone)


def test_an_update_leaves_a_model_with_save_signals_to_the_orm(traded):
    market, _, _ = traded
    heard = []

    def listen(sender, instance, **kwargs):
        heard.append((kwargs["signal"], kwargs["update_fields"]))

    pre_save.connect(listen, sender=Market)
    try:
        trade_sql.save_market_after_trade(Market.objects.get(pk=market.pk))
    finally:
        pre_save.disconnect(listen, sender=Market)
    assert heard == [(pre_save, frozenset(trade_sql.MARKET_AFTER_TRADE))]


def trade_values(market: Market, player: Player, sequence: int, kind: str = "target") -> dict:
    forecast = kind in ("target", "toward")
    return {
        "market": market,
        "sequence": sequence,
        "player": player,
        "kind": kind,
        "target_mean": 1e9 + 0.3 if forecast else None,
        "target_sd": 12.345678901234567 if forecast else None,
        "fraction": 0.75,
        "shares_linear": 1.5,
        "shares_quadratic": -0.25,
        "cost": 12.5,
        "worst_case": -3.25,
        "mean_z_after": 0.1,
        "sd_z_after": 0.9,
        "idempotency_key": fresh_key(),
    }


def stored(trade_id: int) -> dict:
    """The row as the database holds it, below the ORM's converters."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Trade._meta.db_table} WHERE id = %s", [trade_id])
        names = [column[0] for column in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


@pytest.mark.parametrize("kind", ["target", "shares"])
def test_the_insert_writes_what_create_writes(open_market, alice, kind):
    before = timezone.now()
    inserted = trade_sql.insert_trade(**trade_values(open_market, alice, 1, kind))
    created = Trade.objects.create(**trade_values(open_market, alice, 2, kind))

    assert inserted.pk is not None and Trade.objects.filter(pk=inserted.pk).exists()
    ours, theirs = stored(inserted.pk), stored(created.pk)
    for column in ("id", "sequence", "idempotency_key", "created_at"):
        ours.pop(column), theirs.pop(column)
    assert ours == theirs
    assert {k: type(v) for k, v in ours.items()} == {k: type(v) for k, v in theirs.items()}
    assert before <= inserted.created_at <= created.created_at
    assert stored(inserted.pk)["created_at"] is not None
    assert Trade.objects.get(pk=inserted.pk).created_at == inserted.created_at


def test_the_insert_leaves_the_instance_as_create_does(open_market, alice):
    ours = trade_sql.insert_trade(**trade_values(open_market, alice, 1))
    created = Trade.objects.create(**trade_values(open_market, alice, 2))

    assert vars(ours).keys() == vars(created).keys()
    assert {k: type(v) for k, v in vars(ours).items()} == {k: type(v) for k, v in vars(created).items()}
    assert (ours._state.db, ours._state.adding) == (created._state.db, created._state.adding) == ("default", False)
    assert ours._state.fields_cache.keys() == created._state.fields_cache.keys()
    assert ours.market is open_market and ours.player is alice


def test_the_insert_leaves_a_saved_trade_to_its_signals(open_market, alice):
    heard = []

    def listen(sender, instance, **kwargs):
        heard.append((kwargs["signal"], instance.pk))

    pre_save.connect(listen, sender=Trade)
    post_save.connect(listen, sender=Trade)
    try:
        trade = trade_sql.insert_trade(**trade_values(open_market, alice, 1))
    finally:
        pre_save.disconnect(listen, sender=Trade)
        post_save.disconnect(listen, sender=Trade)
    assert heard == [(pre_save, None), (post_save, trade.pk)]
    assert Trade.objects.filter(pk=trade.pk).exists()


def test_a_field_type_the_module_does_not_convert_is_refused_at_import():
    """A new kind of column must be read as the ORM reads it: the module says so rather than guess."""
    from django.db import models

    with pytest.raises(TypeError, match="cannot read a UUIDField"):
        trade_sql.sqlite_converter(models.UUIDField(name="ticket"))
