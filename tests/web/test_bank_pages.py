"""The question bank's pages: pick a subject, tick questions, add them; upload and download CSV files."""

from __future__ import annotations

import html
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mmgame import bank, services
from mmgame.bank import sheet

pytestmark = pytest.mark.django_db

HEADER = ",".join(sheet.HEADER)


def bank_url(game, category: str | None = None) -> str:
    url = reverse("web:bank", args=[game.pk])
    return f"{url}?category={category}" if category else url


def test_the_game_page_links_to_the_bank_and_the_questions_file(host_client, game):
    page = host_client.get(reverse("web:game", args=[game.pk])).content.decode()
    assert f'href="{bank_url(game)}">Add questions from the bank</a>' in page
    assert reverse("web:bank_export", args=[game.pk]) in page


def test_the_bank_page_lists_one_subject_as_ticked_boxes_with_answers_and_sources(host_client, game):
    response = host_client.get(bank_url(game, "science"))
    page = response.content.decode()
    science = bank.in_category("science")
    assert [q["key"] for q in response.context["questions"]] == [q.key for q in science]
    assert page.count('type="checkbox" name="question"') == len(science)
    moon = bank.by_key("science-moon-distance")
    assert f'value="{moon.key}"' in page and moon.question in page
    assert "Answer <strong>384,400 km</strong>" in page
    assert moon.source in page
    assert bank.by_key("history-moon-landing").question not in page
    assert 'aria-current="page">Science</a>' in page
    assert HEADER in page  # the CSV header, documented where the file is uploaded


def test_a_range_writes_both_ends_the_same_way(host_client, game):
    """The speed of light's range read "1,000 – 1 × 10⁷ km/s": one end in digits, the other in a power of ten."""
    page = host_client.get(bank_url(game, "science")).content.decode()
    assert "range 1 × 10³ – 1 × 10⁷ km/s" in page
    assert "range 0 – 25 km/s" in page  # escape velocity: no power of ten, none added
    market = services.add_market(game.host, game, **bank.by_key("science-speed-of-light").market_arguments())
    assert "Range 1 × 10³ – 1 × 10⁷ km/s" in host_client.get(reverse("web:game", args=[game.pk])).content.decode()
    assert market.unit == "km/s"


def test_each_bank_question_shows_the_most_the_bank_can_pay_out_from_its_rules_not_its_answer(host_client, game):
    page = host_client.get(bank_url(game, "science")).content.decode()
    sound = bank.by_key("science-speed-of-sound")
    bound = services.house_bound(**sound.market_arguments())
    assert bound == services.house_bound(**{**sound.market_arguments(), "answer": Decimal(900)})
    market = services.add_market(game.host, game, **sound.market_arguments())
    assert bound == pytest.approx(market.engine.subsidy()) and bound <= 177
    assert f"the most the bank can pay out: {round(bound)} points" in page


def test_the_bank_page_without_a_subject_lists_every_question(host_client, game):
    page = host_client.get(bank_url(game)).content.decode()
    assert page.count('type="checkbox" name="question"') == len(bank.questions())
    assert "You enter the answer" in page  # the jar and the weather


def test_ticking_questions_adds_them_and_returns_to_the_game(host_client, game):
    keys = ["geography-everest", "geography-nile"]
    response = host_client.post(bank_url(game), {"question": keys, "category": "geography"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("web:game", args=[game.pk])
    assert "2 questions added." in response.content.decode()
    assert [(m.question, m.answer) for m in game.markets.order_by("number")] == [
        (bank.by_key("geography-everest").question, Decimal("8848.86")),
        (bank.by_key("geography-nile").question, Decimal("6650")),
    ]


def test_adding_nothing_says_so_and_stays_on_the_subject(host_client, game):
    response = host_client.post(bank_url(game), {"category": "history"}, follow=True)
    assert response.redirect_chain[-1][0] == bank_url(game, "history")
    assert "tick at least one question" in response.content.decode()
    assert not game.markets.exists()


def test_uploading_a_file_adds_its_questions(host_client, game):
    upload = SimpleUploadedFile("mine.csv", b"question,lo,hi,answer\nHow many pupils?,0,2000,812\n", "text/csv")
    response = host_client.post(reverse("web:bank_import", args=[game.pk]), {"file": upload}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("web:game", args=[game.pk])
    assert "1 question added from the file." in response.content.decode()
    assert game.markets.get().answer == 812


def test_uploading_a_file_with_bad_lines_names_them_and_adds_nothing(host_client, game):
    data = f"{HEADER}\nFine,5,,,,0,10,,,,\nToo big,50,,,,0,10,,,,\nNo range,5,,,,,10,,,,\n".encode()
    upload = SimpleUploadedFile("mine.csv", data, "text/csv")
    response = host_client.post(reverse("web:bank_import", args=[game.pk]), {"file": upload}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == bank_url(game)
    assert "Nothing was added." in page
    assert "Line 3: the answer 50 is outside the range 0 to 10" in page
    assert "Line 4: lo is empty; it needs a number" in page
    assert not game.markets.exists()


def test_a_header_with_two_problems_is_refused_with_both_in_the_hosts_language(host_client, game):
    upload = SimpleUploadedFile("mine.csv", b"question,lo,lo,colour\nQ,0,1,red\n", "text/csv")
    url = reverse("web:bank_import", args=[game.pk])
    response = host_client.post(url, {"file": upload}, follow=True, headers={"accept-language": "fr"})
    page = html.unescape(response.content.decode())
    columns = ",".join(sheet.HEADER)
    unknown = f"colonne inconnue 'colour' (l'en-tête est {columns})"
    doubled = f"colonne lo nommée deux fois (l'en-tête est {columns})"
    missing = f"colonne manquante hi (l'en-tête est {columns})"
    assert f"Ligne 1\u00a0: {unknown}\u00a0; {doubled}\u00a0; {missing}" in page
    assert "unknown column" not in page and "named twice" not in page and "missing column" not in page
    assert not game.markets.exists()


def test_uploading_without_a_file_asks_for_one(host_client, game):
    response = host_client.post(reverse("web:bank_import", args=[game.pk]), {}, follow=True)
    assert "Choose a CSV file to upload." in response.content.decode()


def test_the_download_is_the_games_questions_as_a_csv_file(host_client, host, game):
    services.add_from_bank(host, game, ["history-magna-carta"])
    response = host_client.get(reverse("web:bank_export", args=[game.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="game-{game.pk}-questions.csv"'
    lines = response.content.decode().splitlines()
    assert lines[0] == HEADER
    assert lines[1].startswith("In what year was Magna Carta sealed?,1215,,year,linear,900,1700,")


def test_the_bank_pages_are_the_hosts_alone(client, other_host, game):
    assert client.get(bank_url(game)).status_code == 302  # a stranger is asked to sign in
    client.force_login(other_host)
    assert client.get(bank_url(game)).status_code == 404
    assert client.post(bank_url(game), {"question": ["geography-everest"]}).status_code == 404
    upload = SimpleUploadedFile("mine.csv", b"question,lo,hi\nQ,0,1\n", "text/csv")
    assert client.post(reverse("web:bank_import", args=[game.pk]), {"file": upload}).status_code == 404
    assert client.get(reverse("web:bank_export", args=[game.pk])).status_code == 404
    assert not game.markets.exists()
