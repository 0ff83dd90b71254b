"""The kind of number is kept by the schema: one of three, and counts and years resolve at whole numbers."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction

from mmgame.models import Market

pytestmark = pytest.mark.django_db


def test_the_database_refuses_an_unknown_kind(market):
    with pytest.raises(IntegrityError), transaction.atomic():
        Market.objects.filter(pk=market.pk).update(kind="money")


def test_the_database_refuses_a_count_that_resolves_at_fractions(market):
    with pytest.raises(IntegrityError), transaction.atomic():
        Market.objects.filter(pk=market.pk).update(kind="count", integer=False)


def test_existing_markets_get_the_kind_their_rows_suggest(host, game, market):
    """The migration's guess: a whole-number question about a year is a year, other whole ones counts."""
    from mmgame import services

    year = services.add_market(host, game, question="In what year was paper invented?", lo=0, hi=2000, integer=True)
    beans = services.add_market(host, game, question="Beans?", lo=0, hi=300, integer=True)
    Market.objects.update(kind="measure")
    Market.objects.filter(pk__in=[year.pk, beans.pk]).update(integer=True)
    migration = importlib.import_module("mmgame.migrations.0004_number_kind")

    with transaction.atomic():
        migration.guess_kinds(apps, None)

    kinds = dict(Market.objects.values_list("pk", "kind"))
    assert (kinds[year.pk], kinds[beans.pk], kinds[market.pk]) == ("year", "count", "measure")
