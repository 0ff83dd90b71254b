"""Finding 6: text a player or host typed cannot run as a spreadsheet formula in any of the four exports."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from mmgame import services
from mmgame.market import Order
from mmgame.web.csv_safety import safe_cell

pytestmark = pytest.mark.django_db

FORMULAS = ['=HYPERLINK("x")', "+1+2", "-2+3", "@SUM(A1)"]


@pytest.mark.parametrize("text", [*FORMULAS, "\t=1+2", "\r=1+2"])
def test_text_that_starts_a_formula_is_quoted(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["-12.5", "+3", "1e-07", "-1.5E+20", "133", "", "Alice", 7, -1.25])
def test_numbers_and_plain_text_are_left_alone(value):
    assert safe_cell(value) == value


@pytest.fixture
def mischief(host, game):
    """Every nickname is a formula, and so is the question; two trades and a resolution fill all four exports."""
    market = services.add_market(host, game, question="=1+1 beans?", lo=0, hi=300, prior_mean=100, prior_sd=100)
    services.open_market(host, market.pk)
    seats = [services.join_game(game.join_code, name) for name in FORMULAS]
    for i, seat in enumerate(seats):
        services.place_trade(seat, market.pk, Order("target", mean=100 + 30 * i, sd=40), idempotency_key=f"k{i}")
    services.close_market(host, market.pk)
    services.resolve_market(host, market.pk, 110)
    return market


def exported(client, game, kind, *, header: bool = False):
    response = client.get(reverse("web:export", args=[game.pk, kind]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    return rows if header else rows[1:]


@pytest.mark.parametrize("kind", ["trades", "positions", "payouts", "scores"])
def test_no_export_has_a_cell_a_spreadsheet_would_run(client, host, game, mischief, kind):
    client.force_login(host)
    cells = [cell for row in exported(client, game, kind) for cell in row]
    assert cells
    assert [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r")) and safe_cell(c) != c] == []
    assert {"'" + name for name in FORMULAS} <= set(cells)


def test_exports_keep_negative_numbers_as_numbers(client, host, game, mischief):
    client.force_login(host)
    header, *rows = exported(client, game, "payouts", header=True)
    profits = [row[header.index("profit")] for row in rows]
    assert any(p.startswith("-") for p in profits)
    assert all(float(p) == float(p) for p in profits)  # each is a plain number, no quote


def test_the_question_is_quoted_where_it_is_exported(client, host, game, mischief):
    client.force_login(host)
    for kind in ("trades", "payouts"):
        assert {row[1] for row in exported(client, game, kind)} == {"'=1+1 beans?"}
