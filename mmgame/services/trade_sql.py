"""The trade path's SQL, written out: the statements every trade runs, parameterised, for SQLite and PostgreSQL.

Through the ORM these lookups and writes cost several times what the database takes to answer them
(Django compiles each queryset and insert anew, on the one thread every trade shares): about 1 ms of CPU a
trade. Here each statement is a plain string; a row comes back as the ORM builds it (`Model.from_db`, the
public hook of loading), its values converted as Django's backend converts them (`from_database`), and
values go in through each field's public `pre_save`/`get_db_prep_save`. tests/services/test_trade_sql.py
checks every field of every row against the ORM's, on both databases. A model with a save signal
connected is saved through the ORM, signals and all.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Callable

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models.signals import post_save, pre_save
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from mmgame.models import Market, Player, Position, Trade


def columns(model: type[models.Model]) -> list[models.Field]:
    """The model's columns, in the order `Model.from_db` takes them."""
    return [field for field in model._meta.get_fields() if field.concrete]


def column_list(fields: list[models.Field]) -> str:
    return ", ".join(f'"{field.column}"' for field in fields)


def select(model: type[models.Model], where: str) -> str:
    return f'SELECT {column_list(columns(model))} FROM "{model._meta.db_table}" WHERE {where}'


MARKET_ROW = select(Market, '"id" = %s')  # + FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE transaction locks
POSITION = select(Position, '"player_id" = %s AND "market_id" = %s')
EARLIER_TRADE = select(Trade, '"player_id" = %s AND "idempotency_key" = %s')
SEATED = f'SELECT 1 FROM "{Player._meta.db_table}" WHERE "id" = %s AND NOT "kicked"'
MARKET_AFTER_TRADE = ["sequence", "mean_z", "sd_z"]
POSITION_AFTER_TRADE = ["wealth_const", "wealth_linear", "wealth_quadratic", "trades"]
POSITION_AFTER_TRADE += ["wealth_const_tail", "wealth_linear_tail", "wealth_quadratic_tail"]
TRADE_COLUMNS = [field for field in columns(Trade) if not field.primary_key]
PLACES = ", ".join(["%s"] * len(TRADE_COLUMNS))
NEW_TRADE = f'INSERT INTO "{Trade._meta.db_table}" ({column_list(TRADE_COLUMNS)}) VALUES ({PLACES}) RETURNING "id"'


# -- from the database's values to the ORM's ----------------------------------------------------------


def sqlite_decimal(field: models.DecimalField) -> Callable[[object], decimal.Decimal]:
    """SQLite keeps 15 significant digits of a decimal; Django rounds them to the field's places."""
    create, places = (
        decimal.Context(prec=15).create_decimal_from_float,
        decimal.Decimal(1).scaleb(-field.decimal_places),
    )
    context = decimal.Context(prec=field.max_digits)
    return lambda value: create(value).quantize(places, context=context)


def sqlite_datetime(value: object) -> datetime.datetime:
    """SQLite stores datetimes as naive UTC text."""
    value = value if isinstance(value, datetime.datetime) else parse_datetime(value)
    return timezone.make_aware(value, datetime.UTC) if settings.USE_TZ and timezone.is_naive(value) else value


# Types Django's SQLite backend returns as the driver gives them.
PLAIN = {"AutoField", "BigAutoField", "BigIntegerField", "CharField", "FloatField", "ForeignKey", "IntegerField"}
PLAIN |= {"PositiveIntegerField", "PositiveSmallIntegerField", "SmallIntegerField", "TextField"}


def sqlite_converter(field: models.Field) -> Callable[[object], object] | None:
    """What Django's SQLite backend does to a column of this field's type (None: nothing)."""
    kind = field.get_internal_type()
    if kind == "BooleanField":
        return bool
    if kind == "DateTimeField":
        return sqlite_datetime
    if kind == "DecimalField":
        return sqlite_decimal(field)
    if kind in PLAIN:
        return None
    raise TypeError(f"mmgame.services.trade_sql cannot read a {kind} ({field}) from SQLite")


# PostgreSQL's driver gives the ORM's types already (bool, aware datetime, Decimal).
SQLITE = {
    model: [(i, sqlite_converter(f)) for i, f in enumerate(columns(model))] for model in (Market, Position, Trade)
}
ATTNAMES = {model: [field.attname for field in columns(model)] for model in (Market, Position, Trade)}


def from_database(model: type[models.Model], row: tuple) -> models.Model:
    if connection.vendor == "sqlite":
        row = list(row)
        for i, convert in SQLITE[model]:
            if convert is not None and row[i] is not None:
                row[i] = convert(row[i])
    return model.from_db(connection.alias, ATTNAMES[model], row)


def one(model: type[models.Model], sql: str, params: list) -> models.Model | None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return None if row is None else from_database(model, row)


# -- the statements ---------------------------------------------------------------------------------


def locked_market(market_id: int) -> Market | None:
    """The market row, locked until the transaction ends (as `select_for_update` locks it)."""
    sql = MARKET_ROW if connection.vendor == "sqlite" else f"{MARKET_ROW} FOR UPDATE"
    return one(Market, sql, [market_id])


def position(player_id: int, market_id: int) -> Position | None:
    return one(Position, POSITION, [player_id, market_id])


def earlier_trade(player_id: int, idempotency_key: str) -> Trade | None:
    return one(Trade, EARLIER_TRADE, [player_id, idempotency_key])


def seated(player_id: int) -> bool:
    """The seat exists and the host has not kicked it."""
    with connection.cursor() as cursor:
        cursor.execute(SEATED, [player_id])
        return cursor.fetchone() is not None


def update(instance: models.Model, names: list[str]) -> None:
    """`instance.save(update_fields=names)`, one UPDATE written out (the ORM's own when a signal listens)."""
    model = type(instance)
    if pre_save.has_listeners(model) or post_save.has_listeners(model):
        instance.save(update_fields=names)
        return
    fields = [model._meta.get_field(name) for name in names]
    sets = ", ".join(f'"{field.column}" = %s' for field in fields)
    values = [field.get_db_prep_save(getattr(instance, field.attname), connection) for field in fields]
    with transaction.mark_for_rollback_on_error(), connection.cursor() as cursor:
        cursor.execute(f'UPDATE "{model._meta.db_table}" SET {sets} WHERE "id" = %s', [*values, instance.pk])
        if cursor.rowcount != 1:
            raise model.DoesNotExist(f"{model.__name__} {instance.pk} is gone")


def save_market_after_trade(market: Market) -> None:
    update(market, MARKET_AFTER_TRADE)


def save_position_after_trade(position: Position) -> None:
    update(position, POSITION_AFTER_TRADE)


def insert_trade(**values: object) -> Trade:
    """`Trade.objects.create(**values)`, the INSERT written out (the ORM's own when a signal listens)."""
    trade = Trade(**values)
    if pre_save.has_listeners(Trade) or post_save.has_listeners(Trade):
        trade.save(force_insert=True)
        return trade
    params = [field.get_db_prep_save(field.pre_save(trade, True), connection) for field in TRADE_COLUMNS]
    with transaction.mark_for_rollback_on_error(), connection.cursor() as cursor:
        cursor.execute(NEW_TRADE, params)
        (trade.pk,) = cursor.fetchone()
    trade._state.db, trade._state.adding = connection.alias, False  # Model._state: documented
    return trade
