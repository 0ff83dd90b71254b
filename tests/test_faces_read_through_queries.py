"""Faces read through mmgame.queries: no module of api/, web/, live/ or bots/ builds an ORM query.

import-linter cannot say this: the faces import mmgame.models for its types and constants (Market.Status),
and a query is built on whatever a face holds (`game.players.filter(...)`), not on an import. So the test
reads each face module's syntax tree and refuses what only a query does: a model's manager (`.objects`),
the QuerySet methods no other object in the faces has, the argument-less `all()`/`count()`/`exists()`/
`first()`, `get()` by keywords (dict.get takes a key), and the imports of Django's query API
(`django.db.models`, `get_object_or_404`). A new read goes into a function of mmgame.queries.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FACES = ("api", "web", "live", "bots")

QUERYSET_ONLY = {
    "aggregate", "annotate", "bulk_create", "bulk_update", "defer", "distinct", "earliest", "exclude", "extra",
    "filter", "get_or_create", "in_bulk", "iterator", "latest", "only", "order_by", "prefetch_related", "raw",
    "select_for_update", "select_related", "update_or_create", "values_list",
}  # fmt: skip
WITHOUT_ARGUMENTS = {"all", "count", "exists", "first", "last"}
SHORTCUTS = {"get_object_or_404", "get_list_or_404"}


def orm_reads(source: str) -> list[tuple[int, str]]:
    """Each line of `source` that builds an ORM query, with what gave it away."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            found.append((node.lineno, ".objects"))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            name, bare = node.func.attr, not node.args and not node.keywords
            if name in QUERYSET_ONLY or (name in WITHOUT_ARGUMENTS and bare):
                found.append((node.lineno, f".{name}()"))
            elif name == "get" and node.keywords and not node.args:
                found.append((node.lineno, ".get(field=…)"))
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith("django.db.models"):
                found.append((node.lineno, f"from {node.module} import"))
            elif node.module == "django.shortcuts" and SHORTCUTS & {alias.name for alias in node.names}:
                found.append((node.lineno, "get_object_or_404"))
        elif isinstance(node, ast.Import) and any(a.name.startswith("django.db.models") for a in node.names):
            found.append((node.lineno, "import django.db.models"))
    return sorted(found)


def face_modules() -> list[Path]:
    return sorted(path for face in FACES for path in (ROOT / "mmgame" / face).rglob("*.py"))


def test_no_face_builds_an_orm_query():
    reads = {
        f"{path.relative_to(ROOT)}:{line}": what
        for path in face_modules()
        for line, what in orm_reads(path.read_text(encoding="utf-8"))
    }

    assert reads == {}, "move these reads into a function of mmgame.queries"


@pytest.mark.parametrize(
    "line",
    [
        "Game.objects.get(pk=1)",
        "game.players.filter(kicked=False)",
        "game.markets.order_by('number')",
        "list(game.players.all())",
        "game.players.count()",
        "player.positions.exists()",
        "trades.first()",
        "game.markets.get(number=2)",
        "access.hosted_games(user).prefetch_related('markets')",
        "rows.values_list('id', flat=True)",
        "from django.db.models import Sum",
        "from django.shortcuts import get_object_or_404, render",
        "import django.db.models",
    ],
)
def test_the_check_finds_a_query(line):
    assert orm_reads(line)


@pytest.mark.parametrize(
    "line",
    [
        "self.markets.get(market_id)",
        "self.waiting.values()",
        "event.is_set()",
        "list(filter(None, names))",
        "'a,b'.count(',')",
        "from django.shortcuts import redirect, render",
        "from django.db import connections",
    ],
)
def test_the_check_leaves_other_objects_alone(line):
    assert not orm_reads(line)
