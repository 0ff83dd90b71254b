"""The class record's page, its CSV, and the forms that confirm, merge and split students' seats."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from mmgame import queries, services
from mmgame.market import Order

pytestmark = pytest.mark.django_db


def resolved_game(host, title: str, forecasts: dict[str, tuple[float, float]], outcome: float = 140):
    """A game of one answered market: each nickname gives a first guess and trades toward the same curve."""
    game = services.create_game(host, title)
    market = services.add_market(host, game, question="How many?", lo=0, hi=300, prior_mean=100, prior_sd=100)
    seats = {name: services.join_game(game.join_code, name) for name in forecasts}
    services.step_market(host, market.pk, phase="question")
    services.step_market(host, market.pk, phase="guess")
    for name, (mean, sd) in forecasts.items():
        services.submit_guess(seats[name], market.pk, Order("target", mean=mean, sd=sd))
    services.step_market(host, market.pk, phase="guesses", confirm=True)
    services.step_market(host, market.pk, phase="trading")
    for i, (name, (mean, sd)) in enumerate(forecasts.items()):
        services.place_trade(seats[name], market.pk, Order("toward", mean=mean, sd=sd), idempotency_key=f"{title}-{i}")
    services.step_market(host, market.pk, phase="closed")
    services.step_market(host, market.pk, phase="answer", outcome=outcome, confirm=True)
    return game, seats


@pytest.fixture
def seats(host):
    _, monday = resolved_game(host, "Monday", {"Alice": (150, 40), "Bob": (60, 10)})
    _, tuesday = resolved_game(host, "Tuesday", {"alice": (140, 30), "=HYPERLINK(1)": (130, 40)})
    return monday, tuesday


def names(host) -> set[str]:
    return {r.name for r in queries.class_record(host)}


def test_the_page_shows_each_student_with_figures_chart_and_forms(host_client, seats):
    monday, _ = seats

    response = host_client.get(reverse("web:record"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "alice" in html and "Bob" in html and "=HYPERLINK(1)" in html
    assert html.count('<svg class="cal-bar"') == 2 * (3 + 1)  # two bars per student and for the class
    assert 'width="100.0" height="8"' in html  # Alice: both first guesses and both last forecasts inside
    assert 'x1="90" x2="90"' in html  # the 90 % mark
    assert "2 of 2 (100 %)" in html
    assert reverse("web:record_split", args=[monday["Alice"].pk]) in html
    assert reverse("web:record_merge", args=[monday["Bob"].pk]) in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert reverse("web:record_csv") in html
    assert 'src="/static/js/confirm.js"' in html


def test_the_dashboard_and_the_all_time_board_link_to_the_record(host_client):
    for page in ("web:dashboard", "web:all_time"):
        assert f'href="{reverse("web:record")}"' in host_client.get(reverse(page)).content.decode()


def test_the_page_and_the_csv_need_a_login(client):
    for page in ("web:record", "web:record_csv"):
        response = client.get(reverse(page))
        assert response.status_code == 302 and reverse("web:login") in response["Location"]


def test_merging_from_the_page_joins_two_rows(host_client, host, seats):
    monday, tuesday = seats

    url = reverse("web:record_merge", args=[tuesday["=HYPERLINK(1)"].pk])
    response = host_client.post(url, {"into": monday["Bob"].pk})

    assert response.status_code == 302 and response["Location"] == reverse("web:record")
    assert names(host) == {"alice", "Bob"}


def test_splitting_from_the_page_makes_a_row_of_its_own(host_client, host, seats):
    _, tuesday = seats

    host_client.post(reverse("web:record_split", args=[tuesday["alice"].pk]))

    assert names(host) == {"Alice", "alice", "Bob", "=HYPERLINK(1)"}


def test_confirming_from_the_page_marks_the_seats_confirmed(host_client, host, seats):
    monday, _ = seats

    host_client.post(reverse("web:record_confirm", args=[monday["Alice"].pk]))

    assert {r.name: r.confirmed for r in queries.class_record(host)}["alice"]
    assert "Seats confirmed" in host_client.get(reverse("web:record")).content.decode()


def test_a_decision_that_changes_nothing_is_said_on_the_page(host_client, host, seats):
    monday, _ = seats

    response = host_client.post(reverse("web:record_split", args=[monday["Bob"].pk]), follow=True)

    assert "nothing to split" in response.content.decode()
    assert names(host) == {"alice", "Bob", "=HYPERLINK(1)"}


def test_merging_without_choosing_a_student_is_refused_on_the_page(host_client, host, seats):
    monday, _ = seats

    response = host_client.post(reverse("web:record_merge", args=[monday["Bob"].pk]), {"into": ""}, follow=True)

    assert "Choose the student" in response.content.decode()


def test_another_host_finds_none_of_it(client, other_host, host, seats):
    monday, tuesday = seats
    client.force_login(other_host)

    html = client.get(reverse("web:record")).content.decode()
    assert "Alice" not in html and "Bob" not in html
    assert "Alice" not in client.get(reverse("web:record_csv")).getvalue().decode()
    posts = [
        (reverse("web:record_confirm", args=[monday["Alice"].pk]), {}),
        (reverse("web:record_split", args=[tuesday["alice"].pk]), {}),
        (reverse("web:record_merge", args=[monday["Bob"].pk]), {"into": monday["Alice"].pk}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404
    assert names(host) == {"alice", "Bob", "=HYPERLINK(1)"}
    assert not host.students.exists()


def test_the_csv_has_a_row_per_student_and_no_formula(host_client, host, seats):
    response = host_client.get(reverse("web:record_csv"))

    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="class-record.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode())))
    by_name = {row["student"]: row for row in rows}
    assert set(by_name) == {"alice", "Bob", "'=HYPERLINK(1)"}
    alice = by_name["alice"]
    assert (alice["games"], alice["markets"], alice["nicknames"], alice["confirmed"]) == (
        "2",
        "2",
        "Alice; alice",
        "no",
    )
    assert (alice["first_guess_inside_90"], alice["first_guesses"], alice["first_guess_share"]) == ("2", "2", "1.0")
    assert (by_name["Bob"]["last_forecast_inside_90"], by_name["Bob"]["last_forecasts"]) == ("0", "1")
    assert by_name["Bob"]["share_expected"] == "0.9"
    record = {r.name: r for r in queries.class_record(host)}
    assert float(alice["average_score"]) == record["alice"].average_score
    assert float(alice["total_profit"]) == record["alice"].profit


@pytest.mark.parametrize(("value", "shown"), [(1.124, "+1.12"), (-0.4, "−0.40"), (0.001, "0.00"), (None, "–")])
def test_a_score_is_written_with_its_sign(value, shown):
    from mmgame.templatetags.points import score

    assert score(value) == shown
