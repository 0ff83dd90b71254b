"""Statements of the trade path written once per connection, rows read and written as the ORM would.

Django compiles a queryset's SQL, its columns' converters and an insert anew on every run: on the one
thread every trade shares, that took several times what the database takes to answer (mmgame.services.trading).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from django.db import connections, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model, QuerySet
from django.db.models.signals import post_save, pre_save


@dataclass(frozen=True)
class Statement:
    """A lookup compiled for one connection: its SQL, where each argument goes among its parameters, and
    how each column of its row becomes the attribute the ORM would set (the converters Django's compiler
    picks, worked out once instead of on every row)."""

    sql: str
    slots: list[tuple[int | None, object]]
    attnames: list[str]
    converters: list[tuple[int, list[Callable], object]]


class Prepared:
    """A lookup of at most one row whose SQL the ORM writes once per connection, then runs with new parameters.

    Django compiles a queryset's SQL on every run, and a raw queryset works out its columns' converters on
    every run: for the small lookups of a trade that took ten times what SQLite takes to answer them
    (≈0.3 ms against 0.03 ms), on the one thread every trade shares. `lookup` takes the parameters (whole
    numbers or strings) and returns the queryset: plain rows of its model, no select_related or annotations.
    """

    def __init__(self, model: type[Model], lookup: Callable[..., QuerySet]) -> None:
        self.model, self.lookup = model, lookup
        # Per connection, not per alias: the backend's converters are bound to the connection they came from,
        # and each thread has its own.
        self.compiled: WeakKeyDictionary[BaseDatabaseWrapper, dict[tuple[type, ...], Statement]] = WeakKeyDictionary()

    def compile(self, alias: str, args: tuple) -> Statement:
        # Stand-ins no real parameter equals, to find where each argument lands among the SQL's parameters.
        marks = [f"\x00prepared{i}" if isinstance(arg, str) else -(2**40) - i for i, arg in enumerate(args)]
        compiler = self.lookup(*marks).using(alias)[:1].query.get_compiler(alias)
        sql, params = compiler.as_sql()  # also fills compiler.select and klass_info, as running it would
        klass_info, select = compiler.klass_info, compiler.select
        if (
            klass_info["model"] is not self.model
            or klass_info.get("related_klass_infos")
            or compiler.annotation_col_map
        ):
            raise TypeError(f"a prepared lookup returns plain {self.model.__name__} rows")
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        if (start, end) != (0, compiler.col_count):
            raise TypeError(f"a prepared lookup selects {self.model.__name__}'s columns and no others")
        slots = [next((i for i, m in enumerate(marks) if type(m) is type(p) and m == p), None) for p in params]
        converters = compiler.get_converters([column for column, _, _ in select[: compiler.col_count]])
        return Statement(
            sql=sql,
            slots=list(zip(slots, params, strict=True)),
            attnames=[column.target.attname for column, _, _ in select[start:end]],
            converters=[(i - start, functions, column) for i, (functions, column) in converters.items()],
        )

    def statement(self, args: tuple) -> tuple[str, BaseDatabaseWrapper, Statement, list]:
        alias = router.db_for_write(self.model)  # the trade's transaction: reads and writes on one database
        connection = connections[alias]
        compiled = self.compiled.get(connection)
        if compiled is None:
            compiled = self.compiled[connection] = {}
        key = tuple(type(arg) for arg in args)
        statement = compiled.get(key)
        if statement is None:
            statement = compiled[key] = self.compile(alias, args)
        params = [param if slot is None else args[slot] for slot, param in statement.slots]
        return alias, connection, statement, params

    def one(self, *args: int | str) -> Model | None:
        """The row as iterating the queryset gives it (its converters, `Model.from_db`), or None."""
        alias, connection, statement, params = self.statement(args)
        with connection.cursor() as cursor:
            cursor.execute(statement.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        if statement.converters:
            row = list(row)
            for position, functions, column in statement.converters:
                value = row[position]
                for convert in functions:
                    value = convert(value, column, connection)
                row[position] = value
        return self.model.from_db(alias, statement.attnames, row)

    def exists(self, *args: int | str) -> bool:
        _, connection, statement, params = self.statement(args)
        with connection.cursor() as cursor:
            cursor.execute(statement.sql, params)
            return cursor.fetchone() is not None


class PreparedUpdate:
    """`instance.save(update_fields=fields)` with the UPDATE statement written once per database.

    The same statement Django runs (no model signals are connected to these models), without compiling it
    on every trade."""

    def __init__(self, model: type[Model], fields: list[str]) -> None:
        self.model = model
        self.fields = [model._meta.get_field(name) for name in fields]
        self.sql: dict[str, str] = {}

    def save(self, instance: Model) -> None:
        alias = router.db_for_write(self.model)
        connection = connections[alias]
        sql = self.sql.get(alias)
        if sql is None:
            quote = connection.ops.quote_name
            columns = ", ".join(f"{quote(field.column)} = %s" for field in self.fields)
            table, pk = quote(self.model._meta.db_table), quote(self.model._meta.pk.column)
            sql = self.sql[alias] = f"UPDATE {table} SET {columns} WHERE {pk} = %s"
        params = [field.get_db_prep_save(getattr(instance, field.attname), connection) for field in self.fields]
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, instance.pk])
            if cursor.rowcount != 1:
                raise self.model.DoesNotExist(f"{self.model.__name__} {instance.pk} is gone")


class PreparedInsert:
    """`Model.objects.create(**values)` with the INSERT statement written once per connection.

    The ORM compiles the insert anew for every trade (≈0.5 ms). This writes what it writes: every local
    column but the auto primary key, each value through `pre_save(add=True)` (auto_now_add) and
    `get_db_prep_save`, the key read back by RETURNING or, where the backend cannot, `lastrowid`. When a
    pre_save or post_save receiver is connected to the model it leaves the work to the ORM, signals and all.
    """

    def __init__(self, model: type[Model]) -> None:
        meta = model._meta
        if meta.parents or meta.auto_field is None or meta.pk is not meta.auto_field:
            raise TypeError(f"{model.__name__} is not a single table with an auto primary key")
        self.model = model
        self.fields = [field for field in meta.local_concrete_fields if field is not meta.pk and not field.generated]
        self.statements: WeakKeyDictionary[BaseDatabaseWrapper, tuple] = WeakKeyDictionary()  # as in Prepared

    def statement(self, connection: BaseDatabaseWrapper) -> tuple[str, tuple, bool, list[Callable], object]:
        statement = self.statements.get(connection)
        if statement is None:
            meta, ops = self.model._meta, connection.ops
            quote = ops.quote_name
            columns = ", ".join(quote(field.column) for field in self.fields)
            values = ", ".join("%s" for _ in self.fields)
            sql = f"{ops.insert_statement()} {quote(meta.db_table)} ({columns}) VALUES ({values})"
            returning, returning_params = connection.features.can_return_columns_from_insert, ()
            if returning:
                if meta.db_returning_fields != [meta.pk]:
                    raise TypeError(f"{self.model.__name__} returns more than its primary key on insert")
                returning_sql, returning_params = ops.return_insert_columns([meta.pk])
                sql = f"{sql} {returning_sql}"
            pk = meta.pk.get_col(meta.db_table)
            converters = [*ops.get_db_converters(pk), *pk.get_db_converters(connection)]
            statement = self.statements[connection] = (sql, tuple(returning_params), returning, converters, pk)
        return statement

    def create(self, **values: object) -> Model:
        instance = self.model(**values)
        alias = router.db_for_write(self.model)
        if pre_save.has_listeners(self.model) or post_save.has_listeners(self.model):
            instance.save(force_insert=True, using=alias)
            return instance
        connection = connections[alias]
        sql, returning_params, returning, converters, pk = self.statement(connection)
        params = [field.get_db_prep_save(field.pre_save(instance, True), connection) for field in self.fields]
        with transaction.mark_for_rollback_on_error(alias), connection.cursor() as cursor:
            cursor.execute(sql, [*params, *returning_params])
            if returning:
                (value,) = connection.ops.fetch_returned_insert_columns(cursor, returning_params)
            else:
                value = connection.ops.last_insert_id(cursor, self.model._meta.db_table, self.model._meta.pk.column)
        for convert in converters:
            value = convert(value, pk, connection)
        setattr(instance, self.model._meta.pk.attname, value)
        instance._state.db, instance._state.adding = alias, False
        return instance
