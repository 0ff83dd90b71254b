"""The trade path's prepared statements: rows read and written exactly as the ORM reads and writes them."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.models.signals import post_save, pre_save
from django.utils import timezone

from mmgame.models import Market, Player, Position, Trade
from mmgame.services import trading

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


def test_a_prepared_lookup_gives_the_row_the_orm_gives(traded):
    market, alice, trade = traded
    with transaction.atomic():  # the market row lookup takes a row lock
        found = {
            "market": (trading.MARKET_ROW.one(market.pk), Market.objects.get(pk=market.pk)),
            "position": (
                trading.POSITION.one(alice.pk, market.pk),
                Position.objects.get(player=alice, market=market),
            ),
            "trade": (trading.EARLIER_TRADE.one(alice.pk, trade.idempotency_key), Trade.objects.get(pk=trade.pk)),
            "seat": (trading.SEATED.one(alice.pk), Player.objects.get(pk=alice.pk)),
        }
    for name, (prepared, orm) in found.items():
        assert type(prepared) is type(orm), name
        assert picture(prepared) == picture(orm), name
    assert isinstance(found["trade"][0].target_mean, Decimal)
    assert timezone.is_aware(found["market"][0].closes_at)


def test_a_prepared_lookup_finds_nothing_as_none(traded):
    market, alice, _ = traded
    assert trading.EARLIER_TRADE.one(alice.pk, "never used") is None
    assert trading.POSITION.one(alice.pk, market.pk + 1000) is None
    Player.objects.filter(pk=alice.pk).update(kicked=True)
    assert trading.SEATED.one(alice.pk) is None
    assert not trading.SEATED.exists(alice.pk)


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
def test_the_prepared_insert_writes_what_create_writes(open_market, alice, kind):
    before = timezone.now()
    prepared = trading.NEW_TRADE.create(**trade_values(open_market, alice, 1, kind))
    created = Trade.objects.create(**trade_values(open_market, alice, 2, kind))

    assert prepared.pk is not None and Trade.objects.filter(pk=prepared.pk).exists()
    ours, theirs = stored(prepared.pk), stored(created.pk)
    for column in ("id", "sequence", "idempotency_key", "created_at"):
        ours.pop(column), theirs.pop(column)
    assert ours == theirs
    assert {k: type(v) for k, v in ours.items()} == {k: type(v) for k, v in theirs.items()}
    assert before <= prepared.created_at <= created.created_at
    assert stored(prepared.pk)["created_at"] is not None
    assert Trade.objects.get(pk=prepared.pk).created_at == prepared.created_at


def test_the_prepared_insert_leaves_the_instance_as_create_does(open_market, alice):
    prepared = trading.NEW_TRADE.create(**trade_values(open_market, alice, 1))
    created = Trade.objects.create(**trade_values(open_market, alice, 2))

    assert vars(prepared).keys() == vars(created).keys()
    assert {k: type(v) for k, v in vars(prepared).items()} == {k: type(v) for k, v in vars(created).items()}
    assert (
        (prepared._state.db, prepared._state.adding) == (created._state.db, created._state.adding) == ("default", False)
    )
    assert prepared._state.fields_cache.keys() == created._state.fields_cache.keys()
    assert prepared.market is open_market and prepared.player is alice


def test_the_prepared_insert_leaves_a_saved_trade_to_its_signals(open_market, alice):
    heard = []

    def listen(sender, instance, **kwargs):
        heard.append((kwargs["signal"], instance.pk))

    pre_save.connect(listen, sender=Trade)
    post_save.connect(listen, sender=Trade)
    try:
        trade = trading.NEW_TRADE.create(**trade_values(open_market, alice, 1))
    finally:
        pre_save.disconnect(listen, sender=Trade)
        post_save.disconnect(listen, sender=Trade)
    assert heard == [(pre_save, None), (post_save, trade.pk)]
    assert Trade.objects.filter(pk=trade.pk).exists()


@pytest.mark.parametrize(
    "lookup",
    [
        lambda pk: Trade.objects.filter(pk=pk).select_related("player"),
        lambda pk: Trade.objects.filter(pk=pk).extra(select={"double": "2 * sequence"}),
    ],
    ids=["related rows", "extra columns"],
)
def test_a_prepared_lookup_refuses_anything_but_its_models_columns(traded, lookup):
    """Columns it does not map would land on the wrong attributes: it says so instead."""
    with pytest.raises(TypeError, match="prepared lookup"):
        trading.Prepared(Trade, lookup).one(Trade.objects.first().pk)
